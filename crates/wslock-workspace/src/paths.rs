//! Lexical path handling shared by every stage of discovery.
//!
//! Discovery compares paths textually, never through `canonicalize`: ceilings are "compared
//! lexically after normalising `.` and `..`" (ceiling-roots.md), and uv records members under
//! the spelling the glob produced, symlinks included (workspace-semantics R2.6). Resolving
//! symlinks here would break both rules.

use std::path::{Component, Path, PathBuf};

/// Removes `.` components and cancels `name/..` pairs without touching the file system.
///
/// A `..` that would climb above the start of a relative path is kept; above `/` it is dropped,
/// as the kernel does.
pub fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Makes `path` absolute against `base` (normally the current directory) and normalises it
/// lexically.
pub fn absolute_from(path: &Path, base: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize_lexically(path)
    } else {
        normalize_lexically(&base.join(path))
    }
}

/// `path` relative to `base`, climbing with `..` where needed; both must be absolute and
/// lexically normalised. Used for display and for lock paths, which uv writes relative to the
/// root with `../` for members outside it (R1.6).
pub fn relative_path(path: &Path, base: &Path) -> PathBuf {
    let path_parts: Vec<Component<'_>> = path.components().collect();
    let base_parts: Vec<Component<'_>> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = PathBuf::new();
    for _ in common..base_parts.len() {
        relative.push("..");
    }
    for part in &path_parts[common..] {
        relative.push(part);
    }
    if relative.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_with_dotdot() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(rel("/w/p/a", "/w"), PathBuf::from("p/a"));
        assert_eq!(rel("/w", "/w"), PathBuf::from("."));
        assert_eq!(rel("/peer", "/w/root"), PathBuf::from("../../peer"));
        assert_eq!(rel("/w/x", "/w/y"), PathBuf::from("../x"));
    }

    #[test]
    fn normalizes_dot_and_dotdot() {
        assert_eq!(
            normalize_lexically(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
        assert_eq!(normalize_lexically(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(
            normalize_lexically(Path::new("a/../../b")),
            PathBuf::from("../b")
        );
        assert_eq!(normalize_lexically(Path::new("./")), PathBuf::from("."));
        assert_eq!(
            normalize_lexically(Path::new("/a/b/")),
            PathBuf::from("/a/b")
        );
    }

    #[test]
    fn absolute_joins_and_cleans() {
        assert_eq!(
            absolute_from(Path::new("x/../y"), Path::new("/w")),
            PathBuf::from("/w/y")
        );
        assert_eq!(
            absolute_from(Path::new("/abs/./p"), Path::new("/w")),
            PathBuf::from("/abs/p")
        );
    }
}
