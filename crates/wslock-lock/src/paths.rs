//! Paths as the lock writes them: relative to a base directory, with forward slashes.

use std::path::{Component, Path};

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
}
