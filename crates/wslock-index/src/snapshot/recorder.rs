//! Recording the answers of any source, to write them as a snapshot.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use wslock_pep::{PackageName, Version};

use super::Snapshot;
use crate::error::IndexError;
use crate::hash::Sha256Digest;
use crate::location::Location;
use crate::memo::lock;
use crate::metadata::CoreMetadata;
use crate::source::{PackageSource, WarmUp};
use crate::versions::{DistFile, PackageVersions};

/// Wraps a source and remembers every answer it gave, so that [`Recorder::snapshot`] holds
/// exactly what a resolution used: run the resolver against a recorder over the real indexes
/// once, write the snapshot, and replay it offline (benchmarks, air-gapped machines, tests).
pub struct Recorder<S> {
    inner: S,
    recorded: Mutex<Snapshot>,
    hashes: Mutex<BTreeMap<Location, Sha256Digest>>,
}

impl<S: PackageSource> Recorder<S> {
    /// Starts recording what `inner` answers.
    pub fn new(inner: S) -> Recorder<S> {
        Recorder {
            inner,
            recorded: Mutex::new(Snapshot::new()),
            hashes: Mutex::new(BTreeMap::new()),
        }
    }

    /// Everything answered so far, with the sha256 digests computed through
    /// [`PackageSource::sha256`] filled into their files.
    pub fn snapshot(&self) -> Snapshot {
        let mut snapshot = lock(&self.recorded).clone();
        let hashes = lock(&self.hashes);
        if hashes.is_empty() {
            return snapshot;
        }
        for recorded in snapshot.packages.values_mut() {
            let infos = recorded.versions.iter().map(|info| {
                let mut info = info.clone();
                for file in &mut info.files {
                    if let Some(digest) = hashes.get(&file.location) {
                        file.sha256 = Some(*digest);
                    }
                }
                info
            });
            let name = recorded.versions.name().clone();
            let listed = recorded.versions.is_listed();
            let versions = PackageVersions::new(name.clone(), infos.collect::<Vec<_>>());
            recorded.versions = Arc::new(if listed {
                versions
            } else {
                PackageVersions::not_found(name)
            });
        }
        snapshot
    }

    /// The wrapped source.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: PackageSource> PackageSource for Recorder<S> {
    /// A network source is still prefetched (what it warms up depends only on the
    /// requirements met, so the recording stays the same from run to run); reading ahead is
    /// left out, since where it stops depends on timing and would add packages the resolution
    /// never asked about.
    fn warm_up(&self) -> WarmUp {
        match self.inner.warm_up() {
            WarmUp::Prefetch => WarmUp::Prefetch,
            WarmUp::ReadAhead | WarmUp::None => WarmUp::None,
        }
    }

    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        let versions = self.inner.versions(name)?;
        if versions.is_listed() {
            lock(&self.recorded).insert_versions(versions.clone());
        }
        Ok(versions)
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let metadata = self.inner.metadata(name, version)?;
        let mut recorded = lock(&self.recorded);
        if !recorded.packages.contains_key(name) {
            drop(recorded);
            let versions = self.inner.versions(name)?;
            recorded = lock(&self.recorded);
            recorded.insert_versions(versions);
        }
        recorded.insert_metadata(metadata.clone());
        Ok(metadata)
    }

    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        let digest = self.inner.sha256(file)?;
        lock(&self.hashes).insert(file.location.clone(), digest);
        Ok(digest)
    }
}

impl<S> std::fmt::Debug for Recorder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").finish_non_exhaustive()
    }
}
