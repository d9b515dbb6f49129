//! The library options that installers use (workspace-semantics Part A.9).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use wslock_workspace::{
    CeilingSettings, DiscoveryError, DiscoveryOptions, MemberMode, ProjectRequirement, RootKind,
    WorkspaceCache,
};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A virtual root with members `a` and `b`, and a project root variant.
fn workspace(dir: &Path, root_is_project: bool) {
    let project = if root_is_project {
        "[project]\nname = \"root\"\nversion = \"1\"\n"
    } else {
        ""
    };
    write(
        &dir.join("pyproject.toml"),
        &format!("{project}[tool.uv.workspace]\nmembers = [\"packages/*\"]\n"),
    );
    for name in ["a", "b"] {
        write(
            &dir.join(format!("packages/{name}/pyproject.toml")),
            &format!("[project]\nname = \"{name}\"\nversion = \"1\"\n"),
        );
    }
}

fn bounded(dir: &Path) -> DiscoveryOptions {
    DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(dir))
}

fn names(cache: &WorkspaceCache, start: &Path, options: &DiscoveryOptions) -> Vec<String> {
    let found = cache.discover(start, options).unwrap();
    found
        .workspace()
        .members()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

#[test]
fn member_modes() {
    let temp = tempfile::tempdir().unwrap();
    workspace(temp.path(), true);
    let cache = WorkspaceCache::new();
    let options = bounded(temp.path());
    assert_eq!(names(&cache, temp.path(), &options), ["a", "b", "root"]);
    assert_eq!(
        names(
            &cache,
            temp.path(),
            &options.clone().members(MemberMode::None)
        ),
        ["root"]
    );
    let ignore = BTreeSet::from([temp.path().join("packages/b")]);
    assert_eq!(
        names(
            &cache,
            temp.path(),
            &options.clone().members(MemberMode::AllExcept(ignore))
        ),
        ["a", "root"]
    );
}

#[test]
fn ignored_paths_may_be_missing_their_manifest() {
    // A tool creating `packages/new` has the directory before its pyproject.toml.
    let temp = tempfile::tempdir().unwrap();
    workspace(temp.path(), false);
    write(&temp.path().join("packages/new/README.md"), "in progress");
    let options = bounded(temp.path());
    let error = WorkspaceCache::new()
        .discover(temp.path(), &options)
        .unwrap_err();
    assert!(
        matches!(error, DiscoveryError::MissingMemberPyproject { .. }),
        "{error:?}"
    );
    let ignore = BTreeSet::from([temp.path().join("packages/new")]);
    let options = options.members(MemberMode::AllExcept(ignore));
    assert_eq!(
        names(&WorkspaceCache::new(), temp.path(), &options),
        ["a", "b"]
    );
}

#[test]
fn a_project_can_be_required_at_the_start() {
    let temp = tempfile::tempdir().unwrap();
    workspace(temp.path(), false);
    let required = bounded(temp.path()).project(ProjectRequirement::Required);
    let cache = WorkspaceCache::new();
    let error = cache.discover(temp.path(), &required).unwrap_err();
    match error {
        DiscoveryError::StartNotProject { manifest } => {
            assert_eq!(manifest, temp.path().join("pyproject.toml"))
        }
        other => panic!("unexpected {other:?}"),
    }
    let found = cache
        .discover(&temp.path().join("packages/a"), &required)
        .unwrap();
    assert_eq!(found.workspace().kind(), RootKind::Virtual);
    assert_eq!(found.workspace().root(), temp.path());
}

#[test]
fn a_pyproject_file_as_start_means_its_directory() {
    let temp = tempfile::tempdir().unwrap();
    workspace(temp.path(), true);
    let found = WorkspaceCache::new()
        .discover(
            &temp.path().join("packages/a/pyproject.toml"),
            &bounded(temp.path()),
        )
        .unwrap();
    assert_eq!(found.workspace().root(), temp.path());
    assert_eq!(found.workspace().kind(), RootKind::Explicit);
}

#[test]
fn a_file_that_is_not_a_manifest_is_not_a_start() {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("notes.txt"), "x");
    let error = WorkspaceCache::new()
        .discover(&temp.path().join("notes.txt"), &bounded(temp.path()))
        .unwrap_err();
    assert!(
        matches!(error, DiscoveryError::StartNotDirectory { .. }),
        "{error:?}"
    );
}

#[test]
fn an_unmanaged_project_root_is_refused_from_every_start() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("pyproject.toml"),
        "[project]\nname = \"root\"\nversion = \"1\"\n[tool.uv]\nmanaged = false\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    write(
        &temp.path().join("packages/a/pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\n",
    );
    for start in [temp.path().to_path_buf(), temp.path().join("packages/a")] {
        let error = WorkspaceCache::new()
            .discover(&start, &bounded(temp.path()))
            .unwrap_err();
        assert!(
            matches!(error, DiscoveryError::Unmanaged { .. }),
            "{}: {error:?}",
            start.display()
        );
    }
}

/// uv compares each directory of its upward walk with the stop, so a stop that is not the start
/// or one of its ancestors never bounds anything. It is ignored here too, rather than making
/// the start itself out of bounds.
#[test]
fn a_stop_that_is_not_above_the_start_is_ignored() {
    let temp = tempfile::tempdir().unwrap();
    workspace(temp.path(), false);
    let start = temp.path().join("packages/a");
    fs::create_dir_all(start.join("src")).unwrap();
    fs::create_dir_all(temp.path().join("elsewhere")).unwrap();
    for stop in [
        temp.path().join("elsewhere"),
        temp.path().join("packages/a/src"),
        temp.path().join("packages/b"),
    ] {
        let options = bounded(temp.path()).stop_discovery_at(&stop);
        let found = WorkspaceCache::new().discover(&start, &options).unwrap();
        assert_eq!(found.workspace().root(), temp.path(), "{}", stop.display());
        assert_eq!(found.workspace().members().len(), 2);
    }
    // A stop at the start still bounds the search.
    let options = bounded(temp.path()).stop_discovery_at(&start);
    let found = WorkspaceCache::new().discover(&start, &options).unwrap();
    assert_eq!(found.workspace().root(), start);
}
