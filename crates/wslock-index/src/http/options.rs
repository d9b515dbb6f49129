//! What the HTTP client does: timeouts, retries, the cache directory, offline mode, TLS roots.

use std::path::PathBuf;
use std::time::Duration;

/// The environment variable that overrides the cache directory.
pub const CACHE_DIR_ENV: &str = "WSLOCK_CACHE_DIR";

/// Which certificate authorities HTTPS servers are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsRoots {
    /// The operating system's trust store (on Linux the CA bundle under `/etc/ssl`, or the
    /// file `SSL_CERT_FILE` names). The default: company proxies and private indexes sign
    /// with authorities that only the system store knows, and pip and curl already use it.
    #[default]
    System,
    /// Mozilla's root certificates compiled into wslock (uv's default), for machines whose
    /// system store is missing or stale.
    Bundled,
}

/// How the HTTP client behaves. A builder: `HttpOptions::new().timeout(..).cache_dir(..)`.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) cache_dir: Option<PathBuf>,
    pub(crate) offline: bool,
    pub(crate) tls_roots: TlsRoots,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions::new()
    }
}

impl HttpOptions {
    /// 30 s timeout, 2 retries, the cache in [`HttpOptions::default_cache_dir`] of the process
    /// environment, online, the system's certificate authorities.
    pub fn new() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(30),
            retries: 2,
            cache_dir: HttpOptions::default_cache_dir(|key| std::env::var(key).ok()),
            offline: false,
            tls_roots: TlsRoots::System,
        }
    }

    /// Which certificate authorities to trust for HTTPS.
    pub fn tls_roots(mut self, roots: TlsRoots) -> HttpOptions {
        self.tls_roots = roots;
        self
    }

    /// How long to wait for a connection, for response headers, and for each read of a body.
    /// A whole download may take longer; it fails only when the server stalls.
    pub fn timeout(mut self, timeout: Duration) -> HttpOptions {
        self.timeout = timeout;
        self
    }

    /// How many times to retry a request after a connection failure or a 429/500/502/503/504
    /// answer (with exponential backoff from 100 ms). Timeouts are not retried: the user
    /// already waited the whole timeout once.
    pub fn retries(mut self, retries: u32) -> HttpOptions {
        self.retries = retries;
        self
    }

    /// Caches responses under `dir`.
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> HttpOptions {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Caches nothing on disk (answers are still memoised in memory).
    pub fn no_cache(mut self) -> HttpOptions {
        self.cache_dir = None;
        self
    }

    /// Never touches the network: answers come from the cache, whatever their age, and a
    /// missing entry is an [`crate::IndexError::Offline`] error.
    pub fn offline(mut self, offline: bool) -> HttpOptions {
        self.offline = offline;
        self
    }

    /// The timeout in force.
    pub fn timeout_duration(&self) -> Duration {
        self.timeout
    }

    /// The cache directory in force, if any.
    pub fn cache_directory(&self) -> Option<&std::path::Path> {
        self.cache_dir.as_deref()
    }

    /// `WSLOCK_CACHE_DIR` if set and not empty, else `<platform cache dir>/wslock`
    /// (`~/.cache/wslock` on Linux). `lookup` reads the environment, so callers and tests can
    /// pass their own.
    pub fn default_cache_dir(lookup: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
        match lookup(CACHE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
            _ => dirs::cache_dir().map(|dir| dir.join("wslock")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_comes_from_the_environment_first() {
        let from_env = HttpOptions::default_cache_dir(|key| {
            (key == CACHE_DIR_ENV).then(|| "/srv/wslock-cache".to_string())
        });
        assert_eq!(from_env, Some(PathBuf::from("/srv/wslock-cache")));
        let empty = HttpOptions::default_cache_dir(|_| Some(String::new()));
        assert_eq!(empty, dirs::cache_dir().map(|dir| dir.join("wslock")));
    }
}
