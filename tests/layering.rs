//! The crate's layers point one way: each top-level module may name (`crate::x`, or
//! `relucert::x` in the binary) only modules of a lower layer or its own.
//!
//! error, random, output_file → arith → linalg → model → symmetry → search (approximate) → prove
//! (enclosures) → arcs → certificate (file format, verify) → compare, sweep, identify → descend → render
//! (presentation) → cli (the binary).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer of each top-level module (lower numbers lie below).
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("random", 0),
    ("output_file", 0),
    ("arith", 1),
    ("linalg", 2),
    ("model", 3),
    ("symmetry", 4),
    ("search", 5),
    ("prove", 6),
    ("arcs", 7),
    ("certificate", 8),
    ("compare", 9),
    ("sweep", 9),
    ("identify", 9),
    ("descend", 10),
    ("render", 11),
    ("cli", 12),
];

fn layer(m: &str) -> Option<u32> {
    LAYERS.iter().find(|(n, _)| *n == m).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to (`src/prove/krawczyk.rs` -> `prove`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::x` / `relucert::x` the code (not its comments) names.
fn edges(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for prefix in ["crate::", "relucert::"] {
            let mut rest = code;
            while let Some(i) = rest.find(prefix) {
                let before = rest[..i].chars().last();
                rest = &rest[i + prefix.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        let m = module_of(src, &f);
        if m == "lib" || m == "main" {
            continue;
        }
        let Some(own) = layer(&m) else {
            bad.push(format!("{}: module '{m}' has no layer", f.display()));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        for e in edges(&text) {
            match layer(&e) {
                Some(l) if l <= own => {}
                Some(l) => bad.push(format!(
                    "{}: {m} (layer {own}) uses {e} (layer {l})",
                    f.display()
                )),
                None => {}
            }
        }
    }
    bad
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_itself_can_fail() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("model")).unwrap();
    std::fs::write(
        src.join("model/x.rs"),
        "use crate::prove::krawczyk; // up\n",
    )
    .unwrap();
    std::fs::write(
        src.join("arith.rs"),
        "// crate::render in a comment is fine\n",
    )
    .unwrap();
    let bad = violations(src);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("model (layer 3) uses prove"), "{bad:?}");
}
