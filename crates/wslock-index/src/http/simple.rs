//! A PEP 503/691 simple repository: `<index>/<normalised name>/` lists a project's files.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use url::Url;
use wslock_pep::{PackageName, Version};

use super::client::{FetchErrorKind, HttpClient, Page};
use super::page::{parse_page, SIMPLE_ACCEPT};
use crate::error::IndexError;
use crate::fetch::{fetch_context, Fetcher};
use crate::hash::Sha256Digest;
use crate::listing::dist_files;
use crate::location::Location;
use crate::memo::Memo;
use crate::metadata::CoreMetadata;
use crate::source::{PackageSource, WarmUp};
use crate::versions::{DistFile, PackageVersions};

/// A simple index over HTTP, or a local folder laid out the same way
/// (`<dir>/<name>/index.html`), as uv accepts for `--index`.
///
/// Project pages are fetched once per name (and through the disk cache across runs); metadata
/// comes from PEP 658 `.metadata` files when offered, else from the wheel through range
/// requests, else from a download.
pub struct SimpleIndex {
    location: Location,
    http: Option<Arc<HttpClient>>,
    fetcher: Fetcher,
    not_found_statuses: Vec<u16>,
    versions: Memo<PackageName, PackageVersions>,
}

impl SimpleIndex {
    /// An index at `url` (with or without the trailing slash).
    ///
    /// A `404` for a project means "not on this index", and the next index is tried. Every
    /// other error status stops the search, as in uv since 0.6 (an index that answers `401`
    /// must not silently fall through to a public index: dependency confusion). PyTorch's
    /// indexes answer `403` for unknown projects, so for them `403` also means "not here",
    /// as uv special-cases them; [`SimpleIndex::ignore_error_codes`] does the same for others.
    pub fn new(url: Url, client: Arc<HttpClient>) -> SimpleIndex {
        let mut not_found_statuses = vec![404];
        if url.host_str() == Some("download.pytorch.org") {
            not_found_statuses.push(403);
        }
        SimpleIndex::with_location(Location::from_url(url), Some(client), not_found_statuses)
    }

    /// A local folder in simple layout.
    pub fn local(dir: impl Into<PathBuf>) -> SimpleIndex {
        SimpleIndex::with_location(Location::Path(dir.into()), None, vec![404])
    }

    /// From a [`Location`]; `client` is needed for URLs.
    pub(crate) fn from_location(location: Location, client: Arc<HttpClient>) -> SimpleIndex {
        match location {
            Location::Url(url) => SimpleIndex::new(url, client),
            Location::Path(dir) => SimpleIndex::local(dir),
        }
    }

    fn with_location(
        location: Location,
        http: Option<Arc<HttpClient>>,
        not_found_statuses: Vec<u16>,
    ) -> Self {
        SimpleIndex {
            location,
            fetcher: Fetcher::new(http.clone()),
            http,
            not_found_statuses,
            versions: Memo::default(),
        }
    }

    /// Statuses that mean "this index does not have the package" (uv's `ignore-error-codes`),
    /// in addition to `404`.
    pub fn ignore_error_codes(mut self, codes: impl IntoIterator<Item = u16>) -> SimpleIndex {
        self.not_found_statuses.extend(codes);
        self
    }

    /// The index URL or folder, as configured.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The project page, or `None` when the index does not have the project.
    fn project_page(&self, name: &PackageName) -> Result<Option<Page>, IndexError> {
        match &self.location {
            Location::Path(dir) => {
                let path = dir.join(name.as_ref()).join("index.html");
                match fs::read(&path) {
                    Ok(body) => Ok(Some(Page {
                        body,
                        content_type: Some("text/html".to_string()),
                        url: Url::from_file_path(&path).map_err(|()| {
                            IndexError::io(&path, std::io::Error::other("not an absolute path"))
                        })?,
                    })),
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(err) => Err(IndexError::io(path, err)),
                }
            }
            Location::Url(base) => {
                let url = project_url(base, name);
                let http = self.http.as_deref().ok_or_else(|| IndexError::Network {
                    name: name.clone(),
                    version: None,
                    url: Box::new(url.clone()),
                    message: "this source has no HTTP client".to_string(),
                })?;
                match http.get_page(&url, SIMPLE_ACCEPT) {
                    Ok(page) => Ok(Some(page)),
                    Err(err) => match err.kind {
                        FetchErrorKind::Status(status)
                            if self.not_found_statuses.contains(&status) =>
                        {
                            tracing::debug!("{name} is not on {base} (HTTP {status})");
                            Ok(None)
                        }
                        _ => Err(fetch_context(name, None, err)),
                    },
                }
            }
        }
    }
}

/// `<base>/<name>/`: PEP 503 project URLs end in a slash; the base may or may not.
fn project_url(base: &Url, name: &PackageName) -> Url {
    let mut url = base.clone();
    let path = format!("{}/{}/", base.path().trim_end_matches('/'), name.as_ref());
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    url
}

impl PackageSource for SimpleIndex {
    fn warm_up(&self) -> WarmUp {
        WarmUp::Prefetch
    }

    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        self.versions.get_or_try_insert(name, || {
            let Some(page) = self.project_page(name)? else {
                return Ok(PackageVersions::not_found(name.clone()));
            };
            let listed = parse_page(&page).map_err(|reason| IndexError::MalformedResponse {
                name: name.clone(),
                version: None,
                url: Box::new(page.url.clone()),
                reason,
            })?;
            Ok(PackageVersions::from_files(
                name.clone(),
                dist_files(name, &listed, &self.location),
            ))
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

impl std::fmt::Debug for SimpleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimpleIndex")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_urls_end_in_a_slash() {
        let name = wslock_pep::package_name("Foo_Bar").unwrap();
        for base in ["https://example.org/simple", "https://example.org/simple/"] {
            let url = project_url(&Url::parse(base).unwrap(), &name);
            assert_eq!(url.as_str(), "https://example.org/simple/foo-bar/");
        }
    }
}
