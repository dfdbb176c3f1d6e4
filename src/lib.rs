//! relucert: certified critical points, Hessian spectra and tangency arcs of the loss of
//! two-layer ReLU networks (k = d neurons, teacher V = I, Gaussian inputs).
//!
//! Layers, from the bottom: [`arith`] (the `Scalar` trait and its arithmetics, with
//! directed rounding confined to [`arith::interval`]), [`model`] (the loss written once),
//! [`symmetry`] (Young fixed spaces), and on top of them the searches and certificates.

pub mod arcs;
pub mod arith;
pub mod certificate;
pub mod compare;
pub mod error;
pub mod linalg;
pub mod model;
pub mod prove;
pub mod random;
pub mod render;
pub mod search;
pub mod symmetry;
