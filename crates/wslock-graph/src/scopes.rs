//! Source entries limited to an extra or a dependency group (`extra = "e"`, `group = "g"`).
//!
//! uv checks them once per project, against that project's *own* `tool.uv.sources` and its own
//! extras and groups, before lowering anything (`RequiresDist::validate_sources`): an entry
//! limited to `e` must name an extra of the project that lists the package, and likewise for
//! groups, where groups are taken after `include-group` is expanded and the legacy
//! `tool.uv.dev-dependencies` count as group `dev`. The check does not depend on whether the
//! entry is ever used, so an entry for a package the project does not require still fails.
//!
//! Two consequences, both observed with uv 0.13.8:
//! - a virtual root's entries are never checked: they exist for the members' extras and groups
//!   (root `foo = { path = "...", extra = "cuda" }` serves every member's `cuda` extra);
//! - an entry a member inherits from the root is checked against the root project, never
//!   against the member that inherits it.

use std::path::Path;

use indexmap::IndexMap;
use wslock_pep::GroupName;
use wslock_workspace::pyproject::PyProject;

use crate::error::GraphError;
use crate::groups::GroupRequirement;

/// Checks the extra- and group-limited entries of `manifest`'s own `tool.uv.sources`, given its
/// flattened groups.
pub(crate) fn check_source_scopes(
    manifest: &PyProject,
    manifest_path: &Path,
    groups: &IndexMap<GroupName, Vec<GroupRequirement>>,
) -> Result<(), GraphError> {
    let Some(uv) = &manifest.tool_uv else {
        return Ok(());
    };
    let extras = manifest
        .project
        .as_ref()
        .map(|project| &project.optional_dependencies);
    for (name, entries) in uv.sources.iter() {
        for entry in entries {
            if let Some(extra) = &entry.extra {
                let requirements = extras.and_then(|extras| extras.get(extra));
                if !requirements.is_some_and(|list| list.iter().any(|r| &r.name == name)) {
                    return Err(GraphError::SourceExtraMismatch {
                        manifest: manifest_path.to_path_buf(),
                        package: name.clone(),
                        extra: extra.clone(),
                        defined: requirements.is_some(),
                    });
                }
            }
            if let Some(group) = &entry.group {
                let requirements = groups.get(group);
                if !requirements.is_some_and(|list| list.iter().any(|(r, _)| &r.name == name)) {
                    return Err(GraphError::SourceGroupMismatch {
                        manifest: manifest_path.to_path_buf(),
                        package: name.clone(),
                        group: group.clone(),
                        defined: requirements.is_some(),
                    });
                }
            }
        }
    }
    Ok(())
}
