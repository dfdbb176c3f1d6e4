//! Certification: statements proved with outward-rounded interval arithmetic.
//!
//! - [`krawczyk`]: a unique critical point in a box, and the loss there;
//! - [`eigen`]: eigenvalue enclosures of symmetric interval matrices;
//! - [`definite`]: positive definiteness by interval Cholesky;
//! - [`point`]: the whole proof about a critical point (spectrum by component,
//!   classification, smallest eigenvalue).

pub mod certificate;
pub mod definite;
pub mod dense;
pub mod eigen;
pub mod krawczyk;
pub mod point;
pub mod strict_json;
pub mod verify;

use crate::arith::{decimal, Mpfr};
use crate::critical;
use crate::families::{self, Family};
use crate::symmetry::partition::Partition;
use certificate::Certificate;

/// Why `certify` produced no certificate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NotCertified {
    /// The point could not be located or refined (approximate stage).
    #[error("the point could not be located at the requested precision: {0}")]
    Newton(String),
    /// Nothing could be proved about it.
    #[error("{0}")]
    NotProved(#[from] point::NotProved),
}

/// Encloses: refine `approx` by Newton at `prec`, write the center as decimals, find a
/// Krawczyk radius and prove what can be proved (see [`point::prove`]).
pub fn certify_point(
    family: Option<Family>,
    part: &Partition,
    approx: &[Mpfr],
    prec: u32,
) -> Result<Certificate, NotCertified> {
    let found =
        critical::polish(part, approx, prec).map_err(|e| NotCertified::Newton(e.to_string()))?;
    let digits = decimal::digits_for_prec(prec) - 2;
    let floats: Vec<rug::Float> = found.theta.iter().map(|x| x.0.clone()).collect();
    let center = point::center_strings(&floats, digits);
    let exact: Vec<rug::Rational> = center
        .iter()
        .map(|s| decimal::parse_decimal(s).expect("written by to_decimal"))
        .collect();
    let searched = point::search_radius(part, &exact, prec)?;
    Ok(Certificate {
        family,
        partition: part.clone(),
        prec,
        center,
        radius: searched.radius,
        proof: searched.proof,
    })
}

/// Encloses: certify a family's critical point at integer `d` (see [`certify_point`]).
pub fn certify_family(family: Family, d: u64, prec: u32) -> Result<Certificate, NotCertified> {
    let loc = families::locate(family, d as f64, None)
        .map_err(|e| NotCertified::Newton(e.to_string()))?;
    certify_point(Some(family), &loc.partition, &loc.found.theta, prec)
}
