//! Wheel (PEP 427) and source distribution (PEP 625 and legacy) filenames.
//!
//! Indexes and find-links folders list files by name only; the name says which package,
//! which version and, for wheels, which interpreters and platforms a file is for.

use std::fmt;
use std::str::FromStr;

use wslock_pep::{package_name, PackageName, Version};

/// A filename that is not a wheel or source distribution of the package asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{filename}` is not a valid distribution filename: {reason}")]
pub struct FilenameError {
    /// The filename as listed.
    pub filename: String,
    /// What is wrong with it.
    pub reason: String,
}

fn invalid(filename: &str, reason: impl Into<String>) -> FilenameError {
    FilenameError {
        filename: filename.to_string(),
        reason: reason.into(),
    }
}

/// A parsed wheel filename: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.
///
/// Tag fields are "compressed tag sets" (`py2.py3` means either), so each is a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WheelFilename {
    /// The normalised package name (`Foo.Bar` in the filename becomes `foo-bar`).
    pub name: PackageName,
    /// The version.
    pub version: Version,
    /// The optional build tag (starts with a digit).
    pub build: Option<String>,
    /// Python tags, such as `py3` or `cp312`.
    pub python_tags: Vec<String>,
    /// ABI tags, such as `none`, `abi3` or `cp312`.
    pub abi_tags: Vec<String>,
    /// Platform tags, such as `any` or `manylinux_2_17_x86_64`.
    pub platform_tags: Vec<String>,
    raw: String,
}

impl WheelFilename {
    /// Parses a wheel filename. The name part may be unnormalised (`Foo.Bar-1.0-…`), as uv
    /// accepts such files in find-links folders.
    pub fn parse(filename: &str) -> Result<Self, FilenameError> {
        let stem = strip_suffix_ignore_case(filename, ".whl")
            .ok_or_else(|| invalid(filename, "a wheel filename must end in `.whl`"))?;
        let parts: Vec<&str> = stem.split('-').collect();
        let (name, version, build, tags) = match parts.as_slice() {
            [name, version, python, abi, platform] => {
                (*name, *version, None, [*python, *abi, *platform])
            }
            [name, version, build, python, abi, platform] => {
                (*name, *version, Some(*build), [*python, *abi, *platform])
            }
            _ => return Err(invalid(
                filename,
                "expected `{name}-{version}(-{build})?-{python tag}-{abi tag}-{platform tag}.whl`",
            )),
        };
        let name = package_name(name).map_err(|err| invalid(filename, err.to_string()))?;
        let version = Version::from_str(version)
            .map_err(|err| invalid(filename, format!("invalid version `{version}`: {err}")))?;
        if let Some(build) = build {
            if !build.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(invalid(
                    filename,
                    format!("build tag `{build}` must start with a digit"),
                ));
            }
        }
        // Tags are ASCII letters, digits and `_` (`manylinux_2_17_x86_64`); anything else
        // (a `/` from a hostile index, say) never names a real platform.
        let split = |tag: &str| -> Result<Vec<String>, FilenameError> {
            let valid = |part: &str| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            if !tag.split('.').all(valid) {
                return Err(invalid(filename, format!("invalid tag `{tag}`")));
            }
            Ok(tag.split('.').map(str::to_string).collect())
        };
        Ok(WheelFilename {
            name,
            version,
            build: build.map(str::to_string),
            python_tags: split(tags[0])?,
            abi_tags: split(tags[1])?,
            platform_tags: split(tags[2])?,
            raw: filename.to_string(),
        })
    }

    /// The filename exactly as listed.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the wheel is pure Python for any platform (`none` ABI and `any` platform).
    pub fn is_universal(&self) -> bool {
        self.abi_tags.iter().any(|tag| tag == "none")
            && self.platform_tags.iter().any(|tag| tag == "any")
    }
}

/// The archive format of a source distribution, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SdistExtension {
    /// `.tar.gz` (the only one PEP 625 allows) or `.tgz`.
    TarGz,
    /// `.zip` (legacy).
    Zip,
    /// `.tar` (legacy).
    Tar,
    /// `.tar.bz2` or `.tbz` (legacy).
    TarBz2,
    /// `.tar.xz` or `.txz` (legacy).
    TarXz,
    /// `.tar.zst` (legacy).
    TarZst,
    /// `.tar.lzma` (legacy).
    TarLzma,
}

/// Longest first, so `.tar.gz` is tried before `.tar`.
const SDIST_EXTENSIONS: [(&str, SdistExtension); 10] = [
    (".tar.lzma", SdistExtension::TarLzma),
    (".tar.bz2", SdistExtension::TarBz2),
    (".tar.zst", SdistExtension::TarZst),
    (".tar.gz", SdistExtension::TarGz),
    (".tar.xz", SdistExtension::TarXz),
    (".tgz", SdistExtension::TarGz),
    (".tbz", SdistExtension::TarBz2),
    (".txz", SdistExtension::TarXz),
    (".zip", SdistExtension::Zip),
    (".tar", SdistExtension::Tar),
];

/// A parsed source distribution filename: `{name}-{version}{extension}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SdistFilename {
    /// The normalised package name.
    pub name: PackageName,
    /// The version.
    pub version: Version,
    /// The archive format.
    pub extension: SdistExtension,
    raw: String,
}

impl SdistFilename {
    /// Parses an sdist filename of the package `name`.
    ///
    /// Legacy sdists keep dashes in the name (`foo-bar-1.0.tar.gz`), so the split between name
    /// and version is ambiguous without knowing the package; as uv does, we look for a prefix
    /// that normalises to `name` and read the rest as the version. `Foo_Bar-1.0.tar.gz`,
    /// `foo-bar-1.0.tar.gz` and `foo_bar-1.0.tar.gz` are all `foo-bar` 1.0.
    pub fn parse(filename: &str, name: &PackageName) -> Result<Self, FilenameError> {
        let (stem, extension) = SDIST_EXTENSIONS
            .iter()
            .find_map(|(suffix, extension)| {
                strip_suffix_ignore_case(filename, suffix).map(|stem| (stem, *extension))
            })
            .ok_or_else(|| invalid(filename, "not a wheel or a source distribution archive"))?;
        for (position, _) in stem.match_indices('-') {
            let (prefix, rest) = (&stem[..position], &stem[position + 1..]);
            if package_name(prefix).ok().as_ref() != Some(name) {
                continue;
            }
            let version = Version::from_str(rest)
                .map_err(|err| invalid(filename, format!("invalid version `{rest}`: {err}")))?;
            return Ok(SdistFilename {
                name: name.clone(),
                version,
                extension,
                raw: filename.to_string(),
            });
        }
        Err(invalid(filename, format!("the name part is not `{name}`")))
    }

    /// The filename exactly as listed.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

/// A wheel or a source distribution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DistFilename {
    /// A built distribution.
    Wheel(WheelFilename),
    /// A source distribution.
    Sdist(SdistFilename),
}

impl DistFilename {
    /// Parses `filename` as a distribution of the package `name`. A wheel of another package
    /// is an error too, so a listing can be filtered by trying every file.
    pub fn parse(filename: &str, name: &PackageName) -> Result<Self, FilenameError> {
        if strip_suffix_ignore_case(filename, ".whl").is_some() {
            let wheel = WheelFilename::parse(filename)?;
            if &wheel.name != name {
                return Err(invalid(filename, format!("the name part is not `{name}`")));
            }
            return Ok(DistFilename::Wheel(wheel));
        }
        SdistFilename::parse(filename, name).map(DistFilename::Sdist)
    }

    /// The normalised package name.
    pub fn name(&self) -> &PackageName {
        match self {
            DistFilename::Wheel(wheel) => &wheel.name,
            DistFilename::Sdist(sdist) => &sdist.name,
        }
    }

    /// The version.
    pub fn version(&self) -> &Version {
        match self {
            DistFilename::Wheel(wheel) => &wheel.version,
            DistFilename::Sdist(sdist) => &sdist.version,
        }
    }

    /// The filename exactly as listed.
    pub fn as_str(&self) -> &str {
        match self {
            DistFilename::Wheel(wheel) => wheel.as_str(),
            DistFilename::Sdist(sdist) => sdist.as_str(),
        }
    }

    /// The wheel, if this is one.
    pub fn as_wheel(&self) -> Option<&WheelFilename> {
        match self {
            DistFilename::Wheel(wheel) => Some(wheel),
            DistFilename::Sdist(_) => None,
        }
    }

    /// Whether this is a wheel.
    pub fn is_wheel(&self) -> bool {
        matches!(self, DistFilename::Wheel(_))
    }
}

impl fmt::Display for DistFilename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    if !text.is_char_boundary(split) || !text[split..].eq_ignore_ascii_case(suffix) {
        return None;
    }
    let stem = &text[..split];
    (!stem.is_empty()).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> PackageName {
        package_name(text).unwrap()
    }

    #[test]
    fn wheel_filenames() {
        let wheel = WheelFilename::parse("Foo.Bar-1.0_post1-2x-py2.py3-none-any.whl").unwrap();
        assert_eq!(wheel.name.as_ref(), "foo-bar");
        assert_eq!(wheel.version.to_string(), "1.0.post1");
        assert_eq!(wheel.build.as_deref(), Some("2x"));
        assert_eq!(wheel.python_tags, ["py2", "py3"]);
        assert!(wheel.is_universal());
        assert_eq!(wheel.as_str(), "Foo.Bar-1.0_post1-2x-py2.py3-none-any.whl");

        let native = WheelFilename::parse(
            "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        .unwrap();
        assert_eq!(native.platform_tags.len(), 2);
        assert!(!native.is_universal());

        for bad in [
            "foo-1.0.whl",
            "foo-1.0-py3-none.whl",
            "foo-bar-1.0-1-py3-none-any-x.whl",
            "foo-notaversion-py3-none-any.whl",
            "foo-1.0-x1-py3-none-any.whl",
            "foo-1.0-py3..x-none-any.whl",
            "foo-1.0-py3-none-a/b.whl",
            "-1.0-py3-none-any.whl",
            "foo-1.0-py3-none-any.zip",
        ] {
            assert!(WheelFilename::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sdist_filenames_need_the_package_name() {
        let foo_bar = name("foo-bar");
        for (file, version, extension) in [
            ("foo_bar-1.0.tar.gz", "1.0", SdistExtension::TarGz),
            ("Foo_Bar-2.0.TAR.GZ", "2.0", SdistExtension::TarGz),
            ("foo-bar-3.0.zip", "3.0", SdistExtension::Zip),
            (
                "foo.bar-4.0-post1.tar.bz2",
                "4.0.post1",
                SdistExtension::TarBz2,
            ),
            ("foo-bar-5.0.tgz", "5.0", SdistExtension::TarGz),
            ("foo-bar-6.0.tar", "6.0", SdistExtension::Tar),
        ] {
            let sdist = SdistFilename::parse(file, &foo_bar).unwrap();
            assert_eq!(sdist.version.to_string(), version, "{file}");
            assert_eq!(sdist.extension, extension, "{file}");
            assert_eq!(sdist.name, foo_bar);
        }
        // `foo-1.0.tar.gz` is not a file of `foo-bar`, and `foo-bar-1.0.tar.gz` is not `foo`'s
        // 'bar-1.0'.
        assert!(SdistFilename::parse("foo-1.0.tar.gz", &foo_bar).is_err());
        assert!(SdistFilename::parse("foo-bar-1.0.tar.gz", &name("foo")).is_err());
        assert!(SdistFilename::parse("foo-bar-x.tar.gz", &foo_bar).is_err());
        assert!(SdistFilename::parse("foo-bar-1.0.rar", &foo_bar).is_err());
        assert!(SdistFilename::parse(".tar.gz", &foo_bar).is_err());
    }

    #[test]
    fn dist_filename_filters_by_package() {
        let foo = name("foo");
        assert!(DistFilename::parse("foo-1.0-py3-none-any.whl", &foo)
            .unwrap()
            .is_wheel());
        assert!(DistFilename::parse("bar-1.0-py3-none-any.whl", &foo).is_err());
        let sdist = DistFilename::parse("foo-1.0.tar.gz", &foo).unwrap();
        assert_eq!(sdist.version().to_string(), "1.0");
        assert_eq!(sdist.to_string(), "foo-1.0.tar.gz");
        assert!(DistFilename::parse("README.md", &foo).is_err());
    }
}
