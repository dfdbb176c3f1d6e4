//! Independent re-checking of certificate files.
//!
//! **Contract.** [`verify_stored`] re-derives every claim from the file's center, radius
//! and precision alone, with a fresh interval evaluation ([`crate::prove::critical_point::prove`]); the
//! stored enclosures are only *compared* with the recomputed ones, never used. A claim is
//! verified when the recomputed enclosure lies inside the stored interval (then the stored
//! statement is proved), refuted when the two are disjoint or a discrete claim
//! (classification, index, component list, dimension) differs from what is proved, and
//! undecided otherwise. The first claim that is not verified is reported.
//!
//! How each other statement of a file is decided:
//!
//! | statement | how |
//! |---|---|
//! | form | strict JSON by the format rules of docs/certificates.md (the checker's too): a repeated, unknown or missing key, a non-ASCII or overlong decimal, a one-ended margin, a count out of range, a block not written as the writer writes it is malformed (exit 2); at most 16 MiB are read |
//! | `relucert_version` | `X.Y.Z` (else malformed); any such version is accepted |
//! | `precision_bits` | in 64..=8192 (else malformed); the re-proof runs at it, and the statement names it |
//! | `classification: inconclusive` | states nothing: inconclusive (never verified) |
//! | `statement` | regenerated from the partition and precision ([`crate::certificate::critical_point::statement_text`]) and compared: refuted if it differs |
//! | `family` | the family's point, located afresh by Newton at the file's precision, lies in the box: refuted if it lies beyond 1000 radii, undecided if just outside |
//! | `positive_definite: true` | re-proved by interval Cholesky; refuted when the block has a certified negative eigenvalue, undecided otherwise |
//! | `margin` | stated only with `separated`: refuted when stated without it; otherwise compared like any enclosure |
//! | tangency arcs | see `crate::certificate::tangency_point`: component, splits, isotropy, mirror pair, eigenvalue index and direction re-derived |
//!
//! **What this cannot prove.** `verify` reruns relucert's own code (the same
//! [`crate::prove::critical_point::prove`]): it is independent of the stored numbers, not of the code. A
//! systematic error passes it, as the f64 seed of `n-2,2` did before it was fixed. The
//! independent checker `tools/checker/check.py` (Arb, no shared code) covers that gap.

use crate::arith::Interval;
use crate::certificate::critical_point::{Relation, Stored, StoredInterval};
use crate::prove::critical_point::{prove, VerdictKind};

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

impl std::fmt::Display for Status {
    /// Exact: the word, and the reason when there is one.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Status::Verified => f.write_str("VERIFIED"),
            Status::Refuted(m) | Status::Inconclusive(m) => write!(f, "{}: {m}", self.word()),
        }
    }
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

/// Encloses: re-derive and compare (see the module contract).
pub fn verify_stored(s: &Stored) -> Status {
    match verify_inner(s) {
        Ok(()) => Status::Verified,
        Err(st) => st,
    }
}

fn verify_inner(s: &Stored) -> Result<(), Status> {
    let proof = prove(
        &s.point.partition,
        &s.point.center,
        &s.point.radius,
        s.point.prec,
    )
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
            // A certified negative eigenvalue makes the claim false, not merely unproved.
            if c.eigenvalues.iter().any(Interval::is_negative) {
                return Err(Status::Refuted(format!(
                    "{label}: claimed positive definite, but it has a certified negative eigenvalue"
                )));
            }
            return Err(Status::Inconclusive(format!(
                "{label}: positive definiteness not re-proved"
            )));
        }
    }
    let proved = proof.verdict.kind();
    if s.classification == VerdictKind::Inconclusive {
        // The file claims no classification: nothing to re-prove, nothing certified.
        return Err(Status::Inconclusive(format!(
            "classification: the file states inconclusive (it certifies no classification; the proof gives {proved})"
        )));
    }
    if proved != s.classification {
        let msg = format!(
            "classification: the file says {}, the proof gives {proved}",
            s.classification
        );
        // A proof that decides nothing is not a refutation.
        return Err(if proved == VerdictKind::Inconclusive {
            Status::Inconclusive(msg)
        } else {
            Status::Refuted(msg)
        });
    }
    if proof.verdict.index() != s.index {
        return Err(Status::Refuted(format!(
            "index: the file says {:?}, the proof gives {:?}",
            s.index,
            proof.verdict.index()
        )));
    }
    let sm = &s.min_eigenvalue;
    let m = &proof.min_eigenvalue;
    if m.kind != sm.kind || m.dimension != sm.dimension {
        let msg = format!(
            "min_eigenvalue: the smallest enclosure is on {} of dimension {}",
            m.kind.label(),
            m.dimension
        );
        // Only a separated claim names where the smallest eigenvalue lies; without
        // separation on both sides the component is not a statement either way.
        return Err(if sm.separated && m.separated {
            Status::Refuted(msg)
        } else {
            Status::Inconclusive(msg)
        });
    }
    check(&sm.value, &m.value, "min_eigenvalue")?;
    if sm.separated && !m.separated {
        return Err(Status::Inconclusive(
            "min_eigenvalue: separation from the other eigenvalues not re-proved".into(),
        ));
    }
    // A margin is a statement only under separation; it is checked like any enclosure.
    match (&sm.margin, sm.separated, &m.margin) {
        (None, _, _) => {}
        (Some(_), false, _) => {
            return Err(Status::Refuted(
                "min_eigenvalue.margin: stated without separation, where no margin is proved"
                    .into(),
            ))
        }
        (Some(stored), true, Some(pm)) => check(stored, pm, "min_eigenvalue.margin")?,
        (Some(_), true, None) => {
            return Err(Status::Inconclusive(
                "min_eigenvalue.margin: not re-proved".into(),
            ))
        }
    }
    check_statement(s)?;
    let p = &s.point;
    check_family(p.family, &p.partition, p.prec, &p.center, &p.radius)
}

/// The statement text is a function of the partition and precision: regenerate, compare.
fn check_statement(s: &Stored) -> Result<(), Status> {
    let expected =
        crate::certificate::critical_point::statement_text(&s.point.partition, s.point.prec);
    if s.statement != expected {
        return Err(Status::Refuted(format!(
            "statement: not the statement this certificate's data make (expected \"{expected}\")"
        )));
    }
    Ok(())
}

/// Exact (decided on an approximate point): the family label: the family's point, located afresh (Newton at the file's precision),
/// lies in the certified box. Outside the box the label names another critical point.
pub fn check_family(
    family: Option<crate::search::families::Family>,
    partition: &crate::model::partition::Partition,
    prec: u32,
    center: &[rug::Rational],
    radius: &rug::Rational,
) -> Result<(), Status> {
    let Some(family) = family else {
        return Ok(());
    };
    let d = partition.d();
    let located = crate::search::families::locate(family, d, Some(prec)).map_err(|e| {
        Status::Inconclusive(format!(
            "family: {} could not be located ({e})",
            family.name()
        ))
    })?;
    if located.partition != *partition {
        return Err(Status::Refuted(format!(
            "family: {} lives in partition {}",
            family.name(),
            located.partition.label()
        )));
    }
    for (p, x) in located.found.theta.iter().enumerate() {
        let q = x.0.to_rational().ok_or_else(|| {
            Status::Inconclusive(format!("family: {} located at a non-number", family.name()))
        })?;
        let dist = (q - center[p].clone()).abs();
        if dist > *radius {
            // The located point is approximate: just outside the box is undecided; far
            // outside (beyond 1000 radii) it is another critical point.
            let far = dist > radius.clone() * 1000u32;
            let msg = format!(
                "family: the located point of family {} lies outside the certified box (coordinate {})",
                family.name(),
                p + 1
            );
            return Err(if far {
                Status::Refuted(msg)
            } else {
                Status::Inconclusive(msg)
            });
        }
    }
    Ok(())
}

/// A critical-point certificate read back from its file: re-proved from the file's
/// centre, radius and precision, and returned only when every stored claim is verified.
#[derive(Debug)]
pub enum Loaded {
    /// Every claim re-proved: the typed certificate (its proof is the fresh one).
    Verified(Box<crate::prove::Certificate>),
    /// Some claim was refuted or not re-proved.
    NotVerified(Status),
}

/// Encloses: read a critical-point certificate file into a typed [`crate::prove::Certificate`]
/// (`Err` when unreadable or malformed). A file whose claims are not all re-proved gives
/// [`Loaded::NotVerified`], so a certificate from a file is never trusted unchecked.
pub fn load_certificate(path: &std::path::Path) -> crate::error::Result<Loaded> {
    let s = crate::certificate::critical_point::read(path)?;
    match verify_stored(&s) {
        Status::Verified => {}
        st => return Ok(Loaded::NotVerified(st)),
    }
    let proof = prove(
        &s.point.partition,
        &s.point.center,
        &s.point.radius,
        s.point.prec,
    )
    .map_err(|e| {
        crate::error::Error::Numerical(format!("{}: re-proof failed: {e}", path.display()))
    })?;
    Ok(Loaded::Verified(Box::new(crate::prove::Certificate {
        family: s.point.family,
        partition: s.point.partition.clone(),
        prec: s.point.prec,
        center: s
            .point
            .center_text
            .iter()
            .map(|t| crate::arith::decimal::Decimal::parse(t).expect("validated"))
            .collect(),
        radius: crate::arith::decimal::Decimal::parse(&s.point.radius_text).expect("validated"),
        proof,
    })))
}

/// Encloses: verify a certificate file of either kind (`critical_point` or `tangency_point`):
/// `Err` when it cannot be read or is malformed, otherwise the verdict.
/// At most [`crate::certificate::critical_point::MAX_FILE_BYTES`] + 1 bytes are read.
pub fn verify_file(path: &std::path::Path) -> crate::error::Result<Status> {
    let text = crate::certificate::critical_point::read_text(path)?;
    verify_text(&text, &path.display().to_string())
}

/// Encloses: [`verify_file`] on the file's text (`path` only names it in messages).
pub fn verify_text(text: &str, path: &str) -> crate::error::Result<Status> {
    let kind = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string));
    match kind.as_deref() {
        Some("tangency_point") => crate::certificate::tangency_point::verify_text(text, path),
        _ => crate::certificate::critical_point::parse(text, path).map(|s| verify_stored(&s)),
    }
}
