//! Warnings of the merge: worth showing, not worth failing for.

use std::fmt;
use std::path::PathBuf;

use wslock_pep::{ExtraName, PackageName};

/// Something the user should know about the merged requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GraphWarning {
    /// A requirement asks a member for an extra it does not define (uv warns the same way).
    MissingExtra {
        /// The manifest with the requirement.
        manifest: PathBuf,
        /// The member required.
        package: PackageName,
        /// The extra it lacks.
        extra: ExtraName,
    },
    /// A setting that uv reads only from the root appears in a member and is ignored (uv
    /// ignores it silently).
    IgnoredMemberSetting {
        /// The member's manifest.
        manifest: PathBuf,
        /// The key, such as `tool.uv.constraint-dependencies`.
        key: &'static str,
    },
}

impl fmt::Display for GraphWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingExtra {
                manifest,
                package,
                extra,
            } => write!(
                f,
                "`{}` asks for extra `{extra}` of member `{package}`, which does not define it",
                manifest.display()
            ),
            Self::IgnoredMemberSetting { manifest, key } => write!(
                f,
                "`{key}` in `{}` is ignored: only the workspace root's value is used",
                manifest.display()
            ),
        }
    }
}
