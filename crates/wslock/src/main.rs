//! The `wslock` command line.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use wslock::report::{GraphReport, MembersReport, RequirementsReport};
use wslock::workspace::{
    CeilingSettings, Discovered, DiscoveryError, DiscoveryOptions, WorkspaceCache,
};
use wslock_graph::{GraphError, Selection, WorkspaceGraph};
use wslock_pep::PackageName;

/// Plan the lockfile of a Python monorepo (uv-style workspaces).
#[derive(Debug, Parser)]
#[command(name = "wslock", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the workspace a directory belongs to: its root, kind and members.
    #[command(
        after_help = "Examples:\n  wslock members\n  wslock members packages/api --format json\n  wslock --root ~/src members"
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
        after_help = "Examples:\n  wslock graph\n  wslock graph --format dot | dot -Tsvg > graph.svg\n  wslock graph --package api --format json"
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
    /// Show every requirement of the workspace, merged, with where it came from and its source.
    #[command(
        after_help = "Examples:\n  wslock requirements\n  wslock requirements --package api --format json"
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
}

/// `--package` takes a PEP 508 name, checked and normalised like names in manifests.
fn parse_package(text: &str) -> Result<PackageName, String> {
    wslock_pep::package_name(text).map_err(|error| error.to_string())
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

/// Anything that stops a command, from any stage.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error("cannot change to directory `{}`: {source}", path.display())]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

impl CliError {
    fn hint(&self) -> String {
        match self {
            Self::Discovery(error) => error.hint(),
            Self::Graph(error) => error.hint(),
            Self::Directory { .. } => "check the `--directory` argument".into(),
            Self::Output(_) => "check that standard output can be written".into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.global);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("  hint: {}", error.hint());
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn init_tracing(global: &GlobalArgs) {
    let level = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WSLOCK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
}

/// Discovery as every command does it, printing its warnings.
fn discover(global: &GlobalArgs, dir: Option<PathBuf>) -> Result<Discovered, CliError> {
    let ceilings = global
        .roots
        .iter()
        .fold(CeilingSettings::from_env(), |settings, root| {
            settings.with_root(root)
        });
    let options = DiscoveryOptions::new()
        .ceilings(ceilings)
        .no_workspace(global.no_workspace);
    let start = dir.unwrap_or_else(|| PathBuf::from("."));
    let found = WorkspaceCache::new().discover(&start, &options)?;
    warn(global, found.warnings());
    Ok(found)
}

/// Discovery and the merge, printing the merge's warnings.
fn merge(
    global: &GlobalArgs,
    dir: Option<PathBuf>,
    package: Option<PackageName>,
) -> Result<WorkspaceGraph, CliError> {
    let found = discover(global, dir)?;
    let selection = package.map_or(Selection::All, Selection::Package);
    let merged = WorkspaceGraph::build(found.workspace(), &selection)?;
    warn(global, merged.warnings());
    Ok(merged)
}

fn warn<W: std::fmt::Display>(global: &GlobalArgs, warnings: &[W]) {
    if !global.quiet {
        for warning in warnings {
            eprintln!("warning: {warning}");
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
        }
        Command::Graph {
            dir,
            format,
            package,
        } => {
            let merged = merge(global, dir, package)?;
            let report = GraphReport::new(&merged);
            match format {
                GraphFormat::Text => emit(&report.to_text())?,
                GraphFormat::Dot => emit(&report.to_dot())?,
                GraphFormat::Json => emit(&report.to_json())?,
            }
        }
        Command::Requirements {
            dir,
            format,
            package,
        } => {
            let merged = merge(global, dir, package)?;
            let report = RequirementsReport::new(&merged);
            match format {
                Format::Text => emit(&report.to_text())?,
                Format::Json => emit(&report.to_json())?,
            }
        }
    }
    Ok(())
}
