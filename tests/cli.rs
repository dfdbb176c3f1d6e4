//! End-to-end tests through the real binary: JSON contracts, exit codes, bad input.

mod common;

use common::relucert;
use serde_json::Value;

use common::json_ok as json;

/// The README's scan: 200 starts in the fixed space of (9, 1), seed 1, JSON.
const SCAN_9_1: &[&str] = &[
    "scan",
    "--partition",
    "9,1",
    "--starts",
    "200",
    "--seed",
    "1",
    "--json",
];

#[test]
fn find_json_follows_the_contract() {
    let v = json(&["find", "--family", "II", "--d", "10", "--json"]);
    assert_eq!(v["family"], "II");
    assert_eq!(v["d"], 10);
    assert_eq!(v["partition"], serde_json::json!([9, 1]));
    let coords = v["coordinates"].as_object().unwrap();
    assert_eq!(coords.keys().collect::<Vec<_>>(), ["a", "b", "c", "e", "f"]);
    let a: f64 = coords["a"].as_str().unwrap().parse().unwrap();
    assert!((a + 0.77451034).abs() < 1e-8);
    let loss: f64 = v["loss"].as_str().unwrap().parse().unwrap();
    assert!((loss - 0.0720567070).abs() < 1e-10);
    let g: f64 = v["grad_norm"].as_str().unwrap().parse().unwrap();
    assert!(g < 1e-13);
    assert_eq!(v["precision_bits"], 53);
    assert_eq!(v["classification"], "minimum");
    assert_eq!(v["index"], 0);
    let total: u64 = v["spectrum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["multiplicity"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 100);
}

#[test]
fn find_reaches_large_d_with_the_gradient_at_working_precision() {
    for (d, bits, dd) in [("1e3", 96, 1e3), ("1e6", 128, 1e6), ("1e9", 160, 1e9)] {
        for fam in ["I", "II", "IIsym"] {
            let v = json(&["find", "--family", fam, "--d", d, "--json"]);
            assert_eq!(v["precision_bits"], bits);
            let g: f64 = v["grad_norm"].as_str().unwrap().parse().unwrap();
            // "working precision": the rounding noise of a sum of about d terms of size
            // O(1), with a factor 2^10 of slack.
            let noise = 2f64.powi(-bits + 10) * dd;
            assert!(
                g < noise,
                "{fam} d={d}: grad {g:e} at {bits} bits (noise {noise:e})"
            );
            assert!(v.get("spectrum").is_none(), "no dense spectrum at large d");
        }
    }
}

#[test]
fn find_classifies_saddles_at_small_d() {
    let v = json(&["find", "--family", "I", "--d", "5", "--json"]);
    assert_eq!(v["classification"], "saddle");
    assert_eq!(v["index"], 3);
    let v = json(&["find", "--family", "II", "--d", "6", "--json"]);
    assert_eq!(v["classification"], "saddle");
    assert_eq!(v["index"], 6);
}

#[test]
fn scan_finds_the_global_minimum_and_both_types_at_d_10() {
    let v = json(SCAN_9_1);
    let points = v["points"].as_array().unwrap();
    let losses: Vec<f64> = points
        .iter()
        .map(|p| p["loss"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(losses.windows(2).all(|w| w[0] <= w[1]), "sorted by loss");
    let global = &points[0];
    assert_eq!(losses[0], 0.0);
    assert!(global["classification"]
        .as_str()
        .unwrap()
        .starts_with("global minimum"));
    for (fam, loss) in [("I", 0.0187021946), ("II", 0.0720567070)] {
        let p = points
            .iter()
            .find(|p| p["family"] == fam)
            .unwrap_or_else(|| panic!("scan found family {fam}"));
        let l: f64 = p["loss"].as_str().unwrap().parse().unwrap();
        assert!((l - loss).abs() < 1e-9, "{fam}: {l}");
        assert_eq!(p["classification"], "minimum");
        assert_eq!(p["index"], 0);
    }
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: &[&[&str]] = &[
        &["find", "--family", "II", "--d", "2"],
        &["find", "--family", "II", "--d", "3"],
        &["find", "--family", "III", "--d", "10"],
        &["find", "--family", "I", "--d", "1e13"],
        &["find", "--family", "I", "--d", "ten"],
        &["find", "--family", "I", "--d", "nan"],
        &["find", "--partition", "9,0,1", "--start", "1,2"],
        &[
            "find",
            "--partition",
            "5,1",
            "--d",
            "7",
            "--start",
            "1,0,0,1,0",
        ],
        &["find", "--partition", "5,1", "--start", "1,0,zero,1,0"],
        &["find", "--family", "I", "--d", "10", "--prec", "20"],
        &["scan", "--partition", "0,3"],
        &["scan", "--partition", "a,b"],
        &["scan", "--partition", "9,1", "--starts", "0"],
        &["find", "--d", "10"],
        // non-numbers, named as such
        &["certify", "--family", "II", "--d", "inf"],
        &["certify", "--family", "II", "--d", "NaN"],
        // negative values: one line, not clap's usage block
        &["certify", "--family", "II", "--d", "-5"],
        &["certify", "--family", "II", "--d", "10", "--prec", "-3"],
        // flags that would be ignored are refused
        &[
            "find",
            "--family",
            "II",
            "--d",
            "10",
            "--start",
            "1,2,3,4,5",
        ],
        &["eval", "--family", "II", "--d", "10", "--exact"],
        &["arcs", "--compare", "--d", "10", "--family", "I"],
        &["compare", "--d", "7", "--json", "--format", "md"],
        &["arcs", "--family", "II", "--d", "10", "--trace"],
        // unknown flags and subcommands
        &["certify", "--family", "II", "--dd", "10"],
        &["frobnicate"],
        // a full enumeration too large to run
        &["arcs", "--family", "I", "--d", "1e6"],
    ];
    for args in cases {
        let (code, out, err) = relucert(args);
        assert_eq!(code, 2, "{args:?}: exit {code}, stdout {out}, stderr {err}");
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{args:?}: one line expected, got {err}"
        );
        assert!(out.is_empty(), "{args:?}: nothing on stdout");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn certify_writes_a_file_that_verify_accepts_and_tampering_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("II-12.json");
    let f = file.to_str().unwrap();
    let (code, out, err) = relucert(&["certify", "--family", "II", "--d", "12", "-o", f]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("STRICT LOCAL MINIMUM"), "{out}");
    let (code, out, _) = relucert(&["verify", f]);
    assert_eq!(code, 0);
    assert!(out.contains("VERIFIED"));
    // --expect a saddle: refuted
    let (code, _, _) = relucert(&[
        "certify", "--family", "II", "--d", "12", "--expect", "saddle",
    ]);
    assert_eq!(code, 1);
    // tampered eigenvalue: exit 1
    let text = std::fs::read_to_string(&file).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["min_eigenvalue"]["lo"] = "0.5".into();
    v["min_eigenvalue"]["hi"] = "0.6".into();
    let bad = dir.path().join("tampered.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let (code, out, _) = relucert(&["verify", f, bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("REFUTED"), "{out}");
    // malformed and missing files: exit 2, one line each
    let trunc = dir.path().join("truncated.json");
    std::fs::write(&trunc, &text[..text.len() / 3]).unwrap();
    for path in [trunc.to_str().unwrap(), "/nonexistent/cert.json"] {
        let (code, _, err) = relucert(&["verify", path]);
        assert_eq!(code, 2, "{path}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[test]
fn certify_json_follows_the_contract() {
    let v = json(&["certify", "--family", "I", "--d", "10", "--json", "--dense"]);
    for key in [
        "family",
        "d",
        "partition",
        "precision_bits",
        "center",
        "radius",
        "loss",
        "classification",
        "index",
        "min_eigenvalue",
        "components",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["classification"], "strict_local_minimum");
    assert_eq!(v["min_eigenvalue"]["kind"], "std");
    assert_eq!(v["min_eigenvalue"]["block"], 1);
    assert_eq!(v["min_eigenvalue"]["dimension"], 8);
    assert_eq!(v["dense_check"]["agrees"], true);
    let kinds: Vec<&str> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["trivial", "std", "n-2,2", "n-2,1,1"]);
    // saddle with its index
    let v = json(&["certify", "--family", "II", "--d", "6", "--json"]);
    assert_eq!(v["classification"], "saddle");
    assert_eq!(v["index"], 6);
}

#[test]
fn eval_json_follows_the_contract_and_is_narrow_at_256_bits() {
    let v = json(&[
        "eval", "--family", "II", "--d", "1000000", "--prec", "256", "--json",
    ]);
    assert_eq!(v["precision_bits"], 256);
    let lo = relucert::arith::decimal::parse_decimal(v["loss"]["lo"].as_str().unwrap()).unwrap();
    let hi = relucert::arith::decimal::parse_decimal(v["loss"]["hi"].as_str().unwrap()).unwrap();
    let width = (hi - lo).to_f64();
    assert!(width > 0.0 && width < 1e-60, "loss width {width:e}");
    assert_eq!(v["gradient"].as_array().unwrap().len(), 5);
    let h = v["hessian"].as_array().unwrap();
    assert_eq!(h.len(), 5);
    assert!(h.iter().all(|row| row.as_array().unwrap().len() == 5));
    assert_eq!(v["coordinates"].as_object().unwrap().len(), 5);
}

#[test]
fn long_inputs_are_cut_and_non_numbers_named() {
    let long = "X".repeat(100_000);
    let (code, _, err) = relucert(&["certify", "--family", &long, "--d", "10"]);
    assert_eq!(code, 2);
    assert!(
        err.len() < 400,
        "a 100 kB input is cut: {} bytes",
        err.len()
    );
    assert!(err.contains("characters)"), "{err}");
    let (_, _, err) = relucert(&["certify", "--family", "II", "--d", "inf"]);
    assert!(err.contains("not a finite number"), "{err}");
    let (_, _, err) = relucert(&["arcs", "--family", "I", "--d", "1e6"]);
    assert!(
        err.contains("arc types") && err.contains("--extreme"),
        "{err}"
    );
}

#[test]
fn every_non_zero_exit_explains_itself_on_stderr() {
    let (code, _, err) = relucert(&[
        "certify", "--family", "II", "--d", "10", "--expect", "saddle",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--expect saddle not met"), "{err}");
    let root = env!("CARGO_MANIFEST_DIR");
    let bad = format!("{root}/tests/data/known-false-II-d1000000000.json");
    let (code, _, err) = relucert(&["verify", &bad]);
    assert_eq!(code, 1);
    assert!(err.contains("1 refuted"), "{err}");
}

#[test]
fn scan_reports_parallel_rows_as_non_smooth_never_as_a_saddle() {
    let (code, out, err) = relucert(SCAN_9_1);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pts = v["points"].as_array().expect("points");
    let f = |x: &serde_json::Value| -> f64 { x.as_str().unwrap().parse().unwrap() };
    let mut parallel = 0;
    for p in pts {
        let c = &p["coordinates"];
        let (d1, o1) = (f(&c["D1"]), f(&c["O1"]));
        if (d1 - o1).abs() < 1e-6 {
            // two rows of block 1 coincide: not differentiable, no spectrum
            parallel += 1;
            let class = p["classification"].as_str().unwrap_or("");
            assert!(class.starts_with("non-smooth"), "{p}");
            assert!(p["index"].is_null(), "{p}");
        }
    }
    assert!(
        parallel >= 3,
        "the seed reaches the parallel-row points: {parallel}"
    );
}

#[test]
fn layout_prints_the_order_start_takes() {
    let (code, out, err) = relucert(&["find", "--partition", "8,2", "--layout"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "D1,O1,X12,D2,O2,X21");
    let v = json(&["find", "--partition", "3,2,1", "--layout", "--json"]);
    let names = v["layout"].as_array().unwrap();
    // dim Fix = r^2 + #{a : n_a >= 2} = 9 + 2
    assert_eq!(names.len(), 11);
    let (code, _, err) = relucert(&["find", "--family", "II", "--d", "10", "--layout"]);
    assert_eq!(code, 2, "--layout needs --partition: {err}");
}

#[test]
fn arcs_json_states_isotropy_axial_dimension_rank_and_leading_certification() {
    let v = json(&["arcs", "--family", "I", "--d", "20", "--json"]);
    let arcs = v["arcs"].as_array().unwrap();
    let mut std_minus_rank1 = false;
    let mut non_young = 0;
    for a in arcs {
        let iso = &a["isotropy"];
        assert!(iso["partition"].is_array() && iso["name"].as_str().unwrap().starts_with("Δ(S_"));
        let gens = iso["h_generators"].as_array().unwrap();
        let name = iso["name"].as_str().unwrap();
        if gens.is_empty() {
            // Young: every factor a symmetric group
            assert!(
                !name.contains(" Z_") && !name.contains(" D_") && !name.contains(" A_"),
                "{name}"
            );
        } else {
            // non-Young: the generators are cycles on the split-off points, and K is axial
            for g in gens {
                let g = g.as_str().unwrap();
                assert!(g.starts_with('(') && g.ends_with(')'), "{g}");
            }
            non_young += 1;
            assert_eq!(a["axial_dimension_check"], 1, "{a}");
        }
        if a["component"]["kind"] != "trivial" {
            // Exact characters: every enumerated Young axis that splits at most 5 points
            // off the block is axial (dim Fix = 1); larger splits are not checked (absent).
            let parts = iso["partition"].as_array().unwrap();
            let moved = 19 - parts[0].as_u64().unwrap();
            if moved <= 5 {
                assert_eq!(a["axial_dimension_check"], 1, "{a}");
            } else {
                assert!(a.get("axial_dimension_check").is_none(), "{a}");
            }
        }
        // A rank number only when certified (disjoint enclosures); otherwise its status.
        match a["rank_status"].as_str().unwrap() {
            "certified" => assert!(a["rank"].as_u64().unwrap() >= 1),
            "not_separated" | "not_ranked" => assert!(a.get("rank").is_none(), "{a}"),
            s => panic!("unknown rank status {s}"),
        }
        if a["component"]["kind"] == "std"
            && a["isotropy"]["partition"] == serde_json::json!([18, 1, 1])
            && a["eigenvalue_index"] == 0
            && a["direction"] == "-"
        {
            std_minus_rank1 = a["rank"] == 1 && a["leading_certified"] == true;
        }
    }
    assert!(
        std_minus_rank1,
        "the (n-1,1) '-' std arc has the certified lowest cubic"
    );
    assert!(non_young >= 1, "the [n-2,1,1] components have the Z_3 type");
    let v = json(&["arcs", "--family", "II", "--d", "10", "--extreme", "--json"]);
    let one_one = v["arcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["component"]["kind"] == "n-2,1,1")
        .expect("the n-2,1,1 arc");
    assert_eq!(one_one["axial_dimension_check"], 1);
    // The quartic-led type: its effective quartic is certified (along the enclosed
    // eigenline), negative, and the n-2,1,1 Young axis is the rank-1 candidate.
    assert_eq!(one_one["leading_certified"], true, "{one_one}");
    assert_eq!(one_one["leading_order"], 4);
    assert_eq!(one_one["rank"], 1);
    let lc = &one_one["leading_coefficient"];
    let (lo, hi): (f64, f64) = (
        lc["lo"].as_str().unwrap().parse().unwrap(),
        lc["hi"].as_str().unwrap().parse().unwrap(),
    );
    assert!(lo <= hi && hi < 0.0, "{lc}");
}
