//! Independent re-checking of certificate files.
//!
//! **Contract.** [`verify_stored`] re-derives every claim from the file's center, radius
//! and precision alone, with a fresh interval evaluation ([`super::point::prove`]); the
//! stored enclosures are only *compared* with the recomputed ones, never used. A claim is
//! verified when the recomputed enclosure lies inside the stored interval (then the stored
//! statement is proved), refuted when the two are disjoint or a discrete claim
//! (classification, index, component list, dimension) differs from what is proved, and
//! undecided otherwise. The first claim that is not verified is reported.

use super::certificate::{Relation, Stored, StoredInterval};
use super::point::{prove, Verdict};
use crate::arith::Interval;

/// The outcome of verifying one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every claim re-proved.
    Verified,
    /// Some claim is false (the message names it).
    Refuted(String),
    /// Some claim could not be re-proved (the message names it).
    Inconclusive(String),
}

impl Status {
    /// Exact: the word printed for this status.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Verified => "VERIFIED",
            Status::Refuted(_) => "REFUTED",
            Status::Inconclusive(_) => "INCONCLUSIVE",
        }
    }
}

fn check(claim: &StoredInterval, got: &Interval, what: &str) -> Result<(), Status> {
    match claim.relation(got) {
        Relation::Proved => Ok(()),
        Relation::Refuted => Err(Status::Refuted(format!(
            "{what}: the stored interval excludes the proved enclosure {got}"
        ))),
        Relation::Undecided => Err(Status::Inconclusive(format!(
            "{what}: the proved enclosure {got} is not inside the stored interval"
        ))),
    }
}

/// Re-derive and compare (see the module contract).
pub fn verify_stored(s: &Stored) -> Status {
    match verify_inner(s) {
        Ok(()) => Status::Verified,
        Err(st) => st,
    }
}

fn verify_inner(s: &Stored) -> Result<(), Status> {
    let proof = prove(&s.partition, &s.center, &s.radius, s.prec)
        .map_err(|e| Status::Inconclusive(format!("unique critical point in the box: {e}")))?;
    check(&s.loss, &proof.loss, "loss")?;
    if proof.components.len() != s.components.len() {
        return Err(Status::Refuted(format!(
            "components: the partition has {} components, the file lists {}",
            proof.components.len(),
            s.components.len()
        )));
    }
    for (k, (c, sc)) in proof.components.iter().zip(&s.components).enumerate() {
        let label = c.component.kind.label();
        if c.component.kind != sc.kind
            || c.component.dimension != sc.dimension
            || c.component.copies != sc.copies
        {
            return Err(Status::Refuted(format!(
                "components[{k}]: expected {label} of dimension {} with {} copies",
                c.component.dimension, c.component.copies
            )));
        }
        if sc.eigenvalues.len() != c.eigenvalues.len() {
            return Err(Status::Refuted(format!(
                "components[{k}] ({label}): {} eigenvalues expected",
                c.eigenvalues.len()
            )));
        }
        for (j, (e, se)) in c.eigenvalues.iter().zip(&sc.eigenvalues).enumerate() {
            check(se, e, &format!("eigenvalue {} of {label}", j + 1))?;
        }
        if sc.positive_definite && !c.positive_definite {
            return Err(Status::Inconclusive(format!(
                "{label}: positive definiteness not re-proved"
            )));
        }
    }
    let proved = proof.verdict.name();
    if proved != s.classification {
        let msg = format!(
            "classification: the file says {}, the proof gives {proved}",
            s.classification
        );
        return Err(match proof.verdict {
            Verdict::Inconclusive { .. } => Status::Inconclusive(msg),
            _ => Status::Refuted(msg),
        });
    }
    if proof.verdict.index() != s.index {
        return Err(Status::Refuted(format!(
            "index: the file says {:?}, the proof gives {:?}",
            s.index,
            proof.verdict.index()
        )));
    }
    let (val, kind, dim, separated, margin) = &s.min_eigenvalue;
    let m = &proof.min_eigenvalue;
    if m.kind != *kind || m.dimension != *dim {
        return Err(Status::Refuted(format!(
            "min_eigenvalue: the smallest enclosure is on {} of dimension {}",
            m.kind.label(),
            m.dimension
        )));
    }
    check(val, &m.value, "min_eigenvalue")?;
    if *separated && !m.separated {
        return Err(Status::Inconclusive(
            "min_eigenvalue: separation from the other eigenvalues not re-proved".into(),
        ));
    }
    if let (Some(sm), Some(pm)) = (margin, &m.margin) {
        check(sm, pm, "min_eigenvalue.margin")?;
    }
    Ok(())
}

/// Verify a certificate file of either kind (`critical_point` or `tangency_point`):
/// `Err` when it cannot be read or is malformed, otherwise the verdict.
pub fn verify_file(path: &std::path::Path) -> crate::error::Result<Status> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| crate::error::Error::io(&shown, e))?;
    verify_text(&text, &shown)
}

/// [`verify_file`] on the file's text (`path` only names it in messages).
pub fn verify_text(text: &str, path: &str) -> crate::error::Result<Status> {
    let kind = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string));
    match kind.as_deref() {
        Some("tangency_point") => crate::arcs::certificate::verify_text(text, path),
        _ => super::certificate::parse(text, path).map(|s| verify_stored(&s)),
    }
}
