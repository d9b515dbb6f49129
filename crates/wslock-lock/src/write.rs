//! Writing a lock file so that readers see either the old file or the whole new one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::LockError;

/// Writes `contents` to `path` atomically: into a temporary file in the same directory, flushed
/// to disk, then renamed over `path`. On any failure the temporary file is removed and an
/// existing `path` is left untouched.
///
/// The temporary file is in the same directory because a rename is only atomic within one file
/// system. On Unix the directory is synced afterwards so the rename itself survives a crash.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), LockError> {
    write_with(path, contents, &mut |file, contents| {
        file.write_all(contents)
    })
}

/// [`write_atomically`] with the step that fills the temporary file injected, so tests can make
/// it fail half-way.
pub(crate) fn write_with(
    path: &Path,
    contents: &[u8],
    fill: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), LockError> {
    let error = |source: io::Error| LockError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp_path, mut file) = create_temp(&dir, path).map_err(error)?;
    let written = fill(&mut file, contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&temp_path, path)
        });
    if let Err(source) = written {
        // Best effort: the temporary file is ours and useless now.
        let _ = fs::remove_file(&temp_path);
        return Err(error(source));
    }
    sync_dir(&dir).map_err(error)
}

/// `.<name>.<pid>.<n>.tmp` next to the target, created exclusively so two writers never share.
fn create_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lock".to_string());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}.{n}.tmp", process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_half_way_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("uv.lock");
        fs::write(&target, "old\n").unwrap();
        let result = write_with(&target, b"new contents\n", &mut |file, contents| {
            file.write_all(&contents[..4])?;
            Err(io::Error::other("disk full"))
        });
        let error = result.unwrap_err();
        assert!(error.to_string().contains("disk full"), "{error}");
        assert!(error.to_string().contains("uv.lock"), "{error}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["uv.lock"]);
    }

    #[test]
    fn a_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("uv.lock");
        fs::write(&target, "old\n").unwrap();
        write_atomically(&target, b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        write_atomically(&dir.path().join("fresh.lock"), b"x").unwrap();
        assert_eq!(fs::read(dir.path().join("fresh.lock")).unwrap(), b"x");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_missing_directory_is_an_error_that_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("absent/uv.lock");
        let error = write_atomically(&target, b"x").unwrap_err();
        assert!(error.to_string().contains("absent/uv.lock"), "{error}");
    }
}
