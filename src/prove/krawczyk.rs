//! Existence and uniqueness of a critical point in a box: the Krawczyk test on the reduced
//! gradient (docs/certificates.md).
//!
//! **Contract.** Let `c` be the exact center (enclosed by `C`), `ρ` the exact radius and
//! `B = {θ : |θ_p - c_p| <= ρ}` the exact box. relucert evaluates on an outer enclosure
//! `X ⊇ B` and checks `K(X) = C - Y g(C) + (I - Y H(X)) (X - C) ⊂ interior(B_in)`, where
//! `B_in ⊆ B` is an inner enclosure, `g(C)` encloses the reduced gradient at `c`, `H(X)`
//! the reduced Hessian over `X` (forward-mode AD in interval arithmetic), and `Y` is any
//! matrix (an approximate inverse of the midpoint of `H(X)`). Krawczyk's theorem then
//! gives exactly one zero of the reduced gradient in `X`, hence in `B`, and it lies in
//! `K(X)`. By symmetric criticality it is a critical point of the full loss.
//!
//! The loss at that point is enclosed by the mean-value form
//! `L(C) + g(X)·(X - C)`, intersected with the direct enclosure `L(X)`.

use crate::arith::{Interval, Jet2, Mpfr, NonSmooth};
use crate::linalg::{self, Mat};
use crate::model::partition::Partition;
use crate::model::reduced;

/// Why the Krawczyk test did not succeed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum KrawczykFailure {
    /// The box touches the non-smooth set (or a norm interval contains 0).
    #[error("the box touches the non-smooth set: {0}")]
    NonSmooth(#[from] NonSmooth),
    /// The Hessian's midpoint is singular to working precision.
    #[error("the reduced Hessian is singular to working precision")]
    Singular,
    /// `K(X)` is not inside the box: coordinate `coord` sticks out.
    #[error("K(X) is not inside the box (coordinate {coord})")]
    NotContracting {
        /// The first layout coordinate where K(X) leaves the box.
        coord: usize,
    },
}

/// Encloses: what a successful Krawczyk test proves, with the enclosures it computed.
#[derive(Clone, Debug)]
pub struct KrawczykProof {
    /// Encloses: the outer box `X ⊇ B` (layout order).
    pub outer: Vec<Interval>,
    /// Encloses: `K(X)`, which contains the critical point.
    pub k: Vec<Interval>,
    /// Encloses: the loss at the critical point.
    pub loss: Interval,
}

/// Encloses: the Krawczyk test for a square system `F(z) = 0` on the box of radius
/// `radius` around the exact center enclosed by `center`. `eval(C, X)` returns an
/// enclosure of `F` at the center, an enclosure of the Jacobian over the outer box `X`,
/// and any by-product the caller wants back. On success the system has exactly one zero in
/// the exact box, and it lies in the returned `K(X)`.
pub fn krawczyk_system<T>(
    center: &[Interval],
    radius: &Interval,
    eval: impl FnOnce(&[Interval], &[Interval]) -> Result<(Vec<Interval>, Mat<Interval>, T), NonSmooth>,
) -> Result<KrawczykBox<T>, KrawczykFailure> {
    let prec = center[0].precision();
    let n = center.len();
    let outer: Vec<Interval> = center.iter().map(|c| c.inflate(radius.hi())).collect();
    let inner: Vec<Option<Interval>> = center
        .iter()
        .map(|c| {
            let lo = (c.clone() - radius.clone()).hi().clone();
            let hi = (c.clone() + radius.clone()).lo().clone();
            Interval::from_floats(prec, &lo, &hi)
        })
        .collect();
    let (f, jac, extra) = eval(center, &outer)?;
    let mid: Mat<Mpfr> = jac
        .iter()
        .map(|row| row.iter().map(|x| Mpfr(x.mid())).collect())
        .collect();
    let y_approx = linalg::inverse(&mid).map_err(|_| KrawczykFailure::Singular)?;
    let y: Mat<Interval> = y_approx
        .iter()
        .map(|row| {
            row.iter()
                .map(|x| Interval::from_float(prec, &x.0).ok_or(KrawczykFailure::Singular))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    let yf = linalg::matvec(&y, &f);
    let yj = linalg::matmul(&y, &jac);
    let mut k = Vec::with_capacity(n);
    for p in 0..n {
        let mut acc = center[p].clone() - yf[p].clone();
        for q in 0..n {
            let ident = Interval::point(prec, if p == q { 1.0 } else { 0.0 });
            acc = acc + (ident - yj[p][q].clone()) * (outer[q].clone() - center[q].clone());
        }
        match &inner[p] {
            Some(b) if b.interior_contains(&acc) => k.push(acc),
            _ => return Err(KrawczykFailure::NotContracting { coord: p }),
        }
    }
    Ok(KrawczykBox { outer, k, extra })
}

/// Encloses: what [`krawczyk_system`] proved: the system has exactly one zero in the exact
/// box, and it lies in `k`.
#[derive(Clone, Debug)]
pub struct KrawczykBox<T> {
    /// Encloses: the outer box `X` the Jacobian was enclosed over.
    pub outer: Vec<Interval>,
    /// Encloses: `K(X)`, which contains the zero.
    pub k: Vec<Interval>,
    /// The caller's by-product of the evaluation.
    pub extra: T,
}

/// Encloses: run the Krawczyk test on the reduced gradient (see the module contract).
pub fn krawczyk(
    part: &Partition,
    center: &[Interval],
    radius: &Interval,
) -> Result<KrawczykProof, KrawczykFailure> {
    let KrawczykBox {
        outer,
        k,
        extra: (at_c, over_x),
    } = krawczyk_system(center, radius, |c, x| {
        let at_c = reduced::gradient(part, c)?;
        let over_x: Jet2<Interval> = reduced::gradient_hessian(part, x)?;
        Ok((at_c.g.clone(), over_x.hessian_matrix(), (at_c, over_x)))
    })?;
    let mut mean_value = at_c.v.clone();
    for p in 0..center.len() {
        mean_value = mean_value + over_x.g[p].clone() * (outer[p].clone() - center[p].clone());
    }
    let loss = mean_value
        .intersect(&over_x.v)
        .expect("both enclose the loss at the critical point");
    Ok(KrawczykProof { outer, k, loss })
}
