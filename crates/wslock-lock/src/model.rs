//! The plan model: uv.lock revision 5, as data.
//!
//! Field names follow the keys of `uv.lock`. Paths are strings, already relative to the workspace
//! root and written with forward slashes, so the model renders without knowing the root.

use std::collections::BTreeMap;

use wslock_pep::{ExtraName, GroupName, MarkerTree, PackageName, RequiresPython, Version};

use crate::requirement::LockRequirement;

/// The lock schema version uv 0.13.8 writes; a lock with a higher one is refused.
pub const LOCK_VERSION: u32 = 1;
/// The lock revision uv 0.13.8 writes (default groups and group `requires-python`).
pub const LOCK_REVISION: u32 = 5;

/// A lock plan: everything `uv.lock` records about a workspace's universal resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockPlan {
    /// `version`: the schema version, [`LOCK_VERSION`].
    pub version: u32,
    /// `revision`: [`LOCK_REVISION`] for plans we build; whatever a parsed file said (0 when
    /// absent).
    pub revision: u32,
    /// `requires-python`: the workspace's Python range.
    pub requires_python: RequiresPython,
    /// `resolution-markers`: one marker per fork, in the order the forks were solved. Empty
    /// when the resolution did not fork.
    pub resolution_markers: Vec<MarkerTree>,
    /// `supported-markers`: the workspace's `tool.uv.environments`, when set.
    pub supported_markers: Vec<MarkerTree>,
    /// `[options]`: resolver settings that differ from uv's defaults.
    pub options: LockOptions,
    /// `[manifest]`: the inputs uv compares to decide whether the lock is up to date.
    pub manifest: Manifest,
    /// `[[package]]`: members and external packages, sorted by name, version and source.
    pub packages: Vec<LockPackage>,
}

/// `[options]`: the resolver settings a lock was made with, when not uv's defaults. uv checks
/// them before accepting a lock as up to date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockOptions {
    /// `resolution-mode` (`lowest`, `lowest-direct`); `None` for the default, highest.
    pub resolution_mode: Option<String>,
    /// `prerelease-mode` (`allow`, `disallow`, `if-necessary`, `explicit`); `None` for the
    /// default, if-necessary-or-explicit.
    pub prerelease_mode: Option<String>,
}

impl LockOptions {
    /// Whether nothing differs from the defaults (the table is then omitted).
    pub fn is_empty(&self) -> bool {
        self.resolution_mode.is_none() && self.prerelease_mode.is_none()
    }
}

/// `[manifest]`: the workspace-level inputs of the lock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// `members`: every member's normalised name, sorted. Empty when the root project is the
    /// only member (uv omits the key then) and for a virtual root without members.
    pub members: Vec<PackageName>,
    /// `constraints`: root `tool.uv.constraint-dependencies`, sorted.
    pub constraints: Vec<LockRequirement>,
    /// `overrides`: root `tool.uv.override-dependencies`, sorted.
    pub overrides: Vec<LockRequirement>,
    /// `[manifest.dependency-groups]`: a virtual root's own groups, each sorted; empty groups
    /// are kept.
    pub dependency_groups: BTreeMap<GroupName, Vec<LockRequirement>>,
    /// `[manifest.group-requires-python]`: a virtual root's groups that (directly or through
    /// `include-group`) set `tool.uv.dependency-groups.<g>.requires-python`.
    pub group_requires_python: BTreeMap<GroupName, String>,
}

/// One `[[package]]`: a package at one version from one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockPackage {
    /// `name`, normalised.
    pub name: PackageName,
    /// `version`; `None` only for a source tree whose version is dynamic.
    pub version: Option<Version>,
    /// `source`.
    pub source: PackageSource,
    /// `resolution-markers`: the forks that chose this version. Only written when the plan has
    /// several packages of this name.
    pub resolution_markers: Vec<MarkerTree>,
    /// `dependencies`, sorted.
    pub dependencies: Vec<LockDependency>,
    /// `[package.optional-dependencies]`: what each extra adds, each sorted. Extras that add
    /// nothing are absent (they still appear in `metadata.provides-extras`).
    pub optional_dependencies: BTreeMap<ExtraName, Vec<LockDependency>>,
    /// `[package.dev-dependencies]`: each dependency group's packages (members only), sorted.
    pub dev_dependencies: BTreeMap<GroupName, Vec<LockDependency>>,
    /// `[package.group-requires-python]`: groups of a member with a `requires-python` of their
    /// own or of a group they include, as uv writes it (every specifier, sorted, joined by `,`).
    pub group_requires_python: BTreeMap<GroupName, String>,
    /// `sdist`.
    pub sdist: Option<Artifact>,
    /// `wheels`.
    pub wheels: Vec<Artifact>,
    /// `[package.metadata]`: a member's (or local source tree's) declared requirements.
    pub metadata: PackageMetadata,
}

impl LockPackage {
    /// The `name==version` text used in messages.
    pub fn display_id(&self) -> String {
        match &self.version {
            Some(version) => format!("{}=={}", self.name, version),
            None => self.name.to_string(),
        }
    }

    /// Whether this package is a workspace member or another local source tree (uv checks
    /// these against their `pyproject.toml`).
    pub fn is_source_tree(&self) -> bool {
        matches!(
            self.source,
            PackageSource::Directory(_) | PackageSource::Editable(_) | PackageSource::Virtual(_)
        )
    }
}

/// `[package.metadata]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageMetadata {
    /// `requires-dist`: `dependencies` and every extra's requirements (with `extra == 'x'`
    /// added to their marker), sources applied, sorted and deduplicated.
    pub requires_dist: Vec<LockRequirement>,
    /// `provides-extras`: the extras in document order.
    pub provides_extras: Vec<ExtraName>,
    /// `[package.metadata.requires-dev]`: every dependency group's requirements, sorted; empty
    /// groups are kept.
    pub requires_dev: BTreeMap<GroupName, Vec<LockRequirement>>,
}

impl PackageMetadata {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.requires_dist.is_empty()
            && self.provides_extras.is_empty()
            && self.requires_dev.is_empty()
    }
}

/// A package's `source`. The variant order is uv's, which sorts packages of one name and version
/// by source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PackageSource {
    /// `{ registry = "..." }`: an index URL or a find-links directory.
    Registry(RegistrySource),
    /// `{ git = "https://...?rev=...#<commit>" }`.
    Git(String),
    /// `{ url = "...", subdirectory = "..." }`: a remote archive.
    Url {
        /// The archive URL.
        url: String,
        /// The project's directory inside the archive.
        subdirectory: Option<String>,
    },
    /// `{ path = "..." }`: a local archive (wheel or sdist).
    Path(String),
    /// `{ directory = "..." }`: a local source tree installed as a regular package.
    Directory(String),
    /// `{ editable = "..." }`: a local source tree installed in editable mode.
    Editable(String),
    /// `{ virtual = "..." }`: a local source tree that is not installed, only its dependencies.
    Virtual(String),
}

impl PackageSource {
    /// The key/value pairs of the inline table, in uv's order.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        match self {
            Self::Registry(RegistrySource::Url(url)) => vec![("registry", url)],
            Self::Registry(RegistrySource::Path(path)) => vec![("registry", path)],
            Self::Git(url) => vec![("git", url)],
            Self::Url { url, subdirectory } => {
                let mut pairs = vec![("url", url.as_str())];
                if let Some(subdirectory) = subdirectory {
                    pairs.push(("subdirectory", subdirectory));
                }
                pairs
            }
            Self::Path(path) => vec![("path", path)],
            Self::Directory(path) => vec![("directory", path)],
            Self::Editable(path) => vec![("editable", path)],
            Self::Virtual(path) => vec![("virtual", path)],
        }
    }

    /// Whether it is a package index or find-links directory.
    pub fn is_registry(&self) -> bool {
        matches!(self, Self::Registry(_))
    }
}

impl std::fmt::Display for PackageSource {
    /// `registry+../links`, `editable+packages/a`: compact, for messages and diffs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pairs = self.pairs();
        let parts: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}+{value}"))
            .collect();
        f.write_str(&parts.join(" "))
    }
}

/// Where a registry package comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegistrySource {
    /// An index URL.
    Url(String),
    /// A find-links directory, relative to the root.
    Path(String),
}

/// One dependency edge of a package, an extra or a group.
///
/// The model always knows the target's version and source; the TOML names them only when the
/// plan has several packages of that name, as uv does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LockDependency {
    /// The target's name.
    pub name: PackageName,
    /// The target's version (`None` for a dynamic source tree).
    pub version: Option<Version>,
    /// The target's source.
    pub source: PackageSource,
    /// `extra`: the target's extras this edge enables, sorted.
    pub extra: Vec<ExtraName>,
    /// `marker`: where the edge applies, already simplified (`TRUE` when unconditional).
    pub marker: MarkerTree,
}

/// An sdist or a wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Where the file is (`None` for an sdist recorded by metadata only).
    pub location: Option<ArtifactLocation>,
    /// `hash`: `sha256:<hex>`, when known.
    pub hash: Option<String>,
    /// `size` in bytes, when known.
    pub size: Option<u64>,
    /// `upload-time` as the index reported it (RFC 3339), when known.
    pub upload_time: Option<String>,
}

/// The first key of an artifact table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactLocation {
    /// `url`: a file on an index or server.
    Url(String),
    /// `path`: a file of a find-links directory, relative to that directory.
    Path(String),
    /// `filename`: the file of a `path`/`url` source package, named only.
    Filename(String),
}
