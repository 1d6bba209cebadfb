//! Staged, atomic writes: the one place files and folders reach the disk.
//!
//! - [`replace_dir`] puts a whole folder in place (the site): it is filled in a hidden staging
//!   folder beside the target (same parent, so one file system), then swapped with the old
//!   folder in one atomic exchange (`renameat2(RENAME_EXCHANGE)` on Linux), so the target holds
//!   one complete folder at every instant, even if the process is killed. Elsewhere, or on a
//!   file system without exchange, two renames leave a gap of microseconds; the old folder is
//!   put back if the second fails. A lock beside the target makes a second writer give up with
//!   an honest message, and lets each run remove the staging folders that killed runs left.
//! - [`write_all_or_nothing`] writes several files (imported returns) so that either all are
//!   replaced or none: each goes to a hidden temporary file first, then they are renamed.
//! - [`create_new_files`] writes files that must not exist yet (`init`, `brief`), undoing what
//!   it made if one fails.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

/// Part of the name of every hidden folder a [`replace_dir`] run makes beside its target.
const STAGING_TAG: &str = ".panelaudit-staging-";

/// The path made absolute, with `.` and `..` resolved lexically (symbolic links are left for
/// [`real_path`]).
pub fn absolute(p: &Path) -> io::Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Where a path really is: absolute, and the longest part that exists resolved through any
/// symbolic links, so `dir/../dir/site` or a link cannot hide that one folder is in another.
pub fn real_path(p: &Path) -> io::Result<PathBuf> {
    let abs = absolute(p)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Ok(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// A file or folder that could not be written (or read before writing), and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", crate::source::display_path(path))]
pub struct FsxError {
    pub path: PathBuf,
    #[source]
    pub error: io::Error,
}

/// Why [`may_write_into`] refused a folder, with nothing written.
#[derive(Debug, thiserror::Error)]
pub enum WriteIntoError {
    #[error("{}: exists and is not a folder", crate::source::display_path(.0))]
    NotAFolder(PathBuf),
    /// A file there could not be read to compare.
    #[error(transparent)]
    Unreadable(#[from] FsxError),
    /// Files there differ from the new ones: `what` names the new file, `why` says what the
    /// old one may hold, `help` what to do.
    #[error(
        "{}: already there and different from {what} ({why}); nothing was written\n  = help: {help}",
        crate::source::display_paths(paths)
    )]
    Different {
        paths: Vec<PathBuf>,
        what: &'static str,
        why: &'static str,
        help: &'static str,
    },
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> FsxError + '_ {
    move |error| FsxError {
        path: path.to_path_buf(),
        error,
    }
}

/// Hidden temporary name beside `path`, unique to this process.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes one file through a hidden temporary file beside it and a rename: a reader sees the
/// old bytes or the new, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FsxError> {
    write_all_or_nothing(&[(path.to_path_buf(), bytes.to_vec())])
}

/// Writes every file, or (as far as the file system allows) none: all are staged as hidden
/// temporary files first, and renamed into place only when every one was written.
pub fn write_all_or_nothing(files: &[(PathBuf, Vec<u8>)]) -> Result<(), FsxError> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (target, bytes) in files {
        let tmp = temp_beside(target);
        if let Err(e) = fs::write(&tmp, bytes) {
            let _ = fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(at(target)(e));
        }
        staged.push((tmp, target));
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err(at(target)(e));
        }
    }
    Ok(())
}

/// What is already at a path a command is about to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDisk {
    /// Nothing: the file is new.
    Absent,
    /// These very bytes: writing again changes nothing.
    Same,
    /// Something else, which may be someone's work.
    Different,
}

/// What is at each of `files` now, in order; an error (the path and why) when one cannot be
/// read.
pub fn on_disk(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<OnDisk>, FsxError> {
    files
        .iter()
        .map(|(path, bytes)| match fs::read(path) {
            Ok(old) if &old == bytes => Ok(OnDisk::Same),
            Ok(_) => Ok(OnDisk::Different),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(OnDisk::Absent),
            Err(e) => Err(at(path)(e)),
        })
        .collect()
}

/// What is at each of `files` now, when `out` may take them: refused when `out` is not a
/// folder, or when a file there differs from its new bytes (`what` names the new file, `why`
/// says what the old one may hold, `help` what to do), with nothing written.
pub fn may_write_into(
    out: &Path,
    files: &[(PathBuf, Vec<u8>)],
    (what, why, help): (&'static str, &'static str, &'static str),
) -> Result<Vec<OnDisk>, WriteIntoError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteIntoError::NotAFolder(out.to_path_buf()));
    }
    let found = on_disk(files)?;
    let paths: Vec<PathBuf> = files
        .iter()
        .zip(&found)
        .filter(|(_, d)| **d == OnDisk::Different)
        .map(|((path, _), _)| path.clone())
        .collect();
    if !paths.is_empty() {
        return Err(WriteIntoError::Different {
            paths,
            what,
            why,
            help,
        });
    }
    Ok(found)
}

/// Creates files that must not exist yet, with any missing folders; if one cannot be made,
/// removes every file and folder this call made and reports the first problem.
pub fn create_new_files(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<PathBuf>, FsxError> {
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let mut made_files: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<(), FsxError> {
        for (path, bytes) in files {
            if let Some(parent) = path.parent() {
                let mut missing = Vec::new();
                let mut p = Some(parent);
                while let Some(d) = p.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                    missing.push(d.to_path_buf());
                    p = d.parent();
                }
                for d in missing.into_iter().rev() {
                    fs::create_dir(&d).map_err(at(&d))?;
                    made_dirs.push(d);
                }
            }
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(at(path))?;
            made_files.push(path.clone());
            f.write_all(bytes).map_err(at(path))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(made_files),
        Err(e) => {
            for f in made_files.iter().rev() {
                let _ = fs::remove_file(f);
            }
            for d in made_dirs.iter().rev() {
                let _ = fs::remove_dir(d);
            }
            Err(e)
        }
    }
}

/// Why a folder could not be replaced.
/// (Not an error users see: `write` turns it into its own.)
#[derive(Debug)]
pub enum ReplaceError<E> {
    /// Another run holds the lock on this target.
    Busy(PathBuf),
    Io(FsxError),
    /// The caller's `fill` failed; nothing was replaced.
    Fill(E),
}

/// Replaces the folder `target` (which may not exist yet) by what `fill` writes into an empty
/// staging folder, atomically. The old content stays untouched when `fill` fails.
pub fn replace_dir<E>(
    target: &Path,
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), ReplaceError<E>> {
    let (parent, name) = match (target.parent(), target.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => {
            return Err(ReplaceError::Io(FsxError {
                path: target.to_path_buf(),
                error: io::Error::new(io::ErrorKind::InvalidInput, "not a folder path"),
            }));
        }
    };
    fs::create_dir_all(&parent).map_err(|e| ReplaceError::Io(at(&parent)(e)))?;
    let lock_path = parent.join(format!(".{name}.panelaudit-lock"));
    let _lock = match lock(&lock_path) {
        Ok(Some(l)) => l,
        Ok(None) => return Err(ReplaceError::Busy(target.to_path_buf())),
        Err(e) => return Err(ReplaceError::Io(at(&lock_path)(e))),
    };
    // Holding the lock, every staging folder of this target is a killed run's leftover.
    let prefix = format!(".{name}{STAGING_TAG}");
    if let Ok(entries) = fs::read_dir(&parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
    let staging = parent.join(format!("{prefix}{}", std::process::id()));
    fs::create_dir(&staging).map_err(|e| ReplaceError::Io(at(&staging)(e)))?;
    if let Err(e) = fill(&staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(ReplaceError::Fill(e));
    }
    let swapped = if fs::symlink_metadata(target).is_ok() {
        exchange(&staging, target)
    } else {
        fs::rename(&staging, target)
    };
    if let Err(e) = swapped {
        let _ = fs::remove_dir_all(&staging);
        return Err(ReplaceError::Io(at(target)(e)));
    }
    // After an exchange the staging path holds the old folder: tidying it away is not part of
    // the build, and a failure leaves it for the next run to clean.
    let _ = fs::remove_dir_all(&staging);
    Ok(())
}

/// Takes the lock file's exclusive lock without waiting; None when another process holds it.
fn lock(path: &Path) -> io::Result<Option<File>> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Swaps two existing paths in one step where the system can, else by two renames.
fn exchange(staging: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(staging.as_os_str().as_bytes())?;
        let b = CString::new(target.as_os_str().as_bytes())?;
        // SAFETY: both are valid NUL-terminated paths that outlive the call; AT_FDCWD makes
        // them relative to the working folder as any other path here.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        // Only a file system (or kernel) without exchange falls back; real errors are errors.
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(e);
        }
    }
    two_renames(staging, target)
}

/// The portable fallback: move the old folder aside, the new one in, and the old one to the
/// staging path (where the caller removes it); the old one goes back if the second step fails.
fn two_renames(staging: &Path, target: &Path) -> io::Result<()> {
    let aside = staging.with_extension("old");
    fs::rename(target, &aside)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(e);
    }
    fs::rename(&aside, staging)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_with(text: &'static str) -> impl FnOnce(&Path) -> io::Result<()> {
        move |dir| fs::write(dir.join("index.html"), text)
    }

    #[test]
    fn replaces_a_folder_whole_and_leaves_no_staging_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        replace_dir(&out, fill_with("one")).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        replace_dir(&out, fill_with("two")).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("stale.html").exists());
        let left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(STAGING_TAG))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_failed_fill_leaves_the_old_folder_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        replace_dir(&out, fill_with("one")).unwrap();
        let r = replace_dir(&out, |_| Err::<(), _>(io::Error::other("no")));
        assert!(matches!(r, Err(ReplaceError::Fill(_))));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
    }

    #[test]
    fn leftovers_of_a_killed_run_are_cleaned_and_a_held_lock_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let leftover = tmp.path().join(format!(".site{STAGING_TAG}99999"));
        fs::create_dir(&leftover).unwrap();
        fs::write(leftover.join("half.html"), "x").unwrap();
        replace_dir(&out, fill_with("one")).unwrap();
        assert!(!leftover.exists());

        let held = lock(&tmp.path().join(".site.panelaudit-lock"))
            .unwrap()
            .unwrap();
        let r = replace_dir(&out, fill_with("two"));
        assert!(matches!(r, Err(ReplaceError::Busy(_))));
        drop(held);
        replace_dir(&out, fill_with("two")).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    }

    #[test]
    fn all_or_nothing_writes_every_file_or_none() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.toml");
        fs::write(&a, "old").unwrap();
        let missing = tmp.path().join("no-such-folder/b.toml");
        let r = write_all_or_nothing(&[(a.clone(), b"new".to_vec()), (missing, b"x".to_vec())]);
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no temp left");
    }

    #[test]
    fn create_new_never_overwrites_and_undoes_what_it_made() {
        let tmp = tempfile::tempdir().unwrap();
        let taken = tmp.path().join("x/taken.md");
        fs::create_dir(tmp.path().join("x")).unwrap();
        fs::write(&taken, "mine").unwrap();
        let fresh = tmp.path().join("y/z/new.md");
        let r = create_new_files(&[
            (fresh.clone(), b"a".to_vec()),
            (taken.clone(), b"b".to_vec()),
        ]);
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&taken).unwrap(), "mine");
        assert!(!tmp.path().join("y").exists());
    }
}
