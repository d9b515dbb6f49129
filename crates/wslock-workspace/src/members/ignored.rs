//! The "only ignored files" check of R2.3.4: a glob match without a `pyproject.toml` is skipped
//! when it holds nothing but ignored files (a leftover `__pycache__`, an empty directory), and is
//! an error otherwise.
//!
//! It is the one part of member expansion that reads ignore files. uv's walk for it reads them in
//! every ancestor up to `/`; wslock bounds that walk, as [`has_only_ignored_files`] explains.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder};

/// Whether `dir` holds no files other than ignored ones (R2.3.4), so a leftover `__pycache__`
/// or an empty directory matched by `packages/*` is not an error.
///
/// uv walks `dir` with the `ignore` crate and `parents(true)`, which reads `.ignore` files in
/// every ancestor up to `/` (and `.gitignore` files up to the repository root). wslock promises
/// not to read above a ceiling, so the ancestors consulted here stop at the *higher* of two
/// directories that are both ancestors of `dir`:
/// - the repository root containing `dir` (the nearest ancestor, `dir` included, with a `.git`
///   or `.jj` entry, the markers the `ignore` crate uses);
/// - the workspace root, when `dir` lies below it.
///
/// Between `dir` and that boundary, `.ignore` files always apply and `.gitignore` files apply
/// only up to the repository root (none without a repository: a `.gitignore` outside a git
/// repository is not honoured), plus the repository's `.git/info/exclude`. So a workspace in a
/// repository sees exactly what uv sees, and outside one only `.ignore` files above the
/// workspace root are lost. The walk inside `dir` (its own ignore files and the global
/// gitignore) is the crate's own. Ancestors are taken lexically from the spelling the glob
/// produced, where the crate would canonicalise first (no `canonicalize` here, see `paths`).
///
/// Like uv: hidden files count as content, directories (and symlinks to them) do not, and any
/// error (an unreadable directory, a malformed ignore file) counts as content.
pub(super) fn has_only_ignored_files(dir: &Path, workspace_root: &Path) -> bool {
    let repository = dir
        .ancestors()
        .find(|ancestor| is_repository_root(ancestor));
    let Some(ancestors) = AncestorIgnores::load(dir, workspace_root, repository) else {
        return false;
    };
    let ancestors = Arc::new(ancestors);
    let walker = WalkBuilder::new(dir)
        .hidden(false)
        // Ancestors are handled by `AncestorIgnores`, bounded as documented above.
        .parents(false)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        // `dir` itself usually has no `.git`; the repository was found above. Outside one, keep
        // the crate's rule so a nested repository inside `dir` still gets its `.gitignore`.
        .require_git(repository.is_none())
        .filter_entry(move |entry| {
            let is_dir = entry
                .file_type()
                .is_some_and(|file_type| file_type.is_dir());
            !ancestors.matched(entry.path(), is_dir).is_ignore()
        })
        .build();
    for entry in walker {
        let Ok(entry) = entry else {
            return false;
        };
        // Follows symlinks, as uv's `path().is_dir()` does.
        if entry.path().is_dir() {
            continue;
        }
        return false;
    }
    true
}

/// Whether `dir` is the root of a repository, by the markers the `ignore` crate checks.
fn is_repository_root(dir: &Path) -> bool {
    fs::metadata(dir.join(".git")).is_ok() || fs::metadata(dir.join(".jj")).is_ok()
}

/// Ignore rules from the ancestors of a member directory, deepest first within each kind.
struct AncestorIgnores {
    /// `.ignore` files.
    ignore: Vec<Gitignore>,
    /// `.gitignore` files, only up to the repository root.
    gitignore: Vec<Gitignore>,
    /// The repository's `.git/info/exclude`, when the repository root is above `dir`.
    exclude: Option<Gitignore>,
}

impl AncestorIgnores {
    /// Loads the ignore files of the ancestors of `dir` up to the boundary described at
    /// [`has_only_ignored_files`]. `None` when a file could not be read or parsed: uv's walk
    /// reports that as an error and treats the directory as having content.
    fn load(dir: &Path, workspace_root: &Path, repository: Option<&Path>) -> Option<Self> {
        let depth = |path: &Path| path.components().count();
        let boundary = [
            Some(workspace_root).filter(|root| dir.starts_with(root)),
            repository,
        ]
        .into_iter()
        .flatten()
        .min_by_key(|path| depth(path))
        .unwrap_or(dir);
        let mut loaded = Self {
            ignore: Vec::new(),
            gitignore: Vec::new(),
            exclude: None,
        };
        for ancestor in dir
            .ancestors()
            .skip(1)
            .take_while(|ancestor| ancestor.starts_with(boundary))
        {
            loaded
                .ignore
                .extend(load_ignore_file(ancestor, &ancestor.join(".ignore"))?);
            if repository.is_some_and(|repository| ancestor.starts_with(repository)) {
                loaded
                    .gitignore
                    .extend(load_ignore_file(ancestor, &ancestor.join(".gitignore"))?);
            }
            if repository == Some(ancestor) {
                let exclude = ancestor.join(".git").join("info").join("exclude");
                loaded.exclude = load_ignore_file(ancestor, &exclude)?;
            }
        }
        Some(loaded)
    }

    /// The crate's precedence: the deepest match of the first kind that matches decides, with
    /// `.ignore` before `.gitignore` before `info/exclude`.
    fn matched(&self, path: &Path, is_dir: bool) -> Match<()> {
        let first = |matchers: &[Gitignore]| {
            matchers
                .iter()
                .map(|matcher| matcher.matched(path, is_dir).map(|_| ()))
                .find(|found| !found.is_none())
                .unwrap_or(Match::None)
        };
        let found = first(&self.ignore);
        if !found.is_none() {
            return found;
        }
        let found = first(&self.gitignore);
        if !found.is_none() {
            return found;
        }
        self.exclude.as_ref().map_or(Match::None, |matcher| {
            matcher.matched(path, is_dir).map(|_| ())
        })
    }
}

/// Reads one ignore file whose patterns are relative to `base`: `Some(None)` when there is no
/// such file, `None` when it could not be read or holds a bad pattern.
fn load_ignore_file(base: &Path, file: &Path) -> Option<Option<Gitignore>> {
    if !fs::metadata(file).is_ok_and(|metadata| metadata.is_file()) {
        return Some(None);
    }
    let mut builder = GitignoreBuilder::new(base);
    if builder.add(file).is_some() {
        return None;
    }
    builder.build().ok().map(Some)
}
