//! Output files through the binary: a FIFO stays a FIFO and receives the bytes, a symlink
//! stays a symlink and its target gets the content, a failed write (a full tmpfs) exits 2
//! and leaves the old file as it was, an existing file keeps its mode, a bad output path
//! fails before anything is computed, and an interrupted regen leaves the set intact.
//! Never run against /dev/null or /dev/full: everything here lives in a temporary directory.

mod common;

use common::relucert;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn certify_to(path: &Path) -> (i32, String, String) {
    relucert(&[
        "certify",
        "--family",
        "II",
        "--d",
        "10",
        "-o",
        path.to_str().unwrap(),
    ])
}

#[test]
fn a_fifo_stays_a_fifo_and_receives_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.fifo");
    let ok = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).unwrap())
    };
    let (code, _, err) = certify_to(&fifo);
    assert_eq!(code, 0, "{err}");
    let bytes = reader.join().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("a whole certificate");
    assert_eq!(v["kind"], "critical_point");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn a_symlink_stays_a_symlink_and_its_target_gets_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let (code, _, err) = certify_to(&link);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.contains("\"critical_point\""),
        "the target got the certificate"
    );
}

#[test]
fn an_existing_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, err) = certify_to(&path);
    assert_eq!(code, 0, "{err}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_full_file_system_exits_2_and_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "this test needs a small tmpfs (root)");
    let result = std::panic::catch_unwind(|| {
        let path = mnt.join("c.json");
        std::fs::write(&path, "old content").unwrap();
        // Fill the file system, leaving far less than a certificate needs.
        let _ = std::fs::write(mnt.join("filler"), vec![0u8; 60 * 1024]);
        let (code, out, err) = certify_to(&path);
        assert_eq!(code, 2, "stdout {out} stderr {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(path.to_str().unwrap()),
            "names the user's path: {err}"
        );
        assert!(
            !err.contains("relucert-tmp"),
            "never the temporary file: {err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old content");
        let left: Vec<_> = std::fs::read_dir(&mnt)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "no temporary file left behind: {left:?}");
    });
    let _ = Command::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_bad_output_path_fails_before_computing() {
    for args in [
        vec![
            "arcs",
            "--family",
            "I",
            "--d",
            "1000",
            "--svg",
            "/nonexistent/dir/a.svg",
        ],
        vec![
            "compare",
            "--d",
            "7..=40",
            "--svg",
            "/nonexistent/dir/c.svg",
        ],
        vec![
            "certify",
            "--family",
            "II",
            "--d",
            "1e9",
            "-o",
            "/nonexistent/dir/c.json",
        ],
    ] {
        // The path is checked before any work: nothing on stdout, and the one line on
        // stderr is the path's error (no progress line, which work would print after
        // 5 s). No wall-time bound: the test machine may be loaded.
        let (code, out, err) = relucert(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: nothing computed or printed");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains("/nonexistent/dir"), "{args:?}: {err}");
    }
}

#[test]
fn an_interrupted_regen_leaves_the_set_intact() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    std::fs::create_dir(&set).unwrap();
    std::fs::write(set.join("README.md"), "the previous set").unwrap();
    std::fs::copy(root.join("certificates/II/d10.json"), set.join("keep.json")).unwrap();
    let before: Vec<_> = std::fs::read_dir(&set)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // Killed while certifying, and (later) while writing the staged set.
    for ms in [300, 1200, 1800, 2200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relucert"))
            .args(["regen", "--dir", set.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        let _ = child.wait();
        if finished {
            break;
        }
        let after: Vec<_> = std::fs::read_dir(&set)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        // Killed at any moment, the set is the old one or the whole new one: on a fast
        // machine the swap may have happened just before the kill (tests/regen.rs kills at
        // many more points).
        let whole_new = set.join("II/d10.json").exists() && set.join("index.md").exists();
        assert!(
            before == after || whole_new,
            "killed after {ms} ms: the old set or the whole new one, found {after:?}"
        );
        assert_eq!(
            std::fs::read_to_string(set.join("README.md")).unwrap(),
            "the previous set"
        );
    }
    // A complete regen then swaps in the whole set and keeps the files it does not write.
    let (code, _, err) = relucert(&["regen", "--dir", set.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(set.join("README.md")).unwrap(),
        "the previous set"
    );
    assert!(set.join("II/d10.json").exists() && set.join("index.md").exists());
    let siblings: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings.len(), 1, "no staging directory left: {siblings:?}");
}
