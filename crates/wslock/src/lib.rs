//! wslock: plan the lockfile of a Python monorepo (uv-style workspaces).
//!
//! This crate holds the `wslock` binary and a small facade for programs that build on the
//! pipeline, such as an installer: [`discover`] the workspace, [`plan_workspace`] it (merge the
//! requirements, resolve them, build the plan), then read the [`LockPlan`], write it as
//! `uv.lock` TOML, or ask it which packages to install on one machine. Here, the plan of a
//! workspace shipped in `testdata/`, resolved against the wheels in `testdata/find-links/`,
//! is the `uv.lock` uv 0.13.8 wrote for it, byte for byte:
//!
//! ```
//! use std::path::Path;
//! use wslock::{discover, plan_workspace, CeilingSettings, DiscoveryOptions, SourceOptions};
//! use wslock::lock::{InstallSelection, TargetEnvironment};
//!
//! let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").canonicalize()?;
//! let project = testdata.join("plans/fork-platform");
//!
//! // Never read above `testdata/`, whatever the environment says.
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&testdata));
//! let found = discover(&project, &options)?;
//! // Relative to the current directory (this crate's, under `cargo test`), and so written
//! // relative to the workspace root in the plan, as uv does.
//! let sources = SourceOptions::new().no_index(true).find_links("../../testdata/find-links");
//! let planned = plan_workspace(found.workspace(), &sources, &Default::default())?;
//! assert_eq!(planned.plan.to_toml(), std::fs::read_to_string(project.join("uv.lock"))?);
//!
//! // What an installer does with it: the packages for CPython 3.12 on Windows.
//! let windows = TargetEnvironment::new("3.12")?.platform(wslock::lock::Platform::Windows);
//! let install = planned.plan.install_set(&windows, &InstallSelection::new())?;
//! assert!(install.iter().any(|item| item.name.as_ref() == "alphix"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each stage is its own crate, re-exported here for finer control: [`workspace`] discovers
//! the workspace, [`pep`] holds the PEP 440/508 types, [`graph`] merges its requirements, [`index`] answers which packages exist,
//! [`resolve`] solves the requirements, [`lock`] models the plan. [`pipeline`] strings them
//! together (and builds the package sources from what a user configures), [`report`] holds
//! the texts of `wslock members`, `graph` and `requirements`.
#![deny(missing_docs)]

pub mod pipeline;
pub mod report;

pub use wslock_graph as graph;
pub use wslock_index as index;
pub use wslock_lock as lock;
pub use wslock_pep as pep;
pub use wslock_resolve as resolve;
pub use wslock_workspace as workspace;

pub use pipeline::{plan_graph, plan_workspace, PlanError, PlanSettings, Planned, SourceOptions};
pub use wslock_lock::LockPlan;
pub use wslock_workspace::{
    discover, CeilingSettings, Discovered, DiscoveryError, DiscoveryOptions,
};

/// The code blocks of the README, compiled by `cargo test` (doctests) so that what a newcomer
/// copies from it keeps building.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
