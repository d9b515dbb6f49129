//! Building a [`LockPlan`] from a resolution and the workspace graph.
//!
//! The resolution gives the packages, versions, forks and edges; the graph gives what uv.lock
//! records about the inputs: `[manifest]` and each member's `[package.metadata]`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use wslock_graph::{MemberInfo, MemberKind, MergedRequirement, Origin, WorkspaceGraph};
use wslock_pep::{marker_and, ExtraName, GroupName, MarkerTree, PackageName, Version};
use wslock_resolve::{
    FileKind, FileLocation, PrereleaseMode, RegistryLocation, Resolution, ResolutionMode,
    ResolvedDependency, ResolvedFile, ResolvedPackage, ResolvedSource, ResolverOptions,
};
use wslock_workspace::{RootKind, Workspace};

use crate::error::LockError;
use crate::groups::{GroupFacts, ManifestGroups};
use crate::lower::LockLowering;
use crate::markers::uv_marker;
use crate::model::{
    Artifact, ArtifactLocation, LockDependency, LockOptions, LockPackage, LockPlan, Manifest,
    PackageMetadata, PackageSource, RegistrySource, LOCK_REVISION, LOCK_VERSION,
};
use crate::paths::{relative_path, RegistrySpelling};
use crate::requirement::{sort_requirements, LockRequirement};

/// Options for building a plan. [`LockPlan::new`] is `LockPlan::builder(..).build()`.
///
/// ```no_run
/// # fn f(resolution: &wslock_resolve::Resolution, graph: &wslock_graph::WorkspaceGraph,
/// #      workspace: &wslock_workspace::Workspace) -> Result<(), wslock_lock::LockError> {
/// let plan = wslock_lock::LockPlan::builder(resolution, graph).workspace(workspace).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PlanBuilder<'a> {
    resolution: &'a Resolution,
    graph: &'a WorkspaceGraph,
    groups: GroupFacts,
    spelling: RegistrySpelling,
}

impl<'a> PlanBuilder<'a> {
    /// Starts a plan for `resolution` of the workspace `graph`.
    pub fn new(resolution: &'a Resolution, graph: &'a WorkspaceGraph) -> Self {
        Self {
            resolution,
            graph,
            groups: GroupFacts::default(),
            spelling: RegistrySpelling::default(),
        }
    }

    /// Reads the two group facts uv.lock records that the graph does not carry from the
    /// workspace's manifests: each group's `requires-python` (`[package.group-requires-python]`,
    /// `[manifest.group-requires-python]`) and a virtual root's empty groups. Without it those
    /// tables are left out, and `uv lock --locked` rejects the plan of a workspace that sets
    /// `tool.uv.dependency-groups.<g>.requires-python`.
    pub fn workspace(mut self, workspace: &Workspace) -> Self {
        self.groups = GroupFacts::from_workspace(workspace);
        self
    }

    /// The local registries (find-links directories) the user gave as an absolute path or a
    /// `file://` URL. uv 0.13.8 writes such a registry and its files by absolute path
    /// (`registry = "/srv/links"`, `path = "/srv/links/a-1.0-py3-none-any.whl"`), and a
    /// registry given as a relative path relative to the root, its files relative to it
    /// (`registry = "../links"`, `path = "a-1.0-py3-none-any.whl"`). `uv lock --locked`
    /// compares the registry with the configured find-links as spelled, so it rejects a lock
    /// that spells it the other way. Without this call every local registry is written
    /// relative. Directories are matched lexically (`/srv/x/../links` is `/srv/links`).
    pub fn absolute_registries<I, P>(mut self, dirs: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        let dirs: Vec<PathBuf> = dirs.into_iter().map(Into::into).collect();
        self.spelling = RegistrySpelling::new(&dirs);
        self
    }

    /// Builds the plan.
    pub fn build(self) -> Result<LockPlan, LockError> {
        let lowering = LockLowering::new(self.graph);
        let lookup = Lookup::new(self.resolution, self.graph);
        let targets = self.targets(&lookup);
        // Each package is written on its own, so on every core (this was a tenth of a
        // 1,000-member plan's time on one); the first error in package order is reported,
        // whichever thread met it first.
        let written: Vec<Result<LockPackage, LockError>> = self
            .resolution
            .packages
            .par_iter()
            .map(|resolved| self.package(resolved, &lowering, &targets, &lookup))
            .collect();
        let mut packages = written.into_iter().collect::<Result<Vec<_>, _>>()?;
        drop_unknown_extras(&mut packages);
        packages.sort_by(|a, b| package_key(a).cmp(&package_key(b)));
        Ok(LockPlan {
            version: LOCK_VERSION,
            revision: LOCK_REVISION,
            requires_python: self.resolution.requires_python.clone(),
            resolution_markers: self.resolution.fork_markers.iter().map(uv_marker).collect(),
            supported_markers: self
                .resolution
                .supported_markers
                .iter()
                .map(uv_marker)
                .collect(),
            options: lock_options(&self.resolution.options),
            manifest: self.manifest(&lowering),
            packages,
        })
    }

    /// What an edge to (name, version) points at: the version as the plan writes it (none for a
    /// member with a dynamic version) and the source. The first wins if a resolution ever had
    /// one version from two sources.
    fn targets(&self, lookup: &Lookup<'a>) -> Targets {
        let root = self.graph.root();
        let mut targets = Targets::new();
        for package in &self.resolution.packages {
            let version = match &package.source {
                ResolvedSource::Member { .. } => lookup
                    .member(&package.name)
                    .map_or(Some(package.version.clone()), |m| m.version.clone()),
                ResolvedSource::Registry { .. } => Some(package.version.clone()),
            };
            targets
                .entry((package.name.clone(), package.version.clone()))
                .or_insert_with(|| {
                    (
                        version,
                        package_source(&package.source, root, &self.spelling),
                    )
                });
        }
        targets
    }

    fn package(
        &self,
        resolved: &ResolvedPackage,
        lowering: &LockLowering<'_>,
        targets: &Targets,
        lookup: &Lookup<'a>,
    ) -> Result<LockPackage, LockError> {
        let root = self.graph.root();
        let several = lookup.versions_of(&resolved.name) > 1;
        let edges = |list: &[ResolvedDependency]| lock_edges(resolved, list, targets);
        let mut package = LockPackage {
            name: resolved.name.clone(),
            version: Some(resolved.version.clone()),
            source: package_source(&resolved.source, root, &self.spelling),
            // uv records the forks of a package only when it has several versions.
            resolution_markers: if several {
                in_fork_order(&resolved.fork_markers, &self.resolution.fork_markers)
            } else {
                Vec::new()
            },
            dependencies: edges(&resolved.dependencies)?,
            optional_dependencies: BTreeMap::new(),
            dev_dependencies: BTreeMap::new(),
            group_requires_python: BTreeMap::new(),
            sdist: None,
            wheels: Vec::new(),
            metadata: PackageMetadata::default(),
        };
        for (extra, list) in &resolved.optional_dependencies {
            let list = edges(list)?;
            if !list.is_empty() {
                package.optional_dependencies.insert(extra.clone(), list);
            }
        }
        for (group, list) in &resolved.dependency_groups {
            let list = edges(list)?;
            if !list.is_empty() {
                package.dev_dependencies.insert(group.clone(), list);
            }
        }
        match &resolved.source {
            ResolvedSource::Member { .. } => {
                let member = lookup.member(&resolved.name)?;
                // A dynamic version is not written (uv omits it for dynamic source trees).
                package.version = member.version.clone();
                let groups = self.groups.members.get(&resolved.name);
                let own = lookup.requirements_of(&resolved.name);
                package.metadata = member_metadata(lowering, member, own, groups);
                package.group_requires_python = groups
                    .map(|g| g.requires_python.clone())
                    .unwrap_or_default();
            }
            ResolvedSource::Registry { index } => {
                let (sdist, wheels) = artifacts(&resolved.files, index, root, &self.spelling);
                package.sdist = sdist;
                package.wheels = wheels;
            }
        }
        Ok(package)
    }

    fn manifest(&self, lowering: &LockLowering<'_>) -> Manifest {
        let root = self.graph.root();
        let members = self.graph.members();
        // R7.4: omitted only when the root project is the one and only member.
        let root_is_sole_member =
            members.len() == 1 && members.iter().all(|m| relative_path(root, &m.path) == ".");
        let mut manifest = Manifest {
            members: if root_is_sole_member {
                Vec::new()
            } else {
                let mut names: Vec<PackageName> = members.iter().map(|m| m.name.clone()).collect();
                names.sort();
                names
            },
            constraints: lowering.requirements(self.graph.constraints()),
            overrides: lowering.requirements(self.graph.overrides()),
            ..Manifest::default()
        };
        if self.graph.root_kind() == RootKind::Virtual {
            let mut groups: BTreeMap<GroupName, Vec<LockRequirement>> = BTreeMap::new();
            let facts: Option<&ManifestGroups> = self.groups.virtual_root.as_ref();
            for name in facts.into_iter().flat_map(|facts| &facts.names) {
                groups.entry(name.clone()).or_default();
            }
            for requirement in self.graph.requirements() {
                if let (None, Origin::Group(group)) = (
                    &requirement.provenance.member,
                    &requirement.provenance.origin,
                ) {
                    groups
                        .entry(group.clone())
                        .or_default()
                        .push(lowering.requirement(requirement));
                }
            }
            groups.values_mut().for_each(sort_requirements);
            manifest.dependency_groups = groups;
            manifest.group_requires_python =
                facts.map(|f| f.requires_python.clone()).unwrap_or_default();
        }
        manifest
    }
}

impl LockPlan {
    /// The plan of `resolution`, with `[manifest]` and member metadata from `graph`.
    ///
    /// Without the workspace, group `requires-python` tables and a virtual root's empty groups
    /// are not known; use [`LockPlan::builder`] with [`PlanBuilder::workspace`] to include them.
    pub fn new(resolution: &Resolution, graph: &WorkspaceGraph) -> Result<Self, LockError> {
        PlanBuilder::new(resolution, graph).build()
    }

    /// A [`PlanBuilder`], for the options [`LockPlan::new`] leaves at their defaults.
    pub fn builder<'a>(resolution: &'a Resolution, graph: &'a WorkspaceGraph) -> PlanBuilder<'a> {
        PlanBuilder::new(resolution, graph)
    }
}

/// Lookups the plan makes for every package, indexed once: scanning the members, the packages
/// and the requirements for each package made building a 10,000-member plan quadratic.
struct Lookup<'a> {
    members: HashMap<&'a PackageName, &'a MemberInfo>,
    versions: HashMap<&'a PackageName, usize>,
    requirements: HashMap<&'a PackageName, Vec<&'a MergedRequirement>>,
}

impl<'a> Lookup<'a> {
    fn new(resolution: &'a Resolution, graph: &'a WorkspaceGraph) -> Self {
        let mut members = HashMap::new();
        for member in graph.members() {
            // The first member of a name wins, as a linear search would find it.
            members.entry(&member.name).or_insert(member);
        }
        let mut versions: HashMap<&PackageName, usize> = HashMap::new();
        for package in &resolution.packages {
            *versions.entry(&package.name).or_default() += 1;
        }
        let mut requirements: HashMap<&PackageName, Vec<&MergedRequirement>> = HashMap::new();
        for requirement in graph.requirements() {
            if let Some(member) = &requirement.provenance.member {
                requirements.entry(member).or_default().push(requirement);
            }
        }
        Self {
            members,
            versions,
            requirements,
        }
    }

    fn member(&self, name: &PackageName) -> Result<&'a MemberInfo, LockError> {
        self.members
            .get(name)
            .copied()
            .ok_or_else(|| LockError::UnknownMember {
                name: name.to_string(),
            })
    }

    /// How many versions of `name` the resolution has.
    fn versions_of(&self, name: &PackageName) -> usize {
        self.versions.get(name).copied().unwrap_or(0)
    }

    /// The requirements a member declared, in the graph's order.
    fn requirements_of(&self, name: &PackageName) -> &[&'a MergedRequirement] {
        self.requirements.get(name).map_or(&[], Vec::as_slice)
    }
}

/// A package's fork markers in the order of the resolution's forks, as uv lists them (markers
/// that are not one of the forks, which a resolver should not produce, go last as given).
fn in_fork_order(markers: &[MarkerTree], forks: &[MarkerTree]) -> Vec<MarkerTree> {
    let mut ordered: Vec<&MarkerTree> = markers.iter().collect();
    ordered.sort_by_key(|marker| {
        forks
            .iter()
            .position(|fork| fork == *marker)
            .unwrap_or(forks.len())
    });
    ordered.into_iter().map(uv_marker).collect()
}

/// The sort key of packages: uv sorts by name, then version, then source.
pub(crate) fn package_key(
    package: &LockPackage,
) -> (&PackageName, Option<&Version>, &PackageSource) {
    (&package.name, package.version.as_ref(), &package.source)
}

/// The version (as written) and source of each resolved (name, version).
type Targets = HashMap<(PackageName, Version), (Option<Version>, PackageSource)>;

fn package_source(
    source: &ResolvedSource,
    root: &Path,
    spelling: &RegistrySpelling,
) -> PackageSource {
    match source {
        ResolvedSource::Member { kind, path } => {
            let path = relative_path(root, path);
            match kind {
                MemberKind::Virtual => PackageSource::Virtual(path),
                MemberKind::Editable => PackageSource::Editable(path),
                MemberKind::Directory => PackageSource::Directory(path),
            }
        }
        ResolvedSource::Registry { index } => PackageSource::Registry(match index {
            RegistryLocation::Url(url) => RegistrySource::Url(url.clone()),
            RegistryLocation::Path(dir) => RegistrySource::Path(spelling.registry(root, dir)),
        }),
    }
}

/// The edges of one list, with their targets' versions and sources, sorted as uv sorts them.
fn lock_edges(
    from: &ResolvedPackage,
    list: &[ResolvedDependency],
    targets: &Targets,
) -> Result<Vec<LockDependency>, LockError> {
    let mut edges = Vec::with_capacity(list.len());
    for dependency in list {
        let key = (dependency.name.clone(), dependency.version.clone());
        let (version, source) = targets
            .get(&key)
            .ok_or_else(|| LockError::MissingDependency {
                package: format!("{}=={}", from.name, from.version),
                dependency: format!("{}=={}", dependency.name, dependency.version),
            })?;
        let mut extra: Vec<ExtraName> = dependency.extras.clone();
        extra.sort();
        extra.dedup();
        edges.push(LockDependency {
            name: dependency.name.clone(),
            version: version.clone(),
            source: source.clone(),
            extra,
            marker: uv_marker(&dependency.marker),
        });
    }
    edges.sort();
    edges.dedup();
    Ok(edges)
}

/// uv drops, from every edge, the extras its target does not lock any dependency for (an extra
/// that does not exist, or adds nothing).
fn drop_unknown_extras(packages: &mut [LockPackage]) {
    let extras: HashMap<(PackageName, Option<Version>, PackageSource), Vec<ExtraName>> = packages
        .iter()
        .map(|p| {
            let key = (p.name.clone(), p.version.clone(), p.source.clone());
            (key, p.optional_dependencies.keys().cloned().collect())
        })
        .collect();
    for package in packages.iter_mut() {
        let all = package
            .dependencies
            .iter_mut()
            .chain(package.optional_dependencies.values_mut().flatten())
            .chain(package.dev_dependencies.values_mut().flatten());
        for edge in all {
            let key = (edge.name.clone(), edge.version.clone(), edge.source.clone());
            let known = extras.get(&key);
            edge.extra
                .retain(|extra| known.is_some_and(|k| k.contains(extra)));
        }
        merge_duplicate_edges(&mut package.dependencies);
        for edges in package.optional_dependencies.values_mut() {
            merge_duplicate_edges(edges);
        }
        for edges in package.dev_dependencies.values_mut() {
            merge_duplicate_edges(edges);
        }
    }
}

/// One edge per target and marker, with the extras of all of them: uv refuses a lock that
/// lists a dependency twice, which happens when requirements asked for extras the chosen
/// version does not have (`x[a]` and `x[b]` both become `x`).
fn merge_duplicate_edges(edges: &mut Vec<LockDependency>) {
    let mut merged: Vec<LockDependency> = Vec::with_capacity(edges.len());
    for edge in edges.drain(..) {
        let same = |other: &&mut LockDependency| {
            other.name == edge.name
                && other.version == edge.version
                && other.source == edge.source
                && other.marker == edge.marker
        };
        match merged.iter_mut().find(|other| same(other)) {
            Some(existing) => {
                existing.extra.extend(edge.extra);
                existing.extra.sort();
                existing.extra.dedup();
            }
            None => merged.push(edge),
        }
    }
    *edges = merged;
}

/// `own`: the member's requirements, in the graph's order.
fn member_metadata(
    lowering: &LockLowering<'_>,
    member: &MemberInfo,
    own: &[&MergedRequirement],
    groups: Option<&ManifestGroups>,
) -> PackageMetadata {
    let mut requires_dist = Vec::new();
    let mut requires_dev: BTreeMap<GroupName, Vec<LockRequirement>> = member
        .groups
        .iter()
        .chain(groups.into_iter().flat_map(|g| &g.names))
        .map(|group| (group.clone(), Vec::new()))
        .collect();
    for requirement in own {
        match &requirement.provenance.origin {
            Origin::Dependencies => requires_dist.push(lowering.requirement(requirement)),
            Origin::Extra(extra) => {
                requires_dist.push(with_extra_marker(lowering.requirement(requirement), extra));
            }
            Origin::Group(group) => requires_dev
                .entry(group.clone())
                .or_default()
                .push(lowering.requirement(requirement)),
            Origin::Constraint | Origin::Override => {}
        }
    }
    sort_requirements(&mut requires_dist);
    requires_dev.values_mut().for_each(sort_requirements);
    PackageMetadata {
        requires_dist,
        provides_extras: member.extras.clone(),
        requires_dev,
    }
}

/// R6.2: a requirement of extra `x` carries `extra == 'x'` in `requires-dist`.
fn with_extra_marker(mut requirement: LockRequirement, extra: &ExtraName) -> LockRequirement {
    let text = format!("extra == '{extra}'");
    // An extra name is a valid marker value by construction, so this always parses.
    if let Ok(marker) = text.parse::<MarkerTree>() {
        requirement.marker = marker_and(&requirement.marker, &marker);
    }
    requirement
}

fn artifacts(
    files: &[ResolvedFile],
    index: &RegistryLocation,
    root: &Path,
    spelling: &RegistrySpelling,
) -> (Option<Artifact>, Vec<Artifact>) {
    let mut sdist = None;
    let mut wheels = Vec::new();
    let mut ordered: Vec<&ResolvedFile> = files.iter().collect();
    ordered.sort_by_cached_key(|file| wheel_order(&file.filename));
    for file in ordered {
        let artifact = artifact(file, index, root, spelling);
        match file.kind {
            FileKind::Sdist if sdist.is_none() => sdist = Some(artifact),
            FileKind::Sdist => {}
            FileKind::Wheel => wheels.push(artifact),
        }
    }
    (sdist, wheels)
}

/// uv orders a version's wheels by their parsed tags, whose enums rank `py` before `cp`
/// before `pp` interpreters, `none` before `abi3` before CPython ABIs, and `any` before
/// manylinux before musllinux, macOS and Windows platforms; filenames with compressed tag
/// sets (`manylinux_2_17_x86_64.manylinux2014_x86_64`) come after single tags. This key
/// follows that order for the tags seen in practice and falls back to the text.
fn wheel_order(filename: &str) -> (bool, u8, Vec<u64>, u8, u8, String) {
    let stem = filename.strip_suffix(".whl").unwrap_or(filename);
    let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
    let (platform, abi, python) = match parts.as_slice() {
        [platform, abi, python, ..] => (*platform, *abi, *python),
        _ => {
            return (
                true,
                u8::MAX,
                Vec::new(),
                u8::MAX,
                u8::MAX,
                filename.to_string(),
            )
        }
    };
    let compressed = [platform, abi, python].iter().any(|tag| tag.contains('.'));
    let rank = |tag: &str, order: &[&str]| {
        order
            .iter()
            .position(|prefix| tag.starts_with(prefix))
            .map_or(u8::MAX, |i| i as u8)
    };
    let python_rank = rank(python, &["py", "cp", "pp", "graalpy", "pyston"]);
    let numbers: Vec<u64> = python
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .split('_')
        .filter_map(|part| part.parse().ok())
        .collect();
    let abi_rank = rank(abi, &["none", "abi3", "cp", "pypy", "graalpy", "pyston"]);
    let platform_rank = rank(
        platform,
        &[
            "any",
            "manylinux_",
            "manylinux1",
            "manylinux2010",
            "manylinux2014",
            "linux",
            "musllinux",
            "macosx",
            "win32",
            "win_amd64",
            "win_arm64",
        ],
    );
    (
        compressed,
        python_rank,
        numbers,
        abi_rank,
        platform_rank,
        filename.to_string(),
    )
}

/// A local file is written by its path relative to its registry (or absolute, when the registry
/// was given so: [`RegistrySpelling`]), a remote one by its URL. The hash and size are written
/// when the listing gave them, as uv 0.13.8 does: a find-links directory gives neither, a local
/// simple index its `#sha256=` digests, an HTTP index digests and (PEP 691) sizes.
fn artifact(
    file: &ResolvedFile,
    index: &RegistryLocation,
    root: &Path,
    spelling: &RegistrySpelling,
) -> Artifact {
    let location = match (&file.location, index) {
        (FileLocation::Url(url), _) => ArtifactLocation::Url(url.clone()),
        (FileLocation::Path(path), RegistryLocation::Path(dir)) => {
            ArtifactLocation::Path(spelling.file(dir, path))
        }
        (FileLocation::Path(path), RegistryLocation::Url(_)) => {
            ArtifactLocation::Path(relative_path(root, path))
        }
    };
    Artifact {
        location: Some(location),
        hash: file.sha256.as_ref().map(|hex| format!("sha256:{hex}")),
        size: file.size,
        upload_time: None,
    }
}

/// uv writes `[options]` only for modes that differ from its defaults.
fn lock_options(options: &ResolverOptions) -> LockOptions {
    LockOptions {
        resolution_mode: (options.resolution != ResolutionMode::default())
            .then(|| options.resolution.as_str().to_string()),
        prerelease_mode: (options.prerelease != PrereleaseMode::default())
            .then(|| options.prerelease.as_str().to_string()),
    }
}
