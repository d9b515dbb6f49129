//! Reading and parsing manifests, each file at most once per store.
//!
//! Every file discovery reads goes through a [`ManifestStore`]. Sharing one store (through
//! [`crate::WorkspaceCache`]) is what makes "discover from the root, then from each member" read
//! every file once; the log of reads is how tests prove that no file above a ceiling was opened.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::error::{DiscoveryError, ManifestError, ManifestErrorKind};
use crate::pyproject::{self, PyProject, ToolUv};

/// Parsed manifests and `uv.toml` files by path, plus the order in which files were read.
#[derive(Debug, Default)]
pub(crate) struct ManifestStore {
    manifests: Mutex<HashMap<PathBuf, Arc<PyProject>>>,
    uv_tomls: Mutex<HashMap<PathBuf, Arc<ToolUv>>>,
    reads: Mutex<Vec<PathBuf>>,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the maps only ever
/// receive complete entries, so their contents stay consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ManifestStore {
    /// The parsed `pyproject.toml` at `path`, read on first use. Failures are not remembered,
    /// so a fixed file is picked up by the next discovery.
    pub fn manifest(&self, path: &Path) -> Result<Arc<PyProject>, DiscoveryError> {
        if let Some(hit) = lock(&self.manifests).get(path) {
            return Ok(Arc::clone(hit));
        }
        let text = self.read(path)?;
        let parsed = Arc::new(pyproject::parse(path, &text)?);
        lock(&self.manifests).insert(path.to_path_buf(), Arc::clone(&parsed));
        Ok(parsed)
    }

    /// The parsed `uv.toml` at `path`, read on first use.
    pub fn uv_toml(&self, path: &Path) -> Result<Arc<ToolUv>, DiscoveryError> {
        if let Some(hit) = lock(&self.uv_tomls).get(path) {
            return Ok(Arc::clone(hit));
        }
        let text = self.read(path)?;
        let parsed = Arc::new(pyproject::parse_uv_toml(path, &text)?);
        lock(&self.uv_tomls).insert(path.to_path_buf(), Arc::clone(&parsed));
        Ok(parsed)
    }

    /// Every file read so far, in order (a file read twice appears twice).
    pub fn reads(&self) -> Vec<PathBuf> {
        lock(&self.reads).clone()
    }

    fn read(&self, path: &Path) -> Result<String, DiscoveryError> {
        lock(&self.reads).push(path.to_path_buf());
        let bytes = std::fs::read(path).map_err(|source| DiscoveryError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        String::from_utf8(bytes).map_err(|error| {
            DiscoveryError::Manifest(Box::new(ManifestError {
                path: path.to_path_buf(),
                key: None,
                line_col: None,
                message: format!(
                    "the file is not valid UTF-8 (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                ),
                kind: ManifestErrorKind::Toml,
            }))
        })
    }
}
