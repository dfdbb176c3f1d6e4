//! Snapshot tests (insta) of what users see: the summaries the binary prints for
//! `certify`, `verify`, `compare`, `arcs` and `arcs --sweep`.
//!
//! The snapshots under `tests/snapshots/` are the reviewed expected output; under `CI=true`
//! a changed or missing snapshot fails. Create or update them locally with
//! `INSTA_UPDATE=always cargo test --release --test snapshots` (or `cargo insta review`),
//! then read the diff before committing.

mod common;

/// The binary's stdout for `args`, which must exit with `code`.
fn stdout(args: &[&str], code: i32) -> String {
    let (c, out, err) = common::relucert(args);
    assert_eq!(c, code, "{args:?}: {err}");
    out
}

#[test]
fn certify_family_i_d6_minimum() {
    insta::assert_snapshot!(
        "certify_I_d6",
        stdout(&["certify", "--family", "I", "--d", "6"], 0)
    );
}

#[test]
fn certify_family_ii_d7_minimum() {
    insta::assert_snapshot!(
        "certify_II_d7",
        stdout(&["certify", "--family", "II", "--d", "7"], 0)
    );
}

#[test]
fn certify_family_ii_d1000() {
    insta::assert_snapshot!(
        "certify_II_d1000",
        stdout(&["certify", "--family", "II", "--d", "1000"], 0)
    );
}

#[test]
fn certify_family_iisym_d10() {
    insta::assert_snapshot!(
        "certify_IIsym_d10",
        stdout(&["certify", "--family", "IIsym", "--d", "10"], 0)
    );
}

#[test]
fn certify_family_i_d5_saddle() {
    insta::assert_snapshot!(
        "certify_I_d5",
        stdout(&["certify", "--family", "I", "--d", "5"], 0)
    );
}

#[test]
fn verify_shipped_and_known_false() {
    let root = env!("CARGO_MANIFEST_DIR");
    let ok = format!("{root}/certificates/II/d10.json");
    let arc = format!("{root}/certificates/arcs/II-d10-n-2_1_1-7_1_1_1-j0-pm-r0.01.json");
    let bad = format!("{root}/tests/data/known-false-II-d1000000000.json");
    let out = stdout(&["verify", &ok, &arc, &bad], 1).replace(root, "<repo>");
    insta::assert_snapshot!("verify_three_files", out);
}

#[test]
fn compare_markdown_d_7_10_100() {
    insta::assert_snapshot!(
        "compare_d_7_10_100",
        stdout(&["compare", "--d", "7,10,100"], 0)
    );
}

#[test]
fn arcs_family_ii_d10_extreme() {
    insta::assert_snapshot!(
        "arcs_II_d10_extreme",
        stdout(&["arcs", "--family", "II", "--d", "10", "--extreme"], 0)
    );
}

#[test]
fn arcs_sweep_d_8_10() {
    insta::assert_snapshot!(
        "arcs_sweep_d_8_10",
        stdout(&["arcs", "--sweep", "--d", "8,10"], 0)
    );
}
