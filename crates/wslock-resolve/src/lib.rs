//! Universal resolution of a workspace's merged requirements with PubGrub.
//!
//! [`resolve`] takes the merged requirements of a [`wslock_graph::WorkspaceGraph`] and a
//! [`wslock_index::PackageSource`], and returns one [`Resolution`] valid on every platform and
//! Python version the workspace supports. Where requirements on one package differ by
//! environment in a way one version cannot satisfy, the resolution *forks*: each part of the
//! marker space is solved on its own, and the parts are merged, each package version keeping
//! the markers of the forks that chose it.
//!
//! The resolver never reads the file system or the network: everything comes through the
//! package-source trait.
//!
//! Here a workspace shipped in `testdata/` (an app whose two members meet at `alphix`, the
//! diamond) is resolved against the wheels in `testdata/find-links/`:
//!
//! ```
//! use std::path::Path;
//! use wslock_graph::{Selection, WorkspaceGraph};
//! use wslock_index::FlatIndex;
//! use wslock_resolve::{resolve, ResolvedSource, ResolverOptions};
//! use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};
//!
//! let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").canonicalize()?;
//! let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&testdata));
//! let found = discover(&testdata.join("plans/diamond"), &options)?;
//! let graph = WorkspaceGraph::build(found.workspace(), &Selection::All)?;
//!
//! let wheels = FlatIndex::directory(testdata.join("find-links"));
//! let resolution = resolve(&graph, &wheels, &ResolverOptions::default())?;
//! let chosen: Vec<String> = resolution
//!     .packages
//!     .iter()
//!     .filter(|package| !matches!(package.source, ResolvedSource::Member { .. }))
//!     .map(|package| format!("{} {}", package.name, package.version))
//!     .collect();
//! assert_eq!(chosen, ["alphix 2.0", "betrix 2.0", "gammot 1.5"]);
//! assert!(resolution.fork_markers.is_empty()); // one version of each fits everywhere
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! When no set of versions fits, [`ResolveError::NoSolution`] explains why in prose that names
//! the members and the PEP 440 ranges involved.
#![deny(missing_docs)]

mod context;
mod env;
mod error;
mod lookahead;
mod merge;
mod need;
mod options;
mod pkg;
mod provider;
mod reach;
mod report;
mod resolution;
mod solve;

pub use error::ResolveError;
pub use options::{PackageSet, PrereleaseMode, ResolutionMode, ResolverOptions};
pub use resolution::{
    FileKind, FileLocation, RegistryLocation, Resolution, ResolvedDependency, ResolvedFile,
    ResolvedPackage, ResolvedSource,
};
pub use solve::resolve;
