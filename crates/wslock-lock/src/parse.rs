//! Reading `uv.lock` text (ours or uv's) back into a [`LockPlan`].
//!
//! Two steps, as uv does it: serde reads the file into "wire" structs of plain strings, then
//! each value is checked and typed, with the package and key named in any error. Keys the model
//! does not hold (`[options]`, `supported-markers`, `conflicts`, `default-groups`, ...) are
//! ignored, as uv ignores unknown keys.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use serde::Deserialize;
use wslock_pep::{
    ExtraName, GroupName, MarkerTree, PackageName, RequiresPython, Version, VersionSpecifiers,
};

use crate::build::package_key;
use crate::error::LockError;
use crate::markers::uv_specifiers;
use crate::model::{
    Artifact, ArtifactLocation, LockDependency, LockOptions, LockPackage, LockPlan, Manifest,
    PackageMetadata, PackageSource, RegistrySource, LOCK_VERSION,
};
use crate::requirement::{LockRequirement, RequirementSource};

/// `[options]` as written; keys wslock does not model are ignored, like every unknown key.
#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OptionsWire {
    resolution_mode: Option<String>,
    prerelease_mode: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct LockWire {
    version: i64,
    #[serde(default)]
    revision: u32,
    requires_python: String,
    #[serde(default)]
    resolution_markers: Vec<String>,
    #[serde(default)]
    supported_markers: Vec<String>,
    #[serde(default)]
    options: OptionsWire,
    #[serde(default)]
    manifest: ManifestWire,
    #[serde(default, alias = "distribution")]
    package: Vec<PackageWire>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct ManifestWire {
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    constraints: Vec<RequirementWire>,
    #[serde(default)]
    overrides: Vec<RequirementWire>,
    #[serde(default)]
    dependency_groups: BTreeMap<String, Vec<RequirementWire>>,
    #[serde(default)]
    group_requires_python: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PackageWire {
    name: String,
    version: Option<String>,
    source: BTreeMap<String, String>,
    #[serde(default)]
    resolution_markers: Vec<String>,
    #[serde(default)]
    dependencies: Vec<DependencyWire>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Vec<DependencyWire>>,
    #[serde(default, alias = "dependency-groups")]
    dev_dependencies: BTreeMap<String, Vec<DependencyWire>>,
    #[serde(default)]
    group_requires_python: BTreeMap<String, String>,
    sdist: Option<ArtifactWire>,
    #[serde(default)]
    wheels: Vec<ArtifactWire>,
    #[serde(default)]
    metadata: MetadataWire,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct DependencyWire {
    name: String,
    version: Option<String>,
    source: Option<BTreeMap<String, String>>,
    #[serde(default)]
    extra: Vec<String>,
    marker: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ArtifactWire {
    url: Option<String>,
    path: Option<String>,
    filename: Option<String>,
    hash: Option<String>,
    size: Option<u64>,
    upload_time: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct MetadataWire {
    #[serde(default)]
    requires_dist: Vec<RequirementWire>,
    #[serde(default)]
    provides_extras: Vec<String>,
    #[serde(default, alias = "dependency-groups")]
    requires_dev: BTreeMap<String, Vec<RequirementWire>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RequirementWire {
    name: String,
    #[serde(default)]
    extras: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    marker: Option<String>,
    specifier: Option<String>,
    index: Option<String>,
    url: Option<String>,
    subdirectory: Option<String>,
    git: Option<String>,
    path: Option<String>,
    directory: Option<String>,
    editable: Option<String>,
    r#virtual: Option<String>,
}

impl FromStr for LockPlan {
    type Err = LockError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_toml(text)
    }
}

impl LockPlan {
    /// Reads `uv.lock` text, as written by [`LockPlan::to_toml`] or by uv.
    ///
    /// Dependency edges that name neither version nor source are completed from the one
    /// package of that name, so every edge of the result is fully resolved.
    pub fn from_toml(text: &str) -> Result<Self, LockError> {
        let wire: LockWire = toml::from_str(text).map_err(|error| LockError::Toml {
            message: error.to_string().trim_end().to_string(),
        })?;
        if wire.version > i64::from(LOCK_VERSION) || wire.version < 0 {
            return Err(LockError::UnsupportedVersion {
                version: wire.version,
            });
        }
        let specifiers: VersionSpecifiers = parse(None, "requires-python", &wire.requires_python)?;
        let mut packages = Vec::with_capacity(wire.package.len());
        let mut edges = Vec::with_capacity(wire.package.len());
        for package in wire.package {
            let (package, package_edges) = unwire_package(package)?;
            packages.push(package);
            edges.push(package_edges);
        }
        resolve_edges(&mut packages, edges)?;
        packages.sort_by(|a, b| package_key(a).cmp(&package_key(b)));
        Ok(Self {
            // Checked against LOCK_VERSION above, so it fits.
            version: u32::try_from(wire.version).unwrap_or(LOCK_VERSION),
            revision: wire.revision,
            requires_python: RequiresPython::from_specifiers(&specifiers),
            resolution_markers: markers(None, "resolution-markers", &wire.resolution_markers)?,
            supported_markers: markers(None, "supported-markers", &wire.supported_markers)?,
            options: LockOptions {
                resolution_mode: wire.options.resolution_mode,
                prerelease_mode: wire.options.prerelease_mode,
            },
            manifest: unwire_manifest(wire.manifest)?,
            packages,
        })
    }
}

fn parse<T: FromStr>(package: Option<&str>, key: &str, text: &str) -> Result<T, LockError>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|error| LockError::invalid(package, key, format!("`{text}`: {error}")))
}

fn markers(
    package: Option<&str>,
    key: &str,
    texts: &[String],
) -> Result<Vec<MarkerTree>, LockError> {
    texts
        .iter()
        .map(|text| parse_marker(package, key, text))
        .collect()
}

fn marker(
    package: Option<&str>,
    key: &str,
    text: Option<&String>,
) -> Result<MarkerTree, LockError> {
    text.map_or(Ok(MarkerTree::TRUE), |text| {
        parse_marker(package, key, text)
    })
}

/// Markers go through `wslock_pep::parse_marker`, not `FromStr`: a lock file is input too, and
/// `pep508_rs` panics on some malformed markers.
fn parse_marker(package: Option<&str>, key: &str, text: &str) -> Result<MarkerTree, LockError> {
    wslock_pep::parse_marker(text)
        .map_err(|error| LockError::invalid(package, key, format!("`{text}`: {error}")))
}

fn names<T: FromStr>(
    package: Option<&str>,
    key: &str,
    texts: &[String],
) -> Result<Vec<T>, LockError>
where
    T::Err: std::fmt::Display,
{
    texts.iter().map(|text| parse(package, key, text)).collect()
}

fn unwire_manifest(wire: ManifestWire) -> Result<Manifest, LockError> {
    let groups = |key: &str, map: BTreeMap<String, Vec<RequirementWire>>| {
        map.into_iter()
            .map(|(group, list)| {
                Ok((
                    parse::<GroupName>(None, key, &group)?,
                    requirements(None, key, list)?,
                ))
            })
            .collect::<Result<BTreeMap<_, _>, LockError>>()
    };
    Ok(Manifest {
        members: names(None, "manifest.members", &wire.members)?,
        constraints: requirements(None, "manifest.constraints", wire.constraints)?,
        overrides: requirements(None, "manifest.overrides", wire.overrides)?,
        dependency_groups: groups("manifest.dependency-groups", wire.dependency_groups)?,
        group_requires_python: group_pythons(
            None,
            "manifest.group-requires-python",
            wire.group_requires_python,
        )?,
    })
}

fn group_pythons(
    package: Option<&str>,
    key: &str,
    map: BTreeMap<String, String>,
) -> Result<BTreeMap<GroupName, String>, LockError> {
    map.into_iter()
        .map(|(group, specifiers)| {
            parse::<VersionSpecifiers>(package, key, &specifiers)?;
            Ok((parse(package, key, &group)?, specifiers))
        })
        .collect()
}

/// A package with its edges still as written (completed by [`resolve_edges`]).
type PendingEdges = (
    Vec<DependencyWire>,
    BTreeMap<String, Vec<DependencyWire>>,
    BTreeMap<String, Vec<DependencyWire>>,
);

fn unwire_package(wire: PackageWire) -> Result<(LockPackage, PendingEdges), LockError> {
    let at = Some(wire.name.as_str());
    let name: PackageName = parse(at, "name", &wire.name)?;
    let version = wire
        .version
        .as_deref()
        .map(|text| parse::<Version>(at, "version", text))
        .transpose()?;
    let source = package_source(at, "source", &wire.source)?;
    let metadata = MetadataWire::into_metadata(wire.metadata, at)?;
    let package = LockPackage {
        name,
        version,
        source,
        resolution_markers: markers(at, "resolution-markers", &wire.resolution_markers)?,
        dependencies: Vec::new(),
        optional_dependencies: BTreeMap::new(),
        dev_dependencies: BTreeMap::new(),
        group_requires_python: group_pythons(
            at,
            "group-requires-python",
            wire.group_requires_python,
        )?,
        sdist: wire.sdist.map(ArtifactWire::into_artifact),
        wheels: wire
            .wheels
            .into_iter()
            .map(ArtifactWire::into_artifact)
            .collect(),
        metadata,
    };
    Ok((
        package,
        (
            wire.dependencies,
            wire.optional_dependencies,
            wire.dev_dependencies,
        ),
    ))
}

impl MetadataWire {
    fn into_metadata(self, at: Option<&str>) -> Result<PackageMetadata, LockError> {
        let key = "metadata.requires-dev";
        Ok(PackageMetadata {
            requires_dist: requirements(at, "metadata.requires-dist", self.requires_dist)?,
            provides_extras: names(at, "metadata.provides-extras", &self.provides_extras)?,
            requires_dev: self
                .requires_dev
                .into_iter()
                .map(|(group, list)| Ok((parse(at, key, &group)?, requirements(at, key, list)?)))
                .collect::<Result<_, LockError>>()?,
        })
    }
}

impl ArtifactWire {
    fn into_artifact(self) -> Artifact {
        let location = match (self.url, self.path, self.filename) {
            (Some(url), _, _) => Some(ArtifactLocation::Url(url)),
            (None, Some(path), _) => Some(ArtifactLocation::Path(path)),
            (None, None, Some(filename)) => Some(ArtifactLocation::Filename(filename)),
            (None, None, None) => None,
        };
        Artifact {
            location,
            hash: self.hash,
            size: self.size,
            upload_time: self.upload_time,
        }
    }
}

/// `{ registry = ... }`, `{ git = ... }`, `{ url = ..., subdirectory = ... }`, `{ path = ... }`,
/// `{ directory = ... }`, `{ editable = ... }` or `{ virtual = ... }`.
fn package_source(
    at: Option<&str>,
    key: &str,
    table: &BTreeMap<String, String>,
) -> Result<PackageSource, LockError> {
    let get = |name: &str| table.get(name).cloned();
    let source = if let Some(registry) = get("registry") {
        // uv tells a URL from a find-links path by its scheme.
        if registry.contains("://") {
            PackageSource::Registry(RegistrySource::Url(registry))
        } else {
            PackageSource::Registry(RegistrySource::Path(registry))
        }
    } else if let Some(git) = get("git") {
        PackageSource::Git(git)
    } else if let Some(url) = get("url") {
        PackageSource::Url {
            url,
            subdirectory: get("subdirectory"),
        }
    } else if let Some(path) = get("path") {
        PackageSource::Path(path)
    } else if let Some(path) = get("directory") {
        PackageSource::Directory(path)
    } else if let Some(path) = get("editable") {
        PackageSource::Editable(path)
    } else if let Some(path) = get("virtual") {
        PackageSource::Virtual(path)
    } else {
        let keys: Vec<&str> = table.keys().map(String::as_str).collect();
        return Err(LockError::invalid(
            at,
            key,
            format!("expected one of `registry`, `git`, `url`, `path`, `directory`, `editable`, `virtual`, found keys [{}]", keys.join(", ")),
        ));
    };
    Ok(source)
}

fn requirements(
    at: Option<&str>,
    key: &str,
    list: Vec<RequirementWire>,
) -> Result<Vec<LockRequirement>, LockError> {
    list.into_iter()
        .map(|wire| requirement(at, key, wire))
        .collect()
}

fn requirement(
    at: Option<&str>,
    key: &str,
    wire: RequirementWire,
) -> Result<LockRequirement, LockError> {
    let source = if let Some(git) = wire.git {
        RequirementSource::Git { git }
    } else if let Some(url) = wire.url {
        RequirementSource::Url {
            url,
            subdirectory: wire.subdirectory,
        }
    } else if let Some(path) = wire.path {
        RequirementSource::Path { path }
    } else if let Some(path) = wire.directory {
        RequirementSource::Directory { path }
    } else if let Some(path) = wire.editable {
        RequirementSource::Editable { path }
    } else if let Some(path) = wire.r#virtual {
        RequirementSource::Virtual { path }
    } else {
        RequirementSource::Registry {
            specifier: match &wire.specifier {
                Some(text) => uv_specifiers(&parse(at, key, text)?),
                None => VersionSpecifiers::empty(),
            },
            index: wire.index,
        }
    };
    Ok(LockRequirement {
        name: parse(at, key, &wire.name)?,
        extras: names(at, key, &wire.extras)?,
        groups: names(at, key, &wire.groups)?,
        marker: marker(at, key, wire.marker.as_ref())?,
        source,
    })
}

/// Completes every edge with its target's version and source and checks that the target exists.
fn resolve_edges(
    packages: &mut [LockPackage],
    pending: Vec<PendingEdges>,
) -> Result<(), LockError> {
    let mut by_name: HashMap<PackageName, Vec<(Option<Version>, PackageSource)>> = HashMap::new();
    for package in packages.iter() {
        by_name
            .entry(package.name.clone())
            .or_default()
            .push((package.version.clone(), package.source.clone()));
    }
    for (package, (dependencies, optional, groups)) in packages.iter_mut().zip(pending) {
        let from = package.display_id();
        let edges = |list: Vec<DependencyWire>| -> Result<Vec<LockDependency>, LockError> {
            let mut edges = list
                .into_iter()
                .map(|wire| edge(&from, wire, &by_name))
                .collect::<Result<Vec<_>, _>>()?;
            edges.sort();
            Ok(edges)
        };
        package.dependencies = edges(dependencies)?;
        for (extra, list) in optional {
            let extra: ExtraName = parse(Some(&from), "optional-dependencies", &extra)?;
            package.optional_dependencies.insert(extra, edges(list)?);
        }
        for (group, list) in groups {
            let group: GroupName = parse(Some(&from), "dev-dependencies", &group)?;
            package.dev_dependencies.insert(group, edges(list)?);
        }
    }
    Ok(())
}

fn edge(
    from: &str,
    wire: DependencyWire,
    by_name: &HashMap<PackageName, Vec<(Option<Version>, PackageSource)>>,
) -> Result<LockDependency, LockError> {
    let at = Some(from);
    let name: PackageName = parse(at, "dependencies", &wire.name)?;
    let version = wire
        .version
        .as_deref()
        .map(|text| parse::<Version>(at, "dependencies", text))
        .transpose()?;
    let source = wire
        .source
        .as_ref()
        .map(|table| package_source(at, "dependencies", table))
        .transpose()?;
    let candidates: Vec<&(Option<Version>, PackageSource)> = by_name
        .get(&name)
        .into_iter()
        .flatten()
        .filter(|(v, s)| {
            version
                .as_ref()
                .is_none_or(|version| v.as_ref() == Some(version))
                && source.as_ref().is_none_or(|source| s == source)
        })
        .collect();
    let (version, source) = match candidates.as_slice() {
        [(version, source)] => (version.clone(), source.clone()),
        [] => {
            return Err(LockError::MissingDependency {
                package: from.to_string(),
                dependency: describe(&name, version.as_ref(), source.as_ref()),
            })
        }
        _ => {
            return Err(LockError::AmbiguousDependency {
                package: from.to_string(),
                dependency: name.to_string(),
            })
        }
    };
    let mut extra: Vec<ExtraName> = names(at, "dependencies", &wire.extra)?;
    extra.sort();
    Ok(LockDependency {
        name,
        version,
        source,
        extra,
        marker: marker(at, "dependencies", wire.marker.as_ref())?,
    })
}

fn describe(
    name: &PackageName,
    version: Option<&Version>,
    source: Option<&PackageSource>,
) -> String {
    let mut text = name.to_string();
    if let Some(version) = version {
        text.push_str(&format!("=={version}"));
    }
    if let Some(source) = source {
        text.push_str(&format!(" @ {source}"));
    }
    text
}
