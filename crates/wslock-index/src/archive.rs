//! Reading the one metadata file out of a wheel (zip) or an sdist (tar.gz, tar or zip).
//!
//! Wheels are read through `Read + Seek`, so the same code serves a local file, a downloaded
//! temporary file and an HTTP range reader: the zip reader touches only the end-of-central-
//! directory record, the central directory and the `METADATA` entry.

use std::io::{self, Read, Seek};
use std::path::{Component, Path};

use wslock_pep::{package_name, PackageName};
use zip::result::ZipError;
use zip::ZipArchive;

use crate::filename::SdistExtension;

/// Metadata files larger than this are refused: real ones are kilobytes (the long description
/// included); a huge one is a broken or hostile archive.
const METADATA_LIMIT: u64 = 64 * 1024 * 1024;

/// Why an archive gave no metadata; the caller adds the package, version and file.
#[derive(Debug)]
pub(crate) enum ArchiveProblem {
    /// Not a readable archive.
    Corrupt(String),
    /// A readable archive without the metadata file (or with several candidates).
    Missing(String),
    /// An sdist format we do not read.
    Unsupported(String),
    /// The underlying reader failed (for an HTTP range reader, this carries the fetch error).
    Io(io::Error),
}

/// The bytes of `<name>-<version>.dist-info/METADATA` in a wheel.
///
/// As uv does, the `.dist-info` directory is found by listing top-level directories whose name
/// part normalises to the package name, rather than by building the expected name, so wheels
/// written by tools that spell the name differently (`Foo.Bar-1.0.dist-info`) still work.
pub(crate) fn wheel_metadata<R: Read + Seek>(
    reader: R,
    name: &PackageName,
) -> Result<Vec<u8>, ArchiveProblem> {
    let mut archive = ZipArchive::new(reader).map_err(zip_problem)?;
    let candidates: Vec<String> = archive
        .file_names()
        .filter(|entry| is_dist_info_metadata(entry, name))
        .map(str::to_string)
        .collect();
    let entry_name = match candidates.as_slice() {
        [] => {
            return Err(ArchiveProblem::Missing(
                "no `<name>-<version>.dist-info/METADATA` entry of this package".to_string(),
            ))
        }
        [one] => one,
        several => {
            return Err(ArchiveProblem::Missing(format!(
                "several candidates: {}",
                several.join(", ")
            )))
        }
    };
    let entry = archive.by_name(entry_name).map_err(zip_problem)?;
    read_limited(entry).map_err(|err| match err.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => {
            ArchiveProblem::Corrupt(format!("`{entry_name}`: {err}"))
        }
        _ => ArchiveProblem::Io(err),
    })
}

fn is_dist_info_metadata(entry: &str, name: &PackageName) -> bool {
    let Some((directory, "METADATA")) = entry.split_once('/') else {
        return false;
    };
    let Some(stem) = directory.strip_suffix(".dist-info") else {
        return false;
    };
    let Some((name_part, _version)) = stem.rsplit_once('-') else {
        return false;
    };
    package_name(name_part).ok().as_ref() == Some(name)
}

/// The bytes of the top-level `PKG-INFO` of an sdist (`<name>-<version>/PKG-INFO`, not the
/// copies inside `*.egg-info` directories).
pub(crate) fn sdist_pkg_info<R: Read + Seek>(
    reader: R,
    extension: SdistExtension,
) -> Result<Vec<u8>, ArchiveProblem> {
    match extension {
        SdistExtension::TarGz => tar_pkg_info(flate2::read::GzDecoder::new(reader)),
        SdistExtension::Tar => tar_pkg_info(reader),
        SdistExtension::Zip => zip_pkg_info(reader),
        other => Err(ArchiveProblem::Unsupported(format!(
            "wslock reads PKG-INFO only from .tar.gz, .tar and .zip sdists, not {other:?}"
        ))),
    }
}

fn tar_pkg_info(reader: impl Read) -> Result<Vec<u8>, ArchiveProblem> {
    let corrupt = |err: io::Error| ArchiveProblem::Corrupt(err.to_string());
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(corrupt)? {
        let entry = entry.map_err(corrupt)?;
        let is_pkg_info = entry
            .path()
            .map(|path| is_top_level_pkg_info(&path))
            .unwrap_or(false);
        if is_pkg_info && entry.header().entry_type().is_file() {
            return read_limited(entry).map_err(corrupt);
        }
    }
    Err(ArchiveProblem::Missing(
        "the sdist has no top-level PKG-INFO".to_string(),
    ))
}

fn zip_pkg_info<R: Read + Seek>(reader: R) -> Result<Vec<u8>, ArchiveProblem> {
    let mut archive = ZipArchive::new(reader).map_err(zip_problem)?;
    let found = archive
        .file_names()
        .find(|entry| is_top_level_pkg_info(Path::new(entry)))
        .map(str::to_string);
    let Some(entry_name) = found else {
        return Err(ArchiveProblem::Missing(
            "the sdist has no top-level PKG-INFO".to_string(),
        ));
    };
    let entry = archive.by_name(&entry_name).map_err(zip_problem)?;
    read_limited(entry).map_err(|err| ArchiveProblem::Corrupt(err.to_string()))
}

fn is_top_level_pkg_info(path: &Path) -> bool {
    let components: Vec<Component<'_>> = path.components().collect();
    matches!(components.as_slice(), [Component::Normal(_), Component::Normal(file)] if *file == "PKG-INFO")
}

fn read_limited(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(METADATA_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > METADATA_LIMIT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("metadata file larger than {METADATA_LIMIT} bytes"),
        ));
    }
    Ok(bytes)
}

fn zip_problem(err: ZipError) -> ArchiveProblem {
    match err {
        ZipError::Io(err) => ArchiveProblem::Io(err),
        other => ArchiveProblem::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dist_info_directory_matching() {
        let name = package_name("foo-bar").unwrap();
        assert!(is_dist_info_metadata(
            "foo_bar-1.0.dist-info/METADATA",
            &name
        ));
        assert!(is_dist_info_metadata(
            "Foo.Bar-1.0.dist-info/METADATA",
            &name
        ));
        assert!(!is_dist_info_metadata(
            "foo_bar-1.0.dist-info/RECORD",
            &name
        ));
        assert!(!is_dist_info_metadata(
            "other-1.0.dist-info/METADATA",
            &name
        ));
        assert!(!is_dist_info_metadata(
            "x/foo_bar-1.0.dist-info/METADATA",
            &name
        ));
        assert!(!is_dist_info_metadata("foo_bar.dist-info/METADATA", &name));
    }

    #[test]
    fn pkg_info_must_be_top_level() {
        assert!(is_top_level_pkg_info(Path::new("foo-1.0/PKG-INFO")));
        assert!(!is_top_level_pkg_info(Path::new(
            "foo-1.0/foo.egg-info/PKG-INFO"
        )));
        assert!(!is_top_level_pkg_info(Path::new("PKG-INFO")));
    }
}
