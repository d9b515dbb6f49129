//! Flat indexes: a `--find-links` folder of wheels and sdists, or an HTML page linking to them
//! (`--find-links URL`, `[[tool.uv.index]]` with `format = "flat"`).

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use url::Url;
use wslock_pep::{PackageName, Version};

use crate::error::IndexError;
use crate::fetch::{fetch_context, Fetcher};
use crate::hash::Sha256Digest;
use crate::http::client::HttpClient;
use crate::http::page::parse_page;
use crate::listing::{IndexedListing, ListedFile};
use crate::location::Location;
use crate::memo::Memo;
use crate::metadata::CoreMetadata;
use crate::source::{PackageSource, WarmUp};
use crate::versions::{DistFile, PackageVersions};

/// A flat list of distribution files: a local folder or a remote HTML page.
///
/// The listing is read once, on the first question; a file's metadata is read from inside the
/// file only when that version's metadata is asked for; a file's sha256 is computed only when
/// asked for (find-links folders list no digests), so a large folder costs one `read_dir`.
pub struct FlatIndex {
    location: Location,
    fetcher: Fetcher,
    http: Option<Arc<HttpClient>>,
    listing: Memo<(), IndexedListing>,
    versions: Memo<PackageName, PackageVersions>,
}

impl FlatIndex {
    /// A folder of wheels and sdists (only its top level is read, as uv does).
    pub fn directory(path: impl Into<PathBuf>) -> FlatIndex {
        FlatIndex::new(Location::Path(path.into()), None)
    }

    /// An HTML page whose links are wheels and sdists.
    pub fn page(url: Url, client: Arc<HttpClient>) -> FlatIndex {
        FlatIndex::new(Location::from_url(url), Some(client))
    }

    fn new(location: Location, http: Option<Arc<HttpClient>>) -> FlatIndex {
        FlatIndex {
            location,
            fetcher: Fetcher::new(http.clone()),
            http,
            listing: Memo::default(),
            versions: Memo::default(),
        }
    }

    /// The folder or page.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Reads the listing; `name` is only for error messages.
    fn listing(&self, name: &PackageName) -> Result<Arc<IndexedListing>, IndexError> {
        self.listing
            .get_or_try_insert(&(), || self.read_listing(name).map(IndexedListing::new))
    }

    fn read_listing(&self, name: &PackageName) -> Result<Vec<ListedFile>, IndexError> {
        match &self.location {
            Location::Path(dir) => read_directory(dir),
            Location::Url(url) => {
                let http = self.http.as_deref().ok_or_else(|| IndexError::Network {
                    name: name.clone(),
                    version: None,
                    url: Box::new(url.clone()),
                    message: "this source has no HTTP client".to_string(),
                })?;
                let page = http
                    .get_page(url, "text/html")
                    .map_err(|err| fetch_context(name, None, err))?;
                parse_page(&page).map_err(|reason| IndexError::MalformedResponse {
                    name: name.clone(),
                    version: None,
                    url: Box::new(url.clone()),
                    reason,
                })
            }
        }
    }
}

fn read_directory(dir: &PathBuf) -> Result<Vec<ListedFile>, IndexError> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(|err| IndexError::io(dir, err))? {
        let entry = entry.map_err(|err| IndexError::io(dir, err))?;
        let path = entry.path();
        // The entry's own type needs no system call on most file systems, where a `stat` per
        // file was a large part of listing a folder of 30,000 wheels; only a symlink is
        // followed (`metadata`), so a linked wheel is still a wheel.
        let is_file = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => fs::metadata(&path).is_ok_and(|meta| meta.is_file()),
            Ok(kind) => kind.is_file(),
            Err(_) => false,
        };
        if !is_file {
            continue;
        }
        let Ok(filename) = entry.file_name().into_string() else {
            tracing::debug!("skipping non-UTF-8 filename in `{}`", dir.display());
            continue;
        };
        files.push(ListedFile::bare(filename, Location::Path(path)));
    }
    files.sort_by(|a, b| a.filename.cmp(&b.filename));
    Ok(files)
}

impl PackageSource for FlatIndex {
    /// Reading a wheel's `METADATA` costs opening it (or, for a page of links, a download or
    /// range requests): read ahead.
    fn warm_up(&self) -> WarmUp {
        WarmUp::ReadAhead
    }

    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        self.versions.get_or_try_insert(name, || {
            let listing = self.listing(name)?;
            // Indexed by name: parsing every filename for every package was quadratic.
            let files: Vec<DistFile> = listing.dist_files(name, &self.location);
            Ok(if files.is_empty() {
                PackageVersions::not_found(name.clone())
            } else {
                PackageVersions::from_files(name.clone(), files)
            })
        })
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let versions = self.versions(name)?;
        self.fetcher.metadata(&versions, version, &self.location)
    }

    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        self.fetcher.sha256(file, &self.location)
    }
}

impl std::fmt::Debug for FlatIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlatIndex")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}
