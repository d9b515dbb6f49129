//! The "only ignored files" check of R2.3.4: a glob match without a `pyproject.toml` is skipped
//! when it holds nothing but ignored files (a leftover `__pycache__`, an empty directory), and is
//! an error otherwise.
//!
//! It is the one part of member expansion that reads ignore files. uv walks the directory with
//! the `ignore` crate (`parents(true)`, `git_global(true)`, hidden files shown), which reads
//! ignore files in every ancestor up to `/` and the user's global git configuration, all behind
//! our back. wslock does the same walk itself so that every file goes through the
//! [`ManifestStore`]'s logged reader, and bounds the ancestors it reads: see
//! [`IgnoreCheck::has_only_ignored_files`].

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::git_config::GitEnvironment;
use crate::ceiling::{AboveManifest, SearchScope};
use crate::store::ManifestStore;

/// What the check needs besides the directory: the workspace root, how far up it may read, the
/// reader, and where git's global configuration is.
pub(crate) struct IgnoreCheck<'a> {
    /// The workspace root, absolute and normalised.
    pub root: &'a Path,
    /// The scope of the root's upward searches: its nearest ceiling and the caller's stop.
    pub scope: &'a SearchScope,
    /// The logged reader every file goes through.
    pub store: &'a ManifestStore,
    /// Where the user's global git configuration lives.
    pub git: &'a GitEnvironment,
}

impl IgnoreCheck<'_> {
    /// Whether the directory holds no files other than ignored ones (R2.3.4), so a leftover
    /// `__pycache__` or an empty directory matched by `packages/*` is not an error.
    ///
    /// `fs_dir` is the directory as the glob spelt it; every file-system call on the directory
    /// and below uses it. `dir` is its normalised form: the ancestors considered are `dir`'s
    /// lexical ancestors, like every other upward look in wslock (no symlink resolution, where
    /// the crate would canonicalise).
    ///
    /// Rules, as the `ignore` crate applies them for uv:
    /// - inside the directory, `.ignore` files always apply; `.gitignore` files and
    ///   `.git/info/exclude` apply only inside a git repository (a directory with a `.git` or
    ///   `.jj` entry, the directory itself or an ancestor), and never above the nearest one;
    /// - the deepest matching file of a kind decides, `.ignore` before `.gitignore` before
    ///   `info/exclude` before the global gitignore (which applies only inside a repository);
    /// - hidden files count as content; directories (and symlinks to them) do not;
    /// - any error (an unreadable directory, a malformed ignore file) counts as content.
    ///
    /// uv also reads the ignore files of every ancestor up to `/`. wslock reads an ancestor's
    /// ignore files only while all of these hold:
    /// - it is at or below the *higher* of the workspace root (when `dir` lies below it) and
    ///   the repository root: so a workspace in a repository sees the `.gitignore` files uv
    ///   sees, and only `.ignore` files above both are lost;
    /// - above the workspace root, the root's scope allows reading it: never above the root's
    ///   nearest ceiling (a `~/.git` dotfiles repository above a ceiling at `~/src` contributes
    ///   no file) nor the caller's stop, and outside every ceiling only through directories no
    ///   other user can write to.
    ///
    /// Whether `dir` lies in a repository is still learned from `.git` and `.jj` entries up to
    /// `/`, by metadata alone: nothing above the ceiling is opened, but `.gitignore` files
    /// inside the ceiling apply as they do for uv.
    ///
    /// The global gitignore is git's `core.excludesFile` from the user's configuration (see
    /// [`GitEnvironment`]); the system configuration (`/etc/gitconfig`) is never read.
    pub fn has_only_ignored_files(&self, fs_dir: &Path, dir: &Path) -> bool {
        let repository = match is_repository(fs_dir) {
            true => Some(dir),
            false => dir
                .ancestors()
                .skip(1)
                .find(|ancestor| is_repository(ancestor)),
        };
        let Some(ancestors) = self.ancestor_levels(dir, repository) else {
            return false;
        };
        let walk = Walk {
            check: self,
            in_repository: repository.is_some(),
            global_base: repository.unwrap_or(dir).to_path_buf(),
            ancestors,
            global: OnceCell::new(),
        };
        walk.holds_only_ignored(fs_dir, dir, &mut Vec::new())
    }

    /// The ignore files of `dir`'s ancestors that may be read, deepest first; `None` when one
    /// could not be read or parsed. `repository` is the nearest repository root, `dir` itself
    /// included.
    fn ancestor_levels(&self, dir: &Path, repository: Option<&Path>) -> Option<Vec<Level>> {
        let depth = |path: &Path| path.components().count();
        let boundary = [
            Some(self.root).filter(|root| dir.starts_with(root)),
            repository,
        ]
        .into_iter()
        .flatten()
        .min_by_key(|path| depth(path))
        .unwrap_or(dir);
        let mut levels = Vec::new();
        for ancestor in dir.ancestors().skip(1) {
            if !ancestor.starts_with(boundary) {
                break;
            }
            if !ancestor.starts_with(self.root)
                && self.scope.above_manifest(ancestor) != AboveManifest::Search
            {
                break;
            }
            let in_repository =
                repository.is_some_and(|repository| ancestor.starts_with(repository));
            let is_repository = repository == Some(ancestor);
            let file = |name: &str| Some(ancestor.join(name)).filter(|file| file.is_file());
            levels.push(Level {
                ignore: self.load(ancestor, file(".ignore"))?,
                gitignore: match in_repository {
                    true => self.load(ancestor, file(".gitignore"))?,
                    false => None,
                },
                exclude: match is_repository {
                    true => self.load(ancestor, exclude_file(ancestor))?,
                    false => None,
                },
                has_git: is_repository,
            });
        }
        Some(levels)
    }

    /// Reads one ignore file whose patterns are relative to `base`: `Some(None)` when there is
    /// no file, `None` when it could not be read or holds a bad pattern.
    fn load(&self, base: &Path, file: Option<PathBuf>) -> Option<Option<Gitignore>> {
        let Some(file) = file else {
            return Some(None);
        };
        let bytes = self.store.read_bytes(&file).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut builder = GitignoreBuilder::new(base);
        for line in ignore_lines(&text) {
            builder.add_line(Some(file.clone()), line).ok()?;
        }
        builder.build().ok().map(Some)
    }
}

/// The lines of an ignore file, without a leading byte-order mark (as git and the crate do).
fn ignore_lines(text: &str) -> impl Iterator<Item = &str> {
    text.strip_prefix('\u{feff}').unwrap_or(text).lines()
}

/// Whether `dir` is the root of a repository, by the markers the `ignore` crate checks (by
/// metadata only: nothing is opened).
fn is_repository(dir: &Path) -> bool {
    dir.join(".git").metadata().is_ok() || dir.join(".jj").exists()
}

/// `<dir>/.git/info/exclude`, when `.git` is a directory holding it. A `.git` *file* (a
/// worktree or submodule) or symlink points at a git directory elsewhere, possibly above the
/// ceiling; the crate follows it, wslock does not.
fn exclude_file(dir: &Path) -> Option<PathBuf> {
    let git = dir.join(".git");
    if !fs::symlink_metadata(&git).is_ok_and(|metadata| metadata.is_dir()) {
        return None;
    }
    Some(git.join("info").join("exclude")).filter(|file| file.is_file())
}

/// The ignore files of one directory.
struct Level {
    /// `.ignore`.
    ignore: Option<Gitignore>,
    /// `.gitignore`, loaded only where it can apply.
    gitignore: Option<Gitignore>,
    /// `.git/info/exclude`, for a repository root.
    exclude: Option<Gitignore>,
    /// Whether the directory is a repository root: `.gitignore` files above it do not apply.
    has_git: bool,
}

/// One run of the check over a directory tree.
struct Walk<'a> {
    check: &'a IgnoreCheck<'a>,
    /// Whether the directory lies in a repository (its own, or one around it).
    in_repository: bool,
    /// What anchored patterns of the global gitignore are relative to: the repository root.
    global_base: PathBuf,
    /// The readable ancestors' ignore files, deepest first.
    ancestors: Vec<Level>,
    /// The global gitignore, read the first time it can apply.
    global: OnceCell<Option<Gitignore>>,
}

impl Walk<'_> {
    /// Whether `fs_dir` (spelt `dir` for matching) holds only ignored files. `chain` holds the
    /// levels of the directories walked so far, shallowest first.
    fn holds_only_ignored(&self, fs_dir: &Path, dir: &Path, chain: &mut Vec<Level>) -> bool {
        let Ok(read) = fs::read_dir(fs_dir) else {
            return false;
        };
        let Ok(entries) = read.collect::<Result<Vec<_>, _>>() else {
            return false;
        };
        let names: HashSet<OsString> = entries.iter().map(|entry| entry.file_name()).collect();
        let Some(level) = self.level(fs_dir, dir, &names, chain) else {
            return false;
        };
        chain.push(level);
        let only_ignored = entries.iter().all(|entry| {
            let Ok(file_type) = entry.file_type() else {
                return false;
            };
            let path = dir.join(entry.file_name());
            if self.matched(chain, &path, file_type.is_dir()).is_ignore() {
                return true;
            }
            if file_type.is_dir() {
                return self.holds_only_ignored(&entry.path(), &path, chain);
            }
            // A symlink to a directory is not walked and is not content, as in uv (which asks
            // `path().is_dir()`, following the link).
            entry.path().is_dir()
        });
        chain.pop();
        only_ignored
    }

    /// The ignore files of a directory being walked; `None` when one could not be read.
    fn level(
        &self,
        fs_dir: &Path,
        dir: &Path,
        names: &HashSet<OsString>,
        chain: &[Level],
    ) -> Option<Level> {
        let has = |name: &str| names.contains(OsStr::new(name));
        let has_git = (has(".git") || has(".jj")) && is_repository(fs_dir);
        // A `.gitignore` here can only ever apply inside a repository around or at this level.
        let git_applies = self.in_repository || has_git || chain.iter().any(|level| level.has_git);
        let file = |name: &str| Some(fs_dir.join(name)).filter(|_| has(name));
        Some(Level {
            ignore: self.check.load(dir, file(".ignore"))?,
            gitignore: match git_applies {
                true => self.check.load(dir, file(".gitignore"))?,
                false => None,
            },
            exclude: match has(".git") {
                true => self.check.load(dir, exclude_file(fs_dir))?,
                false => None,
            },
            has_git,
        })
    }

    /// The crate's precedence: per kind, the deepest file that matches decides; `.gitignore`
    /// and `info/exclude` stop at the nearest repository root and apply only inside one; then
    /// `.ignore` before `.gitignore` before `info/exclude` before the global gitignore.
    fn matched(&self, chain: &[Level], path: &Path, is_dir: bool) -> Match<()> {
        let any_git = self.in_repository || chain.iter().any(|level| level.has_git);
        let (mut ignore, mut gitignore, mut exclude) = (Match::None, Match::None, Match::None);
        let mut saw_git = false;
        for level in chain.iter().rev().chain(&self.ancestors) {
            let matched = |matcher: &Option<Gitignore>| {
                matcher.as_ref().map_or(Match::None, |matcher| {
                    matcher.matched(path, is_dir).map(|_| ())
                })
            };
            if ignore.is_none() {
                ignore = matched(&level.ignore);
            }
            if any_git && !saw_git {
                if gitignore.is_none() {
                    gitignore = matched(&level.gitignore);
                }
                if exclude.is_none() {
                    exclude = matched(&level.exclude);
                }
            }
            saw_git |= level.has_git;
        }
        let global = match any_git {
            true => self.global().map_or(Match::None, |global| {
                global.matched(path, is_dir).map(|_| ())
            }),
            false => Match::None,
        };
        ignore.or(gitignore).or(exclude).or(global)
    }

    /// The global gitignore, read on first use. Like the crate, a problem with it (unreadable,
    /// a bad line) never counts as content: bad lines are dropped.
    fn global(&self) -> Option<&Gitignore> {
        self.global
            .get_or_init(|| {
                let file = self.check.git.excludes_file(self.check.store)?;
                if !file.is_file() {
                    return None;
                }
                let bytes = self.check.store.read_bytes(&file).ok()?;
                let text = String::from_utf8_lossy(&bytes);
                let mut builder = GitignoreBuilder::new(&self.global_base);
                for line in ignore_lines(&text) {
                    if let Err(error) = builder.add_line(Some(file.clone()), line) {
                        tracing::debug!("ignoring a line of `{}`: {error}", file.display());
                    }
                }
                builder.build().ok()
            })
            .as_ref()
    }
}
