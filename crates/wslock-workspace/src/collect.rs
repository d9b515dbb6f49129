//! Collecting the members of a chosen root (workspace-semantics R2, R2.7, R7.1).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use wslock_pep::PackageName;

use crate::ceiling::SearchScope;
use crate::discovery::RootChoice;
use crate::error::DiscoveryError;
use crate::members::{expand_members, MemberDir};
use crate::options::{DiscoveryOptions, MemberMode};
use crate::pyproject::{PyProject, SourceKind, WorkspaceSource};
use crate::store::ManifestStore;
use crate::warning::Warning;
use crate::workspace::Member;

/// What collection finds for a root.
pub(crate) struct Collected {
    /// The members, sorted by name.
    pub members: Vec<Member>,
    /// The required members of R7.1 and their requested editability.
    pub required: BTreeMap<PackageName, Option<bool>>,
    /// Warnings about the members.
    pub warnings: Vec<Warning>,
}

/// The members of the workspace rooted at `root`, sorted by name, with the required members
/// and warnings about them. `scope` is the root's search scope, which bounds the ignore files
/// member expansion may read.
pub(crate) fn collect_members(
    root: &RootChoice,
    options: &DiscoveryOptions,
    scope: &SearchScope,
    store: &ManifestStore,
) -> Result<Collected, DiscoveryError> {
    let mut members: Vec<Member> = Vec::new();
    let mut by_name: HashMap<PackageName, usize> = HashMap::new();
    if let Some(project) = &root.manifest.project {
        // A root project is always a member, added before any glob; `exclude = ["."]` cannot
        // remove it (R2.1).
        by_name.insert(project.name.clone(), 0);
        members.push(Member {
            name: project.name.clone(),
            path: root.dir.clone(),
            manifest_path: root.manifest_path.clone(),
            manifest: Arc::clone(&root.manifest),
            intermediate_manifest: None,
        });
    }
    let workspace = root.manifest.workspace().filter(|_| !options.no_workspace);
    if let (Some(workspace), false) = (workspace, options.members == MemberMode::None) {
        let ignore: Vec<PathBuf> = match &options.members {
            MemberMode::AllExcept(paths) => paths.iter().cloned().collect(),
            _ => Vec::new(),
        };
        let found = expand_members(
            &root.dir,
            &root.manifest_path,
            &workspace.members,
            &workspace.exclude,
            root.manifest.project.is_some(),
            &ignore,
            scope,
            store,
        )?;
        let mut intermediates = IntermediateManifests::default();
        for (dir, manifest) in found {
            add_member(
                dir,
                manifest,
                root,
                &mut intermediates,
                &mut members,
                &mut by_name,
            )?;
        }
        check_nesting(&members, &root.manifest_path)?;
    }
    let required = required_members(&members, &root.manifest_path, &root.manifest)?;
    members.sort_by(|a, b| a.name.cmp(&b.name));
    let warnings = deprecation_warnings(&members);
    Ok(Collected {
        members,
        required,
        warnings,
    })
}

fn add_member(
    dir: MemberDir,
    manifest: Arc<PyProject>,
    root: &RootChoice,
    intermediates: &mut IntermediateManifests,
    members: &mut Vec<Member>,
    by_name: &mut HashMap<PackageName, usize>,
) -> Result<(), DiscoveryError> {
    if manifest.is_unmanaged() {
        // `managed = false` members are skipped silently, even without `[project]` (R2.3.6).
        tracing::debug!("skipping unmanaged member `{}`", dir.path.display());
        return Ok(());
    }
    let Some(project) = &manifest.project else {
        return Err(DiscoveryError::MissingProject {
            manifest: dir.manifest,
            root_manifest: root.manifest_path.clone(),
        });
    };
    if let Some(&first) = by_name.get(&project.name) {
        return Err(DiscoveryError::DuplicateMember {
            name: project.name.clone(),
            first: members[first].path.clone(),
            second: dir.path,
        });
    }
    by_name.insert(project.name.clone(), members.len());
    members.push(Member {
        name: project.name.clone(),
        intermediate_manifest: intermediates.of(&dir.path, &root.dir),
        path: dir.path,
        manifest_path: dir.manifest,
        manifest,
    });
    Ok(())
}

/// The nearest `pyproject.toml` strictly between a member below the root and the root (R1.5),
/// looked up once per directory the members sit in: a thousand members under `packages/`
/// asked the file system a thousand times whether `packages/pyproject.toml` exists.
#[derive(Default)]
struct IntermediateManifests {
    by_parent: HashMap<PathBuf, Option<PathBuf>>,
}

impl IntermediateManifests {
    /// Members outside the root have none: uv maps them to the workspace like any other member.
    fn of(&mut self, member: &Path, root: &Path) -> Option<PathBuf> {
        if !member.starts_with(root) {
            return None;
        }
        let parent = member.parent()?;
        self.by_parent
            .entry(parent.to_path_buf())
            .or_insert_with(|| {
                parent
                    .ancestors()
                    .take_while(|dir| *dir != root)
                    .map(|dir| dir.join("pyproject.toml"))
                    .find(|manifest| manifest.is_file())
            })
            .clone()
    }
}

/// Only the root may have `[tool.uv.workspace]`, an empty one included (R2.7). Checked after
/// collection, as uv does, so collection errors win when both are present.
fn check_nesting(members: &[Member], root_manifest: &Path) -> Result<(), DiscoveryError> {
    match members.iter().find(|member| {
        member.manifest_path != root_manifest && member.manifest.workspace().is_some()
    }) {
        Some(nested) => Err(DiscoveryError::NestedWorkspace {
            manifest: nested.manifest_path.clone(),
            root_manifest: root_manifest.to_path_buf(),
        }),
        None => Ok(()),
    }
}

/// R7.1: the *required* members, each with the `editable` value its `{ workspace = true }`
/// entries ask for (`None` when none sets one).
///
/// A name is required when some `tool.uv.sources` table (the root's, or any member's, except
/// for its own name) has a `{ workspace = true }` entry for it, whether or not anything depends
/// on it. uv lets the last explicit `editable` visited win, which depends on names (its
/// editable-order-dependence scenarios); wslock reports any disagreement, naming both files
/// (Part A.4), so the result does not depend on the order of visits.
fn required_members(
    members: &[Member],
    root_manifest_path: &Path,
    root_manifest: &PyProject,
) -> Result<BTreeMap<PackageName, Option<bool>>, DiscoveryError> {
    let mut required: BTreeMap<PackageName, Option<bool>> = BTreeMap::new();
    // For each name, the first manifest asking for `editable = false` and for `editable = true`.
    let mut seen: HashMap<PackageName, [Option<PathBuf>; 2]> = HashMap::new();
    let root_entry = (root_manifest_path, root_manifest);
    let member_entries = members
        .iter()
        .map(|m| (m.manifest_path.as_path(), m.manifest.as_ref()));
    for (path, manifest) in std::iter::once(root_entry).chain(member_entries) {
        let Some(uv) = &manifest.tool_uv else {
            continue;
        };
        let own_name = manifest.project.as_ref().map(|project| &project.name);
        for (name, sources) in uv.sources.iter() {
            if Some(name) == own_name {
                continue;
            }
            for source in sources {
                let SourceKind::Workspace {
                    workspace: WorkspaceSource::Member,
                    editable,
                } = &source.kind
                else {
                    continue;
                };
                let slot = required.entry(name.clone()).or_default();
                *slot = slot.or(*editable);
                let Some(editable) = editable else {
                    continue;
                };
                let slots = seen.entry(name.clone()).or_default();
                slots[usize::from(*editable)].get_or_insert_with(|| path.to_path_buf());
                if let [Some(not_editable), Some(editable)] = slots {
                    return Err(DiscoveryError::EditableConflict {
                        name: name.clone(),
                        editable: editable.clone(),
                        not_editable: not_editable.clone(),
                    });
                }
            }
        }
    }
    Ok(required)
}

/// One warning naming every member that uses `tool.uv.dev-dependencies`, in name order.
fn deprecation_warnings(members: &[Member]) -> Vec<Warning> {
    let manifests: Vec<PathBuf> = members
        .iter()
        .filter(|member| {
            member
                .manifest
                .tool_uv
                .as_ref()
                .is_some_and(|uv| uv.dev_dependencies.is_some())
        })
        .map(|member| member.manifest_path.clone())
        .collect();
    if manifests.is_empty() {
        Vec::new()
    } else {
        vec![Warning::DeprecatedDevDependencies { manifests }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intermediate_manifests_are_the_nearest_between_member_and_root() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        for dir in ["a/m1", "a/m2", "a/deep/m3", "b/m4", "a/deep/inner/m5"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("a/pyproject.toml"), "").unwrap();
        std::fs::write(root.join("a/deep/inner/pyproject.toml"), "").unwrap();
        let mut known = IntermediateManifests::default();
        let mut of = |member: &str| known.of(&root.join(member), root);
        let a = Some(root.join("a/pyproject.toml"));
        // Asked twice per directory, in an order that mixes cached and fresh directories.
        assert_eq!(of("a/m1"), a);
        assert_eq!(of("b/m4"), None);
        assert_eq!(of("a/m2"), a);
        assert_eq!(of("a/deep/m3"), a);
        assert_eq!(
            of("a/deep/inner/m5"),
            Some(root.join("a/deep/inner/pyproject.toml"))
        );
        assert_eq!(of("m6"), None, "directly under the root");
        assert_eq!(known.of(Path::new("/elsewhere/m7"), root), None);
    }
}
