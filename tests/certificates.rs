//! The committed certificate set (`certificates/`): every certificate re-verifies through
//! the real binary, and `relucert regen` reproduces the whole tree byte for byte.
//!
//! When the code changes what a certificate says (or the relucert version changes), the
//! second test fails naming the file; regenerate with `cargo run --release -- regen`,
//! review the diff and commit it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("certificates")
}

/// Exact: every file under `root`, as paths relative to it ('/'-separated), sorted.
fn tree(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for e in entries {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(root, root, &mut out);
    out
}

/// The certificate files of a set: `<family>/d<d>.json`.
fn certificate_files(root: &Path) -> Vec<String> {
    tree(root)
        .into_iter()
        .filter(|p| p.contains('/') && p.ends_with(".json"))
        .collect()
}

#[test]
fn every_committed_certificate_verifies() {
    let root = committed();
    let files = certificate_files(&root);
    assert!(
        files.len() >= 100,
        "expected the shipped set under {} (found {} certificates); run `relucert regen`",
        root.display(),
        files.len()
    );
    let (code, stdout, stderr) = common::relucert_os(
        std::iter::once(std::path::PathBuf::from("verify"))
            .chain(files.iter().map(|f| root.join(f))),
    );
    let not_verified: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.ends_with(": VERIFIED"))
        .collect();
    assert!(
        not_verified.is_empty(),
        "not verified:\n{}\n{}",
        not_verified.join("\n"),
        stderr
    );
    assert_eq!(
        stdout.lines().count(),
        files.len(),
        "one verdict per file; stderr: {stderr}"
    );
    assert_eq!(code, 0, "verify exit code");
}

#[test]
fn regen_reproduces_the_committed_set_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let (code, _, stderr) = common::relucert_os([
        std::ffi::OsStr::new("regen"),
        std::ffi::OsStr::new("--dir"),
        tmp.path().as_os_str(),
    ]);
    assert_eq!(code, 0, "regen failed: {stderr}");
    let root = committed();
    let mut ours = tree(&root);
    ours.remove("README.md");
    let fresh = tree(tmp.path());
    let missing: Vec<&String> = fresh.difference(&ours).collect();
    let stale: Vec<&String> = ours.difference(&fresh).collect();
    assert!(
        missing.is_empty(),
        "regen writes files that are not committed under certificates/: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "committed files under certificates/ that regen does not write: {stale:?}"
    );
    let mut drifted = Vec::new();
    for rel in &fresh {
        let a = std::fs::read(root.join(rel)).expect("readable");
        let b = std::fs::read(tmp.path().join(rel)).expect("readable");
        if a != b {
            let (ta, tb) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            let line = ta
                .lines()
                .zip(tb.lines())
                .position(|(x, y)| x != y)
                .map_or_else(
                    || "lengths differ".to_string(),
                    |i| {
                        format!(
                            "line {}: committed {:?}, regenerated {:?}",
                            i + 1,
                            ta.lines().nth(i).unwrap_or(""),
                            tb.lines().nth(i).unwrap_or("")
                        )
                    },
                );
            drifted.push(format!("certificates/{rel}: {line}"));
        }
    }
    assert!(
        drifted.is_empty(),
        "regenerated files differ from the committed ones (run `cargo run --release -- regen` and review):\n{}",
        drifted.join("\n")
    );
}
