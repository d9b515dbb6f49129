//! Reachability: where each package of a merged resolution is actually installed.
//!
//! A fork admits every requirement whose marker overlaps it, so a fork can pull in a package
//! through a requirement that never applies where its source is installed (`p2` needed only on
//! Python ≥ 3.11 requiring `p3; python_version < '3.11'`). Like uv, the merge computes for
//! every package the OR over all paths from the members of the AND of the edge markers, and
//! drops the packages that are reachable nowhere.

use std::collections::BTreeMap;

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
    packages.retain(|node, _| reach.get(node).is_some_and(|marker| !marker.is_false()));
    let alive: Vec<Node> = packages.keys().cloned().collect();
    let keep = |edge: &ResolvedDependency| {
        alive
            .binary_search(&(edge.name.clone(), edge.version.clone()))
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

/// Where each package is installed. Members are installed everywhere (`everywhere` is the
/// workspace's `requires-python` as a marker) with all their extras and groups; a registry
/// package's extra is active where an edge asking for it is.
fn reachability(
    packages: &BTreeMap<Node, ResolvedPackage>,
    everywhere: &MarkerTree,
    seeds: &[Seed],
) -> BTreeMap<Node, MarkerTree> {
    let mut reach: BTreeMap<Node, MarkerTree> = BTreeMap::new();
    let mut extra_reach: BTreeMap<(Node, ExtraName), MarkerTree> = BTreeMap::new();
    for (node, extras, marker) in seeds {
        widen(
            reach.entry(node.clone()).or_insert(MarkerTree::FALSE),
            marker,
        );
        for extra in extras {
            let slot = extra_reach
                .entry((node.clone(), extra.clone()))
                .or_insert(MarkerTree::FALSE);
            widen(slot, marker);
        }
    }
    for (node, package) in packages {
        if matches!(package.source, ResolvedSource::Member { .. }) {
            reach.insert(node.clone(), everywhere.clone());
            for extra in package.optional_dependencies.keys() {
                extra_reach.insert((node.clone(), extra.clone()), everywhere.clone());
            }
        }
    }
    loop {
        let mut changed = false;
        for (node, package) in packages {
            let own = reach.get(node).cloned().unwrap_or(MarkerTree::FALSE);
            let is_member = matches!(package.source, ResolvedSource::Member { .. });
            let mut lists: Vec<(MarkerTree, &Vec<ResolvedDependency>)> =
                vec![(own.clone(), &package.dependencies)];
            for (extra, edges) in &package.optional_dependencies {
                let active = extra_reach
                    .get(&(node.clone(), extra.clone()))
                    .cloned()
                    .unwrap_or(MarkerTree::FALSE);
                lists.push((marker_and(&active, &own), edges));
            }
            if is_member {
                lists.extend(
                    package
                        .dependency_groups
                        .values()
                        .map(|edges| (own.clone(), edges)),
                );
            }
            for (active, edges) in lists {
                if active.is_false() {
                    continue;
                }
                for edge in edges {
                    let there = marker_and(&active, &edge.marker);
                    let target = (edge.name.clone(), edge.version.clone());
                    changed |= widen(
                        reach.entry(target.clone()).or_insert(MarkerTree::FALSE),
                        &there,
                    );
                    for extra in &edge.extras {
                        let slot = extra_reach
                            .entry((target.clone(), extra.clone()))
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
