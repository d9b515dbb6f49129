//! The TOML rendering, in uv.lock's exact shape.
//!
//! The document is built with `toml_edit`, as uv builds it, so that key order, inline tables,
//! array layout and blank lines come out the same: values of a table first, then its
//! sub-tables; arrays of packages, markers and members one element per line with a trailing
//! comma; `requires-dist` and friends inline when they have one element.

use std::collections::HashMap;

use rayon::prelude::*;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};
use wslock_pep::{MarkerTree, PackageName};

use crate::markers::marker_text;
use crate::model::{Artifact, ArtifactLocation, LockDependency, LockPackage, LockPlan, Manifest};
use crate::requirement::LockRequirement;

impl LockPlan {
    /// The plan as `uv.lock` text, byte for byte as uv 0.13.8 writes the same lock.
    pub fn to_toml(&self) -> String {
        let mut doc = DocumentMut::new();
        doc.insert("version", value(i64::from(self.version)));
        if self.revision > 0 {
            doc.insert("revision", value(i64::from(self.revision)));
        }
        doc.insert("requires-python", value(self.requires_python.to_string()));
        let markers = markers_array(&self.resolution_markers);
        if !markers.is_empty() {
            doc.insert("resolution-markers", value(markers));
        }
        let supported = markers_array(&self.supported_markers);
        if !supported.is_empty() {
            doc.insert("supported-markers", value(supported));
        }
        if !self.options.is_empty() {
            let mut options = Table::new();
            if let Some(mode) = &self.options.resolution_mode {
                options.insert("resolution-mode", value(mode.as_str()));
            }
            if let Some(mode) = &self.options.prerelease_mode {
                options.insert("prerelease-mode", value(mode.as_str()));
            }
            doc.insert("options", Item::Table(options));
        }
        let manifest = manifest_table(&self.manifest);
        if !manifest.is_empty() {
            doc.insert("manifest", Item::Table(manifest));
        }
        let mut count_by_name: HashMap<&PackageName, usize> = HashMap::new();
        for package in &self.packages {
            *count_by_name.entry(&package.name).or_default() += 1;
        }
        // Each `[[package]]` is rendered on its own, in parallel, and the texts are joined: one
        // document holding every package was most of the memory of a large plan (the
        // `toml_edit` tree is ~25 times the size of its text) and rendered on one core.
        // `toml_edit` puts a blank line before every table but a document's first, so the
        // joined text is the one-document text.
        let rendered: Vec<String> = self
            .packages
            .par_iter()
            .map(|package| {
                let mut packages = ArrayOfTables::new();
                packages.push(package_table(package, &count_by_name));
                let mut one = DocumentMut::new();
                one.insert("package", Item::ArrayOfTables(packages));
                one.to_string()
            })
            .collect();
        let mut text = doc.to_string();
        text.reserve(rendered.iter().map(|package| package.len() + 1).sum());
        for package in &rendered {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(package);
        }
        text
    }
}

fn manifest_table(manifest: &Manifest) -> Table {
    let mut table = Table::new();
    if !manifest.members.is_empty() {
        let members = manifest
            .members
            .iter()
            .map(|name| Value::from(name.to_string()));
        table.insert("members", value(one_per_line(members)));
    }
    if !manifest.constraints.is_empty() {
        table.insert(
            "constraints",
            value(requirements_array(&manifest.constraints)),
        );
    }
    if !manifest.overrides.is_empty() {
        table.insert("overrides", value(requirements_array(&manifest.overrides)));
    }
    if !manifest.dependency_groups.is_empty() {
        let mut groups = Table::new();
        for (group, requirements) in &manifest.dependency_groups {
            groups.insert(group.as_str(), value(requirements_array(requirements)));
        }
        table.insert("dependency-groups", Item::Table(groups));
    }
    if !manifest.group_requires_python.is_empty() {
        let mut pythons = Table::new();
        for (group, specifiers) in &manifest.group_requires_python {
            pythons.insert(group.as_str(), value(specifiers.as_str()));
        }
        table.insert("group-requires-python", Item::Table(pythons));
    }
    table
}

fn package_table(package: &LockPackage, count_by_name: &HashMap<&PackageName, usize>) -> Table {
    let mut table = Table::new();
    table.insert("name", value(package.name.to_string()));
    if let Some(version) = &package.version {
        table.insert("version", value(version.to_string()));
    }
    table.insert("source", value(source_table(package.source.pairs())));
    let markers = markers_array(&package.resolution_markers);
    if !markers.is_empty() {
        table.insert("resolution-markers", value(markers));
    }
    let edges = |list: &[LockDependency]| {
        one_per_line(
            list.iter()
                .map(|edge| Value::InlineTable(edge_table(edge, count_by_name))),
        )
    };
    if !package.dependencies.is_empty() {
        table.insert("dependencies", value(edges(&package.dependencies)));
    }
    if let Some(sdist) = &package.sdist {
        table.insert("sdist", value(artifact_table(sdist)));
    }
    if !package.wheels.is_empty() {
        let wheels = package
            .wheels
            .iter()
            .map(|w| Value::InlineTable(artifact_table(w)));
        table.insert("wheels", value(one_per_line(wheels)));
    }
    let mut optional = Table::new();
    for (extra, list) in &package.optional_dependencies {
        if !list.is_empty() {
            optional.insert(extra.as_ref(), value(edges(list)));
        }
    }
    if !optional.is_empty() {
        table.insert("optional-dependencies", Item::Table(optional));
    }
    let mut groups = Table::new();
    for (group, list) in &package.dev_dependencies {
        if !list.is_empty() {
            groups.insert(group.as_str(), value(edges(list)));
        }
    }
    if !groups.is_empty() {
        table.insert("dev-dependencies", Item::Table(groups));
    }
    if !package.group_requires_python.is_empty() {
        let mut pythons = Table::new();
        for (group, specifiers) in &package.group_requires_python {
            pythons.insert(group.as_str(), value(specifiers.as_str()));
        }
        table.insert("group-requires-python", Item::Table(pythons));
    }
    let metadata = &package.metadata;
    if !metadata.is_empty() {
        let mut meta = Table::new();
        if !metadata.requires_dist.is_empty() {
            meta.insert(
                "requires-dist",
                value(requirements_array(&metadata.requires_dist)),
            );
        }
        if !metadata.requires_dev.is_empty() {
            let mut dev = Table::new();
            for (group, requirements) in &metadata.requires_dev {
                dev.insert(group.as_str(), value(requirements_array(requirements)));
            }
            meta.insert("requires-dev", Item::Table(dev));
        }
        if !metadata.provides_extras.is_empty() {
            // A list of names: uv keeps it on one line.
            let extras: Array = metadata
                .provides_extras
                .iter()
                .map(|e| e.to_string())
                .collect();
            meta.insert("provides-extras", value(extras));
        }
        table.insert("metadata", Item::Table(meta));
    }
    table
}

/// `{ name = "...", version = "...", source = { ... }, extra = [...], marker = "..." }`, with
/// version and source only when the plan has several packages of that name.
fn edge_table(edge: &LockDependency, count_by_name: &HashMap<&PackageName, usize>) -> InlineTable {
    let mut table = InlineTable::new();
    table.insert("name", Value::from(edge.name.to_string()));
    if count_by_name.get(&edge.name).copied().unwrap_or(0) > 1 {
        if let Some(version) = &edge.version {
            table.insert("version", Value::from(version.to_string()));
        }
        table.insert(
            "source",
            Value::InlineTable(source_table(edge.source.pairs())),
        );
    }
    if !edge.extra.is_empty() {
        let extras: Array = edge.extra.iter().map(|e| e.to_string()).collect();
        table.insert("extra", Value::Array(extras));
    }
    if let Some(marker) = marker_text(&edge.marker) {
        table.insert("marker", Value::from(marker));
    }
    table
}

fn source_table<V: AsRef<str>>(pairs: Vec<(&'static str, V)>) -> InlineTable {
    let mut table = InlineTable::new();
    for (key, text) in pairs {
        table.insert(key, Value::from(text.as_ref()));
    }
    table
}

/// `{ name, extras, groups, marker, <source keys> }`, the order of uv's serialised requirement.
fn requirement_table(requirement: &LockRequirement) -> InlineTable {
    let mut table = InlineTable::new();
    table.insert("name", Value::from(requirement.name.to_string()));
    if !requirement.extras.is_empty() {
        let extras: Array = requirement.extras.iter().map(|e| e.to_string()).collect();
        table.insert("extras", Value::Array(extras));
    }
    if !requirement.groups.is_empty() {
        let groups: Array = requirement.groups.iter().map(|g| g.to_string()).collect();
        table.insert("groups", Value::Array(groups));
    }
    if let Some(marker) = marker_text(&requirement.marker) {
        table.insert("marker", Value::from(marker));
    }
    for (key, text) in requirement.source.pairs() {
        table.insert(key, Value::from(text));
    }
    table
}

fn artifact_table(artifact: &Artifact) -> InlineTable {
    let mut table = InlineTable::new();
    match &artifact.location {
        Some(ArtifactLocation::Url(url)) => table.insert("url", Value::from(url.as_str())),
        Some(ArtifactLocation::Path(path)) => table.insert("path", Value::from(path.as_str())),
        Some(ArtifactLocation::Filename(name)) => {
            table.insert("filename", Value::from(name.as_str()))
        }
        None => None,
    };
    if let Some(hash) = &artifact.hash {
        table.insert("hash", Value::from(hash.as_str()));
    }
    if let Some(size) = artifact.size {
        table.insert("size", Value::from(i64::try_from(size).unwrap_or(i64::MAX)));
    }
    if let Some(time) = &artifact.upload_time {
        table.insert("upload-time", Value::from(time.as_str()));
    }
    table
}

/// Empty, one inline element, or one element per line: how uv lays out requirement lists.
fn requirements_array(requirements: &[LockRequirement]) -> Array {
    let tables = requirements
        .iter()
        .map(|requirement| Value::InlineTable(requirement_table(requirement)));
    match requirements.len() {
        0 | 1 => tables.collect(),
        _ => one_per_line(tables),
    }
}

fn markers_array(markers: &[MarkerTree]) -> Array {
    one_per_line(markers.iter().filter_map(marker_text).map(Value::from))
}

/// One element per line, indented four spaces, with a trailing comma: adding an element then
/// changes one line of a diff.
fn one_per_line(values: impl Iterator<Item = Value>) -> Array {
    let mut array: Array = values
        .map(|mut element| {
            element.decor_mut().set_prefix("\n    ");
            element
        })
        .collect();
    array.set_trailing_comma(true);
    array.set_trailing("\n");
    array
}
