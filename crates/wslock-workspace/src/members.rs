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
//! drops `<root>/../peer`). We keep the raw path for those two checks and for every file-system
//! call, and report the lexically normalised path to callers. The raw path matters for more
//! than spelling: the kernel resolves `..` physically, so when the root was reached through a
//! symlink, `<root>/../peer` names the peer beside the symlink's *target*, while the normalised
//! path names a directory beside the symlink, which may not exist.
//!
//! Whether a match without a `pyproject.toml` holds only ignored files, the one check here that
//! reads ignore files, is in [`ignored`].

mod git_config;
mod ignored;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use glob::{MatchOptions, Pattern, PatternError};
use rustc_hash::FxHashSet;

use crate::ceiling::SearchScope;
use crate::error::{DiscoveryError, ManifestError, ManifestErrorKind};
use crate::paths::normalize_lexically;
use crate::pyproject::PyProject;
use crate::store::ManifestStore;
use git_config::GitEnvironment;
use ignored::IgnoreCheck;

/// A directory named by the `members` globs, in processing order: a member once its
/// `pyproject.toml` has been read.
///
/// Order matters only for which error is reported first and for which path is "first" in a
/// duplicate-name message (R2.2.4); members are sorted by name later (R2.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberDir {
    /// Absolute path as the glob produced it (symlink spelling kept, R2.6; lexically normalised),
    /// for reporting and recording.
    pub path: PathBuf,
    /// `path/pyproject.toml`.
    pub manifest: PathBuf,
    /// The directory as the glob spelt it (`<root>/../peer`): the path for file-system calls.
    pub raw: PathBuf,
    /// `raw/pyproject.toml`: the manifest to open.
    pub fs_manifest: PathBuf,
    /// The `members` entry as written in the root manifest, for error messages (R2.3.4).
    pub pattern: String,
}

/// Expands `members` of the root at `root` (absolute, normalised), applies `exclude` and reads
/// every member's manifest (R2.2–R2.4, R2.6).
///
/// Returns every matched path that is a directory with a `pyproject.toml`, is not excluded and
/// was not seen before (the root counts as seen when `seen_root` is true, that is when the root
/// is a project: R2.1), with its parsed manifest, in pattern order and then in the glob's
/// lexicographic order.
///
/// Manifests are read in parallel, and nothing is asked of the file system before: opening
/// `pyproject.toml` is the test that a match is a member, as in uv. Only a match whose manifest
/// does not exist is looked at further, in processing order: matches without a
/// `pyproject.toml` are skipped when they are files, hidden directories, or directories holding
/// only ignored files (R2.3.4, see [`ignored`]); any other such directory is a
/// [`DiscoveryError::MissingMemberPyproject`] naming the entry as written. Errors are reported
/// in processing order, a manifest that fails to parse before a later missing one (uv reads and
/// parses each match before it looks at the next).
///
/// `ignore_paths` are member paths the caller wants skipped, such as a project a tool is about
/// to create there (Part A.9); they are compared after lexical normalisation.
///
/// `scope` is the root's search scope: it bounds the ancestors whose ignore files the
/// "only ignored files" check may read, and `store` reads them and the manifests.
#[allow(clippy::too_many_arguments)]
pub(crate) fn expand_members(
    root: &Path,
    root_manifest: &Path,
    members: &[String],
    exclude: &[String],
    seen_root: bool,
    ignore_paths: &[PathBuf],
    scope: &SearchScope,
    store: &ManifestStore,
) -> Result<Vec<(MemberDir, Arc<PyProject>)>, DiscoveryError> {
    // The manifests are read on rayon's threads while the globs are still being expanded here.
    let mut matches: Vec<MemberDir> = Vec::new();
    let done: Mutex<Vec<(usize, Vec<ManifestRead>)>> = Mutex::default();
    let globbed = rayon::in_place_scope(|scope| {
        let mut reads = ChunkedReads {
            scope,
            store,
            done: &done,
            batch: Vec::new(),
            start: 0,
        };
        let globbed = glob_matches(
            root,
            root_manifest,
            members,
            exclude,
            seen_root,
            ignore_paths,
            |dir| {
                reads.push(&dir);
                matches.push(dir);
            },
        );
        reads.flush();
        globbed
    });
    // A glob that failed part way yielded its earlier matches first, and uv reads each match
    // before it globs on: their errors come before the glob's.
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|(start, _)| *start);
    let manifests = done.into_iter().flat_map(|(_, reads)| reads);
    let git = GitEnvironment::from_process();
    let ignore_check = IgnoreCheck {
        root,
        scope,
        store,
        git: &git,
    };
    let mut found = Vec::with_capacity(matches.len());
    for (dir, manifest) in matches.into_iter().zip(manifests) {
        if let Some(manifest) = manifest? {
            found.push((dir, manifest));
            continue;
        }
        match inspect_match(&ignore_check, &dir.raw, &dir.path)? {
            MatchKind::Skip(why) => {
                tracing::debug!("ignoring glob match `{}`: {why}", dir.path.display())
            }
            MatchKind::MissingPyproject => {
                return Err(DiscoveryError::MissingMemberPyproject {
                    path: dir.path,
                    pattern: dir.pattern,
                    root_manifest: root_manifest.to_path_buf(),
                })
            }
        }
    }
    globbed?;
    Ok(found)
}

/// The result of reading one glob match's manifest ([`ManifestStore::member_manifest`]).
type ManifestRead = Result<Option<Arc<PyProject>>, DiscoveryError>;

/// How many manifests one rayon task reads.
const READ_CHUNK: usize = 16;

/// Reads the manifests of glob matches in chunks on rayon's threads, as the matches come.
struct ChunkedReads<'a, 's> {
    scope: &'a rayon::Scope<'s>,
    store: &'s ManifestStore,
    /// Each chunk's reads, by the position of its first match.
    done: &'s Mutex<Vec<(usize, Vec<ManifestRead>)>>,
    /// The manifests to read and the paths to name them by, not yet sent to a task.
    batch: Vec<(PathBuf, PathBuf)>,
    /// The position of the batch's first match.
    start: usize,
}

impl ChunkedReads<'_, '_> {
    fn push(&mut self, dir: &MemberDir) {
        self.batch
            .push((dir.fs_manifest.clone(), dir.manifest.clone()));
        if self.batch.len() == READ_CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        let start = self.start;
        self.start += batch.len();
        let (store, done) = (self.store, self.done);
        self.scope.spawn(move |_| {
            let reads: Vec<ManifestRead> = batch
                .iter()
                .map(|(read_from, path)| store.member_manifest(read_from, path))
                .collect();
            done.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((start, reads));
        });
    }
}

/// Passes every path the `members` globs yield that is new, not in `ignore_paths` and not
/// excluded to `found`, in processing order; nothing about the path itself is checked yet.
fn glob_matches(
    root: &Path,
    root_manifest: &Path,
    members: &[String],
    exclude: &[String],
    seen_root: bool,
    ignore_paths: &[PathBuf],
    mut found: impl FnMut(MemberDir),
) -> Result<(), DiscoveryError> {
    require_utf8_root(root, root_manifest, members)?;
    let ignore_paths: FxHashSet<PathBuf> = ignore_paths
        .iter()
        .map(|path| normalize_lexically(path))
        .collect();
    // Keyed by the raw glob result, as uv's is (R2.3.2): `pkg` and `../ws/pkg` are two paths.
    let mut seen: FxHashSet<PathBuf> = FxHashSet::default();
    if seen_root {
        seen.insert(root.to_path_buf());
    }
    // Compiled on first use, as uv does: a bad `exclude` entry only fails discovery once a
    // glob actually yields something to test.
    let mut exclusions: Option<Exclusions> = None;

    for entry in members {
        let cleaned = clean_entry(entry).cleaned;
        if let Some(path) = non_utf8_match(root, &cleaned) {
            return Err(DiscoveryError::NonUtf8Member {
                path,
                pattern: entry.clone(),
                root_manifest: root_manifest.to_path_buf(),
            });
        }
        let anchored = anchor(root, &cleaned);
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
            found(MemberDir {
                manifest: path.join("pyproject.toml"),
                fs_manifest: raw.join("pyproject.toml"),
                raw,
                path,
                pattern: entry.clone(),
            });
        }
    }
    Ok(())
}

/// The upward membership test of R1.4/R2.5: would the workspace rooted at `root` with these
/// patterns claim the project directory `project` (absolute, normalised)?
///
/// A `members` pattern must match, anchored at the escaped root. Unlike expansion this is a
/// string match, so nothing is read from disk (R1.4: "existence not required"). uv 0.13.8 sets
/// `require_literal_separator` here, so `packages/*` does not claim `packages/x/y` while `**`
/// still spans directories (R2.5, and §10.1 for why the older source differs). No `exclude`
/// pattern may match (R2.4).
///
/// A pattern that fails only once anchored (the parser checks each entry on its own) is the
/// same error as when expanding from the root, so the start directory never changes the
/// answer: every `members` entry is compiled as expansion compiles it, and the `exclude` entries
/// once a `members` pattern matches (expansion compiles them once a glob yields a path, and it
/// would yield this existing project).
pub(crate) fn claims(
    root: &Path,
    root_manifest: &Path,
    members: &[String],
    exclude: &[String],
    project: &Path,
) -> Result<bool, DiscoveryError> {
    require_utf8_root(root, root_manifest, members)?;
    let options = MatchOptions {
        require_literal_separator: true,
        ..MatchOptions::new()
    };
    let mut included = false;
    for entry in members {
        let anchored = anchor(root, &clean_entry(entry).cleaned);
        // `glob::glob` compiles each component as expansion does; nothing is read until the
        // result is iterated, and it is dropped unused.
        let compiled = glob::glob(&anchored).and_then(|_| Pattern::new(&anchored));
        let pattern = compiled
            .map_err(|error| invalid_glob(root_manifest, "members", entry, &anchored, &error))?;
        // A project whose path is not UTF-8 never matches a glob; expansion from the root
        // reports the directory, so the answer from below must not be "not a member".
        if project.to_str().is_none() && pattern.matches_with(&project.to_string_lossy(), options) {
            return Err(DiscoveryError::NonUtf8Member {
                path: project.to_path_buf(),
                pattern: entry.clone(),
                root_manifest: root_manifest.to_path_buf(),
            });
        }
        included = included || pattern.matches_path_with(project, options);
    }
    if !included {
        return Ok(false);
    }
    let exclusions = Exclusions::compile(root, exclude).map_err(|(bad, anchored, error)| {
        invalid_glob(root_manifest, "exclude", &bad, &anchored, &error)
    })?;
    Ok(!exclusions.matches(project))
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

/// Globs are strings: a root whose path is not UTF-8 would be anchored lossily (`\u{FFFD}` in
/// place of the bad bytes), match nothing, and lose every member without a word. uv has the same
/// blind spot; an error is the honest answer. A root without `members` globs is fine.
fn require_utf8_root(
    root: &Path,
    root_manifest: &Path,
    members: &[String],
) -> Result<(), DiscoveryError> {
    if members.is_empty() || root.to_str().is_some() {
        return Ok(());
    }
    Err(DiscoveryError::NonUtf8Root {
        root: root.to_path_buf(),
        root_manifest: root_manifest.to_path_buf(),
    })
}

/// The first directory (in byte order, so the same on every file system) that the cleaned entry
/// could match but whose name is not UTF-8, if any.
///
/// The `glob` crate skips names it cannot turn into strings, so such a directory would silently
/// not be a member. This walks the entry's wildcard components as the glob does, testing each
/// non-UTF-8 name lossily (`\u{FFFD}` for the bad bytes) against the component. `**` is not
/// followed: that would walk a whole tree a second time; entries with it are not checked.
fn non_utf8_match(root: &Path, cleaned: &Path) -> Option<PathBuf> {
    let components: Vec<&std::ffi::OsStr> = cleaned
        .components()
        .map(|component| component.as_os_str())
        .collect();
    let wildcard = |text: &str| text.contains(['*', '?', '[']);
    if !components
        .iter()
        .any(|component| component.to_str().is_some_and(wildcard))
        || components.iter().any(|component| *component == "**")
    {
        return None;
    }
    let mut dirs = vec![root.to_path_buf()];
    let mut found: Vec<PathBuf> = Vec::new();
    for (index, component) in components.iter().enumerate() {
        let text = component.to_str()?;
        if !wildcard(text) {
            dirs.iter_mut().for_each(|dir| dir.push(component));
            continue;
        }
        // Only a later wildcard walks on from the UTF-8 matches; without one, matching them
        // here (a thousand members, say) would be for nothing.
        let walk_on = components[index + 1..]
            .iter()
            .any(|later| later.to_str().is_some_and(wildcard));
        let pattern = Pattern::new(text).ok()?;
        let mut next = Vec::new();
        for dir in &dirs {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                match name.to_str() {
                    Some(name) if walk_on && pattern.matches(name) => next.push(entry.path()),
                    Some(_) => {}
                    None if pattern.matches(&name.to_string_lossy()) && entry.path().is_dir() => {
                        found.push(normalize_lexically(&entry.path()));
                    }
                    None => {}
                }
            }
        }
        dirs = next;
    }
    found.into_iter().min()
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
    /// The workspace root, which relative entries are matched against.
    root: PathBuf,
    /// The entries, in the order written.
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
        span: None,
        message: format!("the glob `{entry}` (anchored as `{anchored}`) is invalid: {error}"),
        kind: ManifestErrorKind::InvalidGlob,
    }))
}

// ---------------------------------------------------------------------------------------------
// Per-path checks (R2.3.4)
// ---------------------------------------------------------------------------------------------

/// What a glob match without a `pyproject.toml` turned out to be.
enum MatchKind {
    /// Not a member, and not an error; the reason is for the debug log.
    Skip(&'static str),
    /// A directory with content but no `pyproject.toml`.
    MissingPyproject,
}

/// Classifies one glob match whose `pyproject.toml` could not be opened because it does not
/// exist or the match is not a directory (R2.3.4). `raw` is the glob's spelling, used for
/// every file-system call; `path` is its normalised form, used in errors.
///
/// Only `metadata` is used here, besides the ignore-file check. A broken symlink fails like any
/// other I/O error, because uv fails on it too (it cannot stat the member).
fn inspect_match(
    ignore_check: &IgnoreCheck<'_>,
    raw: &Path,
    path: &Path,
) -> Result<MatchKind, DiscoveryError> {
    let metadata = fs::metadata(raw).map_err(|source| DiscoveryError::Io {
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
    if ignore_check.has_only_ignored_files(raw, path) {
        return Ok(MatchKind::Skip("directory holds only ignored files"));
    }
    Ok(MatchKind::MissingPyproject)
}

#[cfg(test)]
mod tests;
