//! Builders for real wheel and sdist files, for tests (cargo feature `testing`).
//!
//! The files are what packaging tools produce, reduced to what matters for metadata: a wheel
//! is a zip with `<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}` and one module; an
//! sdist is a `.tar.gz` (or `.zip`) with `<name>-<version>/PKG-INFO` and a `pyproject.toml`.
//! Output is deterministic (fixed timestamps and order), so digests are stable across runs.
//!
//! ```
//! use wslock_index::testing::{SdistBuilder, WheelBuilder};
//!
//! let dir = tempfile::tempdir()?;
//! let wheel = WheelBuilder::new("demo", "1.0")
//!     .requires_dist("idna>=3")
//!     .requires_python(">=3.9")
//!     .write_to(dir.path())?;
//! assert!(wheel.ends_with("demo-1.0-py3-none-any.whl"));
//! let sdist = SdistBuilder::new("demo", "1.1").dynamic("Requires-Dist").write_to(dir.path())?;
//! assert!(sdist.ends_with("demo-1.1.tar.gz"));
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Cursor, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::hash::Sha256Digest;

/// The core metadata fields both builders write.
#[derive(Debug, Clone)]
struct Fields {
    name: String,
    version: String,
    metadata_version: String,
    requires_dist: Vec<String>,
    provides_extra: Vec<String>,
    requires_python: Option<String>,
    dynamic: Vec<String>,
    raw: Option<String>,
}

impl Fields {
    fn new(name: &str, version: &str, metadata_version: &str) -> Fields {
        Fields {
            name: name.to_string(),
            version: version.to_string(),
            metadata_version: metadata_version.to_string(),
            requires_dist: Vec::new(),
            provides_extra: Vec::new(),
            requires_python: None,
            dynamic: Vec::new(),
            raw: None,
        }
    }

    fn render(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut text = format!(
            "Metadata-Version: {}\nName: {}\nVersion: {}\nSummary: A test package\n",
            self.metadata_version, self.name, self.version
        );
        for field in &self.dynamic {
            text.push_str(&format!("Dynamic: {field}\n"));
        }
        if let Some(requires_python) = &self.requires_python {
            text.push_str(&format!("Requires-Python: {requires_python}\n"));
        }
        for extra in &self.provides_extra {
            text.push_str(&format!("Provides-Extra: {extra}\n"));
        }
        for requirement in &self.requires_dist {
            text.push_str(&format!("Requires-Dist: {requirement}\n"));
        }
        text.push_str(
            "Description-Content-Type: text/plain\n\nA package built by wslock's tests.\n",
        );
        text
    }
}

/// The name as it appears in wheel and PEP 625 sdist filenames: runs of `-`, `_`, `.` become
/// one `_`, letters lowercase.
fn escaped(name: &str) -> String {
    let mut out = String::new();
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('_');
            }
            separator = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Builds a wheel: `WheelBuilder::new("demo", "1.0").requires_dist("idna").write_to(dir)`.
#[derive(Debug, Clone)]
pub struct WheelBuilder {
    fields: Fields,
    tag: String,
    filename: Option<String>,
    metadata: bool,
    files: Vec<(String, Vec<u8>)>,
}

impl WheelBuilder {
    /// A pure-Python wheel (`py3-none-any`) with metadata 2.1.
    pub fn new(name: &str, version: &str) -> WheelBuilder {
        WheelBuilder {
            fields: Fields::new(name, version, "2.1"),
            tag: "py3-none-any".to_string(),
            filename: None,
            metadata: true,
            files: Vec::new(),
        }
    }

    /// Adds a file to the wheel, after the `.dist-info` metadata (so a large one pushes
    /// `METADATA` away from the end of the archive, as in real wheels with big modules).
    pub fn file(mut self, path: &str, contents: &[u8]) -> Self {
        self.files.push((path.to_string(), contents.to_vec()));
        self
    }

    /// Adds a `Requires-Dist` line.
    pub fn requires_dist(mut self, requirement: &str) -> Self {
        self.fields.requires_dist.push(requirement.to_string());
        self
    }

    /// Adds a `Provides-Extra` line.
    pub fn provides_extra(mut self, extra: &str) -> Self {
        self.fields.provides_extra.push(extra.to_string());
        self
    }

    /// Sets `Requires-Python`.
    pub fn requires_python(mut self, specifiers: &str) -> Self {
        self.fields.requires_python = Some(specifiers.to_string());
        self
    }

    /// The `python-abi-platform` tag (default `py3-none-any`).
    pub fn tag(mut self, tag: &str) -> Self {
        self.tag = tag.to_string();
        self
    }

    /// Uses this filename instead of the normalised one (to test unusual spellings).
    pub fn filename(mut self, filename: &str) -> Self {
        self.filename = Some(filename.to_string());
        self
    }

    /// Writes this text as `METADATA` instead of the generated one.
    pub fn metadata_text(mut self, text: &str) -> Self {
        self.fields.raw = Some(text.to_string());
        self
    }

    /// Leaves `METADATA` out (`WHEEL` and `RECORD` are still written).
    pub fn without_metadata(mut self) -> Self {
        self.metadata = false;
        self
    }

    /// The filename the wheel gets.
    pub fn file_name(&self) -> String {
        self.filename.clone().unwrap_or_else(|| {
            format!(
                "{}-{}-{}.whl",
                escaped(&self.fields.name),
                self.fields.version,
                self.tag
            )
        })
    }

    /// The wheel's bytes.
    pub fn build(&self) -> io::Result<Vec<u8>> {
        let module = escaped(&self.fields.name);
        let dist_info = format!("{module}-{}.dist-info", self.fields.version);
        let mut entries: Vec<(String, Vec<u8>)> = vec![(
            format!("{module}/__init__.py"),
            format!("__version__ = \"{}\"\n", self.fields.version).into_bytes(),
        )];
        if self.metadata {
            entries.push((
                format!("{dist_info}/METADATA"),
                self.fields.render().into_bytes(),
            ));
        }
        entries.push((
            format!("{dist_info}/WHEEL"),
            format!(
                "Wheel-Version: 1.0\nGenerator: wslock-index-testing\nRoot-Is-Purelib: true\nTag: {}\n",
                self.tag
            )
            .into_bytes(),
        ));
        entries.extend(self.files.iter().cloned());
        let mut record = String::new();
        for (path, bytes) in &entries {
            record.push_str(&format!(
                "{path},sha256={},{}\n",
                record_digest(bytes),
                bytes.len()
            ));
        }
        record.push_str(&format!("{dist_info}/RECORD,,\n"));
        entries.push((format!("{dist_info}/RECORD"), record.into_bytes()));
        write_zip(&entries)
    }

    /// Writes the wheel into `dir` and returns its path.
    pub fn write_to(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(self.file_name());
        std::fs::write(&path, self.build()?)?;
        Ok(path)
    }
}

/// The archive format of a built sdist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdistFormat {
    /// `.tar.gz` (the default, and the only one PEP 625 allows).
    TarGz,
    /// `.zip` (legacy).
    Zip,
}

/// Builds an sdist: `SdistBuilder::new("demo", "1.0").requires_dist("idna").write_to(dir)`.
#[derive(Debug, Clone)]
pub struct SdistBuilder {
    fields: Fields,
    format: SdistFormat,
    filename: Option<String>,
    pkg_info: bool,
}

impl SdistBuilder {
    /// A `.tar.gz` sdist whose `PKG-INFO` is metadata 2.2 with nothing dynamic, so its
    /// dependencies can be read without a build.
    pub fn new(name: &str, version: &str) -> SdistBuilder {
        SdistBuilder {
            fields: Fields::new(name, version, "2.2"),
            format: SdistFormat::TarGz,
            filename: None,
            pkg_info: true,
        }
    }

    /// Adds a `Requires-Dist` line.
    pub fn requires_dist(mut self, requirement: &str) -> Self {
        self.fields.requires_dist.push(requirement.to_string());
        self
    }

    /// Adds a `Provides-Extra` line.
    pub fn provides_extra(mut self, extra: &str) -> Self {
        self.fields.provides_extra.push(extra.to_string());
        self
    }

    /// Sets `Requires-Python`.
    pub fn requires_python(mut self, specifiers: &str) -> Self {
        self.fields.requires_python = Some(specifiers.to_string());
        self
    }

    /// Sets `Metadata-Version` (below 2.2, `PKG-INFO` cannot say its fields are static).
    pub fn metadata_version(mut self, version: &str) -> Self {
        self.fields.metadata_version = version.to_string();
        self
    }

    /// Marks a field `Dynamic` (PEP 643): its value is only known after a build.
    pub fn dynamic(mut self, field: &str) -> Self {
        self.fields.dynamic.push(field.to_string());
        self
    }

    /// Writes this text as `PKG-INFO` instead of the generated one.
    pub fn pkg_info_text(mut self, text: &str) -> Self {
        self.fields.raw = Some(text.to_string());
        self
    }

    /// Leaves `PKG-INFO` out.
    pub fn without_pkg_info(mut self) -> Self {
        self.pkg_info = false;
        self
    }

    /// The archive format.
    pub fn format(mut self, format: SdistFormat) -> Self {
        self.format = format;
        self
    }

    /// Uses this filename instead of the normalised one.
    pub fn filename(mut self, filename: &str) -> Self {
        self.filename = Some(filename.to_string());
        self
    }

    /// The filename the sdist gets.
    pub fn file_name(&self) -> String {
        self.filename.clone().unwrap_or_else(|| {
            let extension = match self.format {
                SdistFormat::TarGz => "tar.gz",
                SdistFormat::Zip => "zip",
            };
            format!(
                "{}-{}.{extension}",
                escaped(&self.fields.name),
                self.fields.version
            )
        })
    }

    /// The sdist's bytes.
    pub fn build(&self) -> io::Result<Vec<u8>> {
        let top = format!("{}-{}", escaped(&self.fields.name), self.fields.version);
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        if self.pkg_info {
            entries.push((format!("{top}/PKG-INFO"), self.fields.render().into_bytes()));
        }
        entries.push((
            format!("{top}/pyproject.toml"),
            format!(
                "[project]\nname = \"{}\"\nversion = \"{}\"\n\n[build-system]\nrequires = [\"flit_core>=3.2\"]\nbuild-backend = \"flit_core.buildapi\"\n",
                self.fields.name, self.fields.version
            )
            .into_bytes(),
        ));
        entries.push((
            format!("{top}/{}/__init__.py", escaped(&self.fields.name)),
            b"".to_vec(),
        ));
        match self.format {
            SdistFormat::TarGz => write_tar_gz(&entries),
            SdistFormat::Zip => write_zip(&entries),
        }
    }

    /// Writes the sdist into `dir` and returns its path.
    pub fn write_to(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(self.file_name());
        std::fs::write(&path, self.build()?)?;
        Ok(path)
    }
}

/// RECORD's digest format: urlsafe base64 without padding (PEP 376/427).
fn record_digest(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let digest = Sha256Digest::of_bytes(bytes);
    let mut out = String::new();
    for chunk in digest.as_bytes().chunks(3) {
        let value = chunk.iter().enumerate().fold(0u32, |value, (index, byte)| {
            value | (u32::from(*byte) << (16 - 8 * index))
        });
        for index in 0..=chunk.len() {
            out.push(char::from(
                ALPHABET[((value >> (18 - 6 * index)) & 63) as usize],
            ));
        }
    }
    out
}

fn write_zip(entries: &[(String, Vec<u8>)]) -> io::Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (path, bytes) in entries {
        writer
            .start_file(path.as_str(), options)
            .map_err(io::Error::other)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish().map_err(io::Error::other)?.into_inner())
}

fn write_tar_gz(entries: &[(String, Vec<u8>)]) -> io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    for (path, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, path, bytes.as_slice())?;
    }
    builder.into_inner()?.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_like_pep_427() {
        assert_eq!(escaped("Foo.Bar--baz"), "foo_bar_baz");
        assert_eq!(
            WheelBuilder::new("Foo-Bar", "1.0").file_name(),
            "foo_bar-1.0-py3-none-any.whl"
        );
    }

    #[test]
    fn record_digests_are_urlsafe_base64_without_padding() {
        // sha256("") in RECORD form, as pip writes it.
        assert_eq!(
            record_digest(b""),
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }

    #[test]
    fn builds_are_deterministic() {
        let wheel = WheelBuilder::new("demo", "1.0").requires_dist("idna");
        assert_eq!(wheel.build().unwrap(), wheel.build().unwrap());
        let sdist = SdistBuilder::new("demo", "1.0");
        assert_eq!(sdist.build().unwrap(), sdist.build().unwrap());
    }
}
