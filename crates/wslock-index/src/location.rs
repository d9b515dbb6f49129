//! Where a file, an index or a find-links page lives: a local path or a URL.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use url::Url;

/// A local path or a remote URL.
///
/// `file:` URLs become paths, so code that reads local files never has to look at URL schemes;
/// [`Location::parse`] is the one place that decides between the two.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// A file or directory on this machine.
    Path(PathBuf),
    /// An `http:` or `https:` URL.
    Url(Url),
}

impl Location {
    /// Reads an index URL, find-links entry or file location as a user wrote it.
    ///
    /// `http(s)://` text is a URL, `file://` text is the path it names, and anything else is a
    /// path, joined to `base` when relative (the caller passes the working directory for the
    /// command line and environment, the project root for `pyproject.toml`). Text such as
    /// `C:\wheels` is a path, not a URL with scheme `c`. A path is normalised lexically, as uv
    /// does before reading it: `sub/../links` names `links` even when `sub` does not exist.
    pub fn parse(text: &str, base: &Path) -> Result<Location, url::ParseError> {
        if let Some((scheme, _)) = text.split_once("://") {
            let scheme = scheme.to_ascii_lowercase();
            if scheme == "http" || scheme == "https" || scheme == "file" {
                return Ok(Location::from_url(Url::parse(text)?));
            }
        }
        let path = Path::new(text);
        Ok(Location::Path(normalize_lexically(
            &if path.is_absolute() {
                path.to_path_buf()
            } else {
                base.join(path)
            },
        )))
    }

    /// Whether `text`, as a user wrote it, names a location absolutely: an absolute path or a
    /// `file://` URL (uv's `VerbatimUrl::was_given_absolute`). uv.lock spells a local registry
    /// written so, and its files, by absolute path, and one written relative by its path
    /// relative to the workspace root.
    pub fn is_written_absolute(text: &str) -> bool {
        if let Some((scheme, _)) = text.split_once("://") {
            return scheme.eq_ignore_ascii_case("file");
        }
        Path::new(text).is_absolute()
    }

    /// A URL as a location: `file:` URLs become paths.
    pub fn from_url(url: Url) -> Location {
        if url.scheme() == "file" {
            if let Ok(path) = url.to_file_path() {
                return Location::Path(path);
            }
        }
        Location::Url(url)
    }

    /// The path, for a local location.
    pub fn as_path(&self) -> Option<&Path> {
        match self {
            Location::Path(path) => Some(path),
            Location::Url(_) => None,
        }
    }

    /// The URL, for a remote location.
    pub fn as_url(&self) -> Option<&Url> {
        match self {
            Location::Path(_) => None,
            Location::Url(url) => Some(url),
        }
    }
}

/// Drops `.` and cancels `name/..` pairs without touching the file system (a `..` above the
/// root is dropped), as uv's `normalize_path` does for a location given as a path.
fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Path(path) => write!(f, "{}", path.display()),
            Location::Url(url) => write!(f, "{url}"),
        }
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Self {
        Location::Path(path)
    }
}

impl From<Url> for Location {
    fn from(url: Url) -> Self {
        Location::from_url(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_tells_urls_from_paths() {
        let base = Path::new("/work/project");
        assert_eq!(
            Location::parse("https://example.org/simple", base).unwrap(),
            Location::Url(Url::parse("https://example.org/simple").unwrap())
        );
        assert_eq!(
            Location::parse("file:///srv/wheels", base).unwrap(),
            Location::Path(PathBuf::from("/srv/wheels"))
        );
        assert_eq!(
            Location::parse("wheels", base).unwrap(),
            Location::Path(PathBuf::from("/work/project/wheels"))
        );
        assert_eq!(
            Location::parse("/abs", base).unwrap(),
            Location::Path(PathBuf::from("/abs"))
        );
        assert!(Location::parse("http://[bad", base).is_err());
        assert_eq!(
            Location::parse("./missing/../wheels/", base).unwrap(),
            Location::Path(PathBuf::from("/work/project/wheels"))
        );
        assert_eq!(
            Location::parse("/srv/x/.././links", base).unwrap(),
            Location::Path(PathBuf::from("/srv/links"))
        );
    }

    #[test]
    fn absolute_spellings_are_paths_and_file_urls() {
        assert!(Location::is_written_absolute("/srv/links"));
        assert!(Location::is_written_absolute("/srv/ws/../links"));
        assert!(Location::is_written_absolute("file:///srv/links"));
        assert!(Location::is_written_absolute("FILE:///srv/links"));
        assert!(!Location::is_written_absolute("links"));
        assert!(!Location::is_written_absolute("../links"));
        assert!(!Location::is_written_absolute("./links"));
        assert!(!Location::is_written_absolute(
            "https://example.org/links.html"
        ));
    }
}
