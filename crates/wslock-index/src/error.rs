//! The one error type of the crate. Every variant names the package (and version, when there is
//! one) and the file, path or URL at fault, and has a one-line [`IndexError::hint`].

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use url::Url;
use wslock_pep::{PackageName, Version};

use crate::hash::Sha256Digest;
use crate::location::Location;

/// Something a source could not answer.
///
/// "No such package" is not an error: [`crate::PackageSource::versions`] returns an empty
/// [`crate::PackageVersions`] so the resolver can explain it. Errors are `Clone` (I/O errors
/// sit behind an `Arc`) so a resolver can keep one as the reason a version is unusable.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// Reading a local file or directory failed.
    #[error("failed to read `{}`: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Arc<io::Error>,
    },

    /// A wheel or sdist is not a readable archive (truncated, not a zip, bad compression).
    #[error("`{file}` ({name} {version}) is not a valid archive: {reason}")]
    CorruptArchive {
        /// The package.
        name: PackageName,
        /// The version the filename claims.
        version: Version,
        /// The archive.
        file: Box<Location>,
        /// What the archive reader reported.
        reason: String,
    },

    /// A wheel has no `.dist-info/METADATA` (or several candidates).
    #[error("wheel `{file}` ({name} {version}) has no usable `.dist-info/METADATA`: {reason}")]
    MissingMetadata {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The wheel.
        file: Box<Location>,
        /// What was found instead.
        reason: String,
    },

    /// Core metadata that does not parse (a bad `Requires-Dist`, no `Name`, ...).
    #[error("invalid core metadata for {name} {version} in `{file}`: {reason}")]
    InvalidMetadata {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The file the metadata came from (wheel, sdist or `.metadata` URL).
        file: Box<Location>,
        /// What is wrong, quoting the line.
        reason: String,
    },

    /// Core metadata that describes another package or version than its file's name says.
    #[error("the core metadata in `{file}` is for {found_name} {found_version}, but the file is {name} {version}")]
    MetadataMismatch {
        /// The package, from the filename.
        name: PackageName,
        /// The version, from the filename.
        version: Version,
        /// The file.
        file: Box<Location>,
        /// `Name` in the metadata.
        found_name: PackageName,
        /// `Version` in the metadata.
        found_version: Version,
    },

    /// Only an sdist without static metadata is available, so the version would need a build.
    #[error("{name} {version} needs a build to learn its dependencies, which wslock does not do: `{file}`: {reason}")]
    NeedsBuild {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The sdist.
        file: Box<Location>,
        /// Why its metadata cannot be used as is.
        reason: String,
    },

    /// A listed version has no wheel or sdist to read metadata from.
    #[error("{name} {version} has no wheel or source distribution to read metadata from")]
    NoDistribution {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
    },

    /// Metadata was asked for a version the source does not list.
    #[error("{name} {version} is not listed by {origin}")]
    UnknownVersion {
        /// The package.
        name: PackageName,
        /// The version asked for.
        version: Version,
        /// The source that was asked (its location).
        origin: String,
    },

    /// A source lists the version but holds no metadata for it (a snapshot recorded without).
    #[error("no core metadata for {name} {version} in {origin}")]
    MetadataUnavailable {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The source (its location).
        origin: String,
    },

    /// An HTTP request got an error status.
    #[error("fetching {} from {url} failed: HTTP {status}", subject(.name, .version))]
    HttpStatus {
        /// The package being fetched.
        name: PackageName,
        /// The version, when fetching metadata or a file.
        version: Option<Version>,
        /// The URL requested.
        url: Box<Url>,
        /// The status code.
        status: u16,
    },

    /// An HTTP request got no answer in time.
    #[error("fetching {} from {url} timed out after {} ms", subject(.name, .version), .timeout.as_millis())]
    Timeout {
        /// The package being fetched.
        name: PackageName,
        /// The version, when fetching metadata or a file.
        version: Option<Version>,
        /// The URL requested.
        url: Box<Url>,
        /// The timeout in force.
        timeout: Duration,
    },

    /// An HTTP request failed below HTTP (DNS, connection refused, TLS, broken transfer).
    #[error("fetching {} from {url} failed: {message}", subject(.name, .version))]
    Network {
        /// The package being fetched.
        name: PackageName,
        /// The version, when fetching metadata or a file.
        version: Option<Version>,
        /// The URL requested.
        url: Box<Url>,
        /// What the HTTP client reported.
        message: String,
    },

    /// A response that is not what the protocol promises (bad JSON, unknown API version, a
    /// range request answered wrongly).
    #[error("malformed response for {} from {url}: {reason}", subject(.name, .version))]
    MalformedResponse {
        /// The package being fetched.
        name: PackageName,
        /// The version, when fetching metadata or a file.
        version: Option<Version>,
        /// The URL requested.
        url: Box<Url>,
        /// What is wrong with it.
        reason: String,
    },

    /// A downloaded file or metadata file does not match the sha256 the index listed.
    #[error("hash mismatch for `{file}` ({name} {version}): the index lists sha256 {expected}, the file has {actual}")]
    HashMismatch {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The file or metadata file.
        file: Box<Location>,
        /// The listed digest.
        expected: Sha256Digest,
        /// The digest of what was received.
        actual: Sha256Digest,
    },

    /// Offline mode, and the response is not in the cache.
    #[error("cannot fetch {} from {url}: offline mode, and it is not in the cache", subject(.name, .version))]
    Offline {
        /// The package being fetched.
        name: PackageName,
        /// The version, when fetching metadata or a file.
        version: Option<Version>,
        /// The URL that would have been requested.
        url: Box<Url>,
    },

    /// A package is needed but no index or find-links location is configured.
    #[error("`{name}` is needed, but no package index or find-links location is configured")]
    NoIndex {
        /// The package.
        name: PackageName,
    },

    /// A package is pinned to an index name that no configured index has.
    #[error("`{name}` is pinned to the index `{index}`, but no index of that name is configured")]
    UnknownIndex {
        /// The package.
        name: PackageName,
        /// The index name it is pinned to.
        index: String,
    },

    /// The source that listed a file cannot compute its sha256.
    #[error(
        "no sha256 is known for `{file}` ({name} {version}) and its source cannot compute one"
    )]
    HashUnavailable {
        /// The package.
        name: PackageName,
        /// The version.
        version: Version,
        /// The file.
        file: Box<Location>,
    },

    /// A snapshot file that cannot be read or does not follow `docs/index-snapshot.md`.
    #[error("invalid index snapshot `{}`: {reason}", path.display())]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong, with the JSON line and column when known.
        reason: String,
    },

    /// An index setting (URL, environment variable) that cannot be used.
    #[error("invalid {setting} `{value}`: {reason}")]
    InvalidConfig {
        /// Which setting (`--index-url`, `UV_INDEX`, ...).
        setting: String,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
}

fn subject(name: &PackageName, version: &Option<Version>) -> String {
    match version {
        Some(version) => format!("{name} {version}"),
        None => format!("the versions of {name}"),
    }
}

impl IndexError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self {
            IndexError::Io { .. } => "check that the path exists and is readable".into(),
            IndexError::CorruptArchive { .. } => {
                "the file is damaged or not an archive; rebuild or re-download it".into()
            }
            IndexError::MissingMetadata { name, version, .. } => format!(
                "a wheel must contain exactly one `{}-{version}.dist-info/METADATA`; rebuild the wheel",
                name.as_ref().replace('-', "_")
            ),
            IndexError::InvalidMetadata { .. } => {
                "the published metadata is broken; exclude this version or report it upstream".into()
            }
            IndexError::MetadataMismatch { .. } => {
                "the filename and the metadata inside disagree; rename or rebuild the file".into()
            }
            IndexError::NeedsBuild { .. } => {
                "provide a wheel for this version (for example in a --find-links folder), or exclude this version".into()
            }
            IndexError::NoDistribution { .. } => {
                "the source lists the version without files; exclude this version".into()
            }
            IndexError::UnknownVersion { .. } => {
                "ask only for versions that `versions()` returned".into()
            }
            IndexError::MetadataUnavailable { .. } => {
                "record the snapshot again so that it includes this version's metadata".into()
            }
            IndexError::HttpStatus { status, .. } => match status {
                401 | 403 => "check the credentials for this index".into(),
                404 | 410 => "check the index URL".into(),
                500..=599 => "the index server failed; try again later".into(),
                _ => "check the index URL and the server".into(),
            },
            IndexError::Timeout { .. } => {
                "the index did not answer in time; check the network or raise the timeout".into()
            }
            IndexError::Network { .. } => {
                "check the index URL, the network connection and any proxy settings".into()
            }
            IndexError::MalformedResponse { .. } => {
                "the URL does not serve a PEP 691 (JSON) or PEP 503 (HTML) simple index; check it".into()
            }
            IndexError::HashMismatch { .. } => {
                "the file changed since it was listed; clear the wslock cache or report it to the index".into()
            }
            IndexError::Offline { .. } => {
                "run once with network access so the response is cached".into()
            }
            IndexError::NoIndex { .. } => "pass --index-url URL or --find-links DIR, set UV_DEFAULT_INDEX, or set `find-links` or `index-url` under [tool.uv] (or add a [[tool.uv.index]] table with `default = true`) in the root pyproject.toml".into(),
            IndexError::UnknownIndex { index, .. } => {
                format!("add a [[tool.uv.index]] table with `name = \"{index}\"` to the root pyproject.toml")
            }
            IndexError::HashUnavailable { .. } => {
                "use an index that lists sha256 hashes, or a find-links folder".into()
            }
            IndexError::Snapshot { .. } => {
                "see docs/index-snapshot.md for the snapshot format".into()
            }
            IndexError::InvalidConfig { .. } => "fix the setting's value".into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> IndexError {
        IndexError::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_package_and_url() {
        let name = wslock_pep::package_name("demo").unwrap();
        let url = Url::parse("http://127.0.0.1:1/simple/demo/").unwrap();
        let err = IndexError::HttpStatus {
            name: name.clone(),
            version: None,
            url: Box::new(url.clone()),
            status: 500,
        };
        assert_eq!(
            err.to_string(),
            "fetching the versions of demo from http://127.0.0.1:1/simple/demo/ failed: HTTP 500"
        );
        assert_eq!(err.hint(), "the index server failed; try again later");
        let timeout = IndexError::Timeout {
            name,
            version: Some("1.0".parse().unwrap()),
            url: Box::new(url),
            timeout: Duration::from_millis(200),
        };
        assert_eq!(
            timeout.to_string(),
            "fetching demo 1.0 from http://127.0.0.1:1/simple/demo/ timed out after 200 ms"
        );
    }
}
