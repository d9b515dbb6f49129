//! An in-memory package source and small workspaces for resolver tests.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use wslock_graph::{Selection, WorkspaceGraph};
use wslock_index::{
    CoreMetadata, DistFile, DistFilename, IndexError, Location, MetadataOffer, PackageSource,
    PackageVersions, Yanked,
};
use wslock_pep::{ExtraName, PackageName, Requirement, Version, VersionSpecifiers};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};

/// One version of a package: its requires-python, its Requires-Dist and Provides-Extra.
#[derive(Clone, Debug)]
pub struct Release {
    pub version: Version,
    pub requires_python: Option<VersionSpecifiers>,
    pub requires_dist: Vec<Requirement>,
    pub extras: Vec<ExtraName>,
    /// Yanked (PEP 592): every file of the version carries the mark.
    pub yanked: bool,
}

/// Packages kept in memory; versions answer from it, metadata too.
#[derive(Default, Debug)]
pub struct MemorySource {
    packages: BTreeMap<PackageName, Vec<Release>>,
}

impl MemorySource {
    /// Adds `name==version` requiring `requires` (PEP 508 strings), with `python` as its
    /// Requires-Python (empty: none).
    pub fn add(&mut self, name: &str, version: &str, python: &str, requires: &[&str]) -> &mut Self {
        let requires_dist: Vec<Requirement> = requires.iter().map(|r| r.parse().unwrap()).collect();
        let mut extras: Vec<ExtraName> = Vec::new();
        for requirement in requires {
            if let Some((_, rest)) = requirement.split_once("extra == '") {
                if let Some((extra, _)) = rest.split_once('\'') {
                    let extra = wslock_pep::extra_name(extra).unwrap();
                    if !extras.contains(&extra) {
                        extras.push(extra);
                    }
                }
            }
        }
        self.packages
            .entry(wslock_pep::package_name(name).unwrap())
            .or_default()
            .push(Release {
                version: version.parse().unwrap(),
                requires_python: (!python.is_empty()).then(|| python.parse().unwrap()),
                requires_dist,
                extras,
                yanked: false,
            });
        self
    }

    /// Marks `name==version` (added before) as yanked.
    pub fn yank(&mut self, name: &str, version: &str) -> &mut Self {
        let name = wslock_pep::package_name(name).unwrap();
        let version: Version = version.parse().unwrap();
        let release = self
            .packages
            .get_mut(&name)
            .and_then(|releases| releases.iter_mut().find(|r| r.version == version))
            .expect("yank a version that was added");
        release.yanked = true;
        self
    }

    fn release(&self, name: &PackageName, version: &Version) -> Option<&Release> {
        self.packages
            .get(name)?
            .iter()
            .find(|r| &r.version == version)
    }
}

impl PackageSource for MemorySource {
    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        let Some(releases) = self.packages.get(name) else {
            return Ok(Arc::new(PackageVersions::not_found(name.clone())));
        };
        let files = releases
            .iter()
            .map(|release| {
                let filename = format!(
                    "{}-{}-py3-none-any.whl",
                    name.as_dist_info_name(),
                    release.version
                );
                DistFile {
                    filename: DistFilename::parse(&filename, name).unwrap(),
                    location: Location::Path(PathBuf::from("/memory").join(&filename)),
                    registry: Location::Path(PathBuf::from("/memory")),
                    sha256: None,
                    size: None,
                    requires_python: release.requires_python.clone(),
                    yanked: release.yanked.then(|| Yanked {
                        reason: Some("broken".into()),
                    }),
                    upload_time: None,
                    core_metadata: MetadataOffer::NotOffered,
                }
            })
            .collect();
        Ok(Arc::new(PackageVersions::from_files(name.clone(), files)))
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let release = self
            .release(name, version)
            .expect("metadata is asked only for listed versions");
        Ok(Arc::new(CoreMetadata {
            name: name.clone(),
            version: version.clone(),
            requires_dist: release.requires_dist.clone(),
            provides_extra: release.extras.clone(),
            requires_python: release.requires_python.clone(),
        }))
    }
}

/// Writes `files` (relative path, contents) under a temp dir and merges the workspace there.
pub fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, WorkspaceGraph) {
    let temp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = temp.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let graph = merge_at(temp.path());
    (temp, graph)
}

pub fn merge_at(root: &Path) -> WorkspaceGraph {
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(root));
    let found = discover(root, &options).unwrap();
    WorkspaceGraph::build(found.workspace(), &Selection::All).unwrap()
}

/// A single project named `app` with these dependencies and `requires-python`.
pub fn project(
    requires_python: &str,
    dependencies: &[&str],
) -> (tempfile::TempDir, WorkspaceGraph) {
    let deps: Vec<String> = dependencies.iter().map(|d| format!("{d:?}")).collect();
    let text = format!(
        "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \"{requires_python}\"\ndependencies = [{}]\n",
        deps.join(", ")
    );
    workspace(&[("pyproject.toml", &text)])
}
