//! The `wslock` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use wslock::report::MembersReport;
use wslock::workspace::{CeilingSettings, DiscoveryError, DiscoveryOptions, WorkspaceCache};

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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit status for bad input or usage, as documented in the README.
const EXIT_BAD_INPUT: u8 = 2;

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

fn run(cli: Cli) -> Result<(), DiscoveryError> {
    if let Some(directory) = &cli.global.directory {
        std::env::set_current_dir(directory).map_err(|source| DiscoveryError::Io {
            path: directory.clone(),
            source,
        })?;
    }
    let ceilings = cli
        .global
        .roots
        .iter()
        .fold(CeilingSettings::from_env(), |settings, root| {
            settings.with_root(root)
        });
    let options = DiscoveryOptions::new()
        .ceilings(ceilings)
        .no_workspace(cli.global.no_workspace);
    let cache = WorkspaceCache::new();
    match cli.command {
        Command::Members { dir, format } => {
            let start = dir.unwrap_or_else(|| PathBuf::from("."));
            let found = cache.discover(&start, &options)?;
            if !cli.global.quiet {
                for warning in found.warnings() {
                    eprintln!("warning: {warning}");
                }
            }
            let report = MembersReport::new(found.workspace());
            match format {
                Format::Text => print!("{}", report.to_text()),
                Format::Json => print!("{}", report.to_json()),
            }
        }
    }
    Ok(())
}
