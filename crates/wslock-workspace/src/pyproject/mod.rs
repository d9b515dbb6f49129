//! A typed model of `pyproject.toml`, restricted to what workspace tools read.
//!
//! Parsing happens in two steps. Serde turns the TOML into raw structs that keep every
//! user-written string as a string (unknown keys are ignored; a wrong type is an error naming
//! the key). Then [`parse`] validates each string into its PEP 440/508 type, reporting the key
//! path, so every error, whatever stage found it, carries the file, the key and the position.

mod field_error;
mod groups;
mod index;
mod locate;
mod settings;
mod sources;

use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;
use wslock_pep::{ExtraName, GroupName, PackageName, Requirement, Version, VersionSpecifiers};

use crate::error::{ManifestError, ManifestErrorKind};
pub(crate) use field_error::FieldError;
pub use groups::{DependencyGroups, GroupEntry, GroupSettings};
pub use index::{Index, IndexFormat};
pub use locate::value_span;
pub use settings::{ResolverSettings, SourceSettings};
pub use sources::{GitReference, Source, SourceKind, Sources, WorkspaceSource};

/// The parts of a `pyproject.toml` that workspace discovery and locking read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyProject {
    /// The `[project]` table (PEP 621), when present.
    pub project: Option<Project>,
    /// `[dependency-groups]` (PEP 735), keyed by normalised group name.
    pub dependency_groups: DependencyGroups,
    /// `[tool.uv]`, when present (an empty `[tool.uv]` table counts as present). Shared, so the
    /// configuration found in this manifest refers to it without a copy.
    pub tool_uv: Option<Arc<ToolUv>>,
    /// Whether the file has a `[build-system]` table: uv then builds the member as a package.
    pub has_build_system: bool,
}

/// The `[project]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The PEP 503-normalised project name.
    pub name: PackageName,
    /// The static version; `None` when `version` is listed in `dynamic`.
    pub version: Option<Version>,
    /// `requires-python`, when given.
    pub requires_python: Option<VersionSpecifiers>,
    /// `dependencies`.
    pub dependencies: Vec<Requirement>,
    /// `optional-dependencies`, keyed by normalised extra name, in document order.
    pub optional_dependencies: IndexMap<ExtraName, Vec<Requirement>>,
    /// `dynamic`, as written.
    pub dynamic: Vec<String>,
}

/// The `[tool.uv]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolUv {
    /// `[tool.uv.workspace]`: present only on workspace roots.
    pub workspace: Option<WorkspaceTable>,
    /// `tool.uv.sources`.
    pub sources: Sources,
    /// `[[tool.uv.index]]`, in document order.
    pub index: Vec<Index>,
    /// Legacy `tool.uv.dev-dependencies` (locked as the `dev` group).
    pub dev_dependencies: Option<Vec<Requirement>>,
    /// `tool.uv.package`: build and install the project (true) or keep it virtual (false).
    pub package: Option<bool>,
    /// `tool.uv.managed`: `false` opts the project out of uv's (and our) management.
    pub managed: Option<bool>,
    /// `tool.uv.constraint-dependencies` (read from the root only).
    pub constraint_dependencies: Vec<Requirement>,
    /// `tool.uv.override-dependencies` (read from the root only).
    pub override_dependencies: Vec<Requirement>,
    /// `[tool.uv.dependency-groups.<name>]` settings, each naming an existing group.
    pub dependency_groups: IndexMap<GroupName, GroupSettings>,
    /// Resolver settings (`resolution`, `prerelease`, `environments`, ...); uv reads them from
    /// the root (or its configuration file) only.
    pub resolver: ResolverSettings,
}

/// `[tool.uv.workspace]`: which directories are members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceTable {
    /// `members` globs as written (validated as glob syntax).
    pub members: Vec<String>,
    /// `exclude` globs as written (validated as glob syntax).
    pub exclude: Vec<String>,
}

impl PyProject {
    /// Whether `tool.uv.managed = false` is set.
    pub fn is_unmanaged(&self) -> bool {
        self.tool_uv.as_ref().and_then(|uv| uv.managed) == Some(false)
    }

    /// `[tool.uv.workspace]`, when this manifest is a workspace root.
    pub fn workspace(&self) -> Option<&WorkspaceTable> {
        self.tool_uv.as_ref().and_then(|uv| uv.workspace.as_ref())
    }
}

/// Parses the text of the manifest at `path` (used only for error messages).
pub fn parse(path: &Path, text: &str) -> Result<PyProject, Box<ManifestError>> {
    let raw: RawPyProject = deserialize(path, text)?;
    validate(raw).map_err(|field| field_error(path, text, field))
}

/// Parses a `uv.toml`: uv's settings at the top level of the file.
///
/// A `uv.toml` is not a `[tool.uv]` table: uv 0.13.8 rejects a key it does not know, and
/// rejects the keys that only make sense in a project (`sources`, `workspace`, `managed`, ...)
/// with a message saying so. Both are errors here too, with uv's wording for the second. The
/// settings wslock does not model (`resolution`, `cache-dir`, ...) are accepted as they are.
/// The result has only the settings a `uv.toml` may hold: `index`,
/// `constraint-dependencies` and `override-dependencies`.
pub fn parse_uv_toml(path: &Path, text: &str) -> Result<ToolUv, Box<ManifestError>> {
    let document: toml::Table = deserialize(path, text)?;
    check_uv_toml_keys(&document).map_err(|field| field_error(path, text, field))?;
    let raw: RawUvToml = deserialize(path, text)?;
    validate_uv_toml(raw).map_err(|field| field_error(path, text, field))
}

/// Deserialises `text` into `T`, reporting TOML syntax errors and wrong types with the key and
/// position.
fn deserialize<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, Box<ManifestError>> {
    let document = toml::Deserializer::parse(text)
        .map_err(|error| toml_error(path, text, None, ManifestErrorKind::Toml, &error))?;
    // Tracking the key path costs on every value; it is only wanted for an error, so the
    // document is deserialised again, tracked, when the plain pass fails (a thousand
    // manifests are read per discovery of a large workspace, a few are wrong).
    if let Ok(value) = T::deserialize(document) {
        return Ok(value);
    }
    let document = toml::Deserializer::parse(text)
        .map_err(|error| toml_error(path, text, None, ManifestErrorKind::Toml, &error))?;
    serde_path_to_error::deserialize(document).map_err(|error| {
        let key = error.path().to_string();
        let key = (key != ".").then_some(key);
        toml_error(path, text, key, ManifestErrorKind::WrongType, error.inner())
    })
}

/// Attaches the file and the position of the key to a validation failure.
fn field_error(path: &Path, text: &str, field: FieldError) -> Box<ManifestError> {
    let target = match field.kind {
        ManifestErrorKind::UnknownKey
        | ManifestErrorKind::UnknownSetting
        | ManifestErrorKind::ProjectOnlyKey
        | ManifestErrorKind::DuplicateName => locate::Target::Key,
        _ => locate::Target::Value,
    };
    let span = locate::span_of_key(text, &field.key, target)
        .map(|span| locate::narrow_to_carets(text, span, &field.message));
    Box::new(ManifestError {
        path: path.to_path_buf(),
        line_col: span.as_ref().map(|span| locate::line_col(text, span.start)),
        span,
        key: Some(field.key.join(".")),
        message: field.message,
        kind: field.kind,
    })
}

fn toml_error(
    path: &Path,
    text: &str,
    key: Option<String>,
    kind: ManifestErrorKind,
    error: &toml::de::Error,
) -> Box<ManifestError> {
    let span = error.span();
    Box::new(ManifestError {
        path: path.to_path_buf(),
        key,
        line_col: span.as_ref().map(|span| locate::line_col(text, span.start)),
        span,
        message: error.message().trim_end().to_string(),
        kind,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawPyProject {
    project: Option<RawProject>,
    dependency_groups: Option<toml::Table>,
    tool: Option<RawTool>,
    build_system: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawProject {
    name: Option<String>,
    version: Option<String>,
    requires_python: Option<String>,
    dependencies: Option<Vec<String>>,
    optional_dependencies: Option<IndexMap<String, Vec<String>>>,
    dynamic: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawTool {
    uv: Option<RawToolUv>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawToolUv {
    workspace: Option<toml::Value>,
    sources: Option<toml::Value>,
    index: Option<toml::Value>,
    dev_dependencies: Option<Vec<String>>,
    package: Option<bool>,
    managed: Option<bool>,
    constraint_dependencies: Option<Vec<String>>,
    override_dependencies: Option<Vec<String>>,
    dependency_groups: Option<toml::Table>,
    /// Every other key: the resolver settings are read from it.
    #[serde(flatten)]
    rest: toml::Table,
}

/// The settings of a `uv.toml` that wslock reads; [`check_uv_toml_keys`] has already rejected
/// unknown and project-only keys, and the other settings are not modelled.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawUvToml {
    index: Option<toml::Value>,
    constraint_dependencies: Option<Vec<String>>,
    override_dependencies: Option<Vec<String>>,
    /// Every other key: the resolver settings are read from it.
    #[serde(flatten)]
    rest: toml::Table,
}

/// Every top-level key uv 0.13.8 accepts in a `uv.toml`, as listed by its "unknown field"
/// error (`uv lock --config-file uv.toml` with a misspelt key), project-only keys included.
const UV_TOML_KEYS: [&str; 79] = [
    "required-version",
    "system-certs",
    "native-tls",
    "offline",
    "no-cache",
    "cache-dir",
    "preview",
    "preview-features",
    "python-preference",
    "python-downloads",
    "concurrent-downloads",
    "concurrent-builds",
    "concurrent-installs",
    "index",
    "index-url",
    "extra-index-url",
    "no-index",
    "find-links",
    "index-strategy",
    "keyring-provider",
    "http-proxy",
    "https-proxy",
    "no-proxy",
    "allow-insecure-host",
    "resolution",
    "prerelease",
    "prerelease-package",
    "fork-strategy",
    "dependency-metadata",
    "config-settings",
    "config-settings-package",
    "no-build-isolation",
    "require-build-hashes",
    "no-build-isolation-package",
    "extra-build-dependencies",
    "extra-build-variables",
    "exclude-newer",
    "exclude-newer-package",
    "link-mode",
    "compile-bytecode",
    "no-sources",
    "no-sources-package",
    "upgrade",
    "upgrade-package",
    "reinstall",
    "reinstall-package",
    "no-build",
    "no-build-package",
    "no-binary",
    "no-binary-package",
    "torch-backend",
    "python-install-mirror",
    "pypy-install-mirror",
    "graalpy-install-mirror",
    "pyodide-install-mirror",
    "python-downloads-json-url",
    "publish-url",
    "trusted-publishing",
    "check-url",
    "add-bounds",
    "audit",
    "pip",
    "cache-keys",
    "override-dependencies",
    "exclude-dependencies",
    "constraint-dependencies",
    "build-constraint-dependencies",
    "environments",
    "required-environments",
    "minimum-libc-version",
    "conflicts",
    "workspace",
    "sources",
    "managed",
    "package",
    "default-groups",
    "dependency-groups",
    "dev-dependencies",
    "build-backend",
];

/// The keys uv accepts in `[tool.uv]` but refuses in a `uv.toml`, in the order uv 0.13.8 checks
/// them (so the same one is reported when a file has several).
const PROJECT_ONLY_KEYS: [&str; 11] = [
    "conflicts",
    "workspace",
    "sources",
    "dev-dependencies",
    "default-groups",
    "dependency-groups",
    "managed",
    "package",
    "build-backend",
    "environments",
    "required-environments",
];

/// Rejects what uv rejects in a `uv.toml`: first any key it does not know (in document order),
/// then a project-only key (in uv's order).
fn check_uv_toml_keys(document: &toml::Table) -> Result<(), FieldError> {
    if let Some(unknown) = document
        .keys()
        .find(|key| !UV_TOML_KEYS.contains(&key.as_str()))
    {
        return Err(FieldError::new(
            [unknown.as_str()],
            ManifestErrorKind::UnknownSetting,
            format!("unknown field `{unknown}`: a `uv.toml` holds uv settings, such as `index`, `constraint-dependencies` or `resolution`"),
        ));
    }
    match PROJECT_ONLY_KEYS
        .iter()
        .find(|key| document.contains_key(**key))
    {
        Some(key) => Err(FieldError::new(
            [*key],
            ManifestErrorKind::ProjectOnlyKey,
            format!("The `{key}` field is not allowed in a `uv.toml` file. `{key}` is only applicable in the context of a project, and should be placed in a `pyproject.toml` file instead."),
        )),
        None => Ok(()),
    }
}

fn validate_uv_toml(raw: RawUvToml) -> Result<ToolUv, FieldError> {
    let index = match &raw.index {
        // The index parser names keys under `tool.uv`; in a `uv.toml` they sit at the top level.
        Some(value) => index::parse_indexes(value).map_err(|mut field| {
            if field
                .key
                .starts_with(&["tool".to_string(), "uv".to_string()])
            {
                field.key.drain(..2);
            }
            field
        })?,
        None => Vec::new(),
    };
    let list = |items: Option<Vec<String>>, key: &str| {
        parse_requirements(items.as_deref().unwrap_or_default(), &[key])
    };
    Ok(ToolUv {
        index,
        constraint_dependencies: list(raw.constraint_dependencies, "constraint-dependencies")?,
        override_dependencies: list(raw.override_dependencies, "override-dependencies")?,
        resolver: settings::parse_resolver_settings(&raw.rest, &[])?,
        ..ToolUv::default()
    })
}

fn validate(raw: RawPyProject) -> Result<PyProject, FieldError> {
    let project = raw.project.map(validate_project).transpose()?;
    let dependency_groups = match &raw.dependency_groups {
        Some(table) => groups::parse_dependency_groups(table)?,
        None => DependencyGroups::default(),
    };
    let tool_uv = raw
        .tool
        .and_then(|tool| tool.uv)
        .map(|uv| validate_tool_uv(uv, &dependency_groups).map(Arc::new))
        .transpose()?;
    Ok(PyProject {
        project,
        dependency_groups,
        tool_uv,
        has_build_system: raw.build_system.is_some(),
    })
}

fn validate_project(raw: RawProject) -> Result<Project, FieldError> {
    let name = raw.name.ok_or_else(|| {
        FieldError::new(
            ["project"],
            ManifestErrorKind::MissingName,
            "`project.name` is missing",
        )
    })?;
    let name = wslock_pep::package_name(&name).map_err(|error| {
        FieldError::new(
            ["project", "name"],
            ManifestErrorKind::InvalidName,
            error.to_string(),
        )
    })?;
    let dynamic = raw.dynamic.unwrap_or_default();
    let version = match raw.version {
        Some(version) => Some(version.parse::<Version>().map_err(|error| {
            FieldError::new(
                ["project", "version"],
                ManifestErrorKind::InvalidVersion,
                format!("invalid version `{version}`: {error}"),
            )
        })?),
        None if dynamic.iter().any(|field| field == "version") => None,
        None => {
            return Err(FieldError::new(
                ["project"],
                ManifestErrorKind::MissingVersion,
                "`project.version` is neither set nor listed in `project.dynamic`",
            ))
        }
    };
    let requires_python = raw
        .requires_python
        .map(|text| parse_specifiers(&text, &["project", "requires-python"]))
        .transpose()?;
    let dependencies = parse_requirements(
        raw.dependencies.as_deref().unwrap_or_default(),
        &["project", "dependencies"],
    )?;
    let mut optional_dependencies = IndexMap::new();
    for (extra, requirements) in raw.optional_dependencies.unwrap_or_default() {
        let key = ["project", "optional-dependencies", extra.as_str()];
        let name = wslock_pep::extra_name(&extra).map_err(|error| {
            FieldError::new(key, ManifestErrorKind::InvalidName, error.to_string())
        })?;
        let requirements = parse_requirements(&requirements, &key)?;
        if optional_dependencies
            .insert(name.clone(), requirements)
            .is_some()
        {
            return Err(FieldError::new(
                key,
                ManifestErrorKind::DuplicateName,
                format!("duplicate normalized extra name `{name}`"),
            ));
        }
    }
    Ok(Project {
        name,
        version,
        requires_python,
        dependencies,
        optional_dependencies,
        dynamic,
    })
}

fn validate_tool_uv(raw: RawToolUv, groups: &DependencyGroups) -> Result<ToolUv, FieldError> {
    let workspace = raw.workspace.as_ref().map(validate_workspace).transpose()?;
    let sources = match &raw.sources {
        Some(value) => sources::parse_sources(value)?,
        None => Sources::default(),
    };
    let index = match &raw.index {
        Some(value) => index::parse_indexes(value)?,
        None => Vec::new(),
    };
    let list = |items: Option<Vec<String>>, key: &str| -> Result<Vec<Requirement>, FieldError> {
        parse_requirements(items.as_deref().unwrap_or_default(), &["tool", "uv", key])
    };
    let dev_dependencies = match raw.dev_dependencies {
        Some(items) => Some(list(Some(items), "dev-dependencies")?),
        None => None,
    };
    let dependency_groups = match &raw.dependency_groups {
        Some(table) => groups::parse_group_settings(table, groups)?,
        None => IndexMap::new(),
    };
    Ok(ToolUv {
        workspace,
        sources,
        index,
        dev_dependencies,
        package: raw.package,
        managed: raw.managed,
        constraint_dependencies: list(raw.constraint_dependencies, "constraint-dependencies")?,
        override_dependencies: list(raw.override_dependencies, "override-dependencies")?,
        dependency_groups,
        resolver: settings::parse_resolver_settings(&raw.rest, &["tool", "uv"])?,
    })
}

/// `[tool.uv.workspace]` allows only `members` and `exclude`, as uv does (an unknown key there is
/// almost always a typo that would silently change the member set).
fn validate_workspace(value: &toml::Value) -> Result<WorkspaceTable, FieldError> {
    const KEY: [&str; 3] = ["tool", "uv", "workspace"];
    let table = value
        .as_table()
        .ok_or_else(|| FieldError::new(KEY, ManifestErrorKind::WrongType, "expected a table"))?;
    let mut workspace = WorkspaceTable::default();
    for (key, value) in table {
        let target = match key.as_str() {
            "members" => &mut workspace.members,
            "exclude" => &mut workspace.exclude,
            other => {
                return Err(FieldError::new(
                    KEY.iter().copied().chain([other]),
                    ManifestErrorKind::UnknownKey,
                    format!("unknown field `{other}`, expected `members` or `exclude`"),
                ))
            }
        };
        let key_path = || KEY.iter().map(|s| s.to_string()).chain([key.clone()]);
        let items = value.as_array().ok_or_else(|| {
            FieldError::new(
                key_path(),
                ManifestErrorKind::WrongType,
                "expected an array of strings",
            )
        })?;
        for (position, item) in items.iter().enumerate() {
            let item_key = || key_path().chain([position.to_string()]);
            let pattern = item.as_str().ok_or_else(|| {
                FieldError::new(
                    item_key(),
                    ManifestErrorKind::WrongType,
                    "expected a string",
                )
            })?;
            glob::Pattern::new(pattern).map_err(|error| {
                FieldError::new(
                    item_key(),
                    ManifestErrorKind::InvalidGlob,
                    format!("invalid glob `{pattern}`: {error}"),
                )
            })?;
            target.push(pattern.to_string());
        }
    }
    Ok(workspace)
}

/// Parses a PEP 440 specifier set at `key`.
pub(crate) fn parse_specifiers(text: &str, key: &[&str]) -> Result<VersionSpecifiers, FieldError> {
    text.parse::<VersionSpecifiers>().map_err(|error| {
        FieldError::new(
            key.iter().copied(),
            ManifestErrorKind::InvalidSpecifier,
            format!("invalid specifiers `{text}`: {error}"),
        )
    })
}

/// Parses a list of PEP 508 requirements at `key`; an error names the position in the list.
pub(crate) fn parse_requirements(
    items: &[String],
    key: &[&str],
) -> Result<Vec<Requirement>, FieldError> {
    items
        .iter()
        .enumerate()
        .map(|(position, text)| {
            parse_requirement(text).map_err(|message| {
                let position = position.to_string();
                FieldError::new(
                    key.iter().copied().chain([position.as_str()]),
                    ManifestErrorKind::InvalidRequirement,
                    message,
                )
            })
        })
        .collect()
}

/// Parses one PEP 508 requirement; the error text quotes the requirement and shows where it broke.
pub(crate) fn parse_requirement(text: &str) -> Result<Requirement, String> {
    wslock_pep::parse_requirement(text)
        .map_err(|error| format!("invalid requirement `{text}`: {error}"))
}

#[cfg(test)]
mod tests;
