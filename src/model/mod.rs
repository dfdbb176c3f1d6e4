//! The loss of docs/loss.md, written once over [`crate::arith::Scalar`].
//!
//! - [`dense`]: `L(W)`, its gradient and Hessian for a full `d x d` matrix, in closed form
//!   (cost O(d^3) for the loss and gradient, O(d^4) for the Hessian: small d only).
//! - [`reduced`]: the loss on a Young fixed space in reduced coordinates (cost O(r^3),
//!   independent of d, block sizes may be real), and its gradient and Hessian by
//!   forward-mode AD ([`crate::arith::Jet2`]), along any set of directions.
//!
//! Whatever the arithmetic guarantees (approximation or enclosure), these functions
//! preserve: they are compositions of `Scalar` operations only. Points where the loss is not
//! smooth (a zero row, two parallel vectors) make them return [`crate::arith::NonSmooth`].

pub mod dense;
pub mod partition;
pub mod reduced;
