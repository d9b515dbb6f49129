//! Reading the one metadata file out of a wheel (zip) or an sdist (tar.gz, tar or zip).
//!
//! Wheels are read through `Read + Seek`, so the same code serves a local file, a downloaded
//! temporary file and an HTTP range reader: the zip reader touches only the end-of-central-
//! directory record, the central directory and the `METADATA` entry.

use std::cell::RefCell;
use std::io::{self, Read, Seek};
use std::path::{Component, Path};

use flate2::{Decompress, FlushDecompress, Status};
use wslock_pep::{package_name, PackageName};
use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

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
    read_entry(&mut archive, entry_name)
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
    read_entry(&mut archive, &entry_name)
}

fn is_top_level_pkg_info(path: &Path) -> bool {
    let components: Vec<Component<'_>> = path.components().collect();
    matches!(components.as_slice(), [Component::Normal(_), Component::Normal(file)] if *file == "PKG-INFO")
}

/// The bytes of the entry `entry_name` of `archive`, which its listing named.
///
/// A deflated entry (what wheels and zip sdists use) is inflated here with this thread's
/// inflater, reset for each entry: the zip crate allocated and set up a new 40 KiB one per
/// entry, 7% of a large plan's instructions. Other methods go through the zip crate.
fn read_entry<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    entry_name: &str,
) -> Result<Vec<u8>, ArchiveProblem> {
    let as_problem = |err: io::Error| match err.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => {
            ArchiveProblem::Corrupt(format!("`{entry_name}`: {err}"))
        }
        _ => ArchiveProblem::Io(err),
    };
    let index = archive
        .index_for_name(entry_name)
        .ok_or_else(|| ArchiveProblem::Missing(format!("no entry `{entry_name}`")))?;
    let raw = archive.by_index_raw(index).map_err(zip_problem)?;
    if raw.compression() == CompressionMethod::Deflated && !raw.encrypted() {
        let expected = ExpectedEntry {
            compressed_size: raw.compressed_size(),
            size: raw.size(),
            crc32: raw.crc32(),
        };
        return inflate_entry(raw, expected).map_err(as_problem);
    }
    drop(raw);
    let entry = archive.by_index(index).map_err(zip_problem)?;
    read_limited(entry).map_err(as_problem)
}

/// What an entry's central directory record promises about it.
struct ExpectedEntry {
    compressed_size: u64,
    size: u64,
    crc32: u32,
}

/// Deflate expands at most about 1,032 to 1 (a maximal match of 258 bytes in two bits).
const MAX_DEFLATE_RATIO: u64 = 1032;

thread_local! {
    /// One raw-deflate inflater per thread, reset before each entry.
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// Inflates the raw deflate stream `raw` and checks it against what the central directory
/// promises: the size (so a lying header cannot make us read more than the limit) and the
/// CRC-32 (as the zip crate would).
fn inflate_entry(raw: impl Read, expected: ExpectedEntry) -> io::Result<Vec<u8>> {
    if expected.size > METADATA_LIMIT || expected.compressed_size > METADATA_LIMIT {
        return Err(too_large());
    }
    // The output buffer is sized from the header, so a header may not promise more than its
    // compressed bytes can inflate to: a tiny entry claiming 64 MiB would cost 64 MiB.
    if expected.size > expected.compressed_size.saturating_mul(MAX_DEFLATE_RATIO) + 1024 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the entry claims {} bytes, more than its {} compressed bytes can hold",
                expected.size, expected.compressed_size
            ),
        ));
    }
    let mut compressed = Vec::with_capacity(expected.compressed_size as usize);
    raw.take(expected.compressed_size)
        .read_to_end(&mut compressed)?;
    if compressed.len() as u64 != expected.compressed_size {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the compressed entry is shorter than its header says",
        ));
    }
    // One byte of room past the promised size: a stream that inflates to more shows up as a
    // size mismatch rather than as an unfinished stream.
    let mut bytes = Vec::with_capacity(expected.size as usize + 1);
    let status = INFLATER.with_borrow_mut(|inflater| {
        inflater.reset(false);
        inflater.decompress_vec(&compressed, &mut bytes, FlushDecompress::Finish)
    });
    let status = status.map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    if status != Status::StreamEnd || bytes.len() as u64 != expected.size {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the entry does not inflate to the {} bytes its header says",
                expected.size
            ),
        ));
    }
    if crc32fast::hash(&bytes) != expected.crc32 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the entry's CRC-32 does not match its header",
        ));
    }
    Ok(bytes)
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("metadata file larger than {METADATA_LIMIT} bytes"),
    )
}

fn read_limited(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(METADATA_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > METADATA_LIMIT {
        return Err(too_large());
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

    /// A wheel of `demo` 1.0 whose METADATA is `metadata`, stored with `method`.
    fn wheel_with(metadata: &[u8], method: CompressionMethod) -> Vec<u8> {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        writer.start_file("demo/__init__.py", options).unwrap();
        writer
            .start_file("demo-1.0.dist-info/METADATA", options)
            .unwrap();
        writer.write_all(metadata).unwrap();
        writer.finish().unwrap().into_inner()
    }

    /// The offset of the only CRC-32 field equal to `crc` in the central directory.
    fn central_crc_offset(archive: &[u8], crc: u32) -> usize {
        let central = archive
            .windows(4)
            .rposition(|w| w == b"PK\x01\x02")
            .unwrap();
        central
            + 16
            + archive[central + 16..]
                .windows(4)
                .position(|w| w == crc.to_le_bytes())
                .unwrap()
    }

    fn metadata_of(archive: Vec<u8>) -> Result<Vec<u8>, ArchiveProblem> {
        wheel_metadata(io::Cursor::new(archive), &package_name("demo").unwrap())
    }

    #[test]
    fn reads_deflated_and_stored_entries_with_one_inflater() {
        let long = "Metadata-Version: 2.1\nName: demo\n".repeat(500);
        // Several wheels in a row on one thread: the reused inflater starts clean each time.
        for text in [long.as_str(), "", "Name: demo\n", long.as_str()] {
            for method in [CompressionMethod::Deflated, CompressionMethod::Stored] {
                let bytes = metadata_of(wheel_with(text.as_bytes(), method)).unwrap();
                assert_eq!(bytes, text.as_bytes(), "{method:?}");
            }
        }
    }

    #[test]
    fn a_wrong_crc_or_size_is_a_corrupt_archive() {
        let text = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
        let crc = crc32fast::hash(text);
        let mut archive = wheel_with(text, CompressionMethod::Deflated);
        let offset = central_crc_offset(&archive, crc);
        archive[offset] ^= 1;
        let problem = metadata_of(archive.clone()).unwrap_err();
        assert!(
            matches!(&problem, ArchiveProblem::Corrupt(m) if m.contains("CRC-32")),
            "{problem:?}"
        );
        // The uncompressed size sits 8 bytes after the CRC in the central record.
        archive[offset] ^= 1;
        archive[offset + 8] += 1;
        let problem = metadata_of(archive.clone()).unwrap_err();
        assert!(
            matches!(&problem, ArchiveProblem::Corrupt(m) if m.contains("inflate")),
            "{problem:?}"
        );
        // A size no deflate stream of that length can reach is refused before any buffer is
        // made for it.
        archive[offset + 8..offset + 12].copy_from_slice(&(10u32 << 20).to_le_bytes());
        let problem = metadata_of(archive).unwrap_err();
        assert!(
            matches!(&problem, ArchiveProblem::Corrupt(m) if m.contains("claims 10485760 bytes")),
            "{problem:?}"
        );
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
