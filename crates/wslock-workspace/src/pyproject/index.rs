//! `[[tool.uv.index]]`: the package indexes a manifest declares.
//!
//! uv 0.13.8 reads each entry with serde and *ignores* keys it does not know (the index table has
//! no `deny_unknown_fields`), so a misspelt `explict = true` is silently dropped. We copy that:
//! rejecting such a file would break projects that uv locks. The keys uv does know are checked
//! for type and value as uv checks them, so every file uv rejects here we reject too; only the
//! keys that matter for discovery and locking are kept in [`Index`].
//!
//! The per-file rules of R4.6 run here as well: index names are unique within one file
//! (compared exactly, since uv does not normalise index names), at most one index is
//! `default = true`, and an `explicit = true` index must have a name (nothing could select it
//! otherwise).

use super::sources::check_url;
use super::FieldError;
use crate::error::ManifestErrorKind;

/// The key of the `[[tool.uv.index]]` array, from the document root.
const INDEX_KEY: [&str; 3] = ["tool", "uv", "index"];

/// One `[[tool.uv.index]]` entry, reduced to what workspace discovery and locking use.
///
/// The other keys uv knows (`publish-url`, `authenticate`, `ignore-error-codes`,
/// `cache-control`, `exclude-newer`, `exclude-newer-package`, `hash-algorithm`) are validated
/// but not kept: they concern publishing, credentials and fetching, which belong to the index
/// crate's own configuration rather than to the workspace model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The name a `{ index = "<name>" }` source uses to select this index. Compared exactly
    /// (uv does not normalise index names: `Foo` and `foo` are two indexes). May be empty: uv
    /// accepts `name = ""`.
    pub name: Option<String>,
    /// The URL or local path, as written. A relative path resolves against the directory of the
    /// declaring file later (wslock policy A.5; uv resolves a member's against the cwd).
    pub url: String,
    /// `default = true`: this index replaces PyPI as the lowest-priority fallback.
    pub default: bool,
    /// `explicit = true`: used only by sources that name it, never for general resolution.
    pub explicit: bool,
    /// How the index is laid out.
    pub format: IndexFormat,
}

/// The layout of an index (`format = "simple" | "flat"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum IndexFormat {
    /// A PEP 503 "simple" repository (the default).
    #[default]
    Simple,
    /// A flat list of distribution files, like pip's `--find-links`.
    Flat,
}

/// Parses the `tool.uv.index` item (an array of tables) and applies the per-file rules.
pub(crate) fn parse_indexes(value: &toml::Value) -> Result<Vec<Index>, FieldError> {
    let entries = value.as_array().ok_or_else(|| {
        FieldError::new(
            INDEX_KEY,
            ManifestErrorKind::WrongType,
            format!(
                "invalid type: {}, expected an array of tables (`[[tool.uv.index]]`)",
                describe(value)
            ),
        )
    })?;
    let mut indexes: Vec<Index> = Vec::with_capacity(entries.len());
    for (position, entry) in entries.iter().enumerate() {
        let key = EntryKey(position.to_string());
        indexes.push(parse_entry(entry, &key)?);
    }
    check_file_rules(&indexes)?;
    Ok(indexes)
}

/// Duplicate names and several defaults are parse errors in uv, checked once the whole array is
/// read (so a broken entry further down is reported first, as uv does).
fn check_file_rules(indexes: &[Index]) -> Result<(), FieldError> {
    let mut seen_default = false;
    for (position, index) in indexes.iter().enumerate() {
        let key = EntryKey(position.to_string());
        if let Some(name) = &index.name {
            let earlier = indexes[..position]
                .iter()
                .any(|other| other.name.as_ref() == Some(name));
            if earlier {
                return Err(FieldError::new(
                    key.child("name"),
                    ManifestErrorKind::InvalidIndex,
                    format!("duplicate index name `{name}`"),
                ));
            }
        }
        if index.default {
            if seen_default {
                return Err(FieldError::new(
                    key.child("default"),
                    ManifestErrorKind::InvalidIndex,
                    "found multiple indexes with `default = true`; only one index may be marked as default",
                ));
            }
            seen_default = true;
        }
    }
    Ok(())
}

/// Parses one `[[tool.uv.index]]` entry at `key`, checking every key uv knows and ignoring the
/// rest.
fn parse_entry(entry: &toml::Value, key: &EntryKey) -> Result<Index, FieldError> {
    let table = entry.as_table().ok_or_else(|| {
        FieldError::new(
            key.path(),
            ManifestErrorKind::WrongType,
            format!("invalid type: {}, expected an index table", describe(entry)),
        )
    })?;
    let mut index = Index {
        name: None,
        url: String::new(),
        default: false,
        explicit: false,
        format: IndexFormat::Simple,
    };
    let mut url = None;
    for (field, value) in table {
        let field = field.as_str();
        match field {
            "name" => {
                let name = expect_str(value, key, field)?;
                check_index_name(name).map_err(|message| {
                    FieldError::new(key.child(field), ManifestErrorKind::InvalidIndex, message)
                })?;
                index.name = Some(name.to_string());
            }
            "url" => {
                let text = expect_str(value, key, field)?;
                check_index_url(text).map_err(|message| {
                    FieldError::new(key.child(field), ManifestErrorKind::InvalidIndex, message)
                })?;
                url = Some(text.to_string());
            }
            "explicit" => index.explicit = expect_bool(value, key, field)?,
            "default" => index.default = expect_bool(value, key, field)?,
            "format" => {
                index.format = match expect_str(value, key, field)? {
                    "simple" => IndexFormat::Simple,
                    "flat" => IndexFormat::Flat,
                    other => {
                        return Err(FieldError::new(
                            key.child(field),
                            ManifestErrorKind::InvalidIndex,
                            format!("unknown variant `{other}`, expected `simple` or `flat`"),
                        ))
                    }
                }
            }
            "publish-url" => {
                let text = expect_str(value, key, field)?;
                check_url(text).map_err(|message| {
                    FieldError::new(key.child(field), ManifestErrorKind::InvalidIndex, message)
                })?;
            }
            "authenticate" => {
                let policy = expect_str(value, key, field)?;
                if !matches!(policy, "auto" | "always" | "never") {
                    return Err(FieldError::new(
                        key.child(field),
                        ManifestErrorKind::InvalidIndex,
                        format!(
                            "unknown variant `{policy}`, expected one of `auto`, `always`, `never`"
                        ),
                    ));
                }
            }
            "ignore-error-codes" => check_status_codes(value, key)?,
            "cache-control" => check_cache_control(value, key)?,
            "exclude-newer" => check_exclude_newer(value, &key.child(field))?,
            "exclude-newer-package" => check_exclude_newer_package(value, key)?,
            "hash-algorithm" => check_hash_algorithm(value, key)?,
            // uv ignores unknown keys on an index; so do we (see the module docs).
            _ => {}
        }
    }
    index.url = url.ok_or_else(|| {
        FieldError::new(
            key.path(),
            ManifestErrorKind::InvalidIndex,
            "missing field `url`",
        )
    })?;
    if index.explicit && index.name.is_none() {
        return Err(FieldError::new(
            key.child("explicit"),
            ManifestErrorKind::InvalidIndex,
            format!(
                "An index with `explicit = true` requires a `name`: {}",
                index.url
            ),
        ));
    }
    Ok(index)
}

/// Checks an index name as uv's `IndexName` does: ASCII letters, digits, `-`, `_` and `.`.
///
/// Unlike package names, index names are not normalised and need not start or end with a
/// letter or digit; even the empty name is accepted. Shared with `{ index = "..." }` sources.
pub(super) fn check_index_name(name: &str) -> Result<(), String> {
    for c in name.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => {}
            c if c.is_ascii() => {
                return Err(format!(
                    "Index names may only contain letters, digits, hyphens, underscores, and periods, but found unsupported character (`{c}`) in: `{name}`"
                ))
            }
            c => {
                return Err(format!(
                    "Index names must be ASCII, but found non-ASCII character (`{c}`) in: `{name}`"
                ))
            }
        }
    }
    Ok(())
}

/// An index `url` is a URL when its scheme is one uv knows (`http`, `https`, `file`, or a VCS
/// scheme such as `git+https`), and a local path otherwise (so `./wheels`, `C:\wheels` and even
/// `foo://bar` are paths). Only the empty string fails as a path.
fn check_index_url(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("path could not be converted to an absolute path: the `url` is empty".into());
    }
    match split_scheme(text) {
        Some(scheme) if is_known_scheme(scheme) => check_url(text),
        _ => Ok(()),
    }
}

/// The scheme of `text` as uv's `split_scheme` finds it: a letter, then letters, digits, `+`,
/// `-` or `.`, up to the first `:`.
fn split_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Whether uv treats a `url` with this scheme as a URL rather than a local path.
fn is_known_scheme(scheme: &str) -> bool {
    let scheme = scheme.to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "file")
        || ["git+", "bzr+", "hg+", "svn+"]
            .iter()
            .any(|prefix| scheme.starts_with(prefix))
}

/// `ignore-error-codes`: a list of HTTP status codes (100 to 999, as the `http` crate accepts).
fn check_status_codes(value: &toml::Value, key: &EntryKey) -> Result<(), FieldError> {
    const FIELD: &str = "ignore-error-codes";
    let codes = value.as_array().ok_or_else(|| {
        FieldError::new(
            key.child(FIELD),
            ManifestErrorKind::WrongType,
            format!("invalid type: {}, expected a sequence", describe(value)),
        )
    })?;
    for (position, code) in codes.iter().enumerate() {
        let code_key = || key.child_path(&[FIELD, &position.to_string()]);
        let number = code.as_integer().ok_or_else(|| {
            FieldError::new(
                code_key(),
                ManifestErrorKind::WrongType,
                format!("invalid type: {}, expected u16", describe(code)),
            )
        })?;
        if !(100..=999).contains(&number) {
            return Err(FieldError::new(
                code_key(),
                ManifestErrorKind::InvalidIndex,
                format!("{number} is not a valid HTTP status code"),
            ));
        }
    }
    Ok(())
}

/// `cache-control`: a table whose `api` and `files` are strings (other keys are ignored by uv).
fn check_cache_control(value: &toml::Value, key: &EntryKey) -> Result<(), FieldError> {
    const FIELD: &str = "cache-control";
    let table = value.as_table().ok_or_else(|| {
        FieldError::new(
            key.child(FIELD),
            ManifestErrorKind::WrongType,
            format!(
                "invalid type: {}, expected a table with `api` and `files`",
                describe(value)
            ),
        )
    })?;
    for sub in ["api", "files"] {
        if let Some(header) = table.get(sub) {
            if !header.is_str() {
                return Err(FieldError::new(
                    key.child_path(&[FIELD, sub]),
                    ManifestErrorKind::WrongType,
                    format!("invalid type: {}, expected a string", describe(header)),
                ));
            }
        }
    }
    Ok(())
}

/// `exclude-newer`: a date, timestamp or duration string, `false`, or a table.
///
/// Only the shape is checked: the date and duration grammars are uv's own and affect fetching,
/// not discovery, so a malformed string that uv would reject is accepted here (the one place
/// this module is laxer than uv).
fn check_exclude_newer(value: &toml::Value, key: &[String]) -> Result<(), FieldError> {
    match value {
        toml::Value::String(_) | toml::Value::Table(_) | toml::Value::Boolean(false) => Ok(()),
        toml::Value::Boolean(true) => Err(FieldError::new(
            key.iter().cloned(),
            ManifestErrorKind::InvalidIndex,
            "expected false to disable exclude-newer, got true",
        )),
        other => Err(FieldError::new(
            key.iter().cloned(),
            ManifestErrorKind::WrongType,
            format!(
                "invalid type: {}, expected a date/timestamp/duration string, false to disable exclude-newer, or a table with timestamp/span",
                describe(other)
            ),
        )),
    }
}

/// `exclude-newer-package`: a table from package name to an `exclude-newer` value.
fn check_exclude_newer_package(value: &toml::Value, key: &EntryKey) -> Result<(), FieldError> {
    const FIELD: &str = "exclude-newer-package";
    let table = value.as_table().ok_or_else(|| {
        FieldError::new(
            key.child(FIELD),
            ManifestErrorKind::WrongType,
            format!("invalid type: {}, expected a map", describe(value)),
        )
    })?;
    for (package, setting) in table {
        check_exclude_newer(setting, &key.child_path(&[FIELD, package]))?;
    }
    Ok(())
}

/// `hash-algorithm` (preview in uv): one of the algorithm names, or a table keyed by them.
fn check_hash_algorithm(value: &toml::Value, key: &EntryKey) -> Result<(), FieldError> {
    const FIELD: &str = "hash-algorithm";
    const ALGORITHMS: [&str; 5] = ["md5", "sha256", "sha384", "sha512", "blake2b"];
    let unknown = |name: &str, at: Vec<String>| {
        FieldError::new(
            at,
            ManifestErrorKind::InvalidIndex,
            format!(
                "unknown variant `{name}`, expected one of `md5`, `sha256`, `sha384`, `sha512`, `blake2b`"
            ),
        )
    };
    match value {
        toml::Value::String(name) if ALGORITHMS.contains(&name.as_str()) => Ok(()),
        toml::Value::String(name) => Err(unknown(name, key.child(FIELD))),
        toml::Value::Table(table) => match table
            .keys()
            .find(|name| !ALGORITHMS.contains(&name.as_str()))
        {
            Some(name) => Err(unknown(name, key.child_path(&[FIELD, name]))),
            None => Ok(()),
        },
        _ => Err(FieldError::new(
            key.child(FIELD),
            ManifestErrorKind::WrongType,
            "wanted string or table",
        )),
    }
}

/// The string value of `field`, or a [`ManifestErrorKind::WrongType`] error at that key.
fn expect_str<'a>(
    value: &'a toml::Value,
    key: &EntryKey,
    field: &str,
) -> Result<&'a str, FieldError> {
    value.as_str().ok_or_else(|| {
        FieldError::new(
            key.child(field),
            ManifestErrorKind::WrongType,
            format!("invalid type: {}, expected a string", describe(value)),
        )
    })
}

/// The boolean value of `field`, or a [`ManifestErrorKind::WrongType`] error at that key.
fn expect_bool(value: &toml::Value, key: &EntryKey, field: &str) -> Result<bool, FieldError> {
    value.as_bool().ok_or_else(|| {
        FieldError::new(
            key.child(field),
            ManifestErrorKind::WrongType,
            format!("invalid type: {}, expected a boolean", describe(value)),
        )
    })
}

/// The key path of one entry (`tool.uv.index.<position>`).
struct EntryKey(String);

impl EntryKey {
    /// The key of the entry itself.
    fn path(&self) -> Vec<String> {
        self.child_path(&[])
    }

    /// The key of one field of the entry.
    fn child(&self, field: &str) -> Vec<String> {
        self.child_path(&[field])
    }

    /// The key `rest` below the entry, for values nested inside a field.
    fn child_path(&self, rest: &[&str]) -> Vec<String> {
        INDEX_KEY
            .iter()
            .copied()
            .chain([self.0.as_str()])
            .chain(rest.iter().copied())
            .map(str::to_string)
            .collect()
    }
}

/// How serde names a TOML value in "invalid type" messages, so ours read like uv's.
pub(super) fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("string {text:?}"),
        toml::Value::Integer(number) => format!("integer `{number}`"),
        toml::Value::Float(number) => format!("floating point `{number}`"),
        toml::Value::Boolean(flag) => format!("boolean `{flag}`"),
        toml::Value::Datetime(_) => "datetime".into(),
        toml::Value::Array(_) => "sequence".into(),
        toml::Value::Table(_) => "map".into(),
    }
}

#[cfg(test)]
mod tests;
