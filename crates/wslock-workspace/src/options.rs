//! How a caller tunes discovery: a builder, so new options never break callers.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::ceiling::CeilingSettings;

/// Which members discovery collects (uv's `MemberDiscovery`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum MemberMode {
    /// Every member the root's globs name.
    #[default]
    All,
    /// No members besides a root project: for callers that need only the root.
    None,
    /// Every member except those at these directories (absolute; compared after lexical
    /// normalisation), so a tool can ignore a project it is in the middle of creating.
    AllExcept(BTreeSet<PathBuf>),
}

/// Whether the start directory's manifest must be a project (`[project]` table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ProjectRequirement {
    /// A virtual root or tool-only manifest is acceptable.
    #[default]
    Optional,
    /// Fail unless the nearest manifest has `[project]` (an installer acting on a project).
    Required,
}

/// Options of one discovery. Equal options give equal results, so they are part of the key of
/// [`crate::WorkspaceCache`].
///
/// ```
/// use wslock_workspace::{CeilingSettings, DiscoveryOptions, MemberMode};
///
/// let options = DiscoveryOptions::new()
///     .ceilings(CeilingSettings::new().with_root("/srv/repos"))
///     .members(MemberMode::All)
///     .no_workspace(false);
/// assert!(!options.is_no_workspace());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DiscoveryOptions {
    pub(crate) ceilings: CeilingSettings,
    pub(crate) stop_discovery_at: Option<PathBuf>,
    pub(crate) members: MemberMode,
    pub(crate) project: ProjectRequirement,
    pub(crate) no_workspace: bool,
}

impl DiscoveryOptions {
    /// Defaults: no ceilings but `.wslock-root` markers, all members, project optional.
    /// Call [`Self::ceilings`] with [`CeilingSettings::from_env`] to honour `WSLOCK_ROOTS` and
    /// the home directory as the CLI does.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where ceilings come from.
    pub fn ceilings(mut self, ceilings: CeilingSettings) -> Self {
        self.ceilings = ceilings;
        self
    }

    /// A hard stop on top of the ceilings: upward searches read this directory (if the start
    /// is below it) and nothing above it. uv uses the same for a Git dependency's checkout.
    pub fn stop_discovery_at(mut self, dir: impl Into<PathBuf>) -> Self {
        self.stop_discovery_at = Some(dir.into());
        self
    }

    /// Which members to collect.
    pub fn members(mut self, mode: MemberMode) -> Self {
        self.members = mode;
        self
    }

    /// Whether the start manifest must be a project.
    pub fn project(mut self, requirement: ProjectRequirement) -> Self {
        self.project = requirement;
        self
    }

    /// Treat the start project as a workspace of its own: no upward search, no members. For
    /// tools that unpack third-party projects inside another project's tree.
    pub fn no_workspace(mut self, no_workspace: bool) -> Self {
        self.no_workspace = no_workspace;
        self
    }

    /// Whether [`Self::no_workspace`] is set.
    pub fn is_no_workspace(&self) -> bool {
        self.no_workspace
    }
}
