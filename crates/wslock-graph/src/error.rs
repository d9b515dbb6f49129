//! Why a workspace's requirements cannot be merged. Every variant names the manifest at fault.

use std::fmt;
use std::path::PathBuf;

use wslock_pep::{ExtraName, GroupName, PackageName, VersionSpecifiers};

/// A member's `requires-python`, as listed in [`GraphError::DisjointRequiresPython`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPython {
    /// The member.
    pub member: PackageName,
    /// Its `requires-python`, as written.
    pub specifiers: VersionSpecifiers,
}

/// The two members of a [`GraphError::DisjointRequiresPython`] that share no Python version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisjointPair(pub PackageName, pub PackageName);

impl fmt::Display for DisjointPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` and `{}` have no Python version in common",
            self.0, self.1
        )
    }
}

/// Why merging failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// The members' `requires-python` ranges have no version in common.
    #[error("the members' `requires-python` ranges have no Python version in common:{}{}", list_pythons(members), pair.as_ref().map(|pair| format!("\n({pair})")).unwrap_or_default())]
    DisjointRequiresPython {
        /// Every member that declares `requires-python`, sorted by name.
        members: Vec<MemberPython>,
        /// Two members whose ranges alone do not meet, when there are such two.
        pair: Option<DisjointPair>,
    },
    /// A requirement on a member has no `{ workspace = true }` source.
    #[error("`{package}` is a workspace member, but `{manifest}` requires it without a source; add `{package} = {{ workspace = true }}` to `tool.uv.sources`", manifest = manifest.display())]
    MissingWorkspaceSource {
        /// The manifest with the requirement.
        manifest: PathBuf,
        /// The member required.
        package: PackageName,
    },
    /// A requirement on a member resolves through a non-workspace source.
    #[error("`{package}` is a workspace member, but `{manifest}` gives it a `{kind}` source; members must use `{{ workspace = true }}`", manifest = manifest.display())]
    NonWorkspaceSource {
        /// The manifest with the requirement.
        manifest: PathBuf,
        /// The member required.
        package: PackageName,
        /// The kind of source used (`path`, `git`, `url`, `index`, `workspace = "<path>"`).
        kind: &'static str,
    },
    /// `{ workspace = true }` for a package that is not a member.
    #[error("`{package}` has a `{{ workspace = true }}` source in `{manifest}`, but is not a workspace member{standalone}", manifest = manifest.display(), standalone = standalone_because.as_ref().map(|between| format!(" of the project's own workspace: `{}` lies between the project and the workspace root, so (as in uv) the project is resolved on its own", between.display())).unwrap_or_default())]
    NotAMember {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// When the requiring member was lowered on its own (R1.5): the manifest between it and
        /// the root that caused it.
        standalone_because: Option<PathBuf>,
    },
    /// `workspace = "<path>"` sources point at another workspace, which wslock does not read.
    #[error("`{package}` in `{manifest}` uses `workspace = \"{path}\"`, a source in another workspace, which wslock does not support", manifest = manifest.display(), path = path.display())]
    ExternalWorkspaceSource {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// The path as written.
        path: PathBuf,
    },
    /// A source entry limited to an extra that does not exist or does not list the package.
    #[error("the source for `{package}` in `{manifest}` only applies to extra `{extra}`, but that extra does not list `{package}`", manifest = manifest.display())]
    SourceExtraMismatch {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package the source is for.
        package: PackageName,
        /// The extra named by the source.
        extra: ExtraName,
    },
    /// A source entry limited to a group that does not exist or does not list the package.
    #[error("the source for `{package}` in `{manifest}` only applies to group `{group}`, but that group does not list `{package}`", manifest = manifest.display())]
    SourceGroupMismatch {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package the source is for.
        package: PackageName,
        /// The group named by the source.
        group: GroupName,
    },
    /// `{ index = "name" }` names no index of the member, the root or the configuration.
    #[error("`{package}` in `{manifest}` references an undeclared index `{index}`", manifest = manifest.display())]
    UndeclaredIndex {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package pinned.
        package: PackageName,
        /// The index name.
        index: String,
    },
    /// `{ include-group = "x" }` names a group that does not exist.
    #[error("group `{included_by}` in `{manifest}` includes group `{group}`, which does not exist", manifest = manifest.display())]
    UnknownIncludedGroup {
        /// The manifest.
        manifest: PathBuf,
        /// The group that is missing.
        group: GroupName,
        /// The group that includes it.
        included_by: GroupName,
    },
    /// Groups include each other in a cycle.
    #[error("the dependency groups of `{manifest}` include each other in a cycle: {}", cycle.iter().map(ToString::to_string).collect::<Vec<_>>().join(" -> "), manifest = manifest.display())]
    GroupCycle {
        /// The manifest.
        manifest: PathBuf,
        /// The groups on the cycle, the first repeated at the end.
        cycle: Vec<GroupName>,
    },
    /// `--package` names no member.
    #[error("the workspace at `{root}` has no member named `{package}`", root = root.display())]
    UnknownPackage {
        /// The workspace root.
        root: PathBuf,
        /// The name asked for.
        package: PackageName,
    },
}

fn list_pythons(members: &[MemberPython]) -> String {
    members
        .iter()
        .map(|entry| format!("\n- {}: {}", entry.member, entry.specifiers))
        .collect()
}

impl GraphError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self {
            Self::DisjointRequiresPython { .. } => {
                "widen the `requires-python` of the members listed so that all of them meet".into()
            }
            Self::MissingWorkspaceSource { package, .. } => {
                format!("add `{package} = {{ workspace = true }}` to the root's or the member's `tool.uv.sources`")
            }
            Self::NonWorkspaceSource { package, .. } => {
                format!("replace the source with `{package} = {{ workspace = true }}`, or exclude `{package}` from the workspace")
            }
            Self::NotAMember {
                standalone_because: Some(_),
                ..
            } => "use a `path` source for it, or remove the `pyproject.toml` between the project and the root".into(),
            Self::NotAMember { .. } => {
                "add the package's directory to `tool.uv.workspace.members`, or use a `path` source"
                    .into()
            }
            Self::ExternalWorkspaceSource { .. } => {
                "use a `path` source pointing at the other workspace's member instead".into()
            }
            Self::SourceExtraMismatch { .. } | Self::SourceGroupMismatch { .. } => {
                "name an extra (or group) that lists the package, or drop the `extra`/`group` key"
                    .into()
            }
            Self::UndeclaredIndex { .. } => {
                "declare it with `[[tool.uv.index]]` (`name` and `url`) in the member or the root"
                    .into()
            }
            Self::UnknownIncludedGroup { .. } => {
                "define the group in `[dependency-groups]`, or fix the name in `include-group`"
                    .into()
            }
            Self::GroupCycle { .. } => "remove one `include-group` of the cycle".into(),
            Self::UnknownPackage { .. } => "run `wslock members` to list the member names".into(),
        }
    }
}
