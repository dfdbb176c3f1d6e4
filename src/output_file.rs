//! Writing output files safely: the one function every writer uses.
//!
//! **Contract.** [`write_file`] writes `bytes` to the path the user gave, and either the
//! whole content arrives or the target is left as it was:
//!
//! - a symlink is followed (to its final target) and stays a symlink: the new file is
//!   written next to the resolved target and renamed over it;
//! - a target that exists and is not a regular file (a device, a FIFO, a socket) is
//!   written into directly and never replaced (`-o /dev/stdout` works);
//! - a regular file (or a new one) is written to a temporary file in the same directory,
//!   flushed and synced, given the existing file's permissions, and renamed over the
//!   target; on any failure the temporary file is removed and the target is untouched
//!   (so a full disk reports ENOSPC and leaves the old content);
//! - every error names the path the user gave, never the temporary file.
//!
//! Hard links to a replaced regular file keep the old content (the rename gives the path
//! a new inode). [`check_writable`] runs before any computing, so a bad path fails fast.
//!
//! Temporary files (and the probe of [`check_writable`]) are created with exclusive
//! create (`O_CREAT | O_EXCL`, [`OpenOptions::create_new`]) under an unpredictable name
//! ([`random_tag`]), retried on a name already taken: whatever stands at a temporary
//! name (a planted symlink, a file) is never opened, followed or truncated.

use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Exact: the final target of `path` after following symlinks (the path itself when it
/// is not a symlink; a dangling link resolves to where it points).
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let t = fs::read_link(&p).map_err(|e| Error::io(path.display(), e))?;
                p = if t.is_absolute() {
                    t
                } else {
                    p.parent().unwrap_or(Path::new(".")).join(t)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::io(
        path.display(),
        "too many levels of symbolic links",
    ))
}

fn parent_of(p: &Path) -> &Path {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Exact: `Ok` when `path` can be written by [`write_file`]: an existing non-regular
/// file (written into), or a regular or new file in an existing, writable directory
/// (probed by creating and removing a temporary file). Run it before computing.
pub fn check_writable(path: &Path) -> Result<()> {
    let target = resolve(path)?;
    match fs::metadata(&target) {
        Ok(m) if m.is_dir() => return Err(Error::io(path.display(), "is a directory")),
        Ok(m) if !m.is_file() => return Ok(()),
        _ => {}
    }
    let dir = parent_of(&target);
    if !dir.is_dir() {
        return Err(Error::io(
            path.display(),
            format!("the directory {} does not exist", dir.display()),
        ));
    }
    let (probe, f) = create_temp(&target).map_err(|e| Error::io(path.display(), e))?;
    drop(f);
    let _ = fs::remove_file(&probe);
    Ok(())
}

/// Exact: 16 hexadecimal digits no other process can predict: a hash, under this
/// process's randomly keyed hasher (std's `RandomState`, seeded from the OS), of the pid,
/// the time and a per-process counter. Used in temporary file and directory names.
pub fn random_tag() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

/// How many names [`create_temp`] tries before giving up.
const TEMP_TRIES: usize = 100;

/// Exact: a new, empty file next to `target` under a fresh unpredictable name, created
/// with exclusive create; its path and the open file.
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    create_temp_named(target, std::iter::repeat_with(random_tag).take(TEMP_TRIES))
}

/// Exact: [`create_temp`] with the name tags given (the first free one is used).
fn create_temp_named(
    target: &Path,
    tags: impl Iterator<Item = String>,
) -> io::Result<(PathBuf, File)> {
    for tag in tags {
        let p = temp_name(target, &tag);
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name",
    ))
}

fn temp_name(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    parent_of(target).join(format!(".{name}.{tag}.relucert-tmp"))
}

/// Exact: write `bytes` to `path` (see the module contract).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let target = resolve(path)?;
    let existing = fs::metadata(&target).ok();
    if let Some(m) = &existing {
        if m.is_dir() {
            return Err(Error::io(shown, "is a directory"));
        }
        if !m.is_file() {
            // A device, FIFO or socket: write into it, never replace it.
            let mut f = OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| Error::io(&shown, e))?;
            f.write_all(bytes).map_err(|e| Error::io(&shown, e))?;
            f.flush().map_err(|e| Error::io(&shown, e))?;
            return Ok(());
        }
    }
    let (tmp, mut f) = create_temp(&target).map_err(|e| Error::io(&shown, e))?;
    let result = (|| -> std::io::Result<()> {
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        if let Some(m) = &existing {
            f.set_permissions(m.permissions())?;
        }
        fs::rename(&tmp, &target)?;
        // Make the rename durable (best effort: not every file system syncs directories).
        if let Ok(d) = File::open(parent_of(&target)) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    drop(f);
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(&shown, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_at_a_temporary_name_is_skipped_and_its_target_kept() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        let target = dir.path().join("x.json");
        let planted = temp_name(&target, "aaaa");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let names = ["aaaa", "bbbb"].iter().map(|s| s.to_string());
        let (p, mut f) = create_temp_named(&target, names).unwrap();
        assert_eq!(p, temp_name(&target, "bbbb"), "the taken name is skipped");
        f.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&planted).unwrap().is_symlink());
        // Every name taken: an error, and still nothing followed.
        let names = ["aaaa"].iter().map(|s| s.to_string());
        let e = create_temp_named(&target, names).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn random_tags_differ_and_are_hex() {
        let a = random_tag();
        let b = random_tag();
        assert_ne!(a, b);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
