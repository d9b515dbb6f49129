//! Merging the solutions of all forks into one universal resolution (resolver-notes B2).
//!
//! Identical (package, version) nodes are shared; an edge's marker is, over the forks where it
//! exists, the requirement's marker ANDed with the fork's marker, then written as simply as the
//! source package's own environments allow: a dependency that applies wherever its source is
//! installed gets no marker, one whose target version differs by fork names the forks.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use wslock_graph::{MemberInfo, WorkspaceGraph};
use wslock_index::{DistFile, Location};
use wslock_pep::{
    marker_and, marker_implies, marker_or, simplify_for_python, ExtraName, GroupName, MarkerTree,
    PackageName, RequiresPython, Version,
};

use crate::context::Context;
use crate::env::ForkEnv;
use crate::error::ResolveError;
use crate::pkg::Pkg;
use crate::provider::EdgeLog;
use crate::resolution::{
    FileKind, FileLocation, RegistryLocation, Resolution, ResolvedDependency, ResolvedFile,
    ResolvedPackage, ResolvedSource,
};

/// One finished fork: its environment, PubGrub's choice for every package, and the
/// requirements each chosen version had.
pub(crate) struct FinishedFork {
    pub env: ForkEnv,
    pub solution: FxHashMap<Pkg, Version>,
    pub edges: EdgeLog,
}

/// Which list of the source package an edge belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KindRef<'f> {
    Dependency,
    Extra(&'f ExtraName),
    Group(&'f GroupName),
}

type Node = (PackageName, Version);

/// A node borrowed from the forks; ordered like [`Node`].
type NodeRef<'f> = (&'f PackageName, &'f Version);

/// An edge: source, list, target, extras of the target.
type EdgeKey<'f> = (NodeRef<'f>, KindRef<'f>, NodeRef<'f>, &'f [ExtraName]);

#[derive(Default)]
struct EdgeMarkers {
    /// `requirement marker ∧ fork marker`, ORed over forks: exactly where the edge applies.
    exact: MarkerTree,
    /// The requirement markers alone, ORed over forks.
    requirement: MarkerTree,
}

pub(crate) fn merge(
    context: &Context<'_>,
    graph: &WorkspaceGraph,
    forks: Vec<FinishedFork>,
) -> Result<Resolution, ResolveError> {
    let requires_python = context.requires_python.clone();
    // Nodes and edges are keyed by references into the forks and sorted once at the end: a
    // BTreeMap keyed by cloned names and versions cost most of the merge at 10,000 members.
    // FxHash: hashing names and versions with SipHash was a third of the merge.
    let mut node_forks: FxHashMap<NodeRef<'_>, (MarkerTree, Vec<usize>)> = FxHashMap::default();
    let mut edges: FxHashMap<EdgeKey<'_>, EdgeMarkers> = FxHashMap::default();
    let mut root_seeds: Vec<crate::reach::Seed> = Vec::new();

    for (index, fork) in forks.iter().enumerate() {
        let mut chosen: FxHashMap<&PackageName, &Version> = FxHashMap::default();
        for (pkg, version) in &fork.solution {
            if let Pkg::Package(name) = pkg {
                chosen.insert(name, version);
                let (union, list) = node_forks
                    .entry((name, version))
                    .or_insert_with(|| (MarkerTree::FALSE, Vec::new()));
                *union = marker_or(union, &fork.env.marker);
                list.push(index);
            }
        }
        for ((pkg, version), needs) in &fork.edges {
            if fork.solution.get(pkg) != Some(version) {
                continue; // a version PubGrub tried and backtracked from
            }
            if *pkg == Pkg::Root {
                // The root's own requirements (a virtual root's dependency groups) install
                // packages no member reaches: they seed reachability. Member pins do not need to.
                for need in needs
                    .iter()
                    .filter(|need| !context.members.contains_key(&need.name))
                {
                    if let Some(&version) = chosen.get(&need.name) {
                        root_seeds.push((
                            (need.name.clone(), version.clone()),
                            need.extras.clone(),
                            marker_and(&need.marker, &fork.env.marker),
                        ));
                    }
                }
                continue;
            }
            let (source_name, kind) = match pkg {
                Pkg::Root | Pkg::Members(..) => continue,
                Pkg::Package(name) => (name, KindRef::Dependency),
                Pkg::Extra(name, extra) => (name, KindRef::Extra(extra)),
                Pkg::Group(name, group) => (name, KindRef::Group(group)),
            };
            let source = (source_name, version);
            for need in needs {
                let is_self_pin = &need.name == source_name
                    && need.extras.is_empty()
                    && kind != KindRef::Dependency;
                if is_self_pin {
                    continue; // the proxy's pin on its own base package
                }
                let Some(&target_version) = chosen.get(&need.name) else {
                    continue;
                };
                let target = (&need.name, target_version);
                let entry = edges
                    .entry((source, kind, target, need.extras.as_slice()))
                    .or_insert_with(|| EdgeMarkers {
                        exact: MarkerTree::FALSE,
                        requirement: MarkerTree::FALSE,
                    });
                entry.exact = marker_or(&entry.exact, &marker_and(&need.marker, &fork.env.marker));
                entry.requirement = marker_or(&entry.requirement, &need.marker);
            }
        }
    }

    let mut nodes: Vec<(NodeRef<'_>, &(MarkerTree, Vec<usize>))> = node_forks
        .iter()
        .map(|(node, facts)| (*node, facts))
        .collect();
    nodes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut versions_per_name: HashMap<&PackageName, usize> = HashMap::new();
    for ((name, _), _) in &nodes {
        *versions_per_name.entry(name).or_default() += 1;
    }
    // Supported environments are always written as forks, even a single one, as uv does.
    let forked = forks.len() > 1 || !context.options.environments.is_empty();
    let fork_marker =
        |index: usize| simplify_for_python(&forks[index].env.marker, &requires_python);

    // Looked up for every package: a linear search of the members made the merge quadratic.
    let members: HashMap<&PackageName, &MemberInfo> = graph
        .members()
        .iter()
        .rev() // the first member of a name wins, as with a search from the front
        .map(|member| (&member.name, member))
        .collect();
    let mut built: Vec<ResolvedPackage> = Vec::with_capacity(nodes.len());
    let mut position: FxHashMap<NodeRef<'_>, usize> = FxHashMap::default();
    for ((name, version), (_, fork_list)) in &nodes {
        let several = versions_per_name.get(name).copied().unwrap_or(0) > 1;
        position.insert((name, version), built.len());
        built.push(ResolvedPackage {
            name: (*name).clone(),
            version: (*version).clone(),
            source: source_of(context, &members, name, version)?,
            fork_markers: if forked && several {
                fork_list.iter().map(|&i| fork_marker(i)).collect()
            } else {
                Vec::new()
            },
            dependencies: Vec::new(),
            optional_dependencies: BTreeMap::new(),
            dependency_groups: BTreeMap::new(),
            files: files_of(context, &members, name, version)?,
        });
    }

    // In the order of the keys, as a BTreeMap of them would give: each list comes out sorted.
    let mut edges: Vec<(EdgeKey<'_>, EdgeMarkers)> = edges.into_iter().collect();
    edges.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((source, kind, (target, target_version), extras), markers) in edges {
        let source_space = node_forks
            .get(&source)
            .map_or(MarkerTree::TRUE, |(union, _)| union.clone());
        let marker = simplest_equivalent(&markers, &source_space, &requires_python);
        let dependency = ResolvedDependency {
            name: target.clone(),
            version: target_version.clone(),
            extras: extras.to_vec(),
            marker,
        };
        let Some(&at) = position.get(&source) else {
            continue;
        };
        let package = &mut built[at];
        match kind {
            KindRef::Dependency => package.dependencies.push(dependency),
            KindRef::Extra(extra) => package
                .optional_dependencies
                .entry(extra.clone())
                .or_default()
                .push(dependency),
            KindRef::Group(group) => package
                .dependency_groups
                .entry(group.clone())
                .or_default()
                .push(dependency),
        }
    }
    let mut packages: BTreeMap<Node, ResolvedPackage> = built
        .into_iter()
        .map(|package| ((package.name.clone(), package.version.clone()), package))
        .collect();

    for package in packages.values_mut() {
        inline_self_references(package);
    }
    crate::reach::prune_unreachable(&mut packages, &requires_python.marker(), &root_seeds);
    // uv lists a package's own fork markers only while several versions of its name remain.
    let mut remaining: HashMap<PackageName, usize> = HashMap::new();
    for (name, _) in packages.keys() {
        *remaining.entry(name.clone()).or_default() += 1;
    }
    for package in packages.values_mut() {
        if remaining.get(&package.name).copied().unwrap_or(0) < 2 {
            package.fork_markers.clear();
        }
    }
    let resolution = Resolution {
        requires_python: requires_python.clone(),
        fork_markers: if forked {
            (0..forks.len()).map(fork_marker).collect()
        } else {
            Vec::new()
        },
        packages: packages.into_values().collect(),
        options: context.options.clone(),
        supported_markers: context
            .options
            .environments
            .iter()
            .map(|marker| simplify_for_python(marker, &requires_python))
            .collect(),
    };
    // Freeing the forks' logs (every chosen version's requirements, per fork) was an eighth of
    // the merge at 1,000 members; nothing waits for it.
    rayon::spawn(move || drop(forks));
    Ok(resolution)
}

/// Replaces a package's edges to its own extras (`all = ["pkg[speed]"]` inside `pkg`) by the
/// edges those extras add, as uv writes them: a package never depends on itself in a lock.
fn inline_self_references(package: &mut ResolvedPackage) {
    // Almost no package names itself; the lists of the others are already sorted and unique,
    // so rebuilding them (cloning every extra's edges) would give them back unchanged.
    let names_itself = |edges: &[ResolvedDependency]| {
        edges
            .iter()
            .any(|edge| edge.name == package.name && edge.version == package.version)
    };
    let any_self = names_itself(&package.dependencies)
        || package
            .optional_dependencies
            .values()
            .any(|edges| names_itself(edges))
        || package
            .dependency_groups
            .values()
            .any(|edges| names_itself(edges));
    if !any_self {
        return;
    }
    let extras = package.optional_dependencies.clone();
    let expand = |edges: &[ResolvedDependency]| {
        let mut out = Vec::new();
        let mut seen: Vec<ExtraName> = Vec::new();
        inline_into(
            &package.name,
            &package.version,
            edges,
            &MarkerTree::TRUE,
            &extras,
            &mut seen,
            &mut out,
        );
        out.sort_by(|a, b| (&a.name, &a.version, &a.extras).cmp(&(&b.name, &b.version, &b.extras)));
        out.dedup_by(|a, b| {
            let same = a.name == b.name && a.version == b.version && a.extras == b.extras;
            if same {
                b.marker = marker_or(&a.marker, &b.marker);
            }
            same
        });
        out
    };
    package.dependencies = expand(&package.dependencies);
    let optional: BTreeMap<ExtraName, Vec<ResolvedDependency>> = extras
        .iter()
        .map(|(extra, edges)| (extra.clone(), expand(edges)))
        .collect();
    let groups: BTreeMap<GroupName, Vec<ResolvedDependency>> = package
        .dependency_groups
        .iter()
        .map(|(group, edges)| (group.clone(), expand(edges)))
        .collect();
    package.optional_dependencies = optional;
    package.dependency_groups = groups;
}

fn inline_into(
    name: &PackageName,
    version: &Version,
    edges: &[ResolvedDependency],
    under: &MarkerTree,
    extras: &BTreeMap<ExtraName, Vec<ResolvedDependency>>,
    seen: &mut Vec<ExtraName>,
    out: &mut Vec<ResolvedDependency>,
) {
    for edge in edges {
        let marker = marker_and(under, &edge.marker);
        if &edge.name != name || &edge.version != version {
            out.push(ResolvedDependency {
                marker,
                ..edge.clone()
            });
            continue;
        }
        for extra in &edge.extras {
            if seen.contains(extra) {
                continue;
            }
            seen.push(extra.clone());
            if let Some(inner) = extras.get(extra) {
                inline_into(name, version, inner, &marker, extras, seen, out);
            }
            seen.pop();
        }
    }
}

/// The simplest marker that, within the source package's own environments, means the same as
/// where the edge really applies: no marker, the requirement's own marker, or the exact one.
fn simplest_equivalent(
    markers: &EdgeMarkers,
    source_space: &MarkerTree,
    requires_python: &RequiresPython,
) -> MarkerTree {
    let within = |marker: &MarkerTree| marker_and(marker, source_space);
    let target = within(&markers.exact);
    let same = |candidate: &MarkerTree| {
        let candidate = within(candidate);
        marker_implies(&candidate, &target) && marker_implies(&target, &candidate)
    };
    let chosen = [MarkerTree::TRUE, markers.requirement.clone()]
        .into_iter()
        .find(same)
        .unwrap_or_else(|| markers.exact.clone());
    simplify_for_python(&chosen, requires_python)
}

fn source_of(
    context: &Context<'_>,
    members: &HashMap<&PackageName, &MemberInfo>,
    name: &PackageName,
    version: &Version,
) -> Result<ResolvedSource, ResolveError> {
    if let Some(member) = members.get(name) {
        return Ok(ResolvedSource::Member {
            kind: member.kind,
            path: member.path.clone(),
        });
    }
    let listing = context.source.versions(name)?;
    let registry = listing
        .get(version)
        .and_then(|info| info.files.first())
        .map(|file| registry_location(&file.registry))
        .unwrap_or(RegistryLocation::Url(String::new()));
    Ok(ResolvedSource::Registry { index: registry })
}

fn files_of(
    context: &Context<'_>,
    members: &HashMap<&PackageName, &MemberInfo>,
    name: &PackageName,
    version: &Version,
) -> Result<Vec<ResolvedFile>, ResolveError> {
    if members.contains_key(name) {
        return Ok(Vec::new());
    }
    let listing = context.source.versions(name)?;
    let Some(info) = listing.get(version) else {
        return Ok(Vec::new());
    };
    Ok(info.files.iter().map(resolved_file).collect())
}

fn resolved_file(file: &DistFile) -> ResolvedFile {
    ResolvedFile {
        filename: file.filename.as_str().to_string(),
        kind: if file.filename.is_wheel() {
            FileKind::Wheel
        } else {
            FileKind::Sdist
        },
        location: match &file.location {
            Location::Path(path) => FileLocation::Path(path.clone()),
            Location::Url(url) => FileLocation::Url(url.to_string()),
        },
        sha256: file.sha256.as_ref().map(|digest| digest.to_hex()),
        size: file.size,
    }
}

fn registry_location(location: &Location) -> RegistryLocation {
    match location {
        Location::Path(path) => RegistryLocation::Path(path.clone()),
        Location::Url(url) => RegistryLocation::Url(url.to_string()),
    }
}
