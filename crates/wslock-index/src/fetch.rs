//! Getting core metadata and sha256 digests out of listed files, local or remote. Shared by
//! the find-links and simple-index sources, so both read metadata the same way.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::sync::Arc;

use url::Url;
use wslock_pep::{PackageName, Version};

use crate::archive::{self, ArchiveProblem};
use crate::error::IndexError;
use crate::filename::DistFilename;
use crate::hash::{hash_file, Sha256Digest};
use crate::http::client::{FetchError, FetchErrorKind, HttpClient, Tail};
use crate::http::range::{RangeReader, CHUNK};
use crate::location::Location;
use crate::memo::Memo;
use crate::metadata::{CoreMetadata, MetadataProblem};
use crate::versions::{DistFile, MetadataOffer, PackageVersions};

/// Cache kind for a wheel's `METADATA` (from a PEP 658 file or the wheel itself), stored under
/// the wheel's listed sha256.
const METADATA_BLOB: &str = "metadata";

/// Local archives up to this size are read whole, in one system call, before the zip reader
/// looks inside: reading through the file, its seeks and short reads cost some thirty system
/// calls per wheel, a tenth of a 1,000-member plan. Larger ones are read where the zip reader
/// points.
const WHOLE_READ_LIMIT: u64 = 256 * 1024;

/// Reads metadata and digests of listed files, memoised per version and per file.
pub(crate) struct Fetcher {
    http: Option<Arc<HttpClient>>,
    metadata: Memo<(PackageName, Version), CoreMetadata>,
    hashes: Memo<Location, Sha256Digest>,
}

impl Fetcher {
    pub(crate) fn new(http: Option<Arc<HttpClient>>) -> Fetcher {
        Fetcher {
            http,
            metadata: Memo::default(),
            hashes: Memo::default(),
        }
    }

    /// The metadata of `version`, one of `versions`, which `origin` listed.
    pub(crate) fn metadata(
        &self,
        versions: &PackageVersions,
        version: &Version,
        origin: &Location,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let name = versions.name();
        let info = versions
            .get(version)
            .ok_or_else(|| IndexError::UnknownVersion {
                name: name.clone(),
                version: version.clone(),
                origin: origin.to_string(),
            })?;
        self.metadata
            .get_or_try_insert(&(name.clone(), info.version.clone()), || {
                let file = info
                    .metadata_file()
                    .ok_or_else(|| IndexError::NoDistribution {
                        name: name.clone(),
                        version: info.version.clone(),
                    })?;
                self.read_metadata(file)
            })
    }

    /// The sha256 of a file `registry` listed; files of other sources are not ours to hash.
    pub(crate) fn sha256(
        &self,
        file: &DistFile,
        registry: &Location,
    ) -> Result<Sha256Digest, IndexError> {
        if let Some(digest) = file.sha256 {
            return Ok(digest);
        }
        if &file.registry != registry {
            return Err(IndexError::HashUnavailable {
                name: file.filename.name().clone(),
                version: file.filename.version().clone(),
                file: Box::new(file.location.clone()),
            });
        }
        let digest = self
            .hashes
            .get_or_try_insert(&file.location, || match &file.location {
                Location::Path(path) => hash_file(path)
                    .map(|(digest, _)| digest)
                    .map_err(|err| IndexError::io(path, err)),
                Location::Url(url) => {
                    let http = self.http(file, url)?;
                    let downloaded = http
                        .download(url, None)
                        .map_err(|err| fetch_error(file, err))?;
                    Ok(downloaded.sha256)
                }
            })?;
        Ok(*digest)
    }

    fn read_metadata(&self, file: &DistFile) -> Result<CoreMetadata, IndexError> {
        let bytes = self.metadata_bytes(file)?;
        let (name, version) = (file.filename.name(), file.filename.version());
        let metadata = match &file.filename {
            DistFilename::Wheel(_) => {
                CoreMetadata::parse(&bytes).map_err(|err| IndexError::InvalidMetadata {
                    name: name.clone(),
                    version: version.clone(),
                    file: Box::new(file.location.clone()),
                    reason: err.reason().to_string(),
                })?
            }
            DistFilename::Sdist(_) => {
                CoreMetadata::parse_static_pkg_info(&bytes).map_err(|problem| match problem {
                    MetadataProblem::NotStatic(reason) => IndexError::NeedsBuild {
                        name: name.clone(),
                        version: version.clone(),
                        file: Box::new(file.location.clone()),
                        reason,
                    },
                    MetadataProblem::Invalid(reason) => IndexError::InvalidMetadata {
                        name: name.clone(),
                        version: version.clone(),
                        file: Box::new(file.location.clone()),
                        reason,
                    },
                })?
            }
        };
        // uv refuses metadata that names another package or version than the file: resolving
        // with it would lock something other than what gets installed.
        if &metadata.name != name || &metadata.version != version {
            return Err(IndexError::MetadataMismatch {
                name: name.clone(),
                version: version.clone(),
                file: Box::new(file.location.clone()),
                found_name: metadata.name,
                found_version: metadata.version,
            });
        }
        Ok(metadata)
    }

    fn metadata_bytes(&self, file: &DistFile) -> Result<Vec<u8>, IndexError> {
        match &file.location {
            Location::Path(path) => {
                let opened = File::open(path).map_err(|err| IndexError::io(path, err))?;
                let size = opened.metadata().map_or(u64::MAX, |meta| meta.len());
                if size > WHOLE_READ_LIMIT {
                    return read_archive(file, opened);
                }
                let mut bytes = Vec::with_capacity(size as usize);
                (&opened)
                    .take(WHOLE_READ_LIMIT + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|err| IndexError::io(path, err))?;
                if bytes.len() as u64 > WHOLE_READ_LIMIT {
                    // It grew since its size was asked: read it where the zip reader points.
                    let mut opened = opened;
                    opened
                        .seek(io::SeekFrom::Start(0))
                        .map_err(|err| IndexError::io(path, err))?;
                    return read_archive(file, opened);
                }
                read_archive(file, io::Cursor::new(bytes))
            }
            Location::Url(url) => {
                let http = self.http(file, url)?;
                let cached = match (http.cache(), file.sha256, file.filename.is_wheel()) {
                    (Some(cache), Some(digest), true) => Some((cache, digest)),
                    _ => None,
                };
                if let Some((cache, digest)) = cached {
                    if let Some(bytes) = cache.read_blob(METADATA_BLOB, &digest, "METADATA") {
                        tracing::debug!("metadata of {} from cache", file.filename);
                        return Ok(bytes);
                    }
                }
                let bytes = match (&file.core_metadata, &file.filename) {
                    (MetadataOffer::Offered { sha256 }, _) => {
                        metadata_file(http, file, url, sha256.as_ref())?
                    }
                    (MetadataOffer::NotOffered, DistFilename::Wheel(_)) => {
                        remote_wheel(http, file, url)?
                    }
                    (MetadataOffer::NotOffered, DistFilename::Sdist(_)) => {
                        let downloaded = download_checked(http, file, url)?;
                        read_archive(file, downloaded)?
                    }
                };
                if let Some((cache, digest)) = cached {
                    cache.write_blob(METADATA_BLOB, &digest, "METADATA", &bytes);
                }
                Ok(bytes)
            }
        }
    }

    fn http(&self, file: &DistFile, url: &Url) -> Result<&HttpClient, IndexError> {
        self.http.as_deref().ok_or_else(|| IndexError::Network {
            name: file.filename.name().clone(),
            version: Some(file.filename.version().clone()),
            url: Box::new(url.clone()),
            message: "this source has no HTTP client".to_string(),
        })
    }
}

/// A PEP 658 metadata file: `<file url>.metadata`, checked against its listed digest.
fn metadata_file(
    http: &HttpClient,
    file: &DistFile,
    url: &Url,
    expected: Option<&Sha256Digest>,
) -> Result<Vec<u8>, IndexError> {
    let mut metadata_url = url.clone();
    metadata_url.set_path(&format!("{}.metadata", url.path()));
    let page = http
        .get_page(&metadata_url, "*/*")
        .map_err(|err| fetch_error(file, err))?;
    if let Some(expected) = expected {
        let actual = Sha256Digest::of_bytes(&page.body);
        if actual != *expected {
            return Err(IndexError::HashMismatch {
                name: file.filename.name().clone(),
                version: file.filename.version().clone(),
                file: Box::new(Location::Url(metadata_url)),
                expected: *expected,
                actual,
            });
        }
    }
    Ok(page.body)
}

/// A remote wheel's `METADATA` through range requests; a server that does not do ranges gets
/// the whole file downloaded instead.
fn remote_wheel(http: &HttpClient, file: &DistFile, url: &Url) -> Result<Vec<u8>, IndexError> {
    match http.get_tail(url, CHUNK) {
        Ok(Tail::Partial {
            start,
            total,
            bytes,
        }) => {
            let reader = RangeReader::new(http, url.clone(), total, start, bytes);
            match read_archive(file, reader) {
                // The range answers were not what HTTP promises: fall back to the whole file.
                Err(IndexError::MalformedResponse { reason, .. }) => {
                    tracing::debug!("range requests for {url} failed ({reason}); downloading");
                    let downloaded = download_checked(http, file, url)?;
                    read_archive(file, downloaded)
                }
                other => other,
            }
        }
        Ok(Tail::Whole(downloaded)) => {
            check_digest(file, downloaded.sha256)?;
            read_archive(file, downloaded.file)
        }
        Ok(Tail::Refused) => {
            let downloaded = download_checked(http, file, url)?;
            read_archive(file, downloaded)
        }
        Err(err) => Err(fetch_error(file, err)),
    }
}

fn download_checked(http: &HttpClient, file: &DistFile, url: &Url) -> Result<File, IndexError> {
    let downloaded = http
        .download(url, file.sha256.as_ref())
        .map_err(|err| fetch_error(file, err))?;
    check_digest(file, downloaded.sha256)?;
    Ok(downloaded.file)
}

fn check_digest(file: &DistFile, actual: Sha256Digest) -> Result<(), IndexError> {
    match file.sha256 {
        Some(expected) if expected != actual => Err(IndexError::HashMismatch {
            name: file.filename.name().clone(),
            version: file.filename.version().clone(),
            file: Box::new(file.location.clone()),
            expected,
            actual,
        }),
        _ => Ok(()),
    }
}

/// The metadata file of a wheel or sdist, from any seekable reader.
fn read_archive<R: io::Read + io::Seek>(file: &DistFile, reader: R) -> Result<Vec<u8>, IndexError> {
    let (name, version) = (file.filename.name(), file.filename.version());
    let result = match &file.filename {
        DistFilename::Wheel(_) => archive::wheel_metadata(reader, name),
        DistFilename::Sdist(sdist) => archive::sdist_pkg_info(reader, sdist.extension),
    };
    result.map_err(|problem| match problem {
        ArchiveProblem::Corrupt(reason) => IndexError::CorruptArchive {
            name: name.clone(),
            version: version.clone(),
            file: Box::new(file.location.clone()),
            reason,
        },
        ArchiveProblem::Missing(reason) if file.filename.is_wheel() => {
            IndexError::MissingMetadata {
                name: name.clone(),
                version: version.clone(),
                file: Box::new(file.location.clone()),
                reason,
            }
        }
        ArchiveProblem::Missing(reason) | ArchiveProblem::Unsupported(reason) => {
            IndexError::NeedsBuild {
                name: name.clone(),
                version: version.clone(),
                file: Box::new(file.location.clone()),
                reason,
            }
        }
        ArchiveProblem::Io(err) => {
            if let Some(fetch) = err
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<FetchError>())
            {
                return fetch_error(file, fetch.clone());
            }
            match (&file.location, err.kind()) {
                (_, io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData)
                | (Location::Url(_), _) => IndexError::CorruptArchive {
                    name: name.clone(),
                    version: version.clone(),
                    file: Box::new(file.location.clone()),
                    reason: err.to_string(),
                },
                (Location::Path(path), _) => IndexError::io(path, err),
            }
        }
    })
}

/// A failed request about `file`, as an error naming its package and version.
fn fetch_error(file: &DistFile, err: FetchError) -> IndexError {
    fetch_context(file.filename.name(), Some(file.filename.version()), err)
}

/// A failed request, as an error naming the package (and version, for metadata and files).
pub(crate) fn fetch_context(
    name: &PackageName,
    version: Option<&Version>,
    err: FetchError,
) -> IndexError {
    let (name, version, url) = (name.clone(), version.cloned(), Box::new(err.url));
    match err.kind {
        FetchErrorKind::Status(status) => IndexError::HttpStatus {
            name,
            version,
            url,
            status,
        },
        FetchErrorKind::Timeout(timeout) => IndexError::Timeout {
            name,
            version,
            url,
            timeout,
        },
        FetchErrorKind::Network(message) => IndexError::Network {
            name,
            version,
            url,
            message,
        },
        FetchErrorKind::Malformed(reason) => IndexError::MalformedResponse {
            name,
            version,
            url,
            reason,
        },
        FetchErrorKind::Offline => IndexError::Offline { name, version, url },
        FetchErrorKind::Io(path, source) => IndexError::Io { path, source },
    }
}
