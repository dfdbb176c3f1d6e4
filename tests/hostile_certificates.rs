//! `relucert verify` and the independent checker (`tools/checker/check.py`) agree on every
//! hostile certificate: each file of `tests/data/hostile/` (written by its `make.py` from
//! shipped certificates, with the expected outcome in `expected.txt`) and the inputs too
//! large to commit (made here) get the same exit code from both tools, and that code is
//! the expected one. The checker needs python3 with python-flint: without it this test
//! fails (CI installs it), it does not skip.

mod common;

use common::relucert;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The checker on `files`: (exit code, stdout, stderr). Panics with a clear message when
/// python3 or python-flint is missing.
fn checker(files: &[&Path]) -> (i32, String, String) {
    let out = Command::new("python3")
        .arg(root().join("tools/checker/check.py"))
        .args(files)
        .output()
        .expect("python3 must be installed to run the independent checker (CI installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("python-flint is required") && !stderr.contains("No module named"),
        "python-flint must be installed (pip install python-flint): {stderr}"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

fn verify(files: &[&Path], json: bool) -> (i32, String, String) {
    let mut args = vec!["verify".to_string()];
    if json {
        args.push("--json".into());
    }
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    relucert(&refs)
}

fn code_of(outcome: &str) -> i32 {
    match outcome {
        "verified" => 0,
        "refuted" => 1,
        "malformed" => 2,
        "inconclusive" => 3,
        other => panic!("unknown outcome {other} in expected.txt"),
    }
}

/// The shared files with their expected outcome.
fn shared() -> Vec<(PathBuf, String)> {
    let dir = root().join("tests/data/hostile");
    let text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let list: Vec<(PathBuf, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (f, o) = l.split_once(' ').expect("<file> <outcome>");
            (dir.join(f), o.trim().to_string())
        })
        .collect();
    let on_disk = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(
        on_disk,
        list.len(),
        "every hostile file has an expected outcome"
    );
    list
}

/// Both tools give `code` for `file`, with no traceback and no panic, and a malformed file
/// gets one line on stderr from verify.
fn assert_both(file: &Path, code: i32, failures: &mut Vec<String>) {
    let (v, vout, verr) = verify(&[file], false);
    let (c, cout, cerr) = checker(&[file]);
    let name = file.file_name().unwrap().to_string_lossy();
    if v != code || c != code {
        failures.push(format!(
            "{name}: expected {code}, verify {v} ({}), checker {c} ({})",
            (vout.clone() + &verr).trim(),
            (cout.clone() + &cerr).trim()
        ));
    }
    let all = format!("{vout}{verr}{cout}{cerr}");
    assert!(!all.contains("Traceback"), "{name}: {all}");
    assert!(!all.contains("panicked"), "{name}: {all}");
    for line in all.lines() {
        assert!(line.len() < 1000, "{name}: an overlong line: {line:.200}");
    }
    if v == 2 {
        assert_eq!(
            verr.lines().filter(|l| l.starts_with("relucert: ")).count(),
            1,
            "{name}: one line on stderr: {verr}"
        );
    }
}

#[test]
fn verify_and_the_checker_agree_on_every_shared_hostile_file() {
    let files = shared();
    assert!(
        files.len() >= 30,
        "the shared set has {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for (file, outcome) in &files {
        assert_both(file, code_of(outcome), &mut failures);
    }
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
    // Every outcome occurs, so no tool passes by always answering the same.
    for o in ["verified", "refuted", "malformed", "inconclusive"] {
        assert!(files.iter().any(|(_, x)| x == o), "no {o} file");
    }
}

#[test]
fn verify_json_writes_one_line_per_file_malformed_and_unreadable_included() {
    let files = shared();
    let missing = root().join("tests/data/hostile/no-such-file.json");
    let mut paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    paths.push(&missing);
    let (code, out, _) = verify(&paths, true);
    assert_eq!(code, 2, "a malformed file makes the exit 2");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), paths.len(), "one JSON line per file:\n{out}");
    for (line, (file, outcome)) in lines.iter().zip(&files) {
        assert_eq!(line["file"], file.to_str().unwrap());
        let want = match outcome.as_str() {
            "verified" => "VERIFIED",
            "refuted" => "REFUTED",
            "malformed" => "MALFORMED",
            _ => "INCONCLUSIVE",
        };
        assert_eq!(line["status"], want, "{line}");
    }
    assert_eq!(lines.last().unwrap()["status"], "UNREADABLE");
}

/// Both tools refuse `file` as malformed, naming the 16 MiB limit when `limit`.
fn assert_refused(file: &Path, limit: bool) {
    let (v, vout, verr) = verify(&[file], false);
    let (c, cout, cerr) = checker(&[file]);
    let all = format!("{vout}{verr}{cout}{cerr}");
    assert_eq!((v, c), (2, 2), "{all:.2000}");
    assert!(
        !all.contains("Traceback") && !all.contains("panicked"),
        "{all:.2000}"
    );
    for line in all.lines() {
        assert!(line.len() < 600, "an overlong line: {line:.300}");
    }
    if limit {
        assert!(verr.contains("16 MiB"), "{verr}");
        assert!(cout.contains("16 MiB"), "{cout}");
    }
}

#[test]
fn files_over_the_size_limit_and_endless_inputs_are_refused_by_both() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse 2 GiB file: refused from its size, nothing read.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    assert_refused(&big, true);
    // One byte over the limit, all of it real.
    let over = dir.path().join("over.json");
    std::fs::write(&over, vec![b' '; (16 << 20) + 1]).unwrap();
    assert_refused(&over, true);
    // An endless stream (a FIFO fed until the reader closes it): refused after the limit.
    let fifo = dir.path().join("endless.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for tool in ["verify", "checker"] {
        let path = fifo.clone();
        let feeder = std::thread::spawn(move || {
            use std::io::Write;
            let mut w = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            let chunk = vec![b'['; 1 << 16];
            let mut sent = 0usize;
            while w.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
            sent
        });
        let (code, out, err) = if tool == "verify" {
            verify(&[&fifo], false)
        } else {
            checker(&[&fifo])
        };
        let sent = feeder.join().unwrap();
        assert_eq!(code, 2, "{tool}: {out}{err}");
        assert!(
            format!("{out}{err}").contains("16 MiB"),
            "{tool}: {out}{err}"
        );
        assert!(
            sent <= (16 << 20) + (1 << 20),
            "{tool} read {sent} bytes of an endless input"
        );
    }
}

#[test]
fn megabyte_values_are_refused_by_both_with_short_lines() {
    let dir = tempfile::tempdir().unwrap();
    let base: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("certificates/I/d20.json")).unwrap(),
    )
    .unwrap();
    let mut v = base.clone();
    v["relucert_version"] = "1.".repeat(500_000).into();
    let f = dir.path().join("version.json");
    std::fs::write(&f, serde_json::to_string(&v).unwrap()).unwrap();
    assert_refused(&f, false);
    // An exact but one-million-digit radius (0.000...1000...0): beyond the decimal length.
    let mut v = base;
    v["radius"] = format!("0.{}1{}", "0".repeat(52), "0".repeat(999_000)).into();
    let f = dir.path().join("radius.json");
    std::fs::write(&f, serde_json::to_string(&v).unwrap()).unwrap();
    assert_refused(&f, false);
    let (_, _, err) = verify(&[&f], false);
    assert!(err.contains("at most 10000 characters"), "{err}");
}

#[test]
fn the_committed_files_are_what_make_py_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/data/hostile/make.py"))
        .arg(env!("CARGO_BIN_EXE_relucert"))
        .arg(dir.path())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = root().join("tests/data/hostile");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 30);
    for name in &names {
        let fresh = std::fs::read(dir.path().join(name)).unwrap();
        let kept = std::fs::read(committed.join(name))
            .unwrap_or_else(|_| panic!("{name} is written by make.py but not committed"));
        assert!(fresh == kept, "{name} differs from what make.py writes");
    }
    let kept = std::fs::read_dir(&committed)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            let n = n.to_string_lossy();
            n.ends_with(".json") || n == "expected.txt"
        })
        .count();
    assert_eq!(
        kept,
        names.len(),
        "a committed file make.py no longer writes"
    );
}
