//! Which directories a root's `members` globs name (workspace-semantics R2.2–R2.6), and the
//! upward membership test that decides whether a root claims a project (R1.4, R2.5).
//!
//! Both sides anchor the cleaned-up patterns at the glob-escaped root path, as uv does, and
//! share one `exclude` test (R2.4). Expansion uses the `glob` crate with its default options,
//! the same crate and options uv uses, so hidden directories, `**` and sort order come out the
//! same without any globbing of our own.
//!
//! One subtlety runs through the module: uv never normalises a glob *result*. Entries are cleaned
//! textually before anchoring, but a leading `..` survives, so `../peer` expands to
//! `<root>/../peer`. uv's duplicate check and its `exclude` test work on that raw spelling
//! (`members = ["pkg", "../ws/pkg"]` gives two members with the same name, and `exclude = ["*"]`
//! drops `<root>/../peer`). We keep the raw path for those two checks and report the lexically
//! normalised path to callers.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use glob::{MatchOptions, Pattern, PatternError};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder};

use crate::error::{DiscoveryError, ManifestError, ManifestErrorKind};
use crate::paths::normalize_lexically;

/// A directory named by the `members` globs that holds a `pyproject.toml`, in processing order.
///
/// Order matters only for which error is reported first and for which path is "first" in a
/// duplicate-name message (R2.2.4); members are sorted by name later (R2.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberDir {
    /// Absolute path as the glob produced it (symlink spelling kept, R2.6; lexically normalised).
    pub path: PathBuf,
    /// `path/pyproject.toml`.
    pub manifest: PathBuf,
    /// The `members` entry as written in the root manifest, for error messages (R2.3.4).
    pub pattern: String,
}

/// Expands `members` of the root at `root` (absolute, normalised) and applies `exclude`
/// (R2.2–R2.4, R2.6).
///
/// Returns every matched path that is a directory with a `pyproject.toml`, is not excluded and
/// was not seen before (the root counts as seen when `seen_root` is true, that is when the root
/// is a project: R2.1), in pattern order and then in the glob's lexicographic order.
///
/// Matches without a `pyproject.toml` are skipped when they are files, hidden directories, or
/// directories holding only ignored files (R2.3.4, see [`has_only_ignored_files`]); any other
/// such directory is a [`DiscoveryError::MissingMemberPyproject`] naming the entry as written.
/// `ignore_paths` are member paths the caller wants skipped, such as a project a tool is about
/// to create there (Part A.9); they are compared after lexical normalisation.
pub(crate) fn expand_members(
    root: &Path,
    root_manifest: &Path,
    members: &[String],
    exclude: &[String],
    seen_root: bool,
    ignore_paths: &[PathBuf],
) -> Result<Vec<MemberDir>, DiscoveryError> {
    let ignore_paths: HashSet<PathBuf> = ignore_paths
        .iter()
        .map(|path| normalize_lexically(path))
        .collect();
    // Keyed by the raw glob result, as uv's is (R2.3.2): `pkg` and `../ws/pkg` are two paths.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    if seen_root {
        seen.insert(root.to_path_buf());
    }
    // Compiled on first use, as uv does: a bad `exclude` entry only fails discovery once a
    // glob actually yields something to test.
    let mut exclusions: Option<Exclusions> = None;
    let mut found = Vec::new();

    for entry in members {
        let anchored = anchor(root, &clean_entry(entry).cleaned);
        let paths = glob::glob(&anchored)
            .map_err(|error| invalid_glob(root_manifest, "members", entry, &anchored, &error))?;
        for result in paths {
            let raw = match result {
                Ok(raw) => raw,
                // A directory that vanished while the glob was walking it holds no members.
                Err(error) if error.error().kind() == io::ErrorKind::NotFound => continue,
                Err(error) => {
                    let path = error.path().to_path_buf();
                    return Err(DiscoveryError::Io {
                        path,
                        source: error.into(),
                    });
                }
            };
            if !seen.insert(raw.clone()) {
                continue;
            }
            let path = normalize_lexically(&raw);
            if ignore_paths.contains(&path) {
                tracing::debug!("ignoring workspace member `{}` as asked", path.display());
                continue;
            }
            if exclusions.is_none() {
                let compiled =
                    Exclusions::compile(root, exclude).map_err(|(bad, anchored, error)| {
                        invalid_glob(root_manifest, "exclude", &bad, &anchored, &error)
                    })?;
                exclusions = Some(compiled);
            }
            if exclusions
                .as_ref()
                .is_some_and(|exclusions| exclusions.matches(&raw))
            {
                tracing::debug!("excluded workspace member `{}`", path.display());
                continue;
            }
            match inspect_match(root, &raw, &path)? {
                MatchKind::Member(manifest) => found.push(MemberDir {
                    path,
                    manifest,
                    pattern: entry.clone(),
                }),
                MatchKind::Skip(why) => {
                    tracing::debug!("ignoring glob match `{}`: {why}", path.display())
                }
                MatchKind::MissingPyproject => {
                    return Err(DiscoveryError::MissingMemberPyproject {
                        path,
                        pattern: entry.clone(),
                        root_manifest: root_manifest.to_path_buf(),
                    })
                }
            }
        }
    }
    Ok(found)
}

/// The upward membership test of R1.4/R2.5: would the workspace rooted at `root` with these
/// patterns claim the project directory `project` (absolute, normalised)?
///
/// A `members` pattern must match, anchored at the escaped root. Unlike expansion this is a
/// string match, so nothing is read from disk (R1.4: "existence not required"). uv 0.13.8 sets
/// `require_literal_separator` here, so `packages/*` does not claim `packages/x/y` while `**`
/// still spans directories (R2.5, and §10.1 for why the older source differs). No `exclude`
/// pattern may match (R2.4). A pattern that does not compile claims nothing; the manifest parser
/// rejects such patterns before discovery gets here.
pub(crate) fn claims(root: &Path, members: &[String], exclude: &[String], project: &Path) -> bool {
    let options = MatchOptions {
        require_literal_separator: true,
        ..MatchOptions::new()
    };
    let included = members.iter().any(|entry| {
        let anchored = anchor(root, &clean_entry(entry).cleaned);
        match Pattern::new(&anchored) {
            Ok(pattern) => pattern.matches_path_with(project, options),
            Err(error) => {
                tracing::warn!("ignoring invalid `members` glob `{entry}`: {error}");
                false
            }
        }
    });
    included && !is_excluded(root, exclude, project)
}

/// The exclude test of R2.4 on an absolute member path.
///
/// Used on glob results during expansion and on the start project during the upward search
/// (R2.4, last bullet). A pattern that does not compile excludes nothing (see [`claims`]).
pub(crate) fn is_excluded(root: &Path, exclude: &[String], member: &Path) -> bool {
    let exclusions = Exclusions {
        root: root.to_path_buf(),
        patterns: exclude
            .iter()
            .filter_map(|entry| match Exclusion::compile(root, entry) {
                Ok(exclusion) => Some(exclusion),
                Err((anchored, error)) => {
                    tracing::warn!("ignoring invalid `exclude` glob `{anchored}`: {error}");
                    None
                }
            })
            .collect(),
    };
    exclusions.matches(member)
}

// ---------------------------------------------------------------------------------------------
// Patterns: cleanup, anchoring and exclusion (R2.2.2, R2.2.3, R2.4)
// ---------------------------------------------------------------------------------------------

/// A `members` or `exclude` entry after the textual cleanup of R2.2.2.
struct CleanEntry {
    /// The entry without `.` segments, `seg/..` pairs or a trailing `/`; empty for `.`.
    cleaned: PathBuf,
    /// Whether the entry is relative and had no `.` or `..` segment. Such exclude entries are
    /// matched against the path relative to the root (R2.4).
    plain_relative: bool,
}

/// Cleans an entry textually (R2.2.2). A leading `..` is kept: members may leave the root
/// (R2.2.3).
fn clean_entry(entry: &str) -> CleanEntry {
    let path = Path::new(entry);
    // `Path::components` hides a `.` in the middle (`a/./b`), so look at the raw segments.
    let dotted = entry
        .split('/')
        .any(|segment| segment == "." || segment == "..");
    let normalized = normalize_lexically(path);
    // `normalize_lexically` spells "nothing left" as `.`; uv joins an empty path instead, which
    // gives the root with a trailing slash (so `exclude = ["."]` never matches the root: R2.1).
    let cleaned = if normalized.components().eq([Component::CurDir]) {
        PathBuf::new()
    } else {
        normalized
    };
    CleanEntry {
        cleaned,
        plain_relative: !dotted && path.is_relative(),
    }
}

/// Appends a cleaned entry to the glob-escaped root, so `[`, `]`, `?` and `*` in the root's own
/// path are literal (R2.2.3). An absolute entry replaces the root. The result is not normalised
/// again: `<root>/../peer` stays as written, as in uv (see the module docs).
fn anchor(root: &Path, cleaned: &Path) -> String {
    let escaped = Pattern::escape(&root.to_string_lossy());
    PathBuf::from(escaped)
        .join(cleaned)
        .to_string_lossy()
        .into_owned()
}

/// The compiled `exclude` entries of one root (R2.4).
struct Exclusions {
    root: PathBuf,
    patterns: Vec<Exclusion>,
}

/// One compiled `exclude` entry, with the path it is matched against.
enum Exclusion {
    /// Matched against the member's path relative to the root.
    Relative(Pattern),
    /// Anchored at the escaped root and matched against the absolute member path.
    Absolute(Pattern),
}

impl Exclusions {
    /// Compiles every entry, or returns the first bad one with its anchored form and the error.
    fn compile(root: &Path, exclude: &[String]) -> Result<Self, (String, String, PatternError)> {
        let patterns = exclude
            .iter()
            .map(|entry| {
                Exclusion::compile(root, entry)
                    .map_err(|(anchored, e)| (entry.clone(), anchored, e))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            root: root.to_path_buf(),
            patterns,
        })
    }

    /// Whether any entry matches `member`. Matching uses the default options, so `*` and `?`
    /// cross `/` (`libs/*` excludes `libs/group/a`), and the whole path must match, so there are
    /// no implicit descendants (`packages` keeps `packages/seeds`).
    fn matches(&self, member: &Path) -> bool {
        let relative = member.strip_prefix(&self.root).ok();
        self.patterns.iter().any(|exclusion| match exclusion {
            Exclusion::Relative(pattern) => {
                relative.is_some_and(|relative| pattern.matches_path(relative))
            }
            Exclusion::Absolute(pattern) => pattern.matches_path(member),
        })
    }
}

impl Exclusion {
    /// Compiles one entry; on failure returns the string that was compiled and the error.
    fn compile(root: &Path, entry: &str) -> Result<Self, (String, PatternError)> {
        let clean = clean_entry(entry);
        if clean.plain_relative {
            let text = clean.cleaned.to_string_lossy().into_owned();
            Pattern::new(&text)
                .map(Self::Relative)
                .map_err(|error| (text, error))
        } else {
            let anchored = anchor(root, &clean.cleaned);
            Pattern::new(&anchored)
                .map(Self::Absolute)
                .map_err(|error| (anchored, error))
        }
    }
}

/// A glob the `glob` crate rejected, reported against the root manifest. The parser validates
/// entries on their own; this catches what only fails once anchored or split into components
/// (such as a `[...]` class holding a `/`), which uv also reports as a pattern error.
fn invalid_glob(
    root_manifest: &Path,
    key: &str,
    entry: &str,
    anchored: &str,
    error: &PatternError,
) -> DiscoveryError {
    DiscoveryError::Manifest(Box::new(ManifestError {
        path: root_manifest.to_path_buf(),
        key: Some(format!("tool.uv.workspace.{key}")),
        line_col: None,
        message: format!("the glob `{entry}` (anchored as `{anchored}`) is invalid: {error}"),
        kind: ManifestErrorKind::InvalidGlob,
    }))
}

// ---------------------------------------------------------------------------------------------
// Per-path checks (R2.3.4)
// ---------------------------------------------------------------------------------------------

/// What a glob match turned out to be.
enum MatchKind {
    /// A directory with a manifest at this path.
    Member(PathBuf),
    /// Not a member, and not an error; the reason is for the debug log.
    Skip(&'static str),
    /// A directory with content but no `pyproject.toml`.
    MissingPyproject,
}

/// Classifies one glob match (R2.3.4). `raw` is the glob's spelling, `path` its normalised form.
///
/// Only `metadata` is used here. A broken symlink fails like any other I/O error, because uv
/// fails on it too (it cannot stat the member).
fn inspect_match(root: &Path, raw: &Path, path: &Path) -> Result<MatchKind, DiscoveryError> {
    let manifest = path.join("pyproject.toml");
    match fs::metadata(&manifest) {
        Ok(metadata) if metadata.is_file() => return Ok(MatchKind::Member(manifest)),
        // uv reads the manifest and fails on anything but "not found": a directory called
        // `pyproject.toml` inside a member is an I/O error, not a missing manifest.
        Ok(_) => {
            return Err(DiscoveryError::Io {
                path: manifest,
                source: io::Error::new(io::ErrorKind::IsADirectory, "not a regular file"),
            })
        }
        // `NotADirectory` is what a file matched by the glob gives.
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) => {}
        Err(source) => {
            return Err(DiscoveryError::Io {
                path: manifest,
                source,
            })
        }
    }
    let metadata = fs::metadata(path).map_err(|source| DiscoveryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Ok(MatchKind::Skip("not a directory"));
    }
    // The raw name, as uv checks it: `<root>/..` has no name and is not hidden.
    if raw
        .file_name()
        .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."))
    {
        return Ok(MatchKind::Skip(
            "hidden directory without a `pyproject.toml`",
        ));
    }
    if has_only_ignored_files(path, root) {
        return Ok(MatchKind::Skip("directory holds only ignored files"));
    }
    Ok(MatchKind::MissingPyproject)
}

// ---------------------------------------------------------------------------------------------
// "Only ignored files" (R2.3.4)
// ---------------------------------------------------------------------------------------------

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
fn has_only_ignored_files(dir: &Path, workspace_root: &Path) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    use std::process::Command;

    use tempfile::TempDir;

    /// Writes a minimal project manifest in `dir`, creating it.
    fn project(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy();
        fs::write(
            dir.join("pyproject.toml"),
            format!("[project]\nname = \"{name}\"\n"),
        )
        .unwrap();
    }

    /// Writes `contents` at `path`, creating parent directories.
    fn file(path: &Path, contents: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Turns `dir` into a git repository (a bare `.git` directory if git is missing: the
    /// `ignore` crate only looks for the entry).
    fn git_init(dir: &Path) {
        let ran = Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir)
            .status();
        if !ran.is_ok_and(|status| status.success()) {
            fs::create_dir_all(dir.join(".git")).unwrap();
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| item.to_string()).collect()
    }

    /// Expands with no ignore paths.
    fn expand(
        root: &Path,
        members: &[&str],
        exclude: &[&str],
        seen_root: bool,
    ) -> Result<Vec<MemberDir>, DiscoveryError> {
        let manifest = root.join("pyproject.toml");
        expand_members(
            root,
            &manifest,
            &strings(members),
            &strings(exclude),
            seen_root,
            &[],
        )
    }

    /// Member paths relative to `root` (`..` for paths outside it), `.` for the root itself.
    fn relative(root: &Path, found: &[MemberDir]) -> Vec<String> {
        found
            .iter()
            .map(|member| match member.path.strip_prefix(root) {
                Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
                Ok(rel) => rel.to_string_lossy().into_owned(),
                Err(_) => format!("../{}", member.path.file_name().unwrap().to_string_lossy()),
            })
            .collect()
    }

    /// A temp dir holding a workspace root at `<tmp>/ws`.
    fn workspace() -> (TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ws");
        fs::create_dir_all(&root).unwrap();
        (tmp, root)
    }

    fn missing_member(result: Result<Vec<MemberDir>, DiscoveryError>) -> (PathBuf, String) {
        match result {
            Err(DiscoveryError::MissingMemberPyproject { path, pattern, .. }) => (path, pattern),
            other => panic!("expected MissingMemberPyproject, got {other:?}"),
        }
    }

    #[test]
    fn star_does_not_recurse() {
        let (_tmp, root) = workspace();
        project(&root.join("libs/a"));
        project(&root.join("libs/a/sub/deep"));
        let found = expand(&root, &["libs/*"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["libs/a"]);
        assert_eq!(found[0].manifest, root.join("libs/a/pyproject.toml"));
        assert_eq!(found[0].pattern, "libs/*");
    }

    #[test]
    fn doublestar_spans_directories() {
        let (_tmp, root) = workspace();
        project(&root.join("libs/pkg-top"));
        project(&root.join("libs/a/pkg-x"));
        project(&root.join("libs/b/c/pkg-y"));
        fs::create_dir_all(root.join("libs/b/other")).unwrap();
        let found = expand(&root, &["libs/**/pkg-*"], &[], true).unwrap();
        assert_eq!(
            relative(&root, &found),
            ["libs/a/pkg-x", "libs/b/c/pkg-y", "libs/pkg-top"]
        );
    }

    #[test]
    fn trailing_doublestar_yields_every_directory_below() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/a"));
        project(&root.join("packages/b"));
        file(&root.join("packages/notes.md"), "x");
        let found = expand(&root, &["packages/**"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/a", "packages/b"]);

        // A member's `src/` is a match too, and has no manifest (doublestar-hits-src-dir).
        file(&root.join("packages/a/src/mod.py"), "");
        let (path, pattern) = missing_member(expand(&root, &["packages/**"], &[], true));
        assert_eq!(path, root.join("packages/a/src"));
        assert_eq!(pattern, "packages/**");
    }

    #[test]
    fn hidden_directories_are_candidates_and_skipped_without_pyproject() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/.hidden"));
        file(&root.join("packages/.cache/data"), "x");
        let found = expand(&root, &["packages/*"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/.hidden"]);
    }

    #[test]
    fn files_and_empty_directories_are_skipped() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/a"));
        file(&root.join("packages/README.md"), "x");
        fs::create_dir_all(root.join("packages/empty/nested")).unwrap();
        let found = expand(&root, &["packages/*", "packages/**/*"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/a"]);
    }

    #[test]
    fn hidden_file_counts_as_content() {
        let (_tmp, root) = workspace();
        file(&root.join("packages/keep/.gitkeep"), "");
        let (path, pattern) = missing_member(expand(&root, &["./packages/*/"], &[], true));
        assert_eq!(path, root.join("packages/keep"));
        assert_eq!(pattern, "./packages/*/", "the entry as written");
    }

    #[test]
    fn gitignored_only_directory_is_skipped_inside_a_repository_only() {
        let (_tmp, root) = workspace();
        file(&root.join(".gitignore"), "__pycache__/\n");
        file(&root.join("packages/b/__pycache__/m.pyc"), "x");
        // Outside a repository the `.gitignore` does not count.
        let (path, _) = missing_member(expand(&root, &["packages/*"], &[], true));
        assert_eq!(path, root.join("packages/b"));

        git_init(&root);
        assert!(expand(&root, &["packages/*"], &[], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn repository_above_the_root_bounds_gitignore_files() {
        let tmp = tempfile::tempdir().unwrap();
        let repository = tmp.path().join("outer/repo");
        let root = repository.join("ws");
        fs::create_dir_all(&root).unwrap();
        file(&root.join("packages/b/__pycache__/m.pyc"), "x");
        // Above the repository root: not honoured (uv agrees).
        file(&tmp.path().join("outer/.gitignore"), "__pycache__/\n");
        git_init(&repository);
        assert!(expand(&root, &["packages/*"], &[], true).is_err());

        // At the repository root, above the workspace root: honoured.
        file(&repository.join(".gitignore"), "__pycache__/\n");
        assert!(expand(&root, &["packages/*"], &[], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn ancestor_pattern_naming_the_directory_itself_does_not_empty_it() {
        // uv walks from the member directory, and the crate matches each entry on its own path,
        // so `packages/b/` in the root's `.gitignore` does not hide `packages/b/x.py`.
        let (_tmp, root) = workspace();
        git_init(&root);
        file(&root.join("packages/b/x.py"), "");
        file(&root.join(".gitignore"), "packages/b/\n");
        assert!(expand(&root, &["packages/*"], &[], true).is_err());
        file(&root.join(".gitignore"), "/packages/b/x.py\n");
        assert!(expand(&root, &["packages/*"], &[], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn dot_ignore_is_honoured_without_a_repository() {
        let (_tmp, root) = workspace();
        file(&root.join("packages/b/build/out.bin"), "x");
        file(&root.join("packages/b/.ignore"), "build/\n");
        // The `.ignore` file itself is content.
        assert!(expand(&root, &["packages/*"], &[], true).is_err());

        fs::remove_file(root.join("packages/b/.ignore")).unwrap();
        file(&root.join(".ignore"), "build/\n");
        assert!(expand(&root, &["packages/*"], &[], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn duplicate_patterns_yield_one_member() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/a"));
        let found = expand(
            &root,
            &["packages/*", "packages/a", "./packages/a/"],
            &[],
            true,
        )
        .unwrap();
        assert_eq!(relative(&root, &found), ["packages/a"]);
        assert_eq!(
            found[0].pattern, "packages/*",
            "the first pattern that named it"
        );
    }

    #[test]
    fn root_listed_as_dot() {
        let (_tmp, root) = workspace();
        project(&root);
        project(&root.join("a"));
        // A project root is already a member (R2.1).
        let found = expand(&root, &[".", "a"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["a"]);
        // A virtual root lists its own manifest; `exclude = ["."]` does not remove it.
        let found = expand(&root, &[".", "a"], &["."], false).unwrap();
        assert_eq!(relative(&root, &found), [".", "a"]);
    }

    #[test]
    fn exclude_wins_over_an_explicit_member() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/a"));
        project(&root.join("packages/b"));
        let found = expand(&root, &["packages/a", "packages/b"], &["packages/a"], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/b"]);
    }

    #[test]
    fn exclude_star_crosses_separators() {
        let (_tmp, root) = workspace();
        project(&root.join("libs/group/a"));
        project(&root.join("other"));
        for exclude in ["libs/*", "l*", "*/a", "libs/*a", "./libs/*"] {
            let found = expand(&root, &["libs/group/a", "other"], &[exclude], true).unwrap();
            assert_eq!(
                relative(&root, &found),
                ["other"],
                "exclude = [{exclude:?}]"
            );
        }
        assert!(expand(&root, &["libs/group/a", "other"], &["*"], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn exclude_has_no_implicit_descendants() {
        let (_tmp, root) = workspace();
        project(&root.join("packages"));
        project(&root.join("packages/seeds"));
        let found = expand(&root, &["packages", "packages/*"], &["packages/"], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/seeds"]);
    }

    #[test]
    fn members_may_leave_the_root() {
        let (tmp, root) = workspace();
        project(&tmp.path().join("peer"));
        let found = expand(&root, &["../peer"], &[], true).unwrap();
        assert_eq!(found[0].path, tmp.path().join("peer"), "normalised");
        assert!(expand(&root, &["../peer"], &["../peer"], true)
            .unwrap()
            .is_empty());
        // uv matches exclusions against `<root>/../peer`, which `*` covers.
        assert!(expand(&root, &["../peer"], &["*"], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn raw_spelling_decides_duplicates_and_exclusion() {
        let (_tmp, root) = workspace();
        project(&root.join("pkg"));
        // `<root>/pkg` and `<root>/../ws/pkg` are two matches in uv: a duplicate-name error later.
        let found = expand(&root, &["pkg", "../ws/pkg"], &[], true).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path, found[1].path);
        // `<root>/../ws/pkg` as an exclude pattern does not match `<root>/pkg`.
        assert_eq!(
            expand(&root, &["pkg"], &["../ws/pkg"], true).unwrap().len(),
            1
        );
    }

    #[test]
    fn root_with_glob_metacharacters_is_literal() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("we[ird]?*");
        project(&root.join("packages/a"));
        // `we[ird]?*` as a glob would match this sibling.
        project(&tmp.path().join("weix/packages/b"));
        let found = expand(&root, &["packages/*"], &[], true).unwrap();
        assert_eq!(relative(&root, &found), ["packages/a"]);
        assert!(expand(&root, &["packages/*"], &["./packages/a"], true)
            .unwrap()
            .is_empty());
        assert!(claims(
            &root,
            &strings(&["packages/*"]),
            &[],
            &root.join("packages/a")
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_member_keeps_the_link_path() {
        let (tmp, root) = workspace();
        project(&tmp.path().join("elsewhere/real"));
        fs::create_dir_all(root.join("packages")).unwrap();
        std::os::unix::fs::symlink(
            tmp.path().join("elsewhere/real"),
            root.join("packages/link"),
        )
        .unwrap();
        let found = expand(&root, &["packages/*"], &[], true).unwrap();
        assert_eq!(found[0].path, root.join("packages/link"));
        assert_eq!(found[0].manifest, root.join("packages/link/pyproject.toml"));
    }

    #[cfg(unix)]
    #[test]
    fn broken_symlink_is_an_io_error() {
        let (tmp, root) = workspace();
        fs::create_dir_all(root.join("packages")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), root.join("packages/broken"))
            .unwrap();
        match expand(&root, &["packages/*"], &[], true) {
            Err(DiscoveryError::Io { path, .. }) => assert_eq!(path, root.join("packages/broken")),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }

    #[test]
    fn nonexistent_paths_are_ignored() {
        let (_tmp, root) = workspace();
        assert!(expand(&root, &["missing", "missing/*"], &[], true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn ignore_paths_are_skipped() {
        let (_tmp, root) = workspace();
        project(&root.join("packages/a"));
        // A directory being created holds no manifest yet; it must not fail either.
        fs::create_dir_all(root.join("packages/new/src")).unwrap();
        let ignore = [root.join("packages/./new/"), root.join("packages/x/../a")];
        let manifest = root.join("pyproject.toml");
        let found = expand_members(
            &root,
            &manifest,
            &strings(&["packages/*"]),
            &[],
            true,
            &ignore,
        )
        .unwrap();
        assert!(found.is_empty());
    }

    #[test]
    fn invalid_component_glob_is_a_manifest_error() {
        let (_tmp, root) = workspace();
        // Valid as a whole, but `[a` is not a valid component once split at `/`.
        match expand(&root, &["[a/]b"], &[], true) {
            Err(DiscoveryError::Manifest(error)) => {
                assert_eq!(error.kind, ManifestErrorKind::InvalidGlob);
                assert_eq!(error.key.as_deref(), Some("tool.uv.workspace.members"));
            }
            other => panic!("expected a manifest error, got {other:?}"),
        }
    }

    #[test]
    fn claims_follows_the_upward_rules() {
        let root = Path::new("/w/ws");
        let claim = |members: &[&str], exclude: &[&str], project: &str| {
            claims(
                root,
                &strings(members),
                &strings(exclude),
                &root.join(project),
            )
        };
        assert!(claim(&["packages/*"], &[], "packages/x"));
        assert!(
            !claim(&["packages/*"], &[], "packages/x/y"),
            "`*` does not cross `/`"
        );
        assert!(claim(&["libs/**/pkg-*"], &[], "libs/a/b/pkg-x"));
        assert!(claim(&["libs/**/pkg-*"], &[], "libs/pkg-top"));
        assert!(claim(&["./packages/*/"], &[], "packages/x"));
        assert!(claim(&["packages/*"], &[], "packages/.hidden"));
        assert!(
            !claim(&["packages/*"], &["packages/x"], "packages/x"),
            "excluded"
        );
        assert!(
            !claim(&["packages/**"], &["packages/*"], "packages/x/y"),
            "`*` crosses `/`"
        );
        // No implicit descendants, and nothing outside the patterns.
        assert!(claim(&["packages/**"], &["packages"], "packages/x/y"));
        assert!(!claim(&["packages/*"], &[], "other/x"));
        // Not normalised after anchoring, as in uv: `<root>/../ws/pkg` does not claim `pkg`.
        assert!(!claim(&["../ws/pkg"], &[], "pkg"));
        assert!(claim(&["x/../pkg"], &[], "pkg"));
    }

    #[test]
    fn is_excluded_relative_and_anchored() {
        let root = Path::new("/w/ws");
        let excluded = |exclude: &[&str], member: &str| {
            is_excluded(
                root,
                &strings(exclude),
                &normalize_lexically(&root.join(member)),
            )
        };
        assert!(excluded(&["packages/a"], "packages/a"));
        assert!(excluded(&["./packages/a"], "packages/a"));
        assert!(excluded(&["/w/ws/packages/*"], "packages/a/b"));
        assert!(excluded(&["packages/./a"], "packages/a"));
        assert!(!excluded(&["packages"], "packages/a"));
        assert!(
            !excluded(&["[bad"], "packages/a"),
            "an invalid glob excludes nothing"
        );
    }
}
