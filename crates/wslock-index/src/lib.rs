//! Package metadata sources: which versions of a package exist, and what each one requires.
//!
//! The resolver asks one trait, [`PackageSource`], and never learns whether the answer came
//! from a `--find-links` folder ([`FlatIndex`]), a PEP 503/691 simple index over HTTP
//! ([`SimpleIndex`]), or a JSON snapshot ([`Snapshot`], format in `docs/index-snapshot.md`).
//! [`IndexSet`] combines several sources with uv's rules (first index wins, find-links merged,
//! pinned and explicit indexes), and [`IndexConfig`] builds one from what users configure
//! (flags, `UV_*`/`PIP_*` environment variables, `[[tool.uv.index]]` tables).
//!
//! ```
//! use wslock_index::testing::WheelBuilder;
//! use wslock_index::{FlatIndex, PackageSource};
//!
//! // A find-links folder with one wheel, built on the spot.
//! let dir = tempfile::tempdir()?;
//! WheelBuilder::new("requests", "2.32.3")
//!     .requires_dist("idna<4,>=2.5")
//!     .requires_dist("PySocks!=1.5.7,>=1.5.6; extra == 'socks'")
//!     .provides_extra("socks")
//!     .requires_python(">=3.8")
//!     .write_to(dir.path())?;
//!
//! let source = FlatIndex::directory(dir.path());
//! let name = "Requests".parse()?; // names are normalised: `requests`
//! let versions = source.versions(&name)?;
//! assert_eq!(versions.len(), 1);
//! let info = versions.iter().next().unwrap();
//! assert_eq!(info.files[0].filename.as_str(), "requests-2.32.3-py3-none-any.whl");
//!
//! // Metadata is read from inside the wheel only now, when it is asked for.
//! let metadata = source.metadata(&name, &info.version)?;
//! assert_eq!(metadata.requires_dist.len(), 2);
//! assert_eq!(metadata.provides_extra[0].as_ref(), "socks");
//! assert_eq!(metadata.requires_python.as_ref().unwrap().to_string(), ">=3.8");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Invariants: nothing here knows about workspaces or PubGrub; there is no async runtime;
//! every source is `Send + Sync` and memoises its answers behind `Arc`s.
#![deny(missing_docs)]

mod archive;
mod config;
mod error;
mod fetch;
mod filename;
mod flat;
mod hash;
mod headers;
mod http;
mod listing;
mod location;
mod memo;
mod metadata;
mod set;
mod snapshot;
mod source;
#[cfg(feature = "testing")]
pub mod testing;
mod versions;

pub use config::{IndexConfig, IndexFormat, IndexSpec, INDEX_ENV_VARS};
pub use error::IndexError;
pub use filename::{DistFilename, FilenameError, SdistExtension, SdistFilename, WheelFilename};
pub use flat::FlatIndex;
pub use hash::{DigestParseError, Sha256Digest};
pub use http::client::HttpClient;
pub use http::options::{HttpOptions, TlsRoots, CACHE_DIR_ENV};
pub use http::simple::SimpleIndex;
pub use location::Location;
pub use metadata::{CoreMetadata, MetadataParseError};
pub use set::{IndexSet, IndexSetBuilder, IndexStrategy};
pub use snapshot::{Recorder, Snapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION};
pub use source::{prefetch_metadata, prefetch_versions, PackageSource, WarmUp};
pub use versions::{DistFile, MetadataOffer, PackageVersions, VersionInfo, Yanked};
