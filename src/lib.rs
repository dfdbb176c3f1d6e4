//! relucert: certified critical points, Hessian spectra and tangency arcs of the loss of
//! two-layer ReLU networks (k = d neurons, teacher V = I, Gaussian inputs). The
//! mathematics is written up in the repository's `docs/`.
//!
//! # The pipeline
//!
//! 1. [`search`] (approximate): locate a critical point by Newton in f64 or
//!    round-to-nearest MPFR ([`search::families::locate`] for the named families).
//! 2. [`prove`] (enclosures): write the refined point as an exact decimal centre, find a
//!    box in which the Krawczyk test proves exactly one critical point, and enclose the
//!    loss and every Hessian eigenvalue by isotypic component ([`prove::certify_family`]).
//! 3. [`arcs`]: tangency arcs leaving a certified point, traced and certified at radii.
//! 4. [`certificate`]: the file format of both kinds of certificate, written
//!    deterministically, read back strictly, and re-verified ([`certificate::verify`]).
//! 5. [`identify`]: from a trained weight matrix (a file) to its symmetry, the
//!    certified critical point next to it, and its name.
//! 6. [`compare`] and [`sweep`]: the families side by side across d (eigenvalue
//!    orderings; the minimizing arcs, their ends and barriers); [`ladder`]: every
//!    two-block flip point at one d.
//! 7. [`render`]: every table, summary and plot.
//!
//! Below them sit [`arith`] (the [`arith::Scalar`] trait; directed rounding lives only
//! in [`arith::interval`]), [`model`] (the loss, written once, and the Young fixed spaces
//! it is reduced to) and [`symmetry`] (the isotypic components). Each layer imports only
//! from the layers below it (checked by `tests/layering.rs`).
//!
//! # Example
//!
//! Certify the hidden minimum II at d = 1000 and read where its smallest Hessian
//! eigenvalue lies:
//!
//! ```
//! use relucert::{certify_family, Family, Kind, Verdict};
//!
//! let cert = certify_family(Family::II, 1000, 256).expect("certified");
//! assert_eq!(cert.proof.verdict, Verdict::StrictLocalMinimum);
//! let min = &cert.proof.min_eigenvalue;
//! assert_eq!(min.kind, Kind::OneOne(0)); // [d-3,1,1] on the block of size 999
//! assert!(min.separated); // its enclosure lies below every other eigenvalue's
//! assert_eq!(min.dimension, 998 * 997 / 2); // (n-1)(n-2)/2 with n = 999
//! let margin = min.margin.as_ref().expect("stated under separation");
//! assert!(*margin.lo() > 3.07e-3); // a certified lower bound on the gap to the next
//! ```

#![warn(missing_docs)]

pub mod arcs;
pub mod arith;
pub mod certificate;
pub mod compare;
pub mod descend;
pub mod error;
pub mod identify;
pub mod ladder;
pub mod linalg;
pub mod model;
pub mod output_file;
pub mod prove;
pub mod random;
pub mod render;
pub mod search;
pub mod sweep;
pub mod symmetry;

pub use arith::{Interval, Mpfr, Scalar};
pub use certificate::verify::{verify_file, Status};
pub use error::{Error, Result};
pub use model::partition::{Param, Partition};
pub use prove::critical_point::{Proof, Verdict};
pub use prove::{certify_family, certify_point, Certificate, NotCertified};
pub use search::families::Family;
pub use symmetry::components::Kind;
