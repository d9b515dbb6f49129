//! Reachability: where each package of a merged resolution is actually installed.
//!
//! A fork admits every requirement whose marker overlaps it, so a fork can pull in a package
//! through a requirement that never applies where its source is installed (`p2` needed only on
//! Python ≥ 3.11 requiring `p3; python_version < '3.11'`). Like uv, the merge computes for
//! every package the OR over all paths from the members of the AND of the edge markers, and
//! drops the packages that are reachable nowhere.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use wslock_pep::{marker_and, marker_or, ExtraName, MarkerTree, PackageName, Version};

use crate::resolution::{ResolvedDependency, ResolvedPackage, ResolvedSource};

type Node = (PackageName, Version);

/// A package the workspace root requires itself (a virtual root's groups): its node, the
/// extras asked of it, and where.
pub(crate) type Seed = (Node, Vec<ExtraName>, MarkerTree);

/// Removes the packages no member reaches in any environment, and the edges into them.
pub(crate) fn prune_unreachable(
    packages: &mut BTreeMap<Node, ResolvedPackage>,
    everywhere: &MarkerTree,
    seeds: &[Seed],
) {
    let reach = reachability(packages, everywhere, seeds);
    // `retain` visits the packages in key order, the order `reach` is in.
    let mut reach = reach.into_iter();
    packages.retain(|_, _| reach.next().is_some_and(|marker| !marker.is_false()));
    let alive: Vec<Node> = packages.keys().cloned().collect();
    let keep = |edge: &ResolvedDependency| {
        alive
            .binary_search_by(|(name, version)| (name, version).cmp(&(&edge.name, &edge.version)))
            .is_ok()
    };
    for package in packages.values_mut() {
        package.dependencies.retain(keep);
        for edges in package.optional_dependencies.values_mut() {
            edges.retain(keep);
        }
        package
            .optional_dependencies
            .retain(|_, edges| !edges.is_empty());
        for edges in package.dependency_groups.values_mut() {
            edges.retain(keep);
        }
    }
}

/// One list of a package's edges, with each target's position in the package map.
struct EdgeList<'p> {
    /// The extra the list belongs to; `None` for the package's own dependencies and, for a
    /// member, its groups.
    extra: Option<&'p ExtraName>,
    edges: Vec<(usize, &'p ResolvedDependency)>,
}

/// Where each package is installed, in the order of `packages`. Members are installed
/// everywhere (`everywhere` is the workspace's `requires-python` as a marker) with all their
/// extras and groups; a registry package's extra is active where an edge asking for it is.
///
/// Packages are numbered by their place in the map and every edge's target is looked up once:
/// the propagation sweeps the whole graph until nothing widens, and looking nodes up by cloned
/// names and versions in every sweep was most of the merge's reachability time.
fn reachability<'p>(
    packages: &'p BTreeMap<Node, ResolvedPackage>,
    everywhere: &MarkerTree,
    seeds: &'p [Seed],
) -> Vec<MarkerTree> {
    let nodes: Vec<(&PackageName, &Version)> = packages
        .keys()
        .map(|(name, version)| (name, version))
        .collect();
    let position = |name: &PackageName, version: &Version| {
        nodes
            .binary_search_by(|node| node.cmp(&(name, version)))
            .ok()
    };
    let mut reach = vec![MarkerTree::FALSE; nodes.len()];
    let mut extra_reach: FxHashMap<(usize, &'p ExtraName), MarkerTree> = FxHashMap::default();
    for ((name, version), extras, marker) in seeds {
        let Some(at) = position(name, version) else {
            continue; // not in the resolution: it has nothing to pass on
        };
        widen(&mut reach[at], marker);
        for extra in extras {
            widen(
                extra_reach.entry((at, extra)).or_insert(MarkerTree::FALSE),
                marker,
            );
        }
    }
    let mut lists: Vec<Vec<EdgeList<'p>>> = Vec::with_capacity(nodes.len());
    for (at, package) in packages.values().enumerate() {
        let is_member = matches!(package.source, ResolvedSource::Member { .. });
        if is_member {
            reach[at] = everywhere.clone();
            for extra in package.optional_dependencies.keys() {
                extra_reach.insert((at, extra), everywhere.clone());
            }
        }
        let located = |edges: &'p [ResolvedDependency]| -> Vec<(usize, &'p ResolvedDependency)> {
            edges
                .iter()
                .filter_map(|edge| Some((position(&edge.name, &edge.version)?, edge)))
                .collect()
        };
        let mut own = vec![EdgeList {
            extra: None,
            edges: located(&package.dependencies),
        }];
        own.extend(
            package
                .optional_dependencies
                .iter()
                .map(|(extra, edges)| EdgeList {
                    extra: Some(extra),
                    edges: located(edges),
                }),
        );
        if is_member {
            own.extend(package.dependency_groups.values().map(|edges| EdgeList {
                extra: None,
                edges: located(edges),
            }));
        }
        lists.push(own);
    }
    loop {
        let mut changed = false;
        for (at, package_lists) in lists.iter().enumerate() {
            let own = reach[at].clone();
            if own.is_false() {
                continue; // nothing of it is installed anywhere (yet)
            }
            for list in package_lists {
                let active = match list.extra {
                    None => own.clone(),
                    Some(extra) => match extra_reach.get(&(at, extra)) {
                        Some(active) => marker_and(active, &own),
                        None => continue,
                    },
                };
                if active.is_false() {
                    continue;
                }
                for (target, edge) in &list.edges {
                    let there = marker_and(&active, &edge.marker);
                    changed |= widen(&mut reach[*target], &there);
                    for extra in &edge.extras {
                        let slot = extra_reach
                            .entry((*target, extra))
                            .or_insert(MarkerTree::FALSE);
                        changed |= widen(slot, &there);
                    }
                }
            }
        }
        if !changed {
            return reach;
        }
    }
}

/// `slot |= more`; whether that changed it.
fn widen(slot: &mut MarkerTree, more: &MarkerTree) -> bool {
    let wider = marker_or(slot, more);
    if wider == *slot {
        false
    } else {
        *slot = wider;
        true
    }
}
