//! The files a listing (index page, find-links folder or page) offers, before we know which
//! package each belongs to, and their conversion to [`DistFile`]s of one package.

use std::str::FromStr;

use rustc_hash::FxHashMap;
use wslock_pep::{PackageName, VersionSpecifiers};

use crate::filename::DistFilename;
use crate::hash::Sha256Digest;
use crate::location::Location;
use crate::versions::{DistFile, MetadataOffer, Yanked};

/// One file of a listing, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListedFile {
    pub filename: String,
    pub location: Location,
    pub sha256: Option<Sha256Digest>,
    pub requires_python: Option<String>,
    pub yanked: Option<Yanked>,
    pub core_metadata: MetadataOffer,
    pub size: Option<u64>,
    pub upload_time: Option<String>,
}

impl ListedFile {
    /// A file known only by name and location (a find-links folder entry).
    pub(crate) fn bare(filename: String, location: Location) -> ListedFile {
        ListedFile {
            filename,
            location,
            sha256: None,
            requires_python: None,
            yanked: None,
            core_metadata: MetadataOffer::NotOffered,
            size: None,
            upload_time: None,
        }
    }
}

/// The files of `name` in a listing. Files of other packages, and files whose names are not
/// wheels or sdists (`README`, `.egg`, `.exe`), are skipped, as uv skips them.
pub(crate) fn dist_files(
    name: &PackageName,
    files: &[ListedFile],
    registry: &Location,
) -> Vec<DistFile> {
    files
        .iter()
        .filter_map(|listed| dist_file(name, listed, registry))
        .collect()
}

fn dist_file(name: &PackageName, listed: &ListedFile, registry: &Location) -> Option<DistFile> {
    let filename = DistFilename::parse(&listed.filename, name).ok()?;
    Some(DistFile {
        filename,
        location: listed.location.clone(),
        registry: registry.clone(),
        sha256: listed.sha256,
        size: listed.size,
        requires_python: listed
            .requires_python
            .as_deref()
            .and_then(|text| requires_python(text, &listed.filename)),
        yanked: listed.yanked.clone(),
        upload_time: listed.upload_time.clone(),
        core_metadata: listed.core_metadata,
    })
}

/// A listing of many packages' files (a find-links folder or page), indexed by the package
/// names each file could belong to.
///
/// Asking [`dist_files`] for every package of a listing parses every filename once per
/// package: quadratic, and most of a 10,000-package plan's time. The index narrows each
/// question to the files whose name could match, and gives exactly what [`dist_files`] gives.
#[derive(Debug)]
pub(crate) struct IndexedListing {
    files: Vec<ListedFile>,
    /// Normalised name → the positions (ascending) of the files it could be the name of.
    candidates: FxHashMap<PackageName, Vec<usize>>,
}

impl IndexedListing {
    pub(crate) fn new(files: Vec<ListedFile>) -> IndexedListing {
        // Sequential on purpose: this runs inside the source's memo lock, and a rayon job
        // here could pick up a queued prefetch job that waits for that same lock.
        let mut candidates: FxHashMap<PackageName, Vec<usize>> = FxHashMap::default();
        for (position, listed) in files.iter().enumerate() {
            for name in candidate_names(&listed.filename) {
                let positions = candidates.entry(name).or_default();
                // A filename whose prefixes normalise alike (`a-b-a_b-1.0.tar.gz`) is listed once.
                if positions.last() != Some(&position) {
                    positions.push(position);
                }
            }
        }
        candidates.values_mut().for_each(Vec::shrink_to_fit);
        IndexedListing { files, candidates }
    }

    /// The files of `name`, as [`dist_files`] over the whole listing returns them.
    pub(crate) fn dist_files(&self, name: &PackageName, registry: &Location) -> Vec<DistFile> {
        self.candidates
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&position| dist_file(name, &self.files[position], registry))
            .collect()
    }
}

/// Every name `DistFilename::parse(filename, name)` can succeed for: a wheel's name is its
/// first `-`-separated part, an sdist's some prefix ending before a `-`, and both must
/// normalise. For anything but a wheel the prefixes before each `-` of the whole filename
/// cover those (a superset is fine: the full parse still decides).
fn candidate_names(filename: &str) -> Vec<PackageName> {
    let bytes = filename.as_bytes();
    let is_wheel = bytes.len() >= 4 && bytes[bytes.len() - 4..].eq_ignore_ascii_case(b".whl");
    let prefixes = filename
        .match_indices('-')
        .map(|(position, _)| &filename[..position]);
    if is_wheel {
        // Only the first part: the other prefixes (`name-1.0-py3`) are names too, and would
        // triple the index for nothing.
        return prefixes
            .take(1)
            .filter_map(|prefix| wslock_pep::package_name(prefix).ok())
            .collect();
    }
    prefixes
        .filter_map(|prefix| wslock_pep::package_name(prefix).ok())
        .collect()
}

/// An index's `requires-python` for a file. An invalid one is ignored rather than making the
/// file unusable: the core metadata, read later, is authoritative anyway.
fn requires_python(text: &str, filename: &str) -> Option<VersionSpecifiers> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match VersionSpecifiers::from_str(text) {
        Ok(specifiers) => Some(specifiers),
        Err(err) => {
            tracing::debug!("ignoring invalid requires-python `{text}` of `{filename}`: {err}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_gives_what_a_full_scan_gives() {
        let names = [
            "foo_bar-1.0-py3-none-any.whl",
            "Foo.Bar-1.1.tar.gz",
            "foo-bar-2.0.tar.gz",
            "foo-bar-baz-1.0.tar.gz",
            "foo-1.0-py3-none-any.whl",
            "foo-bar-1.0-1-py3-none-any.whl",
            "foo_bar-1.0-1bad-py3-none-any.whl",
            "foo-bar-3.0.zip",
            "README",
            "foo-bar-4.0.exe",
            "a-_b-1.0.tar.gz",
        ];
        let files: Vec<ListedFile> = names
            .iter()
            .map(|n| ListedFile::bare(n.to_string(), Location::Path(n.into())))
            .collect();
        let registry = Location::Path("dir".into());
        let indexed = IndexedListing::new(files.clone());
        for name in [
            "foo-bar",
            "foo",
            "foo-bar-baz",
            "a-b",
            "a",
            "readme",
            "other",
        ] {
            let name: PackageName = name.parse().unwrap();
            assert_eq!(
                indexed.dist_files(&name, &registry),
                dist_files(&name, &files, &registry),
                "{name}"
            );
        }
        let found: Vec<String> = indexed
            .dist_files(&"foo-bar".parse().unwrap(), &registry)
            .iter()
            .map(|file| file.filename.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "foo_bar-1.0-py3-none-any.whl",
                "Foo.Bar-1.1.tar.gz",
                "foo-bar-2.0.tar.gz",
                "foo_bar-1.0-1bad-py3-none-any.whl",
                "foo-bar-3.0.zip",
            ]
        );
    }
}
