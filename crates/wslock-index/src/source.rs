//! The one seam between the resolver and where packages come from.

use std::sync::Arc;

use wslock_pep::{PackageName, Version};

use crate::error::IndexError;
use crate::hash::Sha256Digest;
use crate::metadata::CoreMetadata;
use crate::versions::{DistFile, PackageVersions};

/// A place that knows which versions of a package exist and what each requires.
///
/// Implementations are synchronous (wslock has no async runtime), `Send + Sync` (the resolver
/// solves forks in parallel on rayon and shares one source), and memoise: asking twice costs a
/// map lookup and returns the same `Arc`. Concurrent first calls for the same key wait for one
/// fetch rather than fetching twice. Errors are not memoised, so a transient network failure
/// can be retried by asking again.
pub trait PackageSource: Send + Sync {
    /// The versions of `name`, ascending. A package the source does not know is an empty
    /// answer, not an error, so the resolver can report "no versions of x".
    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError>;

    /// The core metadata of one listed version, read from the file that
    /// [`crate::VersionInfo::metadata_file`] picks. Fetched only when asked for.
    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError>;

    /// The sha256 of a file this source listed, for the files that end up in a plan. The
    /// default returns the digest the listing gave; sources that can read or download the
    /// file compute it when the listing gave none.
    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        file.sha256.ok_or_else(|| IndexError::HashUnavailable {
            name: file.filename.name().clone(),
            version: file.filename.version().clone(),
            file: Box::new(file.location.clone()),
        })
    }

    /// How a resolver should get this source's answers ready before it asks for them: see
    /// [`WarmUp`]. Sources that answer from memory say [`WarmUp::None`], the default.
    fn warm_up(&self) -> WarmUp {
        WarmUp::None
    }
}

/// How a resolver warms a package source up. Only ever a matter of speed: a source answers
/// every question the same however it was warmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarmUp {
    /// Not at all: the answers are in memory already, or every question must be one the
    /// resolution really asked (a [`crate::snapshot::Recorder`] of a local source).
    None,
    /// Read ahead on a second thread, one question at a time, while the resolver works: each
    /// answer costs reading a local file.
    ReadAhead,
    /// Ask for the names about to be needed all at once, in parallel ([`prefetch_versions`],
    /// [`prefetch_metadata`]): each answer may cost a network round trip.
    Prefetch,
}

impl<S: PackageSource + ?Sized> PackageSource for Arc<S> {
    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        (**self).versions(name)
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        (**self).metadata(name, version)
    }

    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        (**self).sha256(file)
    }

    fn warm_up(&self) -> WarmUp {
        (**self).warm_up()
    }
}

impl<S: PackageSource + ?Sized> PackageSource for Box<S> {
    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        (**self).versions(name)
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        (**self).metadata(name, version)
    }

    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        (**self).sha256(file)
    }

    fn warm_up(&self) -> WarmUp {
        (**self).warm_up()
    }
}

/// Fetches the versions of many packages at once, in parallel on rayon's pool, so a resolver
/// can warm a source with every name it is about to need. Results land in the source's memo;
/// the first error (in `names` order) is returned.
pub fn prefetch_versions(
    source: &(impl PackageSource + ?Sized),
    names: &[PackageName],
) -> Result<(), IndexError> {
    use rayon::prelude::*;
    let results: Vec<Result<Arc<PackageVersions>, IndexError>> =
        names.par_iter().map(|name| source.versions(name)).collect();
    results.into_iter().try_for_each(|result| result.map(drop))
}

/// Fetches the metadata of many versions at once, in parallel; see [`prefetch_versions`].
pub fn prefetch_metadata(
    source: &(impl PackageSource + ?Sized),
    wanted: &[(PackageName, Version)],
) -> Result<(), IndexError> {
    use rayon::prelude::*;
    let results: Vec<Result<Arc<CoreMetadata>, IndexError>> = wanted
        .par_iter()
        .map(|(name, version)| source.metadata(name, version))
        .collect();
    results.into_iter().try_for_each(|result| result.map(drop))
}
