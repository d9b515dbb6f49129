//! `wslock-gen`: writes a synthetic workspace, its find-links folder and an index snapshot.
//!
//! ```text
//! wslock-gen --members 1000 --externals 1000 --seed 0 --out /tmp/ws-1000
//! wslock plan /tmp/ws-1000/workspace --no-index --find-links /tmp/ws-1000/find-links
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use wslock_benches::{generate, Spec};

/// Generate a synthetic uv workspace for benchmarks (deterministic by seed).
#[derive(Debug, Parser)]
#[command(name = "wslock-gen")]
struct Args {
    /// Workspace members under `packages/*`.
    #[arg(long)]
    members: usize,
    /// External packages (default: as many as members).
    #[arg(long)]
    externals: Option<usize>,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The output directory: `workspace/`, `find-links/` and `snapshot.json` go there.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut spec = Spec::new(args.members).seed(args.seed);
    if let Some(externals) = args.externals {
        spec = spec.externals(externals);
    }
    match generate(&spec, &args.out) {
        Ok(generated) => {
            println!("{}", generated.workspace.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
