//! `tool.uv.sources`: where a dependency comes from when it should not come from the registry.
//!
//! Each key is a package name; its value is one source table or a list of them (B R4.1, R4.2).
//! The checks follow uv 0.13.8's parser, which rejects these at parse time, so a bad entry
//! fails discovery as it does in uv:
//!
//! - every entry has exactly one of `git`, `url`, `path`, `index`, `workspace`, and only keys
//!   that uv knows (uv uses `deny_unknown_fields`);
//! - a key that belongs to another kind (`rev` on a path, `editable` on a URL, ...) is an error,
//!   as are two of `rev`/`tag`/`branch`, `editable = true` with `package = false`, and `extra`
//!   with `group`;
//! - a list is not empty, and entries aimed at the same `extra`/`group` have disjoint markers;
//! - two keys that normalise to the same package name are an error.
//!
//! We are stricter than uv in three documented places, each of which uv only reports later (or
//! never) while the mistake is already visible in the file:
//!
//! - `workspace = false` is rejected here; uv fails only when lowering the requirement.
//! - A `url` with a `#fragment` is rejected here; uv fails only when lowering.
//! - Markers are checked pairwise, as the uv docs state the rule. uv 0.13.8 compares only
//!   *neighbouring* entries of a list, so it accepts `[linux, windows, linux]`.
//!
//! Where uv silently accepts a key that has no meaning for the kind (`subdirectory` on a path,
//! index or workspace source; `lfs` on anything but git), we accept and ignore it too, so that
//! every file uv locks still parses.
//!
//! This module reads the keys of each table; [`kinds`] builds each kind of source from them and
//! [`disjoint`] checks the markers of a list.

mod disjoint;
mod kinds;

use std::path::PathBuf;

use indexmap::IndexMap;
use wslock_pep::{ExtraName, GroupName, MarkerTree, PackageName};

use super::index::{check_index_name, describe};
use super::FieldError;
use crate::error::ManifestErrorKind;
use disjoint::check_disjoint;
use kinds::{git_kind, index_kind, path_kind, url_kind, workspace_kind};

/// The key of the sources table, from the document root.
const SOURCES_KEY: [&str; 3] = ["tool", "uv", "sources"];

/// Every key uv 0.13.8 accepts in a source table, in the order its "unknown field" error lists.
const KNOWN_KEYS: [&str; 15] = [
    "git",
    "subdirectory",
    "rev",
    "tag",
    "branch",
    "lfs",
    "url",
    "path",
    "editable",
    "package",
    "index",
    "workspace",
    "marker",
    "extra",
    "group",
];

/// `tool.uv.sources`: for each normalised package name, its source entries (a single table is a
/// list of one).
///
/// Names are in document order: the workspace enables the `toml` crate's `preserve_order`
/// feature, so a `toml::Table` keeps its keys as written. uv keeps them sorted by normalised
/// name; nothing observable depends on the order beyond which of two bad keys is reported first
/// (here, the first in the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources(IndexMap<PackageName, Vec<Source>>);

impl Sources {
    /// The entries for one package, when the table names it.
    pub fn get(&self, name: &PackageName) -> Option<&[Source]> {
        self.0.get(name).map(Vec::as_slice)
    }

    /// Every package with its entries.
    pub fn iter(&self) -> impl Iterator<Item = (&PackageName, &[Source])> {
        self.0
            .iter()
            .map(|(name, sources)| (name, sources.as_slice()))
    }

    /// Whether the table names no package.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many packages the table names.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// One source entry: where the package comes from, and for which environments, extra or group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where the package comes from.
    pub kind: SourceKind,
    /// The environments the entry applies to; [`MarkerTree::TRUE`] when `marker` is absent.
    /// Lowering ANDs it onto the requirement's own marker (B R4.5).
    pub marker: MarkerTree,
    /// `extra = "..."`: the entry applies only to requirements of that extra.
    pub extra: Option<ExtraName>,
    /// `group = "..."`: the entry applies only to requirements of that dependency group.
    pub group: Option<GroupName>,
}

/// The five kinds of source (B R4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A Git repository.
    Git {
        /// The repository URL, with a leading `git+` stripped (uv accepts both spellings).
        git: String,
        /// The directory inside the repository that holds the project.
        subdirectory: Option<PathBuf>,
        /// A distribution file (wheel or source archive) inside the repository, used instead of
        /// building the repository: uv 0.13.8 records it as `#path=...` and requires an archive
        /// extension when lowering. Not allowed together with `subdirectory`.
        path: Option<PathBuf>,
        /// The commit, tag or branch to check out; the default branch when `None`.
        reference: Option<GitReference>,
        /// `lfs`: whether to fetch Git LFS objects; uv's default when `None`.
        lfs: Option<bool>,
    },
    /// A remote archive (wheel or source distribution).
    Url {
        /// The URL as written (never with a `#fragment`, which is rejected).
        url: String,
        /// For a source distribution, the directory inside it that holds the project.
        subdirectory: Option<PathBuf>,
    },
    /// A local directory or distribution file.
    Path {
        /// As written, relative to the directory of the file that declares it (B R4.4).
        path: PathBuf,
        /// `editable`: install in editable mode; uv's default (not editable) when `None`.
        editable: Option<bool>,
        /// `package`: build the target (true) or treat it as virtual (false); inferred from its
        /// `[build-system]` when `None`.
        package: Option<bool>,
    },
    /// A registry package from a named `[[tool.uv.index]]`.
    Index {
        /// The index name (compared exactly, as uv does not normalise index names).
        index: String,
    },
    /// A workspace member, or a member of another workspace.
    Workspace {
        /// Which workspace the package belongs to.
        workspace: WorkspaceSource,
        /// `editable`: editable unless set to `false` (B R4.5, R7).
        editable: Option<bool>,
    },
}

/// The Git reference of a git source: at most one of `rev`, `tag` and `branch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitReference {
    /// `rev = "..."`: a commit (or any revision Git can resolve).
    Rev(String),
    /// `tag = "..."`.
    Tag(String),
    /// `branch = "..."`.
    Branch(String),
}

/// The value of `workspace` in a source table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkspaceSource {
    /// `workspace = true`: a member of the workspace being discovered.
    Member,
    /// `workspace = "<path>"`: a member of the workspace whose root is at that path, as written
    /// (relative to the declaring file's directory). The path must be that workspace's root;
    /// lowering checks it (B R4.5).
    Root(PathBuf),
}

/// Parses the `tool.uv.sources` item.
pub(crate) fn parse_sources(value: &toml::Value) -> Result<Sources, FieldError> {
    let table = value.as_table().ok_or_else(|| {
        FieldError::new(
            SOURCES_KEY,
            ManifestErrorKind::WrongType,
            format!(
                "invalid type: {}, expected a table of sources",
                describe(value)
            ),
        )
    })?;
    let mut sources = IndexMap::with_capacity(table.len());
    for (raw_name, value) in table {
        let key = KeyPath::new(raw_name);
        let name = parse_name(raw_name, wslock_pep::package_name, &key)?;
        let entries = parse_package_sources(value, &key)?;
        if sources.insert(name.clone(), entries).is_some() {
            return Err(FieldError::new(
                key.path(),
                ManifestErrorKind::DuplicateName,
                format!("duplicate sources for package `{name}`"),
            ));
        }
    }
    Ok(Sources(sources))
}

/// One package's value: a single table, or a non-empty list of tables with disjoint markers.
fn parse_package_sources(value: &toml::Value, key: &KeyPath) -> Result<Vec<Source>, FieldError> {
    match value {
        toml::Value::Table(table) => Ok(vec![parse_source(table, key)?]),
        toml::Value::Array(items) => {
            let mut entries = Vec::with_capacity(items.len());
            for (position, item) in items.iter().enumerate() {
                let entry_key = key.child(&position.to_string());
                let table = item.as_table().ok_or_else(|| {
                    FieldError::new(
                        entry_key.path(),
                        ManifestErrorKind::WrongType,
                        format!("invalid type: {}, expected a source table", describe(item)),
                    )
                })?;
                entries.push(parse_source(table, &entry_key)?);
            }
            if entries.is_empty() {
                return Err(FieldError::new(
                    key.path(),
                    ManifestErrorKind::InvalidSource,
                    "Must provide at least one source",
                ));
            }
            check_disjoint(&entries, items, key)?;
            Ok(entries)
        }
        other => Err(FieldError::new(
            key.path(),
            ManifestErrorKind::WrongType,
            format!(
                "invalid type: {}, expected a single source (as a table) or a list of sources",
                describe(other)
            ),
        )),
    }
}

/// The keys of one source table after type checks, before the kind is decided.
#[derive(Default)]
struct RawSource<'a> {
    git: Option<&'a str>,
    subdirectory: Option<&'a str>,
    rev: Option<&'a str>,
    tag: Option<&'a str>,
    branch: Option<&'a str>,
    lfs: Option<bool>,
    url: Option<&'a str>,
    path: Option<&'a str>,
    editable: Option<bool>,
    package: Option<bool>,
    index: Option<&'a str>,
    workspace: Option<&'a toml::Value>,
    marker: Option<MarkerTree>,
    extra: Option<ExtraName>,
    group: Option<GroupName>,
}

/// Parses one source table at `key` (the package key, or `<package>.<position>` in a list).
///
/// The order of checks follows uv's: each key's type and syntax first, then `extra`/`group`,
/// then the kind (`git`, `url`, `path`, `index`, `workspace`, in that priority) with the keys
/// that kind forbids.
fn parse_source(table: &toml::Table, key: &KeyPath) -> Result<Source, FieldError> {
    let raw = read_keys(table, key)?;
    if raw.extra.is_some() && raw.group.is_some() {
        return Err(key.invalid("group", "cannot specify both `extra` and `group`"));
    }
    let kind = if let Some(git) = raw.git {
        git_kind(git, &raw, key)?
    } else if let Some(url) = raw.url {
        url_kind(url, &raw, key)?
    } else if let Some(path) = raw.path {
        path_kind(path, &raw, key)?
    } else if let Some(index) = raw.index {
        index_kind(index, &raw, key)?
    } else if let Some(workspace) = raw.workspace {
        workspace_kind(workspace, &raw, key)?
    } else {
        return Err(FieldError::new(
            key.path(),
            ManifestErrorKind::InvalidSource,
            "expected one of `git`, `url`, `path`, `index`, or `workspace`",
        ));
    };
    Ok(Source {
        kind,
        marker: raw.marker.unwrap_or(MarkerTree::TRUE),
        extra: raw.extra,
        group: raw.group,
    })
}

/// Reads every key of a source table, checking its type and syntax; unknown keys are errors.
fn read_keys<'a>(table: &'a toml::Table, key: &KeyPath) -> Result<RawSource<'a>, FieldError> {
    let mut raw = RawSource::default();
    for (field, value) in table {
        let field = field.as_str();
        let string = || {
            value.as_str().ok_or_else(|| {
                key.wrong_type(
                    field,
                    format!("invalid type: {}, expected a string", describe(value)),
                )
            })
        };
        let boolean = || {
            value.as_bool().ok_or_else(|| {
                key.wrong_type(
                    field,
                    format!("invalid type: {}, expected a boolean", describe(value)),
                )
            })
        };
        match field {
            "git" => {
                let text = string()?;
                check_url(text).map_err(|message| key.invalid(field, message))?;
                raw.git = Some(text);
            }
            "url" => {
                let text = string()?;
                check_url(text).map_err(|message| key.invalid(field, message))?;
                raw.url = Some(text);
            }
            "subdirectory" => raw.subdirectory = Some(string()?),
            "rev" => raw.rev = Some(string()?),
            "tag" => raw.tag = Some(string()?),
            "branch" => raw.branch = Some(string()?),
            "path" => raw.path = Some(string()?),
            "lfs" => raw.lfs = Some(boolean()?),
            "editable" => raw.editable = Some(boolean()?),
            "package" => raw.package = Some(boolean()?),
            "index" => {
                let name = string()?;
                check_index_name(name).map_err(|message| key.invalid(field, message))?;
                raw.index = Some(name);
            }
            "workspace" => {
                if !(value.is_bool() || value.is_str()) {
                    return Err(key.wrong_type(
                        field,
                        format!(
                            "invalid type: {}, expected a boolean or a string",
                            describe(value)
                        ),
                    ));
                }
                raw.workspace = Some(value);
            }
            "marker" => raw.marker = Some(parse_marker(string()?, &key.child(field))?),
            "extra" => {
                raw.extra = Some(parse_name(
                    string()?,
                    wslock_pep::extra_name,
                    &key.child(field),
                )?);
            }
            "group" => {
                raw.group = Some(parse_name(string()?, GroupName::new, &key.child(field))?);
            }
            unknown => {
                let expected = KNOWN_KEYS
                    .iter()
                    .map(|known| format!("`{known}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(key.invalid(
                    unknown,
                    format!("unknown field `{unknown}`, expected one of {expected}"),
                ));
            }
        }
    }
    Ok(raw)
}

/// Parses a package, extra or group name at `key` (through `wslock_pep`'s checked
/// constructors, which also reject the empty name that `pep508_rs` lets through).
fn parse_name<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, wslock_pep::NameError>,
    key: &KeyPath,
) -> Result<T, FieldError> {
    parse(text).map_err(|error| {
        FieldError::new(
            key.path(),
            ManifestErrorKind::InvalidName,
            error.to_string(),
        )
    })
}

/// Parses a `marker` value (the empty string is not a marker, for uv and for `pep508_rs`).
fn parse_marker(text: &str, key: &KeyPath) -> Result<MarkerTree, FieldError> {
    // `Pep508Error`'s `Display` draws the input with a caret line; the message alone fits ours.
    wslock_pep::parse_marker(text).map_err(|error| {
        FieldError::new(
            key.path(),
            ManifestErrorKind::InvalidMarker,
            format!("invalid marker `{text}`: {}", error.message),
        )
    })
}

/// Checks that `text` is an absolute URL, parsing it with the `url` crate as uv does.
///
/// uv deserialises `git`, `url` and index URLs through the same crate, so what it rejects we
/// reject, with its wording: the message is `url::ParseError`'s (`relative URL without a base`,
/// `empty host`, `invalid port number`, ...) followed by the text as written.
pub(super) fn check_url(text: &str) -> Result<(), String> {
    url::Url::parse(text)
        .map(drop)
        .map_err(|error| format!("{error}: {text:?}"))
}

/// A key path under `tool.uv.sources`, as written in the file (not normalised), so the error
/// position can be found in the text.
#[derive(Clone)]
struct KeyPath(Vec<String>);

impl KeyPath {
    /// The key of one package's value, `tool.uv.sources.<package>`.
    fn new(package: &str) -> Self {
        Self(
            SOURCES_KEY
                .iter()
                .copied()
                .chain([package])
                .map(str::to_string)
                .collect(),
        )
    }

    /// The key one segment below this one (a list position or a field of the table).
    fn child(&self, segment: &str) -> Self {
        let mut path = self.0.clone();
        path.push(segment.to_string());
        Self(path)
    }

    /// The segments, as [`FieldError`] takes them.
    fn path(&self) -> Vec<String> {
        self.0.clone()
    }

    /// An [`ManifestErrorKind::InvalidSource`] error at the key `field` of this entry.
    fn invalid(&self, field: &str, message: impl Into<String>) -> FieldError {
        FieldError::new(
            self.child(field).0,
            ManifestErrorKind::InvalidSource,
            message,
        )
    }

    /// A [`ManifestErrorKind::WrongType`] error at the key `field` of this entry.
    fn wrong_type(&self, field: &str, message: String) -> FieldError {
        FieldError::new(self.child(field).0, ManifestErrorKind::WrongType, message)
    }
}

#[cfg(test)]
mod tests;
