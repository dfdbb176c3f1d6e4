//! The exit code of `relucert arcs` is the verdict of what it prints: 3 whenever a tangency
//! point asked for, or a critical end, is printed but not certified (its box or its type on
//! the sphere not proved), 0 only when every such claim is proved. Each test reads the
//! JSON the run printed and derives the expected code from it, so the rule is checked, not
//! the count of one run.

mod common;

use common::{diagnostics, relucert};
use serde_json::Value;

/// The claims of one arcs report (`--json` of a single-family run) that are not proved.
fn unproved(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (k, arc) in report["arcs"].as_array().expect("arcs").iter().enumerate() {
        for p in arc["certified"].as_array().expect("certified points") {
            if p["type"] == "inconclusive" {
                out.push(format!(
                    "arc {}: r = {}: {}",
                    k + 1,
                    p["r"]["lo"],
                    p["reason"]
                ));
            }
        }
        let end = &arc["end"];
        if end["kind"] == "critical_point" && end["classification"].is_null() {
            out.push(format!("arc {}: critical end: {}", k + 1, end["reason"]));
        }
        if let Some(why) = end["not_certified"].as_str() {
            if !why.contains("not attempted") {
                out.push(format!("arc {}: {} end: {why}", k + 1, end["kind"]));
            }
        }
    }
    out
}

/// Run `args` with `--json`; check that the exit code is 3 exactly when the printed report
/// holds an unproved claim, and that the stderr line names it. Returns the unproved claims.
fn check(args: &[&str]) -> (Value, Vec<String>) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = relucert(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: JSON: {e}"));
    let reports: Vec<&Value> = match v.get("families") {
        Some(f) => f.as_array().expect("families").iter().collect(),
        None => vec![&v],
    };
    let bad: Vec<String> = reports.iter().flat_map(|r| unproved(r)).collect();
    let lines = diagnostics(&err);
    if bad.is_empty() {
        assert_eq!(code, 0, "{args:?}: everything proved, exit 0: {err}");
        assert!(lines.is_empty(), "{args:?}: no diagnostics: {err}");
    } else {
        assert_eq!(code, 3, "{args:?}: unproved claims {bad:?}, exit 3");
        assert_eq!(lines.len(), 1, "{args:?}: one line: {err}");
        assert!(
            lines[0].starts_with("relucert: inconclusive: ")
                && lines[0].contains(&format!("{} unproved claim", bad.len())),
            "{args:?}: the line counts the unproved claims ({}): {err}",
            bad.len()
        );
    }
    (v, bad)
}

#[test]
fn a_radius_below_the_trace_is_inconclusive_with_the_right_reason() {
    let (v, bad) = check(&["arcs", "--family", "I", "--d", "10", "--radii", "1e-300"]);
    let arcs = v["arcs"].as_array().unwrap();
    assert_eq!(bad.len(), arcs.len(), "every arc's only radius is unproved");
    for a in arcs {
        let p = &a["certified"][0];
        let reason = p["reason"].as_str().unwrap();
        assert!(
            reason.contains("below the first traced point"),
            "the reason says the radius is below the trace, not beyond it: {reason}"
        );
    }
}

#[test]
fn a_radius_beyond_the_trace_is_inconclusive_with_the_right_reason() {
    let (v, bad) = check(&[
        "arcs",
        "--family",
        "I",
        "--d",
        "10",
        "--extreme",
        "--radii",
        "500",
    ]);
    assert!(!bad.is_empty());
    for a in v["arcs"].as_array().unwrap() {
        let reason = a["certified"][0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("does not cover this radius"),
            "beyond the trace: {reason}"
        );
    }
}

#[test]
fn the_exit_code_follows_the_printed_claims() {
    // Runs whose reports (at the time of writing) hold undecided types, and runs that prove
    // every claim: whichever they hold, the code must follow the report.
    check(&[
        "arcs",
        "--family",
        "II",
        "--d",
        "10",
        "--extreme",
        "--all-types",
    ]);
    check(&["arcs", "--family", "II", "--d", "8", "--full"]);
    check(&["arcs", "--compare", "--d", "8"]);
    // The README states every extreme arc of I at d = 1000 certified: the exit-0 branch.
    let (_, good) = check(&["arcs", "--family", "I", "--d", "1000", "--extreme"]);
    assert!(good.is_empty(), "I at d = 1000, --extreme: {good:?}");
}
