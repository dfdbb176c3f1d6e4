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

use crate::arith::Interval;
use crate::model::dense;
use crate::prove::critical_point::{enclose_center, Verdict};
use crate::prove::definite::cholesky_positive;
use crate::prove::Certificate;
use crate::search::dense_spectrum;
use serde_json::{json, Value};

/// Exact: the largest d for the dense cross-check (the Hessian has d^4 entries).
pub const DENSE_MAX: u64 = 20;

/// The outcome of the dense cross-check.
#[derive(Clone, Debug)]
pub struct DenseCheck {
    /// Exact: d.
    pub d: u64,
    /// Proved: `Ok` if interval Cholesky proved the dense Hessian positive definite over the
    /// box, `Err(k)` with the first pivot not certainly positive (or the non-smooth error).
    pub cholesky: Result<(), String>,
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
    /// Whether the dense computation agrees with the certificate.
    pub fn agrees(&self) -> bool {
        let chol = self.cholesky.is_ok() == self.claims_minimum;
        let index = self.index.is_none_or(|i| i == self.negative as u128);
        chol && index && self.max_deviation <= 1e-9
    }

    /// Exact: JSON report.
    pub fn to_json(&self) -> Value {
        json!({
            "d": self.d,
            "hessian_order": self.d * self.d,
            "interval_cholesky": match &self.cholesky { Ok(()) => "positive definite".to_string(), Err(e) => e.clone() },
            "max_eigenvalue_deviation": format!("{:e}", self.max_deviation),
            "dense_negative_eigenvalues": self.negative,
            "agrees": self.agrees(),
        })
    }

    /// Exact: text report.
    pub fn text(&self) -> String {
        format!(
            "dense cross-check (d^2 = {} unknowns): interval Cholesky over the box: {}; f64 dense eigenvalues vs block enclosures: max deviation {:.1e}, {} negative; {}\n",
            self.d * self.d,
            match &self.cholesky {
                Ok(()) => "PROVED positive definite".to_string(),
                Err(e) => e.clone(),
            },
            self.max_deviation,
            self.negative,
            if self.agrees() { "AGREES" } else { "DISAGREES" }
        )
    }
}

/// Run the dense cross-check for a certificate (`d <= DENSE_MAX`).
pub fn cross_check(cert: &Certificate) -> DenseCheck {
    let part = &cert.partition;
    let d = part.d() as u64;
    let exact: Vec<rug::Rational> = cert.center.iter().map(|c| c.value().clone()).collect();
    let c = enclose_center(&exact, cert.prec);
    let r = Interval::from_rational(cert.prec, cert.radius.value());
    let outer: Vec<Interval> = c.iter().map(|x| x.inflate(r.hi())).collect();
    let w = part.embed(&outer).expect("integer partition");
    let cholesky = match dense::hessian(&w) {
        Ok(h) => cholesky_positive(&h)
            .map(|_| ())
            .map_err(|k| format!("pivot {k} not certainly positive")),
        Err(e) => Err(format!("not evaluated: {e}")),
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
    DenseCheck {
        d,
        cholesky,
        claims_minimum: cert.proof.verdict == Verdict::StrictLocalMinimum,
        max_deviation,
        negative: dense_ev.iter().filter(|&&x| x < 0.0).count(),
        index: cert.proof.verdict.index(),
    }
}
