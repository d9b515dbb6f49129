//! Member graph and merged requirements of a discovered workspace.
//!
//! This stage turns a [`wslock_workspace::Workspace`] into the input a resolver needs: every
//! requirement of every member with its provenance and its source applied (root
//! `tool.uv.sources` for every member, a member's own entry replacing the root's whole), the
//! flattened dependency groups, root constraints and overrides, the intersection of the
//! members' `requires-python`, and a `petgraph` graph of the members.
//!
//! The crate reads no files. A `workspace = "<path>"` source (a member of another workspace)
//! needs that workspace discovered: hand the discovery in with
//! [`GraphBuilder::external_workspaces`]; [`WorkspaceGraph::build`] refuses such sources.
//!
//! ```
//! use std::fs;
//! use wslock_graph::{Selection, WorkspaceGraph};
//! use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};
//!
//! let dir = tempfile::tempdir()?;
//! let root = dir.path();
//! fs::write(root.join("pyproject.toml"), r#"
//! [project]
//! name = "app"
//! version = "1.0"
//! requires-python = ">=3.10"
//! dependencies = ["lib", "requests>=2"]
//! [tool.uv.workspace]
//! members = ["lib"]
//! [tool.uv.sources]
//! lib = { workspace = true }
//! "#)?;
//! fs::create_dir(root.join("lib"))?;
//! fs::write(root.join("lib/pyproject.toml"), "[project]\nname = \"lib\"\nversion = \"0.1\"\nrequires-python = \">=3.11\"\n")?;
//!
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(root));
//! let workspace = discover(root, &options)?;
//! let merged = WorkspaceGraph::build(workspace.workspace(), &Selection::All)?;
//! assert_eq!(merged.requires_python().unwrap().to_string(), ">=3.11");
//! let edges = merged.graph().edges();
//! assert_eq!((edges[0].from.as_ref(), edges[0].to.as_ref()), ("app", "lib"));
//! let texts: Vec<String> = merged.requirements().iter().map(ToString::to_string).collect();
//! assert_eq!(texts, ["lib @ workspace", "requests>=2"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod build;
mod error;
mod external;
mod graph;
mod groups;
mod lower;
mod members;
mod python;
mod requirement;
mod scopes;
mod warning;

pub use build::{GraphBuilder, Selection, WorkspaceGraph};
pub use error::{DisjointPair, GraphError, MemberPython};
pub use external::DiscoverWorkspace;
pub use graph::{EdgeView, MemberEdge, MemberGraph};
pub use members::{MemberInfo, MemberKind};
pub use requirement::{IndexPin, MergedRequirement, Origin, Provenance, RequirementSource};
pub use warning::GraphWarning;
