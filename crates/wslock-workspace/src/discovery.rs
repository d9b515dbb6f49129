//! Root discovery (uv's "project discovery" flavour, workspace-semantics R1) bounded by ceilings.
//!
//! 1. Find the nearest manifest from the start directory upward (R1.2).
//! 2. Classify it (R1.3): an explicit or virtual root is the root; a project looks further up
//!    for a workspace that claims it (R1.4), where the first manifest found decides.
//! 3. Collect the root's members (R2, in [`crate::members`] and [`collect`]).
//!
//! Every read goes through the [`ManifestStore`]; every upward step asks the [`SearchScope`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ceiling::{AboveManifest, SearchScope};
use crate::error::DiscoveryError;
use crate::options::{DiscoveryOptions, ProjectRequirement};
use crate::paths::absolute_from;
use crate::pyproject::PyProject;
use crate::store::ManifestStore;
use crate::warning::Warning;
use crate::workspace::RootKind;

/// The root chosen for a start directory, before members are collected.
#[derive(Debug, Clone)]
pub(crate) struct RootChoice {
    pub dir: PathBuf,
    pub manifest_path: PathBuf,
    pub manifest: Arc<PyProject>,
    pub kind: RootKind,
    pub warnings: Vec<Warning>,
}

/// Makes the start path absolute and checks it: a path naming a `pyproject.toml` file stands
/// for its directory, as with uv's `--project`.
pub(crate) fn resolve_start(start: &Path, cwd: &Path) -> Result<PathBuf, DiscoveryError> {
    let mut start = absolute_from(start, cwd);
    if start
        .file_name()
        .is_some_and(|name| name == "pyproject.toml")
        && start.is_file()
    {
        start.pop();
    }
    match std::fs::metadata(&start) {
        Ok(metadata) if metadata.is_dir() => Ok(start),
        Ok(_) => Err(DiscoveryError::StartNotDirectory { path: start }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err(DiscoveryError::StartNotFound { path: start })
        }
        Err(source) => Err(DiscoveryError::Io {
            path: start,
            source,
        }),
    }
}

/// The search bounds for `start`: its nearest ceiling and the caller's hard stop.
///
/// The stop applies only when `start` is the stop directory or lies below it. A stop that is
/// not an ancestor of the start bounds nothing, as in uv (which compares each directory of its
/// upward walk with the stop and so never meets one that is not on the walk).
pub(crate) fn scope_for(start: &Path, cwd: &Path, options: &DiscoveryOptions) -> SearchScope {
    SearchScope {
        ceiling: options.ceilings.nearest(start, cwd),
        stop_at: options
            .stop_discovery_at
            .as_deref()
            .map(|dir| absolute_from(dir, cwd))
            .filter(|stop| start.starts_with(stop)),
    }
}

/// Steps 1 and 2: which directory is the workspace root for `start`.
pub(crate) fn choose_root(
    start: &Path,
    scope: &SearchScope,
    options: &DiscoveryOptions,
    store: &ManifestStore,
) -> Result<RootChoice, DiscoveryError> {
    let (dir, manifest_path) = nearest_manifest(start, scope)?;
    let manifest = store.manifest(&manifest_path)?;
    if options.project == ProjectRequirement::Required && manifest.project.is_none() {
        return Err(DiscoveryError::StartNotProject {
            manifest: manifest_path,
        });
    }
    let mut walk = UpwardWalk {
        searched: false,
        last_searched: dir.clone(),
        untrusted: None,
    };
    let chosen = if manifest.project.is_some() {
        if manifest.is_unmanaged() {
            return Err(DiscoveryError::Unmanaged {
                path: manifest_path,
            });
        }
        if options.no_workspace {
            None
        } else if manifest.workspace().is_some() {
            // An explicit root never looks higher, even if an outer workspace lists it (R1.3).
            None
        } else {
            enclosing_workspace(&dir, scope, store, &mut walk)?
        }
    } else {
        None
    };
    let mut warnings = Vec::new();
    // The warning is about where the search above the first manifest stopped; without that
    // search (`--no-workspace`, an explicit or virtual root found first) there is nothing to say.
    if scope.ceiling.is_none() && walk.searched {
        warnings.push(Warning::OutsideCeilings {
            start: start.to_path_buf(),
            stopped_at: walk.last_searched.clone(),
            untrusted: walk.untrusted.clone(),
        });
    }
    if let Some((root, root_manifest_path, root_manifest)) = chosen {
        // uv refuses an unmanaged project root only when discovery starts at it; from a member
        // it locks the root as an ordinary member. wslock refuses it from every start, so the
        // start directory never changes the answer (departure documented in
        // docs/workspace-discovery.md).
        if root_manifest.project.is_some() && root_manifest.is_unmanaged() {
            return Err(DiscoveryError::Unmanaged {
                path: root_manifest_path,
            });
        }
        let kind = if root_manifest.project.is_some() {
            RootKind::Explicit
        } else {
            RootKind::Virtual
        };
        return Ok(RootChoice {
            dir: root,
            manifest_path: root_manifest_path,
            manifest: root_manifest,
            kind,
            warnings,
        });
    }
    let kind = match (manifest.project.is_some(), manifest.workspace().is_some()) {
        (true, true) if !options.no_workspace => RootKind::Explicit,
        (true, _) => RootKind::Project,
        // A virtual root, or a manifest with neither table: uv locks the latter as a workspace
        // without members rooted there (R1.3.3), so it is virtual too.
        (false, _) => RootKind::Virtual,
    };
    Ok(RootChoice {
        dir,
        manifest_path,
        manifest,
        kind,
        warnings,
    })
}

/// How far the upward search went, for the outside-every-ceiling warning.
struct UpwardWalk {
    /// Whether the search for an enclosing workspace ran at all.
    searched: bool,
    last_searched: PathBuf,
    untrusted: Option<PathBuf>,
}

/// R1.2: the nearest directory, from `start` upward within the scope, with a `pyproject.toml`
/// *file* (a directory of that name does not count).
fn nearest_manifest(
    start: &Path,
    scope: &SearchScope,
) -> Result<(PathBuf, PathBuf), DiscoveryError> {
    let mut last_searched = start;
    for dir in start.ancestors() {
        if !scope.first_manifest(dir) {
            break;
        }
        last_searched = dir;
        let manifest = dir.join("pyproject.toml");
        if manifest.is_file() {
            return Ok((dir.to_path_buf(), manifest));
        }
    }
    Err(DiscoveryError::MissingPyproject {
        start: start.to_path_buf(),
        searched_up_to: last_searched.to_path_buf(),
    })
}

/// R1.4: the workspace above `project_dir` that claims it. The first manifest met decides and
/// the search never continues past it: that is how examples and vendored projects nested in a
/// project stay standalone.
fn enclosing_workspace(
    project_dir: &Path,
    scope: &SearchScope,
    store: &ManifestStore,
    walk: &mut UpwardWalk,
) -> Result<Option<(PathBuf, PathBuf, Arc<PyProject>)>, DiscoveryError> {
    walk.searched = true;
    for dir in project_dir.ancestors().skip(1) {
        match scope.above_manifest(dir) {
            AboveManifest::Search => {}
            AboveManifest::Bounded => return Ok(None),
            AboveManifest::Untrusted => {
                walk.untrusted = Some(dir.to_path_buf());
                return Ok(None);
            }
        }
        walk.last_searched = dir.to_path_buf();
        let manifest_path = dir.join("pyproject.toml");
        if !manifest_path.is_file() {
            continue;
        }
        let manifest = store.manifest(&manifest_path)?;
        let claimed = match manifest.workspace() {
            Some(workspace) => crate::members::claims(
                dir,
                &manifest_path,
                &workspace.members,
                &workspace.exclude,
                project_dir,
            )?,
            None => false,
        };
        if claimed {
            return Ok(Some((dir.to_path_buf(), manifest_path, manifest)));
        }
        if manifest.workspace().is_none() {
            tracing::debug!(
                "`{}` is not a workspace root; `{}` is its own workspace",
                manifest_path.display(),
                project_dir.display()
            );
        }
        return Ok(None);
    }
    Ok(None)
}
