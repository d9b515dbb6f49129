//! Synthetic uv workspaces for wslock's benchmarks, deterministic by seed.
//!
//! [`generate`] writes, under one directory:
//!
//! - `workspace/`: a virtual root with `members = ["packages/*"]` and
//!   `exclude = ["packages/*-scratch"]`, and N members `packages/member-00000` …; members
//!   require earlier members (a DAG) through root or member `tool.uv.sources`, externals with
//!   specifiers, extras (`ext-00007[cli]`, `member-00004[cli]`) and markers; every fourth
//!   member has an optional dependency, every fifth a `dev` and a `test` group (with
//!   `include-group`), the root a `lint` group; excluded `*-scratch` projects sit among them;
//! - `find-links/`: E external packages `ext-00000` … with two to four versions each, as
//!   minimal valid wheels (`METADATA`, `WHEEL`, `RECORD`, one module);
//! - `snapshot.json`: the same catalogue as an index snapshot (`docs/index-snapshot.md`).
//!
//! Every requirement can be met (each specifier on a plain external admits its `1.0`), and the
//! resolution forks on `sys_platform` and `python_version`: members require `ext-00000<2` on
//! Windows and `ext-00000>=2` elsewhere, `ext-00025<2` below Python 3.12 and `>=2` from it, and
//! the newest version of every tenth package needs Python 3.12. Both uv 0.13.8 and wslock lock
//! the result (`benches/compare-uv.sh` checks that they agree).
//!
//! ```
//! use wslock_benches::{generate, Spec};
//!
//! let dir = tempfile::tempdir()?;
//! let generated = generate(&Spec::new(10).seed(1), dir.path())?;
//! assert!(generated.workspace.join("packages/member-00009/pyproject.toml").is_file());
//! assert!(generated.find_links.join("ext_00000-2.1-py3-none-any.whl").is_file());
//! assert!(generated.snapshot.is_file());
//! # Ok::<(), std::io::Error>(())
//! ```

#![deny(missing_docs)]

/// The allocator of the `wslock` binary (jemalloc, see `crates/wslock/src/main.rs`), for every
/// benchmark, example and tool of this crate: figures taken with the system allocator would
/// not be the binary's (it made a plan about a fifth slower).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The binary's jemalloc settings too (one arena; see `crates/wslock/src/main.rs`).
#[cfg(not(target_env = "msvc"))]
#[used]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_SETTINGS: &[u8; 10] = b"narenas:1\0";

mod catalogue;
mod members;
mod rng;
mod write;

use std::io;
use std::path::{Path, PathBuf};

pub use catalogue::{catalogue, external_name, role, External, ExternalVersion, Role};
pub use members::{member_name, workspace, GroupEntry, Member, Workspace};

/// Bumped whenever the output for a given [`Spec`] changes, so cached inputs are rewritten.
pub const GENERATOR_VERSION: u32 = 1;

/// The sizes the benchmarks cover, in members (with as many externals).
pub const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// What to generate: how many members and externals, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// Workspace members.
    pub members: usize,
    /// External packages in the catalogue.
    pub externals: usize,
    /// The seed: the same spec always gives the same files.
    pub seed: u64,
}

impl Spec {
    /// `members` members, as many externals, seed 0.
    pub fn new(members: usize) -> Spec {
        Spec {
            members,
            externals: members,
            seed: 0,
        }
    }

    /// The number of external packages.
    pub fn externals(mut self, externals: usize) -> Spec {
        self.externals = externals;
        self
    }

    /// The seed.
    pub fn seed(mut self, seed: u64) -> Spec {
        self.seed = seed;
        self
    }
}

/// Where the generated inputs are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The output directory (it holds a `.wslock-root` marker, so wslock's discovery started
    /// inside never reads above it).
    pub dir: PathBuf,
    /// The workspace root.
    pub workspace: PathBuf,
    /// The find-links folder of wheels.
    pub find_links: PathBuf,
    /// The index snapshot of the same packages.
    pub snapshot: PathBuf,
}

/// Writes the workspace, wheels and snapshot of `spec` under `out` (created if missing).
/// A previous output of the generator there is replaced; any other non-empty directory is
/// refused.
pub fn generate(spec: &Spec, out: &Path) -> io::Result<Generated> {
    write::write(spec, out)
}

/// Like [`generate`], but keeps `out` as it is when it already holds this spec's output from
/// this generator version (the benchmarks reuse their inputs across runs this way).
pub fn generate_cached(spec: &Spec, out: &Path) -> io::Result<Generated> {
    if write::is_current(spec, out) {
        return Ok(write::layout(out));
    }
    write::write(spec, out)
}
