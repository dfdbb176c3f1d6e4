//! Every deterministic figure the README quotes is what the command it names prints: each
//! figure must stand in README.md *and* in the command's output, so a stale README or a
//! changed result fails here, naming both. (Timings are not deterministic and are not
//! checked; the sweep table is checked line by line in `tests/sweep.rs`, the commands'
//! exit codes in `tests/readme.rs`.)

mod common;

use common::relucert;
use serde_json::Value;
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The README holds `figure` and the output of `args` (exit 0) holds it too.
fn quoted_and_printed(readme: &str, args: &[&str], figures: &[&str]) -> Vec<String> {
    let (code, out, err) = relucert(args);
    let mut bad = Vec::new();
    if code != 0 {
        bad.push(format!("{args:?} exited {code}: {err}"));
    }
    for f in figures {
        if !readme.contains(f) {
            bad.push(format!("README lacks {f:?} (quoted for {args:?})"));
        }
        if !out.contains(f) {
            bad.push(format!("{args:?} does not print {f:?}"));
        }
    }
    bad
}

/// `[lo, hi]` of a JSON enclosure `{lo, hi}`.
fn bracket(v: &Value) -> String {
    format!(
        "[{}, {}]",
        v["lo"].as_str().unwrap(),
        v["hi"].as_str().unwrap()
    )
}

/// A bracket `[lo, hi]` as the pair of decimal strings it holds, each read as a number
/// (so `-0.1099223588` and `-1.099223588e-1` are the same figure).
fn as_pair(b: &str) -> (String, String) {
    let t = b.trim_matches(|c| c == '[' || c == ']' || c == '`');
    let (lo, hi) = t.split_once(", ").expect("[lo, hi]");
    let norm = |x: &str| format!("{:e}", x.trim().parse::<f64>().expect("a decimal"));
    (norm(lo), norm(hi))
}

/// Every back-quoted bracket `` `[lo, hi]` `` of the README, as [`as_pair`].
fn quoted_brackets(readme: &str) -> Vec<(String, String)> {
    readme
        .split("`[")
        .skip(1)
        .filter_map(|rest| rest.split_once("]`").map(|(inner, _)| inner))
        .filter(|inner| {
            inner
                .split_once(", ")
                .is_some_and(|(a, b)| a.parse::<f64>().is_ok() && b.parse::<f64>().is_ok())
        })
        .map(as_pair)
        .collect()
}

#[test]
fn the_main_job_prints_what_the_readme_says() {
    let r = readme();
    let bad = quoted_and_printed(
        &r,
        &["certify", "--family", "II", "--d", "1000"],
        &["STRICT LOCAL MINIMUM", "multiplicity 497503", "3.07772e-3"],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_search_leading_figures_are_printed() {
    let r = readme();
    let mut bad = Vec::new();
    for (fam, d, figs) in [
        (
            "I",
            "8",
            vec![
                "q = -9.215900456865e-2, best axial q = [-0.09215900457, -0.09215900456] at [6,1,1] -",
            ],
        ),
        ("I", "10", vec!["q = -1.005127924092e-1", "at [8,1,1] -"]),
        (
            "II",
            "8",
            vec![
                "q = -6.923145362652e-3,",
                "best axial q = [-6.923145363e-3, -6.923145362e-3] at [5,1,1,1] ±",
            ],
        ),
        ("II", "10", vec!["q = -9.943824168712e-3", "at [7,1,1,1] ±"]),
    ] {
        bad.extend(quoted_and_printed(
            &r,
            &["arcs", "--family", fam, "--d", d, "--search-leading"],
            &figs,
        ));
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_minimizing_candidates_at_d_1000_are_printed() {
    let r = readme();
    let mut bad = Vec::new();
    // I: the cubic of the `-` (d-2,1) std split; II: the effective quartics of the Young
    // axis and of the Z_3 and Z_4 lattice types, with the ranks the README states.
    // (family, [(isotropy name, the rank the README states)])
    type Quoted<'a> = (&'a str, &'a [(&'a str, Option<u64>)]);
    let want: [Quoted; 2] = [
        ("I", &[("Δ(S_998 x S_1 x S_1)", Some(1))]),
        (
            "II",
            &[
                ("Δ(S_997 x S_1 x S_1 x S_1)", Some(1)),
                ("Δ(S_996 x Z_3 x S_1)", Some(4)),
                ("Δ(S_995 x Z_4 x S_1)", Some(9)),
            ],
        ),
    ];
    for (fam, types) in want {
        let (code, out, err) = relucert(&[
            "arcs",
            "--family",
            fam,
            "--d",
            "1000",
            "--extreme",
            "--json",
        ]);
        assert_eq!(code, 0, "{fam}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let cands = v["candidates"].as_array().expect("candidates");
        for (name, rank) in types {
            let Some(c) = cands.iter().find(|c| c["isotropy"]["name"] == *name) else {
                bad.push(format!("{fam}: no candidate {name}"));
                continue;
            };
            let q = bracket(&c["leading_coefficient"]);
            if !quoted_brackets(&r).contains(&as_pair(&q)) {
                bad.push(format!("{fam} {name}: README lacks the enclosure {q}"));
            }
            if let Some(k) = rank {
                if c["rank"].as_u64() != Some(*k) {
                    bad.push(format!("{fam} {name}: rank {} (README: {k})", c["rank"]));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_sweep_beyond_1000_is_certified_as_the_readme_says() {
    let r = readme();
    // "`--d 1000..1e6:log:7` certifies all 14 rows and exits 0"; quotients 0.99849 and
    // 0.99946 at d = 3162 and 10^4.
    let (code, out, err) = relucert(&["arcs", "--sweep", "--d", "1000..1e6:log:7", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(r.contains("1000..1e6:log:7` certifies all 14 rows and exits 0"));
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 14);
    assert!(
        rows.iter().all(|x| x["certified"] == true),
        "every row certified"
    );
    // The quotients' enclosures, as the Markdown prints them: [0.998490, 0.998491] at
    // d = 3162 and [0.999456, 0.999457] at 10^4; the README quotes their lower ends.
    let (code, md, err) = relucert(&["arcs", "--sweep", "--d", "1000..1e6:log:7"]);
    assert_eq!(code, 0, "{err}");
    for (d, q, quoted) in [
        ("3162", "[0.998490, 0.998491]", "0.99849"),
        ("10000", "[0.999456, 0.999457]", "0.99946"),
    ] {
        assert!(r.contains(quoted), "README quotes {quoted}");
        assert!(
            md.lines()
                .any(|l| l.starts_with(&format!("| {d:>7} |")) && l.contains(q)),
            "the sweep prints the barrier quotient {q} at d = {d}"
        );
    }
}
