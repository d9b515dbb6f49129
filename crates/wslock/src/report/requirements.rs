//! `wslock requirements`: the merged requirement list with provenance and sources.

use std::fmt::Write as _;

use serde::Serialize;
use wslock_graph::{MergedRequirement, RequirementSource, WorkspaceGraph};

/// Every merged requirement, plus root constraints and overrides.
#[derive(Debug, Serialize)]
pub struct RequirementsReport<'a> {
    /// The intersection of the members' `requires-python`, if any member sets one.
    pub requires_python: Option<String>,
    /// The requirements, by member, then `dependencies`, extras and groups in document order.
    pub requirements: &'a [MergedRequirement],
    /// Root `constraint-dependencies`.
    pub constraints: &'a [MergedRequirement],
    /// Root `override-dependencies`.
    pub overrides: &'a [MergedRequirement],
}

impl<'a> RequirementsReport<'a> {
    /// The report of a merged workspace.
    pub fn new(merged: &'a WorkspaceGraph) -> Self {
        Self {
            requires_python: merged.requires_python().map(ToString::to_string),
            requirements: merged.requirements(),
            constraints: merged.constraints(),
            overrides: merged.overrides(),
        }
    }

    /// JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        super::to_json(self)
    }

    /// One line per requirement: `member (origin): requirement  [source]`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let python = self.requires_python.as_deref().unwrap_or("(not set)");
        let _ = writeln!(out, "requires-python: {python}");
        let lists = [self.requirements, self.constraints, self.overrides];
        for requirement in lists.into_iter().flatten() {
            let member = requirement
                .provenance
                .member
                .as_ref()
                .map_or("(workspace)".to_string(), ToString::to_string);
            let _ = writeln!(
                out,
                "{member} ({}): {requirement}  [{}]",
                requirement.provenance.origin,
                source_kind(&requirement.source)
            );
        }
        out
    }
}

fn source_kind(source: &RequirementSource) -> String {
    match source {
        RequirementSource::Registry {
            index: Some(index), ..
        } => format!("index {}", index.name),
        RequirementSource::Registry { index: None, .. } => "registry".into(),
        RequirementSource::Workspace {
            editable: Some(false),
            ..
        } => "workspace, not editable".into(),
        RequirementSource::Workspace { .. } => "workspace".into(),
        RequirementSource::Path { .. } => "path".into(),
        RequirementSource::Git { .. } => "git".into(),
        RequirementSource::Url { .. } => "url".into(),
    }
}
