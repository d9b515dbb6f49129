//! wslock: plan the lockfile of a Python monorepo (uv-style workspaces).
//!
//! This crate holds the `wslock` binary and a small facade for programs that build on the
//! pipeline. Each stage is its own crate, re-exported here:
//! [`workspace`] discovers the workspace, [`graph`] merges its requirements (more stages
//! follow: index, resolve, lock).
//!
//! ```
//! use wslock::workspace::{discover, CeilingSettings, DiscoveryOptions};
//! use wslock::report::MembersReport;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("pyproject.toml"), "[project]\nname = \"solo\"\nversion = \"1.0\"\n")?;
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(dir.path()));
//! let found = discover(dir.path(), &options)?;
//! let report = MembersReport::new(found.workspace());
//! assert_eq!(report.kind.to_string(), "project");
//! assert_eq!(report.members[0].name, "solo");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod pipeline;
pub mod report;

pub use wslock_graph as graph;
pub use wslock_index as index;
pub use wslock_lock as lock;
pub use wslock_resolve as resolve;
pub use wslock_workspace as workspace;
