//! The approximate search: Newton in f64 or round-to-nearest MPFR ([`newton`]), the named
//! families and continuation in d ([`families`]), random scans of a fixed space
//! ([`scan`]), the two-block flip points ([`flip`]) and approximate dense spectra ([`dense_spectrum`]). Nothing here is an
//! enclosure: it only chooses the points that [`crate::prove`] then proves things about.

pub mod dense_spectrum;
pub mod families;
pub mod flip;
pub mod locate;
pub mod newton;
pub mod scan;
