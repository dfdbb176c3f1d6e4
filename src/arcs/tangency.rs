//! Certified tangency points and their arc types.
//!
//! **Contract.** [`certify_tangency_point`] proves, by the Krawczyk test on the system
//!
//! ```text
//! F_p = dL/dtheta_p (theta) - mu N_p (theta_p - c_p) = 0,   sum_p N_p (theta_p - c_p)^2 = r^2
//! ```
//!
//! in the reduced coordinates of `Fix(ΔK)` (unknowns `theta`, `mu`; the critical point `c`
//! ranging over its certified box, so the statement holds for the true `c`), that exactly
//! one tangency point at radius `r` lies in the box, and encloses its loss and `mu`.
//! Its type on the sphere `S(c, r)` is then decided from the components of `H - mu I` at
//! the isotropy `K` over the whole box: every non-trivial component is tangent to the
//! sphere (it is orthogonal to `Fix(ΔK)`, which holds `W - C`), and the trivial block is
//! restricted to the complement of `v = N^{1/2} (theta - c)` by Finsler's lemma (positive
//! definite on `v^perp` if `B + t v v^T` is positive definite for some `t`).
//! *min*: every block positive definite by interval Cholesky; *max*: every block negative
//! definite; *saddle*: some tangent direction certainly negative and some certainly
//! positive (eigenvalue enclosures of non-trivial blocks, or Rayleigh quotients of
//! projected test vectors in the trivial block); otherwise *inconclusive*.

use crate::arcs::directions::ArcType;
use crate::arcs::space::FixSpace;
use crate::arcs::trace::{point_at, Space};
use crate::arith::{decimal, Interval, Mpfr, Scalar};
use crate::linalg::{self, Mat};
use crate::model::partition::Partition;
use crate::prove::definite::cholesky_positive;
use crate::prove::eigen::enclose_eigenvalues;
use crate::prove::krawczyk::{krawczyk_system, KrawczykBox, KrawczykFailure};
use crate::symmetry::components::{self, Kind};
use rug::Rational;

/// Encloses: a certified tangency point.
#[derive(Clone, Debug)]
pub struct TangencyProof {
    /// Exact: the radius, a decimal string.
    pub r: String,
    /// Exact: the box center `(theta, mu)`, decimal strings.
    pub center: Vec<String>,
    /// Exact: the box radius.
    pub radius: String,
    /// Encloses: the multiplier `mu`.
    pub mu: Interval,
    /// Encloses: the loss at the tangency point.
    pub loss: Interval,
    /// The proved type.
    pub kind: ArcType,
    /// Why the type is what it is (or inconclusive).
    pub reason: String,
}

/// `F(C)`, `J(X)`, and the by-products: the loss over the box and the trivial block.
type SystemEval = (Vec<Interval>, Mat<Interval>, (Interval, Mat<Interval>));

/// Evaluate `F(C)` and `J(X)` of the tangency system (see the module contract).
fn system(
    space: &FixSpace,
    c_box: &[Interval],
    r: &Interval,
    at: &[Interval],
    over: &[Interval],
) -> Result<SystemEval, crate::arith::NonSmooth> {
    let n = space.dim();
    let w = space.weights(&at[0]);
    let jc = Space::<Interval>::gradient(space, &at[..n])?;
    let jx = Space::<Interval>::jet(space, &over[..n])?;
    let (mu_c, mu_x) = (at[n].clone(), over[n].clone());
    let mut f = Vec::with_capacity(n + 1);
    let mut sphere = -r.clone().sqr();
    for p in 0..n {
        let dc = at[p].clone() - c_box[p].clone();
        f.push(jc.g[p].clone() - mu_c.clone() * w[p].clone() * dc.clone());
        sphere = sphere + w[p].clone() * dc.sqr();
    }
    f.push(sphere);
    let zero = r.cst(0.0);
    let mut jac = vec![vec![zero.clone(); n + 1]; n + 1];
    for p in 0..n {
        let dx = over[p].clone() - c_box[p].clone();
        for q in 0..n {
            jac[p][q] = jx.hess(p, q);
        }
        jac[p][p] = jac[p][p].clone() - mu_x.clone() * w[p].clone();
        jac[p][n] = -(w[p].clone() * dx.clone());
        jac[n][p] = r.cst(2.0) * w[p].clone() * dx;
    }
    // The trivial block over the box, N^{-1/2} H N^{-1/2}, reused for the arc type.
    let sq: Vec<Interval> = w
        .iter()
        .map(|x| x.clone().try_sqrt())
        .collect::<Result<_, _>>()?;
    let mut triv = vec![vec![zero.clone(); n]; n];
    for p in 0..n {
        for q in 0..n {
            triv[p][q] = jx.hess(p, q).try_div(sq[p].clone() * sq[q].clone())?;
        }
    }
    // The loss over the box by the mean-value form L(C) + grad L(X).(X - C), intersected
    // with the direct enclosure (which suffers from the dependency problem).
    let mut mean_value = jc.v.clone();
    for p in 0..n {
        mean_value.mul_add_assign_r(&jx.g[p], &(over[p].clone() - at[p].clone()));
    }
    let loss = mean_value
        .intersect(&jx.v)
        .expect("both enclose the loss on the box");
    Ok((f, jac, (loss, triv)))
}

/// Approximate: Newton on the tangency system at radius `r` in MPFR (to center the box).
fn polish(
    space: &FixSpace,
    c: &[Mpfr],
    theta: &[Mpfr],
    mu: &Mpfr,
    r: &Mpfr,
) -> Option<(Vec<Mpfr>, Mpfr)> {
    // Newton with the residual in MPFR (first-order AD) and the Jacobian in f64 at the
    // start: each step gains about ten digits from an f64-accurate start, at a fraction of
    // the cost of an MPFR Hessian.
    let n = space.dim();
    let w = space.weights(&c[0]);
    let wf: Vec<f64> = w.iter().map(Scalar::approx_f64).collect();
    let mut z: Vec<Mpfr> = theta
        .iter()
        .cloned()
        .chain(std::iter::once(mu.clone()))
        .collect();
    let zf: Vec<f64> = z.iter().map(Scalar::approx_f64).collect();
    let cf: Vec<f64> = c.iter().map(Scalar::approx_f64).collect();
    // The Jacobian's entries from an MPFR jet (in f64 the loss's d^2-size terms cancel
    // badly beyond d ~ 1e4), rounded to f64 afterwards.
    let jet_mp = Space::<Mpfr>::jet(space, &z[..n]).ok()?;
    let jet = crate::arith::Jet2 {
        v: jet_mp.v.approx_f64(),
        g: jet_mp.g.iter().map(Scalar::approx_f64).collect(),
        h: jet_mp.h.iter().map(Scalar::approx_f64).collect(),
    };
    // The system in the orthonormal coordinates y_p = N_p^{1/2} theta_p (rows divided by
    // N_p^{1/2}): the weights range over 1..d^2, and unscaled the f64 Jacobian would be
    // too ill-conditioned to converge at large d.
    let sf: Vec<f64> = wf.iter().map(|x| x.sqrt()).collect();
    let mut jac = vec![vec![0.0f64; n + 1]; n + 1];
    for p in 0..n {
        let x = sf[p] * (zf[p] - cf[p]);
        for q in 0..n {
            jac[p][q] = jet.hess(p, q) / (sf[p] * sf[q]);
        }
        jac[p][p] -= zf[n];
        jac[p][n] = -x;
        jac[n][p] = 2.0 * x;
    }
    let eps = 2f64.powi(-(c[0].prec() as i32));
    let mut prev = f64::INFINITY;
    for it in 0..20 {
        let g = Space::<Mpfr>::gradient(space, &z[..n]).ok()?;
        let mut f = Vec::with_capacity(n + 1);
        let mut sphere = -(r.clone().sqr());
        for p in 0..n {
            let dc = z[p].clone() - c[p].clone();
            f.push(
                (g.g[p].clone() - z[n].clone() * w[p].clone() * dc.clone()).approx_f64() / sf[p],
            );
            sphere = sphere + w[p].clone() * dc.sqr();
        }
        f.push(sphere.approx_f64());
        let step = linalg::solve(&jac, &f).ok()?;
        let mut size = 0.0f64;
        for k in 0..=n {
            size = size.max(step[k].abs());
            let dz = if k < n { step[k] / sf[k] } else { step[k] };
            z[k] = z[k].clone() - Mpfr::from_f64(c[0].prec(), dz);
        }
        if crate::arcs::trace::converged(size, prev, eps, 1.0, it) {
            let mu = z.pop()?;
            return Some((z, mu));
        }
        prev = size;
    }
    None
}

/// Why a tangency point could not be certified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TangencyFailure {
    /// The traced arc does not reach this radius.
    #[error("the arc, traced to r = {reach:.3e} ({end}), does not cover this radius")]
    NotReached {
        /// Approximate: how far the arc was traced.
        reach: f64,
        /// How the trace ended.
        end: &'static str,
    },
    /// The radius lies below the first traced point, where no traced point starts Newton.
    #[error("the radius lies below the first traced point of the arc (r = {first:.3e}); the trace starts there, so no point below it is certified (choose r >= {first:.3e})")]
    BelowTrace {
        /// Approximate: the radius of the first traced point.
        first: f64,
    },
    /// The radius is not a positive decimal number.
    #[error("the radius '{0}' is not a positive decimal number")]
    BadRadius(String),
    /// MPFR Newton did not converge at this radius.
    #[error("Newton on the tangency system did not converge at this radius")]
    Newton,
    /// Krawczyk failed at every box radius tried.
    #[error("no unique tangency point proved: {0}")]
    Krawczyk(#[from] KrawczykFailure),
}

/// Encloses: certify the tangency point at radius `r` near `(theta, mu)` (see the module
/// contract); `c` approximates and `c_box` encloses the critical point, both in `space`'s
/// coordinates (tied into `H`-orbits for a non-Young type).
pub fn certify_tangency_point(
    space: &FixSpace,
    c: &[Mpfr],
    c_box: &[Interval],
    theta: &[Mpfr],
    mu: &Mpfr,
    r: &str,
    prec: u32,
) -> Result<TangencyProof, TangencyFailure> {
    let r_exact: Rational = decimal::parse_decimal(r)
        .filter(|q| *q > 0)
        .ok_or_else(|| TangencyFailure::BadRadius(r.chars().take(40).collect()))?;
    let rf = r_exact.to_f64();
    // Approximate: Newton at exactly r in f64, then (above 64 bits) in MPFR.
    let cf: Vec<f64> = c.iter().map(Scalar::approx_f64).collect();
    let tf: Vec<f64> = theta.iter().map(Scalar::approx_f64).collect();
    // (beyond d = 1e4 f64 cannot resolve the loss: start from the caller's MPFR point)
    let (tf, mf) = if space.fine.d() <= crate::arcs::trace::F64_MAX_D {
        let (tf, mf, _) =
            point_at(space, &cf, &tf, mu.approx_f64(), rf).map_err(|_| TangencyFailure::Newton)?;
        (tf, mf)
    } else {
        (tf, mu.approx_f64())
    };
    let r_mp = Mpfr(rug::Float::with_val(prec, &r_exact));
    let (t0, m0): (Vec<Mpfr>, Mpfr) = if space.fine.d() <= crate::arcs::trace::F64_MAX_D {
        (
            tf.iter().map(|&x| Mpfr::from_f64(prec, x)).collect(),
            Mpfr::from_f64(prec, mf),
        )
    } else {
        (
            theta
                .iter()
                .map(|x| Mpfr(rug::Float::with_val(prec, &x.0)))
                .collect(),
            Mpfr(rug::Float::with_val(prec, &mu.0)),
        )
    };
    let (th, m) = polish(space, c, &t0, &m0, &r_mp).ok_or(TangencyFailure::Newton)?;
    if !th
        .iter()
        .chain(std::iter::once(&m))
        .all(|x| x.0.is_finite())
    {
        return Err(TangencyFailure::Newton);
    }
    let digits = decimal::digits_for_prec(prec) - 2;
    let center: Vec<String> = th
        .iter()
        .chain(std::iter::once(&m))
        .map(|x| decimal::to_decimal(&x.0, digits))
        .collect();
    let exact: Vec<Rational> = center
        .iter()
        .map(|s| decimal::parse_decimal(s))
        .collect::<Option<_>>()
        .ok_or(TangencyFailure::Newton)?;
    // The center is polished in MPFR, so accurate to about the precision. Box radii: at 64
    // bits (a first, cheap attempt; the caller retries at full precision) 10^-11 and
    // 10^-8; above, from 3/4 of the digits (a small box keeps the blocks of H - mu I
    // narrow) up by 10^3 down to 10^-6: at large d the critical point's box, whose width
    // grows with d at a given precision, makes mu uncertain far beyond the centre's
    // accuracy, and the box must be wider than that.
    let digits10 = prec as f64 * std::f64::consts::LOG10_2;
    let (mut k, tries) = if prec <= 64 {
        ((digits10 * 0.6).floor() as i64, 2)
    } else {
        let k0 = (digits10 * 0.75).floor() as i64;
        (k0, ((k0 - 6) / 3 + 1).max(3))
    };
    let mut last = KrawczykFailure::Singular;
    for _ in 0..tries {
        if k < 1 {
            break;
        }
        let radius = format!("1e-{k}");
        let rho = decimal::parse_decimal(&radius).expect("decimal");
        match prove_tangency(space, c_box, &exact, &rho, &r_exact, prec) {
            Ok(t) => {
                return Ok(TangencyProof {
                    r: r.to_string(),
                    center,
                    radius,
                    mu: t.mu,
                    loss: t.loss,
                    kind: t.kind,
                    reason: t.reason,
                })
            }
            Err(e) => last = e,
        }
        k -= 3;
    }
    Err(TangencyFailure::Krawczyk(last))
}

/// Encloses: what [`prove_tangency`] proves.
#[derive(Clone, Debug)]
pub struct Tangency {
    /// Encloses: mu at the tangency point.
    pub mu: Interval,
    /// Encloses: the loss there.
    pub loss: Interval,
    /// The proved type on the sphere.
    pub kind: ArcType,
    /// Why.
    pub reason: String,
}

/// Encloses: the Krawczyk test of the tangency system at radius `r` on the box of radius
/// `radius` around the exact `center` (`theta` then `mu`, in `space`'s coordinates), with
/// the critical point ranging over `c_box`; then the type (module contract), decided on the
/// components of `space.fine` at the embedded box.
pub fn prove_tangency(
    space: &FixSpace,
    c_box: &[Interval],
    center: &[Rational],
    radius: &Rational,
    r: &Rational,
    prec: u32,
) -> Result<Tangency, KrawczykFailure> {
    let cz: Vec<Interval> = center
        .iter()
        .map(|q| Interval::from_rational(prec, q))
        .collect();
    let r_iv = Interval::from_rational(prec, r);
    let rho = Interval::from_rational(prec, radius);
    let KrawczykBox {
        outer,
        k: kbox,
        extra: (loss, triv),
    } = krawczyk_system(&cz, &rho, |at, over| system(space, c_box, &r_iv, at, over))?;
    let n = space.dim();
    // The trivial block was formed in the space's coordinates: reusable only when they
    // are the Young coordinates of `space.fine`.
    let triv = space.is_young().then_some(triv);
    let (kind, reason) = arc_type_with(
        &space.fine,
        &space.embed(&outer[..n]),
        &outer[n],
        &space.embed(c_box),
        triv,
    );
    Ok(Tangency {
        mu: kbox[n].clone(),
        loss,
        kind,
        reason,
    })
}

/// Evidence about the signs of `H - mu I` on the tangent space.
#[derive(Default)]
struct Signs {
    all_pos: bool,
    all_neg: bool,
    some_pos: Option<String>,
    some_neg: Option<String>,
}

/// Encloses: the type of `L` on the sphere at every point of the box (module contract).
pub fn arc_type(
    fine: &Partition,
    x: &[Interval],
    mu: &Interval,
    c_box: &[Interval],
) -> (ArcType, String) {
    arc_type_with(fine, x, mu, c_box, None)
}

/// [`arc_type`] with the trivial block over the box already computed.
fn arc_type_with(
    fine: &Partition,
    x: &[Interval],
    mu: &Interval,
    c_box: &[Interval],
    trivial: Option<Mat<Interval>>,
) -> (ArcType, String) {
    let Some(comps) = components::components(fine) else {
        return (ArcType::Inconclusive, "non-integer partition".into());
    };
    let mut s = Signs {
        all_pos: true,
        all_neg: true,
        ..Default::default()
    };
    for comp in comps {
        let label = comp.kind.label();
        let b = match (&trivial, comp.kind) {
            (Some(t), Kind::Trivial) => t.clone(),
            _ => match components::block(fine, x, comp.kind) {
                Ok(b) => b,
                Err(_) => {
                    return (
                        ArcType::Inconclusive,
                        format!("{label}: the box touches the non-smooth set"),
                    )
                }
            },
        };
        let m = b.len();
        let shifted: Mat<Interval> = (0..m)
            .map(|i| {
                (0..m)
                    .map(|j| {
                        if i == j {
                            b[i][j].clone() - mu.clone()
                        } else {
                            b[i][j].clone()
                        }
                    })
                    .collect()
            })
            .collect();
        if comp.kind == Kind::Trivial {
            trivial_signs(fine, x, c_box, &shifted, &mut s);
            if s.some_pos.is_some() && s.some_neg.is_some() {
                break;
            }
            continue;
        }
        let neg: Mat<Interval> = shifted
            .iter()
            .map(|r| r.iter().map(|e| -e.clone()).collect())
            .collect();
        let pos_ok = cholesky_positive(&shifted).is_ok();
        let neg_ok = cholesky_positive(&neg).is_ok();
        s.all_pos &= pos_ok;
        s.all_neg &= neg_ok;
        if pos_ok {
            s.some_pos.get_or_insert_with(|| label.clone());
        }
        if neg_ok {
            s.some_neg.get_or_insert_with(|| label.clone());
        }
        if !pos_ok && !neg_ok {
            if let Ok(ev) = enclose_eigenvalues(&shifted) {
                if ev.iter().any(Interval::is_negative) {
                    s.some_neg.get_or_insert_with(|| label.clone());
                }
                if ev.iter().any(Interval::is_positive) {
                    s.some_pos.get_or_insert_with(|| label.clone());
                }
            }
            // Clustered eigenvalues defeat the enclosures: a Rayleigh quotient of an exact
            // test vector (an approximate eigenvector) with a certain sign is evidence too.
            if s.some_neg.is_none() || s.some_pos.is_none() {
                let (neg, pos) = rayleigh_signs(&shifted);
                if neg {
                    s.some_neg.get_or_insert_with(|| label.clone());
                }
                if pos {
                    s.some_pos.get_or_insert_with(|| label.clone());
                }
            }
        }
        if s.some_pos.is_some() && s.some_neg.is_some() {
            // Both signs certainly occur on the tangent space: a saddle, whatever the
            // remaining components hold.
            break;
        }
    }

    if s.all_pos {
        (
            ArcType::Min,
            "H - mu I positive definite on the tangent space".into(),
        )
    } else if s.all_neg {
        (
            ArcType::Max,
            "H - mu I negative definite on the tangent space".into(),
        )
    } else if let (Some(p), Some(n)) = (&s.some_pos, &s.some_neg) {
        (
            ArcType::Saddle,
            format!(
                "H - mu I takes both signs on the tangent space (positive on {p}, negative on {n})"
            ),
        )
    } else {
        let found = match (&s.some_pos, &s.some_neg) {
            (Some(p), None) => format!("positive on {p}, no certainly negative direction"),
            (None, Some(n)) => format!("negative on {n}, no certainly positive direction"),
            _ => "no direction of certain sign".to_string(),
        };
        (
            ArcType::Inconclusive,
            format!(
                "the signs of H - mu I on the tangent space are not decided at this precision ({found})"
            ),
        )
    }
}

/// Exact (given the interval block): whether some test vector `w` (an approximate
/// eigenvector of the midpoint block, exact binary floats) has `w^T B w` certainly negative,
/// and whether some has it certainly positive (each is a tangent direction of that sign).
fn rayleigh_signs(b: &Mat<Interval>) -> (bool, bool) {
    let n = b.len();
    let prec = b[0][0].precision();
    let bm: Vec<Vec<f64>> = b
        .iter()
        .map(|r| r.iter().map(|e| e.mid().to_f64()).collect())
        .collect();
    let Ok((vals, vecs)) = linalg::jacobi_eigen(&bm) else {
        return (false, false);
    };
    let (mut neg, mut pos) = (false, false);
    for (k, val) in vals.iter().enumerate() {
        let w: Vec<Interval> = (0..n).map(|i| Interval::point(prec, vecs[i][k])).collect();
        let mut q = b[0][0].cst(0.0);
        for i in 0..n {
            for j in 0..n {
                q = q + w[i].clone() * b[i][j].clone() * w[j].clone();
            }
        }
        neg |= *val < 0.0 && q.is_negative();
        pos |= *val > 0.0 && q.is_positive();
    }
    (neg, pos)
}

/// The trivial block restricted to the complement of `v = N^{1/2}(theta - c)`.
fn trivial_signs(
    fine: &Partition,
    x: &[Interval],
    c_box: &[Interval],
    b: &Mat<Interval>,
    s: &mut Signs,
) {
    let n = b.len();
    let w = fine.weights(&x[0]);
    let v: Vec<Interval> = (0..n)
        .map(|p| {
            w[p].clone().try_sqrt().expect("positive weight") * (x[p].clone() - c_box[p].clone())
        })
        .collect();
    let mut vv = x[0].cst(0.0);
    let mut scale = x[0].cst(1.0);
    for p in 0..n {
        vv = vv + v[p].clone().sqr();
        for q in 0..n {
            scale = scale + b[p][q].abs();
        }
    }
    let Ok(t) = scale.try_div(vv.clone()) else {
        s.all_pos = false;
        s.all_neg = false;
        return;
    };
    let t = t * x[0].cst(4.0);
    let finsler = |sign: f64| -> bool {
        let m: Mat<Interval> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        x[0].cst(sign) * b[i][j].clone() + t.clone() * v[i].clone() * v[j].clone()
                    })
                    .collect()
            })
            .collect();
        cholesky_positive(&m).is_ok()
    };
    let pos = finsler(1.0);
    let neg = finsler(-1.0);
    s.all_pos &= pos;
    s.all_neg &= neg;
    if pos {
        s.some_pos.get_or_insert_with(|| "trivial".into());
    }
    if neg {
        s.some_neg.get_or_insert_with(|| "trivial".into());
    }
    if pos || neg {
        return;
    }
    // Test vectors: approximate extreme eigenvectors of P B P, projected onto v^perp in
    // interval arithmetic, with their Rayleigh quotients enclosed.
    let prec = x[0].precision();
    let vm: Vec<f64> = v.iter().map(|e| e.mid().to_f64()).collect();
    let vn2: f64 = vm.iter().map(|a| a * a).sum();
    let proj = |i: usize, j: usize| -> f64 { f64::from(i == j) - vm[i] * vm[j] / vn2 };
    let bm: Vec<Vec<f64>> = b
        .iter()
        .map(|r| r.iter().map(|e| e.mid().to_f64()).collect())
        .collect();
    let pbp: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let mut acc = 0.0;
                    for k in 0..n {
                        for l in 0..n {
                            acc += proj(i, k) * bm[k][l] * proj(l, j);
                        }
                    }
                    acc
                })
                .collect()
        })
        .collect();
    let Ok((vals, vecs)) = linalg::jacobi_eigen(&pbp) else {
        return;
    };
    for (k, val) in vals.iter().enumerate() {
        let wv: Vec<Interval> = (0..n).map(|i| Interval::point(prec, vecs[i][k])).collect();
        let mut wdotv = x[0].cst(0.0);
        for i in 0..n {
            wdotv = wdotv + wv[i].clone() * v[i].clone();
        }
        let Ok(coef) = wdotv.try_div(vv.clone()) else {
            continue;
        };
        let wt: Vec<Interval> = (0..n)
            .map(|i| wv[i].clone() - coef.clone() * v[i].clone())
            .collect();
        let mut q = x[0].cst(0.0);
        for i in 0..n {
            for j in 0..n {
                q = q + wt[i].clone() * b[i][j].clone() * wt[j].clone();
            }
        }
        if *val < 0.0 && q.is_negative() {
            s.some_neg.get_or_insert_with(|| "trivial".into());
        }
        if *val > 0.0 && q.is_positive() {
            s.some_pos.get_or_insert_with(|| "trivial".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::point(128, lo).hull(&Interval::point(128, hi))
    }

    /// A test vector's Rayleigh quotient counts only when its sign is certain: a block whose
    /// approximate eigenvalue is negative but whose entries do not exclude 0 gives no sign;
    /// a certainly indefinite block gives both.
    #[test]
    fn rayleigh_signs_need_a_certain_sign() {
        let unsure = vec![
            vec![iv(-1e-20, 1e-30), iv(0.0, 0.0)],
            vec![iv(0.0, 0.0), iv(1.0, 1.0)],
        ];
        assert_eq!(rayleigh_signs(&unsure), (false, true));
        let indefinite = vec![
            vec![iv(-1.0, -1.0 + 1e-20), iv(1e-3, 1e-3)],
            vec![iv(1e-3, 1e-3), iv(2.0, 2.0)],
        ];
        assert_eq!(rayleigh_signs(&indefinite), (true, true));
    }
}
