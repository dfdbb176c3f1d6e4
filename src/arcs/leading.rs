//! Certified leading terms of an axial arc type (docs/arcs.md, "Certified leading terms").
//!
//! **Contract.** Let `K` be the arc's isotropy, `phi` the coordinates of `Fix(K)`
//! ([`FixSpace`]) with weights `N`, `c` the critical point (ranging over its certified box)
//! and `M = N^{-1/2} Hess_phi L(c) N^{-1/2}` the Hessian restricted to `Fix(K)` in
//! orthonormal coordinates (an interval matrix over the box). [`certify_leading`] proves:
//!
//! 1. **The eigenline.** Krawczyk on `F(x, l) = ((M - l) x, (x.x - 1)/2)` around the
//!    approximate direction proves, for every matrix of the box, a unique zero `(x, l)`
//!    in a small box: the unit eigenvector of `M` with eigenvalue `l`, i.e. the arc's
//!    direction `u = N^{-1/2} x` (unit in the Frobenius norm) is enclosed, not taken from
//!    a float. The Jacobian `[[M - l, -x], [x^T, 0]]` is nonsingular on the proved box, so
//!    `l` is a **simple** eigenvalue of `M`. The separation of the eigenline is decided
//!    with the enclosures, never with a float gap: the component's enclosure `Λ_j` of
//!    `lambda_j` must be disjoint from every other eigenvalue enclosure of the Hessian
//!    (`others`, from the certificate; they enclose its whole spectrum, and `Fix(K)` is an
//!    invariant subspace, so every eigenvalue of `M` lies in their union), and `l` must lie
//!    in `Λ_j`. Then `l = lambda_j` at the critical point, and, `l` being simple in `M`,
//!    the proved line is exactly `Fix(K) ∩ E_lambda`.
//! 2. **The cubic** `D^3 L(c)[u,u,u]`, Taylor arithmetic in intervals along `c + t u` with
//!    `u` ranging over its box.
//! 3. **The effective quartic** (when the cubic vanishes by symmetry): the coefficient of
//!    `r^4` in `min_w L(c + r u + r^2 w)`, `w ⊥ u` in `Fix(K)`,
//!    `q = D^4L[u^4]/24 - (1/8) g.z`, with `g_i = D^3L[u,u,N_i^{-1/2} e_i]` (a
//!    `K`-invariant vector, so the coupling lives in `Fix(K)`) and `z` the solution of the
//!    bordered system `[[M - l, x], [x^T, 0]] (z, s) = (g, 0)`, solved by Krawczyk in
//!    interval arithmetic (nonsingular exactly when `l` is a simple eigenvalue of `M`);
//!    `g.z = sum over the other eigenpairs (g.y_k)^2 / (l_k - l)`.
//!
//! Every step rounds outward and every input is exact or an enclosure (the weights are
//! exact integers, the box of `c` is a Krawczyk image); the approximate direction and
//! eigenvalue only centre the boxes. A failure is returned as a reason, never as a value.

use crate::arcs::space::FixSpace;
use crate::arcs::trace::Space;
use crate::arith::{Interval, Mpfr, NonSmooth, Scalar, Taylor};
use crate::linalg::{self, Mat};
use crate::model::partition::Partition;
use crate::model::reduced;
use crate::prove::krawczyk::{krawczyk_system, KrawczykBox};

/// Encloses: the certified leading term of a direction.
#[derive(Clone, Debug)]
pub struct CertifiedLeading {
    /// Exact: 3 (cubic) or 4 (effective quartic).
    pub order: u8,
    /// Encloses: `D^3 L(c)[u,u,u]` (order 3) or the effective quartic `q` (order 4), along
    /// the true eigenline.
    pub coefficient: Interval,
    /// Encloses: the eigenvalue of the eigenline inside `Fix(K)`.
    pub eigenvalue: Interval,
    /// Encloses: `D^4 L(c)[u,u,u,u]` along the true eigenline (order 4 only).
    pub fourth: Option<Interval>,
}

/// Why a leading term was not certified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LeadingFailure {
    /// The loss is not smooth on the box.
    #[error("the box touches the non-smooth set")]
    NonSmooth,
    /// The component's eigenvalue enclosure meets another eigenvalue enclosure of the
    /// Hessian, so the proved eigenline could belong to that other eigenvalue.
    #[error("the eigenvalue's enclosure is not disjoint from every other eigenvalue enclosure of the Hessian (the eigenline inside Fix(K) is not separated)")]
    NotSeparated,
    /// Krawczyk failed for the eigenline.
    #[error("the eigenline inside Fix(K) was not proved unique (Krawczyk)")]
    Eigenline,
    /// The proved eigenvalue is not certainly the component's.
    #[error("the eigenvalue proved inside Fix(K) is not inside the component's enclosure")]
    WrongEigenvalue,
    /// Krawczyk failed for the bordered linear system.
    #[error("the coupling system (H - lambda) z = g on the complement was not solved (Krawczyk)")]
    Coupling,
}

/// Encloses: the k-th derivative of the reduced loss of `space.fine` along `c + t v` at
/// `t = 0`, `c` and `v` (coordinates of `space`) ranging over boxes.
fn along(space: &FixSpace, c: &[Interval], v: &[Interval], k: usize) -> Option<Interval> {
    derivative_along(&space.fine, &space.embed(c), &space.embed(v), k)
}

/// Encloses: the k-th derivative (k <= 4) of the reduced loss of `fine` along `c + t v` at
/// `t = 0`, for every `c` and `v` in the boxes (reduced coordinates of `fine`), by interval
/// Taylor arithmetic; `None` where the line's box touches the non-smooth set.
pub fn derivative_along(
    fine: &Partition,
    c: &[Interval],
    v: &[Interval],
    k: usize,
) -> Option<Interval> {
    let line: Vec<Taylor<Interval>> = c
        .iter()
        .zip(v)
        .map(|(a, b)| Taylor::line(a.clone(), b.clone()))
        .collect();
    reduced::loss(fine, &line).ok().map(|t| t.derivative(k))
}

/// Encloses: the leading term of the direction `u_approx` (coordinates of `space`, unit
/// in the Frobenius norm; it only centres the proof) with eigenvalue enclosure `lambda`
/// (module contract); `others` are the enclosures of every other eigenvalue of the
/// Hessian (the separation is decided with them); `quartic` asks for the effective
/// quartic (the cubic vanishing by symmetry).
pub fn certify_leading(
    space: &FixSpace,
    c_box: &[Interval],
    u_approx: &[Mpfr],
    lambda: &Interval,
    others: &[Interval],
    quartic: bool,
) -> Result<CertifiedLeading, LeadingFailure> {
    // Decided (false on NaN ends): `Interval::disjoint` is false unless every end is a
    // number and the two enclosures share no point.
    if !separated(lambda, others) {
        return Err(LeadingFailure::NotSeparated);
    }
    let prec = c_box[0].precision();
    let m = space.dim();
    let jet = Space::<Interval>::jet(space, c_box).map_err(|_| LeadingFailure::NonSmooth)?;
    let w = space.weights(&c_box[0]);
    let sq: Vec<Interval> = w
        .iter()
        .map(|x| x.clone().try_sqrt())
        .collect::<Result<_, _>>()
        .map_err(|_| LeadingFailure::NonSmooth)?;
    let mat: Mat<Interval> = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| jet.hess(i, j).try_div(sq[i].clone() * sq[j].clone()))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()
        .map_err(|_| LeadingFailure::NonSmooth)?;
    // 1. The eigenline: center x0 = N^{1/2} u (normalised in f64 arithmetic; only a centre).
    let uf: Vec<f64> = u_approx.iter().map(Scalar::approx_f64).collect();
    let x0: Vec<f64> = (0..m).map(|i| sq[i].mid().to_f64() * uf[i]).collect();
    let norm = x0.iter().map(|a| a * a).sum::<f64>().sqrt();
    let mut center: Vec<Interval> = x0.iter().map(|a| Interval::point(prec, a / norm)).collect();
    center.push(Interval::from_float(prec, &lambda.mid()).ok_or(LeadingFailure::NonSmooth)?);
    // Refine the centre with a few Newton steps in MPFR (midpoints of M).
    let center = newton_eigen(&mat, center);
    let eig = |at: &[Interval],
               over: &[Interval]|
     -> Result<(Vec<Interval>, Mat<Interval>, ()), NonSmooth> {
        let l = at[m].clone();
        let mut f = Vec::with_capacity(m + 1);
        let mut norm2 = at[0].cst(-1.0);
        for i in 0..m {
            let mut acc = -(l.clone() * at[i].clone());
            for j in 0..m {
                acc = acc + mat[i][j].clone() * at[j].clone();
            }
            f.push(acc);
            norm2 = norm2 + at[i].clone().sqr();
        }
        f.push(norm2 * at[0].cst(0.5));
        let zero = at[0].cst(0.0);
        let mut jac = vec![vec![zero; m + 1]; m + 1];
        for i in 0..m {
            for j in 0..m {
                jac[i][j] = mat[i][j].clone();
            }
            jac[i][i] = jac[i][i].clone() - over[m].clone();
            jac[i][m] = -over[i].clone();
            jac[m][i] = over[i].clone();
        }
        Ok((f, jac, ()))
    };
    let digits = (prec as f64 * std::f64::consts::LOG10_2 * 0.6).floor() as i32;
    let proved = [digits, digits - 5, digits / 2]
        .iter()
        .filter(|&&k| k >= 1)
        .find_map(|&k| {
            let rho = Interval::from_rational(
                prec,
                &crate::arith::decimal::parse_decimal(&format!("1e-{k}")).expect("decimal"),
            );
            krawczyk_system(&center, &rho, eig).ok()
        })
        .ok_or(LeadingFailure::Eigenline)?;
    let KrawczykBox { k: xbox, .. } = proved;
    let l_box = xbox[m].clone();
    if !(lambda.contains_interval(&l_box)) {
        return Err(LeadingFailure::WrongEigenvalue);
    }
    let x: Vec<Interval> = xbox[..m].to_vec();
    let u: Vec<Interval> = (0..m)
        .map(|i| x[i].clone().try_div(sq[i].clone()))
        .collect::<Result<_, _>>()
        .map_err(|_| LeadingFailure::NonSmooth)?;
    // 2. The cubic.
    if !quartic {
        let c3 = along(space, c_box, &u, 3).ok_or(LeadingFailure::NonSmooth)?;
        return Ok(CertifiedLeading {
            order: 3,
            coefficient: c3,
            eigenvalue: l_box,
            fourth: None,
        });
    }
    // 3. The effective quartic.
    let d4 = along(space, c_box, &u, 4).ok_or(LeadingFailure::NonSmooth)?;
    let t3 = |v: &[Interval]| along(space, c_box, v, 3).ok_or(LeadingFailure::NonSmooth);
    let six = c_box[0].int(6);
    let mut g = Vec::with_capacity(m);
    for i in 0..m {
        let e: Vec<Interval> = (0..m)
            .map(|q| {
                if q == i {
                    c_box[0].cst(1.0).try_div(sq[i].clone())
                } else {
                    Ok(c_box[0].cst(0.0))
                }
            })
            .collect::<Result<_, _>>()
            .map_err(|_| LeadingFailure::NonSmooth)?;
        let plus: Vec<Interval> = u
            .iter()
            .zip(&e)
            .map(|(a, b)| a.clone() + b.clone())
            .collect();
        let minus: Vec<Interval> = u
            .iter()
            .zip(&e)
            .map(|(a, b)| a.clone() - b.clone())
            .collect();
        let val = (t3(&plus)? - t3(&minus)? - c_box[0].int(2) * t3(&e)?)
            .try_div(six.clone())
            .map_err(|_| LeadingFailure::NonSmooth)?;
        g.push(val);
    }
    // Bordered system A (z, s) = (g, 0), A = [[M - l, x], [x^T, 0]] over the boxes.
    let zero = c_box[0].cst(0.0);
    let mut a = vec![vec![zero.clone(); m + 1]; m + 1];
    for i in 0..m {
        for j in 0..m {
            a[i][j] = mat[i][j].clone();
        }
        a[i][i] = a[i][i].clone() - l_box.clone();
        a[i][m] = x[i].clone();
        a[m][i] = x[i].clone();
    }
    let mut b = g.clone();
    b.push(zero.clone());
    let af: Vec<Vec<f64>> = a
        .iter()
        .map(|r| r.iter().map(|e| e.mid().to_f64()).collect())
        .collect();
    let bf: Vec<f64> = b.iter().map(|e| e.mid().to_f64()).collect();
    let z0 = linalg::solve(&af, &bf).map_err(|_| LeadingFailure::Coupling)?;
    let zc: Vec<Interval> = z0.iter().map(|&v| Interval::point(prec, v)).collect();
    let lin = |at: &[Interval],
               _over: &[Interval]|
     -> Result<(Vec<Interval>, Mat<Interval>, ()), NonSmooth> {
        let f: Vec<Interval> = (0..=m)
            .map(|i| {
                let mut acc = -b[i].clone();
                for j in 0..=m {
                    acc = acc + a[i][j].clone() * at[j].clone();
                }
                acc
            })
            .collect();
        Ok((f, a.clone(), ()))
    };
    let scale = z0.iter().fold(1e-300f64, |s, v| s.max(v.abs()));
    let sol = [1e-12, 1e-8, 1e-5, 1e-3]
        .iter()
        .find_map(|&f| {
            let rho = Interval::point(prec, f * scale);
            krawczyk_system(&zc, &rho, lin).ok()
        })
        .ok_or(LeadingFailure::Coupling)?;
    let z = &sol.k;
    let mut gz = zero;
    for i in 0..m {
        gz = gz + g[i].clone() * z[i].clone();
    }
    let q = (d4
        .clone()
        .try_div(c_box[0].int(24))
        .map_err(|_| LeadingFailure::NonSmooth)?)
        - (gz
            .try_div(c_box[0].int(8))
            .map_err(|_| LeadingFailure::NonSmooth)?);
    Ok(CertifiedLeading {
        order: 4,
        coefficient: q,
        eigenvalue: l_box,
        fourth: Some(d4),
    })
}

/// Exact (given the enclosures): whether `lambda` is disjoint from every enclosure of
/// `others` (false on a NaN end).
pub fn separated(lambda: &Interval, others: &[Interval]) -> bool {
    others.iter().all(|o| lambda.disjoint(o))
}

/// Approximate: Newton on `(M - l) x = 0, x.x = 1` with the midpoint matrix, in MPFR at
/// the intervals' precision (centres the Krawczyk box).
fn newton_eigen(mat: &Mat<Interval>, center: Vec<Interval>) -> Vec<Interval> {
    let m = mat.len();
    let prec = center[0].precision();
    let mm: Vec<Vec<Mpfr>> = mat
        .iter()
        .map(|r| r.iter().map(|e| Mpfr(e.mid())).collect())
        .collect();
    let mut z: Vec<Mpfr> = center.iter().map(|e| Mpfr(e.mid())).collect();
    for _ in 0..6 {
        let mut f = vec![0.0f64; m + 1];
        let mut jac = vec![vec![0.0f64; m + 1]; m + 1];
        let mut fm: Vec<Mpfr> = Vec::with_capacity(m + 1);
        let mut norm2 = Mpfr::from_f64(prec, -1.0);
        for i in 0..m {
            let mut acc = -(z[m].clone() * z[i].clone());
            for j in 0..m {
                acc = acc + mm[i][j].clone() * z[j].clone();
                jac[i][j] = mm[i][j].approx_f64();
            }
            jac[i][i] -= z[m].approx_f64();
            jac[i][m] = -z[i].approx_f64();
            jac[m][i] = z[i].approx_f64();
            fm.push(acc);
            norm2 = norm2 + z[i].clone().sqr();
        }
        fm.push(norm2 * Mpfr::from_f64(prec, 0.5));
        for (k, v) in fm.iter().enumerate() {
            f[k] = v.approx_f64();
        }
        let Ok(step) = linalg::solve(&jac, &f) else {
            break;
        };
        for k in 0..=m {
            z[k] = z[k].clone() - Mpfr::from_f64(prec, step[k]);
        }
    }
    z.iter()
        .map(|x| Interval::from_float(prec, &x.0).unwrap_or_else(|| Interval::point(prec, 0.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::separated;
    use crate::arith::Interval;
    use rug::Float;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::from_floats(64, &Float::with_val(64, lo), &Float::with_val(64, hi)).unwrap()
    }

    /// The eigenline's separation is decided by the enclosures: disjoint from every other
    /// eigenvalue enclosure, never by closeness of midpoints; touching or overlapping
    /// enclosures are not separated.
    #[test]
    fn separation_is_decided_by_disjoint_enclosures() {
        let lambda = iv(1.0, 1.0 + 1e-12);
        assert!(separated(&lambda, &[iv(1.0 + 2e-12, 2.0), iv(-1.0, 0.5)]));
        assert!(!separated(&lambda, &[iv(1.0 + 1e-12, 2.0)]), "touching");
        assert!(!separated(&lambda, &[iv(3.0, 4.0), iv(0.0, 1.0 + 5e-13)]));
        assert!(separated(&lambda, &[]));
    }
}
