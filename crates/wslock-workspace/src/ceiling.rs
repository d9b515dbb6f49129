//! Ceiling roots: how far up discovery may look.
//!
//! Walking every parent up to `/` pulls foreign packages into workspaces (uv issue 2491: a cargo
//! cache inside a project), lets a `pyproject.toml` planted in a shared directory such as `/tmp`
//! claim projects below it, and touches automounted or network file systems for no reason. Like
//! git's `GIT_CEILING_DIRECTORIES` and cargo's proposed `--root`, a ceiling is the last directory
//! an upward search may look at. The rules are those of `ceiling-roots.md`:
//!
//! - ceilings come from `WSLOCK_ROOTS` (`:`-separated, `;` on Windows), repeatable `--root`
//!   flags, `.wslock-root` marker files, and the home directory when `WSLOCK_ROOTS` is unset;
//! - they are made absolute and compared lexically, never through symlink resolution;
//! - the nearest enclosing ceiling of the start directory bounds every upward search;
//! - outside every ceiling, only directories no other user can write to are searched above the
//!   first manifest ([`SearchScope::above_manifest`]).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::paths::absolute_from;

/// The environment variable that lists ceiling directories.
pub const ROOTS_ENV: &str = "WSLOCK_ROOTS";

/// The marker file whose presence makes its directory a ceiling.
pub const ROOT_MARKER: &str = ".wslock-root";

/// Where a ceiling came from; shown in messages so a user knows what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CeilingOrigin {
    /// An entry of `WSLOCK_ROOTS`.
    Environment,
    /// A `--root` flag (or [`CeilingSettings::with_root`]).
    Flag,
    /// A `.wslock-root` file in the directory.
    Marker,
    /// The home directory, a ceiling by default while `WSLOCK_ROOTS` is unset.
    Home,
}

impl fmt::Display for CeilingOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Environment => "WSLOCK_ROOTS",
            Self::Flag => "--root",
            Self::Marker => ".wslock-root marker",
            Self::Home => "home directory",
        })
    }
}

/// A directory that upward searches may read but never go above.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ceiling {
    /// The directory, absolute and lexically normalised.
    pub dir: PathBuf,
    /// Why it is a ceiling.
    pub origin: CeilingOrigin,
}

/// The sources of ceilings, before they are applied to a start directory.
///
/// Built explicitly (for library callers and tests) or from the process environment with
/// [`CeilingSettings::from_env`]. Part of the discovery options, so it is part of cache keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CeilingSettings {
    roots_env: Option<OsString>,
    flags: Vec<PathBuf>,
    home: Option<PathBuf>,
}

impl CeilingSettings {
    /// No ceilings except `.wslock-root` markers and what the builder methods add.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `WSLOCK_ROOTS` and the home directory (`HOME`) from the process environment.
    pub fn from_env() -> Self {
        Self::new()
            .with_roots_env(std::env::var_os(ROOTS_ENV))
            .with_home(home_dir())
    }

    /// Sets the value of `WSLOCK_ROOTS`: `None` means unset (the home directory is then a
    /// ceiling); an empty value is set-but-empty and disables the home default.
    pub fn with_roots_env(mut self, value: Option<OsString>) -> Self {
        self.roots_env = value;
        self
    }

    /// Sets the home directory used as the default ceiling.
    pub fn with_home(mut self, home: Option<PathBuf>) -> Self {
        self.home = home.filter(|home| !home.as_os_str().is_empty());
        self
    }

    /// Adds a ceiling, as `--root DIR` does.
    pub fn with_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.flags.push(dir.into());
        self
    }

    /// Every configured ceiling (markers excepted), absolute against `cwd` and normalised.
    pub fn configured(&self, cwd: &Path) -> Vec<Ceiling> {
        let mut ceilings = Vec::new();
        match &self.roots_env {
            Some(value) => {
                for entry in split_roots(value) {
                    ceilings.push(Ceiling {
                        dir: absolute_from(Path::new(&entry), cwd),
                        origin: CeilingOrigin::Environment,
                    });
                }
            }
            None => {
                if let Some(home) = &self.home {
                    ceilings.push(Ceiling {
                        dir: absolute_from(home, cwd),
                        origin: CeilingOrigin::Home,
                    });
                }
            }
        }
        for flag in &self.flags {
            ceilings.push(Ceiling {
                dir: absolute_from(flag, cwd),
                origin: CeilingOrigin::Flag,
            });
        }
        ceilings
    }

    /// The nearest enclosing ceiling of `start` (absolute and normalised): the deepest ceiling
    /// that is `start` or one of its ancestors, markers included.
    ///
    /// Markers are looked for (by `stat`, never by opening) from `start` upward, but not above
    /// the nearest configured ceiling: a marker up there could never be the nearest one.
    pub fn nearest(&self, start: &Path, cwd: &Path) -> Option<Ceiling> {
        let configured = self
            .configured(cwd)
            .into_iter()
            .filter(|ceiling| start.starts_with(&ceiling.dir))
            .max_by_key(|ceiling| ceiling.dir.components().count());
        for dir in start.ancestors() {
            if dir.join(ROOT_MARKER).is_file() {
                return Some(Ceiling {
                    dir: dir.to_path_buf(),
                    origin: CeilingOrigin::Marker,
                });
            }
            if configured
                .as_ref()
                .is_some_and(|ceiling| ceiling.dir == dir)
            {
                break;
            }
        }
        configured
    }
}

/// Splits a `WSLOCK_ROOTS` value on the platform's list separator, dropping empty entries.
fn split_roots(value: &OsStr) -> Vec<PathBuf> {
    std::env::split_paths(value)
        .filter(|entry| !entry.as_os_str().is_empty())
        .collect()
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .or_else(std::env::home_dir)
}

/// What bounds one discovery's upward searches: the nearest ceiling and a caller's hard stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchScope {
    /// The nearest enclosing ceiling, or `None` when the start lies outside every ceiling.
    pub ceiling: Option<Ceiling>,
    /// A directory the caller wants searches to stop at (inclusive), on top of the ceilings.
    pub stop_at: Option<PathBuf>,
}

/// The answer of [`SearchScope::above_manifest`] for one directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AboveManifest {
    /// The directory may be read.
    Search,
    /// The previous directory was a ceiling or the caller's stop: the walk ends quietly.
    Bounded,
    /// Outside every ceiling, this directory can be written by other users: the walk ends
    /// before it, and the caller warns.
    Untrusted,
}

impl SearchScope {
    /// Whether `dir` (`start` or an ancestor of it) may be read while looking for the first
    /// manifest. Inside a ceiling: up to the ceiling. Outside every ceiling: anywhere, so a
    /// command run from `/tmp/pkg/src/sub` still finds `/tmp/pkg/pyproject.toml`.
    pub fn first_manifest(&self, dir: &Path) -> bool {
        self.within_bounds(dir)
    }

    /// Whether `dir`, an ancestor above the first manifest, may be read while looking for an
    /// enclosing workspace.
    pub fn above_manifest(&self, dir: &Path) -> AboveManifest {
        if !self.within_bounds(dir) {
            return AboveManifest::Bounded;
        }
        if self.ceiling.is_none() && !is_trusted_dir(dir) {
            return AboveManifest::Untrusted;
        }
        AboveManifest::Search
    }

    fn within_bounds(&self, dir: &Path) -> bool {
        let below = |limit: &Path| dir.starts_with(limit);
        self.ceiling
            .as_ref()
            .is_none_or(|ceiling| below(&ceiling.dir))
            && self.stop_at.as_deref().is_none_or(below)
    }
}

/// Whether no user other than the current one (or root) can write to `dir`.
///
/// Reads only the directory's own metadata. Anything that cannot be checked counts as
/// untrusted: the cost of a false "untrusted" is a shorter search and a warning, the cost of a
/// false "trusted" is reading a file another user planted.
pub(crate) fn is_trusted_dir(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match std::fs::metadata(dir) {
            Ok(metadata) => trusted_owner_and_mode(
                metadata.uid(),
                metadata.mode(),
                rustix::process::geteuid().as_raw(),
            ),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// The ownership rule of `ceiling-roots.md`: owned by the current user or by root, and neither
/// group- nor world-writable.
pub(crate) fn trusted_owner_and_mode(owner: u32, mode: u32, current_user: u32) -> bool {
    const GROUP_OR_OTHER_WRITE: u32 = 0o022;
    (owner == current_user || owner == 0) && mode & GROUP_OR_OTHER_WRITE == 0
}

#[cfg(test)]
mod tests;
