//! Finding the uv settings that apply to a workspace (`uv.toml` or a `[tool.uv]` table).
//!
//! uv searches upward from the workspace root for the first `uv.toml`, or `pyproject.toml` with
//! a `[tool.uv]` table, and lets a standalone project silently inherit the settings of any
//! project around it (workspace-semantics R1.10). wslock departs (Part A.6): the search starts
//! at the root, stops at the first manifest that belongs to another project or workspace, and
//! is bounded by the same ceilings as the workspace search.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ceiling::{AboveManifest, SearchScope};
use crate::error::DiscoveryError;
use crate::pyproject::{PyProject, ToolUv};
use crate::store::ManifestStore;

/// The file that supplies a workspace's uv settings.
#[derive(Debug, Clone)]
pub struct Configuration {
    /// The `uv.toml` or `pyproject.toml` the settings come from. Relative paths in them resolve
    /// against its directory.
    pub path: PathBuf,
    /// The settings.
    pub settings: Arc<ToolUv>,
}

/// Searches for the configuration of the workspace rooted at `root`.
///
/// In each directory from the root upward, within the scope:
/// - at the root, a `uv.toml` wins over the root manifest's `[tool.uv]` table (uv's rule);
/// - above the root, the directory's `pyproject.toml` is looked at **first**: if it has
///   `[project]` or `[tool.uv.workspace]` it belongs to another project, and the search ends
///   without reading anything of that directory (not even a `uv.toml` beside it); otherwise a
///   `uv.toml` there wins over the manifest's `[tool.uv]`, as at the root.
pub(crate) fn find_configuration(
    root: &Path,
    root_manifest: &Arc<PyProject>,
    scope: &SearchScope,
    store: &ManifestStore,
) -> Result<Option<Configuration>, DiscoveryError> {
    for dir in root.ancestors() {
        let manifest_path = dir.join("pyproject.toml");
        let manifest = if dir == root {
            Some(Arc::clone(root_manifest))
        } else {
            if scope.above_manifest(dir) != AboveManifest::Search {
                return Ok(None);
            }
            if manifest_path.is_file() {
                let manifest = store.manifest(&manifest_path)?;
                if manifest.project.is_some() || manifest.workspace().is_some() {
                    // Another project's settings never leak into this workspace (Part A.6).
                    return Ok(None);
                }
                Some(manifest)
            } else {
                None
            }
        };
        let uv_toml = dir.join("uv.toml");
        if uv_toml.is_file() {
            let settings = store.uv_toml(&uv_toml)?;
            return Ok(Some(Configuration {
                path: uv_toml,
                settings,
            }));
        }
        if let Some(settings) = manifest
            .as_ref()
            .and_then(|manifest| manifest.tool_uv.as_ref())
        {
            return Ok(Some(Configuration {
                path: manifest_path,
                settings: Arc::clone(settings),
            }));
        }
    }
    Ok(None)
}
