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
#![deny(missing_docs)]

mod context;
mod env;
mod error;
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
pub use options::{PrereleaseMode, ResolutionMode, ResolverOptions};
pub use resolution::{
    FileKind, FileLocation, RegistryLocation, Resolution, ResolvedDependency, ResolvedFile,
    ResolvedPackage, ResolvedSource,
};
pub use solve::resolve;
