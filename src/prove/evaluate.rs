//! Enclosures of the loss, the reduced gradient and the reduced Hessian at a point.
//!
//! **Contract.** [`evaluate_at`] refines an approximate point by MPFR Newton at `prec`
//! (approximate), then evaluates the reduced loss on [`Jet2`] over [`Interval`] at the
//! exact binary floats Newton returned: every enclosure holds *at that float point*. No
//! claim about a critical point is made (that is [`crate::prove::certify_point`]).

use crate::arith::{Interval, Jet2, Mpfr, NonSmooth};
use crate::model::partition::Partition;
use crate::model::reduced;
use crate::search::newton::{self, NewtonError};

/// Encloses: the loss, gradient and Hessian at an exact float point.
#[derive(Clone, Debug)]
pub struct PointEnclosures {
    /// Exact: the point (binary floats from Newton at `prec`), layout order.
    pub point: Vec<Mpfr>,
    /// Encloses: value, gradient and Hessian of the reduced loss at `point`.
    pub jet: Jet2<Interval>,
}

/// Why no enclosures were produced.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EvaluateError {
    /// The refinement failed (approximate stage).
    #[error("Newton at the requested precision: {0}")]
    Newton(#[from] NewtonError),
    /// Newton returned a coordinate that is not a finite number.
    #[error("Newton returned a non-finite coordinate")]
    NotFinite,
    /// The point lies on the non-smooth set.
    #[error("interval evaluation refused: {0}")]
    NonSmooth(#[from] NonSmooth),
}

/// Encloses: refine `approx` at `prec`, then enclose loss, gradient and Hessian there.
pub fn evaluate_at(
    part: &Partition,
    approx: &[Mpfr],
    prec: u32,
) -> Result<PointEnclosures, EvaluateError> {
    let found = newton::polish(part, approx, prec)?;
    let point: Vec<Interval> = found
        .theta
        .iter()
        .map(|x| Interval::from_float(prec, &x.0).ok_or(EvaluateError::NotFinite))
        .collect::<Result<_, _>>()?;
    let jet = reduced::gradient_hessian(part, &point)?;
    Ok(PointEnclosures {
        point: found.theta,
        jet,
    })
}
