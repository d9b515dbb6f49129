//! `wslock members`: the root, its kind and the members.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use wslock_workspace::paths::relative_path;
use wslock_workspace::{RootKind, Workspace};

/// `{"root": ..., "kind": ..., "members": [...]}`: the stable JSON shape of `wslock members`.
#[derive(Debug, Clone, Serialize)]
pub struct MembersReport {
    /// The workspace root, absolute. JSON has no room for non-UTF-8 bytes, so paths are
    /// rendered lossily (such bytes become U+FFFD).
    pub root: String,
    /// `explicit`, `virtual` or `project`.
    pub kind: RootKind,
    /// The members in name order.
    pub members: Vec<MemberEntry>,
}

/// One member in a [`MembersReport`].
#[derive(Debug, Clone, Serialize)]
pub struct MemberEntry {
    /// The PEP 503-normalised name.
    pub name: String,
    /// The static version, or `null` when it is dynamic.
    pub version: Option<String>,
    /// The member's directory, absolute (rendered like [`MembersReport::root`]).
    pub path: String,
}

impl MembersReport {
    /// The report of a discovered workspace.
    pub fn new(workspace: &Workspace) -> Self {
        Self {
            root: workspace.root().to_string_lossy().into_owned(),
            kind: workspace.kind(),
            members: workspace
                .members()
                .iter()
                .map(|member| MemberEntry {
                    name: member.name().to_string(),
                    version: member.version().map(ToString::to_string),
                    path: member.path().to_string_lossy().into_owned(),
                })
                .collect(),
        }
    }

    /// The report as pretty-printed JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        super::to_json(self)
    }

    /// The report as aligned text: the root and its kind, then one line per member with its
    /// path relative to the root.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "root: {} ({})", self.root, self.kind);
        if self.members.is_empty() {
            out.push_str("members: none\n");
            return out;
        }
        let _ = writeln!(out, "members: {}", self.members.len());
        let name_width = self.members.iter().map(|m| m.name.len()).max().unwrap_or(0);
        let versions: Vec<String> = self
            .members
            .iter()
            .map(|m| m.version.clone().unwrap_or_else(|| "(dynamic)".into()))
            .collect();
        let version_width = versions.iter().map(String::len).max().unwrap_or(0);
        for (member, version) in self.members.iter().zip(&versions) {
            let path = relative_path(Path::new(&member.path), Path::new(&self.root));
            let _ = writeln!(
                out,
                "  {:name_width$}  {:version_width$}  {}",
                member.name,
                version,
                path.display()
            );
        }
        out
    }
}
