//! Every command the README quotes in a `sh` block runs and exits as documented: 0 (the
//! examples certify, verify or print) unless its comment says `exit N` (a documented
//! inconclusive run), in a scratch directory that holds a copy of the shipped certificates
//! (so `regen` and `-o` write nowhere in the repository).

use std::path::Path;
use std::process::Command;

/// The exit code a README command documents in its comment (`# ... exit 3: ...`), else 0.
fn documented_exit(line: &str) -> i32 {
    line.split_once(" #")
        .and_then(|(_, comment)| comment.split("exit ").nth(1))
        .and_then(|rest| rest.chars().next())
        .and_then(|c| c.to_digit(10))
        .map_or(0, |c| c as i32)
}

/// The `relucert ...` and `cargo run --release -- ...` lines of the README's `sh` blocks,
/// without trailing comments, with the exit code each documents ([`documented_exit`]).
fn quoted_commands(readme: &str) -> Vec<(String, i32)> {
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
        let want = documented_exit(t);
        if let Some(rest) = cmd.strip_prefix("relucert ") {
            out.push((rest.to_string(), want));
        } else if let Some(rest) = cmd.strip_prefix("cargo run --release -- ") {
            out.push((rest.to_string(), want));
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
fn a_documented_exit_code_is_read_from_the_comment() {
    assert_eq!(
        documented_exit("relucert x --d 8   # a run; exit 3: a type undecided"),
        3
    );
    assert_eq!(documented_exit("relucert x --d 8   # a run"), 0);
    assert_eq!(documented_exit("relucert x --d 8"), 0);
}

#[test]
fn every_command_quoted_in_the_readme_runs_and_exits_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let cmds = quoted_commands(&readme);
    assert!(cmds.len() >= 20, "found only {} commands", cmds.len());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("certificates"), &dir.path().join("certificates"));
    let set = dir.path().join("set");
    let bin = env!("CARGO_BIN_EXE_relucert");
    let mut failures = Vec::new();
    for (c, want) in &cmds {
        let c = c.replace("/tmp/set", set.to_str().unwrap());
        // The shell expands globs such as certificates/*/*.json, as for a reader.
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("'{bin}' {c}"))
            .current_dir(dir.path())
            .output()
            .expect("sh runs");
        let code = out.status.code().unwrap_or(-1);
        if code != *want {
            failures.push(format!(
                "relucert {c}: exit {code} (the README documents {want}): {}",
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
