//! How each member is locked: virtual, editable or a plain directory (R7.1–R7.3).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use wslock_pep::{ExtraName, GroupName, PackageName, Version};
use wslock_workspace::pyproject::PyProject;
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

/// R7.1: the required members and the `editable` value requested for each, as discovery
/// computed them while collecting members (it also rejected conflicting values); see
/// [`Workspace::required_members`].
pub(crate) fn required_members(workspace: &Workspace) -> &BTreeMap<PackageName, Option<bool>> {
    workspace.required_members()
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
