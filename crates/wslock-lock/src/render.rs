//! The TOML rendering, in uv.lock's exact shape.
//!
//! uv builds the lock with `toml_edit`; [`crate::toml_text`] writes the same layout directly:
//! values of a table first, then its sub-tables; arrays of packages, markers and members one
//! element per line with a trailing comma; `requires-dist` and friends inline when they have
//! one element.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use wslock_pep::{MarkerTree, PackageName};

use crate::markers::marker_text;
use crate::model::{Artifact, ArtifactLocation, LockDependency, LockPackage, LockPlan, Manifest};
use crate::requirement::LockRequirement;
use crate::toml_text::{InlineTable, Layout, TomlText, Value};

impl LockPlan {
    /// The plan as `uv.lock` text, byte for byte as uv 0.13.8 writes the same lock.
    pub fn to_toml(&self) -> String {
        let mut toml = TomlText::default();
        toml.entry("version", |value| value.integer(u64::from(self.version)));
        if self.revision > 0 {
            toml.entry("revision", |value| value.integer(u64::from(self.revision)));
        }
        toml.entry("requires-python", |value| {
            value.string(&self.requires_python.to_string())
        });
        markers_entry(&mut toml, "resolution-markers", &self.resolution_markers);
        markers_entry(&mut toml, "supported-markers", &self.supported_markers);
        if !self.options.is_empty() {
            toml.table(&["options"]);
            if let Some(mode) = &self.options.resolution_mode {
                toml.entry("resolution-mode", |value| value.string(mode));
            }
            if let Some(mode) = &self.options.prerelease_mode {
                toml.entry("prerelease-mode", |value| value.string(mode));
            }
        }
        write_manifest(&mut toml, &self.manifest);
        let mut count_by_name: HashMap<&PackageName, usize> = HashMap::new();
        for package in &self.packages {
            *count_by_name.entry(&package.name).or_default() += 1;
        }
        // Each `[[package]]` is written on its own, in parallel, and the texts are joined with
        // the blank line that separates tables.
        let rendered: Vec<String> = self
            .packages
            .par_iter()
            .map(|package| {
                let mut one = TomlText::default();
                write_package(&mut one, package, &count_by_name);
                one.into_string()
            })
            .collect();
        let mut text = toml.into_string();
        text.reserve(rendered.iter().map(|package| package.len() + 1).sum());
        for package in &rendered {
            text.push('\n');
            text.push_str(package);
        }
        text
    }
}

fn write_manifest(toml: &mut TomlText, manifest: &Manifest) {
    let is_empty = manifest.members.is_empty()
        && manifest.constraints.is_empty()
        && manifest.overrides.is_empty()
        && manifest.dependency_groups.is_empty()
        && manifest.group_requires_python.is_empty();
    if is_empty {
        return;
    }
    toml.table(&["manifest"]);
    if !manifest.members.is_empty() {
        toml.entry("members", |value| {
            value.array(Layout::OnePerLine, &manifest.members, |value, name| {
                value.string(name.as_ref())
            })
        });
    }
    if !manifest.constraints.is_empty() {
        toml.entry("constraints", |value| {
            requirements_array(value, &manifest.constraints)
        });
    }
    if !manifest.overrides.is_empty() {
        toml.entry("overrides", |value| {
            requirements_array(value, &manifest.overrides)
        });
    }
    if !manifest.dependency_groups.is_empty() {
        toml.table(&["manifest", "dependency-groups"]);
        for (group, requirements) in &manifest.dependency_groups {
            toml.entry(group.as_str(), |value| {
                requirements_array(value, requirements)
            });
        }
    }
    group_requires_python(
        toml,
        &["manifest", "group-requires-python"],
        &manifest.group_requires_python,
    );
}

fn write_package(
    toml: &mut TomlText,
    package: &LockPackage,
    count_by_name: &HashMap<&PackageName, usize>,
) {
    toml.array_of_tables(&["package"]);
    toml.entry("name", |value| value.string(package.name.as_ref()));
    if let Some(version) = &package.version {
        toml.entry("version", |value| value.string(&version.to_string()));
    }
    toml.entry("source", |value| {
        value.inline_table(|table| source_pairs(table, package.source.pairs()))
    });
    markers_entry(toml, "resolution-markers", &package.resolution_markers);
    let edges = |value: Value<'_>, list: &[LockDependency]| {
        value.array(Layout::OnePerLine, list, |value, edge| {
            value.inline_table(|table| edge_table(table, edge, count_by_name))
        })
    };
    if !package.dependencies.is_empty() {
        toml.entry("dependencies", |value| edges(value, &package.dependencies));
    }
    if let Some(sdist) = &package.sdist {
        toml.entry("sdist", |value| {
            value.inline_table(|table| artifact_table(table, sdist))
        });
    }
    if !package.wheels.is_empty() {
        toml.entry("wheels", |value| {
            value.array(Layout::OnePerLine, &package.wheels, |value, wheel| {
                value.inline_table(|table| artifact_table(table, wheel))
            })
        });
    }
    edge_lists(
        toml,
        "optional-dependencies",
        &package.optional_dependencies,
        &edges,
    );
    edge_lists(toml, "dev-dependencies", &package.dev_dependencies, &edges);
    group_requires_python(
        toml,
        &["package", "group-requires-python"],
        &package.group_requires_python,
    );
    let metadata = &package.metadata;
    if !metadata.is_empty() {
        toml.table(&["package", "metadata"]);
        if !metadata.requires_dist.is_empty() {
            toml.entry("requires-dist", |value| {
                requirements_array(value, &metadata.requires_dist)
            });
        }
        if !metadata.provides_extras.is_empty() {
            // A list of names: uv keeps it on one line.
            toml.entry("provides-extras", |value| {
                value.strings(
                    Layout::Inline,
                    metadata.provides_extras.iter().map(AsRef::as_ref),
                )
            });
        }
        if !metadata.requires_dev.is_empty() {
            toml.table(&["package", "metadata", "requires-dev"]);
            for (group, requirements) in &metadata.requires_dev {
                toml.entry(group.as_str(), |value| {
                    requirements_array(value, requirements)
                });
            }
        }
    }
}

/// A `[package.<key>]` table of edge lists by extra or group, holding the lists that are not
/// empty, when there are any.
fn edge_lists<K: AsRef<str>>(
    toml: &mut TomlText,
    key: &str,
    lists: &BTreeMap<K, Vec<LockDependency>>,
    edges: &impl Fn(Value<'_>, &[LockDependency]),
) {
    let mut lists = lists.iter().filter(|(_, list)| !list.is_empty()).peekable();
    if lists.peek().is_none() {
        return;
    }
    toml.table(&["package", key]);
    for (name, list) in lists {
        toml.entry(name.as_ref(), |value| edges(value, list));
    }
}

/// A `[... .group-requires-python]` table of specifiers by group, when there are any.
fn group_requires_python<G: AsRef<str>>(
    toml: &mut TomlText,
    path: &[&str],
    specifiers: &BTreeMap<G, String>,
) {
    if specifiers.is_empty() {
        return;
    }
    toml.table(path);
    for (group, specifiers) in specifiers {
        toml.entry(group.as_ref(), |value| value.string(specifiers));
    }
}

/// `{ name = "...", version = "...", source = { ... }, extra = [...], marker = "..." }`, with
/// version and source only when the plan has several packages of that name.
fn edge_table(
    table: &mut InlineTable<'_>,
    edge: &LockDependency,
    count_by_name: &HashMap<&PackageName, usize>,
) {
    table.string("name", edge.name.as_ref());
    if count_by_name.get(&edge.name).copied().unwrap_or(0) > 1 {
        if let Some(version) = &edge.version {
            table.string("version", &version.to_string());
        }
        table.entry("source", |value| {
            value.inline_table(|source| source_pairs(source, edge.source.pairs()))
        });
    }
    if !edge.extra.is_empty() {
        table.entry("extra", |value| {
            value.strings(Layout::Inline, edge.extra.iter().map(AsRef::as_ref))
        });
    }
    if let Some(marker) = marker_text(&edge.marker) {
        table.string("marker", &marker);
    }
}

fn source_pairs<V: AsRef<str>>(table: &mut InlineTable<'_>, pairs: Vec<(&'static str, V)>) {
    for (key, text) in pairs {
        table.string(key, text.as_ref());
    }
}

/// `{ name, extras, groups, marker, <source keys> }`, the order of uv's serialised requirement.
fn requirement_table(table: &mut InlineTable<'_>, requirement: &LockRequirement) {
    table.string("name", requirement.name.as_ref());
    if !requirement.extras.is_empty() {
        table.entry("extras", |value| {
            value.strings(Layout::Inline, requirement.extras.iter().map(AsRef::as_ref))
        });
    }
    if !requirement.groups.is_empty() {
        table.entry("groups", |value| {
            value.strings(
                Layout::Inline,
                requirement.groups.iter().map(|g| g.as_str()),
            )
        });
    }
    if let Some(marker) = marker_text(&requirement.marker) {
        table.string("marker", &marker);
    }
    source_pairs(table, requirement.source.pairs());
}

fn artifact_table(table: &mut InlineTable<'_>, artifact: &Artifact) {
    match &artifact.location {
        Some(ArtifactLocation::Url(url)) => table.string("url", url),
        Some(ArtifactLocation::Path(path)) => table.string("path", path),
        Some(ArtifactLocation::Filename(name)) => table.string("filename", name),
        None => {}
    }
    if let Some(hash) = &artifact.hash {
        table.string("hash", hash);
    }
    if let Some(size) = artifact.size {
        // TOML integers are signed 64-bit: larger sizes are written as the largest.
        let size = size.min(i64::MAX as u64);
        table.entry("size", |value| value.integer(size));
    }
    if let Some(time) = &artifact.upload_time {
        table.string("upload-time", time);
    }
}

/// Empty, one inline element, or one element per line: how uv lays out requirement lists.
fn requirements_array(value: Value<'_>, requirements: &[LockRequirement]) {
    let layout = if requirements.len() > 1 {
        Layout::OnePerLine
    } else {
        Layout::Inline
    };
    value.array(layout, requirements, |value, requirement| {
        value.inline_table(|table| requirement_table(table, requirement))
    });
}

/// `key = [...]`, one marker per line, unless no marker has a text.
fn markers_entry(toml: &mut TomlText, key: &str, markers: &[MarkerTree]) {
    let texts: Vec<String> = markers.iter().filter_map(marker_text).collect();
    if !texts.is_empty() {
        toml.entry(key, |value| {
            value.strings(Layout::OnePerLine, texts.iter().map(String::as_str))
        });
    }
}
