//! Proofs: statements proved with outward-rounded interval arithmetic (enclosures only;
//! the approximate search that chooses the centre lives in [`crate::search`]).
//!
//! - [`krawczyk`]: a unique critical point in a box, and the loss there;
//! - [`eigen`]: eigenvalue enclosures of symmetric interval matrices;
//! - [`definite`]: positive definiteness by interval Cholesky;
//! - [`critical_point`]: the whole proof about a critical point (spectrum by component,
//!   classification, smallest eigenvalue);
//! - [`dense_check`]: the d^2 x d^2 interval Hessian cross-check (small d);
//! - this module: the pipeline `locate -> refine -> exact centre -> radius search ->
//!   proof` ([`certify_point`], [`certify_family`]) and its result, [`Certificate`].

pub mod critical_point;
pub mod definite;
pub mod dense_check;
pub mod eigen;
pub mod evaluate;
pub mod krawczyk;

use crate::arith::{decimal, Mpfr};
use crate::model::partition::{IntegerPartition, Partition};
use crate::search::families::{self, Family};
use crate::search::newton;

/// A proved statement about one critical point, ready to be written.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The family, if the point is a named one.
    pub family: Option<Family>,
    /// The fixed space (integer sizes).
    pub partition: IntegerPartition,
    /// Precision of the interval arithmetic.
    pub prec: u32,
    /// Exact: the center in layout order.
    pub center: Vec<decimal::Decimal>,
    /// Exact: the radius.
    pub radius: decimal::Decimal,
    /// Encloses: what was proved.
    pub proof: critical_point::Proof,
}

/// Why `certify` produced no certificate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NotCertified {
    /// The point could not be located or refined (approximate stage).
    #[error("the point could not be located at the requested precision: {0}")]
    Newton(String),
    /// Nothing could be proved about it.
    #[error("{0}")]
    NotProved(#[from] crate::prove::critical_point::NotProved),
}

/// Encloses: refine `approx` by Newton at `prec`, write the center as decimals, find a
/// Krawczyk radius and prove what can be proved (see [`crate::prove::critical_point::prove`]).
pub fn certify_point(
    family: Option<Family>,
    part: &Partition,
    approx: &[Mpfr],
    prec: u32,
) -> Result<Certificate, NotCertified> {
    let part = &part.integral().ok_or(NotCertified::NotProved(
        critical_point::NotProved::NotIntegral,
    ))?;
    let found =
        newton::polish(part, approx, prec).map_err(|e| NotCertified::Newton(e.to_string()))?;
    let digits = decimal::digits_for_prec(prec) - 2;
    let floats: Vec<rug::Float> = found.theta.iter().map(|x| x.0.clone()).collect();
    let center: Vec<decimal::Decimal> =
        crate::prove::critical_point::center_strings(&floats, digits)
            .iter()
            .map(|s| decimal::Decimal::parse(s).expect("written by to_decimal"))
            .collect();
    let exact: Vec<rug::Rational> = center.iter().map(|c| c.value().clone()).collect();
    let searched = crate::prove::critical_point::search_radius(part, &exact, prec)?;
    Ok(Certificate {
        family,
        partition: part.clone(),
        prec,
        center,
        radius: decimal::Decimal::parse(&searched.radius).expect("1e-k is a decimal"),
        proof: searched.proof,
    })
}

/// Encloses: certify a family's critical point at integer `d` (see [`certify_point`]).
pub fn certify_family(family: Family, d: u64, prec: u32) -> Result<Certificate, NotCertified> {
    let loc = families::locate(family, d as f64, None)
        .map_err(|e| NotCertified::Newton(e.to_string()))?;
    certify_point(Some(family), &loc.partition, &loc.found.theta, prec)
}
