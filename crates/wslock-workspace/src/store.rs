//! The one place discovery opens files, and the parsed manifests it keeps.
//!
//! Every file discovery reads goes through a [`ManifestStore`]: manifests, `uv.toml` files, and
//! the ignore files of the "only ignored files" check (`.ignore`, `.gitignore`,
//! `.git/info/exclude`, the user's global git configuration and excludes file). Each open is
//! logged *before* it is attempted, so [`crate::WorkspaceCache::files_read`] lists every file
//! discovery tried to open; that log is how tests prove that no file above a ceiling was opened.
//!
//! Parsed manifests and `uv.toml` files are kept by the path they were read from. A file that
//! parsed is read **at most once per store**, also when several threads ask for it at once: the
//! first caller reads it while the others wait for its result. A file that failed (unreadable,
//! or a parse error) is not remembered, so a later caller reads it again and a fixed file is
//! picked up. Ignore files are not kept: they are read each time the check needs them, which is
//! only for a glob match that has no `pyproject.toml`.

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::FxHashMap;

use crate::error::{DiscoveryError, ManifestError, ManifestErrorKind};
use crate::pyproject::{self, PyProject, ToolUv};

/// The largest file discovery reads: 10 MiB. Real manifests, `uv.toml` files and ignore files
/// are kilobytes; a larger one is a mistake (a generated file in the wrong place) or hostile,
/// and reading and parsing it would only delay the error.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

fn too_large(size: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the file is {size} bytes, larger than the {MAX_FILE_BYTES} bytes wslock reads"),
    )
}

/// Opens `path` for reading; on Unix with `O_NONBLOCK`, so that opening a FIFO does not wait
/// for a writer (the flag changes nothing for regular files).
fn open_without_blocking(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let nonblocking = rustix::fs::OFlags::NONBLOCK.bits();
        options.custom_flags(i32::try_from(nonblocking).unwrap_or(0));
    }
    options.open(path)
}

/// Refuses what is opened but is not a file to read: a directory (uv fails on a directory
/// called `pyproject.toml` with an I/O error, not as a missing manifest), a FIFO or a socket.
/// Character devices are read, up to the size limit.
fn refuse_special(file_type: &std::fs::FileType) -> io::Result<()> {
    if file_type.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "not a regular file",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() || file_type.is_socket() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
    }
    Ok(())
}

/// One parsed file per path: the slot is filled by the first successful read.
type Slots<T> = Mutex<FxHashMap<PathBuf, Arc<Mutex<Option<Arc<T>>>>>>;

/// Parsed manifests and `uv.toml` files by path, plus the order in which files were opened.
#[derive(Debug, Default)]
pub(crate) struct ManifestStore {
    manifests: Slots<PyProject>,
    uv_tomls: Slots<ToolUv>,
    reads: Mutex<Vec<PathBuf>>,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: slots only ever
/// receive complete values, so their contents stay consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ManifestStore {
    /// The parsed `pyproject.toml` at `path`, read on first use.
    pub fn manifest(&self, path: &Path) -> Result<Arc<PyProject>, DiscoveryError> {
        self.manifest_at(path, path)
    }

    /// The parsed `pyproject.toml` read from `read_from` and named `path` in errors.
    ///
    /// A member named by a glob such as `../peer` is opened through the glob's spelling
    /// (`<root>/../peer/pyproject.toml`, which the kernel resolves physically, through any
    /// symlink in the root's spelling) but reported under its normalised path. The parse is kept
    /// under `read_from`, the file that was actually opened.
    pub fn manifest_at(
        &self,
        read_from: &Path,
        path: &Path,
    ) -> Result<Arc<PyProject>, DiscoveryError> {
        cached(&self.manifests, read_from, || {
            let text = self.read_text(read_from, path)?;
            Ok(pyproject::parse(path, &text)?)
        })
    }

    /// The parsed manifest of a glob match, or `None` when the match has no `pyproject.toml`:
    /// the file does not exist, or the match is not a directory. Otherwise as
    /// [`ManifestStore::manifest_at`].
    pub fn member_manifest(
        &self,
        read_from: &Path,
        path: &Path,
    ) -> Result<Option<Arc<PyProject>>, DiscoveryError> {
        match self.manifest_at(read_from, path) {
            Ok(manifest) => Ok(Some(manifest)),
            Err(DiscoveryError::Io { source, .. })
                if matches!(
                    source.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// The parsed `uv.toml` at `path`, read on first use.
    pub fn uv_toml(&self, path: &Path) -> Result<Arc<ToolUv>, DiscoveryError> {
        cached(&self.uv_tomls, path, || {
            let text = self.read_text(path, path)?;
            Ok(pyproject::parse_uv_toml(path, &text)?)
        })
    }

    /// Reads any file discovery needs, logging it first. Used directly for ignore files and
    /// git configuration, whose callers decide what an error means.
    ///
    /// A file larger than [`MAX_FILE_BYTES`] is refused before it is read (`InvalidData`), and
    /// at most that many bytes are ever read, so a file that grows while it is read, or a
    /// symlink to an endless device, cannot make discovery exhaust memory. Files are opened
    /// without a `stat` first, so a directory (`IsADirectory`), a FIFO or a socket
    /// (`InvalidInput`) is refused once open; a FIFO is opened without waiting for a writer.
    pub fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        lock(&self.reads).push(path.to_path_buf());
        let file = open_without_blocking(path)?;
        let metadata = file.metadata()?;
        refuse_special(&metadata.file_type())?;
        let size = metadata.len();
        if size > MAX_FILE_BYTES {
            return Err(too_large(size));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        Ok(bytes)
    }

    /// Every file opened (or attempted) so far, in order; a file read twice appears twice.
    pub fn reads(&self) -> Vec<PathBuf> {
        lock(&self.reads).clone()
    }

    /// Reads `read_from` as UTF-8 text, naming `path` in errors.
    fn read_text(&self, read_from: &Path, path: &Path) -> Result<String, DiscoveryError> {
        let bytes = self
            .read_bytes(read_from)
            .map_err(|source| DiscoveryError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        String::from_utf8(bytes).map_err(|error| {
            DiscoveryError::Manifest(Box::new(ManifestError {
                path: path.to_path_buf(),
                key: None,
                line_col: None,
                span: None,
                message: format!(
                    "the file is not valid UTF-8 (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                ),
                kind: ManifestErrorKind::Toml,
            }))
        })
    }
}

/// The value in `slots` for `path`, loading it on first use. The slot's own lock is held while
/// loading, so concurrent callers for one path wait for a single read; callers for other paths
/// are not held up (the map's lock is released first).
fn cached<T>(
    slots: &Slots<T>,
    path: &Path,
    load: impl FnOnce() -> Result<T, DiscoveryError>,
) -> Result<Arc<T>, DiscoveryError> {
    let slot = Arc::clone(lock(slots).entry(path.to_path_buf()).or_default());
    let mut value = lock(&slot);
    if let Some(hit) = value.as_ref() {
        return Ok(Arc::clone(hit));
    }
    let loaded = Arc::new(load()?);
    *value = Some(Arc::clone(&loaded));
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_callers_read_a_file_once() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("pyproject.toml");
        std::fs::write(&path, "[project]\nname = \"a\"\nversion = \"1\"\n").unwrap();
        let store = ManifestStore::default();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| store.manifest(&path).unwrap());
            }
        });
        assert_eq!(store.reads(), [path]);
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_unread() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("pyproject.toml");
        let file = std::fs::File::create(&path).unwrap();
        // Sparse: the size is what is checked, before anything is read.
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let store = ManifestStore::default();
        let error = store.manifest(&path).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("pyproject.toml"), "{text}");
        assert!(text.contains("larger than"), "{text}");
        file.set_len(MAX_FILE_BYTES).unwrap();
        assert!(store.read_bytes(&path).is_ok());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_file_is_cut_off_at_the_limit() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("pyproject.toml");
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let error = ManifestStore::default().read_bytes(&path).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn failures_are_read_again() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("pyproject.toml");
        std::fs::write(&path, "not [ toml").unwrap();
        let store = ManifestStore::default();
        assert!(store.manifest(&path).is_err());
        std::fs::write(&path, "").unwrap();
        assert!(store.manifest(&path).is_ok());
        assert!(store.manifest(&path).is_ok());
        assert_eq!(store.reads().len(), 2);
    }
}
