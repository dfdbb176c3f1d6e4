//! Certificate files: the file format of both kinds of certificate, written
//! deterministically and read back strictly, and their re-verification.
//!
//! - [`critical_point`]: a certified critical point as JSON, and reading it back;
//! - [`tangency_point`]: a certified point of a tangency arc;
//! - [`verify`]: re-derive every claim of a file and compare;
//! - [`strict_json`]: JSON without repeated keys, and exact key sets.
//!
//! This layer sits above [`crate::prove`] and [`crate::arcs`] (it writes what they prove)
//! and below [`crate::render`].

pub mod critical_point;
pub mod strict_json;
pub mod tangency_point;
pub mod verify;
