//! The files a listing (index page, find-links folder or page) offers, before we know which
//! package each belongs to, and their conversion to [`DistFile`]s of one package.

use std::str::FromStr;

use wslock_pep::{PackageName, VersionSpecifiers};

use crate::filename::DistFilename;
use crate::hash::Sha256Digest;
use crate::location::Location;
use crate::versions::{DistFile, MetadataOffer, Yanked};

/// One file of a listing, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListedFile {
    pub filename: String,
    pub location: Location,
    pub sha256: Option<Sha256Digest>,
    pub requires_python: Option<String>,
    pub yanked: Option<Yanked>,
    pub core_metadata: MetadataOffer,
    pub size: Option<u64>,
    pub upload_time: Option<String>,
}

impl ListedFile {
    /// A file known only by name and location (a find-links folder entry).
    pub(crate) fn bare(filename: String, location: Location) -> ListedFile {
        ListedFile {
            filename,
            location,
            sha256: None,
            requires_python: None,
            yanked: None,
            core_metadata: MetadataOffer::NotOffered,
            size: None,
            upload_time: None,
        }
    }
}

/// The files of `name` in a listing. Files of other packages, and files whose names are not
/// wheels or sdists (`README`, `.egg`, `.exe`), are skipped, as uv skips them.
pub(crate) fn dist_files(
    name: &PackageName,
    files: &[ListedFile],
    registry: &Location,
) -> Vec<DistFile> {
    files
        .iter()
        .filter_map(|listed| {
            let filename = DistFilename::parse(&listed.filename, name).ok()?;
            Some(DistFile {
                filename,
                location: listed.location.clone(),
                registry: registry.clone(),
                sha256: listed.sha256,
                size: listed.size,
                requires_python: listed
                    .requires_python
                    .as_deref()
                    .and_then(|text| requires_python(text, &listed.filename)),
                yanked: listed.yanked.clone(),
                upload_time: listed.upload_time.clone(),
                core_metadata: listed.core_metadata,
            })
        })
        .collect()
}

/// An index's `requires-python` for a file. An invalid one is ignored rather than making the
/// file unusable: the core metadata, read later, is authoritative anyway.
fn requires_python(text: &str, filename: &str) -> Option<VersionSpecifiers> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match VersionSpecifiers::from_str(text) {
        Ok(specifiers) => Some(specifiers),
        Err(err) => {
            tracing::debug!("ignoring invalid requires-python `{text}` of `{filename}`: {err}");
            None
        }
    }
}
