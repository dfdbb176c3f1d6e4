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

use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exact: the final target of `path` after following symlinks (the path itself when it
/// is not a symlink; a dangling link resolves to where it points).
fn resolve(path: &Path) -> Result<PathBuf> {
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
    let probe = temp_name(&target);
    File::create(&probe).map_err(|e| Error::io(path.display(), e))?;
    let _ = fs::remove_file(&probe);
    Ok(())
}

fn temp_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    parent_of(target).join(format!(".{name}.relucert-tmp{}", std::process::id()))
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
    let tmp = temp_name(&target);
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        if let Some(m) = &existing {
            fs::set_permissions(&tmp, m.permissions())?;
        }
        drop(f);
        fs::rename(&tmp, &target)?;
        // Make the rename durable (best effort: not every file system syncs directories).
        if let Ok(d) = File::open(parent_of(&target)) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(&shown, e)
    })
}
