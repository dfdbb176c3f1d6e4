//! Presentation of `identify`: one line per matrix, the summary table by type, and the
//! JSON object of each matrix. Enclosures are printed rounded outward
//! ([`Interval::lo_decimal`], [`Interval::hi_decimal`]), so every printed interval
//! contains the proved one.

use crate::arith::Interval;
use crate::certificate::critical_point::interval_json;
use crate::identify::{Identified, Outcome};
use crate::render::report::{bracket as iv, no_negative_zero as zero};
use serde_json::{json, Value};

/// Exact: a distance-like enclosure as `{lo, hi}` (6 digits, outward), `-0` as `0`.
fn distance_json(x: &Interval) -> Value {
    json!({"lo": zero(x.lo_decimal(6)), "hi": zero(x.hi_decimal(6))})
}

/// Exact: the type a matrix is counted under in the summary (`II strict_local_minimum`,
/// `global minimum`, `too far`, `not certified`).
pub fn type_of(r: &Identified) -> String {
    match (&r.outcome, r.classification()) {
        (Outcome::GlobalMinimum, _) => "global minimum".into(),
        (Outcome::Certified, Some(c)) => format!("{} {c}", r.name.label()),
        (Outcome::TooFar { .. }, _) => "too far".into(),
        _ => "not certified".into(),
    }
}

/// Exact: the one line describing a matrix (`neurons` is the convention it was read with).
pub fn line(r: &Identified, neurons: &str) -> String {
    let part = if r.symmetry.trivial {
        format!("trivial ({} blocks of size 1)", r.d)
    } else {
        r.symmetry.partition.label()
    };
    let head = format!(
        "{}: d = {}, neurons as {neurons}, partition {part}",
        r.source, r.d
    );
    let dist = r
        .distance
        .as_ref()
        .map(|x| format!(", distance {}", iv(x, 4)))
        .unwrap_or_default();
    match &r.outcome {
        Outcome::GlobalMinimum => format!(
            "{head}: global minimum (a permutation of the teacher), loss = 0 exactly{dist}; not a Krawczyk proof: the point lies on the non-smooth set, where the Hessian is not defined"
        ),
        Outcome::Certified => {
            let c = r.certificate.as_ref().expect("certified outcome has a certificate");
            let p = &c.proof;
            let step = r
                .newton_step
                .as_ref()
                .map(|x| format!(", Newton step {}", iv(x, 4)))
                .unwrap_or_default();
            format!(
                "{head}: {}, certified {}, loss {}, min eigenvalue {} ({}){step}{dist}",
                r.name.label(),
                p.verdict,
                iv(&p.loss, 10),
                iv(&p.min_eigenvalue.value, 6),
                p.min_eigenvalue.kind.label()
            )
        }
        Outcome::TooFar { reason } => format!("{head}: refused: {reason}"),
        Outcome::NotCertified { reason } => format!("{head}: not certified: {reason}"),
    }
}

/// Exact: the summary table: per type, the count and the hull of the loss and smallest
/// eigenvalue enclosures (outward-rounded to 6 digits).
pub fn summary_table(results: &[&Identified]) -> String {
    let mut types: Vec<String> = results.iter().map(|r| type_of(r)).collect();
    types.sort();
    types.dedup();
    let mut rows = vec![[
        "type".to_string(),
        "count".to_string(),
        "loss".to_string(),
        "min eigenvalue".to_string(),
    ]];
    for t in &types {
        let members: Vec<&&Identified> = results.iter().filter(|r| type_of(r) == *t).collect();
        let hull = |f: &dyn Fn(&Identified) -> Option<Interval>| -> String {
            members
                .iter()
                .filter_map(|r| f(r))
                .reduce(|a, b| a.hull(&b))
                .map_or_else(|| "-".to_string(), |x| iv(&x, 6))
        };
        let loss = if t == "global minimum" {
            "0".to_string()
        } else {
            hull(&|r: &Identified| r.certificate.as_ref().map(|c| c.proof.loss.clone()))
        };
        let lmin = hull(&|r: &Identified| {
            r.certificate
                .as_ref()
                .map(|c| c.proof.min_eigenvalue.value.clone())
        });
        rows.push([t.clone(), members.len().to_string(), loss, lmin]);
    }
    let mut s = String::new();
    s += &crate::render::report::aligned_columns(&rows);
    s
}

/// Exact: the JSON object of one matrix.
pub fn json_of(r: &Identified, neurons: &str) -> Value {
    let digits = 20;
    let c = r.certificate.as_ref();
    let reason = match &r.outcome {
        Outcome::TooFar { reason } | Outcome::NotCertified { reason } => Some(reason.clone()),
        Outcome::GlobalMinimum => Some(
            "the input is a permutation of the teacher: loss 0 exactly, the least value; Krawczyk is not used because the point lies on the non-smooth set (each neuron parallel to a teacher neuron), where the Hessian is not defined"
                .to_string(),
        ),
        Outcome::Certified => c.and_then(|c| match &c.proof.verdict {
            crate::prove::critical_point::Verdict::Inconclusive { reason } => {
                Some(reason.clone())
            }
            _ => None,
        }),
    };
    let loss = match (&r.outcome, c) {
        (Outcome::GlobalMinimum, _) => json!({"lo": "0", "hi": "0"}),
        (_, Some(c)) => interval_json(&c.proof.loss, digits),
        _ => Value::Null,
    };
    json!({
        "file": r.source,
        "d": r.d,
        "neurons": neurons,
        "partition": r.symmetry.partition.int_sizes_u64(),
        "permutation": r.symmetry.columns,
        "neuron_permutation": r.symmetry.rows,
        "symmetry_deviation": format!("{:e}", r.symmetry.deviation),
        "name": r.name.label(),
        "flip": r.name.flip(),
        "family": c.and_then(|c| c.family).map(|f| f.name()),
        "classification": r.classification(),
        "index": c.and_then(|c| c.proof.verdict.index()),
        "loss": loss,
        "min_eigenvalue": c.map(|c| {
            let m = &c.proof.min_eigenvalue;
            json!({
                "lo": m.value.lo_decimal(digits),
                "hi": m.value.hi_decimal(digits),
                "kind": m.kind.name(),
                "separated": m.separated,
            })
        }),
        "newton_step": r.newton_step.as_ref().map(distance_json),
        "approx_newton_step": r.approx_newton_step.map(|x| format!("{x:e}")),
        "distance": r.distance.as_ref().map(distance_json),
        "status": r.status(),
        "reason": reason,
    })
}
