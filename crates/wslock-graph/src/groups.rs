//! Flattening PEP 735 dependency groups (`include-group`) and the legacy `dev-dependencies`.

use std::path::Path;

use indexmap::IndexMap;
use wslock_pep::{marker_and, GroupName, MarkerTree, Ranges, Requirement, RequiresPython};
use wslock_workspace::pyproject::{GroupEntry, PyProject};

use crate::error::GraphError;

/// A requirement of a flattened group, with the marker that the group's own (and any including
/// group's) `tool.uv.dependency-groups.<g>.requires-python` adds.
pub(crate) type GroupRequirement = (Requirement, MarkerTree);

/// Every group of `manifest`, includes expanded, in document order; legacy
/// `tool.uv.dev-dependencies` appended to `dev` after flattening, as uv does (nothing can
/// include the legacy list, R6.4). Empty groups are kept: uv locks them as `x = []`.
pub(crate) fn flatten_groups(
    manifest: &PyProject,
    manifest_path: &Path,
) -> Result<IndexMap<GroupName, Vec<GroupRequirement>>, GraphError> {
    let mut flattener = Flattener {
        manifest,
        manifest_path,
        done: IndexMap::new(),
        stack: Vec::new(),
    };
    for (name, _) in manifest.dependency_groups.iter() {
        flattener.flatten(name)?;
    }
    let mut groups = flattener.done;
    // Restore document order: recursion finishes included groups first.
    groups.sort_by_cached_key(|name, _| {
        manifest
            .dependency_groups
            .iter()
            .position(|(group, _)| group == name)
    });
    if let Some(legacy) = manifest
        .tool_uv
        .as_ref()
        .and_then(|uv| uv.dev_dependencies.as_ref())
    {
        let dev = GroupName::new("dev").expect("`dev` is a valid group name");
        groups.entry(dev).or_default().extend(
            legacy
                .iter()
                .map(|requirement| (requirement.clone(), MarkerTree::TRUE)),
        );
    }
    Ok(groups)
}

struct Flattener<'a> {
    manifest: &'a PyProject,
    manifest_path: &'a Path,
    done: IndexMap<GroupName, Vec<GroupRequirement>>,
    stack: Vec<GroupName>,
}

impl Flattener<'_> {
    fn flatten(&mut self, name: &GroupName) -> Result<Vec<GroupRequirement>, GraphError> {
        if let Some(done) = self.done.get(name) {
            return Ok(done.clone());
        }
        if let Some(position) = self.stack.iter().position(|open| open == name) {
            let mut cycle = self.stack[position..].to_vec();
            cycle.push(name.clone());
            return Err(GraphError::GroupCycle {
                manifest: self.manifest_path.to_path_buf(),
                cycle,
            });
        }
        let entries = self
            .manifest
            .dependency_groups
            .get(name)
            .unwrap_or_default();
        let own_marker = self.group_marker(name);
        self.stack.push(name.clone());
        let mut flat = Vec::new();
        for entry in entries {
            match entry {
                GroupEntry::Requirement(requirement) => {
                    flat.push((requirement.clone(), own_marker.clone()));
                }
                GroupEntry::IncludeGroup(included) => {
                    if !self.manifest.dependency_groups.contains(included) {
                        return Err(GraphError::UnknownIncludedGroup {
                            manifest: self.manifest_path.to_path_buf(),
                            group: included.clone(),
                            included_by: name.clone(),
                        });
                    }
                    for (requirement, marker) in self.flatten(included)? {
                        flat.push((requirement, marker_and(&marker, &own_marker)));
                    }
                }
            }
        }
        self.stack.pop();
        self.done.insert(name.clone(), flat.clone());
        Ok(flat)
    }

    /// `tool.uv.dependency-groups.<g>.requires-python` as a marker (true when unset).
    ///
    /// Only the bounds count, as in uv: `>=3.10,!=3.12.*` gives `python_full_version >=
    /// '3.10'`; the hole a `!=` makes is not carried into the marker.
    fn group_marker(&self, name: &GroupName) -> MarkerTree {
        self.manifest
            .tool_uv
            .as_ref()
            .and_then(|uv| uv.dependency_groups.get(name))
            .and_then(|settings| settings.requires_python.as_ref())
            .map_or(MarkerTree::TRUE, |specifiers| {
                let range = RequiresPython::from_specifiers(specifiers);
                match range.range().bounding_range() {
                    Some(bounds) => {
                        let (lower, upper) = (bounds.0.cloned(), bounds.1.cloned());
                        RequiresPython::from_range(Ranges::from_range_bounds((lower, upper)))
                            .marker()
                    }
                    None => MarkerTree::FALSE,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wslock_pep::marker_string;

    fn manifest(text: &str) -> PyProject {
        wslock_workspace::pyproject::parse(Path::new("/w/pyproject.toml"), text).unwrap()
    }

    fn names(groups: &IndexMap<GroupName, Vec<GroupRequirement>>, group: &str) -> Vec<String> {
        groups[&GroupName::new(group).unwrap()]
            .iter()
            .map(|(requirement, marker)| match marker_string(marker) {
                Some(marker) => format!("{} ; {marker}", requirement.name),
                None => requirement.name.to_string(),
            })
            .collect()
    }

    #[test]
    fn includes_are_expanded_in_document_order_and_legacy_dev_is_appended() {
        let groups = flatten_groups(
            &manifest(
                r#"
[dependency-groups]
test = ["pytest", { include-group = "lint" }]
lint = ["ruff"]
empty = []
[tool.uv]
dev-dependencies = ["ipython"]
[tool.uv.dependency-groups]
lint = { requires-python = ">=3.10" }
"#,
            ),
            Path::new("/w/pyproject.toml"),
        )
        .unwrap();
        let order: Vec<&str> = groups.keys().map(GroupName::as_str).collect();
        assert_eq!(order, ["test", "lint", "empty", "dev"]);
        assert_eq!(
            names(&groups, "test"),
            ["pytest", "ruff ; python_full_version >= '3.10'"]
        );
        assert_eq!(names(&groups, "dev"), ["ipython"]);
        assert!(names(&groups, "empty").is_empty());
    }

    #[test]
    fn cycles_and_unknown_includes_are_errors() {
        let path = Path::new("/w/pyproject.toml");
        let cyclic = manifest(
            "[dependency-groups]\na = [{ include-group = \"b\" }]\nb = [{ include-group = \"c\" }]\nc = [{ include-group = \"a\" }]\n",
        );
        let error = flatten_groups(&cyclic, path).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the dependency groups of `/w/pyproject.toml` include each other in a cycle: a -> b -> c -> a"
        );
        let own = manifest("[dependency-groups]\na = [{ include-group = \"a\" }]\n");
        assert!(matches!(
            flatten_groups(&own, path),
            Err(GraphError::GroupCycle { .. })
        ));
        let unknown = manifest("[dependency-groups]\na = [{ include-group = \"missing\" }]\n");
        assert!(matches!(
            flatten_groups(&unknown, path),
            Err(GraphError::UnknownIncludedGroup { .. })
        ));
    }
}
