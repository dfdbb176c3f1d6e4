//! `relucert arcs --sweep` (library `relucert::sweep`): every (family, d) has a row, the
//! enclosures are well-formed and consistent with `certify` and `arcs`, the tables and the
//! SVG are well-formed, exit codes, and an independent check of the ends by the full-space
//! tracer (`relucert::arcs::full`, the dense closed-form loss, no symmetry reduction).

mod common;

use common::{check_latex, check_xml, csv_fields, diagnostics, json_ok, relucert, relucert_os};
use relucert::arcs::{self, ArcPoint};
use relucert::arith::decimal::parse_decimal;
use relucert::search::families::Family;
use relucert::sweep;
use relucert::Scalar;
use rug::Rational;
use serde_json::Value;
use std::sync::OnceLock;

/// What one binary run of `arcs --sweep --d 8,10,20` printed and wrote.
struct Run {
    json: Value,
    markdown_stdout: String,
    markdown_file: String,
    csv: String,
    latex: String,
    svg: String,
}

const DS: [u64; 3] = [8, 10, 20];

/// The sweep at d = 8, 10, 20 through the binary, run once for every test here: JSON on
/// stdout and every file; then the human output (Markdown on stdout).
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        let (code, out, err) = relucert_os([
            "arcs".as_ref(),
            "--sweep".as_ref(),
            "--d".as_ref(),
            "8,10,20".as_ref(),
            "--json".as_ref(),
            "--csv".as_ref(),
            p("t.csv").as_os_str(),
            "--markdown".as_ref(),
            p("t.md").as_os_str(),
            "--latex".as_ref(),
            p("t.tex").as_os_str(),
            "--svg".as_ref(),
            p("t.svg").as_os_str(),
        ] as [&std::ffi::OsStr; 13]);
        assert_eq!(code, 0, "{err}");
        // Progress lines may appear on a loaded machine (after 5 s); nothing else may.
        assert!(
            diagnostics(&err).is_empty(),
            "a certified run prints no diagnostics on stderr: {err}"
        );
        let read = |n: &str| std::fs::read_to_string(p(n)).expect("written");
        let (code, md, err) = relucert(&["arcs", "--sweep", "--d", "8,10,20"]);
        assert_eq!(code, 0, "{err}");
        Run {
            json: serde_json::from_str(&out).expect("JSON"),
            markdown_stdout: md,
            markdown_file: read("t.md"),
            csv: read("t.csv"),
            latex: read("t.tex"),
            svg: read("t.svg"),
        }
    })
}

fn q(v: &Value) -> Rational {
    parse_decimal(
        v.as_str()
            .unwrap_or_else(|| panic!("a decimal string: {v}")),
    )
    .unwrap_or_else(|| panic!("a decimal: {v}"))
}

/// An enclosure `{lo, hi}` of the JSON, with `lo <= hi` checked.
fn enc(v: &Value) -> (Rational, Rational) {
    let (lo, hi) = (q(&v["lo"]), q(&v["hi"]));
    assert!(lo <= hi, "lo > hi: {v}");
    (lo, hi)
}

fn f(x: &Rational) -> f64 {
    x.to_f64()
}

#[test]
fn every_row_is_present_and_certified() {
    let j = &run().json;
    assert_eq!(j["families"], serde_json::json!(["I", "II"]));
    assert_eq!(j["d"], serde_json::json!(DS));
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for (k, row) in rows.iter().enumerate() {
        let fam = if k < 3 { "I" } else { "II" };
        assert_eq!(row["family"], fam);
        assert_eq!(row["d"], DS[k % 3]);
        assert_eq!(row["certified"], true, "{row}");
        assert!(row["reason"].is_null());
        assert_eq!(row["minimum"]["classification"], "strict_local_minimum");
        let arcs = row["arcs"].as_array().unwrap();
        assert_eq!(
            arcs.len(),
            1,
            "one minimizing arc at {fam}, d = {}",
            row["d"]
        );
        let a = &arcs[0];
        // docs/arcs.md: I leaves along std in the - direction, II along n-2,1,1 as a pair.
        let d = row["d"].as_u64().unwrap();
        if fam == "I" {
            assert_eq!(a["component"]["kind"], "std");
            assert_eq!(a["direction"], "-");
            assert_eq!(a["isotropy"]["partition"], serde_json::json!([d - 2, 1, 1]));
        } else {
            assert_eq!(a["component"]["kind"], "n-2,1,1");
            assert_eq!(a["mirror_pair"], true);
            assert_eq!(
                a["isotropy"]["partition"],
                serde_json::json!([d - 3, 1, 1, 1])
            );
        }
        assert_eq!(a["end"]["kind"], "critical_point");
        assert_eq!(a["end"]["certified"], true);
        assert_eq!(a["end"]["classification"], "saddle");
        assert_eq!(a["end"]["index"], 1);
        assert_eq!(a["max_along"]["kind"], "at_end");
    }
}

#[test]
fn enclosures_are_well_formed_and_the_barrier_is_end_minus_minimum() {
    for row in run().json["rows"].as_array().unwrap() {
        let (ml, mh) = enc(&row["minimum"]["loss"]);
        for a in row["arcs"].as_array().unwrap() {
            let (el, eh) = enc(&a["end"]["loss"]);
            let (dl, _) = enc(&a["distance"]);
            let (bl, bh) = enc(&a["barrier"]);
            assert!(dl > 0, "a positive distance: {row}");
            assert!(bl > 0, "the saddle lies above the minimum: {row}");
            // The barrier, an outward interval difference, and end - minimum from the
            // printed enclosures enclose the same number: they intersect, and their
            // midpoints agree to within the widths.
            let (xl, xh) = (el.clone() - &mh, eh.clone() - &ml);
            assert!(bl <= xh && xl <= bh, "barrier {a} vs end - min");
            let mid = |a: &Rational, b: &Rational| (a.clone() + b) / 2u32;
            let gap = (mid(&bl, &bh) - mid(&xl, &xh)).abs();
            let width = (bh.clone() - &bl) + (xh.clone() - &xl);
            assert!(gap <= width, "barrier midpoint off by {}", f(&gap));
            assert!(f(&(bh.clone() - &bl)) < 1e-20, "a tight barrier enclosure");
        }
    }
}

#[test]
fn the_minimum_and_the_ends_agree_with_certify_and_arcs() {
    for row in run().json["rows"].as_array().unwrap() {
        let (fam, d) = (row["family"].as_str().unwrap(), row["d"].to_string());
        let c = json_ok(&["certify", "--family", fam, "--d", &d, "--json"]);
        let (ml, mh) = enc(&row["minimum"]["loss"]);
        let (cl, ch) = enc(&c["loss"]);
        assert!(
            ml <= ch && cl <= mh,
            "{fam} d = {d}: minimum loss vs certify"
        );
        // The same arc in `arcs --extreme --json` ends at the same certified point.
        let a = json_ok(&["arcs", "--family", fam, "--d", &d, "--extreme", "--json"]);
        let s = &row["arcs"][0];
        let m = a["arcs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| {
                x["component"] == s["component"]
                    && x["direction"] == s["direction"]
                    && x["isotropy"]["partition"] == s["isotropy"]["partition"]
            })
            .expect("the arc is in arcs --extreme");
        assert!(m["certified"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["type"] == "min"));
        let (al, ah) = enc(&m["end"]["loss"]);
        let (sl, sh) = enc(&s["end"]["loss"]);
        assert!(al <= sh && sl <= ah, "{fam} d = {d}: end loss");
        let (al, ah) = enc(&m["end"]["r"]);
        let (sl, sh) = enc(&s["distance"]);
        assert!(al <= sh && sl <= ah, "{fam} d = {d}: distance");
    }
}

/// Approximate: the full-space trace of the sweep's minimizing arc at (family, d): the
/// distance of its Newton-refined critical end from C and the loss there and at C, all
/// from the dense closed-form loss on the d x d matrix (no symmetry reduction).
fn full_space_end(family: Family, d: u64) -> (f64, f64, f64) {
    use relucert::arcs::full;
    use relucert::arcs::trace::{EndKind, TraceOptions};
    let cert = common::cert(family, d, sweep::BASE_PREC);
    let results = arcs::run(&cert, &sweep::arc_options(d, None));
    let chosen = sweep::minimizing_arcs(&results);
    assert_eq!(chosen.len(), 1);
    let a = &results[chosen[0]];
    let u: Vec<f64> = a.dir.u.iter().map(|x| x.approx_f64()).collect();
    let uf = full::embed_direction(&cert, a.dir.axis.refinement(&cert.partition).as_ref(), &u);
    let cubic = match &a.dir.leading {
        relucert::arcs::directions::Leading::Quartic(_) => 0.0,
        l => l.value().mid().to_f64(),
    };
    let scale = (d as f64).sqrt();
    let opts = TraceOptions {
        loss_max: f64::INFINITY,
        r0: 1e-3,
        r_max: 2.0 * scale,
        dr_max: 0.02 * scale,
        max_steps: 4000,
    };
    let t = full::trace_full(&cert, &uf, a.dir.lambda.mid().to_f64(), cubic, &opts);
    assert_eq!(t.end, EndKind::CriticalPoint, "{} d = {d}", family.name());
    let x = t.critical.expect("Newton refined the end");
    let c = full::center_full(&cert);
    let r = x
        .iter()
        .zip(&c)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        .sqrt();
    let m = |v: &[f64]| -> Vec<Vec<f64>> { v.chunks(d as usize).map(|r| r.to_vec()).collect() };
    let le = relucert::model::dense::loss(&m(&x)).expect("smooth at the end");
    let lc = relucert::model::dense::loss(&m(&c)).expect("smooth at C");
    (r, le, lc)
}

#[test]
fn the_full_space_tracer_finds_the_certified_ends_at_d_8_and_10() {
    // Tolerance of the independent f64 computation: Newton on the full gradient stops at
    // steps below 1e-13; the loss and distance are accurate to about 1e-12.
    const TOL: f64 = 1e-9;
    let rows = run().json["rows"].as_array().unwrap();
    for (family, name) in [(Family::I, "I"), (Family::II, "II")] {
        for d in [8u64, 10] {
            let row = rows
                .iter()
                .find(|r| r["family"] == name && r["d"] == d)
                .unwrap();
            let a = &row["arcs"][0];
            let (r, le, lc) = full_space_end(family, d);
            let inside = |x: f64, e: &Value, what: &str| {
                let (lo, hi) = enc(e);
                assert!(
                    f(&lo) - TOL <= x && x <= f(&hi) + TOL,
                    "{name} d = {d}: full-space {what} {x} outside [{}, {}]",
                    f(&lo),
                    f(&hi)
                );
            };
            inside(r, &a["distance"], "distance");
            inside(le, &a["end"]["loss"], "end loss");
            inside(lc, &row["minimum"]["loss"], "minimum loss");
            inside(le - lc, &a["barrier"], "barrier");
        }
    }
}

#[test]
fn markdown_csv_and_latex_are_well_formed() {
    let r = run();
    assert_eq!(
        r.markdown_file, r.markdown_stdout,
        "the file is the table on stdout"
    );
    // Two tables: the rows, and II / I at each d.
    let tables: Vec<Vec<&str>> = r
        .markdown_stdout
        .split("\n\n")
        .map(|b| b.lines().filter(|l| l.starts_with('|')).collect::<Vec<_>>())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(tables.len(), 2, "{}", r.markdown_stdout);
    let table = &tables[0];
    assert_eq!(table.len(), 2 + 6, "header, rule, one line per (family, d)");
    assert_eq!(
        tables[1].len(),
        2 + DS.len(),
        "header, rule, one line per d"
    );
    assert!(tables[1][0].contains("barrier II / I"));
    for l in &tables[1][2..] {
        assert_eq!(l.matches(" | ").count() + 1, 3, "{l}");
        assert!(!l.contains('–'), "every ratio enclosed: {l}");
    }
    for l in table {
        assert_eq!(
            l.matches(" | ").count() + 1,
            relucert::render::sweep::HEADER.len(),
            "{l}"
        );
    }
    for l in &table[2..] {
        assert!(l.trim_end().ends_with("| certified |"), "{l}");
        assert!(l.contains("saddle of index 1"), "{l}");
    }
    assert!(r.markdown_stdout.contains("6 of 6 (family, d) certified"));
    // CSV: a header and one consistent line per row; the numbers match the JSON's.
    let lines: Vec<&str> = r.csv.lines().collect();
    assert_eq!(lines.len(), 7);
    let header = csv_fields(lines[0]);
    assert_eq!(header.len(), relucert::render::sweep::CSV_HEADER.len());
    let json_rows = r.json["rows"].as_array().unwrap();
    for (l, j) in lines[1..].iter().zip(json_rows) {
        let row = csv_fields(l);
        assert_eq!(row.len(), header.len(), "{l}");
        let col = |n: &str| row[header.iter().position(|h| h == n).unwrap()].clone();
        assert_eq!(col("family"), j["family"].as_str().unwrap());
        assert_eq!(col("d"), j["d"].to_string());
        assert_eq!(col("status"), "certified");
        assert_eq!(col("end_index"), "1");
        // The 6-digit CSV enclosure contains the JSON's (both rounded outward).
        let (bl, bh) = enc(&j["arcs"][0]["barrier"]);
        let (cl, ch) = (
            parse_decimal(&col("barrier_lo")).unwrap(),
            parse_decimal(&col("barrier_hi")).unwrap(),
        );
        assert!(cl <= bl && bh <= ch, "{l}");
    }
    assert_eq!(check_latex(&r.latex), Ok(2), "{}", r.latex);
    assert!(r.latex.contains("$\\pm$"), "the mirror pair in math mode");
}

#[test]
fn the_svg_is_well_formed_and_shows_the_points() {
    let svg = &run().svg;
    assert_eq!(check_xml(svg), Ok("svg".to_string()));
    for needle in [
        "distance |W* − C|_F",
        "barrier L(W*) − L(C)",
        "log scale",
        "family",
        "Every (family, d) plotted is certified.",
    ] {
        assert!(svg.contains(needle), "the SVG shows {needle:?}");
    }
    // One marker per (family, d) in each of the two panels, plus one in the legend.
    for colour in ["#1f5fbf", "#d62728"] {
        let n = svg
            .matches(&format!("stroke=\"{colour}\" fill=\"{colour}\""))
            .count();
        assert_eq!(n, 2 * DS.len() + 1, "markers of {colour}");
    }
    // The quotient panel: one marker per d for distance and barrier, plus the legend's.
    for colour in ["#555555", "#7b3fa0"] {
        let n = svg
            .matches(&format!("stroke=\"{colour}\" fill=\"{colour}\""))
            .count();
        assert_eq!(n, DS.len() + 1, "quotient markers of {colour}");
    }
    assert!(svg.contains("II over I") && svg.contains("quotient II / I"));
    assert!(
        !svg.contains("<script") && !svg.contains("href"),
        "self-contained"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        vec!["arcs", "--sweep", "--d", "7..1000:log:1"],
        vec!["arcs", "--sweep", "--d", "x"],
        vec!["arcs", "--sweep"],
        vec!["arcs", "--sweep", "--d", "8", "--families", "I,III"],
        vec!["arcs", "--sweep", "--d", "8", "--family", "I"],
        vec!["arcs", "--sweep", "--d", "8", "--extreme"],
        vec!["arcs", "--family", "I", "--d", "8", "--families", "I"],
        vec!["arcs", "--sweep", "--d", "2..10:log:3"],
    ] {
        let (code, out, err) = relucert(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("relucert: "), "{err}");
    }
    let (_, _, err) = relucert(&["arcs", "--sweep", "--d", "7..1000:log:1"]);
    assert!(err.contains("--d 7..1000:log:1"), "names the input: {err}");
}

#[test]
fn a_row_that_is_not_certified_is_kept_and_exits_3() {
    // At d = 5 the family I point is a certified saddle (docs/families.md): no minimizing arc.
    let (code, out, err) =
        relucert(&["arcs", "--sweep", "--d", "5,6", "--families", "I", "--json"]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("family I at d = 5"), "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "never dropped");
    assert_eq!(rows[0]["d"], 5);
    assert_eq!(rows[0]["certified"], false);
    assert_eq!(rows[0]["minimum"]["classification"], "saddle");
    assert!(rows[0]["reason"]
        .as_str()
        .unwrap()
        .contains("not a strict local minimum"));
    assert_eq!(rows[1]["certified"], true, "{}", rows[1]);
    let (code, md, _) = relucert(&["arcs", "--sweep", "--d", "5,6", "--families", "I"]);
    assert_eq!(code, 3);
    let line = md
        .lines()
        .find(|l| l.starts_with("| I ") && l.contains(" 5 |"));
    assert!(
        line.is_some_and(|l| l.contains("not certified: the point is certified as saddle of index")),
        "{md}"
    );
}

fn pt(r: f64, loss: f64, mu: f64) -> ArcPoint {
    ArcPoint { r, loss, mu }
}

#[test]
fn interior_maximum_of_a_trace() {
    // A loss that rises, turns over and falls while mu keeps its sign: the maximum.
    let t = [
        pt(0.1, 1.0, 1.0),
        pt(0.2, 2.0, 1.0),
        pt(0.3, 1.5, 1.0),
        pt(0.4, 1.2, 1.0),
    ];
    assert_eq!(sweep::interior_max(&t), Some(1));
    // Rising to the end: none.
    let t = [pt(0.1, 1.0, 1.0), pt(0.2, 2.0, 0.5), pt(0.3, 2.5, 0.1)];
    assert_eq!(sweep::interior_max(&t), None);
    // The point past the sign change of mu (a critical end) is not "before the end".
    let t = [
        pt(0.1, 1.0, 1.0),
        pt(0.2, 2.0, 0.5),
        pt(0.3, 2.1, 0.1),
        pt(0.4, 2.05, -0.2),
    ];
    assert_eq!(sweep::interior_max(&t), None);
    assert_eq!(sweep::interior_max(&[]), None);
}

#[test]
fn the_traced_loss_rises_with_r_while_mu_is_positive() {
    // dL/dr = mu r along a tangency arc: the reason the sweep finds no interior maximum.
    for (family, d) in [(Family::I, 10), (Family::II, 10), (Family::II, 100)] {
        let cert = common::cert(family, d, sweep::BASE_PREC);
        let results = arcs::run(&cert, &sweep::arc_options(d, None));
        for k in sweep::minimizing_arcs(&results) {
            let t = &results[k].trace;
            assert!(t.len() > 10);
            for w in t.windows(2) {
                if w[0].mu > 0.0 && w[1].mu > 0.0 {
                    assert!(w[1].r > w[0].r && w[1].loss > w[0].loss, "{w:?}");
                }
            }
        }
    }
}

#[test]
fn a_point_certified_at_a_chosen_radius_lies_below_the_end() {
    // `certify_at_radius` (the certified point near an interior maximum) at two radii on
    // the minimizing arc of II at d = 10: the first default radius, where the arcs run
    // certified the same point, and 90% of the way to the end, below the end's loss.
    let cert = common::cert(Family::II, 10, sweep::BASE_PREC);
    let results = arcs::run(&cert, &sweep::arc_options(10, None));
    let chosen = sweep::minimizing_arcs(&results);
    let a = &results[chosen[0]];
    let first = &a.certified[0];
    let got = sweep::certify_at_radius(&cert, &results, &chosen, &first.r);
    let l = got[0].as_ref().expect("certified");
    let l0 = &first.proof.as_ref().unwrap().loss;
    assert!(
        l.lo() <= l0.hi() && l0.lo() <= l.hi(),
        "the same point, two runs"
    );
    let end = a.end.distance.as_ref().unwrap().mid().to_f64();
    let r = sweep::radius_label(0.9 * end);
    let got = sweep::certify_at_radius(&cert, &results, &chosen, &r);
    let l = got[0].as_ref().expect("certified");
    let end_loss = match &a.end.critical {
        Some(Ok(c)) => c.proof.loss.clone(),
        _ => panic!("a certified end"),
    };
    assert!(l.hi() < end_loss.lo(), "below the end at r = {r}");
    assert!(
        l.lo() > cert.proof.loss.hi(),
        "above the minimum at r = {r}"
    );
}

#[test]
fn the_ratios_are_quotients_of_the_rows() {
    let j = &run().json;
    let rows = j["rows"].as_array().unwrap();
    let ratios = j["ratios"].as_array().unwrap();
    assert_eq!(ratios.len(), DS.len());
    for r in ratios {
        assert_eq!(r["numerator"], "II");
        assert_eq!(r["denominator"], "I");
        let at = |fam: &str| {
            &rows
                .iter()
                .find(|x| x["family"] == fam && x["d"] == r["d"])
                .unwrap()["arcs"][0]
        };
        for key in ["distance", "barrier"] {
            let mid = |e: &Value| {
                let (lo, hi) = enc(e);
                f(&((lo + hi) / 2u32))
            };
            let quotient = mid(&at("II")[key]) / mid(&at("I")[key]);
            let (lo, hi) = enc(&r[key]);
            assert!(
                f(&lo) - 1e-12 <= quotient && quotient <= f(&hi) + 1e-12,
                "{key} at d = {}: {quotient} vs {}",
                r["d"],
                r[key]
            );
        }
    }
}

#[test]
fn the_readme_table_and_plot_are_the_commands_output() {
    // README, "Minimizing arcs across d": the table is the output of this command and
    // docs/sweep.svg its plot (6 s of CPU: the 20-point acceptance sweep, run once here).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("relucert arcs --sweep --d 7..1000:log:20 --svg docs/sweep.svg"));
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("sweep.svg");
    let (code, out, err) = relucert_os([
        "arcs".as_ref(),
        "--sweep".as_ref(),
        "--d".as_ref(),
        "7..1000:log:20".as_ref(),
        "--svg".as_ref(),
        svg.as_os_str(),
    ] as [&std::ffi::OsStr; 6]);
    assert_eq!(code, 0, "every row certified: {err}");
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(lines.len(), 2 + 40 + 2 + 20, "two tables");
    for l in lines {
        assert!(
            readme.lines().any(|r| r == l),
            "the README lacks the line\n{l}"
        );
    }
    let committed = std::fs::read_to_string(root.join("docs/sweep.svg")).unwrap();
    assert_eq!(
        std::fs::read_to_string(&svg).unwrap(),
        committed,
        "docs/sweep.svg is not the command's plot: regenerate it with the README's command"
    );
}
