//! Snapshot tests (insta): deterministic certificate summaries and the `compare` Markdown.
//!
//! The snapshots under `tests/snapshots/` are the reviewed expected output; under `CI=true`
//! a changed or missing snapshot fails. Create or update them locally with
//! `INSTA_UPDATE=always cargo test --release --test snapshots` (or `cargo insta review`),
//! then read the diff before committing.

use relucert::prove::certify_family;
use relucert::render::report::certificate_summary;
use relucert::search::families::Family;
use std::process::Command;

fn summary(family: Family, d: u64) -> String {
    let cert = certify_family(family, d, 256)
        .unwrap_or_else(|e| panic!("family {} at d = {d}: {e}", family.name()));
    certificate_summary(&cert)
}

#[test]
fn summary_family_i_d6_minimum() {
    insta::assert_snapshot!("summary_I_d6", summary(Family::I, 6));
}

#[test]
fn summary_family_ii_d7_minimum() {
    insta::assert_snapshot!("summary_II_d7", summary(Family::II, 7));
}

#[test]
fn summary_family_ii_d1000() {
    insta::assert_snapshot!("summary_II_d1000", summary(Family::II, 1000));
}

#[test]
fn summary_family_iisym_d10() {
    insta::assert_snapshot!("summary_IIsym_d10", summary(Family::IIsym, 10));
}

#[test]
fn summary_family_i_d5_saddle() {
    insta::assert_snapshot!("summary_I_d5", summary(Family::I, 5));
}

#[test]
fn compare_markdown_d_7_10_100() {
    let out = Command::new(env!("CARGO_BIN_EXE_relucert"))
        .args(["compare", "--d", "7,10,100"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).expect("UTF-8 output");
    insta::assert_snapshot!("compare_d_7_10_100", md);
}
