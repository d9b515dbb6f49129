//! `wslock graph`: members, the workspace edges between them, and cycles.

use std::fmt::Write as _;
use std::path::Path;

use petgraph::dot::{Config, Dot};
use serde::Serialize;
use wslock_graph::{EdgeView, MemberInfo, WorkspaceGraph};
use wslock_pep::marker_string;
use wslock_workspace::paths::relative_path;
use wslock_workspace::RootKind;

/// The member graph of a workspace, ready to print.
#[derive(Debug, Serialize)]
pub struct GraphReport<'a> {
    /// The workspace root, absolute.
    pub root: String,
    /// `explicit`, `virtual` or `project`.
    pub kind: RootKind,
    /// The intersection of the members' `requires-python`, if any member sets one.
    pub requires_python: Option<String>,
    /// The members, sorted by name.
    pub members: &'a [MemberInfo],
    /// The edges, sorted.
    pub edges: Vec<EdgeView<'a>>,
    /// Sets of members that require each other.
    pub cycles: Vec<Vec<String>>,
    #[serde(skip)]
    merged: &'a WorkspaceGraph,
}

impl<'a> GraphReport<'a> {
    /// The report of a merged workspace.
    pub fn new(merged: &'a WorkspaceGraph) -> Self {
        Self {
            root: merged.root().to_string_lossy().into_owned(),
            kind: merged.root_kind(),
            requires_python: merged.requires_python().map(ToString::to_string),
            members: merged.members(),
            edges: merged.graph().edges(),
            cycles: merged
                .graph()
                .cycles()
                .into_iter()
                .map(|cycle| cycle.iter().map(ToString::to_string).collect())
                .collect(),
            merged,
        }
    }

    /// JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        super::to_json(self)
    }

    /// One block per member: the member with its version, kind and path, then its edges.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let python = self.requires_python.as_deref().unwrap_or("(not set)");
        let _ = writeln!(
            out,
            "root: {} ({}), requires-python: {python}",
            self.root, self.kind
        );
        for member in self.members {
            let version = member
                .version
                .as_ref()
                .map_or("(dynamic)".to_string(), ToString::to_string);
            let path = relative_path(&member.path, Path::new(&self.root));
            let kind = serde_json::to_value(member.kind).ok();
            let kind = kind.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
            let _ = writeln!(out, "{} {version} ({kind} {})", member.name, path.display());
            for edge in self.edges.iter().filter(|edge| edge.from == &member.name) {
                let _ = writeln!(out, "  -> {}", describe_edge(edge));
            }
        }
        if self.cycles.is_empty() {
            out.push_str("cycles: none\n");
        } else {
            for cycle in &self.cycles {
                let _ = writeln!(out, "cycle: {}", cycle.join(" <-> "));
            }
        }
        out
    }

    /// Graphviz DOT, nodes labelled with names, edges with their origin and marker.
    pub fn to_dot(&self) -> String {
        let graph = self.merged.graph().graph();
        let edge_label = |_, edge: petgraph::graph::EdgeReference<'_, wslock_graph::MemberEdge>| {
            let weight = edge.weight();
            let mut label = weight.origin.to_string();
            if !weight.extras.is_empty() {
                let extras: Vec<&str> = weight.extras.iter().map(AsRef::as_ref).collect();
                let _ = write!(label, " [{}]", extras.join(","));
            }
            if let Some(marker) = marker_string(&weight.marker) {
                let _ = write!(label, " ; {marker}");
            }
            format!("label = \"{}\"", label.replace('"', "\\\""))
        };
        let node_label =
            |_, (_, name): (_, &wslock_pep::PackageName)| format!("label = \"{name}\"");
        format!(
            "{:?}",
            Dot::with_attr_getters(
                graph,
                &[Config::EdgeNoLabel, Config::NodeNoLabel],
                &edge_label,
                &node_label
            )
        )
    }
}

fn describe_edge(edge: &EdgeView<'_>) -> String {
    let mut text = edge.to.to_string();
    if !edge.extras.is_empty() {
        let extras: Vec<&str> = edge.extras.iter().map(AsRef::as_ref).collect();
        let _ = write!(text, "[{}]", extras.join(","));
    }
    let _ = write!(text, " ({})", edge.origin);
    if let Some(marker) = marker_string(edge.marker) {
        let _ = write!(text, " ; {marker}");
    }
    text
}
