//! Building the [`WorkspaceGraph`]: every requirement of every member, lowered, plus the graph.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use wslock_pep::{ExtraName, MarkerTree, PackageName, Requirement, RequiresPython};
use wslock_workspace::{RootKind, Workspace};

use crate::error::GraphError;
use crate::external::DiscoverWorkspace;
use crate::graph::{MemberEdge, MemberGraph};
use crate::groups::flatten_groups;
use crate::lower::{Declarer, Lowering};
use crate::members::{member_kind, required_members, MemberInfo};
use crate::python;
use crate::requirement::{MergedRequirement, Origin, RequirementSource};
use crate::scopes::check_source_scopes;
use crate::warning::GraphWarning;

/// Which members to merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Selection {
    /// Every member (what a lock covers).
    #[default]
    All,
    /// One member and every member it reaches in the graph (`--package`).
    Package(PackageName),
}

/// A workspace ready for resolution: its members, the merged requirements with provenance and
/// lowered sources, root constraints and overrides, the `requires-python` intersection and
/// the member graph.
#[derive(Debug, Clone)]
pub struct WorkspaceGraph {
    root: PathBuf,
    root_kind: RootKind,
    members: Vec<MemberInfo>,
    requirements: Vec<MergedRequirement>,
    constraints: Vec<MergedRequirement>,
    overrides: Vec<MergedRequirement>,
    requires_python: Option<RequiresPython>,
    graph: MemberGraph,
    warnings: Vec<GraphWarning>,
}

/// Options of a merge: which members, and how to reach other workspaces.
///
/// ```
/// # use std::path::Path;
/// # use wslock_graph::{Selection, WorkspaceGraph};
/// # use wslock_workspace::{CeilingSettings, DiscoveryOptions, WorkspaceCache};
/// # let dir = tempfile::tempdir()?;
/// # let root = dir.path();
/// # std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"app\"\nversion = \"1\"\n")?;
/// let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(root));
/// let cache = WorkspaceCache::new();
/// let found = cache.discover(root, &options)?;
/// // `workspace = "<path>"` sources are discovered with the same cache and ceilings.
/// let discover = |path: &Path| cache.discover(path, &options).map(|found| found.workspace().clone());
/// let merged = WorkspaceGraph::builder(found.workspace())
///     .selection(Selection::All)
///     .external_workspaces(&discover)
///     .build()?;
/// assert_eq!(merged.members().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct GraphBuilder<'a> {
    workspace: &'a Workspace,
    selection: Selection,
    discover_external: Option<&'a DiscoverWorkspace<'a>>,
}

impl<'a> GraphBuilder<'a> {
    /// Which members to merge ([`Selection::All`] by default).
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// How to discover the workspace of a `workspace = "<path>"` source (R4.5). Without it,
    /// a requirement that uses such a source fails with
    /// [`GraphError::ExternalWorkspaceSource`]; unused entries are never looked at either way.
    pub fn external_workspaces(mut self, discover: &'a DiscoverWorkspace<'a>) -> Self {
        self.discover_external = Some(discover);
        self
    }

    /// Merges the requirements.
    pub fn build(self) -> Result<WorkspaceGraph, GraphError> {
        WorkspaceGraph::merge(self.workspace, &self.selection, self.discover_external)
    }
}

impl WorkspaceGraph {
    /// Merges the requirements of the selected members of `workspace`; `workspace = "<path>"`
    /// sources are refused (use [`Self::builder`] to allow them).
    pub fn build(workspace: &Workspace, selection: &Selection) -> Result<Self, GraphError> {
        Self::builder(workspace)
            .selection(selection.clone())
            .build()
    }

    /// A [`GraphBuilder`] for `workspace`, for options beyond the selection.
    pub fn builder(workspace: &Workspace) -> GraphBuilder<'_> {
        GraphBuilder {
            workspace,
            selection: Selection::All,
            discover_external: None,
        }
    }

    fn merge(
        workspace: &Workspace,
        selection: &Selection,
        discover_external: Option<&DiscoverWorkspace<'_>>,
    ) -> Result<Self, GraphError> {
        let lowering = Lowering::new(workspace).with_external(discover_external);
        let required = required_members(workspace);
        let names: Vec<&PackageName> = workspace.members().iter().map(|m| m.name()).collect();
        let by_path: HashMap<&Path, &PackageName> = workspace
            .members()
            .iter()
            .map(|m| (m.path(), m.name()))
            .collect();
        let mut graph = MemberGraph::new(names.iter().copied());
        let mut requirements = Vec::new();
        let mut members = Vec::new();
        let mut warnings = Vec::new();

        for member in workspace.members() {
            let manifest = member.manifest();
            let declarer = Declarer {
                member: Some(member.name()),
                manifest,
                manifest_path: member.manifest_path(),
                dir: member.path(),
            };
            let standalone;
            let member_lowering = match member.intermediate_manifest() {
                Some(between) => {
                    standalone = Lowering::standalone(member, between, discover_external);
                    &standalone
                }
                None => &lowering,
            };
            let (lowered, groups) = lower_manifest(member_lowering, &declarer, true)?;
            for requirement in &lowered {
                if let RequirementSource::Workspace { path, .. } = &requirement.source {
                    let Some(&target) = by_path.get(path.as_path()) else {
                        continue;
                    };
                    graph.add_edge(
                        member.name(),
                        target,
                        MemberEdge {
                            origin: requirement.provenance.origin.clone(),
                            marker: requirement.marker.clone(),
                            extras: requirement.extras.clone(),
                        },
                    );
                    warnings.extend(missing_extras(
                        workspace,
                        member.manifest_path(),
                        requirement,
                        target,
                    ));
                }
            }
            requirements.extend(lowered);
            if member.manifest_path() != workspace.root_manifest_path() {
                warnings.extend(ignored_settings(member.manifest_path(), manifest));
            }
            let project = manifest.project.as_ref();
            members.push(MemberInfo {
                name: member.name().clone(),
                version: member.version().cloned(),
                path: member.path().to_path_buf(),
                kind: member_kind(manifest, required.get(member.name())),
                extras: project
                    .map(|p| p.optional_dependencies.keys().cloned().collect())
                    .unwrap_or_default(),
                groups,
            });
        }

        // A root without `[project]` contributes its own groups, lowered with its sources.
        if workspace.root_manifest().project.is_none() {
            let (lowered, _) = lower_manifest(&lowering, lowering.root(), false)?;
            requirements.extend(lowered);
        }
        let (constraints, overrides) = root_settings(&lowering)?;

        let mut merged = Self {
            root: workspace.root().to_path_buf(),
            root_kind: workspace.kind(),
            members,
            requirements,
            constraints,
            overrides,
            requires_python: None,
            graph,
            warnings,
        };
        if let Selection::Package(name) = selection {
            merged.restrict_to(name)?;
        }
        merged.requires_python = python::intersect(&merged.member_pythons(workspace))?;
        Ok(merged)
    }

    fn restrict_to(&mut self, name: &PackageName) -> Result<(), GraphError> {
        if !self.members.iter().any(|member| &member.name == name) {
            return Err(GraphError::UnknownPackage {
                root: self.root.clone(),
                package: name.clone(),
            });
        }
        let keep: BTreeSet<PackageName> = self.graph.reachable_from(name);
        self.members.retain(|member| keep.contains(&member.name));
        self.requirements.retain(|r| {
            r.provenance
                .member
                .as_ref()
                .is_some_and(|member| keep.contains(member))
        });
        self.graph = self.graph.restricted_to(&keep);
        Ok(())
    }

    fn member_pythons(
        &self,
        workspace: &Workspace,
    ) -> Vec<(PackageName, wslock_pep::VersionSpecifiers, PathBuf)> {
        self.members
            .iter()
            .filter_map(|info| {
                let member = workspace.member(&info.name)?;
                let project = member.manifest().project.as_ref()?;
                Some((
                    info.name.clone(),
                    project.requires_python.clone()?,
                    member.manifest_path().to_path_buf(),
                ))
            })
            .collect()
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What kind of root it is.
    pub fn root_kind(&self) -> RootKind {
        self.root_kind
    }

    /// The selected members, sorted by name.
    pub fn members(&self) -> &[MemberInfo] {
        &self.members
    }

    /// Every requirement of the selected members (and a virtual root's own groups), by member
    /// name, then `dependencies`, extras and groups in document order.
    pub fn requirements(&self) -> &[MergedRequirement] {
        &self.requirements
    }

    /// Root `tool.uv.constraint-dependencies`, lowered with the root's sources.
    pub fn constraints(&self) -> &[MergedRequirement] {
        &self.constraints
    }

    /// Root `tool.uv.override-dependencies`, lowered with the root's sources.
    pub fn overrides(&self) -> &[MergedRequirement] {
        &self.overrides
    }

    /// The intersection of the selected members' `requires-python`, if any member sets one.
    pub fn requires_python(&self) -> Option<&RequiresPython> {
        self.requires_python.as_ref()
    }

    /// The member graph.
    pub fn graph(&self) -> &MemberGraph {
        &self.graph
    }

    /// Warnings to show once.
    pub fn warnings(&self) -> &[GraphWarning] {
        &self.warnings
    }
}

/// Lowers `dependencies`, every extra and every (flattened) group of one manifest, and returns
/// the group names too. For a project (`check_scopes`), its own extra- and group-limited
/// sources are checked first, as uv does before lowering; a virtual root's are not.
fn lower_manifest(
    lowering: &Lowering<'_>,
    declarer: &Declarer<'_>,
    check_scopes: bool,
) -> Result<(Vec<MergedRequirement>, Vec<wslock_pep::GroupName>), GraphError> {
    let groups = flatten_groups(declarer.manifest, declarer.manifest_path)?;
    if check_scopes {
        check_source_scopes(declarer.manifest, declarer.manifest_path, &groups)?;
    }
    let mut lowered = Vec::new();
    let mut lower_all = |requirements: &mut dyn Iterator<Item = (&Requirement, &MarkerTree)>,
                         origin: Origin| {
        for (requirement, marker) in requirements {
            lowered.extend(lowering.lower(declarer, requirement, marker, &origin)?);
        }
        Ok::<(), GraphError>(())
    };
    let always = MarkerTree::TRUE;
    if let Some(project) = &declarer.manifest.project {
        lower_all(
            &mut project.dependencies.iter().map(|r| (r, &always)),
            Origin::Dependencies,
        )?;
        for (extra, requirements) in &project.optional_dependencies {
            lower_all(
                &mut requirements.iter().map(|r| (r, &always)),
                Origin::Extra(extra.clone()),
            )?;
        }
    }
    for (group, requirements) in &groups {
        lower_all(
            &mut requirements.iter().map(|(r, m)| (r, m)),
            Origin::Group(group.clone()),
        )?;
    }
    Ok((lowered, groups.into_keys().collect()))
}

/// Root `constraint-dependencies` and `override-dependencies` (R6.5).
fn root_settings(
    lowering: &Lowering<'_>,
) -> Result<(Vec<MergedRequirement>, Vec<MergedRequirement>), GraphError> {
    let root = lowering.root();
    let Some(uv) = &root.manifest.tool_uv else {
        return Ok((Vec::new(), Vec::new()));
    };
    let lower_list =
        |list: &[Requirement], origin: Origin| -> Result<Vec<MergedRequirement>, GraphError> {
            let mut lowered = Vec::new();
            for requirement in list {
                lowered.extend(lowering.lower(root, requirement, &MarkerTree::TRUE, &origin)?);
            }
            // Constraints and overrides belong to the workspace, not to the root project.
            for requirement in &mut lowered {
                requirement.provenance.member = None;
            }
            Ok(lowered)
        };
    Ok((
        lower_list(&uv.constraint_dependencies, Origin::Constraint)?,
        lower_list(&uv.override_dependencies, Origin::Override)?,
    ))
}

fn missing_extras(
    workspace: &Workspace,
    manifest: &Path,
    requirement: &MergedRequirement,
    target: &PackageName,
) -> Vec<GraphWarning> {
    let defined: Vec<&ExtraName> = workspace
        .member(target)
        .and_then(|member| member.manifest().project.as_ref())
        .map(|project| project.optional_dependencies.keys().collect())
        .unwrap_or_default();
    requirement
        .extras
        .iter()
        .filter(|extra| !defined.contains(extra))
        .map(|extra| GraphWarning::MissingExtra {
            manifest: manifest.to_path_buf(),
            package: target.clone(),
            extra: extra.clone(),
        })
        .collect()
}

fn ignored_settings(
    manifest_path: &Path,
    manifest: &wslock_workspace::PyProject,
) -> Vec<GraphWarning> {
    let Some(uv) = &manifest.tool_uv else {
        return Vec::new();
    };
    [
        (
            !uv.constraint_dependencies.is_empty(),
            "tool.uv.constraint-dependencies",
        ),
        (
            !uv.override_dependencies.is_empty(),
            "tool.uv.override-dependencies",
        ),
    ]
    .into_iter()
    .filter(|(present, _)| *present)
    .map(|(_, key)| GraphWarning::IgnoredMemberSetting {
        manifest: manifest_path.to_path_buf(),
        key,
    })
    .collect()
}
