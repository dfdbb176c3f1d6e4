//! Approximate: the point a command works on, named either as a family at d or as a
//! fixed space with a Newton start. The command line validates its flags into a
//! [`PointSpec`]; the search itself happens here, so a library user gets the same point.

use crate::arith::Mpfr;
use crate::model::partition::Partition;
use crate::search::families::{self, Family};
use crate::search::newton::{self, Found, NewtonError};

/// How a point is named.
#[derive(Clone, Debug)]
pub enum PointSpec {
    /// A named family at dimension `d` (real `d` allowed for continuation).
    Family {
        /// The family.
        family: Family,
        /// The dimension.
        d: f64,
    },
    /// Newton in a Young fixed space from a start (layout order).
    Start {
        /// The fixed space.
        partition: Partition,
        /// Approximate: the start, one value per reduced parameter.
        start: Vec<f64>,
    },
}

/// Approximate: a located point.
#[derive(Clone, Debug)]
pub struct SelectedPoint {
    /// The family, when the point is a named one.
    pub family: Option<Family>,
    /// Its fixed space.
    pub partition: Partition,
    /// Approximate: Newton's result.
    pub found: Found<Mpfr>,
    /// Precision used (53 = f64).
    pub prec: u32,
}

/// Approximate: locate the point of `spec` at precision `prec` (default: chosen from d,
/// [`newton::auto_prec`]).
pub fn locate_point(spec: &PointSpec, prec: Option<u32>) -> Result<SelectedPoint, NewtonError> {
    match spec {
        PointSpec::Family { family, d } => {
            let loc = families::locate(*family, *d, prec)?;
            Ok(SelectedPoint {
                family: Some(*family),
                partition: loc.partition,
                found: loc.found,
                prec: loc.prec,
            })
        }
        PointSpec::Start { partition, start } => {
            if start.len() != partition.dim() {
                return Err(NewtonError::Dimension(partition.d()));
            }
            let prec = prec.unwrap_or_else(|| newton::auto_prec(partition.d()));
            let found = newton::newton_at_prec(partition, start, prec)?;
            Ok(SelectedPoint {
                family: None,
                partition: partition.clone(),
                found,
                prec,
            })
        }
    }
}
