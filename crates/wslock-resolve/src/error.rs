//! Why resolution failed.

use wslock_index::IndexError;
use wslock_pep::PackageName;

/// Why a workspace could not be resolved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// No set of versions satisfies every requirement; the text explains why.
    #[error("no solution: {explanation}")]
    NoSolution {
        /// PubGrub's derivation, written as prose.
        explanation: String,
    },
    /// The package source failed (a file, an index, a metadata file).
    #[error(transparent)]
    Index(#[from] IndexError),
    /// Universal resolution needs a `requires-python` to know which Pythons to cover.
    #[error("no member of the workspace at `{root}` sets `requires-python`, so wslock cannot tell which Python versions the lock must cover", root = root.display())]
    MissingRequiresPython {
        /// The workspace root.
        root: std::path::PathBuf,
    },
    /// A member's version is dynamic; wslock does not build projects to learn it.
    #[error("member `{member}` has a dynamic version in `{}`; wslock reads versions statically and does not build projects", manifest.display())]
    DynamicMemberVersion {
        /// The member.
        member: PackageName,
        /// Its `pyproject.toml`, where `version` is listed in `dynamic`.
        manifest: std::path::PathBuf,
    },
    /// A requirement resolves through a source kind the resolver cannot read metadata from yet.
    #[error("`{package}` is required through a {kind} source, which needs a build to read its metadata; wslock resolves registry packages and workspace members only")]
    UnsupportedSource {
        /// The package required.
        package: PackageName,
        /// `path`, `git` or `url`.
        kind: &'static str,
    },
    /// The environments kept splitting; a bound that protects against runaway forking.
    #[error("resolution forked into more than {limit} environments; simplify the markers of the requirements that differ by environment")]
    TooManyForks {
        /// The limit.
        limit: usize,
    },
}

impl ResolveError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self {
            Self::NoSolution { .. } => {
                "relax one of the requirements named above, or make a missing version available in the package source".into()
            }
            Self::Index(_) => "check the package source: the file or URL named above".into(),
            Self::MissingRequiresPython { .. } => {
                "add `requires-python = \">=3.X\"` to the `[project]` table of the root or a member".into()
            }
            Self::DynamicMemberVersion { .. } => {
                "set `version` in `[project]` instead of listing it in `dynamic`".into()
            }
            Self::UnsupportedSource { .. } => {
                "publish the package to an index or a find-links directory, or vendor it as a workspace member".into()
            }
            Self::TooManyForks { .. } => {
                "look for requirements on one package that differ by `sys_platform` or `python_version`".into()
            }
        }
    }
}
