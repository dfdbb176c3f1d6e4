//! The dense cross-check for small d: the full `d^2 x d^2` Hessian without symmetry
//! reduction.
//!
//! Two checks, of different trust levels:
//! - **proved**: the dense Hessian enclosed over the whole Krawczyk box (closed-form
//!   `A`, `B` blocks in interval arithmetic), positive definite by interval Cholesky —
//!   an independent proof of strict local minimality that does not use the
//!   representation theory;
//! - **approximate**: the f64 dense eigenvalues at the center, sorted, against the block
//!   enclosures repeated by their dimensions (agreement within `1e-9` relative, the f64
//!   eigensolver's accuracy at these sizes).

use crate::arith::{Interval, NonSmooth};
use crate::model::dense;
use crate::prove::critical_point::{enclose_center, Verdict};
use crate::prove::definite::cholesky_positive;
use crate::prove::Certificate;
use crate::search::dense_spectrum;

/// Exact: the largest d for the dense cross-check (the Hessian has d^4 entries).
pub const DENSE_MAX: u64 = 20;

/// Encloses: the interval Cholesky of the dense Hessian over the box.
#[derive(Clone, Debug, PartialEq)]
pub enum DenseCholesky {
    /// Every pivot certainly positive: every Hessian in the box is positive definite.
    PositiveDefinite,
    /// This pivot (0-based) is not certainly positive (which proves nothing either way).
    NotCertainlyPositive {
        /// The pivot.
        pivot: usize,
    },
    /// The dense Hessian could not be evaluated over the box.
    NonSmooth(NonSmooth),
}

/// Why the dense cross-check did not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DenseCheckError {
    /// The dense Hessian has d^4 entries: refused above [`DENSE_MAX`].
    #[error("d = {0} is too large for the dense cross-check (d <= {DENSE_MAX})")]
    TooLarge(u64),
}

/// The outcome of the dense cross-check (a second code path, for small d).
#[derive(Clone, Debug)]
pub struct DenseCheck {
    /// Exact: d.
    pub d: u64,
    /// Encloses: the interval Cholesky of the dense Hessian over the box.
    pub cholesky: DenseCholesky,
    /// Whether the certificate claims a strict local minimum.
    pub claims_minimum: bool,
    /// Approximate: the largest deviation of a dense f64 eigenvalue from its block enclosure.
    pub max_deviation: f64,
    /// Approximate: the number of negative dense f64 eigenvalues.
    pub negative: usize,
    /// The certified index, if any.
    pub index: Option<u128>,
}

impl DenseCheck {
    /// Approximate (the eigenvalue part is an f64 comparison with tolerance 1e-9): whether
    /// the dense computation agrees with the certificate.
    pub fn agrees(&self) -> bool {
        let chol = (self.cholesky == DenseCholesky::PositiveDefinite) == self.claims_minimum;
        let index = self.index.is_none_or(|i| i == self.negative as u128);
        chol && index && self.max_deviation <= 1e-9
    }
}

/// Encloses (the Cholesky) and approximate (the f64 spectrum): Run the dense cross-check for a certificate (`d <= DENSE_MAX`).
pub fn cross_check(cert: &Certificate) -> Result<DenseCheck, DenseCheckError> {
    let part = &cert.partition;
    let d = part.d_u64();
    if d > DENSE_MAX {
        return Err(DenseCheckError::TooLarge(d));
    }
    let exact: Vec<rug::Rational> = cert.center.iter().map(|c| c.value().clone()).collect();
    let c = enclose_center(&exact, cert.prec);
    let r = Interval::from_rational(cert.prec, cert.radius.value());
    let outer: Vec<Interval> = c.iter().map(|x| x.inflate(r.hi())).collect();
    let w = part.embed(&outer).expect("integer partition");
    let cholesky = match dense::hessian(&w) {
        Ok(h) => match cholesky_positive(&h) {
            Ok(_) => DenseCholesky::PositiveDefinite,
            Err(pivot) => DenseCholesky::NotCertainlyPositive { pivot },
        },
        Err(e) => DenseCholesky::NonSmooth(e),
    };
    let theta: Vec<f64> = c.iter().map(|x| x.mid().to_f64()).collect();
    let dense_ev = dense_spectrum::dense_eigenvalues(part, &theta).unwrap_or_default();
    let mut enclosures: Vec<(f64, f64)> = Vec::new();
    for comp in &cert.proof.components {
        for e in &comp.eigenvalues {
            for _ in 0..comp.component.dimension {
                enclosures.push((e.lo().to_f64(), e.hi().to_f64()));
            }
        }
    }
    enclosures.sort_by(|a, b| a.0.total_cmp(&b.0));
    let max_deviation = if dense_ev.len() == enclosures.len() {
        dense_ev
            .iter()
            .zip(&enclosures)
            .map(|(x, (lo, hi))| if x < lo { lo - x } else if x > hi { x - hi } else { 0.0 } / x.abs().max(1.0))
            .fold(0.0, f64::max)
    } else {
        f64::INFINITY
    };
    Ok(DenseCheck {
        d,
        cholesky,
        claims_minimum: cert.proof.verdict == Verdict::StrictLocalMinimum,
        max_deviation,
        negative: dense_ev.iter().filter(|&&x| x < 0.0).count(),
        index: cert.proof.verdict.index(),
    })
}
