//! Every command the README quotes in a `sh` block runs and exits as documented: 0 (the
//! examples certify, verify or print), in a scratch directory that holds a copy of the
//! shipped certificates (so `regen` and `-o` write nowhere in the repository).

use std::path::Path;
use std::process::Command;

/// The `relucert ...` and `cargo run --release -- ...` lines of the README's `sh` blocks,
/// without trailing comments.
fn quoted_commands(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let cmd = t.split(" #").next().unwrap_or("").trim();
        if let Some(rest) = cmd.strip_prefix("relucert ") {
            out.push(rest.to_string());
        } else if let Some(rest) = cmd.strip_prefix("cargo run --release -- ") {
            out.push(rest.to_string());
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let q = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).unwrap();
        }
    }
}

#[test]
fn every_command_quoted_in_the_readme_runs_and_exits_0() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let cmds = quoted_commands(&readme);
    assert!(cmds.len() >= 20, "found only {} commands", cmds.len());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("certificates"), &dir.path().join("certificates"));
    let set = dir.path().join("set");
    let bin = env!("CARGO_BIN_EXE_relucert");
    let mut failures = Vec::new();
    for c in &cmds {
        let c = c.replace("/tmp/set", set.to_str().unwrap());
        // The shell expands globs such as certificates/*/*.json, as for a reader.
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("'{bin}' {c}"))
            .current_dir(dir.path())
            .output()
            .expect("sh runs");
        let code = out.status.code().unwrap_or(-1);
        if code != 0 {
            failures.push(format!(
                "relucert {c}: exit {code}: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "README commands that fail:\n{}",
        failures.join("\n")
    );
}
