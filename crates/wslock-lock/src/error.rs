//! The one error type of the lock stage.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while building, reading, querying or writing a lock plan.
///
/// Each variant names the package, key or path at fault; [`LockError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The resolution has a member package that the workspace graph does not know.
    #[error("the resolution locks `{name}` as a workspace member, but the workspace has no member of that name")]
    UnknownMember {
        /// The member's name.
        name: String,
    },
    /// A dependency edge points at a package the plan does not contain.
    #[error("`{package}` depends on `{dependency}`, which is not a package of the plan")]
    MissingDependency {
        /// The package (`name==version`) with the edge.
        package: String,
        /// The target as written (`name`, `name==version` or `name==version @ source`).
        dependency: String,
    },
    /// A dependency edge names a package of which the plan has several, without saying which.
    #[error("`{package}` depends on `{dependency}`, but the plan has several `{dependency}` packages and the edge names no version and source")]
    AmbiguousDependency {
        /// The package (`name==version`) with the edge.
        package: String,
        /// The name of the ambiguous target.
        dependency: String,
    },
    /// The text is not TOML.
    #[error("the lock file is not valid TOML: {message}")]
    Toml {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The lock file uses a schema version this crate cannot read.
    #[error("the lock file has `version = {version}`, but only version 1 is understood")]
    UnsupportedVersion {
        /// The `version` found.
        version: i64,
    },
    /// A key of the lock file is missing or has the wrong shape or value.
    #[error("invalid `{key}` in the lock file{}: {message}", package.as_ref().map(|p| format!(" (package `{p}`)")).unwrap_or_default())]
    InvalidField {
        /// The package whose table holds the key, when it is inside a `[[package]]`.
        package: Option<String>,
        /// The key, dotted from the table it is in (`source`, `metadata.requires-dist`).
        key: String,
        /// What is wrong with it.
        message: String,
    },
    /// An install selection names a member the plan does not have.
    #[error("`{name}` is not a workspace member of the plan (members: {members})")]
    UnknownInstallMember {
        /// The name asked for.
        name: String,
        /// The members the plan has, comma-separated.
        members: String,
    },
    /// A target environment's Python version is not a version with at least `major.minor`.
    #[error("`{text}` is not a Python version (expected `3.12` or `3.12.1`)")]
    InvalidPythonVersion {
        /// The text given.
        text: String,
    },
    /// A target environment's Python version is outside the plan's `requires-python`.
    #[error("the plan supports Python `{requires_python}`, not {python}")]
    PythonNotSupported {
        /// The environment's Python version.
        python: String,
        /// The plan's range.
        requires_python: String,
    },
    /// Writing a file failed; the previous file, if any, was left as it was.
    #[error("could not write `{}`: {source}", path.display())]
    Write {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl LockError {
    /// One line that says what to do about the error.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::UnknownMember { .. } => {
                "build the resolution and the plan from the same workspace graph"
            }
            Self::MissingDependency { .. } | Self::AmbiguousDependency { .. } => {
                "the lock is inconsistent; regenerate it with `wslock plan` or `uv lock`"
            }
            Self::Toml { .. } | Self::InvalidField { .. } => {
                "the lock file was edited by hand or is damaged; regenerate it"
            }
            Self::UnsupportedVersion { .. } => {
                "the lock was written by a newer tool; update wslock"
            }
            Self::InvalidPythonVersion { .. } => "give the version as `3.12` or `3.12.1`",
            Self::PythonNotSupported { .. } => {
                "choose a Python version inside the workspace's `requires-python`"
            }
            Self::UnknownInstallMember { .. } => {
                "name one of the members the plan lists in `[manifest] members`"
            }
            Self::Write { .. } => "check that the directory exists and is writable",
        }
    }

    pub(crate) fn invalid(package: Option<&str>, key: &str, message: impl Into<String>) -> Self {
        Self::InvalidField {
            package: package.map(str::to_string),
            key: key.to_string(),
            message: message.into(),
        }
    }
}
