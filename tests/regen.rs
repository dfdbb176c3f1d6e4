//! `relucert regen --dir` as a hostile user would run it, through the binary: a file, a
//! symlink, `.`, `..`, a FIFO inside, a read-only directory, a held lock, two concurrent
//! runs, a full file system, leftovers of earlier runs, and SIGKILL at random times (during
//! the computation and while the staged set is being written and swapped in).
//!
//! The invariant checked everywhere: nothing at `--dir` is damaged (a refused path is left
//! byte for byte as it was), `--dir` always holds either the whole old set or the whole
//! new one, and no run exits 0 unless the set on disk is the one it wrote. The runs use
//! `--only IIsym` (41 certificates, a fraction of a second) so that many runs stay cheap;
//! the directory protocol is the same as for the full set (`tests/certificates.rs` runs
//! the full regen). Every device, FIFO and mount here is private to a temporary directory.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_relucert"));
    c.args(["regen", "--only", "IIsym", "--dir"])
        .arg(dir)
        .env("RELUCERT_PROGRESS", "0");
    c
}

fn regen(dir: &Path) -> Output {
    bin(dir).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// Exact: every entry under `root` (not following symlinks): relative path -> content
/// (files), `->target` (symlinks) or `/` (directories).
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(rel, format!("->{}", t.display()).into_bytes());
            } else if m.is_dir() {
                out.insert(rel, b"/".to_vec());
                walk(root, &p, out);
            } else if m.is_file() {
                out.insert(rel, std::fs::read(&p).unwrap());
            } else {
                out.insert(rel, b"(special)".to_vec());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The 41 IIsym certificates of a fresh `regen --only IIsym`, computed once.
fn reference() -> &'static BTreeMap<String, Vec<u8>> {
    static REF: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    REF.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let set = tmp.path().join("ref");
        let out = regen(&set);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let snap = snapshot(&set);
        let files = snap.keys().filter(|k| k.starts_with("IIsym/")).count();
        assert_eq!(files, 41, "IIsym d = 5..=40 and 5 large d: {snap:?}");
        snap
    })
}

/// An old set: the README a person wrote, and every IIsym file with marked content.
fn write_old_set(set: &Path) {
    let _ = std::fs::remove_dir_all(set);
    std::fs::create_dir_all(set.join("IIsym")).unwrap();
    std::fs::write(set.join("README.md"), "written by hand\n").unwrap();
    for k in reference().keys().filter(|k| k.starts_with("IIsym/")) {
        std::fs::write(set.join(k), format!("old {k}\n")).unwrap();
    }
}

#[derive(Debug, PartialEq)]
enum SetState {
    Old,
    New,
}

/// Exact: which whole set `set` holds; panics (naming the difference) when it is neither.
fn state(set: &Path, context: &str) -> SetState {
    assert!(set.is_dir(), "{context}: the set directory is missing");
    let snap = snapshot(set);
    assert_eq!(
        snap.get("README.md").map(Vec::as_slice),
        Some(&b"written by hand\n"[..]),
        "{context}: README.md kept"
    );
    let certs: Vec<(&String, &Vec<u8>)> = snap
        .iter()
        .filter(|(k, v)| k.starts_with("IIsym/") && v.as_slice() != b"/")
        .collect();
    let reference = reference();
    let all_old = certs
        .iter()
        .all(|(k, v)| v.as_slice() == format!("old {k}\n").as_bytes());
    let all_new = certs.iter().all(|(k, v)| reference.get(*k) == Some(*v));
    assert_eq!(certs.len(), 41, "{context}: 41 certificates: {snap:?}");
    match (all_old, all_new) {
        (true, false) => SetState::Old,
        (false, true) => {
            assert!(set.join("arcs").is_dir(), "{context}: arcs/ of the new set");
            SetState::New
        }
        _ => panic!("{context}: a mixed set"),
    }
}

/// Exact: the entries next to `set` other than `set` itself.
fn siblings(set: &Path) -> Vec<String> {
    let name = set.file_name().unwrap().to_string_lossy().to_string();
    std::fs::read_dir(set.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| *n != name)
        .collect()
}

/// A refusal: exit 2, one line naming `--dir` as given (never a staging path), nothing
/// printed on stdout.
fn refused(out: &Output, shown: &str, why: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{shown}: {err}");
    assert_eq!(err.lines().count(), 1, "{shown}: one line: {err}");
    assert!(
        err.starts_with(&format!("relucert: --dir {shown}: ")),
        "{shown}: names --dir: {err}"
    );
    assert!(err.contains(why), "{shown}: says {why:?}: {err}");
    assert!(!err.contains("regen-staging"), "{shown}: {err}");
    assert!(out.stdout.is_empty(), "{shown}: nothing written");
}

#[test]
fn a_regular_file_at_dir_is_refused_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("afile");
    std::fs::write(&f, "the user's file\n").unwrap();
    let before = snapshot(tmp.path());
    refused(&regen(&f), &f.display().to_string(), "not a directory");
    assert_eq!(snapshot(tmp.path()), before, "nothing changed next to it");
}

#[test]
fn a_symlinked_dir_is_followed_and_the_link_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("realdir");
    write_old_set(&real);
    let link = tmp.path().join("linkdir");
    std::os::unix::fs::symlink("realdir", &link).unwrap();
    let out = regen(&link);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&link.display().to_string()));
    let m = std::fs::symlink_metadata(&link).unwrap();
    assert!(m.is_symlink(), "the symlink stays a symlink");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("realdir"));
    assert_eq!(state(&real, "the link's target"), SetState::New);
    let mut left = siblings(&real);
    left.sort();
    assert_eq!(left, vec!["linkdir"], "no staging or lock left");
}

#[test]
fn dot_dotdot_and_ancestors_of_the_current_directory_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    std::fs::create_dir(set.join("IIsym/inner")).unwrap();
    let before = snapshot(tmp.path());
    for (cwd, arg) in [
        (set.clone(), "."),
        (set.join("IIsym"), ".."),
        (set.join("IIsym/inner"), "../.."),
        (set.clone(), "../set"),
        (set.clone(), "IIsym/.."),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_relucert"))
            .current_dir(&cwd)
            .args(["regen", "--only", "IIsym", "--dir", arg])
            .env("RELUCERT_PROGRESS", "0")
            .output()
            .unwrap();
        refused(&out, arg, "is the current directory or holds it");
    }
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");
}

#[test]
fn a_fifo_inside_is_refused_without_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    let ok = Command::new("mkfifo")
        .arg(set.join("IIsym/pipe"))
        .status()
        .unwrap();
    assert!(ok.success());
    let before = snapshot(tmp.path());
    let mut child = bin(&set)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A hang (blocking on the FIFO) would never end: give it far more than it needs.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("regen hangs on a FIFO inside --dir");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    refused(&out, &set.display().to_string(), "a FIFO");
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");
}

#[test]
fn a_read_only_directory_is_refused() {
    // Root ignores permission bits; regen checks them itself, so this holds for root too.
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    std::fs::set_permissions(&set, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(tmp.path());
    let out = regen(&set);
    std::fs::set_permissions(&set, std::fs::Permissions::from_mode(0o755)).unwrap();
    refused(&out, &set.display().to_string(), "read-only");
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");
    // Its parent read-only: refused too (the staging directory and the lock live there).
    let parent = tmp.path().join("p");
    std::fs::create_dir(&parent).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let inner = parent.join("set");
    let out = regen(&inner);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    refused(&out, &inner.display().to_string(), "read-only");
    assert!(!inner.exists());
}

#[test]
fn a_held_lock_refuses_the_run_for_the_set_and_for_a_link_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&set, &link).unwrap();
    let lock = std::fs::File::create(tmp.path().join(".set.regen-lock")).unwrap();
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    let before = snapshot(&set);
    for dir in [&set, &link] {
        let out = regen(dir);
        refused(
            &out,
            &dir.display().to_string(),
            "another relucert regen is writing this set",
        );
        assert_eq!(snapshot(&set), before, "nothing changed");
    }
    drop(lock);
    let out = regen(&link);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(state(&set, "after the lock was released"), SetState::New);
}

#[test]
fn two_concurrent_runs_never_report_a_set_they_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    let mut refusals = 0;
    for round in 0..4 {
        write_old_set(&set);
        let a = bin(&set)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let b = bin(&set)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let context = format!("round {round}");
        let st = state(&set, &context);
        let mut successes = 0;
        for o in &outs {
            match o.status.code() {
                Some(0) => {
                    successes += 1;
                    assert_eq!(st, SetState::New, "{context}: exit 0 with the new set");
                }
                Some(2) => {
                    refused(o, &set.display().to_string(), "another relucert regen");
                    refusals += 1;
                }
                c => panic!("{context}: exit {c:?}: {}", text(&o.stderr)),
            }
        }
        assert!(successes >= 1, "{context}: one run wrote the set");
        assert_eq!(
            siblings(&set),
            Vec::<String>::new(),
            "{context}: nothing left"
        );
    }
    eprintln!("concurrent rounds: 4, refusals {refusals}");
}

/// A small deterministic generator for the kill times (reproducible across runs).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Exact: whether a staging directory with the new family's files stands next to `set`.
fn staging_in_progress(set: &Path) -> bool {
    siblings(set).iter().any(|n| {
        n.starts_with(".set.regen-staging.") && set.with_file_name(n).join("IIsym").is_dir()
    })
}

fn kill_and_check(mut child: Child, set: &Path, context: &str) -> SetState {
    child.kill().ok();
    let status = child.wait().unwrap();
    let st = state(set, context);
    if status.code() == Some(0) {
        assert_eq!(st, SetState::New, "{context}: exit 0 with the new set");
    }
    st
}

#[test]
fn sigkill_at_random_times_leaves_a_whole_set() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    // The wall time of one run here (machine speed only sets where the kills fall).
    write_old_set(&set);
    let t0 = Instant::now();
    let out = regen(&set);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let span = t0.elapsed().as_millis() as u64 + 1;
    let mut rng = Lcg(0x5eed);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    // Uniformly over the run.
    for k in 0..12 {
        write_old_set(&set);
        let child = bin(&set)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let ms = rng.below(span * 5 / 4);
        std::thread::sleep(Duration::from_millis(ms));
        let st = kill_and_check(child, &set, &format!("uniform kill {k} at {ms} ms"));
        *outcomes.entry(format!("uniform {st:?}")).or_default() += 1;
    }
    // While the staged set is written and swapped in: wait for the staging directory to
    // hold the new files, then kill at a random time within that phase's length (measured
    // here by one run that is not killed).
    let wait_for_staging = |child: &mut Child| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !staging_in_progress(&set)
            && child.try_wait().unwrap().is_none()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    write_old_set(&set);
    let mut child = bin(&set)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_staging(&mut child);
    let t0 = Instant::now();
    child.wait().unwrap();
    let phase = t0.elapsed().as_micros() as u64 + 1;
    for k in 0..12 {
        write_old_set(&set);
        let mut child = bin(&set)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let us = rng.below(phase * 5 / 4);
        wait_for_staging(&mut child);
        std::thread::sleep(Duration::from_micros(us));
        let context = format!("commit-phase kill {k} at +{us} us of {phase} us");
        let st = kill_and_check(child, &set, &context);
        *outcomes.entry(format!("commit-phase {st:?}")).or_default() += 1;
    }
    eprintln!("kill outcomes (commit phase {phase} us): {outcomes:?}");
    // The next run is never blocked by a killed one, and removes what it left.
    write_old_set(&set);
    let out = regen(&set);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(state(&set, "after the kills"), SetState::New);
    assert_eq!(siblings(&set), Vec::<String>::new(), "leftovers removed");
}

#[test]
fn leftovers_of_earlier_runs_are_removed_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    for n in [
        ".set.regen-staging",
        ".set.regen-old",
        ".set.regen-staging.0123456789abcdef",
    ] {
        std::fs::create_dir_all(tmp.path().join(n).join("IIsym")).unwrap();
    }
    // Not ours: kept.
    std::fs::write(tmp.path().join(".set.regen-staging.mine"), "keep").unwrap();
    std::fs::write(tmp.path().join(".other.regen-old"), "keep").unwrap();
    let out = regen(&set);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut left = siblings(&set);
    left.sort();
    assert_eq!(left, vec![".other.regen-old", ".set.regen-staging.mine"]);
}

#[test]
fn a_full_file_system_names_dir_and_leaves_no_staging() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "this test needs a small tmpfs (root)");
    let result = std::panic::catch_unwind(|| {
        let set = mnt.join("set");
        std::fs::create_dir(&set).unwrap();
        std::fs::write(set.join("README.md"), "written by hand\n").unwrap();
        let before = snapshot(&mnt);
        let out = regen(&set);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(&set.display().to_string()),
            "names --dir: {err}"
        );
        assert!(err.contains("No space left on device"), "{err}");
        assert!(
            !err.contains("regen-staging"),
            "never the staging path: {err}"
        );
        assert_eq!(
            snapshot(&mnt),
            before,
            "the set is as it was, no staging left"
        );
    });
    let _ = Command::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_new_set_in_a_missing_directory_is_refused_before_work() {
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().join("no/such/set");
    let out = regen(&dir);
    refused(&out, &dir.display().to_string(), "does not exist");
    assert!(!tmp.path().join("no").exists());
}

/// Run `f` with `dir` bind-mounted on itself (read-only when asked), unmounting after.
fn with_bind_mount(dir: &Path, read_only: bool, f: impl FnOnce() + std::panic::UnwindSafe) {
    let mounted = Command::new("mount")
        .arg("--bind")
        .arg(dir)
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "this test needs mount (root)");
    let ro = !read_only
        || Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
    let result = std::panic::catch_unwind(f);
    let _ = Command::new("umount").arg(dir).status();
    assert!(ro, "remount read-only");
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_mount_point_and_a_read_only_file_system_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    let before = snapshot(tmp.path());
    // A bind mount on the same file system: renaming it would fail after the work.
    with_bind_mount(&set, false, || {
        refused(&regen(&set), &set.display().to_string(), "a mount point");
    });
    // A read-only file system around the set.
    with_bind_mount(tmp.path(), true, || {
        refused(
            &regen(&set),
            &set.display().to_string(),
            "Read-only file system",
        );
    });
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");
}

#[test]
fn symlinks_inside_stay_symlinks_and_a_dangling_dir_link_gets_the_set() {
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set");
    write_old_set(&set);
    std::os::unix::fs::symlink("README.md", set.join("link.md")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x", set.join("dangling")).unwrap();
    let out = regen(&set);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(state(&set, "with symlinks inside"), SetState::New);
    for (name, target) in [("link.md", "README.md"), ("dangling", "/nonexistent/x")] {
        let p = set.join(name);
        assert!(
            std::fs::symlink_metadata(&p).unwrap().is_symlink(),
            "{name}"
        );
        assert_eq!(std::fs::read_link(&p).unwrap(), Path::new(target));
    }
    // A dangling symlink as --dir: the set is created where it points.
    let link = tmp.path().join("to-new");
    std::os::unix::fs::symlink("new", &link).unwrap();
    let out = regen(&link);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(tmp.path().join("new/IIsym/d5.json").is_file());
}
