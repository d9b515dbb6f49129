//! Discovery of uv-style Python workspaces, bounded by ceiling roots.
//!
//! Given a directory, find the workspace it belongs to exactly as uv 0.13.8's project discovery
//! does (see `workspace-semantics.md`), but never read above the nearest *ceiling root*
//! (`WSLOCK_ROOTS`, `--root`, `.wslock-root`, the home directory by default), and never pull a
//! project into a workspace whose globs do not name it.
//!
//! ```
//! use std::fs;
//! use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions, RootKind};
//!
//! let dir = tempfile::tempdir()?;
//! let root = dir.path();
//! fs::write(root.join("pyproject.toml"), r#"
//! [tool.uv.workspace]
//! members = ["packages/*"]
//! "#)?;
//! fs::create_dir_all(root.join("packages/a"))?;
//! fs::write(root.join("packages/a/pyproject.toml"), r#"
//! [project]
//! name = "A_Lib"
//! version = "0.1.0"
//! "#)?;
//!
//! // The temporary directory is the only ceiling: nothing above it is read.
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(root));
//! let found = discover(&root.join("packages/a"), &options)?;
//! let workspace = found.workspace();
//! assert_eq!(workspace.kind(), RootKind::Virtual);
//! assert_eq!(workspace.root(), root);
//! assert_eq!(workspace.members()[0].name().as_ref(), "a-lib");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod cache;
mod ceiling;
mod collect;
mod config;
mod discovery;
mod error;
mod members;
mod options;
pub mod paths;
pub mod pyproject;
mod store;
mod warning;
mod workspace;

pub use cache::{discover, Discovered, WorkspaceCache};
pub use ceiling::{Ceiling, CeilingOrigin, CeilingSettings, ROOTS_ENV, ROOT_MARKER};
pub use config::Configuration;
pub use error::{DiscoveryError, ManifestError, ManifestErrorKind};
pub use options::{DiscoveryOptions, MemberMode, ProjectRequirement};
pub use pyproject::PyProject;
pub use warning::Warning;
pub use workspace::{Member, RootKind, Workspace};
