//! Certified ends of traced tangency arcs (docs/arcs.md, "Ends").
//!
//! **Contract.** The tracer ([`crate::arcs::trace`]) says approximately how an arc ends.
//! [`certify_end`] turns that into enclosures, for any space the tracer runs in (generic
//! over [`Space`]; nothing here knows the space is a Young fixed space):
//!
//! - **fold**: the Krawczyk test ([`krawczyk_system`]) on the Moore–Spence extended system
//!   in `z = (theta, mu, r, phi)`, `phi = (phi_theta, phi_mu)`,
//!
//!   ```text
//!   G = grad L(theta) - mu N (theta - c) = 0                          (n)
//!   S = |theta - c|_N^2 - r^2 = 0                                     (1)
//!   J(theta, mu) phi = 0,  J = [[H - mu N, -N (theta - c)],
//!                               [2 (theta - c)^T N, 0]]               (n + 1)
//!   l^T phi - 1 = 0                                                   (1)
//!   ```
//!
//!   with `c` ranging over the critical point's certified box and `l` a dyadic constant
//!   (exact in every arithmetic). Its Jacobian needs `D^3 L(theta)[phi_theta, e_p, e_q]`
//!   over the box: one [`Jet2`] evaluation over dual numbers in `t` (`Jet1<Interval>`
//!   with one variable) along `theta + t phi_theta`, whose Hessian entries have that as
//!   their `t`-derivative (no finite differences). Success proves exactly one zero of the system in
//!   the box, and (`K(X)` inside the box forces every matrix of the enclosed Jacobian to
//!   be nonsingular) the Jacobian is nonsingular there. By Moore–Spence that zero is a
//!   **simple quadratic turning point** of the tangency branch: `J` has a one-dimensional
//!   kernel spanned by `phi`, `dG/dr, dS/dr` is not in its range (so the branch is a smooth
//!   curve through the point, with tangent `(phi, 0)`: orthogonal to the radius), and the
//!   second derivative of `r` along the branch is nonzero, so `r` has a strict local
//!   extremum there. `r_fold` is the `r` component of `K(X)`; the loss is enclosed by the
//!   mean-value form `L(center) + grad L(X) . (K - center)`, intersected with `L(X)`.
//!   Not proved: that it is the fold the traced arc reaches (the start is Newton from the
//!   trace's last points), or whether `r` has a maximum or a minimum there.
//! - **non-smooth set, limit, a fold that did not certify, a critical point that was not
//!   found**: the last certified tangency point: the first of the radii
//!   `floor_2(r_last 0.8^k)`, `k = 0..4` (two significant digits, rounded down) that the
//!   caller's tangency-point certification proves. Its radius is exact (its distance from
//!   `C` is exactly `r`, by the sphere equation), its loss and `mu` enclosed. For a
//!   non-smooth end the kernel argument with the smallest `1 - |cos|` (or row norm) at the
//!   trace's last point is named ([`Space::kernel_arguments`]), and that quantity is
//!   enclosed over the certified point's Krawczyk box: a positive lower end proves the
//!   certified point is off the non-smooth set by that much in that argument. The radius
//!   where the trace met the set stays approximate.
//!
//! Critical-point ends are certified in [`crate::arcs`] (classification, index, isotropy,
//! loss, distance) and get nothing here.

use crate::arcs::directions::ArcType;
use crate::arcs::tangency::{TangencyFailure, TangencyProof};
use crate::arcs::trace::{converged, EndKind, Space};
use crate::arith::{decimal, Interval, Jet1, Jet2, Mpfr, NonSmooth, Scalar};
use crate::linalg::{self, Mat};
use crate::model::reduced::ArgumentKind;
use crate::prove::krawczyk::{krawczyk_system, KrawczykBox, KrawczykFailure};
use rug::Rational;

/// Exact: the arithmetics an end is certified in: approximate (`f64`, `Mpfr`, and `Jet1<f64>`
/// for the third derivative in Newton) and enclosing (`Interval`, `Jet1<Interval>`).
/// Every [`Space`] implemented generically over its scalar has it.
pub trait EndSpace:
    Space<f64> + Space<Jet1<f64>> + Space<Mpfr> + Space<Interval> + Space<Jet1<Interval>>
{
}

impl<T> EndSpace for T where
    T: Space<f64> + Space<Jet1<f64>> + Space<Mpfr> + Space<Interval> + Space<Jet1<Interval>>
{
}

/// Approximate: a traced point handed to [`certify_end`].
#[derive(Clone, Copy, Debug)]
pub struct TracedPoint<'a> {
    /// Approximate: the radius.
    pub r: f64,
    /// Approximate: the point (the space's coordinates).
    pub theta: &'a [Mpfr],
    /// Approximate: the multiplier.
    pub mu: &'a Mpfr,
}

/// Encloses: a certified simple turning point (fold) of the tangency branch (module contract).
#[derive(Clone, Debug)]
pub struct FoldProof {
    /// Encloses: the radius `r_fold = |W - C|` at the turning point.
    pub r: Interval,
    /// Encloses: the loss there.
    pub loss: Interval,
    /// Encloses: the multiplier `mu` there.
    pub mu: Interval,
    /// Exact: the Krawczyk box radius (decimal).
    pub box_radius: String,
    /// Exact: the interval precision (bits) of the proof.
    pub prec: u32,
}

/// Encloses (and approximate, as marked): the kernel argument closest to the non-smooth
/// set at a non-smooth end.
#[derive(Clone, Debug)]
pub struct NearSet {
    /// Exact: what it compares (docs/reduction.md names; blocks of the arc's fixed space).
    pub argument: String,
    /// Exact: a cosine (`1 - |cos|` is measured) or a row norm.
    pub kind: ArgumentKind,
    /// Approximate: its `1 - |cos|` (or norm) at the trace's last point.
    pub approx_at_end: f64,
    /// Encloses: its `1 - |cos|` (or norm) over the certified point's Krawczyk box.
    pub at_point: Interval,
}

/// Encloses: the last certified tangency point of an arc (module contract).
#[derive(Clone, Debug)]
pub struct LastPoint {
    /// Exact: the radius, a decimal string: the point's distance from `C`, exactly.
    pub r: String,
    /// Encloses: the loss at the point.
    pub loss: Interval,
    /// Encloses: `mu` at the point.
    pub mu: Interval,
    /// The proved type of `L` on the sphere there.
    pub kind: ArcType,
    /// Approximate: the radius the trace reached (where it met the non-smooth set, for a
    /// non-smooth end).
    pub approx_reach: f64,
    /// For a non-smooth end: the argument that tends to the non-smooth set.
    pub near: Option<NearSet>,
    /// For a fold end whose turning point was not certified: why.
    pub fold_failure: Option<String>,
}

/// Encloses: what is certified about an arc's end.
#[derive(Clone, Debug)]
pub enum EndProof {
    /// A certified turning point.
    Fold(FoldProof),
    /// The last certified point before the end.
    LastPoint(LastPoint),
}

/// Encloses: the caller's tangency-point certification: `(theta, mu)` approximate start, radius, bits.
pub type CertifyPoint<'a> =
    dyn Fn(&[Mpfr], &Mpfr, &str, u32) -> Result<TangencyProof, TangencyFailure> + 'a;

/// Encloses: certify the end of a traced arc (module contract). `c` approximates and
/// `c_box` encloses the critical point the arc leaves (the space's coordinates);
/// `critical_certified`: the end is a critical point already certified (then `None`);
/// `prove_folds`: attempt fold proofs (otherwise a fold end is "not attempted");
/// `precs`: the precisions to try, in order. Returns why nothing was certified otherwise.
#[allow(clippy::too_many_arguments)]
pub fn certify_end<Sp: EndSpace>(
    space: &Sp,
    kind: EndKind,
    critical_certified: bool,
    prove_folds: bool,
    c: &[Mpfr],
    c_box: &[Interval],
    points: &[TracedPoint],
    precs: &[u32],
    certify_point: &CertifyPoint,
) -> Option<Result<EndProof, String>> {
    if kind == EndKind::CriticalPoint && critical_certified {
        return None;
    }
    if points.is_empty() {
        return Some(Err("no traced point".into()));
    }
    if kind == EndKind::Fold && !prove_folds {
        return Some(Err(NOT_ATTEMPTED.into()));
    }
    let mut fold_failure = None;
    if kind == EndKind::Fold {
        match certify_fold(space, c, c_box, points, precs) {
            Ok(f) => return Some(Ok(EndProof::Fold(f))),
            Err(e) => fold_failure = Some(e),
        }
    }
    Some(
        last_point(space, kind, points, precs, certify_point).map(|mut p| {
            p.fold_failure = fold_failure;
            EndProof::LastPoint(p)
        }),
    )
}

/// Exact: why a fold end of a large run carries no proof.
pub const NOT_ATTEMPTED: &str =
    "turning point not attempted in a run of more than 1000 arcs (arcs --extreme certifies the extreme arcs' ends)";

/// Number of unknowns of the extended system for a space of dimension `n`.
fn size(n: usize) -> usize {
    2 * n + 3
}

/// The extended system's residual at `z` (module contract) and the loss at `theta`.
fn fold_residual<S: Scalar>(
    space: &impl Space<S>,
    w: &[S],
    c: &[S],
    l: &[S],
    z: &[S],
) -> Result<(Vec<S>, S), NonSmooth> {
    let n = c.len();
    let (mu, r) = (&z[n], &z[n + 1]);
    let phi = &z[n + 2..];
    let jet = space.jet(&z[..n])?;
    let like = &z[0];
    let dc: Vec<S> = (0..n).map(|p| z[p].clone() - c[p].clone()).collect();
    let mut f = Vec::with_capacity(size(n));
    let mut sphere = -r.clone().sqr();
    for p in 0..n {
        f.push(jet.g[p].clone() - mu.clone() * w[p].clone() * dc[p].clone());
        sphere = sphere + w[p].clone() * dc[p].clone().sqr();
    }
    f.push(sphere);
    let mut border = like.cst(0.0);
    for p in 0..n {
        let mut acc = -(mu.clone() * w[p].clone() * phi[p].clone())
            - w[p].clone() * dc[p].clone() * phi[n].clone();
        for q in 0..n {
            acc = acc + jet.hess(p, q) * phi[q].clone();
        }
        f.push(acc);
        border = border + like.cst(2.0) * w[p].clone() * dc[p].clone() * phi[p].clone();
    }
    f.push(border);
    let mut norm = -like.cst(1.0);
    for k in 0..=n {
        norm = norm + l[k].clone() * phi[k].clone();
    }
    f.push(norm);
    Ok((f, jet.v))
}

/// The extended system's Jacobian at (or over) `z`, with the loss and gradient at (over)
/// `theta`: one [`Jet2`] over first-order jets in `t` ([`Jet1`] with one variable, the
/// dual numbers: the first-order part of a Taylor series) along `theta + t phi_theta`
/// gives `H` (value) and `D^3 L[phi_theta, ., .]` (the `t`-derivative).
fn fold_jacobian<S: Scalar>(
    space: &impl Space<Jet1<S>>,
    w: &[S],
    c: &[S],
    l: &[S],
    z: &[S],
) -> Result<(Mat<S>, Jet2<Jet1<S>>), NonSmooth> {
    let n = c.len();
    let m = size(n);
    let (mu, r) = (&z[n], &z[n + 1]);
    let phi = &z[n + 2..];
    let line: Vec<Jet1<S>> = (0..n)
        .map(|p| Jet1 {
            v: z[p].clone(),
            g: vec![phi[p].clone()],
        })
        .collect();
    let jet = space.jet(&line)?;
    let like = &z[0];
    let zero = like.cst(0.0);
    let two = like.cst(2.0);
    let dt = |x: &Jet1<S>| x.g.first().cloned().unwrap_or_else(|| zero.clone());
    let dc: Vec<S> = (0..n).map(|p| z[p].clone() - c[p].clone()).collect();
    let mut jac = vec![vec![zero.clone(); m]; m];
    let (ph, pm) = (n + 2, 2 * n + 2); // columns of phi_theta and phi_mu
    for p in 0..n {
        for q in 0..n {
            let h = jet.hess(p, q);
            let hq = h.v.clone();
            jac[p][q] = hq.clone();
            jac[n + 1 + p][q] = dt(&h);
            jac[n + 1 + p][ph + q] = hq;
        }
        // G
        jac[p][p] = jac[p][p].clone() - mu.clone() * w[p].clone();
        jac[p][n] = -(w[p].clone() * dc[p].clone());
        // S
        jac[n][p] = two.clone() * w[p].clone() * dc[p].clone();
        // J phi, rows 0..n
        jac[n + 1 + p][p] = jac[n + 1 + p][p].clone() - w[p].clone() * phi[n].clone();
        jac[n + 1 + p][n] = -(w[p].clone() * phi[p].clone());
        jac[n + 1 + p][ph + p] = jac[n + 1 + p][ph + p].clone() - mu.clone() * w[p].clone();
        jac[n + 1 + p][pm] = -(w[p].clone() * dc[p].clone());
        // J phi, border row
        jac[2 * n + 1][p] = two.clone() * w[p].clone() * phi[p].clone();
        jac[2 * n + 1][ph + p] = two.clone() * w[p].clone() * dc[p].clone();
    }
    jac[n][n + 1] = -(two * r.clone());
    jac[2 * n + 2][ph..=ph + n].clone_from_slice(&l[..=n]);
    Ok((jac, jet))
}

/// Approximate: the bordered Jacobian `J(theta, mu)` of the tangency system in f64.
fn bordered_f64(
    space: &impl Space<f64>,
    w: &[f64],
    c: &[f64],
    theta: &[f64],
    mu: f64,
) -> Option<Mat<f64>> {
    let n = c.len();
    let jet = space.jet(theta).ok()?;
    let mut j = vec![vec![0.0; n + 1]; n + 1];
    for p in 0..n {
        for q in 0..n {
            j[p][q] = jet.hess(p, q);
        }
        j[p][p] -= mu * w[p];
        j[p][n] = -w[p] * (theta[p] - c[p]);
        j[n][p] = 2.0 * w[p] * (theta[p] - c[p]);
    }
    Some(j)
}

/// Approximate: a unit null vector of a nearly singular matrix by inverse iteration.
fn null_vector(j: &Mat<f64>) -> Option<Vec<f64>> {
    let m = j.len();
    let mut v = vec![1.0 / (m as f64).sqrt(); m];
    for _ in 0..4 {
        let y = linalg::solve(j, &v).ok()?;
        let norm = y.iter().map(|a| a * a).sum::<f64>().sqrt();
        if !(norm.is_finite() && norm > 0.0) {
            return None;
        }
        v = y.into_iter().map(|a| a / norm).collect();
    }
    Some(v)
}

/// Approximate: Newton on the extended system in `S` from `z`.
fn newton<S: Scalar>(
    space: &(impl Space<S> + Space<Jet1<S>>),
    w: &[S],
    c: &[S],
    l: &[S],
    mut z: Vec<S>,
) -> Option<Vec<S>> {
    let n = c.len();
    let eps = 2f64.powi(-(z[0].prec() as i32));
    let mut prev = f64::INFINITY;
    for it in 0..30 {
        let (f, _) = fold_residual(space, w, c, l, &z).ok()?;
        let (jac, _) = fold_jacobian(space, w, c, l, &z).ok()?;
        let step = linalg::solve(&jac, &f).ok()?;
        let mut size = 0.0f64;
        for (a, s) in z.iter_mut().zip(&step) {
            size = size.max(s.approx_f64().abs());
            *a = a.clone() - s.clone();
        }
        if !size.is_finite() || size > 1e3 {
            return None;
        }
        if converged(size, prev, eps, 1.0 + z[n + 1].approx_f64().abs(), it) {
            return Some(z);
        }
        prev = size;
    }
    None
}

/// Approximate: chord iterations in MPFR (residual in MPFR, Jacobian in f64 at the f64
/// solution) from the f64 solution.
fn polish(
    space: &(impl Space<Mpfr> + Space<Jet1<f64>>),
    prec: u32,
    c: &[Mpfr],
    l: &[f64],
    zf: &[f64],
) -> Option<Vec<Mpfr>> {
    let n = c.len();
    let like = Mpfr::from_f64(prec, 0.0);
    let w: Vec<Mpfr> = Space::<Mpfr>::weights(space, &like);
    let wf: Vec<f64> = w.iter().map(Scalar::approx_f64).collect();
    let cf: Vec<f64> = c.iter().map(Scalar::approx_f64).collect();
    let (jac, _) = fold_jacobian(space, &wf, &cf, l, zf).ok()?;
    let lm: Vec<Mpfr> = l.iter().map(|&x| Mpfr::from_f64(prec, x)).collect();
    let cm: Vec<Mpfr> = c
        .iter()
        .map(|x| Mpfr(rug::Float::with_val(prec, &x.0)))
        .collect();
    let mut z: Vec<Mpfr> = zf.iter().map(|&x| Mpfr::from_f64(prec, x)).collect();
    let eps = 2f64.powi(-(prec as i32));
    let mut prev = f64::INFINITY;
    for it in 0..12 {
        let (f, _) = fold_residual(space, &w, &cm, &lm, &z).ok()?;
        let ff: Vec<f64> = f.iter().map(Scalar::approx_f64).collect();
        let step = linalg::solve(&jac, &ff).ok()?;
        let mut size = 0.0f64;
        for (a, s) in z.iter_mut().zip(&step) {
            size = size.max(s.abs());
            *a = a.clone() - Mpfr::from_f64(prec, *s);
        }
        if !size.is_finite() {
            return None;
        }
        if converged(size, prev, eps, 1.0 + zf[n + 1].abs(), it) {
            return Some(z);
        }
        prev = size;
    }
    None
}

/// Encloses: certify the fold the trace ended at (module contract), at the first precision
/// of `precs` that proves it.
fn certify_fold<Sp: EndSpace>(
    space: &Sp,
    c: &[Mpfr],
    c_box: &[Interval],
    points: &[TracedPoint],
    precs: &[u32],
) -> Result<FoldProof, String> {
    let n = c.len();
    let cf: Vec<f64> = c.iter().map(Scalar::approx_f64).collect();
    let wf: Vec<f64> = Space::<f64>::weights(space, &0.0);
    let r_end = points.iter().map(|p| p.r).fold(0.0, f64::max);
    // Approximate start: Newton on the extended system in f64 from the last traced points
    // (the last one is just past the turning point), phi from inverse iteration on J there.
    let mut start = None;
    for p in points.iter().rev().take(3) {
        let theta: Vec<f64> = p.theta.iter().map(Scalar::approx_f64).collect();
        let mu = p.mu.approx_f64();
        let Some(j) = bordered_f64(space, &wf, &cf, &theta, mu) else {
            continue;
        };
        let Some(v) = null_vector(&j) else { continue };
        // l: the null vector rounded to a dyadic (exact in every arithmetic), so that
        // l^T phi = 1 holds for phi = v up to that rounding.
        let l: Vec<f64> = v
            .iter()
            .map(|x| (x * 1048576.0).round() / 1048576.0)
            .collect();
        let mut z0 = theta.clone();
        z0.push(mu);
        z0.push(p.r);
        z0.extend(&v);
        let Some(z) = newton::<f64>(space, &wf, &cf, &l, z0) else {
            continue;
        };
        // It must be the turning point of this arc, not some other solution.
        if (z[n + 1] - r_end).abs() <= 0.05 * (1.0 + r_end) && z[n + 1] > 0.0 {
            start = Some((z, l));
            break;
        }
    }
    let (zf, l) =
        start.ok_or("Newton on the fold system found no turning point near the trace's end")?;
    let mut last = String::new();
    for &prec in precs {
        // The center, polished in MPFR (the f64 solution is not accurate enough for the
        // 1e-11 box of a 64-bit proof when the fold is ill-conditioned).
        let Some(z) = polish(space, prec, c, &l, &zf) else {
            last = format!("MPFR Newton on the fold system did not converge at {prec} bits");
            continue;
        };
        let digits = decimal::digits_for_prec(prec) - 2;
        let center: Vec<Rational> = z
            .iter()
            .map(|x| decimal::parse_decimal(&decimal::to_decimal(&x.0, digits)).expect("decimal"))
            .collect();
        // Box radii: 1e-11 at 64 bits (one cheap attempt: the caller's next precision
        // retries), from 3/4 of the digits up by 10^3 twice above.
        let digits10 = prec as f64 * std::f64::consts::LOG10_2;
        let (mut k, tries) = if prec <= 64 {
            ((digits10 * 0.6).floor() as i64, 1)
        } else {
            ((digits10 * 0.75).floor() as i64, 3)
        };
        for _ in 0..tries {
            if k < 1 {
                break;
            }
            let radius = format!("1e-{k}");
            let rho = decimal::parse_decimal(&radius).expect("decimal");
            match prove_fold(space, c_box, &l, &center, &rho, prec) {
                Ok((r, mu, loss)) => {
                    return Ok(FoldProof {
                        r,
                        loss,
                        mu,
                        box_radius: radius,
                        prec,
                    })
                }
                Err(e) => last = format!("no unique turning point proved at {prec} bits: {e}"),
            }
            k -= 3;
        }
    }
    Err(last)
}

/// Encloses: the Krawczyk test of the extended system on the box of radius `radius` around
/// the exact `center`; returns `r`, `mu` (from `K(X)`) and the loss at the turning point.
fn prove_fold<Sp: EndSpace>(
    space: &Sp,
    c_box: &[Interval],
    l: &[f64],
    center: &[Rational],
    radius: &Rational,
    prec: u32,
) -> Result<(Interval, Interval, Interval), String> {
    let n = c_box.len();
    let cz: Vec<Interval> = center
        .iter()
        .map(|q| Interval::from_rational(prec, q))
        .collect();
    let rho = Interval::from_rational(prec, radius);
    let cb: Vec<Interval> = c_box.iter().map(|x| x.with_prec(prec)).collect();
    let li: Vec<Interval> = l.iter().map(|&x| Interval::point(prec, x)).collect();
    let w: Vec<Interval> = Space::<Interval>::weights(space, &cz[0]);
    let KrawczykBox { outer: _, k, extra } = krawczyk_system(&cz, &rho, |at, over| {
        let (f, loss_c) = fold_residual::<Interval>(space, &w, &cb, &li, at)?;
        let (jac, jet) = fold_jacobian::<Interval>(space, &w, &cb, &li, over)?;
        Ok((f, jac, (loss_c, jet)))
    })
    .map_err(|e: KrawczykFailure| e.to_string())?;
    let (loss_c, jet) = extra;
    let mut mean_value = loss_c;
    for p in 0..n {
        mean_value = mean_value + jet.g[p].v.clone() * (k[p].clone() - cz[p].clone());
    }
    let loss = mean_value
        .intersect(&jet.v.v)
        .ok_or("the two loss enclosures are disjoint (an arithmetic error)")?;
    Ok((k[n + 1].clone(), k[n].clone(), loss))
}

/// Exact: `x` rounded down to two significant digits, as a positional decimal string
/// (`None` unless `x` is positive and finite).
pub fn two_digits_down(x: f64) -> Option<String> {
    if !(x.is_finite() && x > 0.0) {
        return None;
    }
    let e = x.log10().floor() as i32 - 1;
    let mut m = (x / 10f64.powi(e)).floor() as i64;
    // log10 may be off by one at powers of ten: keep m in 10..=99 and below x.
    let mut e = e;
    while m >= 100 {
        m /= 10;
        e += 1;
    }
    while m < 10 && m > 0 {
        m = (x / 10f64.powi(e - 1)).floor() as i64;
        e -= 1;
    }
    if m <= 0 {
        return None;
    }
    let digits = m.to_string();
    let s = if e >= 0 {
        format!("{digits}{}", "0".repeat(e as usize))
    } else {
        let k = (-e) as usize;
        let body = if digits.len() > k {
            format!(
                "{}.{}",
                &digits[..digits.len() - k],
                &digits[digits.len() - k..]
            )
        } else {
            format!("0.{}{digits}", "0".repeat(k - digits.len()))
        };
        let body = body.trim_end_matches('0');
        body.trim_end_matches('.').to_string()
    };
    Some(s)
}

/// Encloses: the last certified tangency point (module contract).
fn last_point<Sp: EndSpace>(
    space: &Sp,
    kind: EndKind,
    points: &[TracedPoint],
    precs: &[u32],
    certify_point: &CertifyPoint,
) -> Result<LastPoint, String> {
    let reach = points.iter().map(|p| p.r).fold(0.0, f64::max);
    let mut radii: Vec<String> = Vec::new();
    for k in 0..5 {
        if let Some(r) = two_digits_down(reach * 0.8f64.powi(k)) {
            if !radii.contains(&r) {
                radii.push(r);
            }
        }
    }
    let mut last = "no radius to try".to_string();
    for r in &radii {
        let rv: f64 = r.parse().unwrap_or(f64::NAN);
        // The last stretch of the trace that covers rv.
        let Some(k) = points
            .windows(2)
            .rposition(|w| w[0].r.min(w[1].r) <= rv && rv <= w[0].r.max(w[1].r))
        else {
            last = format!("the trace does not cover r = {r}");
            continue;
        };
        let (a, b) = (&points[k], &points[k + 1]);
        let t = if b.r != a.r {
            (rv - a.r) / (b.r - a.r)
        } else {
            0.0
        };
        let lerp = |x: &Mpfr, y: &Mpfr| -> Mpfr {
            let p = x.prec();
            x.clone() + Mpfr::from_f64(p, t) * (y.clone() - x.clone())
        };
        let theta: Vec<Mpfr> = a
            .theta
            .iter()
            .zip(b.theta)
            .map(|(x, y)| lerp(x, y))
            .collect();
        let mu = lerp(a.mu, b.mu);
        for &prec in precs {
            match certify_point(&theta, &mu, r, prec) {
                Ok(p) => {
                    let near = if kind == EndKind::NonSmooth {
                        near_set(space, points, &p, prec)
                    } else {
                        None
                    };
                    return Ok(LastPoint {
                        r: r.clone(),
                        loss: p.loss,
                        mu: p.mu,
                        kind: p.kind,
                        approx_reach: reach,
                        near,
                        fold_failure: None,
                    });
                }
                Err(e) => last = format!("r = {r}: {e}"),
            }
        }
    }
    Err(format!(
        "no tangency point certified below the end ({last})"
    ))
}

/// Encloses (the value at the point) and approximate (the choice of argument): the kernel
/// argument nearest the non-smooth set at the trace's last point, enclosed over the
/// certified point's box.
fn near_set<Sp: EndSpace>(
    space: &Sp,
    points: &[TracedPoint],
    proof: &TangencyProof,
    prec: u32,
) -> Option<NearSet> {
    let end = points.last()?;
    let theta: Vec<f64> = end.theta.iter().map(Scalar::approx_f64).collect();
    let args = Space::<f64>::kernel_arguments(space, &theta).ok()?;
    let measure = |k: ArgumentKind, v: f64| match k {
        ArgumentKind::Cosine => 1.0 - v.abs(),
        ArgumentKind::Norm => v,
    };
    let (idx, best) = args
        .iter()
        .enumerate()
        .min_by(|x, y| measure(x.1.kind, x.1.value).total_cmp(&measure(y.1.kind, y.1.value)))?;
    let n = theta.len();
    let rho = Interval::from_decimal(prec, &proof.radius)?;
    let boxed: Vec<Interval> = proof.center[..n]
        .iter()
        .map(|s| {
            decimal::parse_decimal(s).map(|q| Interval::from_rational(prec, &q).inflate(rho.hi()))
        })
        .collect::<Option<_>>()?;
    let args_iv = Space::<Interval>::kernel_arguments(space, &boxed).ok()?;
    let v = &args_iv.get(idx)?.value;
    let at_point = match best.kind {
        ArgumentKind::Cosine => v.cst(1.0) - v.abs(),
        ArgumentKind::Norm => v.clone(),
    };
    Some(NearSet {
        argument: best.name.clone(),
        kind: best.kind,
        approx_at_end: measure(best.kind, best.value),
        at_point,
    })
}
