//! Requirements as `uv.lock` records them in `[package.metadata]` and `[manifest]`.

use std::cmp::Ordering;

use wslock_pep::{ExtraName, GroupName, MarkerTree, PackageName, VersionSpecifiers};

use crate::markers::specifiers_string;

/// A declared requirement with its source applied, as an inline table of `requires-dist`,
/// `requires-dev`, `constraints`, `overrides` or `[manifest.dependency-groups]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRequirement {
    /// `name`.
    pub name: PackageName,
    /// `extras`, sorted.
    pub extras: Vec<ExtraName>,
    /// `groups` (a requirement on another project's dependency groups), sorted.
    pub groups: Vec<GroupName>,
    /// `marker`, including `extra == 'x'` for a requirement of extra `x`.
    pub marker: MarkerTree,
    /// The source keys.
    pub source: RequirementSource,
}

/// The source keys of a [`LockRequirement`]. Variant order is uv's (`Registry` first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementSource {
    /// `specifier` (omitted when empty) and `index` (a pinned index URL).
    Registry {
        /// The version specifiers.
        specifier: VersionSpecifiers,
        /// The URL of the index the requirement is pinned to.
        index: Option<String>,
    },
    /// `url` and `subdirectory`: a remote archive.
    Url {
        /// The archive URL.
        url: String,
        /// The project's directory inside the archive.
        subdirectory: Option<String>,
    },
    /// `git`: the repository URL with `subdirectory`, `branch`/`tag`/`rev` as query.
    Git {
        /// The URL as uv writes it.
        git: String,
    },
    /// `path`: a local archive, relative to the root.
    Path {
        /// The path.
        path: String,
    },
    /// `directory`: a local source tree installed as a package.
    Directory {
        /// The path.
        path: String,
    },
    /// `editable`: a local source tree installed in editable mode.
    Editable {
        /// The path.
        path: String,
    },
    /// `virtual`: a local source tree whose dependencies only are installed.
    Virtual {
        /// The path.
        path: String,
    },
}

impl RequirementSource {
    /// The key/value pairs, in uv's order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Registry { specifier, index } => {
                let mut pairs = Vec::new();
                if !specifier.is_empty() {
                    pairs.push(("specifier", specifiers_string(specifier)));
                }
                if let Some(index) = index {
                    pairs.push(("index", index.clone()));
                }
                pairs
            }
            Self::Url { url, subdirectory } => {
                let mut pairs = vec![("url", url.clone())];
                if let Some(subdirectory) = subdirectory {
                    pairs.push(("subdirectory", subdirectory.clone()));
                }
                pairs
            }
            Self::Git { git } => vec![("git", git.clone())],
            Self::Path { path } => vec![("path", path.clone())],
            Self::Directory { path } => vec![("directory", path.clone())],
            Self::Editable { path } => vec![("editable", path.clone())],
            Self::Virtual { path } => vec![("virtual", path.clone())],
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Registry { .. } => 0,
            Self::Url { .. } => 1,
            Self::Git { .. } => 2,
            Self::Path { .. } => 3,
            Self::Directory { .. } | Self::Editable { .. } | Self::Virtual { .. } => 4,
        }
    }
}

impl Ord for LockRequirement {
    /// uv's order: name, extras, groups, marker (structurally, as the marker algebra compares
    /// trees), then source.
    fn cmp(&self, other: &Self) -> Ordering {
        self.name
            .cmp(&other.name)
            .then_with(|| self.extras.cmp(&other.extras))
            .then_with(|| self.groups.cmp(&other.groups))
            .then_with(|| self.marker.cmp(&other.marker))
            .then_with(|| self.source.rank().cmp(&other.source.rank()))
            .then_with(|| self.source.pairs().cmp(&other.source.pairs()))
    }
}

impl PartialOrd for LockRequirement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts and removes duplicates, as uv's `BTreeSet` of requirements does.
pub(crate) fn sort_requirements(requirements: &mut Vec<LockRequirement>) {
    requirements.sort();
    requirements.dedup();
}
