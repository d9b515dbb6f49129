//! The on-disk HTTP cache.
//!
//! Two kinds of entries, with different assumptions about their keys:
//! - **Pages** (index project pages, find-links pages, `.metadata` files whose digest the index
//!   did not list) are keyed by URL alone. That is sound because we always send the same
//!   `Accept` header for a URL, so the server's representation for a URL is fixed. Each entry
//!   stores the body with the validators (`ETag`, `Last-Modified`) and freshness
//!   (`Cache-Control: max-age`) of the response; a stale entry is revalidated with
//!   `If-None-Match` / `If-Modified-Since`, and a `304` reuses the body.
//! - **Blobs** are keyed by content: the sha256 an index listed for a file. A digest pins the
//!   bytes, so blobs (a wheel's extracted `METADATA`, a downloaded archive) are never
//!   revalidated. Without a listed digest nothing is stored as a blob.
//!
//! Every write goes to a temporary file in the same directory, then is renamed over the entry,
//! so a crash or a parallel wslock never leaves a half-written entry. A cache that cannot be
//! read or written is skipped with a warning, never an error: it only saves time.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::hash::Sha256Digest;

/// Bumped whenever the entry format changes, so old entries are simply not found.
const PAGES: &str = "pages-v1";
const BLOBS: &str = "blobs-v1";

/// The validators and freshness of a cached page, stored as the first line of the entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PageMeta {
    /// The URL requested (the key), kept to detect hash collisions and for debugging.
    pub url: String,
    /// The URL after redirects, against which relative links resolve.
    pub final_url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Seconds since the epoch when the response was stored or last revalidated.
    pub stored_at: u64,
    /// `Cache-Control: max-age`, in seconds; `None` means revalidate every time.
    pub max_age: Option<u64>,
}

impl PageMeta {
    pub(crate) fn is_fresh(&self, now: u64) -> bool {
        self.max_age
            .is_some_and(|max_age| now.saturating_sub(self.stored_at) < max_age)
    }
}

/// A page read back from the cache.
#[derive(Debug, Clone)]
pub(crate) struct CachedPage {
    pub meta: PageMeta,
    pub body: Vec<u8>,
}

/// The cache directory.
#[derive(Debug, Clone)]
pub(crate) struct DiskCache {
    root: PathBuf,
}

impl DiskCache {
    pub(crate) fn new(root: PathBuf) -> DiskCache {
        DiskCache { root }
    }

    fn page_path(&self, url: &Url) -> PathBuf {
        let key = Sha256Digest::of_bytes(url.as_str().as_bytes()).to_hex();
        self.root.join(PAGES).join(&key[..2]).join(&key)
    }

    /// The path a blob of `kind` with content digest `digest` lives at.
    pub(crate) fn blob_path(&self, kind: &str, digest: &Sha256Digest, filename: &str) -> PathBuf {
        let key = digest.to_hex();
        self.root
            .join(BLOBS)
            .join(kind)
            .join(&key[..2])
            .join(key)
            .join(filename)
    }

    pub(crate) fn read_page(&self, url: &Url) -> Option<CachedPage> {
        let path = self.page_path(url);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
            Err(err) => {
                tracing::warn!(
                    "ignoring unreadable cache entry `{}`: {err}",
                    path.display()
                );
                return None;
            }
        };
        let newline = bytes.iter().position(|byte| *byte == b'\n')?;
        let meta: PageMeta = match serde_json::from_slice(&bytes[..newline]) {
            Ok(meta) => meta,
            Err(err) => {
                tracing::warn!("ignoring corrupt cache entry `{}`: {err}", path.display());
                return None;
            }
        };
        if meta.url != url.as_str() {
            return None;
        }
        Some(CachedPage {
            meta,
            body: bytes[newline + 1..].to_vec(),
        })
    }

    pub(crate) fn write_page(&self, meta: &PageMeta, body: &[u8]) {
        let Ok(url) = Url::parse(&meta.url) else {
            return;
        };
        let path = self.page_path(&url);
        let result = serde_json::to_vec(meta)
            .map_err(io::Error::other)
            .and_then(|mut bytes| {
                bytes.push(b'\n');
                bytes.extend_from_slice(body);
                write_atomic(&path, &bytes)
            });
        if let Err(err) = result {
            tracing::warn!("could not write cache entry `{}`: {err}", path.display());
        }
    }

    pub(crate) fn read_blob(
        &self,
        kind: &str,
        digest: &Sha256Digest,
        filename: &str,
    ) -> Option<Vec<u8>> {
        fs::read(self.blob_path(kind, digest, filename)).ok()
    }

    pub(crate) fn write_blob(
        &self,
        kind: &str,
        digest: &Sha256Digest,
        filename: &str,
        bytes: &[u8],
    ) {
        let path = self.blob_path(kind, digest, filename);
        if let Err(err) = write_atomic(&path, bytes) {
            tracing::warn!("could not write cache entry `{}`: {err}", path.display());
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("cache path has no parent directory"))?;
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Seconds since the epoch (0 if the clock is before it, which only makes entries stale).
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_and_freshness() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path().to_path_buf());
        let url = Url::parse("http://127.0.0.1:1/simple/demo/").unwrap();
        assert!(cache.read_page(&url).is_none());
        let meta = PageMeta {
            url: url.to_string(),
            final_url: url.to_string(),
            content_type: Some("text/html".into()),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            stored_at: 1000,
            max_age: Some(60),
        };
        cache.write_page(&meta, b"<html>\n</html>");
        let page = cache.read_page(&url).unwrap();
        assert_eq!(page.body, b"<html>\n</html>");
        assert_eq!(page.meta.etag.as_deref(), Some("\"v1\""));
        assert!(page.meta.is_fresh(1059));
        assert!(!page.meta.is_fresh(1060));

        // A corrupt entry is a miss, not an error.
        fs::write(cache.page_path(&url), b"not json\nbody").unwrap();
        assert!(cache.read_page(&url).is_none());
    }
}
