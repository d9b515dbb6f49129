//! The JSON rendering: the same model and key names as the TOML, with every key present (empty
//! lists, empty objects and `null` instead of omitted keys) and every dependency edge carrying
//! its target's version and source. `docs/lock-plan.md` describes it field by field.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use wslock_pep::MarkerTree;

use crate::markers::marker_text;
use crate::model::{
    Artifact, ArtifactLocation, LockDependency, LockPackage, LockPlan, Manifest, PackageMetadata,
    PackageSource,
};
use crate::requirement::LockRequirement;

impl LockPlan {
    /// The plan as pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        // serde_json fails only on map keys that are not strings and on I/O errors; every map
        // of the model is keyed by a name that serialises as a string, and this writes to memory.
        let mut text = serde_json::to_string_pretty(self)
            .expect("the plan model serialises to JSON: string keys, in-memory writer");
        text.push('\n');
        text
    }
}

fn markers(markers: &[MarkerTree]) -> Vec<String> {
    markers.iter().filter_map(marker_text).collect()
}

fn names<T: ToString>(list: &[T]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

impl Serialize for LockPlan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("LockPlan", 6)?;
        state.serialize_field("version", &self.version)?;
        state.serialize_field("revision", &self.revision)?;
        state.serialize_field("requires-python", &self.requires_python.to_string())?;
        state.serialize_field("resolution-markers", &markers(&self.resolution_markers))?;
        state.serialize_field("supported-markers", &markers(&self.supported_markers))?;
        state.serialize_field("manifest", &self.manifest)?;
        state.serialize_field("package", &self.packages)?;
        state.end()
    }
}

impl Serialize for Manifest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Manifest", 5)?;
        state.serialize_field("members", &names(&self.members))?;
        state.serialize_field("constraints", &self.constraints)?;
        state.serialize_field("overrides", &self.overrides)?;
        state.serialize_field("dependency-groups", &self.dependency_groups)?;
        state.serialize_field("group-requires-python", &self.group_requires_python)?;
        state.end()
    }
}

impl Serialize for LockPackage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("LockPackage", 12)?;
        state.serialize_field("name", &self.name.to_string())?;
        state.serialize_field("version", &self.version.as_ref().map(ToString::to_string))?;
        state.serialize_field("source", &self.source)?;
        state.serialize_field("resolution-markers", &markers(&self.resolution_markers))?;
        state.serialize_field("dependencies", &self.dependencies)?;
        state.serialize_field("optional-dependencies", &self.optional_dependencies)?;
        state.serialize_field("dev-dependencies", &self.dev_dependencies)?;
        state.serialize_field("group-requires-python", &self.group_requires_python)?;
        state.serialize_field("sdist", &self.sdist)?;
        state.serialize_field("wheels", &self.wheels)?;
        state.serialize_field("metadata", &self.metadata)?;
        state.end()
    }
}

impl Serialize for PackageMetadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("PackageMetadata", 3)?;
        state.serialize_field("requires-dist", &self.requires_dist)?;
        state.serialize_field("provides-extras", &names(&self.provides_extras))?;
        state.serialize_field("requires-dev", &self.requires_dev)?;
        state.end()
    }
}

impl Serialize for PackageSource {
    /// `{"registry": "../links"}`, `{"url": "...", "subdirectory": "..."}`: the TOML table.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.pairs();
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (key, text) in pairs {
            map.serialize_entry(key, text)?;
        }
        map.end()
    }
}

impl Serialize for LockDependency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("LockDependency", 5)?;
        state.serialize_field("name", &self.name.to_string())?;
        state.serialize_field("version", &self.version.as_ref().map(ToString::to_string))?;
        state.serialize_field("source", &self.source)?;
        state.serialize_field("extra", &names(&self.extra))?;
        state.serialize_field("marker", &marker_text(&self.marker))?;
        state.end()
    }
}

impl Serialize for LockRequirement {
    /// `name`, `extras`, `groups`, `marker`, then the source keys as in the TOML table.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.source.pairs();
        let mut map = serializer.serialize_map(Some(4 + pairs.len()))?;
        map.serialize_entry("name", &self.name.to_string())?;
        map.serialize_entry("extras", &names(&self.extras))?;
        map.serialize_entry("groups", &names(&self.groups))?;
        map.serialize_entry("marker", &marker_text(&self.marker))?;
        for (key, text) in pairs {
            map.serialize_entry(key, &text)?;
        }
        map.end()
    }
}

impl Serialize for Artifact {
    /// `url`, `path` or `filename` (whichever locates it), then `hash`, `size`, `upload-time`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        match &self.location {
            Some(ArtifactLocation::Url(url)) => map.serialize_entry("url", url)?,
            Some(ArtifactLocation::Path(path)) => map.serialize_entry("path", path)?,
            Some(ArtifactLocation::Filename(name)) => map.serialize_entry("filename", name)?,
            None => {}
        }
        map.serialize_entry("hash", &self.hash)?;
        map.serialize_entry("size", &self.size)?;
        map.serialize_entry("upload-time", &self.upload_time)?;
        map.end()
    }
}
