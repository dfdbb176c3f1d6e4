//! Tangency arcs in the full `d x d` space, without the symmetry reduction (small d).
//!
//! **Approximate.** [`Dense`] is the whole matrix space with the closed-form dense
//! gradient and Hessian (`crate::model::dense`, an independent code path from the reduced
//! loss) and the plain Frobenius metric; the tracer of [`crate::arcs::trace`] runs on it
//! unchanged. This cross-checks the reduced arcs (same `r`, `L`, `mu` along an arc) and
//! reaches directions whose isotropy is not a Young subgroup, such as the 3-cycle axis of
//! `[n-2,1,1]`: the antisymmetric matrix `E12 - E21 + E23 - E32 + E31 - E13` on three
//! indices of one block (fixed by the 3-cycle and by the other indices' permutations).
//!
//! For such directions it compares the quartic terms: the raw `D^4 L(c)[u^4]` (enclosed,
//! Taylor arithmetic in intervals on the dense loss) and the effective quartic
//! `q(u) = D^4 L[u^4] / 24 - (1/8) sum_k (D^3 L[u,u,e_k])^2 / (lambda_k - lambda)` over the
//! Hessian's eigenvectors `e_k` outside the eigenvalue `lambda` (approximate, f64): the
//! coefficient of `r^4` in `L` on the sphere of radius `r` after the other components have
//! adjusted at order `r^2`. The direction with the smaller `q` is the lower one.

use crate::arcs::trace::{self, Space, Trace, TraceOptions};
use crate::arith::{Interval, Jet1, Jet2, Mpfr, NonSmooth, Scalar, Taylor};
use crate::linalg;
use crate::model::dense;
use crate::model::partition::Refinement;
use crate::prove::Certificate;
use nalgebra::DMatrix;

/// Exact: the full `d x d` matrix space, coordinates the entries row by row.
#[derive(Clone, Debug)]
pub struct Dense {
    /// Exact: d.
    pub d: usize,
}

impl Dense {
    fn matrix<S: Clone>(&self, theta: &[S]) -> Vec<Vec<S>> {
        theta.chunks(self.d).map(|r| r.to_vec()).collect()
    }
}

impl Space<f64> for Dense {
    fn weights(&self, like: &f64) -> Vec<f64> {
        vec![like.cst(1.0); self.d * self.d]
    }
    fn jet(&self, theta: &[f64]) -> Result<Jet2<f64>, NonSmooth> {
        let w = self.matrix(theta);
        let v = dense::loss(&w)?;
        let g: Vec<f64> = dense::gradient(&w)?.into_iter().flatten().collect();
        let h = dense::hessian(&w)?;
        let n = g.len();
        let mut packed = Vec::with_capacity(n * (n + 1) / 2);
        for i in 0..n {
            for j in i..n {
                packed.push(0.5 * (h[i][j] + h[j][i]));
            }
        }
        Ok(Jet2 { v, g, h: packed })
    }
    fn gradient(&self, theta: &[f64]) -> Result<Jet1<f64>, NonSmooth> {
        let w = self.matrix(theta);
        Ok(Jet1 {
            v: dense::loss(&w)?,
            g: dense::gradient(&w)?.into_iter().flatten().collect(),
        })
    }
    fn margin(&self, theta: &[f64]) -> f64 {
        dense::smoothness_margin(&self.matrix(theta))
    }
    fn critical(&self, theta: Vec<f64>) -> Option<Vec<f64>> {
        let mut x = theta;
        for _ in 0..50 {
            let jet = self.jet(&x).ok()?;
            let h = jet.hessian_matrix();
            let step = linalg::solve(&h, &jet.g).ok()?;
            let size = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
            for (a, s) in x.iter_mut().zip(&step) {
                *a -= s;
            }
            if size < 1e-13 {
                return Some(x);
            }
        }
        None
    }
}

/// Approximate: the certificate's center as a full matrix, flattened.
pub fn center_full(cert: &Certificate) -> Vec<f64> {
    let theta: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    cert.partition
        .embed(&theta)
        .expect("integer partition")
        .into_iter()
        .flatten()
        .collect()
}

/// Approximate: a direction of a Young fixed space (reduced coordinates of the refinement's
/// fine partition, or of the certificate's partition when `refinement` is `None`) as a full
/// matrix in the certificate's index layout, flattened (unit in the Frobenius norm when
/// `u` is unit in the fine metric).
pub fn embed_direction(cert: &Certificate, refinement: Option<&Refinement>, u: &[f64]) -> Vec<f64> {
    let m = match refinement {
        Some(r) => r.embed_full(u),
        None => cert.partition.embed(u),
    };
    m.expect("integer partition")
        .into_iter()
        .flatten()
        .collect()
}

/// Exact: the 3-cycle axis of `[n-2,1,1]` on the first three indices of block `a` of the
/// partition (unit Frobenius norm): `(E12 - E21 + E23 - E32 + E31 - E13) / sqrt 6`.
pub fn three_cycle_axis(part: &crate::model::partition::Partition, a: usize) -> Option<Vec<f64>> {
    let off = part.offsets()?[a];
    if part.sizes()[a] < 3.0 {
        return None;
    }
    let d = part.d() as usize;
    let mut u = vec![0.0; d * d];
    let s = 1.0 / 6f64.sqrt();
    for (i, j) in [(0, 1), (1, 2), (2, 0)] {
        u[(off + i) * d + off + j] = s;
        u[(off + j) * d + off + i] = -s;
    }
    Some(u)
}

/// Approximate: trace the full-space arc from the certificate's point along `u`.
pub fn trace_full(
    cert: &Certificate,
    u: &[f64],
    lambda: f64,
    cubic: f64,
    opts: &TraceOptions,
) -> Trace<f64> {
    let c = center_full(cert);
    let space = Dense {
        d: cert.partition.d() as usize,
    };
    trace::trace(&space, &c, u, lambda, cubic, opts)
}

/// Quartic data of a full-space direction.
#[derive(Clone, Debug)]
pub struct Quartic {
    /// Encloses: `D^4 L(c)[u,u,u,u]` (c over its certified box, `u` as given).
    pub raw: Option<Interval>,
    /// Approximate: `D^3 L(c)[u,u,u]` (0 up to rounding on `[n-2,1,1]`).
    pub cubic: f64,
    /// Approximate: the effective quartic coefficient (module doc).
    pub effective: f64,
    /// Approximate: `u^T H u` (the eigenvalue, if `u` is an eigenvector).
    pub rayleigh: f64,
}

/// Approximate (with an enclosed fourth derivative): quartic data of the full-space direction `u` at the certificate's point.
pub fn quartic(cert: &Certificate, u: &[f64]) -> Option<Quartic> {
    let d = cert.partition.d() as usize;
    let prec = cert.prec;
    // Enclosed D^4 L over the certified box (embedded), along u.
    let c_box = cert.partition.embed(&cert.proof.krawczyk_box)?;
    let line: Vec<Vec<Taylor<Interval>>> = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| Taylor::line(c_box[i][j].clone(), Interval::point(prec, u[i * d + j])))
                .collect()
        })
        .collect();
    let raw = dense::loss(&line).ok().map(|t| t.derivative(4));
    // Approximate: cubic and D^3 L[u, u, .] from the dense gradient along the line.
    let c = center_full(cert);
    let gline: Vec<Vec<Taylor<f64>>> = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| Taylor::line(c[i * d + j], u[i * d + j]))
                .collect()
        })
        .collect();
    let g = dense::gradient(&gline).ok()?;
    let g2: Vec<f64> = g.iter().flatten().map(|t| 2.0 * t.c[2]).collect(); // D^3L[u,u,e]
    let cubic: f64 = g2.iter().zip(u).map(|(a, b)| a * b).sum();
    let w: Vec<Vec<f64>> = c.chunks(d).map(|r| r.to_vec()).collect();
    let h = dense::hessian(&w).ok()?;
    let n = d * d;
    let hm = DMatrix::from_fn(n, n, |i, j| 0.5 * (h[i][j] + h[j][i]));
    let hu: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| hm[(i, j)] * u[j]).sum())
        .collect();
    let lambda: f64 = hu.iter().zip(u).map(|(a, b)| a * b).sum();
    let eig = hm.symmetric_eigen();
    let mut correction = 0.0;
    for k in 0..n {
        let lk = eig.eigenvalues[k];
        if (lk - lambda).abs() < 1e-9 * (1.0 + lambda.abs()) {
            continue;
        }
        let proj: f64 = (0..n).map(|i| eig.eigenvectors[(i, k)] * g2[i]).sum();
        correction += proj * proj / (lk - lambda);
    }
    let d4 = raw.as_ref().map_or(f64::NAN, |x| x.mid().to_f64());
    Some(Quartic {
        raw,
        cubic,
        effective: d4 / 24.0 - correction / 8.0,
        rayleigh: lambda,
    })
}

/// Approximate: a reduced direction as MPFR values, for callers holding f64.
pub fn to_mpfr(u: &[f64], prec: u32) -> Vec<Mpfr> {
    u.iter().map(|&x| Mpfr::from_f64(prec, x)).collect()
}

/// Approximate: how a reduced arc and the same arc traced in the full space compare.
#[derive(Clone, Debug)]
pub struct CrossCheck {
    /// Index of the arc in the reduced results.
    pub arc: usize,
    /// Number of reduced points compared (those inside the full trace's range).
    pub compared: usize,
    /// Largest relative difference `|dL| / (1 + |L|)` of the loss at equal r.
    pub max_loss_diff: f64,
    /// Largest relative difference `|dmu| / (1 + |mu|)` at equal r.
    pub max_mu_diff: f64,
    /// Approximate: how the reduced trace ended.
    pub reduced_end: TraceEnd,
    /// Approximate: how the full-space trace ended.
    pub full_end: TraceEnd,
}

/// Approximate: how a trace ended and at what radius.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceEnd {
    /// The kind of end.
    pub kind: crate::arcs::trace::EndKind,
    /// Approximate: the radius of the end: of the critical point Newton refined, for a
    /// critical-point end (`refined`), else of the last traced point.
    pub r: f64,
    /// Whether `r` (and the loss reported with it) are those of a refined critical point.
    pub refined: bool,
}

/// Approximate: the end of a full-space trace, with a critical-point end refined by
/// Newton on the full gradient (its distance from C and its loss), not the first traced
/// point past the sign change of mu.
fn full_end(cert: &Certificate, t: &Trace<f64>) -> (TraceEnd, f64) {
    let last = t.points.last();
    let fallback = (
        TraceEnd {
            kind: t.end,
            r: last.map_or(0.0, |p| p.r),
            refined: false,
        },
        last.map_or(f64::NAN, |p| p.loss),
    );
    let (crate::arcs::trace::EndKind::CriticalPoint, Some(x)) = (t.end, &t.critical) else {
        return fallback;
    };
    let c = center_full(cert);
    let r = x
        .iter()
        .zip(&c)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        .sqrt();
    let space = Dense {
        d: cert.partition.d() as usize,
    };
    match trace::Space::<f64>::gradient(&space, x) {
        Ok(j) => (
            TraceEnd {
                kind: t.end,
                r,
                refined: true,
            },
            j.v,
        ),
        Err(_) => fallback,
    }
}

/// Approximate: trace `arcs[k]` again in the full space (same start direction, embedded)
/// and compare loss and mu at the reduced trace's radii.
pub fn cross_check(
    cert: &Certificate,
    arcs: &[crate::arcs::ArcResult],
    k: usize,
    opts: &TraceOptions,
) -> Option<CrossCheck> {
    let a = &arcs[k];
    let u: Vec<f64> = a.dir.u.iter().map(|x| x.approx_f64()).collect();
    let refinement = a.dir.axis.refinement(&cert.partition);
    let uf = embed_direction(cert, refinement.as_ref(), &u);
    let cubic = match &a.dir.leading {
        crate::arcs::directions::Leading::Cubic(c)
        | crate::arcs::directions::Leading::Undetermined(c) => c.mid().to_f64(),
        crate::arcs::directions::Leading::Quartic(_) => 0.0,
    };
    let t = trace_full(cert, &uf, a.dir.lambda.mid().to_f64(), cubic, opts);
    let c = center_full(cert);
    let space = Dense {
        d: cert.partition.d() as usize,
    };
    let mut compared = 0;
    let (mut dl, mut dm) = (0.0f64, 0.0f64);
    // At each reduced point inside the full trace's range, solve the full system at exactly
    // that r (Newton from the full trace interpolated there) and compare.
    // Near a fold two solutions at the same r coalesce, and near the non-smooth set the
    // Hessian blows up: compare away from both.
    let fold = |k: crate::arcs::trace::EndKind, r: f64| match k {
        crate::arcs::trace::EndKind::Fold | crate::arcs::trace::EndKind::NonSmooth => 0.9 * r,
        _ => f64::INFINITY,
    };
    let r_cap = fold(a.end.kind, a.end.r).min(fold(t.end, t.points.last().map_or(0.0, |p| p.r)));
    for &crate::arcs::ArcPoint { r, loss: l, mu: m } in a.trace.iter().filter(|p| p.r <= r_cap) {
        let Some(j) = t.points.windows(2).position(|w| w[0].r <= r && r <= w[1].r) else {
            continue;
        };
        let (p, q) = (&t.points[j], &t.points[j + 1]);
        let s = if q.r > p.r {
            (r - p.r) / (q.r - p.r)
        } else {
            0.0
        };
        let guess: Vec<f64> = p
            .theta
            .iter()
            .zip(&q.theta)
            .map(|(x, y)| x + s * (y - x))
            .collect();
        let Ok((_, mu, jet)) = trace::point_at(&space, &c, &guess, p.mu + s * (q.mu - p.mu), r)
        else {
            continue;
        };
        compared += 1;
        dl = dl.max((jet.v - l).abs() / (1.0 + l.abs()));
        dm = dm.max((mu - m).abs() / (1.0 + m.abs()));
    }
    Some(CrossCheck {
        arc: k,
        compared,
        max_loss_diff: dl,
        max_mu_diff: dm,
        reduced_end: match &a.end.distance {
            // A certified critical end: the midpoint of its certified distance.
            Some(dist) => TraceEnd {
                kind: a.end.kind,
                r: dist.mid().to_f64(),
                refined: true,
            },
            None => TraceEnd {
                kind: a.end.kind,
                r: a.end.r,
                refined: false,
            },
        },
        full_end: full_end(cert, &t).0,
    })
}

/// Approximate/encloses: a full-space direction's quartic data and where its arc goes.
#[derive(Clone, Debug)]
pub struct FullDirection {
    /// A name (`Young axis (n-2,1,1)`, `3-cycle axis`).
    pub name: String,
    /// The quartic data.
    pub quartic: Quartic,
    /// Approximate: how the full-space trace ended.
    pub end: TraceEnd,
    /// Approximate: the loss at its last point.
    pub end_loss: f64,
}

/// Approximate: the `[n-2,1,1]` comparison at a point of partition `(n, ...)`: the Young axis and the
/// 3-cycle axis of the first block, their quartic terms and their full-space arcs.
pub fn one_one_directions(
    cert: &Certificate,
    young: &[f64],
    opts: &TraceOptions,
) -> Vec<FullDirection> {
    let mut out = Vec::new();
    let mut dirs = vec![("Young axis (n-2,1,1)".to_string(), young.to_vec())];
    if let Some(t) = three_cycle_axis(&cert.partition, 0) {
        dirs.push((
            "3-cycle axis (isotropy Z_3 x S_(n-3), not Young)".to_string(),
            t,
        ));
    }
    for (name, u) in dirs {
        let Some(q) = quartic(cert, &u) else { continue };
        let t = trace_full(cert, &u, q.rayleigh, 0.0, opts);
        let (end, end_loss) = full_end(cert, &t);
        out.push(FullDirection {
            name,
            end,
            end_loss,
            quartic: q,
        });
    }
    out
}

/// Approximate (with enclosed fourth derivatives): the full-space study of `arcs --full`.
#[derive(Clone, Debug)]
pub struct FullSpaceStudy {
    /// The cross-checks of the arcs proved minimizing or maximizing at every radius.
    pub cross_checks: Vec<CrossCheck>,
    /// The `[n-2,1,1]` Young arc of block 1 the directions start from, if any.
    pub young_arc: Option<usize>,
    /// The Young axis and the 3-cycle axis of `[n-2,1,1]`, when the Young arc exists.
    pub one_one: Vec<FullDirection>,
    /// Approximate: whether the 3-cycle axis has the lower effective quartic.
    pub three_cycle_lower: Option<bool>,
}

/// Approximate: the full-space study (small d only: the dense Hessian is d^2 x d^2):
/// every minimizing or maximizing arc traced again without symmetry reduction, and the
/// `[n-2,1,1]` Young axis against the non-Young 3-cycle axis.
pub fn study(
    cert: &Certificate,
    results: &[crate::arcs::ArcResult],
    r_max_factor: f64,
    max_steps: usize,
) -> FullSpaceStudy {
    let scale = cert.partition.d().sqrt();
    let topts = TraceOptions {
        loss_max: f64::INFINITY,
        r0: 1e-3,
        r_max: r_max_factor * scale,
        dr_max: 0.02 * scale,
        max_steps,
    };
    use crate::arcs::directions::ArcType;
    let cross_checks = results
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.proved_type() == Some(ArcType::Min) || r.proved_type() == Some(ArcType::Max)
        })
        .filter_map(|(k, _)| cross_check(cert, results, k, &topts))
        .collect();
    let young_arc = results.iter().position(|r| {
        matches!(
            r.dir.axis.kind,
            crate::symmetry::components::Kind::OneOne(0)
        ) && r.dir.index == 0
    });
    let one_one = young_arc.map_or_else(Vec::new, |k| {
        let y = &results[k];
        let u: Vec<f64> = y.dir.u.iter().map(|x| x.approx_f64()).collect();
        let uf = embed_direction(cert, y.dir.axis.refinement(&cert.partition).as_ref(), &u);
        one_one_directions(cert, &uf, &topts)
    });
    let three_cycle_lower =
        (one_one.len() == 2).then(|| one_one[1].quartic.effective < one_one[0].quartic.effective);
    FullSpaceStudy {
        cross_checks,
        young_arc,
        one_one,
        three_cycle_lower,
    }
}
