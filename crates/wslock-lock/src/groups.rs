//! Facts about dependency groups that uv.lock records but the workspace graph does not carry:
//! the names of a virtual root's groups (an empty group has no requirement to show it) and each
//! group's `requires-python` as uv writes it (revision 5).

use std::collections::{BTreeMap, BTreeSet};

use wslock_pep::{GroupName, PackageName, VersionSpecifier, VersionSpecifiers};
use wslock_workspace::pyproject::{GroupEntry, PyProject};
use wslock_workspace::Workspace;

use crate::markers::specifiers_string;

/// The groups of one manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ManifestGroups {
    /// Every group, legacy `dev-dependencies` included as `dev`.
    pub(crate) names: BTreeSet<GroupName>,
    /// Groups whose flattened `requires-python` is non-empty, as uv writes it.
    pub(crate) requires_python: BTreeMap<GroupName, String>,
}

/// Group facts of every member, and of a root without `[project]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GroupFacts {
    pub(crate) members: BTreeMap<PackageName, ManifestGroups>,
    pub(crate) virtual_root: Option<ManifestGroups>,
}

impl GroupFacts {
    /// Reads the facts from the manifests of a discovered workspace.
    pub(crate) fn from_workspace(workspace: &Workspace) -> Self {
        let members = workspace
            .members()
            .iter()
            .map(|member| (member.name().clone(), manifest_groups(member.manifest())))
            .collect();
        let root = workspace.root_manifest();
        let virtual_root = root.project.is_none().then(|| manifest_groups(root));
        Self {
            members,
            virtual_root,
        }
    }
}

fn manifest_groups(manifest: &PyProject) -> ManifestGroups {
    let mut names: BTreeSet<GroupName> = manifest
        .dependency_groups
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let legacy_dev = manifest
        .tool_uv
        .as_ref()
        .is_some_and(|uv| uv.dev_dependencies.is_some());
    if legacy_dev {
        if let Ok(dev) = GroupName::new("dev") {
            names.insert(dev);
        }
    }
    let mut requires_python = BTreeMap::new();
    for name in &names {
        let mut specifiers = Vec::new();
        collect_requires_python(manifest, name, &mut Vec::new(), &mut specifiers);
        if !specifiers.is_empty() {
            let joined: VersionSpecifiers = specifiers.into_iter().collect();
            requires_python.insert(name.clone(), specifiers_string(&joined));
        }
    }
    ManifestGroups {
        names,
        requires_python,
    }
}

/// uv 0.13.8 writes a group's `requires-python` as every specifier of the group's own
/// `tool.uv.dependency-groups.<g>.requires-python` and of each group it includes, recursively,
/// sorted but not intersected: `g` with `>=3.11` including `t` with `>=3.10,<3.14` is written
/// `>=3.10,>=3.11,<3.14` (observed; see `testdata/lock/groups-requires-python`).
fn collect_requires_python(
    manifest: &PyProject,
    group: &GroupName,
    open: &mut Vec<GroupName>,
    out: &mut Vec<VersionSpecifier>,
) {
    // Discovery and the graph stage reject include cycles; the guard only keeps this total.
    if open.contains(group) {
        return;
    }
    let own = manifest
        .tool_uv
        .as_ref()
        .and_then(|uv| uv.dependency_groups.get(group))
        .and_then(|settings| settings.requires_python.as_ref());
    if let Some(own) = own {
        out.extend(own.iter().cloned());
    }
    open.push(group.clone());
    for entry in manifest.dependency_groups.get(group).unwrap_or_default() {
        if let GroupEntry::IncludeGroup(included) = entry {
            collect_requires_python(manifest, included, open, out);
        }
    }
    open.pop();
}
