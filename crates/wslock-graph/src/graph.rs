//! The member graph: members as nodes, an edge A → B when A requires B through the workspace.

use std::collections::{BTreeSet, HashMap};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeRef};
use serde::Serialize;
use wslock_pep::{marker_string, ExtraName, MarkerTree, PackageName};

use crate::requirement::Origin;

/// Why A depends on B: the list the requirement sits in, its marker and the extras it asks of B.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEdge {
    /// `dependencies`, an extra or a group of A.
    pub origin: Origin,
    /// The environments where the requirement applies.
    pub marker: MarkerTree,
    /// Extras of B requested (`b[x]`).
    pub extras: Vec<ExtraName>,
}

/// Members and the workspace edges between them, in a `petgraph` graph.
///
/// Cycles are allowed, as in uv (two members may require each other); [`Self::cycles`] reports
/// them. A member's reference to its own extras is a self-loop and not reported as a cycle.
#[derive(Debug, Clone, Default)]
pub struct MemberGraph {
    graph: DiGraph<PackageName, MemberEdge>,
    nodes: HashMap<PackageName, NodeIndex>,
}

/// One edge, for rendering and iteration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeView<'a> {
    /// The requiring member.
    pub from: &'a PackageName,
    /// The required member.
    pub to: &'a PackageName,
    /// Where the requirement sits in `from`.
    pub origin: &'a Origin,
    /// The requirement's marker (`null` when unconditional).
    #[serde(serialize_with = "serialize_marker")]
    pub marker: &'a MarkerTree,
    /// Extras of `to` requested.
    pub extras: &'a [ExtraName],
}

fn serialize_marker<S: serde::Serializer>(
    marker: &&MarkerTree,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match marker_string(marker) {
        Some(text) => serializer.serialize_str(&text),
        None => serializer.serialize_none(),
    }
}

impl MemberGraph {
    /// A graph with these members and no edges.
    pub(crate) fn new<'a>(members: impl IntoIterator<Item = &'a PackageName>) -> Self {
        let mut graph = Self::default();
        for name in members {
            let node = graph.graph.add_node(name.clone());
            graph.nodes.insert(name.clone(), node);
        }
        graph
    }

    /// Adds an edge; unknown names are ignored (they were rejected while lowering).
    pub(crate) fn add_edge(&mut self, from: &PackageName, to: &PackageName, edge: MemberEdge) {
        if let (Some(&a), Some(&b)) = (self.nodes.get(from), self.nodes.get(to)) {
            self.graph.add_edge(a, b, edge);
        }
    }

    /// The underlying `petgraph` graph (nodes are member names).
    pub fn graph(&self) -> &DiGraph<PackageName, MemberEdge> {
        &self.graph
    }

    /// Member names, sorted.
    pub fn members(&self) -> Vec<&PackageName> {
        let mut names: Vec<&PackageName> = self.graph.node_weights().collect();
        names.sort();
        names
    }

    /// Every edge, sorted by (from, to, origin, marker text) so output is deterministic.
    pub fn edges(&self) -> Vec<EdgeView<'_>> {
        let mut edges: Vec<EdgeView<'_>> = self
            .graph
            .edge_references()
            .map(|edge| EdgeView {
                from: &self.graph[edge.source()],
                to: &self.graph[edge.target()],
                origin: &edge.weight().origin,
                marker: &edge.weight().marker,
                extras: &edge.weight().extras,
            })
            .collect();
        edges.sort_by(|a, b| {
            (a.from, a.to, a.origin, marker_string(a.marker), a.extras).cmp(&(
                b.from,
                b.to,
                b.origin,
                marker_string(b.marker),
                b.extras,
            ))
        });
        edges.dedup();
        edges
    }

    /// Groups of two or more members that require each other, each sorted, the list sorted.
    pub fn cycles(&self) -> Vec<Vec<PackageName>> {
        let mut cycles: Vec<Vec<PackageName>> = tarjan_scc(&self.graph)
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let mut names: Vec<PackageName> = component
                    .into_iter()
                    .map(|node| self.graph[node].clone())
                    .collect();
                names.sort();
                names
            })
            .collect();
        cycles.sort();
        cycles
    }

    /// `name` and every member it reaches through any edge.
    pub fn reachable_from(&self, name: &PackageName) -> BTreeSet<PackageName> {
        let Some(&start) = self.nodes.get(name) else {
            return BTreeSet::new();
        };
        let mut reached = BTreeSet::new();
        let mut dfs = Dfs::new(&self.graph, start);
        while let Some(node) = dfs.next(&self.graph) {
            reached.insert(self.graph[node].clone());
        }
        reached
    }

    /// The subgraph induced by `keep`.
    pub(crate) fn restricted_to(&self, keep: &BTreeSet<PackageName>) -> Self {
        let graph = self.graph.filter_map(
            |_, name| keep.contains(name).then(|| name.clone()),
            |_, edge| Some(edge.clone()),
        );
        let nodes = graph
            .node_indices()
            .map(|node| (graph[node].clone(), node))
            .collect();
        Self { graph, nodes }
    }
}
