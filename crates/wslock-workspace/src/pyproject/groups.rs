//! `[dependency-groups]` (PEP 735) and `[tool.uv.dependency-groups]`.
//!
//! Only the form of each entry is checked here. Whether an `include-group` names an existing
//! group, and whether includes form a cycle, is the graph stage's business: it flattens groups
//! and can name the whole cycle.

use indexmap::IndexMap;
use wslock_pep::{GroupName, Requirement, VersionSpecifiers};

use super::{parse_requirement, parse_specifiers, FieldError};
use crate::error::ManifestErrorKind;

/// `[dependency-groups]`: each normalised group name with its entries, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependencyGroups(IndexMap<GroupName, Vec<GroupEntry>>);

impl DependencyGroups {
    /// The entries of one group.
    pub fn get(&self, name: &GroupName) -> Option<&[GroupEntry]> {
        self.0.get(name).map(Vec::as_slice)
    }

    /// Every group with its entries, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&GroupName, &[GroupEntry])> {
        self.0
            .iter()
            .map(|(name, entries)| (name, entries.as_slice()))
    }

    /// Whether a group of that name exists.
    pub fn contains(&self, name: &GroupName) -> bool {
        self.0.contains_key(name)
    }

    /// Whether there are no groups at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One entry of a dependency group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupEntry {
    /// A PEP 508 requirement string.
    Requirement(Requirement),
    /// `{ include-group = "name" }`: every entry of another group.
    IncludeGroup(GroupName),
}

/// `[tool.uv.dependency-groups.<name>]`: uv's per-group settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupSettings {
    /// The Python versions the group applies to; uv ANDs it onto every requirement of the group.
    pub requires_python: Option<VersionSpecifiers>,
}

/// Parses the `[dependency-groups]` table.
pub(crate) fn parse_dependency_groups(table: &toml::Table) -> Result<DependencyGroups, FieldError> {
    let mut groups = IndexMap::new();
    for (raw_name, value) in table {
        let key = ["dependency-groups", raw_name.as_str()];
        let name = group_name(raw_name, &key)?;
        let items = value.as_array().ok_or_else(|| {
            FieldError::new(key, ManifestErrorKind::WrongType, "expected an array")
        })?;
        let mut entries = Vec::with_capacity(items.len());
        for (position, item) in items.iter().enumerate() {
            let position = position.to_string();
            let item_key = [key[0], key[1], position.as_str()];
            entries.push(parse_entry(item, &item_key)?);
        }
        if groups.insert(name.clone(), entries).is_some() {
            return Err(FieldError::new(
                key,
                ManifestErrorKind::DuplicateName,
                format!("duplicate normalized group name `{name}`"),
            ));
        }
    }
    Ok(DependencyGroups(groups))
}

fn parse_entry(item: &toml::Value, key: &[&str]) -> Result<GroupEntry, FieldError> {
    let unknown_form = || {
        FieldError::new(
            key.iter().copied(),
            ManifestErrorKind::InvalidGroup,
            "expected a PEP 508 string or `{ include-group = \"...\" }`",
        )
    };
    match item {
        toml::Value::String(text) => parse_requirement(text)
            .map(GroupEntry::Requirement)
            .map_err(|message| {
                FieldError::new(
                    key.iter().copied(),
                    ManifestErrorKind::InvalidRequirement,
                    message,
                )
            }),
        toml::Value::Table(table) if table.len() == 1 => {
            let included = table
                .get("include-group")
                .and_then(toml::Value::as_str)
                .ok_or_else(unknown_form)?;
            let include_key: Vec<&str> = key.iter().copied().chain(["include-group"]).collect();
            Ok(GroupEntry::IncludeGroup(group_name(
                included,
                &include_key,
            )?))
        }
        _ => Err(unknown_form()),
    }
}

/// Parses `[tool.uv.dependency-groups]`; every key must name a group of `[dependency-groups]`.
pub(crate) fn parse_group_settings(
    table: &toml::Table,
    groups: &DependencyGroups,
) -> Result<IndexMap<GroupName, GroupSettings>, FieldError> {
    let mut settings = IndexMap::new();
    for (raw_name, value) in table {
        let key = ["tool", "uv", "dependency-groups", raw_name.as_str()];
        let name = group_name(raw_name, &key)?;
        if !groups.contains(&name) {
            return Err(FieldError::new(
                key,
                ManifestErrorKind::InvalidGroup,
                format!("`tool.uv.dependency-groups` configures group `{name}`, which is not defined in `[dependency-groups]`"),
            ));
        }
        let fields = value.as_table().ok_or_else(|| {
            FieldError::new(key, ManifestErrorKind::WrongType, "expected a table")
        })?;
        let mut group = GroupSettings::default();
        for (field, value) in fields {
            let field_key = [key[0], key[1], key[2], key[3], field.as_str()];
            match (field.as_str(), value) {
                ("requires-python", toml::Value::String(text)) => {
                    group.requires_python = Some(parse_specifiers(text, &field_key)?);
                }
                ("requires-python", _) => {
                    return Err(FieldError::new(
                        field_key,
                        ManifestErrorKind::WrongType,
                        "expected a string",
                    ))
                }
                (other, _) => {
                    return Err(FieldError::new(
                        field_key,
                        ManifestErrorKind::UnknownKey,
                        format!("unknown field `{other}`, expected `requires-python`"),
                    ))
                }
            }
        }
        settings.insert(name, group);
    }
    Ok(settings)
}

fn group_name(raw: &str, key: &[&str]) -> Result<GroupName, FieldError> {
    raw.parse::<GroupName>().map_err(|error| {
        FieldError::new(
            key.iter().copied(),
            ManifestErrorKind::InvalidName,
            error.to_string(),
        )
    })
}
