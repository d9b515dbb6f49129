//! Paths as the lock writes them: relative to a base directory, with forward slashes, or
//! absolute where the user wrote a local registry's location absolutely.

use std::path::{Component, Path, PathBuf};

/// `path` relative to `base`, lexically (no symlink is resolved, so a symlinked member keeps its
/// spelling, R7.5), with `/` separators; `.` when they are the same directory.
///
/// Both paths are absolute in practice. `..` segments are cancelled lexically first, so a member
/// discovered as `<root>/../peer` (uv keeps the spelling of a member glob outside the root)
/// comes out as `../peer`.
pub(crate) fn relative_path(base: &Path, path: &Path) -> String {
    let base = normalized(base);
    let path = normalized(path);
    let common = base
        .iter()
        .zip(path.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(std::iter::repeat_n("..".to_string(), base.len() - common));
    parts.extend(path[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `path` with `.` dropped and `..` cancelled lexically, with `/` separators: how uv writes a
/// path the user gave as absolute (`/srv/wheels/../links` becomes `/srv/links`; a symlink is
/// kept as spelled). A Windows prefix (`C:`) is kept in front.
pub(crate) fn absolute_path(path: &Path) -> String {
    let prefix = match path.components().next() {
        Some(Component::Prefix(prefix)) => prefix.as_os_str().to_string_lossy().into_owned(),
        _ => String::new(),
    };
    let joined = normalized(path).join("/");
    if joined.is_empty() {
        format!("{prefix}/")
    } else {
        format!("{prefix}{joined}")
    }
}

/// How the lock spells a local registry (a find-links directory) and its files.
///
/// uv keeps the spelling the user chose (`VerbatimUrl::was_given_absolute` in uv 0.13.8): a
/// directory given as an absolute path or a `file://` URL is written absolute, as
/// `registry = "/srv/links"`, and so is each of its files (`path = "/srv/links/a-1.0.whl"`);
/// a directory given as a relative path is written relative to the workspace root, and its
/// files relative to the directory (`registry = "../links"`, `path = "a-1.0.whl"`).
/// `uv lock --locked` compares the lock's registry with the configured one as spelled, so a
/// lock written with the other spelling "needs to be updated".
#[derive(Debug, Clone, Default)]
pub(crate) struct RegistrySpelling {
    /// The directories given absolutely, as `normalized` components.
    absolute: Vec<Vec<String>>,
}

impl RegistrySpelling {
    /// `absolute`: the directories the user gave as absolute paths or `file://` URLs.
    pub(crate) fn new(absolute: &[PathBuf]) -> Self {
        Self {
            absolute: absolute.iter().map(|dir| normalized(dir)).collect(),
        }
    }

    fn is_absolute(&self, dir: &Path) -> bool {
        !self.absolute.is_empty() && self.absolute.contains(&normalized(dir))
    }

    /// The `registry` value of the directory `dir` of the workspace at `root`.
    pub(crate) fn registry(&self, root: &Path, dir: &Path) -> String {
        if self.is_absolute(dir) {
            absolute_path(dir)
        } else {
            relative_path(root, dir)
        }
    }

    /// The `path` of the file `file` of the directory `dir`.
    pub(crate) fn file(&self, dir: &Path, file: &Path) -> String {
        if self.is_absolute(dir) {
            absolute_path(file)
        } else {
            relative_path(dir, file)
        }
    }
}

/// The components of `path` with `.` dropped and `..` cancelled against the previous segment.
fn normalized(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts
                    .last()
                    .is_some_and(|last| last != ".." && !last.is_empty())
                {
                    parts.pop();
                } else {
                    parts.push("..".to_string());
                }
            }
            // The root and any prefix become an empty first segment, so two absolute paths
            // share it and a relative one never matches an absolute one.
            Component::RootDir | Component::Prefix(_) => {
                if parts.is_empty() {
                    parts.push(String::new());
                }
            }
            Component::Normal(segment) => parts.push(segment.to_string_lossy().into_owned()),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_forward_slashes_and_dot_dot() {
        let rel = |base: &str, path: &str| relative_path(Path::new(base), Path::new(path));
        assert_eq!(rel("/w/ws", "/w/ws"), ".");
        assert_eq!(rel("/w/ws", "/w/ws/packages/a"), "packages/a");
        assert_eq!(rel("/w/ws", "/w/links"), "../links");
        assert_eq!(rel("/w/ws", "/w/ws/../peer"), "../peer");
        assert_eq!(rel("/w/ws/", "/w/ws/./a/b/../c"), "a/c");
        assert_eq!(rel("/w/a/b", "/x/y"), "../../../x/y");
    }

    #[test]
    fn absolute_paths_are_normalised_lexically() {
        let abs = |path: &str| absolute_path(Path::new(path));
        assert_eq!(abs("/srv/links"), "/srv/links");
        assert_eq!(abs("/srv/links/"), "/srv/links");
        assert_eq!(abs("/srv/ws/../links/./a.whl"), "/srv/links/a.whl");
        assert_eq!(abs("/"), "/");
    }

    /// What uv 0.13.8 wrote for `--find-links` spelled each way (docs/lock-plan.md, "Local
    /// registries").
    #[test]
    fn a_registry_keeps_the_spelling_it_was_given() {
        let root = Path::new("/w/ws/app");
        let dir = Path::new("/w/links");
        let wheel = Path::new("/w/links/a-1.0-py3-none-any.whl");
        let relative = RegistrySpelling::new(&[]);
        assert_eq!(relative.registry(root, dir), "../../links");
        assert_eq!(relative.file(dir, wheel), "a-1.0-py3-none-any.whl");

        // Given as `/w/ws/../links`: the same directory, written normalised.
        let absolute = RegistrySpelling::new(&[PathBuf::from("/w/ws/../links")]);
        assert_eq!(absolute.registry(root, dir), "/w/links");
        assert_eq!(absolute.file(dir, wheel), "/w/links/a-1.0-py3-none-any.whl");
        // Another directory keeps the relative spelling.
        let other = Path::new("/w/ws/app/vendor");
        assert_eq!(absolute.registry(root, other), "vendor");
        assert_eq!(
            absolute.file(other, Path::new("/w/ws/app/vendor/b-2.0.tar.gz")),
            "b-2.0.tar.gz"
        );
    }
}
