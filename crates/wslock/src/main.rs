//! The `wslock` command line.

mod cli;

/// jemalloc instead of the system allocator, as uv uses on Unix: a plan allocates and frees
/// millions of small names, versions and ranges, and glibc's malloc was about a quarter of a
/// 1,000-member plan's time; jemalloc makes the whole plan about a fifth faster at the same
/// peak memory (docs/performance.md). MSVC targets keep the system allocator (jemalloc does
/// not build there).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts (its `malloc_conf`, under the prefixed name the
/// crate builds it with). One arena: wslock runs a few threads for a fraction of a second, and
/// jemalloc's default of four arenas per core cost a tenth more peak memory at 1,000 members
/// for no measurable speed. `_RJEM_MALLOC_CONF` in the environment still overrides it.
#[cfg(not(target_env = "msvc"))]
#[used]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_SETTINGS: &[u8; 10] = b"narenas:1\0";

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use cli::color::{ColorChoice, Palette};
use cli::diagnostic;
use cli::progress::Progress;
use wslock::pipeline::{
    configured_resolver_options, plan_graph_observed, PlanError, PlanSettings, SourceOptions,
};
use wslock::report::{GraphReport, MembersReport, RequirementsReport};
use wslock::workspace::{
    CeilingSettings, Discovered, DiscoveryError, DiscoveryOptions, WorkspaceCache,
};
use wslock_graph::{GraphError, Selection, WorkspaceGraph};
use wslock_pep::PackageName;
use wslock_resolve::{PrereleaseMode, ResolutionMode, ResolverOptions};

/// Plan the lockfile of a Python monorepo (uv-style workspaces).
#[derive(Debug, Parser)]
#[command(
    name = "wslock",
    version,
    propagate_version = true,
    after_help = "Examples:\n  wslock members\n  wslock plan --find-links wheels/ --output uv.lock\n  wslock --root ~/src graph --format dot\n  wslock completions bash > ~/.local/share/bash-completion/completions/wslock\n\nExit status: 0 success, 1 no solution, 2 bad input or usage.\n\nEnvironment:\n  WSLOCK_ROOTS  ceiling roots, `:`-separated (default: your home directory)\n  WSLOCK_LOG    a tracing filter for stderr, overriding -v/-q (e.g. `wslock_index=debug`)\n  NO_COLOR      no colours with `--color auto`\n\nDocumentation: docs/cli.md"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
struct GlobalArgs {
    /// Add a ceiling root: upward searches never read above it (repeatable; adds to WSLOCK_ROOTS).
    #[arg(long = "root", value_name = "DIR", global = true)]
    roots: Vec<PathBuf>,
    /// Treat the start project as a workspace of its own: no upward search, no members.
    #[arg(long, global = true)]
    no_workspace: bool,
    /// Change to this directory before doing anything.
    #[arg(long, value_name = "DIR", global = true)]
    directory: Option<PathBuf>,
    /// More output on stderr (repeat for more).
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    verbose: u8,
    /// Print only errors on stderr.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// When to colour `error:`, `warning:` and `hint:` on stderr (`auto` honours `NO_COLOR`).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
}

impl GlobalArgs {
    /// How stderr is drawn: colours per `--color` and `NO_COLOR`, and prose wrapped to the
    /// terminal's width only when stderr is a terminal.
    fn style(&self) -> diagnostic::Style {
        let stderr = std::io::stderr();
        let is_terminal = stderr.is_terminal();
        let no_color = std::env::var("NO_COLOR").ok();
        let width = is_terminal
            .then(|| terminal_size::terminal_size_of(&stderr))
            .flatten()
            .map(|(width, _)| usize::from(width.0));
        diagnostic::Style {
            palette: Palette::new(self.color.enabled(is_terminal, no_color.as_deref())),
            width,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the workspace a directory belongs to: its root, kind and members.
    #[command(
        after_help = "Examples:\n  wslock members\n  wslock members packages/api --format json\n  wslock --root ~/src members\n\nExit status: 0 success, 2 bad input."
    )]
    Members {
        /// Where discovery starts (a directory or a pyproject.toml); defaults to the current one.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show the member graph: which members require which, through what, and cycles.
    #[command(
        after_help = "Examples:\n  wslock graph\n  wslock graph --format dot | dot -Tsvg > graph.svg\n  wslock graph --package api --format json\n\nExit status: 0 success, 2 bad input."
    )]
    Graph {
        /// Where discovery starts; defaults to the current directory.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
        format: GraphFormat,
        /// Only this member and the members it reaches.
        #[arg(long, value_name = "NAME", value_parser = parse_package)]
        package: Option<PackageName>,
    },
    /// Resolve the workspace into a universal lock plan and print it (uv.lock-shaped TOML).
    #[command(
        after_help = "Examples:\n  wslock plan --find-links wheels/\n  wslock plan --index-url https://pypi.org/simple --output uv.lock\n  wslock plan --index-snapshot index.json --diff\n\nExit status: 0 planned, 1 no solution, 2 bad input."
    )]
    Plan {
        /// Where discovery starts; defaults to the current directory.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Only this member and the members it reaches.
        #[arg(long, value_name = "NAME", value_parser = parse_package)]
        package: Option<PackageName>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Toml)]
        format: PlanFormat,
        /// Write the plan to this file (atomically: a temporary file, then a rename).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Show which packages would be added, removed or change version compared with the
        /// `uv.lock` in the workspace root, instead of the plan.
        #[arg(long)]
        diff: bool,
        /// Which versions to prefer (uv's `--resolution`).
        #[arg(long, value_enum)]
        resolution: Option<ResolutionArg>,
        /// When pre-releases may be chosen (uv's `--prerelease`).
        #[arg(long, value_enum)]
        prerelease: Option<PrereleaseArg>,
        // Last, so that the heading it sets applies to it alone.
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Show every requirement of the workspace, merged, with where it came from and its source.
    #[command(
        after_help = "Examples:\n  wslock requirements\n  wslock requirements --package api --format json\n\nExit status: 0 success, 2 bad input."
    )]
    Requirements {
        /// Where discovery starts; defaults to the current directory.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Only this member and the members it reaches.
        #[arg(long, value_name = "NAME", value_parser = parse_package)]
        package: Option<PackageName>,
    },
    /// Print a shell completion script to standard output.
    #[command(
        after_help = "Examples:\n  wslock completions bash > ~/.local/share/bash-completion/completions/wslock\n  wslock completions zsh > ~/.zfunc/_wslock    # with `fpath+=~/.zfunc` before `compinit`\n  wslock completions fish > ~/.config/fish/completions/wslock.fish\n  wslock completions powershell >> $PROFILE\n  wslock completions elvish >> ~/.config/elvish/rc.elv"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where packages come from.
#[derive(Debug, Args)]
#[command(next_help_heading = "Package sources")]
struct SourceArgs {
    /// A directory (or flat HTML page) of wheels and sdists; repeatable.
    #[arg(long = "find-links", short = 'f', value_name = "DIR")]
    find_links: Vec<String>,
    /// An index searched first (`[NAME=]URL`); repeatable.
    #[arg(long = "index", value_name = "[NAME=]URL")]
    indexes: Vec<String>,
    /// The default index, searched last, unless the project has a `default = true` index.
    #[arg(long = "index-url", value_name = "URL")]
    index_url: Option<String>,
    /// The default index, searched last, even over the project's `default = true` index.
    #[arg(long = "default-index", value_name = "URL")]
    default_index: Option<String>,
    /// An extra index; repeatable.
    #[arg(long = "extra-index-url", value_name = "URL")]
    extra_index_urls: Vec<String>,
    /// A JSON snapshot of package metadata (docs/index-snapshot.md) instead of an index.
    #[arg(long = "index-snapshot", value_name = "FILE")]
    index_snapshot: Option<PathBuf>,
    /// Ignore every index; only find-links and snapshots are used.
    #[arg(long)]
    no_index: bool,
    /// Use cached index responses only.
    #[arg(long)]
    offline: bool,
}

impl SourceArgs {
    fn options(&self) -> SourceOptions {
        let mut options = SourceOptions::new()
            .no_index(self.no_index)
            .offline(self.offline)
            .with_environment();
        for location in &self.find_links {
            options = options.find_links(location.clone());
        }
        for index in &self.indexes {
            options = options.index(index.clone());
        }
        for url in &self.extra_index_urls {
            options = options.extra_index_url(url.clone());
        }
        if let Some(url) = &self.index_url {
            options = options.index_url(url.clone());
        }
        if let Some(url) = &self.default_index {
            options = options.default_index(url.clone());
        }
        if let Some(path) = &self.index_snapshot {
            options = options.snapshot(path.clone());
        }
        options
    }
}

/// `--package` takes a PEP 508 name, checked and normalised like names in manifests.
fn parse_package(text: &str) -> Result<PackageName, String> {
    wslock_pep::package_name(text).map_err(|error| error.to_string())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlanFormat {
    Toml,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ResolutionArg {
    Highest,
    Lowest,
    LowestDirect,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PrereleaseArg {
    Disallow,
    Allow,
    IfNecessary,
    Explicit,
    IfNecessaryOrExplicit,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum GraphFormat {
    Text,
    Dot,
    Json,
}

/// Exit status for bad input or usage, as documented in the README.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit status when the requirements have no solution.
const EXIT_UNSOLVABLE: u8 = 1;

/// Anything that stops a command, from any stage.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("cannot read `{}`: {source}", path.display())]
    ReadLock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Lock(#[from] wslock_lock::LockError),
    #[error("cannot change to directory `{}`: {source}", path.display())]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

impl CliError {
    /// Where in the manifests the error is, when that can be shown. `manifests` are the two
    /// manifests of a duplicate member ([`Self::duplicate_manifests`]).
    fn pointer<'a>(&'a self, manifests: &'a [PathBuf; 2]) -> Option<diagnostic::Pointer<'a>> {
        match self {
            Self::Discovery(DiscoveryError::Manifest(error)) => {
                diagnostic::Pointer::manifest(error)
            }
            Self::Discovery(error) => diagnostic::Pointer::discovery(error, manifests),
            Self::Graph(error) | Self::Plan(PlanError::Graph(error)) => {
                diagnostic::Pointer::graph(error)
            }
            _ => None,
        }
    }

    /// The manifests of the two members that share a name, for [`Self::pointer`].
    fn duplicate_manifests(&self) -> [PathBuf; 2] {
        match self {
            Self::Discovery(DiscoveryError::DuplicateMember { first, second, .. }) => {
                [first.join("pyproject.toml"), second.join("pyproject.toml")]
            }
            _ => Default::default(),
        }
    }

    fn hint(&self) -> String {
        match self {
            Self::Discovery(error) => error.hint(),
            Self::Graph(error) => error.hint(),
            Self::Plan(error) => error.hint(),
            Self::ReadLock { .. } => {
                "`--diff` compares with the `uv.lock` in the workspace root; create one first"
                    .into()
            }
            Self::Lock(error) => error.hint().to_string(),
            Self::Directory { .. } => "check the `--directory` argument".into(),
            Self::Output(_) => "check that standard output can be written".into(),
        }
    }
}

fn main() -> ExitCode {
    // `--color` is read before clap parses, so that clap's own help and usage errors follow it
    // too. Usage errors exit with status 2, as documented.
    let color = ColorChoice::from_args(std::env::args_os());
    let matches = Cli::command().color(color.for_clap()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let style = cli.global.style();
    init_tracing(&cli.global, style.palette.enabled());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let manifests = error.duplicate_manifests();
            let pointer = error.pointer(&manifests);
            let report = diagnostic::render(&error.to_string(), &error.hint(), pointer, style);
            eprint!("{report}");
            let unsolvable = matches!(&error, CliError::Plan(plan) if plan.is_unsolvable());
            ExitCode::from(if unsolvable {
                EXIT_UNSOLVABLE
            } else {
                EXIT_BAD_INPUT
            })
        }
    }
}

/// `-v` shows wslock's own info events, `-vv` its debug events, `-vvv` every crate's debug
/// events (PubGrub's included, which are many), `-vvvv` everything; `-q` errors only.
/// `WSLOCK_LOG` (an `EnvFilter` such as `wslock_index=trace`) replaces all of that.
fn init_tracing(global: &GlobalArgs, ansi: bool) {
    const OURS: [&str; 7] = [
        "wslock",
        "wslock_pep",
        "wslock_workspace",
        "wslock_graph",
        "wslock_index",
        "wslock_resolve",
        "wslock_lock",
    ];
    let ours = |level: &str| {
        let mut filter = String::from("warn");
        for name in OURS {
            filter.push_str(&format!(",{name}={level}"));
        }
        filter
    };
    let filter = match (global.quiet, global.verbose) {
        (true, _) => "error".to_owned(),
        (false, 0) => "warn".to_owned(),
        (false, 1) => ours("info"),
        (false, 2) => ours("debug"),
        (false, 3) => "debug".to_owned(),
        _ => "trace".to_owned(),
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WSLOCK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .without_time()
        .with_target(global.verbose >= 2)
        .init();
}

/// Discovery as every command does it, printing its warnings.
fn discovery_options(global: &GlobalArgs) -> DiscoveryOptions {
    let ceilings = global
        .roots
        .iter()
        .fold(CeilingSettings::from_env(), |settings, root| {
            settings.with_root(root)
        });
    DiscoveryOptions::new()
        .ceilings(ceilings)
        .no_workspace(global.no_workspace)
}

fn discover_with(
    global: &GlobalArgs,
    cache: &WorkspaceCache,
    options: &DiscoveryOptions,
    dir: Option<PathBuf>,
) -> Result<Discovered, CliError> {
    let start = dir.unwrap_or_else(|| PathBuf::from("."));
    let found = cache.discover(&start, options)?;
    warn(global, found.warnings());
    Ok(found)
}

fn discover(global: &GlobalArgs, dir: Option<PathBuf>) -> Result<Discovered, CliError> {
    discover_with(
        global,
        &WorkspaceCache::new(),
        &discovery_options(global),
        dir,
    )
}

/// Discovery and the merge, printing the warnings of both. `workspace = "<path>"` sources are
/// discovered with the same cache and ceilings (all members, whatever `--no-workspace` says
/// about the start project).
fn merge(
    global: &GlobalArgs,
    dir: Option<PathBuf>,
    selection: &Selection,
) -> Result<(Discovered, WorkspaceGraph), CliError> {
    let cache = WorkspaceCache::new();
    let options = discovery_options(global);
    let found = discover_with(global, &cache, &options, dir)?;
    let external_options = options.clone().no_workspace(false);
    let discover_external = |path: &std::path::Path| {
        cache
            .discover(path, &external_options)
            .map(|found| found.workspace().clone())
    };
    let merged = WorkspaceGraph::builder(found.workspace())
        .selection(selection.clone())
        .external_workspaces(&discover_external)
        .build()?;
    warn(global, merged.warnings());
    Ok((found, merged))
}

/// `--package NAME` as a selection.
fn selection(package: Option<PackageName>) -> Selection {
    package.map_or(Selection::All, Selection::Package)
}

fn warn<W: std::fmt::Display>(global: &GlobalArgs, warnings: &[W]) {
    if !global.quiet {
        let palette = global.style().palette;
        for warning in warnings {
            eprint!("{}", diagnostic::warning(&warning.to_string(), palette));
        }
    }
}

/// Writes a command's output. A reader that went away (`wslock graph | head`) is not an error:
/// the output was wanted only that far.
fn emit(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Output(error))
        }
        _ => Ok(()),
    }
}

/// The workspace's configured options, with the command line's on top (as in uv).
fn resolver_options(
    mut options: ResolverOptions,
    resolution: Option<ResolutionArg>,
    prerelease: Option<PrereleaseArg>,
) -> ResolverOptions {
    if let Some(resolution) = resolution {
        options.resolution = match resolution {
            ResolutionArg::Highest => ResolutionMode::Highest,
            ResolutionArg::Lowest => ResolutionMode::Lowest,
            ResolutionArg::LowestDirect => ResolutionMode::LowestDirect,
        };
    }
    if let Some(prerelease) = prerelease {
        options.prerelease = match prerelease {
            PrereleaseArg::Disallow => PrereleaseMode::Disallow,
            PrereleaseArg::Allow => PrereleaseMode::Allow,
            PrereleaseArg::IfNecessary => PrereleaseMode::IfNecessary,
            PrereleaseArg::Explicit => PrereleaseMode::Explicit,
            PrereleaseArg::IfNecessaryOrExplicit => PrereleaseMode::IfNecessaryOrExplicit,
        };
    }
    options
}

/// Leaves `value` for the process exit to reclaim: `run` returns to `main`, which exits, and
/// freeing a large workspace and plan piece by piece first took about 2% of a 1,000-member
/// plan and 5% of its discovery.
fn left_for_exit<T>(value: T) {
    std::mem::forget(value);
}

fn run(cli: Cli) -> Result<(), CliError> {
    if let Some(directory) = &cli.global.directory {
        std::env::set_current_dir(directory).map_err(|source| CliError::Directory {
            path: directory.clone(),
            source,
        })?;
    }
    let global = &cli.global;
    match cli.command {
        Command::Members { dir, format } => {
            let found = discover(global, dir)?;
            let report = MembersReport::new(found.workspace());
            match format {
                Format::Text => emit(&report.to_text())?,
                Format::Json => emit(&report.to_json())?,
            }
            left_for_exit((found, report));
        }
        Command::Graph {
            dir,
            format,
            package,
        } => {
            let (_, merged) = merge(global, dir, &selection(package))?;
            let report = GraphReport::new(&merged);
            match format {
                GraphFormat::Text => emit(&report.to_text())?,
                GraphFormat::Dot => emit(&report.to_dot())?,
                GraphFormat::Json => emit(&report.to_json())?,
            }
        }
        Command::Plan {
            dir,
            sources,
            package,
            format,
            output,
            diff,
            resolution,
            prerelease,
        } => {
            let selection = selection(package);
            let (found, graph) = merge(global, dir, &selection)?;
            let configured = configured_resolver_options(found.workspace())?;
            let settings = PlanSettings {
                selection,
                resolver: resolver_options(configured, resolution, prerelease),
            };
            // With -v, log lines would tear through the progress line: one or the other.
            let visible = !global.quiet && global.verbose == 0 && std::io::stderr().is_terminal();
            let progress = Progress::start(visible, "resolving");
            let planned = plan_graph_observed(
                found.workspace(),
                graph,
                &sources.options(),
                &settings,
                &progress,
            );
            progress.finish();
            let planned = planned?;
            if diff {
                let path = found.workspace().root().join("uv.lock");
                let text = std::fs::read_to_string(&path).map_err(|source| CliError::ReadLock {
                    path: path.clone(),
                    source,
                })?;
                let old = wslock_lock::LockPlan::from_toml(&text)?;
                emit(&wslock_lock::diff(&old, &planned.plan).to_string())?;
                return Ok(());
            }
            let rendered = match format {
                PlanFormat::Toml => planned.plan.to_toml(),
                PlanFormat::Json => planned.plan.to_json(),
            };
            match output {
                Some(path) => wslock_lock::write_atomically(&path, rendered.as_bytes())?,
                None => emit(&rendered)?,
            }
            left_for_exit((found, planned, rendered));
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "wslock", &mut script);
            emit(&String::from_utf8_lossy(&script))?;
        }
        Command::Requirements {
            dir,
            format,
            package,
        } => {
            let (_, merged) = merge(global, dir, &selection(package))?;
            let report = RequirementsReport::new(&merged);
            match format {
                Format::Text => emit(&report.to_text())?,
                Format::Json => emit(&report.to_json())?,
            }
        }
    }
    Ok(())
}
