//! Ceiling roots as a boundary: what discovery may and may not read (ceiling-roots.md).

use std::fs;
use std::path::{Path, PathBuf};

use wslock_workspace::{
    CeilingOrigin, CeilingSettings, DiscoveryError, DiscoveryOptions, RootKind, Warning,
    WorkspaceCache, ROOT_MARKER,
};

/// A file that is an error if anything parses it.
const PLANTED_INVALID: &str = "this is [ not toml\n";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn project(name: &str) -> String {
    format!("[project]\nname = \"{name}\"\nversion = \"0.1.0\"\n")
}

/// A workspace root that would claim `member` if it were ever read.
fn greedy_root(member: &str) -> String {
    format!("[tool.uv.workspace]\nmembers = [\"{member}\"]\n")
}

fn only_ceiling(dir: &Path) -> DiscoveryOptions {
    DiscoveryOptions::new().ceilings(CeilingSettings::new().with_roots_env(Some(dir.into())))
}

fn assert_not_read(cache: &WorkspaceCache, path: &Path) {
    let reads = cache.files_read();
    assert!(
        !reads.iter().any(|read| read == path),
        "{} was read: {reads:?}",
        path.display()
    );
}

#[test]
fn an_invalid_manifest_above_the_ceiling_is_never_read() {
    let temp = tempfile::tempdir().unwrap();
    let outer = temp.path().join("outer");
    let ceiling = outer.join("ceiling");
    write(&outer.join("pyproject.toml"), PLANTED_INVALID);
    write(&ceiling.join("proj/pyproject.toml"), &project("proj"));
    fs::create_dir_all(ceiling.join("proj/src/deep")).unwrap();

    let cache = WorkspaceCache::new();
    let found = cache
        .discover(&ceiling.join("proj/src/deep"), &only_ceiling(&ceiling))
        .unwrap();
    assert_eq!(found.workspace().root(), ceiling.join("proj"));
    assert_eq!(found.workspace().kind(), RootKind::Project);
    assert!(found.warnings().is_empty(), "{:?}", found.warnings());
    assert_not_read(&cache, &outer.join("pyproject.toml"));
}

#[test]
fn a_workspace_above_the_ceiling_cannot_claim_a_project_below_it() {
    let temp = tempfile::tempdir().unwrap();
    let outer = temp.path();
    write(&outer.join("pyproject.toml"), &greedy_root("ceiling/proj"));
    write(&outer.join("ceiling/proj/pyproject.toml"), &project("proj"));

    let cache = WorkspaceCache::new();
    let start = outer.join("ceiling/proj");
    let found = cache
        .discover(&start, &only_ceiling(&outer.join("ceiling")))
        .unwrap();
    assert_eq!(found.workspace().root(), start);
    assert_eq!(found.workspace().kind(), RootKind::Project);
    assert_not_read(&cache, &outer.join("pyproject.toml"));

    // Without the ceiling (the outer directory is the ceiling), the outer workspace claims it.
    let found = WorkspaceCache::new()
        .discover(&start, &only_ceiling(outer))
        .unwrap();
    assert_eq!(found.workspace().root(), outer);
}

#[test]
fn a_manifest_at_the_ceiling_itself_can_be_the_root() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("repo");
    write(&root.join("pyproject.toml"), &greedy_root("packages/*"));
    write(&root.join("packages/a/pyproject.toml"), &project("a"));
    let found = WorkspaceCache::new()
        .discover(&root.join("packages/a"), &only_ceiling(&root))
        .unwrap();
    assert_eq!(found.workspace().root(), root);
    assert_eq!(found.workspace().kind(), RootKind::Virtual);
}

#[test]
fn no_manifest_below_the_ceiling_is_an_error_naming_the_ceiling() {
    let temp = tempfile::tempdir().unwrap();
    let ceiling = temp.path().join("ceiling");
    write(&temp.path().join("pyproject.toml"), &project("outside"));
    fs::create_dir_all(ceiling.join("empty")).unwrap();
    let cache = WorkspaceCache::new();
    let error = cache
        .discover(&ceiling.join("empty"), &only_ceiling(&ceiling))
        .unwrap_err();
    match &error {
        DiscoveryError::MissingPyproject { searched_up_to, .. } => {
            assert_eq!(searched_up_to, &ceiling)
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(cache.files_read().is_empty());
}

#[test]
fn the_home_directory_is_the_default_ceiling() {
    let temp = tempfile::tempdir().unwrap();
    let home = temp.path().join("home");
    write(
        &temp.path().join("pyproject.toml"),
        &greedy_root("home/proj"),
    );
    write(&home.join("proj/pyproject.toml"), &project("proj"));
    let settings = CeilingSettings::new()
        .with_roots_env(None)
        .with_home(Some(home.clone()));
    let cache = WorkspaceCache::new();
    let found = cache
        .discover(
            &home.join("proj"),
            &DiscoveryOptions::new().ceilings(settings.clone()),
        )
        .unwrap();
    assert_eq!(found.workspace().root(), home.join("proj"));
    assert_not_read(&cache, &temp.path().join("pyproject.toml"));

    // Setting WSLOCK_ROOTS (even to an unrelated list) replaces the home default.
    let replaced = settings.with_roots_env(Some(temp.path().into()));
    let found = WorkspaceCache::new()
        .discover(
            &home.join("proj"),
            &DiscoveryOptions::new().ceilings(replaced),
        )
        .unwrap();
    assert_eq!(found.workspace().root(), temp.path());
}

#[test]
fn each_source_of_ceilings_and_the_nearest_wins() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    // One workspace at the top claims the project three levels down; whether discovery reaches
    // it shows whether the ceiling in force lies at `base` or below it.
    write(&base.join("pyproject.toml"), &greedy_root("a/b/c/proj"));
    write(&base.join("a/b/c/proj/pyproject.toml"), &project("proj"));
    let start = base.join("a/b/c/proj");
    let root_with = |settings: CeilingSettings| {
        let options = DiscoveryOptions::new().ceilings(settings);
        let found = WorkspaceCache::new().discover(&start, &options).unwrap();
        found.workspace().root().to_path_buf()
    };
    let env = |dirs: &[&Path]| {
        CeilingSettings::new().with_roots_env(Some(std::env::join_paths(dirs).unwrap()))
    };
    let (base, a) = (base.to_path_buf(), base.join("a"));
    let (base_ref, a_ref) = (base.as_path(), a.as_path());

    // Each source on its own, at the workspace (reached) or below it (bounded).
    assert_eq!(root_with(env(&[base_ref])), base);
    assert_eq!(root_with(env(&[a_ref])), start);
    assert_eq!(root_with(env(&[]).with_root(&base)), base);
    assert_eq!(root_with(env(&[]).with_root(&a)), start);
    write(&base.join(ROOT_MARKER), "");
    assert_eq!(root_with(env(&[])), base, "a marker at the workspace root");
    write(&a.join(ROOT_MARKER), "");
    assert_eq!(root_with(env(&[])), start, "a nearer marker below it");
    fs::remove_file(a.join(ROOT_MARKER)).unwrap();

    // Combined: the deepest wins, whichever source it comes from.
    assert_eq!(root_with(env(&[base_ref, a_ref])), start);
    assert_eq!(root_with(env(&[a_ref]).with_root(&base)), start);
    assert_eq!(root_with(env(&[base_ref]).with_root(&a)), start);
    write(&base.join("a/b").join(ROOT_MARKER), "");
    assert_eq!(root_with(env(&[base_ref]).with_root(&base)), start);
    let nearest = env(&[base_ref]).nearest(&start, &base).unwrap();
    assert_eq!(
        (nearest.dir, nearest.origin),
        (base.join("a/b"), CeilingOrigin::Marker)
    );
}

#[test]
fn outside_every_ceiling_the_first_manifest_is_found_anywhere_up() {
    let temp = tempfile::tempdir().unwrap();
    let pkg = temp.path().join("pkg");
    write(&pkg.join("pyproject.toml"), &project("pkg"));
    fs::create_dir_all(pkg.join("src/sub")).unwrap();
    let unrelated = temp.path().join("unrelated");
    fs::create_dir_all(&unrelated).unwrap();
    let found = WorkspaceCache::new()
        .discover(&pkg.join("src/sub"), &only_ceiling(&unrelated))
        .unwrap();
    assert_eq!(found.workspace().root(), pkg);
    assert!(matches!(
        found.warnings(),
        [Warning::OutsideCeilings { .. }]
    ));
}

#[cfg(unix)]
#[test]
fn outside_every_ceiling_only_private_directories_are_searched_above_the_first_manifest() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let unrelated = temp.path().join("unrelated");
    fs::create_dir_all(&unrelated).unwrap();

    // A checkout in a private directory still finds its root from a member.
    let repo = temp.path().join("srv/repo");
    write(&repo.join("pyproject.toml"), &greedy_root("packages/*"));
    write(&repo.join("packages/a/pyproject.toml"), &project("a"));
    let found = WorkspaceCache::new()
        .discover(&repo.join("packages/a"), &only_ceiling(&unrelated))
        .unwrap();
    assert_eq!(found.workspace().root(), repo);

    // A world-writable directory (like /tmp) ends the search before it is read.
    let shared = temp.path().join("shared");
    write(&shared.join("pyproject.toml"), &greedy_root("proj"));
    write(&shared.join("proj/pyproject.toml"), &project("proj"));
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
    let cache = WorkspaceCache::new();
    let found = cache
        .discover(&shared.join("proj"), &only_ceiling(&unrelated))
        .unwrap();
    assert_eq!(found.workspace().root(), shared.join("proj"));
    assert_not_read(&cache, &shared.join("pyproject.toml"));
    let [warning] = found.warnings() else {
        panic!("one warning expected: {:?}", found.warnings())
    };
    assert_eq!(
        warning,
        &Warning::OutsideCeilings {
            start: shared.join("proj"),
            stopped_at: shared.join("proj"),
            untrusted: Some(shared.clone()),
        }
    );
    let text = warning
        .to_string()
        .replace(&temp.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!(text, @"`[TMP]/shared/proj` is outside every ceiling root, so the workspace search stopped at `[TMP]/shared/proj` (`[TMP]/shared` is writable by other users); to search further, add a ceiling above the workspace with `WSLOCK_ROOTS`, `--root DIR`, or a `.wslock-root` file");
}

#[test]
fn a_foreign_project_in_a_cache_directory_is_its_own_workspace() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("ws");
    write(
        &root.join("pyproject.toml"),
        &format!("{}{}", project("app"), greedy_root("packages/*")),
    );
    write(&root.join("packages/lib/pyproject.toml"), &project("lib"));
    let unpacked = root.join("cache/unpacked/thirdparty-1.0");
    write(&unpacked.join("pyproject.toml"), &project("thirdparty"));
    write(&root.join("vendor/broken/pyproject.toml"), PLANTED_INVALID);

    let cache = WorkspaceCache::new();
    let options = only_ceiling(temp.path());
    let from_root = cache.discover(&root, &options).unwrap();
    let names: Vec<&str> = from_root
        .workspace()
        .members()
        .iter()
        .map(|m| m.name().as_ref())
        .collect();
    assert_eq!(names, ["app", "lib"]);
    assert_not_read(&cache, &unpacked.join("pyproject.toml"));
    assert_not_read(&cache, &root.join("vendor/broken/pyproject.toml"));

    let from_inside = cache.discover(&unpacked, &options).unwrap();
    assert_eq!(from_inside.workspace().root(), unpacked);
    assert_eq!(from_inside.workspace().kind(), RootKind::Project);

    // --no-workspace isolates even a project the globs do name.
    let isolated = cache
        .discover(
            &root.join("packages/lib"),
            &options.clone().no_workspace(true),
        )
        .unwrap();
    assert_eq!(isolated.workspace().root(), root.join("packages/lib"));
    assert_eq!(isolated.workspace().members().len(), 1);
}

#[test]
fn the_cache_shares_one_workspace_and_reads_each_file_once() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("ws");
    write(
        &root.join("pyproject.toml"),
        &format!("{}{}", project("app"), greedy_root("packages/*")),
    );
    for name in ["a", "b", "c"] {
        write(
            &root.join(format!("packages/{name}/pyproject.toml")),
            &project(name),
        );
        fs::create_dir_all(root.join(format!("packages/{name}/src/{name}"))).unwrap();
    }
    let cache = WorkspaceCache::new();
    let options = only_ceiling(temp.path());
    let first = cache.discover(&root, &options).unwrap();
    let mut starts: Vec<PathBuf> = vec![root.clone()];
    for name in ["a", "b", "c"] {
        starts.push(root.join(format!("packages/{name}")));
        starts.push(root.join(format!("packages/{name}/src/{name}")));
    }
    for start in &starts {
        let again = cache.discover(start, &options).unwrap();
        assert!(
            std::sync::Arc::ptr_eq(first.workspace(), again.workspace()),
            "{}",
            start.display()
        );
    }
    let mut reads = cache.files_read();
    let total = reads.len();
    reads.sort();
    reads.dedup();
    assert_eq!(
        reads.len(),
        total,
        "a file was read twice: {:?}",
        cache.files_read()
    );
    assert_eq!(total, 4, "root and three members");

    // Different options are a different key: a new workspace value, still no new reads.
    let other = cache
        .discover(&root, &options.clone().no_workspace(true))
        .unwrap();
    assert!(!std::sync::Arc::ptr_eq(
        first.workspace(),
        other.workspace()
    ));
    assert_eq!(cache.files_read().len(), total);
}

#[test]
fn stop_discovery_at_is_a_hard_stop() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("pyproject.toml"),
        &greedy_root("checkout"),
    );
    write(
        &temp.path().join("checkout/pyproject.toml"),
        &project("dep"),
    );
    let options = only_ceiling(temp.path()).stop_discovery_at(temp.path().join("checkout"));
    let cache = WorkspaceCache::new();
    let found = cache
        .discover(&temp.path().join("checkout"), &options)
        .unwrap();
    assert_eq!(found.workspace().root(), temp.path().join("checkout"));
    assert_not_read(&cache, &temp.path().join("pyproject.toml"));
}

/// The outside-every-ceiling warning says where the search above the first manifest stopped;
/// when no such search runs there is nothing to warn about.
#[test]
fn outside_every_ceiling_no_warning_without_an_upward_search() {
    let temp = tempfile::tempdir().unwrap();
    let unrelated = temp.path().join("unrelated");
    fs::create_dir_all(&unrelated).unwrap();
    let pkg = temp.path().join("pkg");
    write(&pkg.join("pyproject.toml"), &project("pkg"));
    let options = only_ceiling(&unrelated);

    let isolated = WorkspaceCache::new()
        .discover(&pkg, &options.clone().no_workspace(true))
        .unwrap();
    assert_eq!(isolated.workspace().root(), pkg);
    assert!(isolated.warnings().is_empty(), "{:?}", isolated.warnings());

    // An explicit root never looks higher either.
    let root = temp.path().join("ws");
    write(
        &root.join("pyproject.toml"),
        &format!("{}{}", project("app"), greedy_root("packages/*")),
    );
    let found = WorkspaceCache::new().discover(&root, &options).unwrap();
    assert!(found.warnings().is_empty(), "{:?}", found.warnings());

    // A project that does search upward still gets the warning.
    let found = WorkspaceCache::new().discover(&pkg, &options).unwrap();
    assert!(matches!(
        found.warnings(),
        [Warning::OutsideCeilings { .. }]
    ));
}

/// Member globs are named by the root and may leave it, and the ceiling (ceiling-roots.md). When
/// the start goes through a symlink, `<root>/../peer` is resolved by the kernel beside the link's
/// *target*; the member is found there and reported under its normalised spelling.
#[cfg(unix)]
#[test]
fn a_member_outside_the_root_is_found_through_a_symlinked_start() {
    let temp = tempfile::tempdir().unwrap();
    let real = temp.path().join("real");
    write(&real.join("ws/pyproject.toml"), &greedy_root("../peer"));
    write(&real.join("peer/pyproject.toml"), &project("peer"));
    fs::create_dir_all(temp.path().join("a")).unwrap();
    std::os::unix::fs::symlink("../real/ws", temp.path().join("a/link")).unwrap();
    let link = temp.path().join("a/link");

    let cache = WorkspaceCache::new();
    let found = cache.discover(&link, &only_ceiling(&link)).unwrap();
    let workspace = found.workspace();
    assert_eq!(workspace.root(), link);
    let [peer] = workspace.members() else {
        panic!("one member expected: {:?}", workspace.members())
    };
    assert_eq!(peer.name().as_ref(), "peer");
    assert_eq!(peer.path(), temp.path().join("a/peer"));
    assert_eq!(
        peer.manifest_path(),
        temp.path().join("a/peer/pyproject.toml")
    );
    // The file opened is the one the glob named.
    assert!(
        cache
            .files_read()
            .contains(&link.join("../peer/pyproject.toml")),
        "{:?}",
        cache.files_read()
    );
}
