//! uv's resolver settings in `[tool.uv]` (or a `uv.toml`): how to resolve, as opposed to what.
//!
//! Values are checked here (an unknown `resolution = "newest"` is an error naming the key);
//! which settings the resolver honours is decided by the pipeline, which refuses the ones it
//! does not implement rather than ignoring them silently.

use wslock_pep::{canonical_marker, MarkerTree, PackageName};

use super::FieldError;
use crate::error::ManifestErrorKind;

/// The resolver settings of one `[tool.uv]` table, as written; unset ones are `None`/empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolverSettings {
    /// `resolution`: `highest`, `lowest` or `lowest-direct`.
    pub resolution: Option<String>,
    /// `prerelease`: `disallow`, `allow`, `if-necessary`, `explicit` or
    /// `if-necessary-or-explicit`.
    pub prerelease: Option<String>,
    /// `fork-strategy`: `requires-python` or `fewest`.
    pub fork_strategy: Option<String>,
    /// `index-strategy`: `first-index`, `unsafe-first-match` or `unsafe-best-match`.
    pub index_strategy: Option<String>,
    /// `environments`: the only environments the lock must support.
    pub environments: Vec<MarkerTree>,
    /// `no-build = true`: no sdist may be used, so a version without a wheel is unusable (uv
    /// then locks another version, as it does for `no-build-package`).
    pub no_build: bool,
    /// `no-build-package`: `no-build` for these packages only.
    pub no_build_package: Vec<PackageName>,
    /// `no-binary = true`: no wheel may be used, so a version without an sdist is unusable.
    pub no_binary: bool,
    /// `no-binary-package`: `no-binary` for these packages only.
    pub no_binary_package: Vec<PackageName>,
    /// The package sources this file adds, besides `[[tool.uv.index]]`.
    pub sources: SourceSettings,
    /// Settings that change a uv lock and that are set here, by key: the pipeline refuses the
    /// ones wslock does not implement.
    pub lock_affecting: Vec<&'static str>,
}

/// uv's pip-style source settings (`find-links`, `index-url`, `extra-index-url`, `no-index`),
/// as written: locations stay strings, because a relative one resolves against the directory
/// of the file that holds it, which only the caller knows.
///
/// uv 0.13.8 adds them to the command line's: `find-links` and `extra-index-url` after the
/// flags' entries, `index-url` only when no flag or variable names a default index, and
/// `no-index` when either sets it (see `docs/cli.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSettings {
    /// `find-links`: directories or flat pages of wheels and sdists, in file order.
    pub find_links: Vec<String>,
    /// `index-url`: the default index, searched last.
    pub index_url: Option<String>,
    /// `extra-index-url`: more indexes, searched after `[[tool.uv.index]]`, in file order.
    pub extra_index_url: Vec<String>,
    /// `no-index = true`: no index at all, only find-links.
    pub no_index: bool,
}

impl SourceSettings {
    /// Whether any of the settings is set.
    pub fn is_empty(&self) -> bool {
        *self == SourceSettings::default()
    }
}

/// Allowed values per enumerated setting.
const CHOICES: [(&str, &[&str]); 4] = [
    ("resolution", &["highest", "lowest", "lowest-direct"]),
    (
        "prerelease",
        &[
            "disallow",
            "allow",
            "if-necessary",
            "explicit",
            "if-necessary-or-explicit",
        ],
    ),
    ("fork-strategy", &["requires-python", "fewest"]),
    (
        "index-strategy",
        &["first-index", "unsafe-first-match", "unsafe-best-match"],
    ),
];

/// Settings that change what uv writes into `uv.lock`, beyond those modelled above.
const LOCK_AFFECTING: [&str; 7] = [
    "conflicts",
    "required-environments",
    "exclude-newer",
    "exclude-newer-package",
    "build-constraint-dependencies",
    "dependency-metadata",
    "default-groups",
];

/// Reads the resolver settings out of a `[tool.uv]` table (`prefix` is its key path).
pub(crate) fn parse_resolver_settings(
    table: &toml::Table,
    prefix: &[&str],
) -> Result<ResolverSettings, FieldError> {
    let key = |name: &str| {
        prefix
            .iter()
            .copied()
            .chain([name])
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let mut settings = ResolverSettings::default();
    for (name, choices) in CHOICES {
        let Some(value) = table.get(name) else {
            continue;
        };
        let text = value.as_str().ok_or_else(|| {
            FieldError::new(key(name), ManifestErrorKind::WrongType, "expected a string")
        })?;
        if !choices.contains(&text) {
            return Err(FieldError::new(
                key(name),
                ManifestErrorKind::WrongType,
                format!(
                    "unknown value `{text}`, expected one of: {}",
                    choices.join(", ")
                ),
            ));
        }
        let slot = match name {
            "resolution" => &mut settings.resolution,
            "prerelease" => &mut settings.prerelease,
            "fork-strategy" => &mut settings.fork_strategy,
            _ => &mut settings.index_strategy,
        };
        *slot = Some(text.to_string());
    }
    if let Some(value) = table.get("environments") {
        let entries = match value {
            toml::Value::String(text) => vec![text.clone()],
            toml::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    FieldError::new(
                        key("environments"),
                        ManifestErrorKind::WrongType,
                        "expected an array of marker strings",
                    )
                })?,
            _ => {
                return Err(FieldError::new(
                    key("environments"),
                    ManifestErrorKind::WrongType,
                    "expected an array of marker strings",
                ))
            }
        };
        for (position, text) in entries.iter().enumerate() {
            let marker = wslock_pep::parse_marker(text).map_err(|error| {
                let mut at = key("environments");
                at.push(position.to_string());
                FieldError::new(
                    at,
                    ManifestErrorKind::InvalidMarker,
                    format!("invalid marker `{text}`: {}", error.message),
                )
            })?;
            settings.environments.push(canonical_marker(&marker));
        }
    }
    for (name, slot) in [
        ("no-build", &mut settings.no_build),
        ("no-binary", &mut settings.no_binary),
    ] {
        if let Some(value) = table.get(name) {
            *slot = value.as_bool().ok_or_else(|| {
                FieldError::new(
                    key(name),
                    ManifestErrorKind::WrongType,
                    "expected a boolean",
                )
            })?;
        }
    }
    for (name, slot) in [
        ("no-build-package", &mut settings.no_build_package),
        ("no-binary-package", &mut settings.no_binary_package),
    ] {
        let Some(value) = table.get(name) else {
            continue;
        };
        let items = value.as_array().ok_or_else(|| {
            FieldError::new(
                key(name),
                ManifestErrorKind::WrongType,
                "expected an array of package names",
            )
        })?;
        for item in items {
            let text = item.as_str().ok_or_else(|| {
                FieldError::new(
                    key(name),
                    ManifestErrorKind::WrongType,
                    "expected package names",
                )
            })?;
            let package = wslock_pep::package_name(text).map_err(|error| {
                FieldError::new(key(name), ManifestErrorKind::InvalidName, error.to_string())
            })?;
            slot.push(package);
        }
    }
    settings.sources = parse_source_settings(table, &key)?;
    settings.lock_affecting = LOCK_AFFECTING
        .into_iter()
        .filter(|name| table.contains_key(*name))
        .collect();
    Ok(settings)
}

/// Reads `find-links`, `index-url`, `extra-index-url` and `no-index`. uv 0.13.8 only warns about
/// a wrong type here ("Failed to parse `pyproject.toml` during settings discovery") and then
/// ignores every setting of the file, which would lock against other sources without a word:
/// wslock refuses it.
fn parse_source_settings(
    table: &toml::Table,
    key: &dyn Fn(&str) -> Vec<String>,
) -> Result<SourceSettings, FieldError> {
    let mut sources = SourceSettings::default();
    for (name, slot) in [
        ("find-links", &mut sources.find_links),
        ("extra-index-url", &mut sources.extra_index_url),
    ] {
        let Some(value) = table.get(name) else {
            continue;
        };
        let items = value.as_array().ok_or_else(|| {
            FieldError::new(
                key(name),
                ManifestErrorKind::WrongType,
                "expected an array of URLs or paths",
            )
        })?;
        for (position, item) in items.iter().enumerate() {
            let text = item.as_str().ok_or_else(|| {
                let mut at = key(name);
                at.push(position.to_string());
                FieldError::new(
                    at,
                    ManifestErrorKind::WrongType,
                    "expected a URL or path string",
                )
            })?;
            slot.push(text.to_string());
        }
    }
    if let Some(value) = table.get("index-url") {
        let text = value.as_str().ok_or_else(|| {
            FieldError::new(
                key("index-url"),
                ManifestErrorKind::WrongType,
                "expected a URL or path string",
            )
        })?;
        sources.index_url = Some(text.to_string());
    }
    if let Some(value) = table.get("no-index") {
        sources.no_index = value.as_bool().ok_or_else(|| {
            FieldError::new(
                key("no-index"),
                ManifestErrorKind::WrongType,
                "expected a boolean",
            )
        })?;
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ResolverSettings, FieldError> {
        parse_resolver_settings(&toml::from_str(text).unwrap(), &["tool", "uv"])
    }

    #[test]
    fn reads_and_checks_values() {
        let settings = parse(
            "resolution = \"lowest-direct\"\nprerelease = \"allow\"\nenvironments = [\"platform_system == 'Windows'\"]\nno-binary-package = [\"Foo_Bar\"]\nconflicts = []\n",
        )
        .unwrap();
        assert_eq!(settings.resolution.as_deref(), Some("lowest-direct"));
        assert_eq!(settings.prerelease.as_deref(), Some("allow"));
        assert_eq!(
            wslock_pep::marker_string(&settings.environments[0]).unwrap(),
            "sys_platform == 'win32'"
        );
        assert!(!settings.no_binary && !settings.no_build);
        assert_eq!(settings.no_binary_package[0].as_ref(), "foo-bar");
        assert!(settings.no_build_package.is_empty());
        assert_eq!(settings.lock_affecting, ["conflicts"]);

        let error = parse("resolution = \"newest\"\n").unwrap_err();
        assert_eq!(error.key, ["tool", "uv", "resolution"]);
        assert!(
            error.message.contains("highest, lowest, lowest-direct"),
            "{}",
            error.message
        );
        let settings =
            parse("no-build = true\nno-binary = false\nno-build-package = [\"A\"]\n").unwrap();
        assert!(settings.no_build && !settings.no_binary);
        assert_eq!(settings.no_build_package[0].as_ref(), "a");
        let error = parse("no-build = \"yes\"\n").unwrap_err();
        assert_eq!(error.key, ["tool", "uv", "no-build"]);
        let error = parse("no-binary-package = \"a\"\n").unwrap_err();
        assert_eq!(error.key, ["tool", "uv", "no-binary-package"]);
        let error = parse("environments = [\"sys_platform ==\"]\n").unwrap_err();
        assert_eq!(error.kind, ManifestErrorKind::InvalidMarker);
        assert_eq!(error.key, ["tool", "uv", "environments", "0"]);
    }

    #[test]
    fn reads_source_settings_and_checks_their_types() {
        let settings = parse(
            "find-links = [\"../links\", \"https://h/links.html\"]\nindex-url = \"../simple\"\nextra-index-url = [\"https://h/simple\"]\nno-index = true\n",
        )
        .unwrap();
        assert_eq!(
            settings.sources,
            SourceSettings {
                find_links: vec!["../links".into(), "https://h/links.html".into()],
                index_url: Some("../simple".into()),
                extra_index_url: vec!["https://h/simple".into()],
                no_index: true,
            }
        );
        assert!(parse("resolution = \"lowest\"\n")
            .unwrap()
            .sources
            .is_empty());

        // uv 0.13.8 warns about these and drops every setting of the file; wslock refuses them.
        for (text, at) in [
            (
                "find-links = \"../links\"\n",
                vec!["tool", "uv", "find-links"],
            ),
            ("find-links = [1]\n", vec!["tool", "uv", "find-links", "0"]),
            (
                "extra-index-url = \"https://h\"\n",
                vec!["tool", "uv", "extra-index-url"],
            ),
            (
                "index-url = [\"https://h\"]\n",
                vec!["tool", "uv", "index-url"],
            ),
            ("no-index = \"yes\"\n", vec!["tool", "uv", "no-index"]),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.kind, ManifestErrorKind::WrongType, "{text}");
            assert_eq!(error.key, at, "{text}");
        }
        // In a `uv.toml` the keys sit at the top level.
        let table = toml::from_str("no-index = 1\n").unwrap();
        let error = parse_resolver_settings(&table, &[]).unwrap_err();
        assert_eq!(error.key, ["no-index"]);
    }
}
