//! The crate's layers point one way: each top-level module may name (`crate::x`, or
//! `relucert::x` in the binary) only modules of a lower layer or its own.
//!
//! error, random, output_file → arith → linalg → model → symmetry → search (approximate) → prove
//! (enclosures) → arcs → certificate (file format, verify) → compare, sweep, ladder, identify → descend → render
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
    ("ladder", 9),
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

/// The source without its `//` comments (string literals holding `//` are rare in this
/// crate and would only hide an edge on the rest of their line).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The leading identifier of `s` (after white space).
fn ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The items of a brace group starting just after its `{`, split at top-level commas
/// (nested groups stay inside their item), and the rest after the closing `}`.
fn group_items(rest: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in rest.chars() {
        match c {
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' if depth == 0 => break,
            '}' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    items.push(cur);
    items
}

/// Every top-level name that code reaches through `crate::` or `relucert::`: a path
/// (`crate::prove::krawczyk` -> `prove`), each item of a group (`crate::{prove::x, arcs}`
/// -> `prove`, `arcs`, over several lines too), and a root re-export
/// (`relucert::Certificate` -> the module `lib.rs` re-exports it from, via `reexports`).
fn edges_with(text: &str, reexports: &[(String, String)]) -> BTreeSet<String> {
    let code = code_of(text);
    let mut out = BTreeSet::new();
    let mut add = |name: String| {
        if name.is_empty() || name == "self" {
            return;
        }
        match reexports.iter().find(|(n, _)| *n == name) {
            Some((_, m)) => out.insert(m.clone()),
            None => out.insert(name),
        };
    };
    for prefix in ["crate::", "relucert::"] {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().last();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.trim_start().strip_prefix('{') {
                for item in group_items(group) {
                    add(ident(&item));
                }
            } else {
                add(ident(rest));
            }
        }
    }
    out
}

/// `(name, module)` for every item `src/lib.rs` re-exports at the crate root
/// (`pub use prove::{certify_family, Certificate}` -> `(Certificate, prove)`, ...).
fn root_reexports(src: &Path) -> Vec<(String, String)> {
    let Ok(lib) = std::fs::read_to_string(src.join("lib.rs")) else {
        return Vec::new();
    };
    let code = code_of(&lib);
    let mut out = Vec::new();
    for stmt in code.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim().trim_start_matches("crate::");
        let module = ident(path);
        let leaves: Vec<String> = match path.find('{') {
            Some(i) => group_items(&path[i + 1..])
                .iter()
                .map(|x| {
                    let x = x.trim();
                    let x = x.rsplit(" as ").next().unwrap_or(x);
                    ident(x.rsplit("::").next().unwrap_or(x))
                })
                .collect(),
            None => {
                let x = path.rsplit(" as ").next().unwrap_or(path);
                vec![ident(x.rsplit("::").next().unwrap_or(x))]
            }
        };
        for leaf in leaves {
            if !leaf.is_empty() && leaf != module {
                out.push((leaf, module.clone()));
            }
        }
    }
    out
}

/// The pairs of distinct modules of one layer that may name each other (`from`, `to`):
/// every other same-layer edge is a violation, as an upward one is.
const SAME_LAYER_ALLOWED: &[(&str, &str)] = &[
    ("output_file", "error"),
    ("random", "error"),
    ("sweep", "compare"),
];

fn violations(src: &Path) -> Vec<String> {
    let reexports = root_reexports(src);
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
        for e in edges_with(&text, &reexports) {
            match layer(&e) {
                Some(l) if l < own || e == m => {}
                Some(l)
                    if l == own && SAME_LAYER_ALLOWED.iter().any(|(a, b)| *a == m && *b == e) => {}
                Some(l) if l == own => bad.push(format!(
                    "{}: {m} uses {e} of its own layer {l}, which SAME_LAYER_ALLOWED does not list",
                    f.display()
                )),
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
    // A grouped import, over two lines, and a root re-export.
    std::fs::write(
        src.join("model/dense.rs"),
        "use crate::{\n    prove::krawczyk, arith::Interval};\nfn f() -> relucert::Certificate { todo() }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "pub use prove::{certify_family, Certificate};\npub use arith::Interval;\n",
    )
    .unwrap();
    // A same-layer edge that is not listed.
    std::fs::write(src.join("compare.rs"), "use crate::sweep::x;\n").unwrap();
    let bad = violations(src);
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(
        bad.iter()
            .any(|b| b.contains("x.rs") && b.contains("model (layer 3) uses prove")),
        "{bad:?}"
    );
    assert!(
        bad.iter()
            .any(|b| b.contains("dense.rs") && b.contains("model (layer 3) uses prove")),
        "the grouped import and the re-export are seen: {bad:?}"
    );
    assert!(
        bad.iter()
            .any(|b| b.contains("compare.rs") && b.contains("SAME_LAYER_ALLOWED")),
        "{bad:?}"
    );
}
