//! The whole pipeline for library users: discover → merge → sources → resolve → plan.
//!
//! Each step can also be taken on its own: here the merge is done first (to look at the
//! requirements), and the resolution is watched by a [`SourceObserver`], as the CLI's progress
//! line does.
//!
//! ```
//! use std::path::Path;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use wslock::graph::{Selection, WorkspaceGraph};
//! use wslock::pipeline::{plan_graph_observed, SourceObserver, SourceOptions};
//! use wslock::pep::PackageName;
//! use wslock::workspace::{discover, CeilingSettings, DiscoveryOptions};
//!
//! #[derive(Default)]
//! struct Count(AtomicUsize);
//! impl SourceObserver for Count {
//!     fn versions(&self, _: &PackageName) {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!     }
//! }
//!
//! let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").canonicalize()?;
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&testdata));
//! let found = discover(&testdata.join("plans/diamond"), &options)?;
//! let graph = WorkspaceGraph::build(found.workspace(), &Selection::All)?;
//! assert_eq!(graph.members().len(), 3);
//!
//! let wheels = testdata.join("find-links");
//! let sources = SourceOptions::new().no_index(true).find_links(wheels.to_str().unwrap());
//! let count = Count::default();
//! let planned = plan_graph_observed(found.workspace(), graph, &sources, &Default::default(), &count)?;
//! assert!(count.0.load(Ordering::Relaxed) > 0);
//! assert!(planned.plan.to_toml().starts_with("version = 1\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wslock_graph::{RequirementSource, Selection, WorkspaceGraph};
use wslock_index::{
    CoreMetadata, DistFile, HttpOptions, IndexConfig, IndexError, IndexFormat, IndexSet, IndexSpec,
    Location, PackageSource, PackageVersions, Sha256Digest,
};
use wslock_lock::{LockError, LockPlan};
use wslock_pep::{PackageName, Version};
use wslock_resolve::{PackageSet, PrereleaseMode, ResolutionMode, ResolveError, ResolverOptions};
use wslock_workspace::pyproject::{Index, IndexFormat as ManifestIndexFormat, ToolUv};
use wslock_workspace::Workspace;

/// Where packages come from, as a user states it on the command line (the environment and the
/// workspace's `[[tool.uv.index]]` tables, `find-links`, `extra-index-url`, `index-url` and
/// `no-index` are added by [`index_set`]).
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    find_links: Vec<String>,
    indexes: Vec<String>,
    extra_index_urls: Vec<String>,
    default_index: Option<String>,
    index_url: Option<String>,
    snapshot: Option<PathBuf>,
    no_index: bool,
    offline: bool,
    use_environment: bool,
}

impl SourceOptions {
    /// Nothing configured, and the environment ignored.
    pub fn new() -> Self {
        Self::default()
    }

    /// `--find-links`: a directory (or flat page URL) of wheels and sdists. Repeatable.
    pub fn find_links(mut self, location: impl Into<String>) -> Self {
        self.find_links.push(location.into());
        self
    }

    /// `--index [name=]URL`: searched first. Repeatable.
    pub fn index(mut self, url: impl Into<String>) -> Self {
        self.indexes.push(url.into());
        self
    }

    /// `--extra-index-url URL`. Repeatable.
    pub fn extra_index_url(mut self, url: impl Into<String>) -> Self {
        self.extra_index_urls.push(url.into());
        self
    }

    /// `--default-index URL`: the index searched last, over the project's `default = true`
    /// index.
    pub fn default_index(mut self, url: impl Into<String>) -> Self {
        self.default_index = Some(url.into());
        self
    }

    /// `--index-url URL`: the index searched last, unless the project has a `default = true`
    /// index (uv 0.13.8 keeps the project's then).
    pub fn index_url(mut self, url: impl Into<String>) -> Self {
        self.index_url = Some(url.into());
        self
    }

    /// `--index-snapshot FILE`: a JSON snapshot instead of any index.
    pub fn snapshot(mut self, path: impl Into<PathBuf>) -> Self {
        self.snapshot = Some(path.into());
        self
    }

    /// `--no-index`: ignore every index (find-links and snapshots still apply).
    pub fn no_index(mut self, no_index: bool) -> Self {
        self.no_index = no_index;
        self
    }

    /// `--offline`: answer from the cache only.
    pub fn offline(mut self, offline: bool) -> Self {
        self.offline = offline;
        self
    }

    /// Also read `UV_INDEX`, `UV_INDEX_URL`, `UV_DEFAULT_INDEX`, `PIP_INDEX_URL`, ... for what
    /// the options leave unset, as the CLI does.
    pub fn with_environment(mut self) -> Self {
        self.use_environment = true;
        self
    }
}

/// Why the pipeline stopped after discovery.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Merging the requirements failed.
    #[error(transparent)]
    Graph(#[from] wslock_graph::GraphError),
    /// The package sources could not be set up or answered with an error.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// No solution, or the resolver failed.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// The plan could not be built.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A setting that changes what uv locks, which wslock does not implement: refusing it is
    /// better than writing a lock uv would not write.
    #[error("`{key}` in `{}` is not supported by wslock yet", path.display())]
    UnsupportedSetting {
        /// The setting, with its value when that is what is unsupported.
        key: String,
        /// The file that sets it.
        path: PathBuf,
    },
}

impl PlanError {
    /// A one-line suggestion for fixing the problem.
    pub fn hint(&self) -> String {
        match self {
            Self::Graph(error) => error.hint(),
            Self::Index(error) => error.hint(),
            Self::Resolve(error) => error.hint(),
            Self::Lock(error) => error.hint().to_string(),
            Self::UnsupportedSetting { .. } => {
                "remove the setting to plan with wslock, or lock this workspace with uv".into()
            }
        }
    }

    /// Whether it means "no solution" (exit status 1) rather than bad input (2).
    pub fn is_unsolvable(&self) -> bool {
        matches!(self, Self::Resolve(ResolveError::NoSolution { .. }))
    }
}

/// What [`plan_workspace`] produces.
#[derive(Debug)]
pub struct Planned {
    /// The merged requirements (warnings included).
    pub graph: WorkspaceGraph,
    /// The lock plan.
    pub plan: LockPlan,
}

/// Settings for [`plan_workspace`] besides the sources.
#[derive(Debug, Clone, Default)]
pub struct PlanSettings {
    /// Which members.
    pub selection: Selection,
    /// Resolver settings.
    pub resolver: ResolverOptions,
}

/// The resolver settings of the workspace's configuration (`[tool.uv]` of the root, or its
/// `uv.toml`): `resolution`, `prerelease`, `environments` and `fork-strategy =
/// "requires-python"` are honoured, and so are `no-build`/`no-binary` and their `-package`
/// forms, which change uv's lock too: a version without a wheel (without an sdist) is skipped.
/// Settings that change a uv lock and that wslock does not implement are refused.
pub fn configured_resolver_options(workspace: &Workspace) -> Result<ResolverOptions, PlanError> {
    let mut options = ResolverOptions::default();
    let Some(configuration) = workspace.configuration() else {
        return Ok(options);
    };
    let settings = &configuration.settings.resolver;
    let unsupported = |key: String| PlanError::UnsupportedSetting {
        key,
        path: configuration.path.clone(),
    };
    if let Some(key) = settings.lock_affecting.first() {
        return Err(unsupported((*key).to_string()));
    }
    if settings.fork_strategy.as_deref() == Some("fewest") {
        return Err(unsupported("fork-strategy = \"fewest\"".into()));
    }
    if settings.index_strategy.as_deref() == Some("unsafe-first-match") {
        return Err(unsupported(
            "index-strategy = \"unsafe-first-match\"".into(),
        ));
    }
    options.resolution = match settings.resolution.as_deref() {
        Some("lowest") => ResolutionMode::Lowest,
        Some("lowest-direct") => ResolutionMode::LowestDirect,
        _ => ResolutionMode::Highest,
    };
    options.prerelease = match settings.prerelease.as_deref() {
        Some("disallow") => PrereleaseMode::Disallow,
        Some("allow") => PrereleaseMode::Allow,
        Some("if-necessary") => PrereleaseMode::IfNecessary,
        Some("explicit") => PrereleaseMode::Explicit,
        _ => PrereleaseMode::IfNecessaryOrExplicit,
    };
    options.environments = settings.environments.clone();
    options.no_build = PackageSet::new(settings.no_build, &settings.no_build_package);
    options.no_binary = PackageSet::new(settings.no_binary, &settings.no_binary_package);
    Ok(options)
}

/// Merges, resolves and plans `workspace` against the sources `options` describe.
pub fn plan_workspace(
    workspace: &Workspace,
    options: &SourceOptions,
    settings: &PlanSettings,
) -> Result<Planned, PlanError> {
    let graph = WorkspaceGraph::build(workspace, &settings.selection)?;
    plan_graph(workspace, graph, options, settings)
}

/// Resolves and plans an already merged workspace.
pub fn plan_graph(
    workspace: &Workspace,
    graph: WorkspaceGraph,
    options: &SourceOptions,
    settings: &PlanSettings,
) -> Result<Planned, PlanError> {
    plan_graph_observed(workspace, graph, options, settings, &())
}

/// What the resolver asks the package sources for, as it asks: for a progress display.
///
/// Sources memoise their answers, so a call is not necessarily a fetch, but the first call for
/// a package (or a version's metadata) is the one that goes to the disk or the network. Calls
/// come from rayon's threads, hence `Sync`. `()` observes nothing.
pub trait SourceObserver: Sync {
    /// The resolver asked which versions of `name` exist.
    fn versions(&self, name: &PackageName) {
        let _ = name;
    }
    /// The resolver asked for the metadata of `name` `version`.
    fn metadata(&self, name: &PackageName, version: &Version) {
        let _ = (name, version);
    }
}

impl SourceObserver for () {}

/// [`plan_graph`], telling `observer` about each question put to the package sources.
pub fn plan_graph_observed(
    workspace: &Workspace,
    graph: WorkspaceGraph,
    options: &SourceOptions,
    settings: &PlanSettings,
    observer: &dyn SourceObserver,
) -> Result<Planned, PlanError> {
    let config = index_config(workspace, &graph, options)?;
    let sources = Observed {
        source: config.build(HttpOptions::new().offline(options.offline))?,
        observer,
    };
    let resolution = wslock_resolve::resolve(&graph, &sources, &settings.resolver)?;
    // uv writes a find-links directory or local index given as an absolute path absolute, and
    // `uv lock --locked` rejects the other spelling.
    let plan = LockPlan::builder(&resolution, &graph)
        .workspace(workspace)
        .absolute_registries(config.absolute_local_registries())
        .build()?;
    // The resolution and the sources' memo (every package's metadata) are garbage now;
    // freeing them took 3 ms of a 1,000-member plan that nothing needs to wait for.
    let Observed { source, .. } = sources;
    rayon::spawn(move || drop((resolution, source)));
    Ok(Planned { graph, plan })
}

/// The package sources for a workspace: command line, then environment, then the workspace's
/// own `[[tool.uv.index]]` tables and source settings (from its configuration, R4.6), with
/// packages pinned by `{ index = "name" }` sources.
pub fn index_set(
    workspace: &Workspace,
    graph: &WorkspaceGraph,
    options: &SourceOptions,
) -> Result<IndexSet, PlanError> {
    let config = index_config(workspace, graph, options)?;
    Ok(config.build(HttpOptions::new().offline(options.offline))?)
}

/// The configuration [`index_set`] builds its sources from; it also knows which local
/// registries were written absolutely, which the plan spells as written.
fn index_config(
    workspace: &Workspace,
    graph: &WorkspaceGraph,
    options: &SourceOptions,
) -> Result<IndexConfig, PlanError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| workspace.root().to_path_buf());
    // `no-index = true` in the configuration turns indexes off whatever the command line says
    // (uv 0.13.8 ignores `--index-url` then); `--no-index` wins over `no-index = false`.
    let configured_no_index = workspace
        .configuration()
        .is_some_and(|configuration| configuration.settings.resolver.sources.no_index);
    let mut config = IndexConfig::new().no_index(options.no_index || configured_no_index);
    for text in &options.indexes {
        config = config.index(IndexSpec::parse(text, &cwd, "--index")?);
    }
    for text in &options.extra_index_urls {
        config = config.extra_index(IndexSpec::parse(text, &cwd, "--extra-index-url")?);
    }
    if let Some(text) = &options.default_index {
        config = config.default_index(IndexSpec::parse(text, &cwd, "--default-index")?);
    }
    if let Some(text) = &options.index_url {
        config = config.index_url(IndexSpec::parse(text, &cwd, "--index-url")?);
    }
    for text in &options.find_links {
        config = config.find_links_text(text, &cwd, "--find-links")?;
    }
    if let Some(path) = &options.snapshot {
        config = config.snapshot(absolute(path, &cwd));
    }
    if options.use_environment {
        config = config.with_env(|key| std::env::var(key).ok(), &cwd)?;
    }
    let mut project_names: Vec<String> = Vec::new();
    if let Some(configuration) = workspace.configuration() {
        let base = configuration.path.parent().unwrap_or(workspace.root());
        for index in &configuration.settings.index {
            project_names.extend(index.name.clone());
            config = config.project_index(index_spec(index, base)?);
        }
        config = configured_sources(config, &configuration.path, base, &configuration.settings)?;
    }
    // Packages pinned to a named index; an index declared only in a member is added as an
    // explicit index, so only its pinned packages use it (R4.6).
    for requirement in graph.requirements() {
        if let RequirementSource::Registry {
            index: Some(pin), ..
        } = &requirement.source
        {
            if !project_names.contains(&pin.name) {
                let mut spec = IndexSpec::new(location(&pin.url, workspace.root())?);
                spec.written_absolute = Location::is_written_absolute(&pin.url);
                spec.name = Some(pin.name.clone());
                spec.explicit = true;
                config = config.project_index(spec);
                project_names.push(pin.name.clone());
            }
            config = config.pin(requirement.name.clone(), &pin.name);
        }
    }
    let unsafe_best_match = workspace
        .configuration()
        .and_then(|configuration| configuration.settings.resolver.index_strategy.as_deref())
        == Some("unsafe-best-match");
    if unsafe_best_match {
        config = config.strategy(wslock_index::IndexStrategy::UnsafeBestMatch);
    }
    Ok(config)
}

/// Adds the configuration's `find-links`, `extra-index-url` and `index-url` (read from the file
/// at `path`; relative locations resolve against `base`, its directory, wherever wslock runs)
/// after what the command line and the environment configured, as uv 0.13.8 does.
fn configured_sources(
    mut config: IndexConfig,
    path: &Path,
    base: &Path,
    settings: &ToolUv,
) -> Result<IndexConfig, IndexError> {
    let sources = &settings.resolver.sources;
    let is_uv_toml = path.file_name().is_some_and(|name| name == "uv.toml");
    let setting = |key: &str| {
        let key = if is_uv_toml {
            key.to_string()
        } else {
            format!("tool.uv.{key}")
        };
        format!("`{key}` in {}", path.display())
    };
    for text in &sources.find_links {
        config = config.project_find_links_text(text, base, &setting("find-links"))?;
    }
    for text in &sources.extra_index_url {
        config = config.project_extra_index(unnamed_spec(text, base, &setting("extra-index-url"))?);
    }
    if let Some(text) = &sources.index_url {
        config = config.project_default_index(unnamed_spec(text, base, &setting("index-url"))?);
    }
    Ok(config)
}

/// An unnamed index at `text` (`index-url` and `extra-index-url` take no `name=` prefix).
fn unnamed_spec(text: &str, base: &Path, setting: &str) -> Result<IndexSpec, IndexError> {
    let location = Location::parse(text, base).map_err(|error| IndexError::InvalidConfig {
        setting: setting.to_string(),
        value: text.to_string(),
        reason: error.to_string(),
    })?;
    Ok(IndexSpec {
        written_absolute: Location::is_written_absolute(text),
        ..IndexSpec::new(location)
    })
}

/// A package source that reports each question to an observer before answering it.
struct Observed<'a, S> {
    source: S,
    observer: &'a dyn SourceObserver,
}

impl<S: PackageSource> PackageSource for Observed<'_, S> {
    fn warm_up(&self) -> wslock_index::WarmUp {
        self.source.warm_up()
    }

    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        self.observer.versions(name);
        self.source.versions(name)
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        self.observer.metadata(name, version);
        self.source.metadata(name, version)
    }

    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        self.source.sha256(file)
    }
}

fn index_spec(index: &Index, base: &Path) -> Result<IndexSpec, IndexError> {
    let mut spec = IndexSpec::new(location(&index.url, base)?);
    spec.written_absolute = Location::is_written_absolute(&index.url);
    spec.name = index.name.clone();
    spec.default = index.default;
    spec.explicit = index.explicit;
    spec.format = match index.format {
        ManifestIndexFormat::Simple => IndexFormat::Simple,
        ManifestIndexFormat::Flat => IndexFormat::Flat,
    };
    Ok(spec)
}

fn location(text: &str, base: &Path) -> Result<Location, IndexError> {
    Location::parse(text, base).map_err(|error| IndexError::InvalidConfig {
        setting: "location".into(),
        value: text.to_string(),
        reason: error.to_string(),
    })
}

fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    wslock_workspace::paths::absolute_from(path, cwd)
}
