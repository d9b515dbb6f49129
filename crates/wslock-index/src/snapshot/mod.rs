//! JSON snapshots of what a source knows (`--index-snapshot FILE`), for tests, benchmarks and
//! air-gapped use. The format is documented field by field in `docs/index-snapshot.md`.

mod format;
mod recorder;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use wslock_pep::{package_name, PackageName, Version};

use self::format::{read_version, write_version, PackageJson, SnapshotJson};
pub use self::recorder::Recorder;
use crate::error::IndexError;
use crate::location::Location;
use crate::metadata::CoreMetadata;
use crate::source::PackageSource;
use crate::versions::{PackageVersions, VersionInfo};

/// The value of the `format` key.
pub const SNAPSHOT_FORMAT: &str = "wslock-index-snapshot";
/// The format version this crate reads and writes.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, Clone)]
struct Recorded {
    versions: Arc<PackageVersions>,
    metadata: BTreeMap<Version, Arc<CoreMetadata>>,
}

/// What a source knew, as data: readable from and writable to the JSON snapshot format, and
/// itself a [`PackageSource`] that answers from memory.
///
/// ```
/// use wslock_index::{PackageSource, Snapshot};
///
/// let snapshot = Snapshot::from_json_str(r#"{
///   "format": "wslock-index-snapshot", "version": 1,
///   "packages": [{"name": "app", "versions": [
///     {"version": "1.0", "metadata": {"requires-dist": ["lib>=2; python_version >= '3.9'"]}}
///   ]}]
/// }"#)?;
/// let app = "app".parse()?;
/// let metadata = snapshot.metadata(&app, &"1.0".parse()?)?;
/// assert_eq!(metadata.requires_dist[0].name.as_ref(), "lib");
/// // A package the snapshot does not list has no versions; that is not an error.
/// assert!(snapshot.versions(&"other".parse()?)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    origin: String,
    packages: BTreeMap<PackageName, Recorded>,
}

impl Snapshot {
    /// An empty snapshot.
    pub fn new() -> Snapshot {
        Snapshot {
            origin: "the index snapshot".to_string(),
            packages: BTreeMap::new(),
        }
    }

    /// Reads a snapshot file. Relative file paths and registries in it are relative to the
    /// file's directory.
    pub fn read(path: &Path) -> Result<Snapshot, IndexError> {
        let text = std::fs::read_to_string(path).map_err(|err| IndexError::io(path, err))?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        Snapshot::parse(&text, path, &base)
    }

    /// Reads a snapshot from text. Relative paths stay relative.
    pub fn from_json_str(text: &str) -> Result<Snapshot, IndexError> {
        Snapshot::parse(text, Path::new("<snapshot>"), Path::new(""))
    }

    fn parse(text: &str, path: &Path, base: &Path) -> Result<Snapshot, IndexError> {
        let error = |reason: String| IndexError::Snapshot {
            path: path.to_path_buf(),
            reason,
        };
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let json: SnapshotJson =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
                let at = err.path().to_string();
                error(format!("at `{at}`: {}", err.inner()))
            })?;
        if json.format != SNAPSHOT_FORMAT {
            return Err(error(format!(
                "`format` is \"{}\", expected \"{SNAPSHOT_FORMAT}\"",
                json.format
            )));
        }
        if json.version != SNAPSHOT_VERSION {
            return Err(error(format!(
                "format version {} is not supported (this wslock reads version {SNAPSHOT_VERSION})",
                json.version
            )));
        }
        let mut snapshot = Snapshot {
            origin: format!("the index snapshot `{}`", path.display()),
            packages: BTreeMap::new(),
        };
        let default_registry = Location::Path(path.to_path_buf());
        for (index, package) in json.packages.into_iter().enumerate() {
            let at = format!("packages[{index}]");
            let name =
                package_name(&package.name).map_err(|err| error(format!("{at}.name: {err}")))?;
            if snapshot.packages.contains_key(&name) {
                return Err(error(format!("{at}: `{name}` is listed twice")));
            }
            let mut infos = Vec::new();
            let mut metadata = BTreeMap::new();
            for (position, entry) in package.versions.into_iter().enumerate() {
                let at = format!("{at}.versions[{position}]");
                let (info, recorded) = read_version(&name, entry, base, &default_registry)
                    .map_err(|reason| error(format!("{at}{reason}")))?;
                if infos
                    .iter()
                    .any(|known: &VersionInfo| known.version == info.version)
                {
                    return Err(error(format!(
                        "{at}: version {} of `{name}` is listed twice",
                        info.version
                    )));
                }
                if let Some(recorded) = recorded {
                    metadata.insert(info.version.clone(), Arc::new(recorded));
                }
                infos.push(info);
            }
            let versions = Arc::new(PackageVersions::new(name.clone(), infos));
            snapshot
                .packages
                .insert(name, Recorded { versions, metadata });
        }
        Ok(snapshot)
    }

    /// The snapshot as JSON: packages by name, versions ascending, two-space indentation, a
    /// final newline. The same snapshot always gives the same bytes.
    pub fn to_json(&self) -> String {
        let json = SnapshotJson {
            format: SNAPSHOT_FORMAT.to_string(),
            version: SNAPSHOT_VERSION,
            packages: self
                .packages
                .iter()
                .map(|(name, recorded)| PackageJson {
                    name: name.to_string(),
                    versions: recorded
                        .versions
                        .iter()
                        .map(|info| write_version(info, recorded.metadata.get(&info.version)))
                        .collect(),
                })
                .collect(),
        };
        // Serialising plain structs of strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes [`Snapshot::to_json`] to `path` (through a temporary file and a rename).
    pub fn write(&self, path: &Path) -> Result<(), IndexError> {
        crate::http::cache::write_atomic(path, self.to_json().as_bytes())
            .map_err(|err| IndexError::io(path, err))
    }

    /// Adds (or replaces) a package's versions.
    pub fn insert_versions(&mut self, versions: Arc<PackageVersions>) {
        let name = versions.name().clone();
        match self.packages.get_mut(&name) {
            Some(recorded) => recorded.versions = versions,
            None => {
                self.packages.insert(
                    name,
                    Recorded {
                        versions,
                        metadata: BTreeMap::new(),
                    },
                );
            }
        }
    }

    /// Adds a version's metadata. The package's versions must be inserted first; metadata of
    /// a version they do not list is ignored (a snapshot answers only for listed versions).
    pub fn insert_metadata(&mut self, metadata: Arc<CoreMetadata>) {
        if let Some(recorded) = self.packages.get_mut(&metadata.name) {
            if recorded.versions.get(&metadata.version).is_some() {
                recorded.metadata.insert(metadata.version.clone(), metadata);
            }
        }
    }

    /// The packages in the snapshot, by name.
    pub fn package_names(&self) -> impl Iterator<Item = &PackageName> {
        self.packages.keys()
    }

    /// Records every version of `names` and each version's metadata from `source`, fetching
    /// metadata in parallel. A version whose metadata the source cannot give (it needs a
    /// build, say) is recorded without metadata, with a warning. Dependencies are not
    /// followed: to capture exactly what a resolution needs, wrap the source in a
    /// [`Recorder`] and resolve instead.
    pub fn capture(
        source: &(impl PackageSource + ?Sized),
        names: &[PackageName],
    ) -> Result<Snapshot, IndexError> {
        use rayon::prelude::*;
        let mut snapshot = Snapshot::new();
        for name in names {
            let versions = source.versions(name)?;
            let metadata: Vec<Option<Arc<CoreMetadata>>> = versions
                .iter()
                .collect::<Vec<_>>()
                .par_iter()
                .map(|info| match source.metadata(name, &info.version) {
                    Ok(metadata) => Some(metadata),
                    Err(err) => {
                        tracing::warn!("recording {name} {} without metadata: {err}", info.version);
                        None
                    }
                })
                .collect();
            if versions.is_listed() {
                snapshot.insert_versions(versions);
            }
            metadata
                .into_iter()
                .flatten()
                .for_each(|metadata| snapshot.insert_metadata(metadata));
        }
        Ok(snapshot)
    }
}

impl PackageSource for Snapshot {
    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        Ok(match self.packages.get(name) {
            Some(recorded) => recorded.versions.clone(),
            None => Arc::new(PackageVersions::not_found(name.clone())),
        })
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let recorded = self.packages.get(name);
        if let Some(metadata) = recorded.and_then(|recorded| recorded.metadata.get(version)) {
            return Ok(metadata.clone());
        }
        let listed = recorded.is_some_and(|recorded| recorded.versions.get(version).is_some());
        Err(if listed {
            IndexError::MetadataUnavailable {
                name: name.clone(),
                version: version.clone(),
                origin: self.origin.clone(),
            }
        } else {
            IndexError::UnknownVersion {
                name: name.clone(),
                version: version.clone(),
                origin: self.origin.clone(),
            }
        })
    }
}
