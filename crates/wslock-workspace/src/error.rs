//! The errors of discovery. Every variant names the file(s) at fault and has a one-line hint.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::PathBuf;

use wslock_pep::PackageName;

/// What kind of problem a [`ManifestError`] reports; the message carries the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManifestErrorKind {
    /// The file is not valid TOML (or not UTF-8).
    Toml,
    /// A key holds a value of the wrong type.
    WrongType,
    /// `[project]` has no `name`.
    MissingName,
    /// `[project]` has no `version` and does not list it in `dynamic`.
    MissingVersion,
    /// A package, extra or group name is not a valid PEP 508 name.
    InvalidName,
    /// A version is not valid PEP 440.
    InvalidVersion,
    /// A specifier set (such as `requires-python`) is not valid PEP 440.
    InvalidSpecifier,
    /// A requirement is not valid PEP 508.
    InvalidRequirement,
    /// A marker is not valid PEP 508.
    InvalidMarker,
    /// Two extras (or groups) with the same normalised name.
    DuplicateName,
    /// An unknown key in a table that allows only known keys (`[tool.uv.workspace]`).
    UnknownKey,
    /// A key of a `uv.toml` that is none of uv's settings.
    UnknownSetting,
    /// A key that belongs in a project's `[tool.uv]` table, found in a `uv.toml`.
    ProjectOnlyKey,
    /// A `members` or `exclude` entry is not a valid glob.
    InvalidGlob,
    /// A `tool.uv.sources` entry breaks the rules of source tables.
    InvalidSource,
    /// A `[[tool.uv.index]]` entry breaks the rules of index tables.
    InvalidIndex,
    /// `[dependency-groups]` has an entry of an unknown form, or `tool.uv.dependency-groups`
    /// configures a group that does not exist.
    InvalidGroup,
}

/// A `pyproject.toml` (or `uv.toml`) that could not be turned into our model.
///
/// It names the file, the key (as a dotted path such as `tool.uv.sources.foo`) and, when the
/// position is known, the line and column, so a user can go straight to the offending text.
/// The byte [`span`](Self::span) of that text lets a front end show it under a caret (the
/// `wslock` CLI does, with the file read again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The file that failed.
    pub path: PathBuf,
    /// The dotted key path at fault, when the error belongs to one key.
    pub key: Option<String>,
    /// 1-based line and column of the offending text, when known.
    pub line_col: Option<(usize, usize)>,
    /// Byte range of the offending text in the file, when known: the TOML parser's span for
    /// a syntax or type error; for a value that is not a valid requirement, specifier or name,
    /// the string in the file (narrowed to the part the PEP 440/508 parser underlined when it
    /// maps onto the file exactly); for an unknown or duplicate key, the key.
    /// `line_col` is the position of its start.
    pub span: Option<Range<usize>>,
    /// What is wrong, in words.
    pub message: String,
    /// The kind of problem.
    pub kind: ManifestErrorKind,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to parse `{}`", self.path.display())?;
        if let Some((line, column)) = self.line_col {
            write!(f, " at line {line}, column {column}")?;
        }
        if let Some(key) = &self.key {
            write!(f, " (key `{key}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ManifestError {}

impl ManifestError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self.kind {
            ManifestErrorKind::Toml => "fix the TOML syntax at the position shown".into(),
            ManifestErrorKind::WrongType => "give the key a value of the type shown".into(),
            ManifestErrorKind::MissingName => "add `name = \"...\"` to the `[project]` table".into(),
            ManifestErrorKind::MissingVersion => {
                "add `version = \"...\"` to `[project]`, or list \"version\" in `project.dynamic`".into()
            }
            ManifestErrorKind::InvalidName => {
                "names may hold ASCII letters, digits, `-`, `_` and `.`, and must start and end with a letter or digit".into()
            }
            ManifestErrorKind::InvalidVersion => "write a PEP 440 version such as `1.2.0`".into(),
            ManifestErrorKind::InvalidSpecifier => {
                "write PEP 440 specifiers separated by commas, such as `>=3.9, <4`".into()
            }
            ManifestErrorKind::InvalidRequirement => {
                "write a PEP 508 requirement such as `requests>=2.31; python_version >= '3.9'`".into()
            }
            ManifestErrorKind::InvalidMarker => {
                "write a PEP 508 marker such as `sys_platform == 'linux'`".into()
            }
            ManifestErrorKind::DuplicateName => {
                "names are compared after PEP 503 normalisation: rename or merge one of them".into()
            }
            ManifestErrorKind::UnknownKey => {
                "`[tool.uv.workspace]` accepts only `members` and `exclude`".into()
            }
            ManifestErrorKind::UnknownSetting => {
                "check the key's spelling against uv's settings reference (https://docs.astral.sh/uv/reference/settings/)".into()
            }
            ManifestErrorKind::ProjectOnlyKey => {
                "move the key to the `[tool.uv]` table of the project's `pyproject.toml`".into()
            }
            ManifestErrorKind::InvalidGlob => {
                "use `*`, `?`, `[...]` and `**` as in shell globs, with balanced brackets".into()
            }
            ManifestErrorKind::InvalidSource => {
                "each source entry needs exactly one of `git`, `url`, `path`, `index` or `workspace`, and the entries of a list need disjoint `marker`s".into()
            }
            ManifestErrorKind::InvalidIndex => {
                "each `[[tool.uv.index]]` needs a `url`; names must be unique and at most one index may be `default = true`".into()
            }
            ManifestErrorKind::InvalidGroup => {
                "group entries are PEP 508 strings or `{ include-group = \"name\" }`".into()
            }
        }
    }
}

/// Why discovery failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// The start directory does not exist.
    #[error("project directory `{}` does not exist", path.display())]
    StartNotFound {
        /// The start directory as given.
        path: PathBuf,
    },
    /// The start path exists but is not a directory.
    #[error("project path `{}` is not a directory", path.display())]
    StartNotDirectory {
        /// The start path as given.
        path: PathBuf,
    },
    /// No `pyproject.toml` in the start directory or any directory up to the search limit.
    #[error("no `pyproject.toml` found in `{}` or any parent directory up to `{}`", start.display(), searched_up_to.display())]
    MissingPyproject {
        /// Where the search started.
        start: PathBuf,
        /// The last directory searched: the nearest ceiling, or `/`.
        searched_up_to: PathBuf,
    },
    /// A project was required at the start directory, but the nearest manifest has no
    /// `[project]` table.
    #[error("`{}` has no `[project]` table, but a project is required here", manifest.display())]
    StartNotProject {
        /// The nearest manifest.
        manifest: PathBuf,
    },
    /// The nearest project sets `tool.uv.managed = false`.
    #[error("the project is marked as unmanaged: `{}`", path.display())]
    Unmanaged {
        /// The manifest that sets `managed = false`.
        path: PathBuf,
    },
    /// A file or directory could not be read.
    #[error("failed to read `{}`: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A manifest could not be parsed.
    #[error(transparent)]
    Manifest(#[from] Box<ManifestError>),
    /// A `members` glob matched a directory with content but without a `pyproject.toml`.
    #[error("workspace member `{}` is missing a `pyproject.toml` (matches: `{pattern}`)", path.display())]
    MissingMemberPyproject {
        /// The matched directory.
        path: PathBuf,
        /// The `members` entry as the root wrote it.
        pattern: String,
        /// The root manifest that lists the pattern.
        root_manifest: PathBuf,
    },
    /// A member's manifest has no `[project]` table.
    #[error("workspace member `{}` has no `[project]` table (listed by `{}`)", manifest.display(), root_manifest.display())]
    MissingProject {
        /// The member's manifest.
        manifest: PathBuf,
        /// The root manifest whose globs named it.
        root_manifest: PathBuf,
    },
    /// A member other than the root has its own `[tool.uv.workspace]` table.
    #[error("nested workspaces are not supported, but workspace member `{}` has a `[tool.uv.workspace]` table (root: `{}`)", manifest.display(), root_manifest.display())]
    NestedWorkspace {
        /// The member's manifest.
        manifest: PathBuf,
        /// The root manifest.
        root_manifest: PathBuf,
    },
    /// Two members (the root included) share a normalised name.
    #[error("two workspace members are both named `{name}`: `{}` and `{}`", first.display(), second.display())]
    DuplicateMember {
        /// The shared normalised name.
        name: PackageName,
        /// The directory found first.
        first: PathBuf,
        /// The directory found second.
        second: PathBuf,
    },
    /// The workspace root's path is not valid UTF-8, so its `members` globs cannot be matched:
    /// the glob crate (as uv uses it) skips what it cannot spell, and the members below would
    /// silently be lost.
    #[error("the workspace root `{}` has a path that is not valid UTF-8, so the `members` globs of `{}` cannot be matched", root.display(), root_manifest.display())]
    NonUtf8Root {
        /// The root directory.
        root: PathBuf,
        /// Its manifest, which lists the globs.
        root_manifest: PathBuf,
    },
    /// A directory a `members` glob would match has a name that is not valid UTF-8. Globs are
    /// strings, so the `glob` crate (as uv uses it) skips such names: the member would silently
    /// be missing from the lock.
    #[error("`{}` matches `{pattern}` in `{}`, but its name is not valid UTF-8, so it cannot be a workspace member", path.display(), root_manifest.display())]
    NonUtf8Member {
        /// The directory (shown lossily).
        path: PathBuf,
        /// The `members` entry as the root wrote it.
        pattern: String,
        /// The root manifest that lists the pattern.
        root_manifest: PathBuf,
    },
    /// `{ workspace = true }` entries ask for one member both editable and not editable.
    #[error("workspace member `{name}` is requested as `editable = true` in `{}` and as `editable = false` in `{}`", editable.display(), not_editable.display())]
    EditableConflict {
        /// The member asked for.
        name: PackageName,
        /// The manifest whose source says `editable = true`.
        editable: PathBuf,
        /// The manifest whose source says `editable = false`.
        not_editable: PathBuf,
    },
}

impl DiscoveryError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self {
            Self::StartNotFound { .. } => "check the directory argument".into(),
            Self::StartNotDirectory { .. } => {
                "pass the directory that holds `pyproject.toml`, not a file".into()
            }
            Self::MissingPyproject { .. } => {
                "run inside a project, or widen the search with `--root`, `WSLOCK_ROOTS` or a `.wslock-root` file".into()
            }
            Self::StartNotProject { .. } => {
                "run inside a project directory, or add a `[project]` table".into()
            }
            Self::Unmanaged { .. } => {
                "remove `tool.uv.managed = false` to let wslock manage this project".into()
            }
            Self::Io { .. } => "check that the path exists and is readable".into(),
            Self::Manifest(error) => error.hint(),
            Self::MissingMemberPyproject { .. } => {
                "add a `pyproject.toml` to the directory, or remove it from the `members` globs (or add it to `exclude`)".into()
            }
            Self::MissingProject { .. } => {
                "add a `[project]` table with a name, or exclude the directory in `tool.uv.workspace.exclude`".into()
            }
            Self::NestedWorkspace { .. } => {
                "remove the member's `[tool.uv.workspace]` table, or exclude it from the outer workspace".into()
            }
            Self::DuplicateMember { .. } => {
                "names are compared after PEP 503 normalisation: rename one project or exclude one directory".into()
            }
            Self::EditableConflict { .. } => {
                "give every `{ workspace = true }` entry for this member the same `editable` value".into()
            }
            Self::NonUtf8Root { .. } => {
                "rename the directories on the root's path to UTF-8 names".into()
            }
            Self::NonUtf8Member { .. } => {
                "rename the directory to a UTF-8 name, or move it out of the glob's reach".into()
            }
        }
    }

    /// The file or directory most directly at fault, for tools that jump to it.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::StartNotFound { path }
            | Self::StartNotDirectory { path }
            | Self::Unmanaged { path }
            | Self::Io { path, .. }
            | Self::MissingMemberPyproject { path, .. } => path,
            Self::MissingPyproject { start, .. } => start,
            Self::Manifest(error) => &error.path,
            Self::StartNotProject { manifest }
            | Self::MissingProject { manifest, .. }
            | Self::NestedWorkspace { manifest, .. } => manifest,
            Self::DuplicateMember { second, .. } => second,
            Self::EditableConflict { not_editable, .. } => not_editable,
            Self::NonUtf8Root { root, .. } => root,
            Self::NonUtf8Member { path, .. } => path,
        }
    }
}
