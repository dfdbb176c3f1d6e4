//! `relucert compare`: the d specification, bad input, the JSON contract, the certified
//! component ordering at I and II (docs/components.md, end), and the structure of the LaTeX, CSV
//! and SVG outputs.

mod common;

use common::relucert;
use relucert::compare::{self, parse_d_spec};
use relucert::search::families::Family;
use serde_json::Value;
use std::process::Command;

use common::stdout_ok as ok;
use common::{check_latex, check_xml, csv_fields};

// ---------------------------------------------------------------------------------------
// The d specification

#[test]
fn spec_list_is_sorted_and_deduplicated() {
    assert_eq!(parse_d_spec("7,10,100").unwrap(), vec![7, 10, 100]);
    assert_eq!(parse_d_spec("100, 7,10,7").unwrap(), vec![7, 10, 100]);
    assert_eq!(
        parse_d_spec("1e6,1e12").unwrap(),
        vec![1_000_000, 1_000_000_000_000]
    );
    assert_eq!(parse_d_spec("3").unwrap(), vec![3]);
}

#[test]
fn spec_inclusive_range_and_mix() {
    assert_eq!(
        parse_d_spec("7..=12").unwrap(),
        (7..=12).collect::<Vec<u64>>()
    );
    assert_eq!(parse_d_spec("9..=9").unwrap(), vec![9]);
    assert_eq!(
        parse_d_spec("1e6,20..=22,7").unwrap(),
        vec![7, 20, 21, 22, 1_000_000]
    );
}

#[test]
fn spec_log_range_is_geometric_rounded_with_endpoints() {
    let v = parse_d_spec("10..1e9:log:30").unwrap();
    assert_eq!(v.len(), 30, "30 distinct points: {v:?}");
    assert_eq!(v[0], 10);
    assert_eq!(v[29], 1_000_000_000);
    for (k, &d) in v.iter().enumerate() {
        // The ideal point 10 * (10^8)^(k/29), computed here independently.
        let ideal = 10f64 * 10f64.powf(8.0 * k as f64 / 29.0);
        assert!(
            (d as f64 - ideal).abs() <= 0.5 + 1e-9 * ideal,
            "point {k}: {d} is not the rounded {ideal}"
        );
    }
    // Rounding collapses points: deduplicated, still sorted, endpoints kept.
    let w = parse_d_spec("3..10:log:30").unwrap();
    assert_eq!(w, (3..=10).collect::<Vec<u64>>());
    let u = parse_d_spec("7..8:log:2").unwrap();
    assert_eq!(u, vec![7, 8]);
}

#[test]
fn bad_specs_exit_2_with_one_line() {
    for spec in [
        "",
        "2",
        "7.5",
        "x",
        "7..60",
        "60..=7",
        "1e13",
        "7,,8",
        "10..1e9:log:1",
        "10..1e9:log:x",
        "10..10:log:5",
        "3..=1e12",
        "10..1e9:lin:5",
        "-5",
    ] {
        let (code, out, err) = relucert(&["compare", "--d", spec]);
        assert_eq!(code, 2, "--d {spec:?}: exit code (stderr {err})");
        assert!(out.is_empty(), "--d {spec:?}: nothing on stdout, got {out}");
        assert_eq!(err.lines().count(), 1, "--d {spec:?}: one line, got {err}");
        assert!(
            err.starts_with("relucert: --d") && err.contains("accepted:"),
            "--d {spec:?}: names the input and what is accepted: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn d_below_a_family_range_names_the_family() {
    let (code, _, err) = relucert(&["compare", "--d", "3,7", "--families", "I,II"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("d = 3") && err.contains("family II"), "{err}");
    for (flag, value) in [
        ("--families", "I,III"),
        ("--families", "II,ii"),
        ("--format", "xml"),
    ] {
        let (code, _, err) = relucert(&["compare", "--d", "7", flag, value]);
        assert_eq!(code, 2, "{flag} {value}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(flag) && err.contains("accepted:"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// The JSON contract

use common::num as f;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn json_follows_the_contract() {
    let v: Value = serde_json::from_str(&ok(&["compare", "--d", "7,10,1000", "--format", "json"]))
        .expect("JSON");
    assert_eq!(keys(&v), ["families", "precision_bits", "rows"]);
    assert_eq!(v["families"], serde_json::json!(["I", "II"]));
    assert_eq!(v["precision_bits"], 256);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r["d"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [7, 10, 1000]
    );
    for r in rows {
        let d = r["d"].as_u64().unwrap();
        assert_eq!(&keys(r)[..4], ["d", "I", "II", "gaps"]);
        for fam in ["I", "II"] {
            let e = &r[fam];
            assert_eq!(
                &keys(e)[..8],
                [
                    "classification",
                    "min_kind",
                    "min_block",
                    "min_dimension",
                    "min_eigenvalue",
                    "separated",
                    "margin",
                    "sqrt_d_margin"
                ]
            );
            for iv in ["min_eigenvalue", "margin", "sqrt_d_margin"] {
                assert_eq!(keys(&e[iv]), ["lo", "hi"], "{fam}.{iv}");
                assert!(f(&e[iv]["lo"]) <= f(&e[iv]["hi"]), "{fam}.{iv}");
            }
            assert_eq!(e["classification"], "strict_local_minimum", "d = {d}");
            // Multiplicities from docs/components.md: std has dimension d-2, [d-3,1,1] (d-2)(d-3)/2.
            let dim = e["min_dimension"].as_u64().unwrap();
            match fam {
                "I" => assert_eq!(dim, d - 2),
                _ => assert_eq!(dim, (d - 2) * (d - 3) / 2),
            }
            // The smallest eigenvalue and the margin agree with the component list.
            let mut all: Vec<(f64, String)> = r["components"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| {
                    let kind = c["kind"].as_str().unwrap().to_string();
                    c[fam]["eigenvalues"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(move |x| (f(&x["lo"]), kind.clone()))
                })
                .collect();
            all.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
            assert_eq!(e["min_kind"].as_str().unwrap(), all[0].1);
            assert!((f(&e["min_eigenvalue"]["lo"]) - all[0].0).abs() < 1e-15);
            let margin = all[1].0 - all[0].0;
            assert!((f(&e["margin"]["lo"]) - margin).abs() < 1e-12 * margin.max(1.0));
            let scaled = f(&e["sqrt_d_margin"]["lo"]);
            assert!((scaled - (d as f64).sqrt() * margin).abs() < 1e-9 * scaled);
        }
        let gaps = r["gaps"].as_array().unwrap();
        assert_eq!(
            gaps.len(),
            12,
            "12 eigenvalues at (d-1,1), docs/components.md"
        );
        for g in gaps {
            assert_eq!(
                &keys(g)[..5],
                ["kind", "block", "index", "gap", "sqrt_d_gap"]
            );
            let comp = r["components"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["kind"] == g["kind"] && c["block"] == g["block"])
                .expect("the gap's component is listed");
            let k = g["index"].as_u64().unwrap() as usize - 1;
            let (a, b) = (&comp["I"]["eigenvalues"][k], &comp["II"]["eigenvalues"][k]);
            let diff = f(&b["lo"]) - f(&a["lo"]);
            let gap = f(&g["gap"]["lo"]);
            assert!((gap - diff).abs() < 1e-12, "gap II - I: {gap} vs {diff}");
            assert!(f(&g["gap"]["lo"]) <= f(&g["gap"]["hi"]));
            let sg = f(&g["sqrt_d_gap"]["lo"]);
            assert!((sg - (d as f64).sqrt() * gap).abs() <= 1e-9 * sg.abs().max(1e-300));
        }
    }
}

// ---------------------------------------------------------------------------------------
// The certified ordering (docs/components.md, end; §7 claim 2)

#[test]
fn ordering_is_certified_at_both_families_for_d_7_to_200() {
    let ds = parse_d_spec("7..=200").unwrap();
    let cmp = compare::compare(&[Family::I, Family::II], &ds, 256, |_| {});
    assert!(cmp.failures().is_empty(), "{:?}", cmp.failures());
    for row in &cmp.rows {
        let s = row.summaries(&cmp.families);
        let (i, ii) = (s[0].as_ref().unwrap(), s[1].as_ref().unwrap());
        assert_eq!(i.min_kind.name(), "std", "I at d = {}", row.d);
        assert_eq!(ii.min_kind.name(), "n-2,1,1", "II at d = {}", row.d);
        assert!(i.separated && ii.separated, "separated at d = {}", row.d);
        assert_eq!(i.ordering_certified, Some(true));
        assert_eq!(ii.ordering_certified, Some(true));
        for x in [i, ii] {
            let m = x.margin.as_ref().unwrap();
            assert!(m.is_positive(), "margin at d = {}", row.d);
            let scaled = x.sqrt_d_margin.as_ref().unwrap();
            assert!(scaled.is_positive());
        }
        // docs/: the [d-3,1,1] eigenvalue lies below the next one by about 0.1 d^-1/2.
        if row.d >= 100 {
            let scaled = ii.sqrt_d_margin.as_ref().unwrap().mid().to_f64();
            assert!(
                (0.05..0.2).contains(&scaled),
                "II at d = {}: {scaled}",
                row.d
            );
        }
    }
    assert!(cmp.ordering_exceptions().is_empty());
}

// ---------------------------------------------------------------------------------------
// LaTeX, CSV, SVG

#[test]
fn latex_is_structurally_sound() {
    let t = ok(&["compare", "--d", "7,10,1e6", "--format", "latex"]);
    assert_eq!(check_latex(&t), Ok(2), "{t}");
    assert!(
        t.contains("\\times10^{-3}"),
        "small numbers in math mode: {t}"
    );
    // The checker itself can fail.
    assert!(check_latex("\\begin{tabular}{ll}\na & b & c \\\\\n\\end{tabular}\n").is_err());
    assert!(
        check_latex("\\begin{tabular}{ll}\na_b & c \\\\\nx & y \\\\\n\\end{tabular}\n").is_err()
    );
    assert!(check_latex("{\\begin{tabular}{l}\na \\\\\nb \\\\\n\\end{tabular}\n").is_err());
    // Compile with a TeX engine when one is installed.
    let engine = ["pdflatex", "tectonic"].into_iter().find(|e| {
        Command::new(e)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(engine) = engine else {
        eprintln!("no TeX engine (pdflatex, tectonic) installed: compilation not checked");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("table.tex"), &t).unwrap();
    std::fs::write(
        dir.path().join("doc.tex"),
        "\\documentclass{article}\n\\begin{document}\n\\tiny\n\\input{table.tex}\n\\end{document}\n",
    )
    .unwrap();
    let mut cmd = Command::new(engine);
    if engine == "pdflatex" {
        cmd.args(["-interaction=nonstopmode", "-halt-on-error"]);
    }
    let out = cmd.arg("doc.tex").current_dir(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{engine} failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn csv_has_a_header_and_consistent_rows() {
    let t = ok(&["compare", "--d", "7,10", "--format", "csv"]);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 3);
    let header = csv_fields(lines[0]);
    assert_eq!(header[0], "d");
    for l in &lines[1..] {
        let row = csv_fields(l);
        assert_eq!(row.len(), header.len(), "{l}");
        let col = |name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
        assert_eq!(col("I_min_kind"), "std");
        assert_eq!(col("II_min_kind"), "n-2,1,1");
        assert_eq!(col("II_separated"), "true");
    }
}

#[test]
fn svg_is_well_formed_and_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plot.svg");
    let p = path.to_str().unwrap();
    ok(&["compare", "--d", "7..=12,100,1e4,1e9", "--svg", p]);
    let svg = std::fs::read_to_string(&path).expect("the SVG was written");
    assert_eq!(check_xml(&svg), Ok("svg".to_string()));
    for needle in [
        "Hessian eigenvalues below 1",
        "family I",
        "family II",
        "1/4 − 1/(2π)",
        "1/4 + 1/(2π)",
        "Hessian eigenvalue",
        "log scale",
        "[n−2,1,1]",
    ] {
        assert!(svg.contains(needle), "the SVG shows {needle:?}");
    }
    // The checker itself can fail.
    for bad in [
        "<svg><g></svg>",
        "<svg a=1/>",
        "<svg a=\"1\" a=\"2\"/>",
        "<svg>&nbsp;</svg>",
        "<svg/><svg/>",
        "<svg><g></g>",
    ] {
        assert!(check_xml(bad).is_err(), "{bad} is not well-formed");
    }
}
