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
    /// The manifest that declares it, so the message names the file to edit.
    pub manifest: PathBuf,
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
    /// `workspace = "<path>"` (a member of another workspace) was used, but the graph was built
    /// without a way to discover other workspaces ([`crate::GraphBuilder::external_workspaces`]).
    #[error("`{package}` in `{manifest}` uses `workspace = \"{path}\"`, a member of another workspace, but this merge cannot discover other workspaces", manifest = manifest.display(), path = path.display())]
    ExternalWorkspaceSource {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// The path as written.
        path: PathBuf,
    },
    /// `workspace = "<path>"` names a directory that is not the root of the workspace it belongs
    /// to (uv's WorkspaceSourceNotRoot).
    #[error("`{package}` in `{manifest}` uses `workspace = \"<path>\"` with `{path}`, which is not a workspace root: it belongs to the workspace at `{root}`", manifest = manifest.display(), path = path.display(), root = root.display())]
    WorkspaceSourceNotRoot {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// The path, absolute.
        path: PathBuf,
        /// The root of the workspace discovered from it.
        root: PathBuf,
    },
    /// The workspace named by `workspace = "<path>"` has no member of that name.
    #[error("`{package}` in `{manifest}` uses `workspace = \"<path>\"`, but the workspace at `{root}` has no member named `{package}`", manifest = manifest.display(), root = root.display())]
    NotAnExternalMember {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// The other workspace's root.
        root: PathBuf,
    },
    /// Discovering the workspace named by `workspace = "<path>"` failed.
    #[error("`{package}` in `{manifest}` uses `workspace = \"<path>\"` with `{path}`, but no workspace could be discovered there: {message}", manifest = manifest.display(), path = path.display())]
    ExternalWorkspaceDiscovery {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package named.
        package: PackageName,
        /// The path, absolute.
        path: PathBuf,
        /// Why discovery failed (the discovery error, as text).
        message: String,
    },
    /// A project's own source entry limited to an extra that the project does not define, or
    /// that does not list the package (uv's MissingSourceExtra and IncompleteSourceExtra).
    #[error("the source for `{package}` in `{manifest}` only applies to extra `{extra}`, but {}", if *defined { format!("that extra does not list `{package}`") } else { format!("the project has no extra `{extra}`") }, manifest = manifest.display())]
    SourceExtraMismatch {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package the source is for.
        package: PackageName,
        /// The extra named by the source.
        extra: ExtraName,
        /// Whether the project defines the extra at all.
        defined: bool,
    },
    /// A project's own source entry limited to a group that the project does not define, or
    /// that does not list the package, even through `include-group` (uv's MissingSourceGroup
    /// and IncompleteSourceGroup). Legacy `tool.uv.dev-dependencies` are group `dev`.
    #[error("the source for `{package}` in `{manifest}` only applies to group `{group}`, but {}", if *defined { format!("that group does not list `{package}`") } else { format!("the project has no group `{group}`") }, manifest = manifest.display())]
    SourceGroupMismatch {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package the source is for.
        package: PackageName,
        /// The group named by the source.
        group: GroupName,
        /// Whether the project defines the group at all.
        defined: bool,
    },
    /// `{ index = "name" }` names no index of the requiring member's or the root's
    /// `pyproject.toml`.
    #[error("`{package}` in `{manifest}` references an undeclared index `{index}`", manifest = manifest.display())]
    UndeclaredIndex {
        /// The manifest with the source.
        manifest: PathBuf,
        /// The package pinned.
        package: PackageName,
        /// The index name.
        index: String,
        /// The configuration file (a `uv.toml`, say) that declares an index of that name, which
        /// sources cannot use.
        configured_in: Option<PathBuf>,
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
        .map(|entry| {
            format!(
                "\n- {}: {} (`{}`)",
                entry.member,
                entry.specifiers,
                entry.manifest.display()
            )
        })
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
            Self::WorkspaceSourceNotRoot { root, .. } => format!(
                "point `workspace` at `{}`, the root of that workspace",
                root.display()
            ),
            Self::NotAnExternalMember { .. } => {
                "check the package name, or add its directory to that workspace's members".into()
            }
            Self::ExternalWorkspaceDiscovery { .. } => {
                "point `workspace` at the root directory of another workspace, and check that its manifests parse".into()
            }
            Self::SourceExtraMismatch { package, extra, .. } => format!(
                "list `{package}` in extra `{extra}` of that project, or drop `extra` from the source"
            ),
            Self::SourceGroupMismatch { package, group, .. } => format!(
                "list `{package}` in group `{group}` of that project, or drop `group` from the source"
            ),
            Self::UndeclaredIndex {
                index,
                configured_in: Some(config),
                ..
            } => format!(
                "`{index}` is declared in `{}`, but sources can only name indexes declared in the member's or the workspace root's `pyproject.toml`",
                config.display()
            ),
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
