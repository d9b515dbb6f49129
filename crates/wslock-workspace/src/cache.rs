//! [`WorkspaceCache`]: discovery memoised within one process.
//!
//! Assumptions about the key, as uv documents for its own cache (workspace-semantics §8):
//! - Manifests are keyed by their absolute, lexically normalised path. Two spellings of one
//!   file (through a symlink) are two entries, matching how members are recorded (R2.6).
//! - Workspaces are keyed by root directory *and* the full [`DiscoveryOptions`], because the
//!   member mode and `--no-workspace` change the member set and the ceilings change where the
//!   configuration search stops.
//! - Nothing is invalidated: a process that edits manifests must use a fresh cache.
//! - Failures are not cached, so a fixed file is read again; only successes are shared.
//!
//! Discovery from any start directory still walks upward (with `stat` only) and asks the store
//! for manifests, so starting in a member meets the root and gets the same shared workspace
//! without reading any manifest a second time (see `store.rs` for exactly what is read
//! once).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::collect::collect_members;
use crate::config::find_configuration;
use crate::discovery::{choose_root, resolve_start, scope_for};
use crate::error::DiscoveryError;
use crate::options::DiscoveryOptions;
use crate::store::ManifestStore;
use crate::warning::Warning;
use crate::workspace::Workspace;

/// The outcome of a successful discovery.
#[derive(Debug, Clone)]
pub struct Discovered {
    workspace: Arc<Workspace>,
    warnings: Vec<Warning>,
}

impl Discovered {
    /// The workspace, shared with every other discovery of the same root through one cache.
    pub fn workspace(&self) -> &Arc<Workspace> {
        &self.workspace
    }

    /// Warnings to show the user once.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

type WorkspaceKey = (PathBuf, DiscoveryOptions);

/// Memoises manifests and workspaces across discoveries in one process.
///
/// ```
/// use wslock_workspace::{CeilingSettings, DiscoveryOptions, WorkspaceCache};
/// use std::path::Path;
///
/// let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/workspaces");
/// let repo = fixtures.join("albatross-virtual-workspace");
/// let cache = WorkspaceCache::new();
/// let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&fixtures));
/// let from_root = cache.discover(&repo, &options)?;
/// let from_member = cache.discover(&repo.join("packages/seeds/src"), &options)?;
/// // One workspace, discovered once: the second call reuses the first's manifests.
/// assert!(std::sync::Arc::ptr_eq(from_root.workspace(), from_member.workspace()));
/// # Ok::<(), wslock_workspace::DiscoveryError>(())
/// ```
#[derive(Debug, Default)]
pub struct WorkspaceCache {
    store: ManifestStore,
    workspaces: Mutex<HashMap<WorkspaceKey, Arc<Workspace>>>,
}

impl WorkspaceCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Discovers the workspace that `start` (a directory, or a `pyproject.toml` file) belongs
    /// to. Relative paths are taken against the current directory.
    pub fn discover(
        &self,
        start: &Path,
        options: &DiscoveryOptions,
    ) -> Result<Discovered, DiscoveryError> {
        let cwd = std::env::current_dir().map_err(|source| DiscoveryError::Io {
            path: PathBuf::from("."),
            source,
        })?;
        let start = resolve_start(start, &cwd)?;
        let scope = scope_for(&start, &cwd, options);
        let root = choose_root(&start, &scope, options, &self.store)?;
        let mut warnings = root.warnings.clone();
        let key = (root.dir.clone(), options.clone());
        let cached = self
            .workspaces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        let workspace = match cached {
            Some(workspace) => workspace,
            None => {
                // Everything read from here on (ignore files of member expansion, the
                // configuration search) is bounded by the root's own nearest ceiling, whatever
                // directory discovery started from.
                let root_scope = scope_for(&root.dir, &cwd, options);
                let collected = collect_members(&root, options, &root_scope, &self.store)?;
                warnings.extend(collected.warnings);
                let configuration =
                    find_configuration(&root.dir, &root.manifest, &root_scope, &self.store)?;
                let workspace = Arc::new(Workspace {
                    root: root.dir,
                    kind: root.kind,
                    root_manifest_path: root.manifest_path,
                    root_manifest: root.manifest,
                    members: collected.members,
                    required_members: collected.required,
                    configuration,
                });
                self.workspaces
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(key)
                    .or_insert(workspace)
                    .clone()
            }
        };
        Ok(Discovered {
            workspace,
            warnings,
        })
    }

    /// Every file discovery opened (or tried to open) through this cache so far, in order:
    /// manifests, `uv.toml` files, and the ignore files and git configuration of member
    /// expansion. A file read twice appears twice. Tests use it to prove that nothing above a
    /// ceiling was opened.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.store.reads()
    }
}

/// Discovers the workspace that `start` belongs to, with a fresh cache.
///
/// ```
/// use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};
/// use std::path::Path;
///
/// let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/workspaces");
/// let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&fixtures));
/// let found = discover(&fixtures.join("albatross-virtual-workspace/packages/seeds"), &options)?;
/// let names: Vec<&str> = found.workspace().members().iter().map(|m| m.name().as_ref()).collect();
/// assert_eq!(names, ["albatross", "bird-feeder", "seeds"]);
/// # Ok::<(), wslock_workspace::DiscoveryError>(())
/// ```
pub fn discover(start: &Path, options: &DiscoveryOptions) -> Result<Discovered, DiscoveryError> {
    WorkspaceCache::new().discover(start, options)
}
