//! `workspace = "<path>"` sources: a member of another workspace (workspace-semantics R4.5).
//!
//! uv discovers the workspace at the path, requires the path to be exactly its root (so that
//! `workspace = "../other/libs/x"` is not read as "whatever workspace `x` is in"), and takes the
//! package as a path dependency on that workspace's member. The other workspace's members do
//! not become members here, and an entry nothing requires is never looked at
//! (upstream `lock_unused_external_workspace_source`).
//!
//! This crate reads no files, so the caller hands in the discovery ([`DiscoverWorkspace`]),
//! normally [`wslock_workspace::WorkspaceCache::discover`] with the ceilings of the main
//! discovery: the other workspace is bounded by the same ceilings.

use std::path::Path;
use std::sync::Arc;

use wslock_pep::PackageName;
use wslock_workspace::paths::absolute_from;
use wslock_workspace::{DiscoveryError, Workspace};

use crate::error::GraphError;
use crate::requirement::RequirementSource;

/// Discovers the workspace a directory belongs to, for `workspace = "<path>"` sources.
///
/// It is called with the absolute, lexically normalised path of each such source that a
/// requirement uses, possibly several times for one path: pass a closure over a
/// [`wslock_workspace::WorkspaceCache`] so each workspace is read once.
pub type DiscoverWorkspace<'a> = dyn Fn(&Path) -> Result<Arc<Workspace>, DiscoveryError> + 'a;

/// One `workspace = "<path>"` entry being lowered.
pub(crate) struct ExternalSource<'a> {
    /// The package required.
    pub package: &'a PackageName,
    /// The path as written.
    pub written: &'a Path,
    /// The directory it is relative to: that of the file that declared the entry (R4.4).
    pub base: &'a Path,
    /// `editable`, if given.
    pub editable: Option<bool>,
    /// The manifest that declared the entry.
    pub manifest: &'a Path,
}

impl ExternalSource<'_> {
    /// The path dependency on the other workspace's member: editable unless `editable = false`
    /// or the member is not a package. uv 0.13.8 treats an external member as a package unless
    /// it sets `tool.uv.package = false`, whatever its `[build-system]` (observed: a member
    /// without one is locked `editable`, or `directory` with `editable = false`).
    pub fn lower(
        &self,
        discover: Option<&DiscoverWorkspace<'_>>,
    ) -> Result<RequirementSource, GraphError> {
        let Some(discover) = discover else {
            return Err(GraphError::ExternalWorkspaceSource {
                manifest: self.manifest.to_path_buf(),
                package: self.package.clone(),
                path: self.written.to_path_buf(),
            });
        };
        let path = absolute_from(self.written, self.base);
        let workspace =
            discover(&path).map_err(|error| GraphError::ExternalWorkspaceDiscovery {
                manifest: self.manifest.to_path_buf(),
                package: self.package.clone(),
                path: path.clone(),
                message: error.to_string(),
            })?;
        if workspace.root() != path {
            return Err(GraphError::WorkspaceSourceNotRoot {
                manifest: self.manifest.to_path_buf(),
                package: self.package.clone(),
                path,
                root: workspace.root().to_path_buf(),
            });
        }
        let Some(member) = workspace.member(self.package) else {
            return Err(GraphError::NotAnExternalMember {
                manifest: self.manifest.to_path_buf(),
                package: self.package.clone(),
                root: workspace.root().to_path_buf(),
            });
        };
        let is_package = member
            .manifest()
            .tool_uv
            .as_ref()
            .and_then(|uv| uv.package)
            .unwrap_or(true);
        Ok(RequirementSource::Path {
            path: member.path().to_path_buf(),
            editable: Some(is_package && self.editable != Some(false)),
            package: Some(is_package),
        })
    }
}
