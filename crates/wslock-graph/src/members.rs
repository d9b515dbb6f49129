//! How each member is locked: virtual, editable or a plain directory (R7.1–R7.3).

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use wslock_pep::{ExtraName, GroupName, PackageName, Version};
use wslock_workspace::pyproject::{PyProject, SourceKind, WorkspaceSource};
use wslock_workspace::Workspace;

/// How a member appears in the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    /// Not built or installed: only its dependencies are (`source = { virtual = ... }`).
    Virtual,
    /// Built and installed in editable mode (`source = { editable = ... }`).
    Editable,
    /// Built and installed as a regular package (`source = { directory = ... }`).
    Directory,
}

/// A member as the later stages need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberInfo {
    /// The normalised name.
    pub name: PackageName,
    /// The static version (`None` when dynamic).
    #[serde(serialize_with = "serialize_version")]
    pub version: Option<Version>,
    /// The member's directory, absolute.
    pub path: PathBuf,
    /// How it is locked.
    pub kind: MemberKind,
    /// Its extras, in document order.
    pub extras: Vec<ExtraName>,
    /// Its dependency groups (legacy `dev-dependencies` as `dev`), in document order.
    pub groups: Vec<GroupName>,
}

fn serialize_version<S: serde::Serializer>(
    version: &Option<Version>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match version {
        Some(version) => serializer.collect_str(version),
        None => serializer.serialize_none(),
    }
}

/// R7.1: a member is *required* when some `tool.uv.sources` table (the root's, or any member's
/// other than for its own name) has a `{ workspace = true }` entry for it, whether or not anything
/// depends on it. The value is the entry's `editable`, when given (discovery has already
/// rejected conflicting values).
pub(crate) fn required_members(workspace: &Workspace) -> HashMap<PackageName, Option<bool>> {
    let mut required: HashMap<PackageName, Option<bool>> = HashMap::new();
    let root = std::iter::once(workspace.root_manifest());
    let members = workspace.members().iter().map(|member| member.manifest());
    for manifest in root.chain(members) {
        let own = manifest.project.as_ref().map(|project| &project.name);
        let Some(uv) = &manifest.tool_uv else {
            continue;
        };
        for (name, entries) in uv.sources.iter().filter(|(name, _)| Some(*name) != own) {
            for entry in entries {
                if let SourceKind::Workspace {
                    workspace: WorkspaceSource::Member,
                    editable,
                } = &entry.kind
                {
                    let slot = required.entry(name.clone()).or_default();
                    *slot = slot.or(*editable);
                }
            }
        }
    }
    required
}

/// R7.2/R7.3: `tool.uv.package = false` is always virtual; `true`, a `[build-system]` table or
/// being required makes it a package; a required package with `editable = false` is a
/// directory, any other package editable.
pub(crate) fn member_kind(manifest: &PyProject, required: Option<&Option<bool>>) -> MemberKind {
    let package_flag = manifest.tool_uv.as_ref().and_then(|uv| uv.package);
    let is_package = match package_flag {
        Some(flag) => flag,
        None => manifest.has_build_system || required.is_some(),
    };
    match (is_package, required) {
        (false, _) => MemberKind::Virtual,
        (true, Some(Some(false))) => MemberKind::Directory,
        (true, _) => MemberKind::Editable,
    }
}
