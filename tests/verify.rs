//! `relucert verify` through the binary: every statement of a certificate is checked, and
//! each tampering gets the exit code the format rules give it:
//! 1 refuted (a false claim), 2 malformed (unknown, missing or repeated key), 3
//! inconclusive (true but narrower than can be re-proved).

mod common;

use common::relucert;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn shipped(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("shipped")
}

/// Verify `text` written to a fresh file: (exit code, stdout, stderr).
fn verify_text(name: &str, text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    relucert(&["verify", path.to_str().unwrap()])
}

fn verify_json(name: &str, v: &Value) -> (i32, String, String) {
    verify_text(name, &serde_json::to_string_pretty(v).unwrap())
}

fn parsed(rel: &str) -> Value {
    serde_json::from_str(&shipped(rel)).unwrap()
}

fn expect(code: i32, got: (i32, String, String), what: &str, says: &str) {
    let (c, out, err) = got;
    assert_eq!(c, code, "{what}: exit {c}\nstdout {out}\nstderr {err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains(says),
        "{what}: output should name '{says}':\n{all}"
    );
    assert!(!all.contains("panicked"), "{what}: {all}");
}

#[test]
fn the_pre_fix_false_certificate_is_refuted_naming_the_n_2_2_eigenvalue() {
    let text = shipped("tests/data/known-false-II-d1000000000.json");
    expect(1, verify_text("false.json", &text), "known false", "n-2,2");
}

#[test]
fn honest_files_verify_with_exit_0() {
    for rel in [
        "certificates/II/d10.json",
        "certificates/II/d6.json",
        "certificates/arcs/I-d10-std-8_1_1-j0-minus-r0.01.json",
    ] {
        let (c, out, err) = verify_text("ok.json", &shipped(rel));
        assert_eq!(c, 0, "{rel}: {out} {err}");
        assert!(out.contains("VERIFIED"));
    }
}

#[test]
fn unknown_missing_and_repeated_keys_are_malformed() {
    for rel in [
        "certificates/II/d10.json",
        "certificates/arcs/II-d10-n-2_1_1-7_1_1_1-j0-pm-r0.01.json",
    ] {
        let mut v = parsed(rel);
        v["extra"] = Value::from(1);
        expect(
            2,
            verify_json("x.json", &v),
            "unknown key",
            "unknown key 'extra'",
        );
        let mut v = parsed(rel);
        v.as_object_mut().unwrap().remove("statement");
        expect(
            2,
            verify_json("x.json", &v),
            "missing key",
            "missing key 'statement'",
        );
        let mut v = parsed(rel);
        v["loss"]["mid"] = Value::from("1");
        expect(
            2,
            verify_json("x.json", &v),
            "unknown nested key",
            "unknown key 'mid'",
        );
        // A repeated key: serde_json would silently keep the last value.
        let text = shipped(rel).replacen(
            "\"format_version\": 1,",
            "\"format_version\": 1,\n  \"format_version\": 1,",
            1,
        );
        expect(
            2,
            verify_text("x.json", &text),
            "duplicate key",
            "duplicate key",
        );
    }
    let mut v = parsed("certificates/II/d10.json");
    v["components"][1]["seed"] = Value::from("x");
    expect(
        2,
        verify_json("x.json", &v),
        "unknown component key",
        "unknown key 'seed'",
    );
    let mut v = parsed("certificates/arcs/II-d10-n-2_1_1-7_1_1_1-j0-pm-r0.01.json");
    v["arc"].as_object_mut().unwrap().remove("mirror_pair");
    expect(
        2,
        verify_json("x.json", &v),
        "missing arc key",
        "missing key 'mirror_pair'",
    );
}

#[test]
fn the_statement_family_and_precision_are_checked() {
    let mut v = parsed("certificates/II/d10.json");
    v["statement"] = Value::from("The loss has a global minimum here.");
    expect(1, verify_json("x.json", &v), "statement", "statement");
    // I and II share the partition (9, 1) and the coordinates: only the label changes.
    let mut v = parsed("certificates/II/d10.json");
    v["family"] = Value::from("I");
    expect(1, verify_json("x.json", &v), "family label", "family");
    // The precision is part of the statement and of the re-proof.
    let mut v = parsed("certificates/II/d10.json");
    v["precision_bits"] = Value::from(512);
    expect(1, verify_json("x.json", &v), "precision", "statement");
    let mut v = parsed("certificates/II/d10.json");
    v["precision_bits"] = Value::from(100_000);
    expect(
        2,
        verify_json("x.json", &v),
        "precision out of range",
        "precision_bits",
    );
}

#[test]
fn positive_definite_with_a_certified_negative_eigenvalue_is_refuted() {
    // II at d = 6 is a saddle: some block has a certified negative eigenvalue.
    let v0 = parsed("certificates/II/d6.json");
    let comps = v0["components"].as_array().unwrap();
    let k = comps
        .iter()
        .position(|c| c["positive_definite"] == Value::Bool(false))
        .expect("a saddle has a block that is not positive definite");
    let mut v = v0.clone();
    v["components"][k]["positive_definite"] = Value::Bool(true);
    expect(
        1,
        verify_json("x.json", &v),
        "positive_definite",
        "certified negative",
    );
}

#[test]
fn the_margin_is_checked_and_stated_only_with_separation() {
    let v0 = parsed("certificates/II/d10.json");
    let mut v = v0.clone();
    // A margin above the true one.
    v["min_eigenvalue"]["margin"]["lo"] = Value::from("1");
    v["min_eigenvalue"]["margin"]["hi"] = Value::from("2");
    expect(1, verify_json("x.json", &v), "moved margin", "margin");
    let mut v = v0.clone();
    v["min_eigenvalue"]["separated"] = Value::Bool(false);
    expect(
        1,
        verify_json("x.json", &v),
        "margin without separation",
        "margin",
    );
    let mut v = v0.clone();
    v["min_eigenvalue"]["separated"] = Value::Bool(false);
    v["min_eigenvalue"]["margin"] = Value::Null;
    let (c, out, err) = verify_json("x.json", &v);
    assert_eq!(c, 0, "a weaker, true file verifies: {out} {err}");
    // Without separation the lowest enclosure's component is not a claim: another one is
    // undecided (3); with separation it is false (1).
    let mut v = v0.clone();
    v["min_eigenvalue"]["separated"] = Value::Bool(false);
    v["min_eigenvalue"]["margin"] = Value::Null;
    v["min_eigenvalue"]["kind"] = Value::from("std");
    v["min_eigenvalue"]["dimension"] = Value::from(8);
    expect(
        3,
        verify_json("x.json", &v),
        "unseparated min kind",
        "min_eigenvalue",
    );
    let mut v = v0;
    v["min_eigenvalue"]["kind"] = Value::from("std");
    v["min_eigenvalue"]["dimension"] = Value::from(8);
    expect(
        1,
        verify_json("x.json", &v),
        "separated min kind",
        "min_eigenvalue",
    );
}

#[test]
fn a_true_but_too_narrow_interval_is_inconclusive_with_exit_3() {
    // The loss at 1024 bits: a true enclosure far narrower than a 256-bit re-proof gives.
    let cert =
        relucert::prove::certify_family(relucert::search::families::Family::II, 10, 1024).unwrap();
    let mut v = parsed("certificates/II/d10.json");
    v["loss"]["lo"] = Value::from(cert.proof.loss.lo_decimal(300));
    v["loss"]["hi"] = Value::from(cert.proof.loss.hi_decimal(300));
    expect(3, verify_json("x.json", &v), "narrow loss", "INCONCLUSIVE");
    // The same interval moved off the true value: refuted.
    let mut v = parsed("certificates/II/d10.json");
    v["loss"]["lo"] = Value::from("0.0721");
    v["loss"]["hi"] = Value::from("0.0722");
    expect(1, verify_json("x.json", &v), "moved loss", "REFUTED");
}

#[test]
fn the_arc_of_a_tangency_point_is_re_derived() {
    let i_arc = "certificates/arcs/I-d10-std-8_1_1-j0-minus-r0.01.json";
    let ii_arc = "certificates/arcs/II-d10-n-2_1_1-7_1_1_1-j0-pm-r0.01.json";
    // Direction: the point lies on the '-' side of the std eigenvector.
    let mut v = parsed(i_arc);
    v["arc"]["direction"] = Value::from("+");
    expect(1, verify_json("x.json", &v), "direction", "direction");
    // Eigenvalue index: the point is not on eigenvector 1 of the std block.
    let mut v = parsed(i_arc);
    v["arc"]["eigenvalue_index"] = Value::from(1);
    expect(1, verify_json("x.json", &v), "eigenvalue index", "arc.");
    // Mirror pair: the (7,1,1) split of n-2,1,1 maps the seed to its negative.
    let mut v = parsed(ii_arc);
    v["arc"]["mirror_pair"] = Value::Bool(false);
    expect(1, verify_json("x.json", &v), "mirror pair", "mirror_pair");
    // Isotropy: not the partition of the splits.
    let mut v = parsed(ii_arc);
    v["arc"]["isotropy"] = serde_json::json!([8, 1, 1]);
    expect(1, verify_json("x.json", &v), "isotropy", "isotropy");
    // Component: a three-part split is not an axis of std.
    let mut v = parsed(ii_arc);
    v["arc"]["component"]["kind"] = Value::from("std");
    expect(
        1,
        verify_json("x.json", &v),
        "component kind",
        "axial split",
    );
    // Family label: I and II share partition (9, 1) and coordinate names.
    let mut v = parsed(ii_arc);
    v["family"] = Value::from("I");
    expect(
        1,
        verify_json("x.json", &v),
        "tangency family label",
        "family",
    );
    // Statement.
    let mut v = parsed(ii_arc);
    v["statement"] = Value::from("anything");
    expect(1, verify_json("x.json", &v), "statement", "statement");
    // Type.
    let mut v = parsed(ii_arc);
    v["type"] = Value::from("max");
    let st = v["statement"]
        .as_str()
        .unwrap()
        .replace("minimum", "maximum");
    v["statement"] = Value::from(st);
    expect(1, verify_json("x.json", &v), "type", "type");
}

#[test]
fn a_certificate_file_loads_back_as_a_typed_certificate_only_when_verified() {
    use relucert::certificate::verify::{load_certificate, Loaded};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rel in [
        "certificates/II/d1000.json",
        "certificates/I/d6.json",
        "certificates/II/d6.json",
    ] {
        let path = root.join(rel);
        let Loaded::Verified(cert) = load_certificate(&path).unwrap() else {
            panic!("{rel}: not verified");
        };
        // The typed certificate writes the file's bytes back exactly.
        assert_eq!(
            cert.to_bytes(),
            std::fs::read(&path).unwrap(),
            "{rel}: round trip"
        );
        // A loaded certificate is a starting point for the arcs.
        assert!(relucert::arcs::directions::Base::new(&cert).is_some());
    }
    let bad = root.join("tests/data/known-false-II-d1000000000.json");
    match load_certificate(&bad).unwrap() {
        Loaded::NotVerified(relucert::Status::Refuted(m)) => assert!(m.contains("n-2,2"), "{m}"),
        other => panic!("{other:?}"),
    }
}
