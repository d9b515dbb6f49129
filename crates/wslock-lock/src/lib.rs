//! The lock plan: what `uv.lock` records about a workspace's universal resolution, as a model,
//! rendered as TOML byte for byte as uv 0.13.8 writes it, or as JSON.
//!
//! A [`LockPlan`] is built from a resolution (packages, versions, forks, edges, files) and the
//! workspace graph (`[manifest]` and each member's declared requirements). It reads back what
//! it writes, and uv's own lock files; it compares two plans ([`diff`]) and answers, for one
//! target environment, exactly which packages to install ([`LockPlan::install_set`]).
//!
//! ```
//! use std::fs;
//! use wslock_graph::{Selection, WorkspaceGraph};
//! use wslock_lock::{InstallSelection, LockPlan, TargetEnvironment};
//! use wslock_resolve::{ResolvedPackage, ResolvedSource, Resolution};
//! use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};
//!
//! let dir = tempfile::tempdir()?;
//! let root = dir.path();
//! fs::write(
//!     root.join("pyproject.toml"),
//!     "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.10\"\n",
//! )?;
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(root));
//! let workspace = discover(root, &options)?;
//! let graph = WorkspaceGraph::build(workspace.workspace(), &Selection::All)?;
//!
//! // What a resolver returns for a project without dependencies: the project itself.
//! let app = &graph.members()[0];
//! let resolution = Resolution {
//!     requires_python: graph.requires_python().cloned().expect("set above"),
//!     fork_markers: Vec::new(),
//!     supported_markers: Vec::new(),
//!     options: Default::default(),
//!     packages: vec![ResolvedPackage {
//!         name: app.name.clone(),
//!         version: app.version.clone().expect("static"),
//!         source: ResolvedSource::Member { kind: app.kind, path: app.path.clone() },
//!         fork_markers: Vec::new(),
//!         dependencies: Vec::new(),
//!         optional_dependencies: Default::default(),
//!         dependency_groups: Default::default(),
//!         files: Vec::new(),
//!     }],
//! };
//!
//! let plan = LockPlan::new(&resolution, &graph)?;
//! let toml = plan.to_toml();
//! assert_eq!(toml, "\
//! version = 1
//! revision = 5
//! requires-python = \">=3.10\"
//!
//! [[package]]
//! name = \"app\"
//! version = \"1.0\"
//! source = { virtual = \".\" }
//! ");
//! assert_eq!(LockPlan::from_toml(&toml)?, plan);
//!
//! // A virtual project is not installed itself; it has nothing else to install.
//! let env = TargetEnvironment::new("3.12")?;
//! assert!(plan.install_set(&env, &InstallSelection::new())?.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `docs/lock-plan.md` describes the model field by field, with the TOML and the JSON.
#![deny(missing_docs)]

mod build;
mod diff;
mod error;
mod groups;
mod install;
mod json;
mod lower;
mod markers;
mod model;
mod parse;
mod paths;
mod render;
mod requirement;
mod toml_text;
mod write;

pub use build::PlanBuilder;
pub use diff::{diff, PackageVersions, PlanDiff, VersionChange};
pub use error::LockError;
pub use install::{
    Choice, Implementation, InstallItem, InstallSelection, Platform, TargetEnvironment,
};
pub use markers::specifiers_string;
pub use model::{
    Artifact, ArtifactLocation, LockDependency, LockOptions, LockPackage, LockPlan, Manifest,
    PackageMetadata, PackageSource, RegistrySource, LOCK_REVISION, LOCK_VERSION,
};
pub use requirement::{LockRequirement, RequirementSource};
pub use write::write_atomically;
