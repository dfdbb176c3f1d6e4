//! `relucert regen`: regenerate the shipped certificate set, byte for byte.
//!
//! Writes, under `--dir` (default `certificates`):
//! - `<family>/d<d>.json` for I, II and IIsym at every d from the family's first strict
//!   local minimum (`Family::minimum_from`: 6, 7, 6) to 40, and at 100, 1000, 10^4, 10^6,
//!   10^9; and the saddles just below each onset (I d = 5, II d = 6, IIsym d = 5);
//! - `compare.md`, `compare.json`, `compare.svg`: `relucert compare` of I and II at
//!   d = 7..=40, 100, 1000, 10^4, 10^6, 10^9;
//! - `arcs/*.json`: tangency-point certificates of the minimizing arcs of I and II at
//!   d = 10, 20, 100, at r = 0.01, 0.02, 0.04 (128-bit intervals);
//! - `index.json`, `index.md`: every certificate with its relative path, kind, family, d,
//!   classification (or tangency type), index and loss enclosure.
//!
//! The output depends only on the precision and the relucert version: certificates are
//! computed in parallel and written afterwards in a fixed order. The set directory is
//! replaced whole and atomically ([`SetDir`]: checks before any work, a lock, a staging
//! copy, one `renameat2(RENAME_EXCHANGE)`); files regen does not write (`README.md`,
//! written by hand) come along unchanged. `--only` regenerates some families' files and
//! keeps every other file of the set. The protocol is documented in docs/certificates.md.

use super::args;
use super::output::{errln, outln};
use rayon::prelude::*;
use relucert::certificate::critical_point::Certificate;
use relucert::compare::{Comparison, Row};
use relucert::error::{Error, Result};
use relucert::prove::{certify_family, NotCertified};
use relucert::render::report;
use relucert::search::families::Family;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `regen`.
#[derive(clap::Args, Debug)]
pub struct RegenArgs {
    /// Directory of the set (created if missing; its other files are kept). A symlink is
    /// followed: the set is replaced at the link's target and the link stays. Refused
    /// before any work: a path that is not a directory, `.`, `..` or any directory holding
    /// the current one, a directory (or parent) not writable or with no write permission
    /// bits, a directory holding a FIFO, device or socket, and a set another regen is
    /// writing (a lock next to it).
    #[arg(long, default_value = "certificates")]
    dir: PathBuf,
    /// Precision of the interval arithmetic in bits (64..8192).
    #[arg(long, default_value_t = 256, value_parser = args::prec_value, allow_negative_numbers = true)]
    prec: u32,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// Regenerate only these families' certificates and arc certificates (comma-separated,
    /// e.g. IIsym); every other file of the set (the other families, compare.*, index.*)
    /// is kept as it is. For quick checks; a full regen rewrites the whole set.
    #[arg(long)]
    only: Option<String>,
}

/// Exact: the large d of the set.
const LARGE: [u64; 5] = [100, 1_000, 10_000, 1_000_000, 1_000_000_000];

/// Exact: the certificates of the set, `(family, d)`, in index order.
fn certificate_plan() -> Vec<(Family, u64)> {
    let mut out = Vec::new();
    for f in Family::ALL {
        let Some(first) = f.minimum_from() else {
            continue;
        };
        out.push((f, first - 1));
        out.extend((first..=40).map(|d| (f, d)));
        out.extend(LARGE.iter().map(|&d| (f, d)));
    }
    out
}

/// Exact: the d of the comparison report.
fn compare_plan() -> Vec<u64> {
    (7..=40).chain(LARGE).collect()
}

/// Exact: the families of the comparison report.
const COMPARE_FAMILIES: [Family; 2] = [Family::I, Family::II];

/// Exact: a certificate's path relative to the set's directory.
fn relative_path(f: Family, d: u64) -> String {
    format!("{}/d{d}.json", f.name())
}

/// Exact: the (family, d) whose minimizing arcs get tangency-point certificates.
const ARC_PLAN: [(Family, u64); 6] = [
    (Family::I, 10),
    (Family::I, 20),
    (Family::I, 100),
    (Family::II, 10),
    (Family::II, 20),
    (Family::II, 100),
];

/// Encloses: the tangency-point certificates of the minimizing arcs of [`ARC_PLAN`] at
/// r = 0.01, 0.02, 0.04, 128-bit intervals (deterministic order).
fn arc_certificates(
    families: &[Family],
) -> Result<
    Vec<(
        String,
        relucert::certificate::tangency_point::ArcCertificate,
    )>,
> {
    let opts = relucert::arcs::ArcOptions {
        prec: 128,
        radii: Some(vec!["0.01".into(), "0.02".into(), "0.04".into()]),
        extreme_only: true,
        certify_ends: false,
        fast_first: false,
        ..relucert::arcs::ArcOptions::default()
    };
    let mut out = Vec::new();
    for (f, d) in ARC_PLAN.into_iter().filter(|(f, _)| families.contains(f)) {
        let c = certify_family(f, d, opts.prec)
            .map_err(|e| Error::Numerical(format!("family {} at d = {d}: {e}", f.name())))?;
        let results = relucert::arcs::run(&c, &opts);
        let certs = relucert::certificate::tangency_point::point_certificates(
            &c,
            &results,
            relucert::arcs::directions::ArcType::Min,
        );
        if certs.is_empty() {
            return Err(Error::Numerical(format!(
                "no minimizing arc certified for {} at d = {d}; nothing written",
                f.name()
            )));
        }
        out.extend(certs);
    }
    Ok(out)
}

/// Exact: the families of `--only` (all of them without it).
fn only_families(only: Option<&str>) -> Result<Vec<Family>> {
    let Some(list) = only else {
        return Ok(Family::ALL.to_vec());
    };
    let mut out = Vec::new();
    for name in list.split(',') {
        let f = Family::parse(name.trim()).ok_or_else(|| {
            Error::bad_input(
                format!("--only {list}"),
                format!("unknown family '{}'", name.trim()),
                "a comma-separated list of families from I, II, IIsym",
            )
        })?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

/// Run `regen`: 0 when the whole set was certified and written, 2 otherwise (nothing is
/// written unless every certificate of the set was obtained). The directory protocol
/// (checks, lock, staging copy, atomic exchange, clean-up) is [`SetDir`]'s.
pub fn run(a: &RegenArgs) -> Result<i32> {
    let prec = args::check_prec(a.prec)?;
    let families = only_families(a.only.as_deref())?;
    let partial = families.len() < Family::ALL.len();
    // Every refusal comes before any computing.
    let set = SetDir::open(&a.dir)?;
    let plan: Vec<(Family, u64)> = certificate_plan()
        .into_iter()
        .filter(|(f, _)| families.contains(f))
        .collect();
    let mut jobs = plan.clone();
    if !partial {
        for d in compare_plan() {
            jobs.extend(COMPARE_FAMILIES.iter().map(|&f| (f, d)));
        }
    }
    jobs.sort_unstable();
    jobs.dedup();
    let pb = super::progress::Progress::new(jobs.len() as u64, "regen");
    let done: Vec<(
        (Family, u64),
        std::result::Result<Certificate, NotCertified>,
    )> = jobs
        .par_iter()
        .map(|&(f, d)| {
            let c = certify_family(f, d, prec);
            pb.inc(&format!("{} d = {d}", f.name()));
            ((f, d), c)
        })
        .collect();
    pb.finish();
    let mut certs: BTreeMap<(Family, u64), Certificate> = BTreeMap::new();
    for ((f, d), c) in done {
        match c {
            Ok(c) => {
                certs.insert((f, d), c);
            }
            Err(e) => {
                return Err(Error::Numerical(format!(
                    "family {} at d = {d} was not certified at {prec} bits: {e}; nothing written",
                    f.name()
                )))
            }
        }
    }
    let arcs = arc_certificates(&families)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut entries: Vec<report::IndexEntry> = Vec::new();
    for &(f, d) in &plan {
        let c = &certs[&(f, d)];
        let rel = relative_path(f, d);
        files.push((rel.clone(), c.to_bytes()));
        entries.push(report::IndexEntry::critical(rel, c));
    }
    for (name, a) in arcs {
        let rel = format!("arcs/{name}");
        files.push((rel.clone(), a.to_bytes()));
        entries.push(report::IndexEntry {
            path: rel,
            family: a.base.family,
            d: a.base.partition.d() as u64,
            kind: "tangency_point",
            classification: format!("{} at r = {}", a.proof.kind.name(), a.proof.r),
            index: None,
            loss: a.proof.loss.clone(),
            digits: relucert::certificate::critical_point::enclosure_digits(a.base.prec),
        });
    }
    let reports: &[&str] = if partial {
        &[]
    } else {
        &["compare.md", "compare.json", "compare.svg"]
    };
    if !partial {
        let cmp = Comparison {
            families: COMPARE_FAMILIES.to_vec(),
            prec,
            rows: compare_plan()
                .into_iter()
                .map(|d| Row {
                    d,
                    certs: COMPARE_FAMILIES
                        .iter()
                        .map(|&f| Ok(certs[&(f, d)].clone()))
                        .collect(),
                })
                .collect(),
        };
        files.push(("compare.md".into(), report::markdown(&cmp).into_bytes()));
        files.push((
            "compare.json".into(),
            report::json_text(&report::json(&cmp)).into_bytes(),
        ));
        files.push(("compare.svg".into(), report::svg(&cmp).into_bytes()));
        files.push((
            "index.json".into(),
            report::json_text(&report::index_json(&entries, reports)).into_bytes(),
        ));
        files.push((
            "index.md".into(),
            report::index_markdown(&entries, reports).into_bytes(),
        ));
    }
    let mut dirs: Vec<String> = families.iter().map(|f| f.name()).collect();
    dirs.push("arcs".into());
    let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    set.replace(&dirs, &files)?;
    let inconclusive: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == "critical_point" && e.index.is_none())
        .map(|e| e.path.clone())
        .collect();
    let names: Vec<String> = families.iter().map(|f| f.name()).collect();
    if a.json {
        let mut v = serde_json::json!({
            "dir": a.dir.display().to_string(),
            "certificates": entries.len(),
            "reports": reports,
            "index": if partial { Vec::new() } else { vec!["index.json", "index.md"] },
            "inconclusive": inconclusive,
        });
        if partial {
            v["only"] = serde_json::json!(names);
        }
        outln!("{v}")?;
    } else if partial {
        outln!(
            "wrote {} certificates of {} to {} (--only: its other files were kept as they were)",
            entries.len(),
            names.join(", "),
            a.dir.display()
        )?;
    } else {
        outln!(
            "wrote {} certificates, {} reports and index.json, index.md to {}",
            entries.len(),
            reports.len(),
            a.dir.display()
        )?;
    }
    if !inconclusive.is_empty() {
        errln!(
            "relucert: note: inconclusive classification in {}",
            inconclusive.join(", ")
        );
    }
    Ok(0)
}

/// What `--dir` must be (the "accepted" part of every refusal).
const ACCEPTED: &str =
    "a writable directory (new, or holding only files, directories and symlinks) that does not hold the current directory";

/// The set directory of one regen run, from the checks before any work to the swap.
///
/// - [`SetDir::open`] resolves `--dir` (a symlink is followed to its target, which is
///   where the set is replaced; the link stays), refuses what regen must not replace,
///   takes the lock next to the set (`.<name>.regen-lock`, an exclusive `flock`), removes
///   the leftovers of interrupted runs (`.<name>.regen-staging.<tag>`), and probes that the
///   directory and its parent are writable and that the file system swaps directories
///   atomically;
/// - [`SetDir::replace`] copies the set into a fresh staging directory next to it
///   (exclusive create, unpredictable name), writes the new files there, syncs, and swaps
///   it with the set in one `renameat2(RENAME_EXCHANGE)`: at every instant `--dir` holds
///   either the whole old set or the whole new one. The old set, now at the staging name,
///   is then removed. On failure the staging directory is removed and `--dir` untouched.
///
/// Every message names `--dir` (or a path under it), never the staging directory.
struct SetDir {
    /// `--dir` as the user gave it.
    shown: PathBuf,
    /// The set directory with every symlink resolved (absolute).
    real: PathBuf,
    /// Its parent directory, open (renames are relative to it).
    parent: std::fs::File,
    /// The parent's path.
    parent_path: PathBuf,
    /// The set directory's name in the parent.
    name: String,
    /// Whether the set directory exists (swapped by exchange) or is new (renamed into place).
    exists: bool,
    /// Held until the run ends.
    _lock: Lock,
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_file() {
        "a regular file"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_symlink() {
        "a symlink"
    } else {
        "a special file"
    }
}

impl SetDir {
    fn open(dir: &Path) -> Result<SetDir> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let input = format!("--dir {}", dir.display());
        let refuse = |why: String| Error::bad_input(&input, why, ACCEPTED);
        let io = |e: std::io::Error| Error::io(&input, e);
        let real = match std::fs::canonicalize(dir) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new set (or a dangling symlink: the set is created where it points).
                let t = relucert::output_file::resolve(dir)?;
                let name = match t.components().next_back() {
                    Some(std::path::Component::Normal(n)) => n.to_owned(),
                    _ => return Err(refuse("names no directory".into())),
                };
                let parent = t
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let parent = std::fs::canonicalize(parent).map_err(|_| {
                    refuse(format!("the directory {} does not exist", parent.display()))
                })?;
                parent.join(name)
            }
            Err(e) => return Err(io(e)),
        };
        let meta = std::fs::symlink_metadata(&real).ok();
        if let Some(m) = &meta {
            if !m.is_dir() {
                return Err(refuse(format!(
                    "is {}, not a directory",
                    kind_of(&m.file_type())
                )));
            }
        }
        let (Some(parent_path), Some(name)) = (real.parent(), real.file_name()) else {
            return Err(refuse("is the root directory".into()));
        };
        let parent_path = parent_path.to_path_buf();
        let name = name.to_string_lossy().to_string();
        if let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) {
            if cwd.starts_with(&real) {
                return Err(refuse(
                    "is the current directory or holds it (regen replaces the set directory whole, which would move the current directory away)".into(),
                ));
            }
        }
        let parent_meta = std::fs::metadata(&parent_path).map_err(io)?;
        // Root ignores permission bits; regen respects them: a directory nobody may write
        // to is not replaced.
        let parent_what = format!("its parent {} is", parent_path.display());
        for (what, m) in [
            (parent_what.as_str(), Some(&parent_meta)),
            ("is", meta.as_ref()),
        ] {
            if let Some(m) = m {
                let mode = m.permissions().mode();
                if mode & 0o222 == 0 {
                    return Err(refuse(format!(
                        "{what} read-only (mode {:o})",
                        mode & 0o7777
                    )));
                }
            }
        }
        if meta.as_ref().is_some_and(|m| m.dev() != parent_meta.dev()) || is_mount_root(&real) {
            return Err(refuse(
                "is a mount point (it cannot be swapped; use a directory inside it)".into(),
            ));
        }
        let lock = Lock::take(&parent_path, &name, &input)?;
        let parent = std::fs::File::open(&parent_path).map_err(io)?;
        let set = SetDir {
            shown: dir.to_path_buf(),
            real,
            parent,
            parent_path,
            name,
            exists: meta.is_some(),
            _lock: lock,
        };
        set.remove_leftovers();
        if set.exists {
            set.probe()
                .map_err(|e| refuse(format!("is not writable: {e}")))?;
            if let Some(rel) = special_file(&set.real, Path::new("")).map_err(io)? {
                return Err(refuse(format!(
                    "holds {} at {} (regen copies the set and never reads or replaces special files)",
                    rel.1,
                    dir.join(&rel.0).display()
                )));
            }
        }
        Ok(set)
    }

    /// Exact: whether `n` is a staging name of this set (ours or a leftover): the current
    /// `.<name>.regen-staging.<16 hex>`, or the fixed names of earlier versions.
    fn is_staging_name(&self, n: &str) -> bool {
        let prefix = format!(".{}.regen-staging.", self.name);
        n == format!(".{}.regen-staging", self.name)
            || n == format!(".{}.regen-old", self.name)
            || n.strip_prefix(&prefix)
                .is_some_and(|t| t.len() == 16 && t.chars().all(|c| c.is_ascii_hexdigit()))
    }

    /// Remove what interrupted runs left next to the set (only under the lock, so never
    /// the staging directory of a running regen).
    fn remove_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent_path) else {
            return;
        };
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if self.is_staging_name(&n) {
                let p = e.path();
                let _ = match e.file_type() {
                    Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
                    _ => std::fs::remove_file(&p),
                };
            }
        }
    }

    /// A new, empty staging directory next to the set (exclusive create, unpredictable name).
    fn new_staging(&self) -> std::io::Result<Staging> {
        for _ in 0..100 {
            let staging_name = format!(
                ".{}.regen-staging.{}",
                self.name,
                relucert::output_file::random_tag()
            );
            let path = self.parent_path.join(&staging_name);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Staging { path, staging_name }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free staging name",
        ))
    }

    /// Probe, before any work, that files can be created in the set directory and that
    /// two directories next to it can be swapped atomically.
    fn probe(&self) -> std::io::Result<()> {
        let f = self.real.join(format!(
            ".relucert-probe.{}",
            relucert::output_file::random_tag()
        ));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&f)?;
        std::fs::remove_file(&f)?;
        let a = self.new_staging()?;
        let b = self.new_staging()?;
        let swapped = self.exchange(&a.staging_name, &b.staging_name);
        drop((a, b));
        swapped.map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("the file system cannot swap directories atomically (renameat2 RENAME_EXCHANGE: {e})"),
            )
        })
    }

    fn exchange(&self, a: &str, b: &str) -> std::io::Result<()> {
        use rustix::fs::{renameat_with, RenameFlags};
        renameat_with(&self.parent, a, &self.parent, b, RenameFlags::EXCHANGE)?;
        Ok(())
    }

    /// Replace the set: its current files, with `files` (relative paths, bytes) written
    /// over them and `owned_dirs` made real directories, swapped in atomically.
    fn replace(&self, owned_dirs: &[&str], files: &[(String, Vec<u8>)]) -> Result<()> {
        let shown = |rel: &Path| {
            if rel.as_os_str().is_empty() {
                format!("--dir {}", self.shown.display())
            } else {
                self.shown.join(rel).display().to_string()
            }
        };
        let staging = self
            .new_staging()
            .map_err(|e| Error::io(shown(Path::new("")), e))?;
        if self.exists {
            copy_tree(&self.real, &staging.path, Path::new(""))
                .map_err(|(rel, e)| Error::io(shown(&rel), e))?;
            let mode = std::fs::metadata(&self.real)
                .and_then(|m| std::fs::set_permissions(&staging.path, m.permissions()));
            mode.map_err(|e| Error::io(shown(Path::new("")), e))?;
        }
        for d in owned_dirs {
            let p = staging.path.join(d);
            let made = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => Ok(()),
                // A symlink or file copied from the old set: the new set has a directory.
                Ok(_) => std::fs::remove_file(&p).and_then(|()| std::fs::create_dir(&p)),
                Err(_) => std::fs::create_dir(&p),
            };
            made.map_err(|e| Error::io(shown(Path::new(d)), e))?;
        }
        for (rel, bytes) in files {
            put(&staging.path.join(rel), bytes).map_err(|e| Error::io(shown(Path::new(rel)), e))?;
        }
        sync_tree(&staging.path).map_err(|e| Error::io(shown(Path::new("")), e))?;
        let swapped = if self.exists {
            self.exchange(&staging.staging_name, &self.name)
        } else {
            use rustix::fs::{renameat_with, RenameFlags};
            renameat_with(
                &self.parent,
                staging.staging_name.as_str(),
                &self.parent,
                self.name.as_str(),
                RenameFlags::NOREPLACE,
            )
            .map_err(std::io::Error::from)
        };
        swapped.map_err(|e| Error::io(shown(Path::new("")), e))?;
        let _ = self.parent.sync_all();
        // The staging name now holds the old set (or nothing): dropping `staging` removes it.
        if let Err(e) = staging.remove() {
            errln!(
                "relucert: note: the new set is in place; the old copy next to it could not be removed ({e}); the next regen removes it"
            );
        }
        Ok(())
    }
}

/// A staging directory: removed when dropped (on failure, and after the swap, when it holds
/// the old set).
struct Staging {
    path: PathBuf,
    staging_name: String,
}

impl Staging {
    fn remove(mut self) -> std::io::Result<()> {
        let p = std::mem::take(&mut self.path);
        match std::fs::remove_dir_all(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The lock of a set: an exclusive `flock` on `.<name>.regen-lock` next to it, held for the
/// whole run (the kernel releases it when the process ends, however it ends). The file is
/// removed at the end; a run that locked a file another run had removed meanwhile sees it
/// is no longer at the path and locks afresh.
struct Lock {
    path: PathBuf,
    _file: std::fs::File,
}

impl Lock {
    fn take(parent: &Path, name: &str, input: &str) -> Result<Lock> {
        use rustix::fs::{flock, open, FlockOperation, Mode, OFlags};
        use std::os::unix::fs::MetadataExt;
        let path = parent.join(format!(".{name}.regen-lock"));
        for _ in 0..100 {
            let fd = open(
                &path,
                OFlags::CREATE | OFlags::RDWR | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_bits_truncate(0o600),
            )
            .map_err(|e| {
                Error::bad_input(
                    input,
                    format!(
                        "its lock {} cannot be created: {}",
                        path.display(),
                        std::io::Error::from(e)
                    ),
                    ACCEPTED,
                )
            })?;
            let file = std::fs::File::from(fd);
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(rustix::io::Errno::WOULDBLOCK) | Err(rustix::io::Errno::INTR) => {
                    return Err(Error::io(
                        input,
                        format!(
                            "another relucert regen is writing this set (lock {}); nothing was changed",
                            path.display()
                        ),
                    ))
                }
                Err(e) => return Err(Error::io(input, std::io::Error::from(e))),
            }
            let held = file.metadata().map_err(|e| Error::io(input, e))?;
            let same = std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.dev() == held.dev() && m.ino() == held.ino());
            if same {
                return Ok(Lock { path, _file: file });
            }
        }
        Err(Error::io(
            input,
            "the lock file keeps changing; nothing was changed",
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a waiting run then finds the path gone and retries.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Exact: whether `path` is the root of a mount (a bind mount on the same file system
/// included), by `statx`'s `STATX_ATTR_MOUNT_ROOT` (Linux 5.8; `false` where unknown).
fn is_mount_root(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{statx, AtFlags, StatxAttributes, StatxFlags, CWD};
        statx(
            CWD,
            path,
            AtFlags::SYMLINK_NOFOLLOW,
            StatxFlags::BASIC_STATS,
        )
        .is_ok_and(|x| {
            x.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
                && x.stx_attributes.contains(StatxAttributes::MOUNT_ROOT)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}

/// Exact: the first FIFO, device or socket under `dir` (not following symlinks): its path
/// relative to `dir` and its kind.
fn special_file(dir: &Path, rel: &Path) -> std::io::Result<Option<(PathBuf, &'static str)>> {
    for e in std::fs::read_dir(dir.join(rel))? {
        let e = e?;
        let r = rel.join(e.file_name());
        let t = e.file_type()?;
        if t.is_dir() {
            if let Some(found) = special_file(dir, &r)? {
                return Ok(Some(found));
            }
        } else if !t.is_file() && !t.is_symlink() {
            return Ok(Some((r, kind_of(&t))));
        }
    }
    Ok(None)
}

/// Exact: an error-mapping closure that attaches the relative path `r`.
fn at(r: &Path) -> impl Fn(std::io::Error) -> (PathBuf, std::io::Error) + '_ {
    move |e| (r.to_path_buf(), e)
}

/// Copy the tree under `from` (at `rel`) into `to`: directories and regular files with
/// their permissions, symlinks as symlinks; a special file is an error (a file is opened
/// non-blocking and checked to be regular before it is read, so a FIFO appearing
/// meanwhile cannot hang the copy). Errors carry the relative path.
fn copy_tree(
    from: &Path,
    to: &Path,
    rel: &Path,
) -> std::result::Result<(), (PathBuf, std::io::Error)> {
    use std::os::unix::fs::OpenOptionsExt;
    for e in std::fs::read_dir(from.join(rel)).map_err(at(rel))? {
        let e = e.map_err(at(rel))?;
        let r = rel.join(e.file_name());
        let (p, q) = (from.join(&r), to.join(&r));
        let t = e.file_type().map_err(at(&r))?;
        if t.is_dir() {
            std::fs::create_dir(&q).map_err(at(&r))?;
            copy_tree(from, to, &r)?;
            let m = std::fs::metadata(&p).map_err(at(&r))?;
            std::fs::set_permissions(&q, m.permissions()).map_err(at(&r))?;
        } else if t.is_symlink() {
            let target = std::fs::read_link(&p).map_err(at(&r))?;
            std::os::unix::fs::symlink(target, &q).map_err(at(&r))?;
        } else {
            let flags = (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits();
            let mut src = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(flags as i32)
                .open(&p)
                .map_err(at(&r))?;
            let m = src.metadata().map_err(at(&r))?;
            if !m.is_file() {
                return Err((
                    r,
                    std::io::Error::other(format!(
                        "{} (regen never reads or replaces special files)",
                        kind_of(&m.file_type())
                    )),
                ));
            }
            let mut dst = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&q)
                .map_err(at(&r))?;
            std::io::copy(&mut src, &mut dst).map_err(at(&r))?;
            dst.set_permissions(m.permissions()).map_err(at(&r))?;
        }
    }
    Ok(())
}

/// Write `bytes` as a new regular file at `path` in the staging directory, replacing what
/// the copy of the old set put there (a file or symlink; a directory is an error), keeping
/// an old file's permissions (synced by [`sync_tree`] before the swap).
fn put(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut perms = None;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::other(
                "is a directory in the old set, where regen writes a file",
            ))
        }
        Ok(m) => {
            if m.is_file() {
                perms = Some(m.permissions());
            }
            std::fs::remove_file(path)?;
        }
        Err(_) => {}
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    if let Some(p) = perms {
        f.set_permissions(p)?;
    }
    Ok(())
}

/// Make everything staged under `dir` durable before the swap: one `syncfs` on Linux
/// (much cheaper than a sync per file), elsewhere a sync of every file and directory.
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    let f = std::fs::File::open(dir)?;
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(&f)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                sync_tree(&e.path())?;
            } else if t.is_file() {
                std::fs::File::open(e.path())?.sync_all()?;
            }
        }
        f.sync_all()?;
    }
    Ok(())
}
