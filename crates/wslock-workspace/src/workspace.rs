//! The result of discovery: a root and its members.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use wslock_pep::{PackageName, Version};

use crate::config::Configuration;
use crate::pyproject::PyProject;

/// What kind of manifest the root is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RootKind {
    /// `[tool.uv.workspace]` and `[project]`: the root is also a member.
    Explicit,
    /// `[tool.uv.workspace]` without `[project]` (uv's "non-project root"), or a manifest with
    /// neither table, which uv locks as a workspace without members.
    Virtual,
    /// A project that no workspace claims: a workspace of one.
    Project,
}

impl fmt::Display for RootKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Explicit => "explicit",
            Self::Virtual => "virtual",
            Self::Project => "project",
        })
    }
}

/// One project of the workspace.
#[derive(Debug, Clone)]
pub struct Member {
    pub(crate) name: PackageName,
    pub(crate) path: PathBuf,
    pub(crate) manifest_path: PathBuf,
    pub(crate) manifest: Arc<PyProject>,
    pub(crate) intermediate_manifest: Option<PathBuf>,
}

impl Member {
    /// The PEP 503-normalised name.
    pub fn name(&self) -> &PackageName {
        &self.name
    }

    /// The static version, or `None` when it is dynamic.
    pub fn version(&self) -> Option<&Version> {
        self.manifest.project.as_ref()?.version.as_ref()
    }

    /// The member's directory: absolute, lexically normalised, symlink spelling kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The member's `pyproject.toml`.
    pub fn manifest_path(&self) -> &Path {
        &self.manifest_path
    }

    /// The parsed manifest.
    pub fn manifest(&self) -> &PyProject {
        &self.manifest
    }

    /// A `pyproject.toml` between this member and the root, if there is one.
    ///
    /// Upward discovery from such a member stops at that manifest (R1.4), so uv builds the
    /// member's metadata as a standalone project: its `{ workspace = true }` sources fail with
    /// "not a workspace member" (R1.5, upstream issue 19916). The merge stage reproduces that
    /// and uses this to explain it.
    pub fn intermediate_manifest(&self) -> Option<&Path> {
        self.intermediate_manifest.as_deref()
    }
}

/// A discovered workspace: the root, its kind, its members in name order, and its settings.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) kind: RootKind,
    pub(crate) root_manifest_path: PathBuf,
    pub(crate) root_manifest: Arc<PyProject>,
    pub(crate) members: Vec<Member>,
    pub(crate) required_members: BTreeMap<PackageName, Option<bool>>,
    pub(crate) configuration: Option<Configuration>,
}

impl Workspace {
    /// The root directory (where the lock goes).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What kind of root it is.
    pub fn kind(&self) -> RootKind {
        self.kind
    }

    /// The root's `pyproject.toml`.
    pub fn root_manifest_path(&self) -> &Path {
        &self.root_manifest_path
    }

    /// The root's parsed manifest.
    pub fn root_manifest(&self) -> &PyProject {
        &self.root_manifest
    }

    /// The members, sorted by normalised name (the root first only if its name sorts first).
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// The member with this name.
    pub fn member(&self, name: &PackageName) -> Option<&Member> {
        self.members
            .binary_search_by(|member| member.name.cmp(name))
            .ok()
            .map(|position| &self.members[position])
    }

    /// The *required* members of R7.1, by name, each with the `editable` value requested for it
    /// (`None` when no entry sets one).
    ///
    /// A name is required when a `{ workspace = true }` entry names it in the root's
    /// `tool.uv.sources` or in a member's (except for the member's own name), whether or not
    /// anything depends on it. A required member is built as a package unless
    /// `tool.uv.package = false` (R7.2), and locked as a plain directory when the requested
    /// value is `editable = false` (R7.3). Conflicting explicit values are a discovery error
    /// ([`crate::DiscoveryError::EditableConflict`]), so there is at most one value per name.
    /// A name may be listed that is not a member; lowering reports that.
    pub fn required_members(&self) -> &BTreeMap<PackageName, Option<bool>> {
        &self.required_members
    }

    /// The uv settings that apply (from `uv.toml` or a `[tool.uv]` table found by the bounded
    /// configuration search), if any.
    pub fn configuration(&self) -> Option<&Configuration> {
        self.configuration.as_ref()
    }
}
