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

use std::path::PathBuf;

use indexmap::IndexMap;
use wslock_pep::{ExtraName, GroupName, MarkerTree, PackageName};

use super::index::{check_index_name, describe};
use super::FieldError;
use crate::error::ManifestErrorKind;

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
/// Names are in the order the TOML table yields them: with the `toml` crate's default `Table`
/// (a `BTreeMap`, no `preserve_order` feature) that is sorted by the key as written rather than
/// document order. uv keeps them sorted by normalised name, so nothing observable depends on it
/// beyond which of two bad keys is reported first.
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

/// Entries for the same `extra` and `group` must never apply together, or lowering would give
/// one requirement two sources in some environment. An unmarked entry applies everywhere.
///
/// Every pair is compared (uv compares only neighbours: see the module docs). Pairs are visited
/// nearest-first, so when uv reports a neighbouring pair we usually report the same one.
fn check_disjoint(
    entries: &[Source],
    items: &[toml::Value],
    key: &KeyPath,
) -> Result<(), FieldError> {
    for later in 1..entries.len() {
        for earlier in (0..later).rev() {
            let (left, right) = (&entries[earlier], &entries[later]);
            if left.extra != right.extra || left.group != right.group {
                continue;
            }
            if left.marker.is_disjoint(&right.marker) {
                continue;
            }
            let (Some(left_text), Some(right_text)) = (
                left.marker.contents().map(|contents| contents.to_string()),
                right.marker.contents().map(|contents| contents.to_string()),
            ) else {
                // Point at the entry that lacks a marker (the later one when both do).
                let unmarked = if right.marker.is_true() {
                    later
                } else {
                    earlier
                };
                return Err(FieldError::new(
                    key.child(&unmarked.to_string()).path(),
                    ManifestErrorKind::InvalidSource,
                    "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)",
                ));
            };
            let mut replacement = left.marker.negate();
            replacement.and(right.marker.clone());
            let replacement = replacement
                .contents()
                .map_or_else(|| "true".to_string(), |contents| contents.to_string());
            let entry_key = key.child(&later.to_string());
            // `marker` is present (the marker is not TRUE); fall back to the entry if the
            // value is somehow not a table.
            let at = match items.get(later).and_then(toml::Value::as_table) {
                Some(table) if table.contains_key("marker") => entry_key.child("marker"),
                _ => entry_key,
            };
            return Err(FieldError::new(
                at.path(),
                ManifestErrorKind::InvalidSource,
                format!(
                    "Source markers must be disjoint, but the following markers overlap: `{left_text}` and `{right_text}`; hint: replace `{right_text}` with `{replacement}`"
                ),
            ));
        }
    }
    Ok(())
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
        forbid(
            key,
            "index",
            &[
                ("workspace", raw.workspace.is_some()),
                ("rev", raw.rev.is_some()),
                ("tag", raw.tag.is_some()),
                ("branch", raw.branch.is_some()),
                ("editable", raw.editable.is_some()),
                ("package", raw.package.is_some()),
            ],
        )?;
        SourceKind::Index {
            index: index.to_string(),
        }
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
    text.parse::<MarkerTree>().map_err(|error| {
        FieldError::new(
            key.path(),
            ManifestErrorKind::InvalidMarker,
            format!("invalid marker `{text}`: {}", error.message),
        )
    })
}

fn git_kind(git: &str, raw: &RawSource<'_>, key: &KeyPath) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "git",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("url", raw.url.is_some()),
            ("editable", raw.editable.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    if raw.subdirectory.is_some() && raw.path.is_some() {
        return Err(key.invalid("path", "cannot specify both `subdirectory` and `path`"));
    }
    let reference = match (raw.rev, raw.tag, raw.branch) {
        (None, None, None) => None,
        (Some(rev), None, None) => Some(GitReference::Rev(rev.to_string())),
        (None, Some(tag), None) => Some(GitReference::Tag(tag.to_string())),
        (None, None, Some(branch)) => Some(GitReference::Branch(branch.to_string())),
        _ => {
            // Point at the last of the three that is present.
            let last = if raw.branch.is_some() {
                "branch"
            } else {
                "tag"
            };
            return Err(key.invalid(last, "expected at most one of `rev`, `tag`, or `branch`"));
        }
    };
    // uv parses the URL again after stripping `git+`; what remains must be a URL too.
    let git = match git.strip_prefix("git+") {
        Some(stripped) => {
            check_url(stripped).map_err(|message| key.invalid("git", message))?;
            stripped
        }
        None => git,
    };
    Ok(SourceKind::Git {
        git: git.to_string(),
        subdirectory: raw.subdirectory.map(PathBuf::from),
        path: raw.path.map(PathBuf::from),
        reference,
        lfs: raw.lfs,
    })
}

fn url_kind(url: &str, raw: &RawSource<'_>, key: &KeyPath) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "url",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("path", raw.path.is_some()),
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
            ("editable", raw.editable.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    // uv rejects this only when lowering; the fragment would otherwise clash with the
    // `#subdirectory=` uv adds itself.
    if url.contains('#') {
        return Err(key.invalid("url", format!("Fragments are not allowed in URLs: {url}")));
    }
    Ok(SourceKind::Url {
        url: url.to_string(),
        subdirectory: raw.subdirectory.map(PathBuf::from),
    })
}

fn path_kind(path: &str, raw: &RawSource<'_>, key: &KeyPath) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "path",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
        ],
    )?;
    // A project must be packaged in order to be installed as editable.
    if raw.editable == Some(true) && raw.package == Some(false) {
        return Err(key.invalid(
            "package",
            "cannot specify both `editable = true` and `package = false`",
        ));
    }
    Ok(SourceKind::Path {
        path: PathBuf::from(path),
        editable: raw.editable,
        package: raw.package,
    })
}

fn workspace_kind(
    workspace: &toml::Value,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "workspace",
        &[
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    let workspace = match workspace {
        toml::Value::Boolean(true) => WorkspaceSource::Member,
        toml::Value::String(root) => WorkspaceSource::Root(PathBuf::from(root)),
        // uv parses `workspace = false` and fails only when lowering ("not yet supported");
        // it can never work, so we say so at once.
        _ => {
            return Err(key.invalid(
                "workspace",
                "`workspace = false` is not supported: to take the package from the registry, remove the source entry",
            ))
        }
    };
    Ok(SourceKind::Workspace {
        workspace,
        editable: raw.editable,
    })
}

/// Fails on the first present key that the kind `kind` does not allow, with uv's wording.
fn forbid(key: &KeyPath, kind: &str, others: &[(&str, bool)]) -> Result<(), FieldError> {
    match others.iter().find(|(_, present)| *present) {
        Some((other, _)) => {
            Err(key.invalid(other, format!("cannot specify both `{kind}` and `{other}`")))
        }
        None => Ok(()),
    }
}

/// Checks that `text` is an absolute URL, as the `url` crate would parse it for uv.
///
/// This is a close approximation of the WHATWG parser (wslock does not depend on `url`): the
/// scheme must be present and well formed, and where the URL has an authority its host must be
/// free of forbidden characters (non-empty for `http`-like schemes) and its port numeric. The
/// messages are the `url` crate's.
pub(super) fn check_url(text: &str) -> Result<(), String> {
    let relative = || format!("relative URL without a base: {text:?}");
    let (scheme, rest) = text.split_once(':').ok_or_else(relative)?;
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(relative());
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "file" {
        return Ok(());
    }
    let special = matches!(scheme.as_str(), "http" | "https" | "ws" | "wss" | "ftp");
    let after_slashes = if special {
        // Special schemes tolerate any number of slashes (and backslashes) before the host.
        rest.trim_start_matches(['/', '\\'])
    } else if let Some(after) = rest.strip_prefix("//") {
        after
    } else {
        // No authority (`mailto:x`, `foo:bar`): nothing more to check.
        return Ok(());
    };
    let end = after_slashes
        .find(|c: char| matches!(c, '/' | '?' | '#') || (special && c == '\\'))
        .unwrap_or(after_slashes.len());
    let authority = &after_slashes[..end];
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if host_and_port.starts_with('[') {
        // An IPv6 literal; the port follows the closing bracket.
        match host_and_port.find(']') {
            Some(close) => (
                &host_and_port[..=close],
                host_and_port[close + 1..].strip_prefix(':'),
            ),
            None => return Err(format!("invalid IPv6 address: {text:?}")),
        }
    } else {
        match host_and_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_and_port, None),
        }
    };
    if special && host.is_empty() {
        return Err(format!("empty host: {text:?}"));
    }
    let forbidden = |c: char| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '#' | '/' | '<' | '>' | '?' | '@' | '\\' | '^' | '|')
            || (!host.starts_with('[') && matches!(c, ':' | '[' | ']'))
    };
    if host.chars().any(forbidden) {
        return Err(if special {
            format!("invalid international domain name: {text:?}")
        } else {
            format!("invalid domain character: {text:?}")
        });
    }
    if let Some(port) = port {
        if !port.is_empty() && port.parse::<u16>().is_err() {
            return Err(format!("invalid port number: {text:?}"));
        }
    }
    Ok(())
}

/// A key path under `tool.uv.sources`, as written in the file (not normalised), so the error
/// position can be found in the text.
#[derive(Clone)]
struct KeyPath(Vec<String>);

impl KeyPath {
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

    fn child(&self, segment: &str) -> Self {
        let mut path = self.0.clone();
        path.push(segment.to_string());
        Self(path)
    }

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
mod tests {
    use super::*;

    /// Parses `[tool.uv.sources]` followed by `body` and runs [`parse_sources`].
    fn parse(body: &str) -> Result<Sources, FieldError> {
        let document: toml::Table =
            toml::from_str(&format!("[tool.uv.sources]\n{body}")).expect("test TOML must parse");
        parse_sources(&document["tool"]["uv"]["sources"])
    }

    /// The entries for `foo` after parsing `body`.
    fn entries(body: &str) -> Vec<Source> {
        let sources = parse(body).unwrap_or_else(|error| panic!("{body}: {error:?}"));
        let name = PackageName::new("foo".to_string()).expect("valid name");
        sources.get(&name).expect("`foo` has sources").to_vec()
    }

    fn kind(body: &str) -> SourceKind {
        let mut entries = entries(body);
        assert_eq!(entries.len(), 1, "{body}");
        entries.remove(0).kind
    }

    fn key(path: &str) -> Vec<String> {
        path.split('.').map(str::to_string).collect()
    }

    fn marker(text: &str) -> MarkerTree {
        text.parse().expect("valid marker")
    }

    #[test]
    fn git_sources() {
        let cases = [
            (
                r#"foo = { git = "https://github.com/x/foo" }"#,
                SourceKind::Git {
                    git: "https://github.com/x/foo".into(),
                    subdirectory: None,
                    path: None,
                    reference: None,
                    lfs: None,
                },
            ),
            (
                r#"foo = { git = "git+https://github.com/x/foo", tag = "v1", subdirectory = "py", lfs = true }"#,
                SourceKind::Git {
                    git: "https://github.com/x/foo".into(),
                    subdirectory: Some("py".into()),
                    path: None,
                    reference: Some(GitReference::Tag("v1".into())),
                    lfs: Some(true),
                },
            ),
            (
                r#"foo = { git = "ssh://git@github.com/x/foo.git", rev = "abc123" }"#,
                SourceKind::Git {
                    git: "ssh://git@github.com/x/foo.git".into(),
                    subdirectory: None,
                    path: None,
                    reference: Some(GitReference::Rev("abc123".into())),
                    lfs: None,
                },
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", branch = "main", path = "dist/foo-1.0.tar.gz" }"#,
                SourceKind::Git {
                    git: "https://github.com/x/foo".into(),
                    subdirectory: None,
                    path: Some("dist/foo-1.0.tar.gz".into()),
                    reference: Some(GitReference::Branch("main".into())),
                    lfs: None,
                },
            ),
            (
                // uv keeps a fragment on a git URL (it is not rejected as on `url`).
                r#"foo = { git = "https://github.com/x/foo#egg=foo" }"#,
                SourceKind::Git {
                    git: "https://github.com/x/foo#egg=foo".into(),
                    subdirectory: None,
                    path: None,
                    reference: None,
                    lfs: None,
                },
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(kind(body), expected, "{body}");
        }
    }

    #[test]
    fn other_source_kinds() {
        let cases = [
            (
                r#"foo = { url = "https://x.org/foo-1.0.tar.gz", subdirectory = "s" }"#,
                SourceKind::Url {
                    url: "https://x.org/foo-1.0.tar.gz".into(),
                    subdirectory: Some("s".into()),
                },
            ),
            (
                r#"foo = { path = "../foo", editable = true }"#,
                SourceKind::Path {
                    path: "../foo".into(),
                    editable: Some(true),
                    package: None,
                },
            ),
            (
                r#"foo = { path = "wheels/foo-1.0-py3-none-any.whl", editable = false, package = false }"#,
                SourceKind::Path {
                    path: "wheels/foo-1.0-py3-none-any.whl".into(),
                    editable: Some(false),
                    package: Some(false),
                },
            ),
            // uv accepts the empty path (the declaring directory itself).
            (
                r#"foo = { path = "" }"#,
                SourceKind::Path {
                    path: "".into(),
                    editable: None,
                    package: None,
                },
            ),
            (
                r#"foo = { index = "pytorch-cu121" }"#,
                SourceKind::Index {
                    index: "pytorch-cu121".into(),
                },
            ),
            (
                r#"foo = { index = "" }"#,
                SourceKind::Index { index: "".into() },
            ),
            (
                r#"foo = { workspace = true }"#,
                SourceKind::Workspace {
                    workspace: WorkspaceSource::Member,
                    editable: None,
                },
            ),
            (
                r#"foo = { workspace = true, editable = false }"#,
                SourceKind::Workspace {
                    workspace: WorkspaceSource::Member,
                    editable: Some(false),
                },
            ),
            (
                r#"foo = { workspace = "../other" }"#,
                SourceKind::Workspace {
                    workspace: WorkspaceSource::Root("../other".into()),
                    editable: None,
                },
            ),
            // Keys uv accepts and ignores for the kind.
            (
                r#"foo = { path = "a", subdirectory = "s", lfs = true }"#,
                SourceKind::Path {
                    path: "a".into(),
                    editable: None,
                    package: None,
                },
            ),
            (
                r#"foo = { index = "x", subdirectory = "s", lfs = false }"#,
                SourceKind::Index { index: "x".into() },
            ),
            (
                r#"foo = { workspace = true, subdirectory = "s", lfs = true }"#,
                SourceKind::Workspace {
                    workspace: WorkspaceSource::Member,
                    editable: None,
                },
            ),
            (
                r#"foo = { url = "https://x.org/foo-1.0.tar.gz", lfs = true }"#,
                SourceKind::Url {
                    url: "https://x.org/foo-1.0.tar.gz".into(),
                    subdirectory: None,
                },
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(kind(body), expected, "{body}");
        }
    }

    #[test]
    fn marker_extra_and_group() {
        let entry = entries(
            r#"foo = { path = "a", marker = "sys_platform == 'linux'", extra = "CUDA_12" }"#,
        )
        .remove(0);
        assert_eq!(entry.marker, marker("sys_platform == 'linux'"));
        assert_eq!(entry.extra, Some("cuda-12".parse().expect("valid extra")));
        assert_eq!(entry.group, None);

        let entry = entries(r#"foo = { index = "x", group = "Dev.Tools" }"#).remove(0);
        assert!(entry.marker.is_true());
        assert_eq!(entry.group, Some("dev-tools".parse().expect("valid group")));
    }

    #[test]
    fn lists_and_names() {
        let sources = parse(
            r#"
            Foo_Bar = [
                { path = "a", marker = "sys_platform == 'linux'" },
                { index = "x", marker = "sys_platform == 'win32'" },
                { git = "https://github.com/x/foo", marker = "sys_platform == 'darwin'" },
            ]
            baz = { workspace = true }
            "#,
        )
        .expect("should parse");
        assert_eq!(sources.len(), 2);
        assert!(!sources.is_empty());
        let name = PackageName::new("foo-bar".to_string()).expect("valid name");
        let list = sources.get(&name).expect("normalised key");
        assert_eq!(list.len(), 3);
        assert_eq!(list[1].kind, SourceKind::Index { index: "x".into() });
        let names: Vec<_> = sources.iter().map(|(name, _)| name.to_string()).collect();
        assert!(names.contains(&"baz".to_string()));
        assert!(parse("").expect("empty table").is_empty());

        let accepted = [
            // A list of one needs no marker.
            r#"foo = [{ path = "a" }]"#,
            // Entries for different extras (or an extra and none) need no markers.
            r#"foo = [{ path = "a", extra = "x" }, { path = "b", extra = "y" }]"#,
            r#"foo = [{ path = "a", extra = "x" }, { path = "b" }]"#,
            r#"foo = [{ path = "a", group = "x" }, { path = "b", extra = "x" }]"#,
            // An unsatisfiable marker is disjoint from everything.
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux' and sys_platform == 'win32'" }, { path = "b" }]"#,
            r#"foo = [{ path = "a", marker = "python_version < '3.10'" }, { path = "b", marker = "python_version >= '3.10'" }]"#,
        ];
        for body in accepted {
            assert!(
                parse(body).is_ok(),
                "should accept {body}: {:?}",
                parse(body)
            );
        }
    }

    #[test]
    fn rejected_forms() {
        use ManifestErrorKind::{
            DuplicateName, InvalidMarker, InvalidName, InvalidSource, WrongType,
        };
        let cases: &[(&str, ManifestErrorKind, &str)] = &[
            // The shape of the table and its values.
            (r#"foo = "a""#, WrongType, "tool.uv.sources.foo"),
            (r#"foo = ["a"]"#, WrongType, "tool.uv.sources.foo.0"),
            (r#"foo = []"#, InvalidSource, "tool.uv.sources.foo"),
            (r#"foo = { git = 1 }"#, WrongType, "tool.uv.sources.foo.git"),
            (
                r#"foo = { path = "a", editable = "yes" }"#,
                WrongType,
                "tool.uv.sources.foo.editable",
            ),
            (
                r#"foo = { path = "a", marker = 1 }"#,
                WrongType,
                "tool.uv.sources.foo.marker",
            ),
            (
                r#"foo = { workspace = 1 }"#,
                WrongType,
                "tool.uv.sources.foo.workspace",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", bogus = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.bogus",
            ),
            (
                r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", bogus = 1 }]"#,
                InvalidSource,
                "tool.uv.sources.foo.1.bogus",
            ),
            (
                r#"foo = { marker = "sys_platform == 'linux'" }"#,
                InvalidSource,
                "tool.uv.sources.foo",
            ),
            (r#"foo = {}"#, InvalidSource, "tool.uv.sources.foo"),
            // Names.
            (
                r#""foo bar" = { path = "a" }"#,
                InvalidName,
                "tool.uv.sources.foo bar",
            ),
            (r#""" = { path = "a" }"#, InvalidName, "tool.uv.sources."),
            (
                r#"foo = { path = "a" }
                Foo = { path = "b" }"#,
                DuplicateName,
                // The second spelling in document order is the duplicate.
                "tool.uv.sources.Foo",
            ),
            (
                r#"foo = { path = "a", extra = "a b" }"#,
                InvalidName,
                "tool.uv.sources.foo.extra",
            ),
            (
                r#"foo = { path = "a", group = "-g" }"#,
                InvalidName,
                "tool.uv.sources.foo.group",
            ),
            (
                r#"foo = { path = "a", extra = "" }"#,
                InvalidName,
                "tool.uv.sources.foo.extra",
            ),
            (
                r#"foo = { path = "a", group = "" }"#,
                InvalidName,
                "tool.uv.sources.foo.group",
            ),
            (
                r#"foo = { path = "a", marker = "  " }"#,
                InvalidMarker,
                "tool.uv.sources.foo.marker",
            ),
            (
                r#"foo = { index = "a b" }"#,
                InvalidSource,
                "tool.uv.sources.foo.index",
            ),
            (
                r#"foo = { index = "é" }"#,
                InvalidSource,
                "tool.uv.sources.foo.index",
            ),
            // Markers.
            (
                r#"foo = { path = "a", marker = "sys_platform = 'x'" }"#,
                InvalidMarker,
                "tool.uv.sources.foo.marker",
            ),
            (
                r#"foo = { path = "a", marker = "" }"#,
                InvalidMarker,
                "tool.uv.sources.foo.marker",
            ),
            (
                r#"foo = { path = "a", marker = "sys_platform == 'linux' and" }"#,
                InvalidMarker,
                "tool.uv.sources.foo.marker",
            ),
            // URLs.
            (
                r#"foo = { git = "not a url" }"#,
                InvalidSource,
                "tool.uv.sources.foo.git",
            ),
            (
                r#"foo = { git = "git@github.com:x/foo.git" }"#,
                InvalidSource,
                "tool.uv.sources.foo.git",
            ),
            (
                r#"foo = { git = "" }"#,
                InvalidSource,
                "tool.uv.sources.foo.git",
            ),
            (
                r#"foo = { git = "git+" }"#,
                InvalidSource,
                "tool.uv.sources.foo.git",
            ),
            (
                r#"foo = { git = "https://" }"#,
                InvalidSource,
                "tool.uv.sources.foo.git",
            ),
            (
                r#"foo = { url = "foo.whl" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            (
                r#"foo = { url = "https://x y.org/foo-1.0.tar.gz" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            (
                r#"foo = { url = "https://x.org:99999/foo-1.0.tar.gz" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            (
                r#"foo = { url = "https://x.org/foo-1.0.tar.gz#egg=foo" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            (
                r#"foo = { url = "https://x.org/foo-1.0.tar.gz#" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            // Mutually exclusive kinds.
            (
                r#"foo = { git = "https://github.com/x/foo", url = "https://x.org/foo.whl" }"#,
                InvalidSource,
                "tool.uv.sources.foo.url",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", index = "x" }"#,
                InvalidSource,
                "tool.uv.sources.foo.index",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", workspace = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.workspace",
            ),
            (
                r#"foo = { url = "https://x.org/foo.whl", path = "a" }"#,
                InvalidSource,
                "tool.uv.sources.foo.path",
            ),
            (
                r#"foo = { url = "https://x.org/foo.whl", index = "x" }"#,
                InvalidSource,
                "tool.uv.sources.foo.index",
            ),
            (
                r#"foo = { path = "a", index = "x" }"#,
                InvalidSource,
                "tool.uv.sources.foo.index",
            ),
            (
                r#"foo = { path = "a", workspace = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.workspace",
            ),
            (
                r#"foo = { index = "x", workspace = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.workspace",
            ),
            // Git-only keys, and at most one reference.
            (
                r#"foo = { git = "https://github.com/x/foo", rev = "a", tag = "b" }"#,
                InvalidSource,
                "tool.uv.sources.foo.tag",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", rev = "a", branch = "b" }"#,
                InvalidSource,
                "tool.uv.sources.foo.branch",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", tag = "a", branch = "b" }"#,
                InvalidSource,
                "tool.uv.sources.foo.branch",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", path = "a.whl", subdirectory = "s" }"#,
                InvalidSource,
                "tool.uv.sources.foo.path",
            ),
            (
                r#"foo = { url = "https://x.org/foo.whl", rev = "a" }"#,
                InvalidSource,
                "tool.uv.sources.foo.rev",
            ),
            (
                r#"foo = { path = "a", tag = "a" }"#,
                InvalidSource,
                "tool.uv.sources.foo.tag",
            ),
            (
                r#"foo = { index = "x", branch = "a" }"#,
                InvalidSource,
                "tool.uv.sources.foo.branch",
            ),
            (
                r#"foo = { workspace = true, rev = "a" }"#,
                InvalidSource,
                "tool.uv.sources.foo.rev",
            ),
            // `editable` and `package` belong to path (and `editable` to workspace).
            (
                r#"foo = { git = "https://github.com/x/foo", editable = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.editable",
            ),
            (
                r#"foo = { git = "https://github.com/x/foo", package = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.package",
            ),
            (
                r#"foo = { url = "https://x.org/foo.whl", editable = false }"#,
                InvalidSource,
                "tool.uv.sources.foo.editable",
            ),
            (
                r#"foo = { url = "https://x.org/foo.whl", package = false }"#,
                InvalidSource,
                "tool.uv.sources.foo.package",
            ),
            (
                r#"foo = { index = "x", editable = false }"#,
                InvalidSource,
                "tool.uv.sources.foo.editable",
            ),
            (
                r#"foo = { index = "x", package = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.package",
            ),
            (
                r#"foo = { workspace = true, package = true }"#,
                InvalidSource,
                "tool.uv.sources.foo.package",
            ),
            (
                r#"foo = { path = "a", editable = true, package = false }"#,
                InvalidSource,
                "tool.uv.sources.foo.package",
            ),
            // `extra` with `group`, and `workspace = false`.
            (
                r#"foo = { path = "a", extra = "a", group = "b" }"#,
                InvalidSource,
                "tool.uv.sources.foo.group",
            ),
            (
                r#"foo = { workspace = false }"#,
                InvalidSource,
                "tool.uv.sources.foo.workspace",
            ),
            // Lists: markers must be disjoint per (extra, group).
            (
                r#"foo = [{ path = "a" }, { path = "b" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.1",
            ),
            (
                r#"foo = [{ path = "a" }, { path = "b", marker = "sys_platform == 'linux'" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.0",
            ),
            (
                r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.1",
            ),
            (
                r#"foo = [{ path = "a", extra = "X" }, { path = "b", extra = "x" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.1",
            ),
            (
                r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "python_version >= '3.12'" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.1.marker",
            ),
            // uv compares only neighbours and accepts this; we compare every pair.
            (
                r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "sys_platform == 'win32'" }, { path = "c", marker = "sys_platform == 'linux'" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.2.marker",
            ),
            (
                r#"foo = [{ path = "a", group = "g", marker = "os_name == 'nt'" }, { path = "b", extra = "g" }, { path = "c", group = "g", marker = "os_name == 'nt' and sys_platform == 'win32'" }]"#,
                InvalidSource,
                "tool.uv.sources.foo.2.marker",
            ),
        ];
        for (body, kind, at) in cases {
            let error = parse(body).expect_err(body);
            assert_eq!(
                (error.kind, error.key.clone()),
                (*kind, key(at)),
                "{body}: {}",
                error.message
            );
        }
    }

    #[test]
    fn messages_follow_uv() {
        let message = |body: &str| parse(body).expect_err(body).message;
        assert_eq!(
            message(r#"foo = { marker = "sys_platform == 'linux'" }"#),
            "expected one of `git`, `url`, `path`, `index`, or `workspace`"
        );
        assert_eq!(
            message(r#"foo = { url = "https://x.org/foo.whl", path = "a" }"#),
            "cannot specify both `url` and `path`"
        );
        assert_eq!(
            message(r#"foo = { git = "https://github.com/x/foo", rev = "a", tag = "b" }"#),
            "expected at most one of `rev`, `tag`, or `branch`"
        );
        assert_eq!(
            message(r#"foo = { path = "a", editable = true, package = false }"#),
            "cannot specify both `editable = true` and `package = false`"
        );
        assert_eq!(
            message(r#"foo = { path = "a", extra = "a", group = "b" }"#),
            "cannot specify both `extra` and `group`"
        );
        assert_eq!(
            message(r#"foo = { git = "https://github.com/x/foo", bogus = true }"#),
            "unknown field `bogus`, expected one of `git`, `subdirectory`, `rev`, `tag`, `branch`, `lfs`, `url`, `path`, `editable`, `package`, `index`, `workspace`, `marker`, `extra`, `group`"
        );
        assert!(message(r#"foo = { workspace = false }"#)
            .starts_with("`workspace = false` is not supported"));
        assert_eq!(message(r#"foo = []"#), "Must provide at least one source");
        assert_eq!(
            message(
                r#"foo = { path = "a" }
                       Foo = { path = "b" }"#
            ),
            "duplicate sources for package `foo`"
        );
        assert_eq!(
            message(r#"foo = [{ path = "a" }, { path = "b" }]"#),
            "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)"
        );
        assert_eq!(
            message(
                r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "python_version >= '3.12'" }]"#
            ),
            "Source markers must be disjoint, but the following markers overlap: `sys_platform == 'linux'` and `python_full_version >= '3.12'`; hint: replace `python_full_version >= '3.12'` with `python_full_version >= '3.12' and sys_platform != 'linux'`"
        );
        assert_eq!(
            message(r#"foo = { url = "https://x.org/foo-1.0.tar.gz#egg=foo" }"#),
            "Fragments are not allowed in URLs: https://x.org/foo-1.0.tar.gz#egg=foo"
        );
        assert_eq!(
            message(r#"foo = { git = "not a url" }"#),
            "relative URL without a base: \"not a url\""
        );
        assert_eq!(
            message(r#"foo = { index = "a b" }"#),
            "Index names may only contain letters, digits, hyphens, underscores, and periods, but found unsupported character (` `) in: `a b`"
        );
    }

    #[test]
    fn url_check() {
        let good = [
            "https://example.org",
            "https://user:pass@example.org:8080/a?b#c",
            "HTTPS://EXAMPLE.ORG",
            "http://[::1]:8000/simple",
            "git+https://github.com/x/y",
            "git+ssh://git@github.com/x/y.git",
            "ssh://git@github.com:22/x/y.git",
            "file:///tmp/x",
            "file:relative",
            "foo:bar",
            "https://example.org:/x",
        ];
        for text in good {
            assert_eq!(check_url(text), Ok(()), "{text}");
        }
        let bad = [
            "",
            "example.org",
            "./x",
            "1http://x",
            "git@github.com:x/y.git",
            "https://",
            "https://exa mple.org",
            "https://x.org:port",
            "https://x.org:70000",
            "git+https://exa mple.org",
            "http://[::1",
        ];
        for text in bad {
            assert!(check_url(text).is_err(), "{text}");
        }
    }
}
