//! The blocking HTTP client shared by every remote source: timeouts, retries, the disk cache.

use std::fmt;
use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ureq::http::Response;
use ureq::tls::{RootCerts, TlsConfig};
use ureq::{Body, ResponseExt};
use url::Url;

use super::cache::{now, DiskCache, PageMeta};
use super::options::{HttpOptions, TlsRoots};
use crate::hash::{copy_hashing, Sha256Digest};

/// Index pages can be large (tens of MB for packages with thousands of files) but not
/// unbounded: a server streaming forever must not exhaust memory.
const PAGE_LIMIT: u64 = 512 * 1024 * 1024;

/// The name of a downloaded file inside its blob directory. Fixed rather than the listed
/// filename, so nothing an index sends ends up in a path.
const DOWNLOAD_NAME: &str = "file";

/// Statuses worth retrying: the server said "try again" or failed transiently.
const RETRY_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// The HTTP client that remote sources share: one connection pool, one cache.
pub struct HttpClient {
    agent: ureq::Agent,
    cache: Option<DiskCache>,
    options: HttpOptions,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Why a request failed; sources turn it into an [`crate::IndexError`] naming the package.
#[derive(Debug, Clone)]
pub(crate) struct FetchError {
    pub url: Url,
    pub kind: FetchErrorKind,
}

#[derive(Debug, Clone)]
pub(crate) enum FetchErrorKind {
    Status(u16),
    Timeout(Duration),
    Network(String),
    Malformed(String),
    Offline,
    Io(PathBuf, Arc<io::Error>),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FetchErrorKind::Status(status) => write!(f, "{}: HTTP {status}", self.url),
            FetchErrorKind::Timeout(after) => write!(f, "{}: timed out after {after:?}", self.url),
            FetchErrorKind::Network(message) => write!(f, "{}: {message}", self.url),
            FetchErrorKind::Malformed(reason) => write!(f, "{}: {reason}", self.url),
            FetchErrorKind::Offline => write!(f, "{}: offline and not cached", self.url),
            FetchErrorKind::Io(path, err) => write!(f, "{}: {}: {err}", self.url, path.display()),
        }
    }
}

impl std::error::Error for FetchError {}

impl FetchError {
    fn new(url: &Url, kind: FetchErrorKind) -> FetchError {
        FetchError {
            url: url.clone(),
            kind,
        }
    }
}

/// A page body with what is needed to interpret it.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    /// The URL after redirects: relative links resolve against it.
    pub url: Url,
}

/// A file downloaded to disk (a cache blob or an anonymous temporary file), rewound.
pub(crate) struct Downloaded {
    pub file: File,
    pub sha256: Sha256Digest,
}

/// The answer to a suffix range request for the end of a file.
pub(crate) enum Tail {
    /// `206`: the last bytes, starting at `start`, of a file of `total` bytes.
    Partial {
        start: u64,
        total: u64,
        bytes: Vec<u8>,
    },
    /// `200`: the server ignores ranges and sent the whole file, saved to disk.
    Whole(Downloaded),
    /// The server refused the range (`416`, ...): download the file instead.
    Refused,
}

impl HttpClient {
    /// A client with these options. The cache directory is created on first write.
    pub fn new(options: HttpOptions) -> HttpClient {
        let timeout = Some(options.timeout);
        let roots = match options.tls_roots {
            TlsRoots::System => RootCerts::PlatformVerifier,
            TlsRoots::Bundled => RootCerts::WebPki,
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .http_status_as_error(false)
            .timeout_connect(timeout)
            .timeout_recv_response(timeout)
            .timeout_per_read(timeout)
            .max_redirects(10)
            .user_agent(format!("wslock/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        HttpClient {
            agent,
            cache: options.cache_dir.clone().map(DiskCache::new),
            options,
        }
    }

    /// The options in force.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    pub(crate) fn cache(&self) -> Option<&DiskCache> {
        self.cache.as_ref()
    }

    /// GETs a page through the revalidating cache.
    pub(crate) fn get_page(&self, url: &Url, accept: &str) -> Result<Page, FetchError> {
        let cached = self.cache.as_ref().and_then(|cache| cache.read_page(url));
        let from_cache = |meta: &PageMeta, body: Vec<u8>| Page {
            body,
            content_type: meta.content_type.clone(),
            url: Url::parse(&meta.final_url).unwrap_or_else(|_| url.clone()),
        };
        if self.options.offline {
            return cached
                .map(|page| from_cache(&page.meta, page.body))
                .ok_or_else(|| FetchError::new(url, FetchErrorKind::Offline));
        }
        if let Some(page) = &cached {
            if page.meta.is_fresh(now()) {
                tracing::debug!("fresh in cache: {url}");
                return Ok(from_cache(&page.meta, page.body.clone()));
            }
        }
        let mut headers = vec![("Accept", accept.to_string())];
        if let Some(page) = &cached {
            if let Some(etag) = &page.meta.etag {
                headers.push(("If-None-Match", etag.clone()));
            }
            if let Some(modified) = &page.meta.last_modified {
                headers.push(("If-Modified-Since", modified.clone()));
            }
        }
        let mut response = self.send(url, &headers)?;
        let status = response.status().as_u16();
        let policy = CachePolicy::of(&response);
        if status == 304 {
            let Some(mut page) = cached else {
                return Err(FetchError::new(
                    url,
                    FetchErrorKind::Malformed(
                        "304 Not Modified to an unconditional request".into(),
                    ),
                ));
            };
            tracing::debug!("revalidated: {url}");
            page.meta.stored_at = now();
            page.meta.max_age = policy.max_age;
            if let Some(cache) = &self.cache {
                cache.write_page(&page.meta, &page.body);
            }
            return Ok(from_cache(&page.meta, page.body));
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::new(url, FetchErrorKind::Status(status)));
        }
        let final_url = Url::parse(&response.get_uri().to_string()).unwrap_or_else(|_| url.clone());
        let content_type = header(&response, "content-type");
        let etag = header(&response, "etag");
        let last_modified = header(&response, "last-modified");
        let body = response
            .body_mut()
            .with_config()
            .limit(PAGE_LIMIT)
            .read_to_vec()
            .map_err(|err| FetchError::new(url, self.classify(&err)))?;
        let meta = PageMeta {
            url: url.to_string(),
            final_url: final_url.to_string(),
            content_type: content_type.clone(),
            etag,
            last_modified,
            stored_at: now(),
            max_age: policy.max_age,
        };
        if let (Some(cache), false) = (&self.cache, policy.no_store) {
            cache.write_page(&meta, &body);
        }
        Ok(Page {
            body,
            content_type,
            url: final_url,
        })
    }

    /// Downloads a file. With a listed digest and a cache, the file is stored as a blob under
    /// that digest and later downloads reuse it; the digest of what was received is returned
    /// for the caller to compare (a mismatching file is never stored under the listed digest).
    pub(crate) fn download(
        &self,
        url: &Url,
        expected: Option<&Sha256Digest>,
    ) -> Result<Downloaded, FetchError> {
        let blob = match (&self.cache, expected) {
            (Some(cache), Some(digest)) => Some((cache, digest)),
            _ => None,
        };
        if let Some((cache, digest)) = blob {
            let path = cache.blob_path("files", digest, DOWNLOAD_NAME);
            if let Ok(file) = File::open(&path) {
                tracing::debug!("download from cache: {url}");
                return Ok(Downloaded {
                    file,
                    sha256: *digest,
                });
            }
        }
        if self.options.offline {
            return Err(FetchError::new(url, FetchErrorKind::Offline));
        }
        let mut response = self.send(url, &[("Accept-Encoding", "identity".to_string())])?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(FetchError::new(url, FetchErrorKind::Status(status)));
        }
        self.save_body(url, response.body_mut(), blob)
    }

    /// Streams a response body to disk, hashing it on the way.
    fn save_body(
        &self,
        url: &Url,
        body: &mut Body,
        blob: Option<(&DiskCache, &Sha256Digest)>,
    ) -> Result<Downloaded, FetchError> {
        let io_error = |path: PathBuf, err: io::Error| {
            FetchError::new(url, FetchErrorKind::Io(path, Arc::new(err)))
        };
        let temp_dir = std::env::temp_dir();
        let mut reader = body.with_config().reader();
        match blob {
            Some((cache, digest)) => {
                let path = cache.blob_path("files", digest, DOWNLOAD_NAME);
                let dir = path
                    .parent()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| temp_dir.clone());
                let mut temp = std::fs::create_dir_all(&dir)
                    .and_then(|()| tempfile::NamedTempFile::new_in(&dir))
                    .map_err(|err| io_error(dir.clone(), err))?;
                let (sha256, _) = copy_hashing(&mut reader, temp.as_file_mut())
                    .map_err(|err| self.body_error(url, err))?;
                if sha256 != *digest {
                    let mut file = temp.into_file();
                    file.seek(SeekFrom::Start(0))
                        .map_err(|err| io_error(dir.clone(), err))?;
                    return Ok(Downloaded { file, sha256 });
                }
                let file = temp
                    .persist(&path)
                    .map_err(|err| io_error(path.clone(), err.error))?;
                let mut file = file;
                file.seek(SeekFrom::Start(0))
                    .map_err(|err| io_error(path.clone(), err))?;
                Ok(Downloaded { file, sha256 })
            }
            None => {
                let mut file =
                    tempfile::tempfile().map_err(|err| io_error(temp_dir.clone(), err))?;
                let (sha256, _) = copy_hashing(&mut reader, &mut file)
                    .map_err(|err| self.body_error(url, err))?;
                file.seek(SeekFrom::Start(0))
                    .map_err(|err| io_error(temp_dir.clone(), err))?;
                Ok(Downloaded { file, sha256 })
            }
        }
    }

    /// Asks for the last `length` bytes of a file (`Range: bytes=-N`). The answer also tells
    /// the file's size, which is all a zip reader needs to start.
    pub(crate) fn get_tail(&self, url: &Url, length: u64) -> Result<Tail, FetchError> {
        if self.options.offline {
            return Err(FetchError::new(url, FetchErrorKind::Offline));
        }
        let mut response = self.send(
            url,
            &[
                ("Range", format!("bytes=-{length}")),
                ("Accept-Encoding", "identity".to_string()),
            ],
        )?;
        match response.status().as_u16() {
            206 => {
                let (start, end, total) = content_range(&response).ok_or_else(|| {
                    FetchError::new(
                        url,
                        FetchErrorKind::Malformed(
                            "206 answer without a valid Content-Range".into(),
                        ),
                    )
                })?;
                let bytes = self.read_exact_body(url, response.body_mut(), end - start + 1)?;
                Ok(Tail::Partial {
                    start,
                    total,
                    bytes,
                })
            }
            200 => Ok(Tail::Whole(self.save_body(
                url,
                response.body_mut(),
                None,
            )?)),
            // Range Not Satisfiable, Not Implemented: a server (or proxy) that will not do
            // suffix ranges. Any other error status is a real error for the file.
            416 | 501 => Ok(Tail::Refused),
            status => Err(FetchError::new(url, FetchErrorKind::Status(status))),
        }
    }

    /// Fetches `bytes=start-end` (inclusive); anything but exactly those bytes is an error.
    pub(crate) fn get_range(&self, url: &Url, start: u64, end: u64) -> Result<Vec<u8>, FetchError> {
        if self.options.offline {
            return Err(FetchError::new(url, FetchErrorKind::Offline));
        }
        let mut response = self.send(
            url,
            &[
                ("Range", format!("bytes={start}-{end}")),
                ("Accept-Encoding", "identity".to_string()),
            ],
        )?;
        let status = response.status().as_u16();
        if status != 206 {
            return Err(FetchError::new(
                url,
                if (200..300).contains(&status) {
                    FetchErrorKind::Malformed(format!("range request answered with HTTP {status}"))
                } else {
                    FetchErrorKind::Status(status)
                },
            ));
        }
        match content_range(&response) {
            Some((got_start, got_end, _)) if got_start == start && got_end == end => {}
            _ => {
                return Err(FetchError::new(
                    url,
                    FetchErrorKind::Malformed(format!(
                        "asked for bytes {start}-{end}, got a different Content-Range"
                    )),
                ))
            }
        }
        self.read_exact_body(url, response.body_mut(), end - start + 1)
    }

    fn read_exact_body(
        &self,
        url: &Url,
        body: &mut Body,
        length: u64,
    ) -> Result<Vec<u8>, FetchError> {
        let bytes = body
            .with_config()
            .limit(length + 1)
            .read_to_vec()
            .map_err(|err| FetchError::new(url, self.classify(&err)))?;
        if bytes.len() as u64 != length {
            return Err(FetchError::new(
                url,
                FetchErrorKind::Malformed(format!(
                    "expected {length} bytes in the range answer, got {}",
                    bytes.len()
                )),
            ));
        }
        Ok(bytes)
    }

    /// GETs with retries on connection failures and transient statuses.
    fn send(&self, url: &Url, headers: &[(&str, String)]) -> Result<Response<Body>, FetchError> {
        let mut attempt = 0u32;
        loop {
            tracing::debug!("GET {url} (attempt {})", attempt + 1);
            let mut request = self.agent.get(url.as_str());
            for (name, value) in headers {
                request = request.header(*name, value.as_str());
            }
            match request.call() {
                Ok(response)
                    if RETRY_STATUSES.contains(&response.status().as_u16())
                        && attempt < self.options.retries =>
                {
                    tracing::debug!("retrying {url} after HTTP {}", response.status());
                }
                Ok(response) => return Ok(response),
                Err(err) => {
                    let kind = self.classify(&err);
                    if !matches!(kind, FetchErrorKind::Network(_))
                        || attempt >= self.options.retries
                    {
                        return Err(FetchError::new(url, kind));
                    }
                    tracing::debug!("retrying {url} after {err}");
                }
            }
            std::thread::sleep(Duration::from_millis(100u64 << attempt.min(6)));
            attempt += 1;
        }
    }

    fn classify(&self, err: &ureq::Error) -> FetchErrorKind {
        match err {
            ureq::Error::Timeout(_) => FetchErrorKind::Timeout(self.options.timeout),
            ureq::Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
                FetchErrorKind::Timeout(self.options.timeout)
            }
            ureq::Error::StatusCode(status) => FetchErrorKind::Status(*status),
            ureq::Error::BodyExceedsLimit(limit) => {
                FetchErrorKind::Malformed(format!("response body larger than {limit} bytes"))
            }
            other => FetchErrorKind::Network(other.to_string()),
        }
    }

    /// An error while streaming a body: the body reader wraps ureq's errors in `io::Error`.
    fn body_error(&self, url: &Url, err: io::Error) -> FetchError {
        let inner = err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>());
        let kind = match inner {
            Some(inner) => self.classify(inner),
            None if err.kind() == io::ErrorKind::TimedOut => {
                FetchErrorKind::Timeout(self.options.timeout)
            }
            None => FetchErrorKind::Network(err.to_string()),
        };
        FetchError::new(url, kind)
    }
}

/// What `Cache-Control` allows.
struct CachePolicy {
    no_store: bool,
    max_age: Option<u64>,
}

impl CachePolicy {
    fn of(response: &Response<Body>) -> CachePolicy {
        let mut policy = CachePolicy {
            no_store: false,
            max_age: None,
        };
        let Some(value) = header(response, "cache-control") else {
            return policy;
        };
        let mut no_cache = false;
        for directive in value
            .split(',')
            .map(|part| part.trim().to_ascii_lowercase())
        {
            if directive == "no-store" {
                policy.no_store = true;
            } else if directive == "no-cache" || directive == "must-revalidate" {
                no_cache = true;
            } else if let Some(seconds) = directive.strip_prefix("max-age=") {
                policy.max_age = seconds.trim_matches('"').parse().ok();
            }
        }
        if no_cache {
            policy.max_age = None;
        }
        policy
    }
}

fn header(response: &Response<Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// `Content-Range: bytes a-b/total` → `(a, b, total)`.
fn content_range(response: &Response<Body>) -> Option<(u64, u64, u64)> {
    let value = header(response, "content-range")?;
    let range = value.trim().strip_prefix("bytes ")?;
    let (span, total) = range.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let (start, end, total) = (
        start.trim().parse().ok()?,
        end.trim().parse().ok()?,
        total.trim().parse().ok()?,
    );
    (start <= end && end < total).then_some((start, end, total))
}
