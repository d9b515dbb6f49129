//! Warnings: problems that do not stop discovery but that a user should see once.

use std::fmt;
use std::path::PathBuf;

use crate::ceiling::{ROOTS_ENV, ROOT_MARKER};

/// Something discovery wants the user to know; the CLI prints each one on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The start directory lies outside every ceiling, so the search above the first manifest
    /// went only through directories no other user can write to.
    OutsideCeilings {
        /// Where discovery started.
        start: PathBuf,
        /// The last directory searched.
        stopped_at: PathBuf,
        /// The first directory not searched because other users can write to it, if the walk
        /// ended there rather than at `/` or at a manifest.
        untrusted: Option<PathBuf>,
    },
    /// Members use the deprecated `tool.uv.dev-dependencies` (locked as the `dev` group).
    DeprecatedDevDependencies {
        /// The manifests that use it, in member (name) order.
        manifests: Vec<PathBuf>,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutsideCeilings {
                start,
                stopped_at,
                untrusted,
            } => {
                write!(
                    f,
                    "`{}` is outside every ceiling root, so the workspace search stopped at `{}`",
                    start.display(),
                    stopped_at.display()
                )?;
                if let Some(untrusted) = untrusted {
                    write!(f, " (`{}` is writable by other users)", untrusted.display())?;
                }
                write!(
                    f,
                    "; to search further, add a ceiling above the workspace with `{ROOTS_ENV}`, `--root DIR`, or a `{ROOT_MARKER}` file"
                )
            }
            Self::DeprecatedDevDependencies { manifests } => {
                let list: Vec<String> = manifests
                    .iter()
                    .map(|path| format!("`{}`", path.display()))
                    .collect();
                write!(
                    f,
                    "the `tool.uv.dev-dependencies` field (used in {}) is deprecated; use `[dependency-groups] dev = [...]` instead",
                    list.join(", ")
                )
            }
        }
    }
}
