//! The two-block ladder `relucert ladder` and the flip members `--family flip:p`, through
//! the binary: the published losses, the two minima of one fixed space, the identities
//! flip(1) = I, flip(d-1) = II, flip(d) = IIsym checked against `certify --family`, the
//! certificates of flip points, the `--p` grammar, the output formats and bad input.

mod common;

use common::{json_ok, relucert};
use serde_json::Value;

/// The enclosure `{lo, hi}` of a JSON report as exact decimal strings.
fn bounds(v: &Value) -> (String, String) {
    (
        v["lo"].as_str().expect("lo").to_string(),
        v["hi"].as_str().expect("hi").to_string(),
    )
}

/// A decimal string rounded half-up to 6 decimal places, computed on the digits (no
/// floating point): "1.12755819...e-2" -> "0.011276". Positive values in [0.001, 1) only.
fn round6(s: &str) -> String {
    let s = relucert::render::report::positional(s);
    let frac = s.strip_prefix("0.").expect("a positive decimal below 1");
    let digits: Vec<u32> = frac
        .chars()
        .chain(std::iter::repeat('0'))
        .take(7)
        .map(|c| c.to_digit(10).expect("a digit"))
        .collect();
    let mut n: u64 = digits[..6].iter().fold(0, |a, &d| a * 10 + d as u64);
    if digits[6] >= 5 {
        n += 1;
    }
    format!("0.{n:06}")
}

/// Published certified losses of the two-block minima with p = 1..6 flipped neurons at
/// d = k = 20: Safran, Yehudai and Shamir, "The Effects of Mild Over-parameterization on
/// the Optimization Landscape of Shallow ReLU Neural Networks", COLT 2021 (the spurious
/// minima reached by gradient descent in their experiment). External reference values,
/// not relucert's output.
const PUBLISHED_D20: [(u64, &str); 6] = [
    (1, "0.011276"),
    (2, "0.021923"),
    (3, "0.032152"),
    (4, "0.042022"),
    (5, "0.051556"),
    (6, "0.060759"),
];

#[test]
fn ladder_d20_reproduces_the_published_losses_as_certified_minima() {
    let v = json_ok(&["ladder", "--d", "20", "--p", "1..=6", "--json"]);
    let points = v["points"].as_array().expect("points");
    for (p, want) in PUBLISHED_D20 {
        let hits: Vec<&Value> = points
            .iter()
            .filter(|q| q["p"].as_u64() == Some(p) && q["status"] == "certified")
            .filter(|q| {
                let (lo, hi) = bounds(&q["loss"]);
                round6(&lo) == want && round6(&hi) == want
            })
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "p = {p}: exactly one certified point whose loss enclosure rounds to {want}"
        );
        assert_eq!(
            hits[0]["classification"], "strict_local_minimum",
            "p = {p}: the published point is a strict local minimum"
        );
    }
    // Every listed point at p = 1..6 is certified (exit 0 above) and has p flipped: the
    // reduced coordinates satisfy the flip condition (D2 < 0 and largest in absolute value).
    for q in points {
        let c: Vec<f64> = q["center"]
            .as_array()
            .unwrap()
            .iter()
            .map(common::num)
            .collect();
        // layout D1, (O1), X12, D2, (O2), X21; block 2 has no O at p = 1.
        let p = q["p"].as_u64().unwrap();
        let (d2, rest2): (f64, Vec<f64>) = if p == 1 {
            (c[3], vec![c[4]])
        } else {
            (c[3], vec![c[4], c[5]])
        };
        assert!(d2 < 0.0, "{}: D2 = {d2}", q["name"]);
        assert!(rest2.iter().all(|x| x.abs() < -d2), "{}: {c:?}", q["name"]);
        assert!(c[0] > 0.0, "{}: D1 > 0", q["name"]);
    }
}

#[test]
fn round6_rounds_on_digits() {
    assert_eq!(round6("0.0112755819"), "0.011276");
    assert_eq!(round6("0.0112754999"), "0.011275");
    assert_eq!(round6("0.060758"), "0.060758");
    assert_eq!(round6("6.07586e-2"), "0.060759");
}

#[test]
fn d37_p15_holds_two_distinct_certified_minima() {
    // The published data (same source) has two distinct minima in Fix(Δ(S_22 x S_15))
    // at d = 37, both with 15 flipped neurons.
    let v = json_ok(&["ladder", "--d", "37", "--p", "15", "--json"]);
    let minima: Vec<&Value> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["classification"] == "strict_local_minimum")
        .collect();
    assert!(minima.len() >= 2, "{v}");
    let (a, b) = (bounds(&minima[0]["loss"]), bounds(&minima[1]["loss"]));
    let (a_hi, b_lo): (f64, f64) = (a.1.parse().unwrap(), b.0.parse().unwrap());
    assert!(a_hi < b_lo, "distinct losses, ordered by loss: {a:?} {b:?}");
}

/// The loss enclosure of a family certified by `certify --family F --d D --json`.
fn certify_loss(family: &str, d: &str) -> (f64, f64) {
    let v = json_ok(&["certify", "--family", family, "--d", d, "--json"]);
    let (lo, hi) = bounds(&v["loss"]);
    (lo.parse().unwrap(), hi.parse().unwrap())
}

#[test]
fn flip_1_d_minus_1_and_d_are_i_ii_iisym() {
    for d in [6u64, 9, 20] {
        let ds = d.to_string();
        let v = json_ok(&["ladder", "--d", &ds, "--p", "1,d-1,d", "--json"]);
        let named = v["named"].as_array().unwrap();
        assert_eq!(named.len(), 3, "d = {d}: {v}");
        for (family, p) in [("I", 1), ("II", d - 1), ("IIsym", d)] {
            let n = named.iter().find(|n| n["family"] == family).unwrap();
            assert_eq!(n["p"].as_u64(), Some(p));
            assert_eq!(n["proved"], true, "d = {d}: {family} = flip({p}): {n}");
            // Second way: the family certified by `certify --family` and the ladder's point
            // have overlapping loss enclosures.
            let flip_name = n["flip"].as_str().unwrap();
            let q = v["points"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["name"] == flip_name)
                .unwrap();
            let (lo, hi) = bounds(&q["loss"]);
            let (flo, fhi) = certify_loss(family, &ds);
            assert!(
                lo.parse::<f64>().unwrap() <= fhi && flo <= hi.parse::<f64>().unwrap(),
                "d = {d}: {family} and {flip_name} have disjoint loss enclosures"
            );
            assert_eq!(q["is"], family);
        }
    }
}

#[test]
fn below_d6_ii_is_not_a_flip_point_and_says_so() {
    // At d = 5 the II branch has |O1| > |D1| on its big block (docs/families.md): not flipped.
    let v = json_ok(&["ladder", "--d", "5", "--p", "d-1", "--json"]);
    let n = &v["named"][0];
    assert_eq!(n["family"], "II");
    assert_eq!(n["flip_condition"], false);
    assert_eq!(n["proved"], false);
}

#[test]
fn family_flip_certificate_verifies_and_a_wrong_label_is_refuted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flip2.json");
    let p = path.to_str().unwrap();
    let (code, out, err) = relucert(&["certify", "--family", "flip:2", "--d", "20", "-o", p]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("family flip(2), d = 20"), "{out}");
    assert!(out.contains("STRICT LOCAL MINIMUM"), "{out}");
    let (code, out, err) = relucert(&["verify", p]);
    assert_eq!(code, 0, "{out}{err}");
    // Relabel it as the second point of the same space: the label check refutes it.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"flip(2)\""));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, text.replace("\"flip(2)\"", "\"flip(2)#2\"")).unwrap();
    let (code, out, _) = relucert(&["verify", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("outside the certified box"), "{out}");
}

#[test]
fn family_flip_works_in_find_eval_and_compare() {
    let v = json_ok(&["find", "--family", "flip:3", "--d", "20", "--json"]);
    assert_eq!(v["family"], "flip(3)");
    // The second point of the space of p = 3 at d = 20 (loss 0.0658680..., a saddle).
    let (code, out, err) = relucert(&["eval", "--family", "flip:3#2", "--d", "20"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("partition 17,3"), "{out}");
    assert!(out.contains("loss in [6.5868"), "{out}");
    let (code, _, err) = relucert(&["compare", "--d", "20", "--families", "I,flip:1"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bad_p_is_refused_with_one_line() {
    for (args, needle) in [
        (
            vec!["certify", "--family", "flip:0", "--d", "20"],
            "p must be 1..=d",
        ),
        (
            vec!["certify", "--family", "flip:21", "--d", "20"],
            "exceeds d = 20",
        ),
        (
            vec!["certify", "--family", "flip:x", "--d", "20"],
            "p must be 1..=d",
        ),
        (vec!["certify", "--family", "flip:3#0", "--d", "20"], "rank"),
        (vec!["ladder", "--d", "20", "--p", "0"], "outside 1..=d"),
        (vec!["ladder", "--d", "20", "--p", "21"], "outside 1..=d"),
        (vec!["ladder", "--d", "20", "--p", "1.5"], "not an integer"),
        (vec!["ladder", "--d", "20", "--p", "2d"], "fraction"),
        (vec!["ladder", "--d", "20", "--p", "5..=3"], "empty"),
        (vec!["ladder", "--d", "1e6"], "--p"),
        (vec!["ladder", "--d", "20.5"], "integer d"),
    ] {
        let (code, out, err) = relucert(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.is_empty());
    }
    // A flip member that does not exist is a located-point failure, not a panic.
    let (code, _, err) = relucert(&["certify", "--family", "flip:3#40", "--d", "20"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn p_spec_grammar() {
    use relucert::ladder::parse_p_spec;
    assert_eq!(parse_p_spec("1..=3,d", 20).unwrap(), vec![1, 2, 3, 20]);
    assert_eq!(
        parse_p_spec("0.1d,d/3,d-1", 1000).unwrap(),
        vec![100, 333, 999]
    );
    assert_eq!(
        parse_p_spec("d/3,0.5d", 1_000_000).unwrap(),
        vec![333_333, 500_000]
    );
    assert_eq!(parse_p_spec("0.01d", 20).unwrap(), vec![1]);
    assert!(parse_p_spec("1..=20000", 100_000).is_err());
}

#[test]
fn output_formats_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("ladder.svg");
    let (code, csv, err) = relucert(&[
        "ladder",
        "--d",
        "12",
        "--p",
        "1,2",
        "--format",
        "csv",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = csv.lines().collect();
    let header = common::csv_fields(lines[0]);
    assert_eq!(header[1], "p");
    assert!(lines.len() >= 3, "{csv}");
    for l in &lines[1..] {
        assert_eq!(common::csv_fields(l).len(), header.len(), "{l}");
    }
    let text = std::fs::read_to_string(&svg).unwrap();
    common::check_xml(&text).unwrap();
    assert!(text.matches("<circle").count() >= 2 * (lines.len() - 1));
    let tex = common::stdout_ok(&["ladder", "--d", "12", "--p", "1,2", "--format", "latex"]);
    common::check_latex(&tex).unwrap();
    let md = common::stdout_ok(&["ladder", "--d", "12", "--p", "1,2", "--format", "md"]);
    assert!(md.starts_with("# Two-block ladder at d = 12"));
    assert!(md.contains("| flip(1)"), "{md}");
}

#[test]
fn large_d_with_fractions_of_d() {
    // The cost per p does not depend on d: d = 1e6 with two p values.
    let v = json_ok(&["ladder", "--d", "1e6", "--p", "1,d/3", "--json"]);
    assert_eq!(v["p"], serde_json::json!([1, 333333]));
    let pts = v["points"].as_array().unwrap();
    assert!(pts.iter().any(|q| q["p"] == 1 && q["is"] == "I"), "{v}");
    assert!(pts.iter().any(|q| q["p"] == 333333), "{v}");
}
