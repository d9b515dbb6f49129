//! Index configuration as users write it (command line, environment, `[[tool.uv.index]]`),
//! turned into an [`IndexSet`] with uv's precedence.
//!
//! This crate does not read `pyproject.toml` (it knows nothing of workspaces): the caller maps
//! each `[[tool.uv.index]]` table and `{ index = "name" }` source to the plain values here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wslock_pep::PackageName;

use crate::error::IndexError;
use crate::flat::FlatIndex;
use crate::http::client::HttpClient;
use crate::http::options::HttpOptions;
use crate::http::simple::SimpleIndex;
use crate::location::Location;
use crate::set::{IndexSet, IndexStrategy};
use crate::snapshot::Snapshot;
use crate::source::PackageSource;

/// The layout of an index (`format = "simple" | "flat"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum IndexFormat {
    /// A PEP 503/691 simple repository (the default).
    #[default]
    Simple,
    /// A flat list of files, like `--find-links`, but searched in index order.
    Flat,
}

/// One configured index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    /// The name sources pin with `{ index = "<name>" }` (compared exactly, as uv does).
    pub name: Option<String>,
    /// The index URL or local folder.
    pub location: Location,
    /// `default = true`: searched last, after every other index.
    pub default: bool,
    /// `explicit = true`: asked only for packages pinned to it.
    pub explicit: bool,
    /// Simple or flat.
    pub format: IndexFormat,
    /// Statuses that mean "not on this index" besides `404` (uv's `ignore-error-codes`).
    pub ignore_error_codes: Vec<u16>,
    /// The location was written as an absolute path or a `file://` URL
    /// ([`Location::is_written_absolute`]): uv.lock then spells a local index, and its files,
    /// absolute ([`IndexConfig::absolute_local_registries`]).
    pub written_absolute: bool,
}

impl IndexSpec {
    /// An unnamed simple index at `location`.
    pub fn new(location: Location) -> IndexSpec {
        IndexSpec {
            name: None,
            location,
            default: false,
            explicit: false,
            format: IndexFormat::Simple,
            ignore_error_codes: Vec::new(),
            written_absolute: false,
        }
    }

    /// Reads `[name=]url` as `--index` and `UV_INDEX` accept it; relative paths resolve
    /// against `base`. Only a prefix that is a valid index name (ASCII letters, digits, `-`,
    /// `_`, `.`) counts as a name, so `https://host/simple?x=y` stays a URL.
    pub fn parse(text: &str, base: &Path, setting: &str) -> Result<IndexSpec, IndexError> {
        let (name, url) = match text.split_once('=') {
            Some((name, url)) if is_index_name(name) => (Some(name.to_string()), url),
            _ => (None, text),
        };
        let location = Location::parse(url, base).map_err(|err| IndexError::InvalidConfig {
            setting: setting.to_string(),
            value: text.to_string(),
            reason: err.to_string(),
        })?;
        Ok(IndexSpec {
            name,
            written_absolute: Location::is_written_absolute(url),
            ..IndexSpec::new(location)
        })
    }
}

fn is_index_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Where packages come from, as configured. A builder; [`IndexConfig::build`] makes the
/// [`IndexSet`].
///
/// The search order is uv's: `--index` entries, then the project's `[[tool.uv.index]]` tables
/// in file order, then `--extra-index-url` entries, then the project's `extra-index-url`
/// entries, then one default index: `--default-index` if given, else the project's
/// `default = true` index, else `--index-url`, else the project's `index-url`. Find-links are the
/// command line's, then the project's `find-links`. Each environment variable stands in for its
/// flag only when the flag was not given. (uv 0.13.8, observed with local indexes: uv lists
/// `--index` and `[[tool.uv.index]]` together before every extra index, so a project index is
/// searched before `--extra-index-url` and `UV_EXTRA_INDEX_URL`; `--index-url` and
/// `UV_INDEX_URL` lose to a `default = true` index, and a project's `index-url` to them too.)
/// There is no built-in default (uv's is PyPI): with nothing configured, asking for a package
/// is an [`IndexError::NoIndex`] error that says how to configure one.
#[derive(Debug, Clone, Default)]
pub struct IndexConfig {
    indexes: Vec<IndexSpec>,
    extra_indexes: Vec<IndexSpec>,
    default_index: Option<IndexSpec>,
    index_url: Option<IndexSpec>,
    project_indexes: Vec<IndexSpec>,
    project_extra_indexes: Vec<IndexSpec>,
    project_default_index: Option<IndexSpec>,
    find_links: Vec<Location>,
    project_find_links: Vec<Location>,
    absolute_find_links: Vec<PathBuf>,
    no_index: bool,
    pins: Vec<(PackageName, String)>,
    strategy: IndexStrategy,
    snapshot: Option<PathBuf>,
}

/// The environment variables [`IndexConfig::with_env`] reads.
pub const INDEX_ENV_VARS: [&str; 7] = [
    "UV_INDEX",
    "UV_EXTRA_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_INDEX_URL",
    "PIP_INDEX_URL",
    "UV_FIND_LINKS",
];

impl IndexConfig {
    /// Nothing configured.
    pub fn new() -> IndexConfig {
        IndexConfig::default()
    }

    /// `--index [name=]URL`: searched first, in the order given.
    pub fn index(mut self, spec: IndexSpec) -> IndexConfig {
        self.indexes.push(spec);
        self
    }

    /// `--extra-index-url URL`: searched after `--index` entries and the project's
    /// `[[tool.uv.index]]` tables.
    pub fn extra_index(mut self, spec: IndexSpec) -> IndexConfig {
        self.extra_indexes.push(spec);
        self
    }

    /// `--default-index URL`: searched last, replacing the project's default index.
    pub fn default_index(mut self, spec: IndexSpec) -> IndexConfig {
        self.default_index = Some(IndexSpec {
            default: true,
            ..spec
        });
        self
    }

    /// `--index-url URL`: the default index, like `--default-index`, but a project's
    /// `default = true` index wins over it (uv 0.13.8 lists it after the `[[tool.uv.index]]`
    /// tables and takes the first default); it replaces the project's `index-url`.
    pub fn index_url(mut self, spec: IndexSpec) -> IndexConfig {
        self.index_url = Some(IndexSpec {
            default: true,
            ..spec
        });
        self
    }

    /// A `[[tool.uv.index]]` table of the root `pyproject.toml`, in file order.
    pub fn project_index(mut self, spec: IndexSpec) -> IndexConfig {
        self.project_indexes.push(spec);
        self
    }

    /// An `extra-index-url` entry of the project's configuration: searched after its
    /// `[[tool.uv.index]]` tables.
    pub fn project_extra_index(mut self, spec: IndexSpec) -> IndexConfig {
        self.project_extra_indexes.push(spec);
        self
    }

    /// The `index-url` of the project's configuration: the default index when neither the
    /// command line, the environment nor a `default = true` index names one.
    pub fn project_default_index(mut self, spec: IndexSpec) -> IndexConfig {
        self.project_default_index = Some(IndexSpec {
            default: true,
            ..spec
        });
        self
    }

    /// `--find-links DIR|URL`, repeatable.
    pub fn find_links(mut self, location: Location) -> IndexConfig {
        self.find_links.push(location);
        self
    }

    /// `--find-links DIR|URL` as the user wrote it: a relative path is joined to `base` (the
    /// working directory), and a local directory written absolutely (an absolute path or a
    /// `file://` URL) is remembered as such ([`IndexConfig::absolute_local_registries`]). `setting`
    /// names the flag or variable in errors.
    pub fn find_links_text(
        mut self,
        text: &str,
        base: &Path,
        setting: &str,
    ) -> Result<IndexConfig, IndexError> {
        let location = self.local_location(text, base, setting)?;
        self.find_links.push(location);
        Ok(self)
    }

    /// A `find-links` entry of the project's configuration, as written: like
    /// [`IndexConfig::find_links_text`], but searched after the command line's and the
    /// environment's find-links (uv adds them up), and a relative path is joined to `base`, the
    /// directory of the file that sets it.
    pub fn project_find_links_text(
        mut self,
        text: &str,
        base: &Path,
        setting: &str,
    ) -> Result<IndexConfig, IndexError> {
        let location = self.local_location(text, base, setting)?;
        self.project_find_links.push(location);
        Ok(self)
    }

    /// Parses a find-links location and remembers it when it names a local directory
    /// absolutely.
    fn local_location(
        &mut self,
        text: &str,
        base: &Path,
        setting: &str,
    ) -> Result<Location, IndexError> {
        let location = Location::parse(text, base).map_err(|err| IndexError::InvalidConfig {
            setting: setting.to_string(),
            value: text.to_string(),
            reason: err.to_string(),
        })?;
        if let (Location::Path(dir), true) = (&location, Location::is_written_absolute(text)) {
            self.absolute_find_links.push(dir.clone());
        }
        Ok(location)
    }

    /// `--no-index`: no index at all, only find-links. Pins are then ignored.
    pub fn no_index(mut self, no_index: bool) -> IndexConfig {
        self.no_index = no_index;
        self
    }

    /// `[tool.uv.sources] package = { index = "name" }`.
    pub fn pin(mut self, package: PackageName, index: &str) -> IndexConfig {
        self.pins.push((package, index.to_string()));
        self
    }

    /// `--index-strategy`.
    pub fn strategy(mut self, strategy: IndexStrategy) -> IndexConfig {
        self.strategy = strategy;
        self
    }

    /// `--index-snapshot FILE`: answer from the snapshot alone; indexes, find-links and pins
    /// are ignored (the snapshot already holds what they answered when it was recorded).
    pub fn snapshot(mut self, path: impl Into<PathBuf>) -> IndexConfig {
        self.snapshot = Some(path.into());
        self
    }

    /// Fills what the command line left unset from the environment, as uv's flags do
    /// (`UV_INDEX` for `--index`, and so on). `PIP_INDEX_URL` and `PIP_EXTRA_INDEX_URL`, which
    /// uv ignores, are honoured last so pip users' setups work. `lookup` reads a variable
    /// (empty values count as unset); relative paths resolve against `cwd`.
    pub fn with_env(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
        cwd: &Path,
    ) -> Result<IndexConfig, IndexError> {
        let get = |key: &str| {
            lookup(key)
                .filter(|value| !value.trim().is_empty())
                .map(|value| (key.to_string(), value))
        };
        if self.indexes.is_empty() {
            if let Some((key, value)) = get("UV_INDEX") {
                for entry in value.split_whitespace() {
                    self.indexes.push(IndexSpec::parse(entry, cwd, &key)?);
                }
            }
        }
        if self.extra_indexes.is_empty() {
            if let Some((key, value)) =
                get("UV_EXTRA_INDEX_URL").or_else(|| get("PIP_EXTRA_INDEX_URL"))
            {
                for entry in value.split_whitespace() {
                    let location =
                        Location::parse(entry, cwd).map_err(|err| IndexError::InvalidConfig {
                            setting: key.clone(),
                            value: entry.to_string(),
                            reason: err.to_string(),
                        })?;
                    self.extra_indexes.push(IndexSpec::new(location));
                }
            }
        }
        if self.default_index.is_none() {
            if let Some((key, value)) = get("UV_DEFAULT_INDEX") {
                let spec = IndexSpec::parse(value.trim(), cwd, &key)?;
                self = self.default_index(spec);
            }
        }
        if self.index_url.is_none() {
            if let Some((key, value)) = get("UV_INDEX_URL").or_else(|| get("PIP_INDEX_URL")) {
                let spec = IndexSpec::parse(value.trim(), cwd, &key)?;
                self = self.index_url(spec);
            }
        }
        if self.find_links.is_empty() {
            if let Some((key, value)) = get("UV_FIND_LINKS") {
                for entry in value
                    .split(',')
                    .map(str::trim)
                    .filter(|entry| !entry.is_empty())
                {
                    self = self.find_links_text(entry, cwd, &key)?;
                }
            }
        }
        Ok(self)
    }

    /// The indexes in search order; the last one with `default = true` is the default, and
    /// entries after it (other defaults, explicit ones) are there only for pins.
    pub fn ordered_indexes(&self) -> Vec<IndexSpec> {
        if self.no_index {
            return Vec::new();
        }
        let mut ordered: Vec<IndexSpec> = Vec::new();
        let mut pinned_only: Vec<IndexSpec> = Vec::new();
        for spec in self
            .indexes
            .iter()
            .chain(&self.project_indexes)
            .chain(&self.extra_indexes)
            .chain(&self.project_extra_indexes)
        {
            if spec.default || spec.explicit {
                pinned_only.push(spec.clone());
            } else {
                ordered.push(spec.clone());
            }
        }
        let default = self
            .default_index
            .clone()
            .or_else(|| {
                pinned_only
                    .iter()
                    .find(|spec| spec.default && !spec.explicit)
                    .cloned()
            })
            .or_else(|| self.index_url.clone())
            .or_else(|| self.project_default_index.clone());
        if let Some(default) = &default {
            pinned_only.retain(|spec| spec != default);
            ordered.push(default.clone());
        }
        ordered.extend(pinned_only);
        ordered
    }

    /// The find-links locations, in search order: the command line's (or the environment's),
    /// then the project's.
    pub fn find_links_locations(&self) -> Vec<Location> {
        self.find_links
            .iter()
            .chain(&self.project_find_links)
            .cloned()
            .collect()
    }

    /// The local registries written as an absolute path or a `file://` URL: find-links
    /// directories (through [`IndexConfig::find_links_text`] or `UV_FIND_LINKS`) and local
    /// indexes ([`IndexSpec::written_absolute`]). uv.lock spells them, and their files,
    /// absolute (`wslock_lock::PlanBuilder::absolute_registries`).
    pub fn absolute_local_registries(&self) -> Vec<PathBuf> {
        let indexes = self
            .indexes
            .iter()
            .chain(&self.extra_indexes)
            .chain(&self.default_index)
            .chain(&self.index_url)
            .chain(&self.project_indexes)
            .chain(&self.project_extra_indexes)
            .chain(&self.project_default_index)
            .filter(|spec| spec.written_absolute)
            .filter_map(|spec| spec.location.as_path().map(Path::to_path_buf));
        self.absolute_find_links
            .iter()
            .cloned()
            .chain(indexes)
            .collect()
    }

    /// Builds the sources. Nothing is fetched yet: sources fetch on the first question.
    pub fn build(&self, options: HttpOptions) -> Result<IndexSet, IndexError> {
        if let Some(path) = &self.snapshot {
            return IndexSet::builder()
                .default_index(None, Snapshot::read(path)?)
                .build();
        }
        let client = Arc::new(HttpClient::new(options));
        let mut builder = IndexSet::builder().strategy(self.strategy);
        let ordered = self.ordered_indexes();
        let default_position = ordered
            .iter()
            .position(|spec| spec.default && !spec.explicit);
        for (position, spec) in ordered.iter().enumerate() {
            let source = index_source(spec, &client);
            let name = spec.name.as_deref();
            builder = match name {
                Some(name) if spec.explicit => builder.explicit_index(name, source),
                _ if Some(position) == default_position || spec.default => {
                    builder.default_index(name, source)
                }
                _ => builder.index(name, source),
            };
        }
        for location in self.find_links.iter().chain(&self.project_find_links) {
            builder = builder.find_links(flat_source(location, &client));
        }
        if !self.no_index {
            for (package, index) in &self.pins {
                builder = builder.pin(package.clone(), index);
            }
        }
        builder.build()
    }
}

fn index_source(spec: &IndexSpec, client: &Arc<HttpClient>) -> Box<dyn PackageSource> {
    match spec.format {
        IndexFormat::Simple => Box::new(
            SimpleIndex::from_location(spec.location.clone(), client.clone())
                .ignore_error_codes(spec.ignore_error_codes.iter().copied()),
        ),
        IndexFormat::Flat => Box::new(flat_source(&spec.location, client)),
    }
}

fn flat_source(location: &Location, client: &Arc<HttpClient>) -> FlatIndex {
    match location {
        Location::Path(dir) => FlatIndex::directory(dir.clone()),
        Location::Url(url) => FlatIndex::page(url.clone(), client.clone()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        move |key| map.get(key).cloned()
    }

    fn urls(config: &IndexConfig) -> Vec<String> {
        config
            .ordered_indexes()
            .iter()
            .map(|spec| spec.location.to_string())
            .collect()
    }

    fn spec(url: &str) -> IndexSpec {
        IndexSpec::parse(url, Path::new("/cwd"), "test").unwrap()
    }

    #[test]
    fn environment_fills_unset_flags_in_uvs_order() {
        let config = IndexConfig::new()
            .with_env(
                env(&[
                    ("UV_INDEX", "a=http://h/x  http://h/y"),
                    ("UV_EXTRA_INDEX_URL", "http://h/e1 http://h/e2"),
                    ("PIP_EXTRA_INDEX_URL", "http://h/pip-extra"),
                    ("UV_INDEX_URL", "http://h/iu"),
                    ("UV_DEFAULT_INDEX", "http://h/di"),
                    ("PIP_INDEX_URL", "http://h/pip"),
                    ("UV_FIND_LINKS", "wheels, http://h/links.html"),
                ]),
                Path::new("/cwd"),
            )
            .unwrap();
        assert_eq!(
            urls(&config),
            [
                "http://h/x",
                "http://h/y",
                "http://h/e1",
                "http://h/e2",
                "http://h/di"
            ]
        );
        assert_eq!(config.ordered_indexes()[0].name.as_deref(), Some("a"));
        assert_eq!(
            config
                .find_links_locations()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["/cwd/wheels", "http://h/links.html"]
        );
        assert!(config.absolute_local_registries().is_empty());
    }

    #[test]
    fn find_links_written_absolutely_are_remembered() {
        let cwd = Path::new("/cwd");
        let config = IndexConfig::new()
            .find_links_text("/srv/links", cwd, "--find-links")
            .unwrap()
            .find_links_text("../rel", cwd, "--find-links")
            .unwrap()
            .find_links_text("file:///srv/other", cwd, "--find-links")
            .unwrap();
        assert_eq!(
            config.absolute_local_registries(),
            [PathBuf::from("/srv/links"), PathBuf::from("/srv/other")]
        );
        assert_eq!(
            config.find_links_locations()[1],
            Location::Path(PathBuf::from("/rel"))
        );
        let from_env = IndexConfig::new()
            .with_env(
                |key| (key == "UV_FIND_LINKS").then(|| "/srv/links,wheels".to_string()),
                cwd,
            )
            .unwrap();
        assert_eq!(
            from_env.absolute_local_registries(),
            [PathBuf::from("/srv/links")]
        );

        // Local indexes too, by how their location was written.
        let indexes = IndexConfig::new()
            .index(IndexSpec::parse("a=/srv/simple", cwd, "--index").unwrap())
            .extra_index(IndexSpec::parse("relative/simple", cwd, "--extra-index-url").unwrap())
            .default_index(IndexSpec::parse("file:///srv/default", cwd, "--index-url").unwrap())
            .extra_index(IndexSpec::parse("https://h/simple", cwd, "--index").unwrap());
        assert_eq!(
            indexes.absolute_local_registries(),
            [PathBuf::from("/srv/simple"), PathBuf::from("/srv/default")]
        );
    }

    #[test]
    fn pip_variables_are_the_last_resort_and_flags_beat_the_environment() {
        let pip = IndexConfig::new()
            .with_env(
                env(&[("PIP_INDEX_URL", "http://h/pip"), ("UV_INDEX_URL", "")]),
                Path::new("/"),
            )
            .unwrap();
        assert_eq!(urls(&pip), ["http://h/pip"]);

        let flags = IndexConfig::new()
            .default_index(spec("http://h/cli"))
            .index(spec("http://h/cli-index"))
            .with_env(
                env(&[
                    ("UV_DEFAULT_INDEX", "http://h/env"),
                    ("UV_INDEX", "http://h/env-index"),
                ]),
                Path::new("/"),
            )
            .unwrap();
        assert_eq!(urls(&flags), ["http://h/cli-index", "http://h/cli"]);
    }

    #[test]
    fn project_indexes_default_and_explicit() {
        let project_default = IndexSpec {
            default: true,
            name: Some("corp".into()),
            ..spec("http://h/corp")
        };
        let explicit = IndexSpec {
            explicit: true,
            name: Some("torch".into()),
            ..spec("http://h/torch")
        };
        let config = IndexConfig::new()
            .project_index(project_default.clone())
            .project_index(explicit.clone())
            .project_index(spec("http://h/extra"))
            .extra_index(spec("http://h/cli-extra"));
        assert_eq!(
            urls(&config),
            [
                "http://h/extra",
                "http://h/cli-extra",
                "http://h/corp",
                "http://h/torch"
            ]
        );

        // A command-line default replaces the project's, which stays available to pins.
        let replaced = config.clone().default_index(spec("http://h/cli-default"));
        assert_eq!(
            urls(&replaced),
            [
                "http://h/extra",
                "http://h/cli-extra",
                "http://h/cli-default",
                "http://h/corp",
                "http://h/torch"
            ]
        );
        assert!(IndexConfig::new()
            .no_index(true)
            .project_index(spec("http://h/x"))
            .ordered_indexes()
            .is_empty());
    }

    /// The project's `find-links`, `extra-index-url` and `index-url` (uv 0.13.8, observed with
    /// local indexes): they add up with the command line's, after it, and `index-url` is the
    /// default only when nothing else names one.
    #[test]
    fn project_sources_come_after_the_command_line() {
        let root = Path::new("/w/root");
        let config = IndexConfig::new()
            .find_links_text("cli-links", Path::new("/cwd"), "--find-links")
            .unwrap()
            .extra_index(spec("http://h/cli-extra"))
            .project_index(spec("http://h/project"))
            .project_find_links_text("../links", root, "find-links")
            .unwrap()
            .project_find_links_text("/srv/links", root, "find-links")
            .unwrap()
            .project_extra_index(spec("http://h/project-extra"))
            .project_default_index(spec("http://h/project-default"));
        assert_eq!(
            config
                .find_links_locations()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["/cwd/cli-links", "/w/links", "/srv/links"]
        );
        assert_eq!(
            config.absolute_local_registries(),
            [PathBuf::from("/srv/links")]
        );
        assert_eq!(
            urls(&config),
            [
                "http://h/project",
                "http://h/cli-extra",
                "http://h/project-extra",
                "http://h/project-default"
            ]
        );
        // The environment still fills what the flags left unset.
        let from_env = IndexConfig::new()
            .with_env(env(&[("UV_FIND_LINKS", "env-links")]), Path::new("/cwd"))
            .unwrap()
            .project_find_links_text("links", root, "find-links")
            .unwrap();
        assert_eq!(
            from_env
                .find_links_locations()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["/cwd/env-links", "/w/root/links"]
        );

        // `--index-url`, `--default-index` and a `default = true` index all beat `index-url`.
        for cli in [
            config.clone().default_index(spec("http://h/cli-default")),
            config.clone().index_url(spec("http://h/cli-default")),
        ] {
            assert_eq!(urls(&cli).last().unwrap(), "http://h/cli-default");
            assert!(!urls(&cli).contains(&"http://h/project-default".to_string()));
        }
        let corp = IndexSpec {
            default: true,
            ..spec("http://h/corp")
        };
        let project_default = config.clone().project_index(corp.clone());
        assert_eq!(urls(&project_default).last().unwrap(), "http://h/corp");
        // Between the command line's two spellings and a `default = true` index, uv 0.13.8 takes
        // `--default-index` (and `UV_DEFAULT_INDEX`, even over `--index-url`) first, then the
        // project's default, then `--index-url` (and `UV_INDEX_URL`).
        let over_index_url = project_default.clone().index_url(spec("http://h/cli"));
        assert_eq!(urls(&over_index_url).last().unwrap(), "http://h/corp");
        let from_env = project_default
            .clone()
            .with_env(env(&[("UV_INDEX_URL", "http://h/env")]), Path::new("/"))
            .unwrap();
        assert_eq!(urls(&from_env).last().unwrap(), "http://h/corp");
        let env_default = IndexConfig::new()
            .index_url(spec("http://h/cli"))
            .project_index(corp)
            .with_env(env(&[("UV_DEFAULT_INDEX", "http://h/env")]), Path::new("/"))
            .unwrap();
        // The project's default stays listed after it, for pins only.
        assert_eq!(urls(&env_default), ["http://h/env", "http://h/corp"]);
        // `no-index` leaves only the find-links.
        let none = config.no_index(true);
        assert!(none.ordered_indexes().is_empty());
        assert_eq!(none.find_links_locations().len(), 3);
    }

    #[test]
    fn index_names_and_bad_values() {
        let named = spec("internal=https://h/simple?token=a=b");
        assert_eq!(named.name.as_deref(), Some("internal"));
        assert_eq!(named.location.to_string(), "https://h/simple?token=a=b");
        let unnamed = spec("https://h/simple?token=a=b");
        assert_eq!(unnamed.name, None);
        let err = IndexConfig::new()
            .with_env(env(&[("UV_DEFAULT_INDEX", "http://[oops")]), Path::new("/"))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid UV_DEFAULT_INDEX `http://[oops`"),
            "{err}"
        );
    }
}
