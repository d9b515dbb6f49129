use std::fs;

use super::*;

fn dirs(ceilings: &[Ceiling]) -> Vec<(&Path, CeilingOrigin)> {
    ceilings
        .iter()
        .map(|c| (c.dir.as_path(), c.origin))
        .collect()
}

#[test]
fn home_is_the_default_ceiling_only_while_the_variable_is_unset() {
    let cwd = Path::new("/work");
    let unset = CeilingSettings::new().with_home(Some("/home/me".into()));
    assert_eq!(
        dirs(&unset.configured(cwd)),
        [(Path::new("/home/me"), CeilingOrigin::Home)]
    );

    let empty = unset.clone().with_roots_env(Some("".into()));
    assert!(
        empty.configured(cwd).is_empty(),
        "set-but-empty disables the home default"
    );

    let listed = unset.with_roots_env(Some("/a::rel/./b".into()));
    assert_eq!(
        dirs(&listed.configured(cwd)),
        [
            (Path::new("/a"), CeilingOrigin::Environment),
            (Path::new("/work/rel/b"), CeilingOrigin::Environment),
        ]
    );
}

#[test]
fn flags_add_to_the_variable_and_are_normalised() {
    let settings = CeilingSettings::new()
        .with_roots_env(Some("/a".into()))
        .with_root("x/../y")
        .with_root("/z/");
    assert_eq!(
        dirs(&settings.configured(Path::new("/cwd"))),
        [
            (Path::new("/a"), CeilingOrigin::Environment),
            (Path::new("/cwd/y"), CeilingOrigin::Flag),
            (Path::new("/z"), CeilingOrigin::Flag),
        ]
    );
}

#[test]
fn the_nearest_enclosing_ceiling_wins() {
    let settings = CeilingSettings::new()
        .with_roots_env(Some("/r:/r/a/b".into()))
        .with_root("/r/a")
        .with_root("/elsewhere");
    let cwd = Path::new("/");
    let nearest = |start: &str| settings.nearest(Path::new(start), cwd).map(|c| c.dir);
    assert_eq!(nearest("/r/a/b/c"), Some(PathBuf::from("/r/a/b")));
    assert_eq!(nearest("/r/a/x"), Some(PathBuf::from("/r/a")));
    assert_eq!(
        nearest("/r/a"),
        Some(PathBuf::from("/r/a")),
        "a ceiling encloses itself"
    );
    assert_eq!(
        nearest("/r2/a"),
        None,
        "compared by components, not by string prefix"
    );
}

#[test]
fn a_marker_file_is_a_ceiling_nearer_than_the_configured_ones() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    fs::create_dir_all(base.join("outer/inner/deep")).unwrap();
    fs::write(base.join("outer").join(ROOT_MARKER), "").unwrap();
    let settings = CeilingSettings::new().with_roots_env(Some(base.as_os_str().to_owned()));

    let found = settings
        .nearest(&base.join("outer/inner/deep"), base)
        .unwrap();
    assert_eq!(
        found,
        Ceiling {
            dir: base.join("outer"),
            origin: CeilingOrigin::Marker
        }
    );

    // Inside a configured ceiling that is deeper than the marker, the configured one is nearer.
    let deeper = settings.clone().with_root(base.join("outer/inner"));
    let found = deeper
        .nearest(&base.join("outer/inner/deep"), base)
        .unwrap();
    assert_eq!(found.origin, CeilingOrigin::Flag);

    // A marker directory (not a file) does not count.
    fs::create_dir_all(base.join("other").join(ROOT_MARKER)).unwrap();
    let found = settings.nearest(&base.join("other"), base).unwrap();
    assert_eq!(found.origin, CeilingOrigin::Environment);
}

#[test]
fn ownership_rule() {
    let me = 1000;
    assert!(trusted_owner_and_mode(me, 0o40755, me));
    assert!(
        trusted_owner_and_mode(0, 0o40755, me),
        "root-owned directories are trusted"
    );
    assert!(
        !trusted_owner_and_mode(1001, 0o40755, me),
        "another user's directory"
    );
    assert!(!trusted_owner_and_mode(me, 0o40775, me), "group-writable");
    assert!(
        !trusted_owner_and_mode(0, 0o41777, me),
        "world-writable with sticky bit, like /tmp"
    );
}

#[test]
fn scope_bounds_both_walks_at_the_ceiling_and_the_stop() {
    let scope = SearchScope {
        ceiling: Some(Ceiling {
            dir: "/r".into(),
            origin: CeilingOrigin::Flag,
        }),
        stop_at: Some("/r/a".into()),
    };
    assert!(scope.first_manifest(Path::new("/r/a/b")));
    assert!(scope.first_manifest(Path::new("/r/a")));
    assert!(
        !scope.first_manifest(Path::new("/r")),
        "the stop is tighter than the ceiling"
    );
    assert_eq!(
        scope.above_manifest(Path::new("/r")),
        AboveManifest::Bounded
    );

    let outside = SearchScope {
        ceiling: None,
        stop_at: None,
    };
    assert!(outside.first_manifest(Path::new("/")));
}

#[cfg(unix)]
#[test]
fn untrusted_directories_end_the_walk_outside_every_ceiling() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let shared = temp.path().join("shared");
    let private = shared.join("private");
    fs::create_dir_all(&private).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o755)).unwrap();
    let outside = SearchScope {
        ceiling: None,
        stop_at: None,
    };
    assert_eq!(outside.above_manifest(&private), AboveManifest::Search);
    assert_eq!(outside.above_manifest(&shared), AboveManifest::Untrusted);
    // Inside a ceiling, ownership is not consulted: the ceiling is the user's own statement.
    let inside = SearchScope {
        ceiling: Some(Ceiling {
            dir: temp.path().to_path_buf(),
            origin: CeilingOrigin::Flag,
        }),
        stop_at: None,
    };
    assert_eq!(inside.above_manifest(&shared), AboveManifest::Search);
}
