//! What PubGrub resolves: packages, and proxies for extras and dependency groups.

use std::fmt;

use wslock_pep::{ExtraName, GroupName, PackageName};

/// A PubGrub package.
///
/// Extras and groups are proxies of their own so that `pkg[extra]` is pinned to the same version
/// as `pkg` (the proxy depends on the base at exactly its own version, uv's technique) and so
/// that an extra's dependencies are only fetched for versions the base allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Pkg {
    /// The workspace: depends on every selected member, with all extras and groups.
    Root,
    /// A package: a workspace member or a registry package.
    Package(PackageName),
    /// `name[extra]`.
    Extra(PackageName, ExtraName),
    /// A dependency group of a member.
    Group(PackageName, GroupName),
    /// The members at positions `start..end` of the name-ordered member list, pinned on the
    /// root's behalf. A root that depended on thousands of members directly would make
    /// PubGrub's unit propagation quadratic (it keeps the packages still to propagate in a
    /// list it scans linearly, and the root's propagation queues every member at once), so
    /// large workspaces are pinned through a tree of these proxies, a few dozen at each level.
    Members(u32, u32),
}

impl Pkg {
    /// The package a proxy stands for (`None` for the root).
    pub fn name(&self) -> Option<&PackageName> {
        match self {
            Self::Root | Self::Members(..) => None,
            Self::Package(name) | Self::Extra(name, _) | Self::Group(name, _) => Some(name),
        }
    }
}

impl fmt::Display for Pkg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Root => f.write_str("the workspace"),
            Self::Package(name) => write!(f, "{name}"),
            Self::Extra(name, extra) => write!(f, "{name}[{extra}]"),
            Self::Group(name, group) => write!(f, "{name}:{group}"),
            Self::Members(start, end) => write!(f, "the workspace members {start} to {end}"),
        }
    }
}
