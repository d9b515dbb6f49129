//! The result of a universal resolution: what the lock stage writes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use wslock_graph::MemberKind;
use wslock_pep::{ExtraName, GroupName, MarkerTree, PackageName, RequiresPython, Version};

/// A universal resolution of a workspace: one set of packages valid on every platform and
/// Python version the workspace supports, with the environments each choice applies to.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The workspace's `requires-python`.
    pub requires_python: RequiresPython,
    /// The marker of every fork, in the order they were solved (highest Python lower bound
    /// first). Empty when the resolution did not fork. The markers partition the environments
    /// that `requires_python` allows (or the supported ones).
    pub fork_markers: Vec<MarkerTree>,
    /// `tool.uv.environments`, when set: the only environments the resolution covers (uv.lock's
    /// `supported-markers`). Empty means every environment.
    pub supported_markers: Vec<MarkerTree>,
    /// The settings it was resolved with (uv.lock records non-default modes in `[options]`).
    pub options: crate::ResolverOptions,
    /// Every package of the resolution, members included, sorted by name then version.
    pub packages: Vec<ResolvedPackage>,
}

/// One package at one version.
#[derive(Debug, Clone)]
pub struct ResolvedPackage {
    /// The normalised name.
    pub name: PackageName,
    /// The version chosen (a member's own version).
    pub version: Version,
    /// Where it comes from.
    pub source: ResolvedSource,
    /// The forks in which this version was chosen. Only meaningful (and only written by uv)
    /// when several versions of the name are in the resolution.
    pub fork_markers: Vec<MarkerTree>,
    /// Unconditional dependencies (those of the package itself), sorted by (name, version).
    pub dependencies: Vec<ResolvedDependency>,
    /// Dependencies that each extra adds, sorted by extra, then (name, version).
    pub optional_dependencies: BTreeMap<ExtraName, Vec<ResolvedDependency>>,
    /// Dependencies of each dependency group (members only), sorted by group, then (name,
    /// version).
    pub dependency_groups: BTreeMap<GroupName, Vec<ResolvedDependency>>,
    /// The distribution files of this version (registry packages only): its sdist and wheels.
    pub files: Vec<ResolvedFile>,
}

/// Where a resolved package comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedSource {
    /// A workspace member, locked as its kind at its absolute directory.
    Member {
        /// Virtual, editable or directory.
        kind: MemberKind,
        /// The member's directory, absolute.
        path: PathBuf,
    },
    /// A package index or find-links directory.
    Registry {
        /// The index URL, or the absolute path of a find-links directory.
        index: RegistryLocation,
    },
}

/// The location of a registry: a URL, or a local directory (find-links).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegistryLocation {
    /// An index URL (`https://...`).
    Url(String),
    /// A find-links directory, absolute.
    Path(PathBuf),
}

/// An edge of the resolution: a dependency on one version of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDependency {
    /// The package depended on.
    pub name: PackageName,
    /// The version it resolved to (in the environments `marker` allows).
    pub version: Version,
    /// Extras of it that are requested.
    pub extras: Vec<ExtraName>,
    /// Where the edge applies: the requirement's marker ANDed with the forks that chose this
    /// version, simplified against `requires-python`. `TRUE` when unconditional.
    pub marker: MarkerTree,
}

/// One distribution file of a registry package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// The file name (`attrs-23.1.0-py3-none-any.whl`).
    pub filename: String,
    /// A wheel or an sdist.
    pub kind: FileKind,
    /// Where the file is.
    pub location: FileLocation,
    /// The sha256 of the file, lowercase hex, when known.
    pub sha256: Option<String>,
    /// The size in bytes, when known.
    pub size: Option<u64>,
}

/// Whether a file is a built wheel or a source distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A `.whl`.
    Wheel,
    /// A `.tar.gz` or `.zip` source distribution.
    Sdist,
}

/// Where a distribution file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileLocation {
    /// A URL.
    Url(String),
    /// A local file, absolute.
    Path(PathBuf),
}
