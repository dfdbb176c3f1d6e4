//! Beyond the axial directions: a numerical search for the critical directions of the
//! leading form on the smallest eigenvalue's eigenspace (docs/arcs.md, "Beyond the axial
//! directions (approximate)").
//!
//! **Contract (approximate throughout; nothing here is a proof).** Let `C` be a certified
//! critical point whose smallest Hessian eigenvalue `lambda` is separated, `E` its
//! eigenspace (the eigenvalues within `1e-8 (1 + |lambda|)` of it). The **leading form** on
//! `E` is the cubic `C(v) = D^3 L[v,v,v]` when it does not vanish identically on `E`, else
//! the effective quartic
//!
//! ```text
//! Q(v) = D^4 L[v^4] / 24 - (1/8) g(v)^T (H - lambda)^+ g(v),     g(v) = D^3 L[v,v,.]
//! ```
//!
//! (`(H - lambda)^+` on the other eigenvectors only), both on unit vectors in the Frobenius
//! norm, the normalisation of `crate::arcs::leading::CertifiedLeading::coefficient`.
//! [`search`] looks for critical points of that form on the unit sphere of
//!
//! 1. `E` itself, in the full `d x d` space (`d <= 12`): the dense Hessian's eigenvectors
//!    (nalgebra), the form through the closed-form dense gradient along Taylor lines
//!    (`crate::model::dense`), gradient of the form exact (jets and polarisation), Hessian
//!    by central differences of that gradient;
//! 2. `E ∩ Fix(Δ(S_{n-k} x S_1^k))`, `k = 2..6` points split off the component's block, at
//!    any `d`: the eigenvectors of the weighted reduced Hessian of the refined partition
//!    with eigenvalue `lambda`, the form as an explicit polynomial (its 3- and 4-tensors on
//!    the subspace from Taylor-in-jet arithmetic on the reduced loss,
//!    `crate::model::reduced::directional_hessian`), in f64 up to `d = 10^4` and MPFR at
//!    `crate::search::newton::auto_prec(d)` beyond.
//!
//! On each sphere: projected gradient descent with Armijo backtracking from seeded random
//! starts (`crate::random`), then Newton on the Lagrange system; and Newton alone from
//! further random starts (it also reaches saddles of the form). Critical points whose
//! tangent gradient falls below `1e-10` of the gradient's scale are kept, distinct up to
//! their value; each gets its Morse index on that sphere and a label (its isotropy: the
//! coarsest partition with equal entries and, among `k <= 6` single points, the
//! stabiliser of the direction when it is not a Young group). A critical point of the form
//! restricted to a fixed space is critical on all of `E` (the form is invariant), but a
//! local minimum there need not be one on `E`. The lowest value found is compared with the
//! best certified axial coefficient; a search can miss directions, so "none lower" is a
//! numerical observation, not a theorem.

use crate::arcs::directions::{ArcDirection, Extreme};
use crate::arcs::full;
use crate::arith::{Interval, Jet2, Mpfr, Scalar, Taylor};
use crate::linalg;
use crate::model::dense;
use crate::model::partition::{Partition, Refinement};
use crate::model::reduced;
use crate::prove::Certificate;
use crate::random::SplitMix64;
use crate::symmetry::components::Kind;
use crate::symmetry::permgroup::{symmetric_elements, Perm, PermGroup};
use rayon::prelude::*;

/// Approximate: the options of a search.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Approximate: random starts of the descent on each sphere.
    pub starts: usize,
    /// Approximate: further random starts of Newton alone (critical points of any index).
    pub newton_starts: usize,
    /// Approximate: the seed of the starts.
    pub seed: u64,
    /// Approximate: the largest number of points split off (at most 6).
    pub max_k: usize,
    /// Approximate: search the full space too (only for `d <= 12`).
    pub full_space: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            starts: 48,
            newton_starts: 48,
            seed: 1,
            max_k: 6,
            full_space: true,
        }
    }
}

/// Exact: the largest `d` whose full space is searched (the dense Hessian is `d^2 x d^2`).
pub const FULL_SPACE_MAX_D: f64 = 12.0;

/// Approximate: one critical direction of the leading form found on a sphere.
#[derive(Clone, Debug)]
pub struct CriticalDirection {
    /// Approximate: the value of the leading form at the unit direction.
    pub value: f64,
    /// Approximate: the number of negative eigenvalues of the form's Hessian on that sphere.
    pub index: usize,
    /// Approximate: the number of its (near-)zero eigenvalues there.
    pub degenerate: usize,
    /// Approximate: how many starts ended at this value.
    pub hits: usize,
    /// Approximate: the isotropy of the direction (see the module contract), or `generic`.
    pub label: String,
    /// Approximate: the tangent gradient's norm at the point, relative to its scale.
    pub residual: f64,
    /// Approximate: the direction in the orthonormal basis of the searched subspace.
    pub coordinates: Vec<f64>,
}

/// Approximate: the search on one sphere.
#[derive(Clone, Debug)]
pub struct SpaceSearch {
    /// Exact: a name of the space, e.g. `E ∩ Fix(S_5 x S_1^2 x S_1)`.
    pub name: String,
    /// Exact: the number of points split off (`None`: the full space).
    pub k: Option<usize>,
    /// Approximate: the dimension of the subspace of `E` searched.
    pub dimension: usize,
    /// Exact: the order of the leading form (3 or 4).
    pub order: u8,
    /// Exact: the number of starts (descent + Newton alone).
    pub starts: usize,
    /// Approximate: the distinct critical directions found, by increasing value.
    pub critical: Vec<CriticalDirection>,
    /// Approximate: the wall-clock seconds the search took.
    pub seconds: f64,
}

impl SpaceSearch {
    /// Approximate: the lowest critical value found.
    pub fn lowest(&self) -> Option<&CriticalDirection> {
        self.critical.first()
    }
}

/// Encloses: the best certified axial direction (rank 1 by its certified coefficient).
#[derive(Clone, Debug)]
pub struct BestAxial {
    /// Encloses: its certified leading coefficient.
    pub coefficient: Interval,
    /// Exact: its order (3 or 4).
    pub order: u8,
    /// Exact: its isotropy and sign, e.g. `[5,1,1,1] ±`.
    pub label: String,
}

/// Approximate: the outcome of [`search`].
#[derive(Clone, Debug)]
pub struct LeadingSearch {
    /// Exact: the component holding the smallest eigenvalue.
    pub kind: Kind,
    /// Approximate: the eigenvalue (the midpoint of its enclosure).
    pub lambda: f64,
    /// Exact: the order of the leading form (3: cubic, 4: effective quartic).
    pub order: u8,
    /// Approximate: the searches, full space first when run.
    pub spaces: Vec<SpaceSearch>,
    /// Why the full space was not searched, when it was not.
    pub full_space_skipped: Option<String>,
    /// The best certified axial direction, if any of the smallest component's was certified.
    pub best_axial: Option<BestAxial>,
    /// Approximate: the lowest value found over all spaces.
    pub lowest: Option<f64>,
    /// Approximate: the tolerance of the comparison (absolute).
    pub tolerance: f64,
    /// Approximate: whether some direction lies lower than the best axial one by more than
    /// the tolerance (`None` without a certified best axial or without any value).
    pub lower_than_axial: Option<bool>,
}

/// Why no search was run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// The smallest eigenvalue is not separated (its eigenspace is not known).
    #[error("the smallest eigenvalue is not certified separated from the others")]
    NotSeparated,
    /// The component does not live on a single block.
    #[error("the smallest eigenvalue's component ({0}) is not on a single block; only std, [n-2,2] and [n-2,1,1] are searched")]
    Component(String),
    /// A numerical step failed.
    #[error("numerical failure: {0}")]
    Numerical(String),
}

// ---------------------------------------------------------------------------------------
// Forms on a sphere and the optimiser.

/// A dense f64 matrix (rows).
type Mat64 = Vec<Vec<f64>>;
/// Eigenpairs off `E`: `lambda_k - lambda` and the unit eigenvector.
type Eigenpairs = Vec<(f64, Vec<f64>)>;

/// Approximate: a homogeneous form on `R^m` (the coordinates of a subspace of `E`).
trait Form: Sync {
    fn dim(&self) -> usize;
    fn value(&self, v: &[f64]) -> Option<f64>;
    fn grad(&self, v: &[f64]) -> Option<(f64, Vec<f64>)>;
    /// The Euclidean Hessian; central differences of the gradient by default.
    fn hess(&self, v: &[f64]) -> Option<Vec<Vec<f64>>> {
        let m = self.dim();
        let h = 1e-4 * norm(v).max(1e-300);
        let mut out = vec![vec![0.0; m]; m];
        for i in 0..m {
            let mut a = v.to_vec();
            let mut b = v.to_vec();
            a[i] += h;
            b[i] -= h;
            let (_, ga) = self.grad(&a)?;
            let (_, gb) = self.grad(&b)?;
            for j in 0..m {
                out[j][i] = (ga[j] - gb[j]) / (2.0 * h);
            }
        }
        for i in 0..m {
            for j in 0..i {
                let s = 0.5 * (out[i][j] + out[j][i]);
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        Some(out)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn normalize(a: &[f64]) -> Vec<f64> {
    let n = norm(a);
    a.iter().map(|x| x / n).collect()
}

fn tangent(v: &[f64], g: &[f64]) -> Vec<f64> {
    let mu = dot(v, g);
    g.iter().zip(v).map(|(a, b)| a - mu * b).collect()
}

fn random_unit(rng: &mut SplitMix64, m: usize) -> Vec<f64> {
    loop {
        let v: Vec<f64> = (0..m).map(|_| rng.normal()).collect();
        if norm(&v) > 1e-3 {
            return normalize(&v);
        }
    }
}

/// A converged critical point on the sphere.
struct Found {
    v: Vec<f64>,
    value: f64,
    residual: f64,
}

/// Approximate: the Riemannian Hessian `P (H - mu) P` on the tangent space at `v`
/// (eigenvalues and eigenvectors; the radial direction is the eigenvector nearest `v`).
fn tangent_hessian(
    form: &dyn Form,
    v: &[f64],
    mu: f64,
) -> Option<(Vec<f64>, Vec<Vec<f64>>, usize)> {
    let m = form.dim();
    let h = form.hess(v)?;
    let p = |i: usize, j: usize| f64::from(u8::from(i == j)) - v[i] * v[j];
    let mut ph = vec![vec![0.0; m]; m];
    for i in 0..m {
        for j in 0..m {
            ph[i][j] = (0..m)
                .map(|k| p(i, k) * (h[k][j] - if k == j { mu } else { 0.0 }))
                .sum();
        }
    }
    let a = nalgebra::DMatrix::from_fn(m, m, |i, j| (0..m).map(|k| ph[i][k] * p(k, j)).sum());
    let eig = a.symmetric_eigen();
    let vals: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    let vecs: Vec<Vec<f64>> = (0..m)
        .map(|k| (0..m).map(|i| eig.eigenvectors[(i, k)]).collect())
        .collect();
    let radial =
        (0..m).max_by(|&x, &y| dot(&vecs[x], v).abs().total_cmp(&dot(&vecs[y], v).abs()))?;
    Some((vals, vecs, radial))
}

/// Approximate: minimisation on the sphere from `v0` by saddle-free Newton steps (the
/// tangent Hessian's eigenvalues taken in absolute value, floored) with Armijo
/// backtracking on the retraction `v -> v / |v|`.
fn descend(form: &dyn Form, v0: &[f64], gscale: f64) -> Option<Vec<f64>> {
    let m = form.dim();
    let mut v = normalize(v0);
    for _ in 0..200 {
        let (f, g) = form.grad(&v)?;
        let mu = dot(&v, &g);
        let rg = tangent(&v, &g);
        let rn = norm(&rg);
        if rn <= 1e-8 * gscale {
            break;
        }
        let (vals, vecs, radial) = tangent_hessian(form, &v, mu)?;
        let floor = 1e-3 * vals.iter().fold(0.0f64, |a, x| a.max(x.abs())).max(1e-300);
        let mut step = vec![0.0; m];
        for k in (0..m).filter(|&k| k != radial) {
            let c = dot(&vecs[k], &rg) / vals[k].abs().max(floor);
            for i in 0..m {
                step[i] -= c * vecs[k][i];
            }
        }
        let slope = dot(&step, &rg);
        if slope >= 0.0 {
            break;
        }
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let w: Vec<f64> = (0..m).map(|i| v[i] + t * step[i]).collect();
            let w = normalize(&w);
            if form.value(&w)? <= f + 1e-4 * t * slope {
                v = w;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    Some(v)
}

/// Approximate: Newton on `grad F(v) - mu v = 0, |v|^2 = 1`, damped by the tangent
/// gradient's norm; `Some` only when that norm falls below `1e-10 gscale`.
fn newton(form: &dyn Form, v0: &[f64], gscale: f64) -> Option<Found> {
    let m = form.dim();
    let mut v = normalize(v0);
    let (_, g) = form.grad(&v)?;
    let mut rg = tangent(&v, &g);
    for _ in 0..40 {
        let rn = norm(&rg);
        if rn <= 1e-10 * gscale {
            return Some(Found {
                value: form.value(&v)?,
                residual: rn / gscale,
                v,
            });
        }
        let (_, g) = form.grad(&v)?;
        let mu = dot(&v, &g);
        let h = form.hess(&v)?;
        let mut jac = vec![vec![0.0; m + 1]; m + 1];
        for i in 0..m {
            for j in 0..m {
                jac[i][j] = h[i][j];
            }
            jac[i][i] -= mu;
            jac[i][m] = -v[i];
            jac[m][i] = v[i];
        }
        let mut rhs: Vec<f64> = rg.clone();
        rhs.push(0.0);
        let step = linalg::solve(&jac, &rhs).ok()?;
        let mut s = 1.0;
        let mut improved = false;
        for _ in 0..20 {
            let w: Vec<f64> = (0..m).map(|i| v[i] - s * step[i]).collect();
            let w = normalize(&w);
            let (_, gw) = form.grad(&w)?;
            let rw = tangent(&w, &gw);
            if norm(&rw) < rn {
                v = w;
                rg = rw;
                improved = true;
                break;
            }
            s *= 0.5;
        }
        if !improved {
            return None;
        }
    }
    None
}

/// Approximate: the Morse index and the number of near-zero eigenvalues of the form on the
/// sphere at a critical point.
fn morse(form: &dyn Form, v: &[f64]) -> Option<(usize, usize)> {
    let m = form.dim();
    if m <= 1 {
        return Some((0, 0));
    }
    let (_, g) = form.grad(v)?;
    let mu = dot(v, &g);
    let (vals, _, radial) = tangent_hessian(form, v, mu)?;
    let scale = vals
        .iter()
        .fold(mu.abs(), |a, x| a.max(x.abs()))
        .max(1e-300);
    let (mut neg, mut zero) = (0, 0);
    for k in (0..m).filter(|&k| k != radial) {
        let e = vals[k];
        if e.abs() <= 1e-7 * scale {
            zero += 1;
        } else if e < 0.0 {
            neg += 1;
        }
    }
    Some((neg, zero))
}

/// Approximate: the critical directions found from random starts (module contract).
fn explore(
    form: &dyn Form,
    opts: &SearchOptions,
    salt: u64,
    label: &(dyn Fn(&[f64]) -> String + Sync),
) -> Vec<CriticalDirection> {
    let m = form.dim();
    if m == 0 {
        return Vec::new();
    }
    // The gradient's scale: its largest norm at a few random unit vectors.
    let mut rng = SplitMix64::new(opts.seed ^ salt.wrapping_mul(0x9e37_79b9));
    let gscale = (0..8)
        .filter_map(|_| form.grad(&random_unit(&mut rng, m)).map(|(_, g)| norm(&g)))
        .fold(0.0f64, f64::max)
        .max(1e-300);
    let total = opts.starts + opts.newton_starts;
    let found: Vec<Found> = (0..total)
        .into_par_iter()
        .filter_map(|s| {
            let mut rng = SplitMix64::new(
                opts.seed
                    .wrapping_add(salt.wrapping_mul(1_000_003))
                    .wrapping_add(s as u64 * 7919),
            );
            let v0 = random_unit(&mut rng, m);
            let v = if s < opts.starts {
                descend(form, &v0, gscale)?
            } else {
                v0
            };
            newton(form, &v, gscale)
        })
        .collect();
    let mut found = found;
    found.sort_by(|a, b| a.value.total_cmp(&b.value));
    let fscale = found
        .iter()
        .map(|f| f.value.abs())
        .fold(0.0f64, f64::max)
        .max(1e-300);
    let mut out: Vec<CriticalDirection> = Vec::new();
    for f in found {
        if let Some(last) = out.last_mut() {
            if (f.value - last.value).abs() <= 1e-9 * fscale {
                last.hits += 1;
                continue;
            }
        }
        let (index, degenerate) = morse(form, &f.v).unwrap_or((usize::MAX, 0));
        out.push(CriticalDirection {
            value: f.value,
            index,
            degenerate,
            hits: 1,
            label: label(&f.v),
            residual: f.residual,
            coordinates: f.v,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// The full space (dense).

/// Approximate: the leading form on `E` in the full `d x d` space (module contract, 1).
struct DenseForm {
    d: usize,
    center: Vec<f64>,
    /// Orthonormal basis of `E` (flattened matrices).
    basis: Vec<Vec<f64>>,
    /// The other eigenpairs: `lambda_k - lambda` and the unit eigenvector.
    others: Vec<(f64, Vec<f64>)>,
    order: u8,
}

impl DenseForm {
    /// `D^3 L[x,x,.]` and `D^4 L[x,x,x,.]` (flattened), from the dense gradient along `c + t x`.
    fn jets(&self, x: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
        let d = self.d;
        let line: Vec<Vec<Taylor<f64>>> = (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| Taylor::line(self.center[i * d + j], x[i * d + j]))
                    .collect()
            })
            .collect();
        let g = dense::gradient(&line).ok()?;
        let flat: Vec<&Taylor<f64>> = g.iter().flatten().collect();
        Some((
            flat.iter().map(|t| 2.0 * t.c[2]).collect(),
            flat.iter().map(|t| 6.0 * t.c[3]).collect(),
        ))
    }
    fn ambient(&self, v: &[f64]) -> Vec<f64> {
        let n = self.center.len();
        let mut u = vec![0.0; n];
        for (b, vi) in self.basis.iter().zip(v) {
            for (a, bj) in u.iter_mut().zip(b) {
                *a += vi * bj;
            }
        }
        u
    }
    fn coupling(&self, t2: &[f64]) -> (f64, Vec<f64>) {
        let n = self.center.len();
        let mut gpg = 0.0;
        let mut z = vec![0.0; n];
        for (delta, e) in &self.others {
            let y = dot(e, t2);
            gpg += y * y / delta;
            for (zi, ei) in z.iter_mut().zip(e) {
                *zi += y / delta * ei;
            }
        }
        (gpg, z)
    }
    fn restrict(&self, w: &[f64]) -> Vec<f64> {
        self.basis.iter().map(|b| dot(b, w)).collect()
    }
}

impl Form for DenseForm {
    fn dim(&self) -> usize {
        self.basis.len()
    }
    fn value(&self, v: &[f64]) -> Option<f64> {
        let u = self.ambient(v);
        let (t2, t3) = self.jets(&u)?;
        Some(if self.order == 3 {
            dot(&u, &t2)
        } else {
            dot(&u, &t3) / 24.0 - self.coupling(&t2).0 / 8.0
        })
    }
    fn grad(&self, v: &[f64]) -> Option<(f64, Vec<f64>)> {
        let u = self.ambient(v);
        let (t2, t3) = self.jets(&u)?;
        if self.order == 3 {
            let g: Vec<f64> = t2.iter().map(|x| 3.0 * x).collect();
            return Some((dot(&u, &t2), self.restrict(&g)));
        }
        let (gpg, z) = self.coupling(&t2);
        let value = dot(&u, &t3) / 24.0 - gpg / 8.0;
        // D^3 L[u, z, .] = (t2(u + s z) - t2(u - s z)) / (4 s), exact for a bilinear t2.
        let zn = norm(&z);
        let mixed = if zn > 0.0 {
            let s = norm(&u) / zn;
            let a: Vec<f64> = u.iter().zip(&z).map(|(x, y)| x + s * y).collect();
            let b: Vec<f64> = u.iter().zip(&z).map(|(x, y)| x - s * y).collect();
            let (ta, _) = self.jets(&a)?;
            let (tb, _) = self.jets(&b)?;
            ta.iter()
                .zip(&tb)
                .map(|(p, q)| (p - q) / (4.0 * s))
                .collect()
        } else {
            vec![0.0; u.len()]
        };
        let g: Vec<f64> = t3
            .iter()
            .zip(&mixed)
            .map(|(a, b)| a / 6.0 - 0.5 * b)
            .collect();
        Some((value, self.restrict(&g)))
    }
}

/// Approximate: the eigenspace split of a symmetric matrix: `(E basis, others)` with
/// eigenvalues within `1e-8 (1 + |lambda|)` of `lambda` in `E`, and the mean of those.
fn split_spectrum(
    vals: &[f64],
    vec_of: &dyn Fn(usize) -> Vec<f64>,
    lambda: f64,
) -> (Mat64, Eigenpairs, f64) {
    let tol = 1e-8 * (1.0 + lambda.abs());
    let inside: Vec<usize> = (0..vals.len())
        .filter(|&k| (vals[k] - lambda).abs() < tol)
        .collect();
    let mean = if inside.is_empty() {
        lambda
    } else {
        inside.iter().map(|&k| vals[k]).sum::<f64>() / inside.len() as f64
    };
    let basis = inside.iter().map(|&k| vec_of(k)).collect();
    let others = (0..vals.len())
        .filter(|k| !inside.contains(k))
        .map(|k| (vals[k] - mean, vec_of(k)))
        .collect();
    (basis, others, mean)
}

/// Approximate: the dense form on `E` at the certificate's centre, with the order decided
/// from random vectors of `E` (`order = None`) or given.
fn dense_form(
    cert: &Certificate,
    lambda: f64,
    order: Option<u8>,
) -> Result<DenseForm, SearchError> {
    let d = cert.partition.d() as usize;
    let center = full::center_full(cert);
    let w: Vec<Vec<f64>> = center.chunks(d).map(|r| r.to_vec()).collect();
    let h = dense::hessian(&w).map_err(|_| SearchError::Numerical("dense Hessian".into()))?;
    let n = d * d;
    let hm = nalgebra::DMatrix::from_fn(n, n, |i, j| 0.5 * (h[i][j] + h[j][i]));
    let eig = hm.symmetric_eigen();
    let vals: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    let vec_of = |k: usize| {
        (0..n)
            .map(|i| eig.eigenvectors[(i, k)])
            .collect::<Vec<f64>>()
    };
    let (basis, others, _) = split_spectrum(&vals, &vec_of, lambda);
    let mut form = DenseForm {
        d,
        center,
        basis,
        others,
        order: 3,
    };
    form.order = match order {
        Some(o) => o,
        None => {
            let mut rng = SplitMix64::new(17);
            let m = form.dim();
            let (mut c3, mut c4) = (0.0f64, 0.0f64);
            for _ in 0..8 {
                let u = form.ambient(&random_unit(&mut rng, m));
                let (t2, t3) = form
                    .jets(&u)
                    .ok_or_else(|| SearchError::Numerical("dense jets".into()))?;
                c3 = c3.max(dot(&u, &t2).abs());
                c4 = c4.max(dot(&u, &t3).abs());
            }
            if c3 <= CUBIC_ZERO * (1.0 + c4) {
                4
            } else {
                3
            }
        }
    };
    Ok(form)
}

/// Approximate: `(c1, c2)` of the dense Hessian along `c + t w` (`H(c + t w) = H + t c1 +
/// t^2 c2 + ...`), flattened `n x n`.
fn dense_hessian_line(form: &DenseForm, w: &[f64]) -> Option<(Mat64, Mat64)> {
    let d = form.d;
    let line: Vec<Vec<Taylor<f64>>> = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| Taylor::line(form.center[i * d + j], w[i * d + j]))
                .collect()
        })
        .collect();
    let h = dense::hessian(&line).ok()?;
    let n = d * d;
    let sym = |k: usize| -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| 0.5 * (h[i][j].c[k] + h[j][i].c[k]))
                    .collect()
            })
            .collect()
    };
    Some((sym(1), sym(2)))
}

/// Approximate: `X b` for each basis vector `b` (columns), and `b_k^T X b_l`.
fn contract(x: &[Vec<f64>], basis: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let xb: Vec<Vec<f64>> = basis
        .iter()
        .map(|b| x.iter().map(|row| dot(row, b)).collect())
        .collect();
    let bxb = basis
        .iter()
        .map(|bk| xb.iter().map(|xbl| dot(bk, xbl)).collect())
        .collect();
    (xb, bxb)
}

/// Approximate: the dense form on `E` as an explicit polynomial (its tensors from the dense
/// Hessian along Taylor lines `c + t b_i`, `c + t (b_i + b_j)`).
fn dense_poly(form: &DenseForm) -> Result<PolyForm, SearchError> {
    let num = |w: &str| SearchError::Numerical(w.to_string());
    let m = form.dim();
    let basis = &form.basis;
    let singles: Vec<Option<(Mat64, Mat64, Mat64)>> = basis
        .par_iter()
        .map(|b| {
            let (c1, c2) = dense_hessian_line(form, b)?;
            let (xb, bxb) = contract(&c1, basis);
            let (_, s2) = contract(&c2, basis);
            Some((xb, bxb, s2))
        })
        .collect();
    let singles: Vec<_> = singles
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| num("dense jets"))?;
    let cubic: Vec<Vec<Vec<f64>>> = singles.iter().map(|x| x.1.clone()).collect();
    let mut fourth = Vec::new();
    let mut coupling = Vec::new();
    if form.order == 4 {
        let offdiag: Vec<(usize, usize)> = pairs(m).into_iter().filter(|(i, j)| i < j).collect();
        let mixed: Vec<Option<Vec<Vec<f64>>>> = offdiag
            .par_iter()
            .map(|&(i, j)| {
                let w: Vec<f64> = basis[i].iter().zip(&basis[j]).map(|(a, b)| a + b).collect();
                let (_, c2) = dense_hessian_line(form, &w)?;
                Some(contract(&c2, basis).1)
            })
            .collect();
        let mut a4 = vec![vec![Vec::new(); m]; m];
        for i in 0..m {
            a4[i][i] = singles[i]
                .2
                .iter()
                .map(|r| r.iter().map(|x| 2.0 * x).collect::<Vec<f64>>())
                .collect::<Vec<_>>();
        }
        for (&(i, j), x) in offdiag.iter().zip(mixed) {
            let x = x.ok_or_else(|| num("dense jets"))?;
            let a: Vec<Vec<f64>> = (0..m)
                .map(|k| {
                    (0..m)
                        .map(|l| x[k][l] - singles[i].2[k][l] - singles[j].2[k][l])
                        .collect()
                })
                .collect();
            a4[i][j] = a.clone();
            a4[j][i] = a;
        }
        fourth = pair_form(m, &|i, j, k, l| a4[i][j][k][l]);
        // Y_k[i][j] = e_k . (D^3 L[b_i, ., .] b_j).
        coupling = form
            .others
            .iter()
            .map(|(delta, e)| {
                let y: Vec<Vec<f64>> = (0..m)
                    .map(|i| (0..m).map(|j| dot(e, &singles[i].0[j])).collect())
                    .collect();
                (*delta, y)
            })
            .collect();
    }
    Ok(PolyForm {
        m,
        order: form.order,
        cubic,
        fourth,
        coupling,
    })
}

/// Approximate: the cubic counts as identically zero on a subspace when its largest value
/// (or coefficient) there is below this, relative to `1 + |D^4|`.
const CUBIC_ZERO: f64 = 1e-8;

/// Approximate: the isotropy label of a full-space direction: the classes of indices that
/// transpositions inside a block leave fixed, and among at most 6 points outside the
/// largest class of a block the stabiliser when it is not a Young group.
fn dense_label(part: &Partition, u: &[f64]) -> String {
    let d = part.d() as usize;
    let scale = u.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    let tol = 1e-7 * scale;
    let fixed_by = |perm: &[usize]| -> bool {
        (0..d).all(|i| (0..d).all(|j| (u[perm[i] * d + perm[j]] - u[i * d + j]).abs() <= tol))
    };
    let negated_by = |perm: &[usize]| -> bool {
        (0..d).all(|i| (0..d).all(|j| (u[perm[i] * d + perm[j]] + u[i * d + j]).abs() <= tol))
    };
    let Some(block_of) = part.block_of_index() else {
        return "generic".into();
    };
    // Union-find over transpositions inside blocks.
    let mut class: Vec<usize> = (0..d).collect();
    for i in 0..d {
        for j in (i + 1)..d {
            if block_of[i] != block_of[j] || class[j] != j {
                continue;
            }
            let mut perm: Vec<usize> = (0..d).collect();
            perm.swap(i, j);
            if fixed_by(&perm) {
                class[j] = class[i];
            }
        }
    }
    let mut sizes: Vec<(usize, usize)> = Vec::new(); // (block, size)
    let mut extra = Vec::new();
    let mut mirror = false;
    for b in 0..part.r() {
        let mut reps: Vec<(usize, usize)> = Vec::new();
        for i in (0..d).filter(|&i| block_of[i] == b) {
            match reps.iter_mut().find(|(r, _)| *r == class[i]) {
                Some(x) => x.1 += 1,
                None => reps.push((class[i], 1)),
            }
        }
        reps.sort_by_key(|x| std::cmp::Reverse(x.1));
        sizes.extend(reps.iter().map(|&(_, s)| (b, s)));
        let big = reps.first().map_or(usize::MAX, |x| x.0);
        let rest: Vec<usize> = (0..d)
            .filter(|&i| block_of[i] == b && class[i] != big)
            .collect();
        if rest.len() >= 2 && rest.len() <= 6 {
            let k = rest.len();
            let mut stab = Vec::new();
            for g in symmetric_elements(k) {
                let mut perm: Vec<usize> = (0..d).collect();
                for (x, &i) in rest.iter().enumerate() {
                    perm[i] = rest[g.image(x)];
                }
                if fixed_by(&perm) {
                    stab.push(g);
                } else if negated_by(&perm) {
                    mirror = true;
                }
            }
            let h = PermGroup::generate(k, &stab);
            if !h.is_young() {
                extra.push(h.name());
            }
        }
    }
    let mut label = format!(
        "[{}]",
        sizes
            .iter()
            .map(|x| x.1.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    for e in extra {
        label += &format!(" x {e}");
    }
    if mirror {
        label += " (mirror pair)";
    }
    label
}

// ---------------------------------------------------------------------------------------
// Young fixed spaces (reduced coordinates).

/// Approximate: the leading form on a subspace of `E` as an explicit polynomial in the
/// coordinates of an orthonormal basis `b_i` of that subspace (module contract).
struct PolyForm {
    m: usize,
    order: u8,
    /// `C[i][j][k] = D^3 L[b_i, b_j, b_k]`.
    cubic: Vec<Vec<Vec<f64>>>,
    /// `D^4 L[b_i, b_j, b_k, b_l]` in pair form: row `p = (i <= j)` times its multiplicity
    /// (1 or 2), column `q = (k <= l)` (order 4 only).
    fourth: Vec<Vec<f64>>,
    /// For each other eigenpair: `lambda_k - lambda` and `Y_k[i][j] = D^3 L[b_i, b_j, e_k]`.
    coupling: Vec<(f64, Vec<Vec<f64>>)>,
}

/// Exact: the pairs `(i, j)`, `i <= j < m`, in order.
fn pairs(m: usize) -> Vec<(usize, usize)> {
    (0..m).flat_map(|i| (i..m).map(move |j| (i, j))).collect()
}

/// Approximate: the pair form of a symmetric 4-tensor given entrywise.
fn pair_form(m: usize, a: &dyn Fn(usize, usize, usize, usize) -> f64) -> Vec<Vec<f64>> {
    let ps = pairs(m);
    ps.iter()
        .map(|&(i, j)| {
            let w = if i == j { 1.0 } else { 2.0 };
            ps.iter().map(|&(k, l)| w * a(i, j, k, l)).collect()
        })
        .collect()
}

fn quad(y: &[Vec<f64>], v: &[f64]) -> (f64, Vec<f64>) {
    let yv: Vec<f64> = y.iter().map(|r| dot(r, v)).collect();
    (dot(&yv, v), yv)
}

impl PolyForm {
    /// `W[k][l] = sum_ij D^4 L[b_i, b_j, b_k, b_l] v_i v_j`.
    fn w(&self, v: &[f64]) -> Vec<Vec<f64>> {
        let m = self.m;
        let ps = pairs(m);
        let mut wq = vec![0.0; ps.len()];
        for (p, &(i, j)) in ps.iter().enumerate() {
            let s = v[i] * v[j];
            if s == 0.0 {
                continue;
            }
            for (acc, a) in wq.iter_mut().zip(&self.fourth[p]) {
                *acc += a * s;
            }
        }
        let mut w = vec![vec![0.0; m]; m];
        for (q, &(k, l)) in ps.iter().enumerate() {
            w[k][l] = wq[q];
            w[l][k] = wq[q];
        }
        w
    }
    /// `C[v, ., .]`.
    fn cv(&self, v: &[f64]) -> Vec<Vec<f64>> {
        let m = self.m;
        let mut out = vec![vec![0.0; m]; m];
        for i in 0..m {
            for j in 0..m {
                for k in 0..m {
                    out[j][k] += self.cubic[i][j][k] * v[i];
                }
            }
        }
        out
    }
}

impl Form for PolyForm {
    fn dim(&self) -> usize {
        self.m
    }
    fn value(&self, v: &[f64]) -> Option<f64> {
        self.grad(v).map(|x| x.0)
    }
    fn grad(&self, v: &[f64]) -> Option<(f64, Vec<f64>)> {
        let m = self.m;
        if self.order == 3 {
            let c = self.cv(v);
            let cvv: Vec<f64> = c.iter().map(|r| dot(r, v)).collect();
            return Some((dot(&cvv, v), cvv.iter().map(|x| 3.0 * x).collect()));
        }
        let w = self.w(v);
        let wv: Vec<f64> = w.iter().map(|r| dot(r, v)).collect();
        let mut value = dot(&wv, v) / 24.0;
        let mut g: Vec<f64> = wv.iter().map(|x| x / 6.0).collect();
        for (delta, y) in &self.coupling {
            let (s, yv) = quad(y, v);
            value -= s * s / (8.0 * delta);
            for i in 0..m {
                g[i] -= 0.5 * s * yv[i] / delta;
            }
        }
        Some((value, g))
    }
    fn hess(&self, v: &[f64]) -> Option<Vec<Vec<f64>>> {
        let m = self.m;
        if self.order == 3 {
            let c = self.cv(v);
            return Some(
                c.iter()
                    .map(|r| r.iter().map(|x| 6.0 * x).collect())
                    .collect(),
            );
        }
        let mut h: Vec<Vec<f64>> = self
            .w(v)
            .iter()
            .map(|r| r.iter().map(|x| x / 2.0).collect())
            .collect();
        for (delta, y) in &self.coupling {
            let (s, yv) = quad(y, v);
            for i in 0..m {
                for j in 0..m {
                    h[i][j] -= 0.5 * (2.0 * yv[i] * yv[j] + s * y[i][j]) / delta;
                }
            }
        }
        Some(h)
    }
}

/// Approximate: `E ∩ Fix(ΔY)` of a refined partition and the leading form on it.
struct FixedSpace {
    fine: Partition,
    /// The centre in the fine reduced coordinates (f64, for labels).
    center: Vec<f64>,
    /// The basis in reduced coordinates `theta` (unit in the weighted metric).
    basis_theta: Vec<Vec<f64>>,
    form: PolyForm,
}

/// Approximate: the Taylor coefficients `c1`, `c2` of `h_jk(t) = D^2 L(c + t w)[b_j, b_k]`.
fn line_hessian<S: Scalar>(
    fine: &Partition,
    c: &[S],
    w: &[S],
    dirs: &[Vec<Taylor<S>>],
) -> Option<(Mat64, Mat64)> {
    let theta: Vec<Taylor<S>> = c
        .iter()
        .zip(w)
        .map(|(a, b)| Taylor::line(a.clone(), b.clone()))
        .collect();
    let jet: Jet2<Taylor<S>> = reduced::directional_hessian(fine, &theta, dirs).ok()?;
    let m = dirs.len();
    let mut c1 = vec![vec![0.0; m]; m];
    let mut c2 = vec![vec![0.0; m]; m];
    for j in 0..m {
        for k in 0..m {
            let t = jet.hess(j, k);
            c1[j][k] = t.c[1].approx_f64();
            c2[j][k] = t.c[2].approx_f64();
        }
    }
    Some((c1, c2))
}

/// Approximate: the fixed space of `refinement` intersected with `E`, and the leading form
/// of order `order` on it (`None` for the order: the cubic's tensor only, to decide it).
fn fixed_space<S: Scalar + Send + Sync>(
    refinement: &Refinement,
    theta_c: &[S],
    lambda: f64,
    order: u8,
) -> Result<FixedSpace, SearchError> {
    let num = |w: &str| SearchError::Numerical(w.to_string());
    let fine = refinement.fine.clone();
    let c = refinement.embed(theta_c);
    let like = c[0].clone();
    let n = fine.dim();
    let jet = reduced::gradient_hessian(&fine, &c).map_err(|_| num("reduced Hessian"))?;
    let sq: Vec<S> = fine
        .weights(&like)
        .into_iter()
        .map(|x| x.try_sqrt())
        .collect::<Result<_, _>>()
        .map_err(|_| num("weights"))?;
    let mat: Vec<Vec<S>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| jet.hess(i, j).try_div(sq[i].clone() * sq[j].clone()))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()
        .map_err(|_| num("weighted Hessian"))?;
    // f64: nalgebra (Jacobi's rotation angle overflows on denormal entries); MPFR: Jacobi.
    let (vals, vecs) = if like.prec() <= 53 {
        let a = nalgebra::DMatrix::from_fn(n, n, |i, j| mat[i][j].approx_f64());
        let eig = a.symmetric_eigen();
        let vals: Vec<S> = eig.eigenvalues.iter().map(|x| like.cst(*x)).collect();
        let vecs: Vec<Vec<S>> = (0..n)
            .map(|i| (0..n).map(|k| like.cst(eig.eigenvectors[(i, k)])).collect())
            .collect();
        (vals, vecs)
    } else {
        linalg::jacobi_eigen(&mat).map_err(|_| num("eigenvalues"))?
    };
    let valf: Vec<f64> = vals.iter().map(Scalar::approx_f64).collect();
    let tol = 1e-8 * (1.0 + lambda.abs());
    let inside: Vec<usize> = (0..n).filter(|&k| (valf[k] - lambda).abs() < tol).collect();
    let mean: f64 = if inside.is_empty() {
        lambda
    } else {
        inside.iter().map(|&k| valf[k]).sum::<f64>() / inside.len() as f64
    };
    // Directions in theta = N^{-1/2} x, in S.
    let theta_dir = |k: usize| -> Result<Vec<S>, SearchError> {
        (0..n)
            .map(|i| vecs[i][k].clone().try_div(sq[i].clone()))
            .collect::<Result<_, _>>()
            .map_err(|_| num("weights"))
    };
    let basis: Vec<Vec<S>> = inside
        .iter()
        .map(|&k| theta_dir(k))
        .collect::<Result<_, _>>()?;
    let m = basis.len();
    let dirs: Vec<Vec<Taylor<S>>> = basis
        .iter()
        .map(|b| b.iter().map(|x| Taylor::constant(x.clone())).collect())
        .collect();
    let mut cubic = vec![vec![vec![0.0; m]; m]; m];
    let mut c2_single: Vec<Vec<Vec<f64>>> = Vec::with_capacity(m);
    for i in 0..m {
        let (c1, c2) = line_hessian(&fine, &c, &basis[i], &dirs).ok_or_else(|| num("jets"))?;
        cubic[i] = c1;
        c2_single.push(c2);
    }
    let mut fourth = Vec::new();
    let mut coupling = Vec::new();
    if order == 4 {
        // A_iikl = 2 c2^{(i)}_kl; A_ijkl = c2^{(i+j)}_kl - c2^{(i)}_kl - c2^{(j)}_kl.
        let offdiag: Vec<(usize, usize)> = pairs(m).into_iter().filter(|(i, j)| i < j).collect();
        let mixed: Vec<Option<Vec<Vec<f64>>>> = offdiag
            .par_iter()
            .map(|&(i, j)| {
                let w: Vec<S> = basis[i]
                    .iter()
                    .zip(&basis[j])
                    .map(|(a, b)| a.clone() + b.clone())
                    .collect();
                line_hessian(&fine, &c, &w, &dirs).map(|x| x.1)
            })
            .collect();
        let mut a4 = vec![vec![Vec::new(); m]; m];
        for i in 0..m {
            a4[i][i] = c2_single[i]
                .iter()
                .map(|r| r.iter().map(|x| 2.0 * x).collect::<Vec<f64>>())
                .collect::<Vec<_>>();
        }
        for (&(i, j), x) in offdiag.iter().zip(mixed) {
            let x = x.ok_or_else(|| num("jets"))?;
            let a: Vec<Vec<f64>> = (0..m)
                .map(|k| {
                    (0..m)
                        .map(|l| x[k][l] - c2_single[i][k][l] - c2_single[j][k][l])
                        .collect()
                })
                .collect();
            a4[i][j] = a.clone();
            a4[j][i] = a;
        }
        fourth = pair_form(m, &|i, j, k, l| a4[i][j][k][l]);
        let others: Vec<usize> = (0..n).filter(|k| !inside.contains(k)).collect();
        let ys: Vec<Option<(f64, Vec<Vec<f64>>)>> = others
            .par_iter()
            .map(|&k| {
                let e = theta_dir(k).ok()?;
                let (c1, _) = line_hessian(&fine, &c, &e, &dirs)?;
                Some((valf[k] - mean, c1))
            })
            .collect();
        coupling = ys
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| num("jets"))?;
    }
    Ok(FixedSpace {
        center: c.iter().map(Scalar::approx_f64).collect(),
        basis_theta: basis
            .iter()
            .map(|b| b.iter().map(Scalar::approx_f64).collect())
            .collect(),
        fine,
        form: PolyForm {
            m,
            order,
            cubic,
            fourth,
            coupling,
        },
    })
}

impl FixedSpace {
    fn theta(&self, v: &[f64]) -> Vec<f64> {
        let n = self.center.len();
        let mut u = vec![0.0; n];
        for (b, vi) in self.basis_theta.iter().zip(v) {
            for (a, bj) in u.iter_mut().zip(b) {
                *a += vi * bj;
            }
        }
        u
    }

    /// Approximate: the isotropy label of a direction (module contract): the coarsest
    /// partition of `c + s u`, and the stabiliser of `u` among the `k` split-off points
    /// when it is not a Young group.
    fn label(&self, r: usize, k: usize, v: &[f64]) -> String {
        let u = self.theta(v);
        let scale = u.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
        let cscale = self.center.iter().fold(1.0f64, |m, x| m.max(x.abs()));
        let s = 1e-2 * cscale / scale;
        let p: Vec<f64> = self.center.iter().zip(&u).map(|(a, b)| a + s * b).collect();
        let (coarse, _) = Refinement::coarsest(&self.fine, &p, 1e-7);
        let mut label = format!("[{}]", coarse.coarse.label());
        let act = |g: &Perm, sign: f64| -> bool {
            use crate::model::partition::Param;
            let blocks: Vec<usize> = (0..self.fine.r())
                .map(|b| if b >= r { r + g.image(b - r) } else { b })
                .collect();
            self.fine.params().iter().enumerate().all(|(p, &param)| {
                let image = match param {
                    Param::D(a) => Param::D(blocks[a]),
                    Param::O(a) => Param::O(blocks[a]),
                    Param::X(a, b) => Param::X(blocks[a], blocks[b]),
                };
                let q = self
                    .fine
                    .index(image)
                    .expect("parameters map to parameters");
                (u[q] - sign * u[p]).abs() <= 1e-7 * scale
            })
        };
        let elements = symmetric_elements(k);
        let stab: Vec<Perm> = elements.iter().filter(|g| act(g, 1.0)).cloned().collect();
        let h = PermGroup::generate(k, &stab);
        if !h.is_young() {
            label += &format!(" x {}", h.name());
        }
        if elements.iter().any(|g| act(g, -1.0)) {
            label += " (mirror pair)";
        }
        label
    }
}

// ---------------------------------------------------------------------------------------
// The search.

/// Encloses (given the certificates): the best certified axial direction among `dirs` of the
/// smallest eigenvalue (component `kind`, eigenvalue index 0) whose certified leading term
/// has order `order`: the one with the smallest upper bound.
fn best_axial(dirs: &[ArcDirection], order: u8) -> Option<BestAxial> {
    dirs.iter()
        .filter(|d| d.extreme == Extreme::Smallest)
        .filter_map(|d| {
            let c = d.certified_leading.as_ref().ok()?;
            (c.order == order).then_some((d, c))
        })
        .min_by(|a, b| a.1.coefficient.hi().total_cmp(b.1.coefficient.hi()))
        .map(|(d, c)| BestAxial {
            coefficient: c.coefficient.clone(),
            order,
            label: format!(
                "{} {}",
                d.isotropy_label(),
                if d.mirror_pair { "±" } else { d.sign.symbol() }
            ),
        })
}

/// Approximate: the fixed-space coordinates of an arc direction's `u` (reduced coordinates
/// of `dir.space.fine`, a refinement `(n - j, 1, ..., 1)` or coarser of the critical
/// point's partition on block `a`) in the fixed space of the split `(n - k, 1^k)`, `k >= j`
/// singletons: `None` when the direction does not lie in that space's layout.
pub fn axial_in_fixed_space(
    cert: &Certificate,
    dir: &ArcDirection,
    k: usize,
) -> Option<(Partition, Vec<f64>)> {
    let part = &cert.partition;
    let a = *dir.axis.kind.blocks().first()?;
    let n = part.int_size(a)? as usize;
    let target = Refinement::split(part, a, &split_parts(n, k)?)?;
    // Split the remaining big part of the direction's partition and every non-singleton
    // part into singletons, block by block, until the layout is (n - k, 1^k).
    let mut fine = dir.space.fine.clone();
    let mut u: Vec<f64> = dir.u.iter().map(Scalar::approx_f64).collect();
    let r = part.r();
    let sizes: Vec<f64> = fine.sizes().to_vec();
    let used: usize = sizes[r..].iter().map(|&x| x as usize).sum();
    if used > k {
        return None;
    }
    // First the big part: n_a' -> (n - k, 1^{k - used}); then the other parts of size > 1.
    let big = sizes[a] as usize;
    let extra = k - used;
    if big < n - k {
        return None;
    }
    let mut parts = vec![(big - extra) as f64];
    parts.extend(std::iter::repeat_n(1.0, extra));
    if extra > 0 {
        let rf = Refinement::split(&fine, a, &parts)?;
        u = rf.embed(&u);
        fine = rf.fine;
    }
    while let Some(b) = (r..fine.r()).find(|&b| fine.sizes()[b] > 1.0) {
        let s = fine.sizes()[b] as usize;
        let rf = Refinement::split(&fine, b, &vec![1.0; s])?;
        u = rf.embed(&u);
        fine = rf.fine;
    }
    (fine.sizes() == target.fine.sizes()).then_some((fine, u))
}

fn split_parts(n: usize, k: usize) -> Option<Vec<f64>> {
    if k == 0 || k >= n {
        return None;
    }
    let mut parts = vec![(n - k) as f64];
    parts.extend(std::iter::repeat_n(1.0, k));
    Some(parts)
}

/// Approximate: the value of the leading form of order `order` at a direction `u` of the
/// fixed space of `fine` (reduced coordinates, unit in the weighted metric), computed from
/// the fixed space's polynomial: its coordinates in the orthonormal basis of
/// `E ∩ Fix` (the projection; `u` should lie in it).
pub fn fixed_space_value(cert: &Certificate, k: usize, u_theta: &[f64], order: u8) -> Option<f64> {
    let (lambda, a, n) = component_data(cert).ok()?;
    let refinement = Refinement::split(&cert.partition, a, &split_parts(n, k)?)?;
    let theta_c: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    let fs = fixed_space(&refinement, &theta_c, lambda, order).ok()?;
    let w = fs.fine.weights(&0.0f64);
    let v: Vec<f64> = fs
        .basis_theta
        .iter()
        .map(|b| (0..b.len()).map(|p| w[p] * b[p] * u_theta[p]).sum())
        .collect();
    fs.form.value(&v)
}

/// Approximate: the dense form's value at a full-space direction `u` (flattened, unit
/// Frobenius; its projection on `E` is used), order `order`.
pub fn full_space_value(cert: &Certificate, u: &[f64], order: u8) -> Option<f64> {
    let (lambda, _, _) = component_data(cert).ok()?;
    let f = dense_form(cert, lambda, Some(order)).ok()?;
    let v = f.restrict(u);
    f.value(&v)
}

/// Approximate: a random unit vector of `E ∩ Fix(S_{n-k} x S_1^k)` as reduced coordinates
/// of the split partition (seeded), for cross-checks.
pub fn random_fixed_space_direction(
    cert: &Certificate,
    k: usize,
    seed: u64,
) -> Option<(Refinement, Vec<f64>)> {
    let (lambda, a, n) = component_data(cert).ok()?;
    let refinement = Refinement::split(&cert.partition, a, &split_parts(n, k)?)?;
    let theta_c: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    let fs = fixed_space(&refinement, &theta_c, lambda, 3).ok()?;
    let mut rng = SplitMix64::new(seed);
    let v = random_unit(&mut rng, fs.form.dim());
    let u = fs.theta(&v);
    Some((refinement, u))
}

/// The smallest eigenvalue (midpoint), the component's block and its size.
fn component_data(cert: &Certificate) -> Result<(f64, usize, usize), SearchError> {
    let min = &cert.proof.min_eigenvalue;
    if !min.separated {
        return Err(SearchError::NotSeparated);
    }
    let a = match min.kind {
        Kind::Std(a) | Kind::Two(a) | Kind::OneOne(a) => a,
        k => return Err(SearchError::Component(k.label())),
    };
    let n = cert
        .partition
        .int_size(a)
        .ok_or_else(|| SearchError::Numerical("non-integral block".into()))? as usize;
    Ok((min.value.mid().to_f64(), a, n))
}

/// Approximate: the search of the module contract at a certified critical point; `dirs`
/// are the arc directions enumerated there (for the best certified axial coefficient);
/// `progress` is called with the name of each space as it starts.
pub fn search(
    cert: &Certificate,
    dirs: &[ArcDirection],
    opts: &SearchOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<LeadingSearch, SearchError> {
    let (lambda, a, n) = component_data(cert)?;
    let part = &cert.partition;
    let d = part.d();
    let kmax = opts.max_k.min(6).min(n.saturating_sub(1));
    // Fixed spaces: f64 up to d = 1e4, MPFR beyond.
    let prec = if d <= 1e4 {
        53
    } else {
        crate::search::newton::auto_prec(d)
    };
    let build = |k: usize, order: u8| -> Result<FixedSpace, SearchError> {
        let refinement = Refinement::split(part, a, &split_parts(n, k).expect("1 <= k < n"))
            .ok_or_else(|| SearchError::Numerical("refinement".into()))?;
        if prec == 53 {
            let theta_c: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
            fixed_space(&refinement, &theta_c, lambda, order)
        } else {
            let theta_c: Vec<Mpfr> = cert
                .center
                .iter()
                .map(|c| Mpfr(rug::Float::with_val(prec, c.value())))
                .collect();
            fixed_space(&refinement, &theta_c, lambda, order)
        }
    };
    // The order: the cubic tensor on the largest fixed space (every smaller one lies inside).
    let order = if kmax >= 1 {
        let fs = build(kmax.max(1), 3)?;
        let c3 = fs
            .form
            .cubic
            .iter()
            .flatten()
            .flatten()
            .fold(0.0f64, |m, x| m.max(x.abs()));
        if c3 <= CUBIC_ZERO {
            4
        } else {
            3
        }
    } else {
        4
    };
    let mut spaces = Vec::new();
    let full_space_skipped = if !opts.full_space {
        Some("not asked for".to_string())
    } else if d > FULL_SPACE_MAX_D {
        Some(format!(
            "d = {d} > {FULL_SPACE_MAX_D}: the dense Hessian would be d^2 x d^2"
        ))
    } else {
        progress("full space");
        let t0 = std::time::Instant::now();
        let form = dense_form(cert, lambda, Some(order))?;
        let poly = dense_poly(&form)?;
        let critical = explore(&poly, opts, 0, &|v: &[f64]| {
            dense_label(part, &form.ambient(v))
        });
        spaces.push(SpaceSearch {
            name: format!("E (full {}x{} space)", d, d),
            k: None,
            dimension: form.dim(),
            order,
            starts: opts.starts + opts.newton_starts,
            critical,
            seconds: t0.elapsed().as_secs_f64(),
        });
        None
    };
    let r = part.r();
    for k in 2..=kmax {
        let name = format!("E ∩ Fix(S_{} x S_1^{k}) (block {})", n - k, a + 1);
        progress(&name);
        let t0 = std::time::Instant::now();
        let fs = build(k, order)?;
        let critical = explore(&fs.form, opts, k as u64, &|v: &[f64]| fs.label(r, k, v));
        spaces.push(SpaceSearch {
            name,
            k: Some(k),
            dimension: fs.form.dim(),
            order,
            starts: opts.starts + opts.newton_starts,
            critical,
            seconds: t0.elapsed().as_secs_f64(),
        });
    }
    let best = best_axial(dirs, order);
    let lowest = spaces
        .iter()
        .filter_map(|s| s.lowest().map(|c| c.value))
        .min_by(f64::total_cmp);
    let tolerance = 1e-8
        * (1.0
            + best
                .as_ref()
                .map_or(0.0, |b| b.coefficient.mid().to_f64().abs()));
    let lower_than_axial = match (&best, lowest) {
        (Some(b), Some(q)) => Some(q < b.coefficient.lo().to_f64() - tolerance),
        _ => None,
    };
    Ok(LeadingSearch {
        kind: cert.proof.min_eigenvalue.kind,
        lambda,
        order,
        spaces,
        full_space_skipped,
        best_axial: best,
        lowest,
        tolerance,
        lower_than_axial,
    })
}
