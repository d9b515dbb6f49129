//! What a source knows about a package before reading any metadata: its versions and files.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use wslock_pep::{PackageName, Version, VersionSpecifiers};

use crate::filename::DistFilename;
use crate::hash::Sha256Digest;
use crate::location::Location;

/// A yanked file or version (PEP 592): resolvers skip it unless it is pinned exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Yanked {
    /// The reason the index gave, if any.
    pub reason: Option<String>,
}

/// Whether an index serves the file's core metadata on its own (PEP 658/714).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MetadataOffer {
    /// Not offered: metadata must come from the file itself.
    #[default]
    NotOffered,
    /// Offered at `<file url>.metadata`, with the digest of that metadata file when listed.
    Offered {
        /// The sha256 of the `.metadata` file, if the index listed one.
        sha256: Option<Sha256Digest>,
    },
}

/// One distribution file (wheel or sdist) of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistFile {
    /// The parsed filename; `filename.as_str()` is the name as listed.
    pub filename: DistFilename,
    /// Where the file is.
    pub location: Location,
    /// The index, find-links folder or page that listed the file (uv.lock's
    /// `source = { registry = ... }`).
    pub registry: Location,
    /// The sha256 the listing gave, if any (find-links folders give none: ask
    /// [`crate::PackageSource::sha256`] for the files that end up in a plan).
    pub sha256: Option<Sha256Digest>,
    /// The size in bytes, if known.
    pub size: Option<u64>,
    /// The file's `Requires-Python` as the index listed it (`data-requires-python`).
    pub requires_python: Option<VersionSpecifiers>,
    /// Set if the file is yanked.
    pub yanked: Option<Yanked>,
    /// The upload time as the index gave it (PEP 700, RFC 3339), if any.
    pub upload_time: Option<String>,
    /// Whether the index serves this file's core metadata separately.
    pub core_metadata: MetadataOffer,
}

impl DistFile {
    /// Whether metadata for the version should preferably be read from `self` rather than
    /// `other`: wheels over sdists (a wheel's metadata is final), files with a PEP 658 metadata
    /// file over those without (no need to touch the archive), then filename order so the
    /// choice is the same on every run.
    fn metadata_preference(&self, other: &DistFile) -> Ordering {
        let rank = |file: &DistFile| {
            (
                !file.filename.is_wheel(),
                file.core_metadata == MetadataOffer::NotOffered,
            )
        };
        rank(self)
            .cmp(&rank(other))
            .then_with(|| self.filename.as_str().cmp(other.filename.as_str()))
    }
}

/// One version of a package, with its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The version (as spelled by the first file in filename order; `1.0` and `1.0.0` are one
    /// version).
    pub version: Version,
    /// The version's `Requires-Python` as far as known before reading metadata: that of
    /// [`VersionInfo::metadata_file`]. Files can disagree, so per-file values stay on each
    /// [`DistFile`], and the core metadata's value is authoritative once read.
    pub requires_python: Option<VersionSpecifiers>,
    /// Set when every file is yanked (PEP 592: a version is yanked when all its files are).
    pub yanked: Option<Yanked>,
    /// The files, sorted by filename.
    pub files: Vec<DistFile>,
}

impl VersionInfo {
    /// Builds a version from its files, deriving `requires_python` and `yanked` from them.
    pub fn from_files(version: Version, mut files: Vec<DistFile>) -> VersionInfo {
        files.sort_by(|a, b| a.filename.as_str().cmp(b.filename.as_str()));
        let mut info = VersionInfo {
            version,
            requires_python: None,
            yanked: None,
            files,
        };
        let preferred = info.metadata_file();
        let requires_python = preferred.and_then(|file| file.requires_python.clone());
        let all_yanked =
            !info.files.is_empty() && info.files.iter().all(|file| file.yanked.is_some());
        let yanked = preferred
            .and_then(|file| file.yanked.clone())
            .filter(|_| all_yanked);
        info.requires_python = requires_python;
        info.yanked = yanked;
        info
    }

    /// The file whose core metadata stands for the version: a wheel if there is one (one with
    /// a PEP 658 metadata file first), else an sdist; ties broken by filename. All sources
    /// read metadata from this file, so the choice is the same everywhere.
    pub fn metadata_file(&self) -> Option<&DistFile> {
        self.files.iter().min_by(|a, b| a.metadata_preference(b))
    }

    /// Whether any file is a wheel.
    pub fn has_wheel(&self) -> bool {
        self.files.iter().any(|file| file.filename.is_wheel())
    }
}

/// The versions of one package that a source knows, in ascending order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageVersions {
    name: PackageName,
    versions: Vec<VersionInfo>,
    listed: bool,
}

impl PackageVersions {
    /// The source does not know the package at all (404, no matching files).
    pub fn not_found(name: PackageName) -> PackageVersions {
        PackageVersions {
            name,
            versions: Vec::new(),
            listed: false,
        }
    }

    /// The source lists the package with these versions (possibly none: an index can serve a
    /// project page without files). Versions are sorted; duplicates (`1.0` and `1.0.0`) are
    /// merged, the files of both kept.
    pub fn new(name: PackageName, versions: impl IntoIterator<Item = VersionInfo>) -> Self {
        let mut versions: Vec<VersionInfo> = versions.into_iter().collect();
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        let mut merged: Vec<VersionInfo> = Vec::with_capacity(versions.len());
        for info in versions {
            match merged.last_mut() {
                Some(last) if last.version == info.version => {
                    let mut files = std::mem::take(&mut last.files);
                    files.extend(info.files);
                    let version = last.version.clone();
                    *last = VersionInfo::from_files(version, files);
                }
                _ => merged.push(info),
            }
        }
        PackageVersions {
            name,
            versions: merged,
            listed: true,
        }
    }

    /// Groups files by version. Used by every listing source (index pages, find-links).
    pub fn from_files(name: PackageName, files: Vec<DistFile>) -> Self {
        // Group by PEP 440 equality (`1.0` and `1.0.0` are one version); the version keeps
        // the spelling of its first file in filename order.
        let mut groups: BTreeMap<Version, Vec<DistFile>> = BTreeMap::new();
        for file in files {
            groups
                .entry(file.filename.version().clone())
                .or_default()
                .push(file);
        }
        let versions = groups.into_values().filter_map(|mut group| {
            group.sort_by(|a, b| a.filename.as_str().cmp(b.filename.as_str()));
            // Grown one push at a time, a group of one file holds room for four; kept for the
            // whole run, that slack was a tenth of a large plan's memory.
            group.shrink_to_fit();
            let version = group.first()?.filename.version().clone();
            Some(VersionInfo::from_files(version, group))
        });
        PackageVersions::new(name, versions)
    }

    /// The package.
    pub fn name(&self) -> &PackageName {
        &self.name
    }

    /// The versions, ascending.
    pub fn iter(&self) -> std::slice::Iter<'_, VersionInfo> {
        self.versions.iter()
    }

    /// The version equal to `version` (PEP 440 equality: `1.0` finds `1.0.0`).
    pub fn get(&self, version: &Version) -> Option<&VersionInfo> {
        self.position(version).map(|index| &self.versions[index])
    }

    /// The position of `version` in [`PackageVersions::iter`].
    pub(crate) fn position(&self, version: &Version) -> Option<usize> {
        self.versions
            .binary_search_by(|info| info.version.cmp(version))
            .ok()
    }

    /// Number of versions.
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    /// Whether there are no versions.
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// Whether the source knows the package, even with no versions. Under the first-index
    /// strategy a listed package stops the search, as in uv.
    pub fn is_listed(&self) -> bool {
        self.listed
    }
}

impl<'a> IntoIterator for &'a PackageVersions {
    type Item = &'a VersionInfo;
    type IntoIter = std::slice::Iter<'a, VersionInfo>;

    fn into_iter(self) -> Self::IntoIter {
        self.versions.iter()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::str::FromStr;

    use wslock_pep::package_name;

    use super::*;

    fn file(filename: &str, requires_python: Option<&str>, yanked: bool) -> DistFile {
        let name = package_name("demo").unwrap();
        DistFile {
            filename: DistFilename::parse(filename, &name).unwrap(),
            location: Location::Path(PathBuf::from(filename)),
            registry: Location::Path(PathBuf::from(".")),
            sha256: None,
            size: None,
            requires_python: requires_python.map(|text| VersionSpecifiers::from_str(text).unwrap()),
            yanked: yanked.then(|| Yanked {
                reason: Some(filename.to_string()),
            }),
            upload_time: None,
            core_metadata: MetadataOffer::NotOffered,
        }
    }

    #[test]
    fn groups_sorts_and_prefers_wheels_for_metadata() {
        let versions = PackageVersions::from_files(
            package_name("demo").unwrap(),
            vec![
                file("demo-1.10.tar.gz", None, false),
                file("demo-1.9.tar.gz", Some(">=3.7"), false),
                file("demo-1.9-py3-none-any.whl", Some(">=3.8"), false),
                file("demo-1.9.0-py2-none-any.whl", Some(">=2.7"), true),
            ],
        );
        let listed: Vec<String> = versions
            .iter()
            .map(|info| info.version.to_string())
            .collect();
        assert_eq!(listed, ["1.9", "1.10"]);
        let nine = versions.get(&Version::from_str("1.9.0").unwrap()).unwrap();
        assert_eq!(nine.files.len(), 3);
        assert_eq!(
            nine.metadata_file().unwrap().filename.as_str(),
            "demo-1.9-py3-none-any.whl"
        );
        assert_eq!(nine.requires_python.as_ref().unwrap().to_string(), ">=3.8");
        assert!(
            nine.yanked.is_none(),
            "one yanked file does not yank the version"
        );
        assert!(versions.is_listed());
        assert!(!PackageVersions::not_found(package_name("x").unwrap()).is_listed());
    }

    #[test]
    fn a_version_is_yanked_when_all_files_are() {
        let versions = PackageVersions::from_files(
            package_name("demo").unwrap(),
            vec![
                file("demo-2.0.tar.gz", None, true),
                file("demo-2.0-py3-none-any.whl", None, true),
            ],
        );
        let info = versions.iter().next().unwrap();
        assert_eq!(
            info.yanked.as_ref().unwrap().reason.as_deref(),
            Some("demo-2.0-py3-none-any.whl")
        );
    }
}
