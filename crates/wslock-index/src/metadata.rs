//! Core metadata: what a version requires, parsed from `METADATA`, `PKG-INFO` or a PEP 658 file.

use std::str::FromStr;

use wslock_pep::{
    extra_name, package_name, parse_requirement, ExtraName, PackageName, Requirement, Version,
    VersionSpecifiers,
};

use crate::headers::Headers;

/// The core metadata fields the resolver needs, for one version of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Name`, normalised.
    pub name: PackageName,
    /// `Version`.
    pub version: Version,
    /// Every `Requires-Dist`, in file order.
    pub requires_dist: Vec<Requirement>,
    /// Every `Provides-Extra`, normalised, in file order, without duplicates.
    pub provides_extra: Vec<ExtraName>,
    /// `Requires-Python`, if present.
    pub requires_python: Option<VersionSpecifiers>,
}

/// Core metadata text that is not valid: a required field is missing or a field does not parse.
/// The message quotes the offending line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MetadataParseError(pub(crate) String);

impl MetadataParseError {
    /// What is wrong, quoting the offending line.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

/// Why a metadata file could not be used; the caller adds the package, version and file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MetadataProblem {
    /// The file is not valid core metadata.
    Invalid(String),
    /// An sdist's `PKG-INFO` does not promise that the dependency fields are static.
    NotStatic(String),
}

/// Fields whose value an sdist's `PKG-INFO` must not mark `Dynamic` for us to trust it
/// without a build (PEP 643): the ones the resolver reads.
const RESOLVER_FIELDS: [&str; 3] = ["requires-dist", "requires-python", "provides-extra"];

impl CoreMetadata {
    /// Parses core metadata as found in a wheel's `.dist-info/METADATA` or in a PEP 658
    /// `.metadata` file. Any metadata version is accepted: a built wheel's fields are final.
    pub fn parse(bytes: &[u8]) -> Result<CoreMetadata, MetadataParseError> {
        Self::from_headers(&Headers::parse(bytes)).map_err(MetadataParseError)
    }

    /// Parses an sdist's `PKG-INFO`, which describes the built result only when it says so:
    /// metadata 2.2 or later (PEP 643), with none of the resolver's fields marked `Dynamic`.
    pub(crate) fn parse_static_pkg_info(bytes: &[u8]) -> Result<CoreMetadata, MetadataProblem> {
        let headers = Headers::parse(bytes);
        let declared = headers.first("metadata-version").unwrap_or("");
        match metadata_version(declared) {
            Some(version) if version >= (2, 2) => {}
            _ => {
                let shown = if declared.is_empty() {
                    "no Metadata-Version"
                } else {
                    declared
                };
                return Err(MetadataProblem::NotStatic(format!(
                    "its PKG-INFO has Metadata-Version {shown}; only 2.2 and later (PEP 643) say which fields are static"
                )));
            }
        }
        if let Some(field) = headers.all("dynamic").find(|field| {
            RESOLVER_FIELDS
                .iter()
                .any(|known| field.eq_ignore_ascii_case(known))
        }) {
            return Err(MetadataProblem::NotStatic(format!(
                "its PKG-INFO marks `{field}` as dynamic"
            )));
        }
        Self::from_headers(&headers).map_err(MetadataProblem::Invalid)
    }

    fn from_headers(headers: &Headers) -> Result<CoreMetadata, String> {
        let name_text = headers.first("name").ok_or("missing `Name`")?;
        let name = package_name(name_text).map_err(|err| format!("`Name`: {err}"))?;
        let version_text = headers.first("version").ok_or("missing `Version`")?;
        let version = Version::from_str(version_text)
            .map_err(|err| format!("`Version: {version_text}`: {err}"))?;
        let requires_dist = headers
            .all("requires-dist")
            .map(|line| {
                parse_requirement(line).map_err(|err| format!("`Requires-Dist: {line}`: {err}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let requires_python = headers
            .first("requires-python")
            .filter(|text| !text.is_empty())
            .map(|text| {
                VersionSpecifiers::from_str(text)
                    .map_err(|err| format!("`Requires-Python: {text}`: {err}"))
            })
            .transpose()?;
        let mut provides_extra: Vec<ExtraName> = Vec::new();
        for text in headers.all("provides-extra") {
            // uv skips extras that are not valid names (some old uploads have them) rather
            // than rejecting the whole version; a requirement naming one could never match.
            match extra_name(text) {
                Ok(extra) if !provides_extra.contains(&extra) => provides_extra.push(extra),
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!("ignoring `Provides-Extra: {text}` of {name} {version}: {err}")
                }
            }
        }
        Ok(CoreMetadata {
            name,
            version,
            requires_dist,
            provides_extra,
            requires_python,
        })
    }
}

/// `2.2` → `(2, 2)`; anything else → `None`.
fn metadata_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_resolver_fields() {
        let text = "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0.0\nRequires-Python: >=3.8\nRequires-Dist: idna>=2.5\nRequires-Dist: pysocks!=1.5.7,>=1.5.6; extra == \"socks\"\nProvides-Extra: socks\nProvides-Extra: Socks\nProvides-Extra: not valid!\n\nlong description\n";
        let metadata = CoreMetadata::parse(text.as_bytes()).unwrap();
        assert_eq!(metadata.name.as_ref(), "demo-pkg");
        assert_eq!(metadata.version.to_string(), "1.0.0");
        assert_eq!(metadata.requires_dist.len(), 2);
        assert_eq!(metadata.requires_dist[1].name.as_ref(), "pysocks");
        assert_eq!(metadata.provides_extra.len(), 1);
        assert_eq!(metadata.requires_python.unwrap().to_string(), ">=3.8");
    }

    #[test]
    fn errors_name_the_offending_line() {
        let missing = CoreMetadata::parse(b"Version: 1.0\n").unwrap_err();
        assert_eq!(missing.reason(), "missing `Name`");
        let bad = CoreMetadata::parse(b"Name: a\nVersion: 1.0\nRequires-Dist: b >>= 2\n")
            .unwrap_err()
            .to_string();
        assert!(bad.starts_with("`Requires-Dist: b >>= 2`"), "{bad}");
        let python = CoreMetadata::parse(b"Name: a\nVersion: 1\nRequires-Python: >=three\n")
            .unwrap_err()
            .to_string();
        assert!(python.starts_with("`Requires-Python: >=three`"), "{python}");
        assert!(CoreMetadata::parse(b"Name: a\nVersion: one\n").is_err());
    }

    /// `pep508_rs` 0.9.2 panics on a name ending in `-`, `_` or `.` with more text after it;
    /// an index serving such a line must not abort the resolver (`metadata` fuzz target).
    #[test]
    fn names_ending_in_a_separator_are_errors() {
        for line in ["foo- >=1", "foo[bar_]", "foo.; extra == 'x'"] {
            assert_requires_dist_is_an_error(line);
        }
    }

    /// Markers `pep508_rs` 0.9.2 panics on: a word after an expression, or an error span, that
    /// ends inside a multi-byte character (`metadata` fuzz target,
    /// `testdata/bad/fuzz-crashers/metadata-*`).
    #[test]
    fn markers_with_misplaced_non_ascii_are_errors() {
        for line in [
            "a ; os_name == 'nt' aé",
            "a ; extra == 'x' éé",
            "a ; (os_name == 'nt')é",
        ] {
            assert_requires_dist_is_an_error(line);
        }
    }

    /// Metadata with `Requires-Dist: line` fails, and the error quotes the line.
    fn assert_requires_dist_is_an_error(line: &str) {
        let text = format!("Name: a\nVersion: 1\nRequires-Dist: {line}\n");
        let error = CoreMetadata::parse(text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("`Requires-Dist: {line}`")),
            "{error}"
        );
    }

    #[test]
    fn pkg_info_must_be_static() {
        let ok = CoreMetadata::parse_static_pkg_info(
            b"Metadata-Version: 2.2\nName: a\nVersion: 1\nDynamic: Description\nRequires-Dist: b\n",
        )
        .unwrap();
        assert_eq!(ok.requires_dist.len(), 1);

        let old =
            CoreMetadata::parse_static_pkg_info(b"Metadata-Version: 2.1\nName: a\nVersion: 1\n");
        assert!(matches!(old, Err(MetadataProblem::NotStatic(reason)) if reason.contains("2.1")));
        let none = CoreMetadata::parse_static_pkg_info(b"Name: a\nVersion: 1\n");
        assert!(
            matches!(none, Err(MetadataProblem::NotStatic(reason)) if reason.contains("no Metadata-Version"))
        );
        let dynamic = CoreMetadata::parse_static_pkg_info(
            b"Metadata-Version: 2.4\nName: a\nVersion: 1\nDynamic: requires-dist\n",
        );
        assert!(
            matches!(dynamic, Err(MetadataProblem::NotStatic(reason)) if reason.contains("requires-dist"))
        );
        let invalid = CoreMetadata::parse_static_pkg_info(b"Metadata-Version: 2.2\nVersion: 1\n");
        assert!(matches!(invalid, Err(MetadataProblem::Invalid(_))));
    }
}
