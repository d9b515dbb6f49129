//! A requirement after merging: where it came from and where it resolves to.

use std::fmt;
use std::path::PathBuf;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use wslock_pep::{marker_string, ExtraName, GroupName, MarkerTree, PackageName, VersionSpecifiers};
use wslock_workspace::pyproject::GitReference;

/// Which list of a manifest a requirement was written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// `project.dependencies`.
    Dependencies,
    /// `project.optional-dependencies.<extra>`.
    Extra(ExtraName),
    /// `[dependency-groups].<group>` (legacy `tool.uv.dev-dependencies` count as group `dev`).
    Group(GroupName),
    /// Root `tool.uv.constraint-dependencies`.
    Constraint,
    /// Root `tool.uv.override-dependencies`.
    Override,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dependencies => f.write_str("dependencies"),
            Self::Extra(extra) => write!(f, "extra {extra}"),
            Self::Group(group) => write!(f, "group {group}"),
            Self::Constraint => f.write_str("constraint"),
            Self::Override => f.write_str("override"),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Who declared a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Provenance {
    /// The declaring member, or `None` for a virtual root's own groups and root settings.
    pub member: Option<PackageName>,
    /// Which list it was written in.
    pub origin: Origin,
}

/// Where a requirement resolves to, after `tool.uv.sources` were applied (uv calls this
/// "lowering").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RequirementSource {
    /// A version from the package indexes, restricted by the specifiers.
    Registry {
        /// The version specifiers (empty: any version).
        #[serde(serialize_with = "serialize_display")]
        specifiers: VersionSpecifiers,
        /// A named index the package is pinned to with `{ index = "name" }`.
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<IndexPin>,
    },
    /// Another member of this workspace (`{ workspace = true }`).
    Workspace {
        /// The member's directory, absolute.
        path: PathBuf,
        /// The `editable` value of the source entry, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        editable: Option<bool>,
    },
    /// A local directory or archive (`{ path = "..." }`).
    Path {
        /// Absolute, resolved against the directory of the file that declared the source.
        path: PathBuf,
        /// `editable`, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        editable: Option<bool>,
        /// `package`, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        package: Option<bool>,
    },
    /// A Git repository (`{ git = "..." }`).
    Git {
        /// The repository URL.
        url: String,
        /// The branch, tag or revision, if given.
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_reference"
        )]
        reference: Option<GitReference>,
        /// A subdirectory of the repository holding the project.
        #[serde(skip_serializing_if = "Option::is_none")]
        subdirectory: Option<PathBuf>,
        /// A distribution file (wheel or source archive) inside the repository, used instead of
        /// building it (`path = "dist/x-1.0.tar.gz"`), as written: relative to the repository.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<PathBuf>,
        /// `lfs`: whether Git LFS objects are fetched; `None` leaves it to the installer's
        /// default (uv reads `UV_GIT_LFS`).
        #[serde(skip_serializing_if = "Option::is_none")]
        lfs: Option<bool>,
    },
    /// An archive URL (`{ url = "..." }`) or a PEP 508 direct reference (`name @ url`).
    Url {
        /// The URL.
        url: String,
        /// A subdirectory of the archive holding the project.
        #[serde(skip_serializing_if = "Option::is_none")]
        subdirectory: Option<PathBuf>,
    },
}

/// A package pinned to a named index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexPin {
    /// The index name.
    pub name: String,
    /// Its URL; a relative path was resolved against the directory of the file declaring it.
    pub url: String,
}

fn serialize_display<S: Serializer, T: fmt::Display>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn serialize_reference<S: Serializer>(
    reference: &Option<GitReference>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match reference {
        Some(GitReference::Rev(rev)) => serializer.serialize_str(&format!("rev {rev}")),
        Some(GitReference::Tag(tag)) => serializer.serialize_str(&format!("tag {tag}")),
        Some(GitReference::Branch(branch)) => serializer.serialize_str(&format!("branch {branch}")),
        None => serializer.serialize_none(),
    }
}

/// One requirement of the merged set: a package, the extras asked of it, the environments it
/// applies in, where it resolves to, and who declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedRequirement {
    /// The required package.
    pub name: PackageName,
    /// Extras requested (`name[a,b]`), sorted.
    pub extras: Vec<ExtraName>,
    /// Where it applies: the requirement's own marker, ANDed with the source entry's marker and
    /// a dependency group's `requires-python`. Extra markers are *not* added here: the
    /// provenance carries the extra.
    pub marker: MarkerTree,
    /// Where it resolves to.
    pub source: RequirementSource,
    /// Who declared it.
    pub provenance: Provenance,
}

impl MergedRequirement {
    /// Whether it resolves to another (or the same) workspace member.
    pub fn is_workspace(&self) -> bool {
        matches!(self.source, RequirementSource::Workspace { .. })
    }
}

impl fmt::Display for MergedRequirement {
    /// PEP 508 style, with the source after `@` where it is not the registry:
    /// `seeds[x]>=1 ; sys_platform == 'linux'` or `seeds @ workspace`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.extras.is_empty() {
            let extras: Vec<&str> = self.extras.iter().map(AsRef::as_ref).collect();
            write!(f, "[{}]", extras.join(","))?;
        }
        match &self.source {
            RequirementSource::Registry { specifiers, index } => {
                write!(f, "{specifiers}")?;
                if let Some(index) = index {
                    write!(f, " (index {})", index.name)?;
                }
            }
            RequirementSource::Workspace { .. } => f.write_str(" @ workspace")?,
            RequirementSource::Path { path, .. } => write!(f, " @ {}", path.display())?,
            RequirementSource::Git { url, .. } => write!(f, " @ git+{url}")?,
            RequirementSource::Url { url, .. } => write!(f, " @ {url}")?,
        }
        if let Some(marker) = marker_string(&self.marker) {
            write!(f, " ; {marker}")?;
        }
        Ok(())
    }
}

impl Serialize for MergedRequirement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("MergedRequirement", 6)?;
        state.serialize_field("member", &self.provenance.member)?;
        state.serialize_field("origin", &self.provenance.origin)?;
        state.serialize_field("name", &self.name)?;
        state.serialize_field("extras", &self.extras)?;
        state.serialize_field("marker", &marker_string(&self.marker))?;
        state.serialize_field("source", &self.source)?;
        state.end()
    }
}
