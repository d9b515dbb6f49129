use super::*;

use std::process::Command;

use crate::ceiling::{Ceiling, CeilingOrigin};

use tempfile::TempDir;

/// Writes a minimal project manifest in `dir`, creating it.
fn project(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    // Expansion parses what it finds: `.hidden` holds the project `hidden`.
    let name = dir.file_name().unwrap().to_string_lossy();
    let name = name.trim_start_matches('.');
    fs::write(
        dir.join("pyproject.toml"),
        format!("[project]\nname = \"{name}\"\nversion = \"0.1.0\"\n"),
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

/// A scope that bounds nothing: the only ceiling is `/`.
fn unbounded() -> SearchScope {
    SearchScope {
        ceiling: Some(Ceiling {
            dir: PathBuf::from("/"),
            origin: CeilingOrigin::Flag,
        }),
        stop_at: None,
    }
}

/// Expands with no ignore paths and no ceiling but `/`.
fn expand(
    root: &Path,
    members: &[&str],
    exclude: &[&str],
    seen_root: bool,
) -> Result<Vec<MemberDir>, DiscoveryError> {
    expand_in(
        root,
        members,
        exclude,
        seen_root,
        &unbounded(),
        &ManifestStore::default(),
    )
}

/// Expands with no ignore paths, in `scope`, reading through `store`.
fn expand_in(
    root: &Path,
    members: &[&str],
    exclude: &[&str],
    seen_root: bool,
    scope: &SearchScope,
    store: &ManifestStore,
) -> Result<Vec<MemberDir>, DiscoveryError> {
    let manifest = root.join("pyproject.toml");
    let found = expand_members(
        root,
        &manifest,
        &strings(members),
        &strings(exclude),
        seen_root,
        &[],
        scope,
        store,
    )?;
    Ok(found.into_iter().map(|(dir, _)| dir).collect())
}

/// The upward membership test of a root at `root`, unwrapped.
fn claimed(root: &Path, members: &[&str], exclude: &[&str], project: &Path) -> bool {
    claims(
        root,
        &root.join("pyproject.toml"),
        &strings(members),
        &strings(exclude),
        project,
    )
    .unwrap()
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
fn ignore_files_above_the_ceiling_are_not_read_but_the_repository_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let repository = tmp.path().join("repo");
    let ceiling = repository.join("ceiling");
    let root = ceiling.join("ws");
    fs::create_dir_all(&root).unwrap();
    git_init(&repository);
    file(&root.join("packages/b/__pycache__/m.pyc"), "x");
    file(&root.join("packages/c/build/out.bin"), "x");
    // Above the ceiling: would hide both directories' content if read.
    file(&repository.join(".gitignore"), "build/\n");
    file(&repository.join(".ignore"), "build/\n");
    // Inside the ceiling, in a repository rooted above it: honoured.
    file(&root.join(".gitignore"), "__pycache__/\n");
    let scope = SearchScope {
        ceiling: Some(Ceiling {
            dir: ceiling.clone(),
            origin: CeilingOrigin::Flag,
        }),
        stop_at: None,
    };
    let store = ManifestStore::default();
    let (path, _) = missing_member(expand_in(&root, &["packages/*"], &[], true, &scope, &store));
    assert_eq!(
        path,
        root.join("packages/c"),
        "`b` was skipped, `c` was not"
    );
    let reads = store.reads();
    assert!(reads.contains(&root.join(".gitignore")), "{reads:?}");
    assert!(
        !reads
            .iter()
            .any(|read| read.starts_with(tmp.path()) && !read.starts_with(&ceiling)),
        "{reads:?}"
    );

    // The same tree with the ceiling at the repository root sees both files, as uv does.
    let scope = SearchScope {
        ceiling: Some(Ceiling {
            dir: repository.clone(),
            origin: CeilingOrigin::Flag,
        }),
        stop_at: None,
    };
    let store = ManifestStore::default();
    assert!(expand_in(&root, &["packages/*"], &[], true, &scope, &store)
        .unwrap()
        .is_empty());
}

#[test]
fn a_whitelist_in_the_directory_beats_an_ancestor_ignore() {
    // The crate's precedence: the deepest matching file of a kind decides.
    let (_tmp, root) = workspace();
    file(&root.join(".ignore"), "*.log\n");
    file(&root.join("packages/b/keep.log"), "x");
    assert!(expand(&root, &["packages/*"], &[], true)
        .unwrap()
        .is_empty());
    file(&root.join("packages/b/.ignore"), "!keep.log\n.ignore\n");
    let (path, _) = missing_member(expand(&root, &["packages/*"], &[], true));
    assert_eq!(path, root.join("packages/b"));
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
    assert!(claimed(
        &root,
        &["packages/*"],
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
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), root.join("packages/broken")).unwrap();
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
        &unbounded(),
        &ManifestStore::default(),
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
        claimed(root, members, exclude, &root.join(project))
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
fn exclusions_relative_and_anchored() {
    let root = Path::new("/w/ws");
    let excluded = |exclude: &[&str], member: &str| {
        Exclusions::compile(root, &strings(exclude))
            .unwrap()
            .matches(&normalize_lexically(&root.join(member)))
    };
    assert!(excluded(&["packages/a"], "packages/a"));
    assert!(excluded(&["./packages/a"], "packages/a"));
    assert!(excluded(&["/w/ws/packages/*"], "packages/a/b"));
    assert!(excluded(&["packages/./a"], "packages/a"));
    assert!(!excluded(&["packages"], "packages/a"));
}

/// S12: a glob that fails only once anchored is the same error from the root and upward.
#[test]
fn globs_failing_after_anchoring_fail_the_upward_test_too() {
    let (_tmp, root) = workspace();
    project(&root.join("packages/a"));
    let member = root.join("packages/a");
    let manifest = root.join("pyproject.toml");
    let upward = |members: &[&str], exclude: &[&str]| {
        claims(
            &root,
            &manifest,
            &strings(members),
            &strings(exclude),
            &member,
        )
    };
    // `[a/]b` is a valid pattern, but `[a` is not once split into components; `[a/b]/../c` is
    // valid too, but cleaning it up (`b]/..` cancel out) leaves `[a/c`.
    for (members, exclude, key) in [
        (
            &["packages/*", "[a/]b"][..],
            &[][..],
            "tool.uv.workspace.members",
        ),
        (
            &["packages/*"][..],
            &["other", "[a/b]/../c"][..],
            "tool.uv.workspace.exclude",
        ),
    ] {
        let from_root = expand(&root, members, exclude, true).unwrap_err();
        let from_member = upward(members, exclude).unwrap_err();
        for error in [&from_root, &from_member] {
            match error {
                DiscoveryError::Manifest(error) => {
                    assert_eq!(error.kind, ManifestErrorKind::InvalidGlob);
                    assert_eq!(error.key.as_deref(), Some(key));
                    assert_eq!(error.path, manifest);
                }
                other => panic!("expected a manifest error, got {other:?}"),
            }
        }
        assert_eq!(from_root.to_string(), from_member.to_string());
    }
    // A bad `exclude` entry is compiled only once a pattern matches, on both sides.
    assert!(!upward(&["other/*"], &["[a/b]/../c"]).unwrap());
}

/// A root whose path is not UTF-8 cannot be anchored: an error, from the root and from a
/// member, instead of a workspace that silently lost its members.
#[cfg(unix)]
#[test]
fn a_root_with_a_non_utf8_path_is_an_error_not_a_silent_loss() {
    use std::os::unix::ffi::OsStrExt;
    let temp = TempDir::new().unwrap();
    let root = temp.path().join(std::ffi::OsStr::from_bytes(b"ws-\xff"));
    project(&root.join("packages/a"));
    let manifest = root.join("pyproject.toml");
    for result in [
        expand(&root, &["packages/*"], &[], false).map(|_| false),
        claims(
            &root,
            &manifest,
            &strings(&["packages/*"]),
            &[],
            &root.join("packages/a"),
        ),
    ] {
        match result {
            Err(DiscoveryError::NonUtf8Root {
                root: reported,
                root_manifest,
            }) => {
                assert_eq!(reported, root);
                assert_eq!(root_manifest, manifest);
            }
            other => panic!("expected NonUtf8Root, got {other:?}"),
        }
    }
    // Without globs there is nothing to match, and nothing to lose.
    assert!(expand(&root, &[], &[], true).unwrap().is_empty());
}

/// A directory a glob matches but whose name is not UTF-8 is an error naming it (the `glob`
/// crate would skip it, and the member would silently be missing), whatever the wildcards'
/// position; `**` entries are not checked.
#[cfg(unix)]
#[test]
fn a_match_with_a_non_utf8_name_is_an_error_not_a_silent_loss() {
    use std::os::unix::ffi::OsStrExt;
    let temp = TempDir::new().unwrap();
    let root = temp.path().join("ws");
    project(&root.join("packages/a"));
    project(&root.join("libs/group/b"));
    let bad = std::ffi::OsStr::from_bytes(b"c-\xff");
    project(&root.join("packages").join(bad));
    project(&root.join("libs").join(bad).join("d"));
    for entry in ["packages/*", "libs/*/*"] {
        match expand(&root, &[entry], &[], false) {
            Err(DiscoveryError::NonUtf8Member { path, pattern, .. }) => {
                assert_eq!(pattern, entry);
                assert!(path.to_string_lossy().contains("c-\u{FFFD}"), "{path:?}");
            }
            other => panic!("{entry}: expected NonUtf8Member, got {other:?}"),
        }
    }
    // From below, the upward membership test gives the same error.
    let manifest = root.join("pyproject.toml");
    let from_member = claims(
        &root,
        &manifest,
        &strings(&["packages/*"]),
        &[],
        &root.join("packages").join(bad),
    );
    assert!(
        matches!(from_member, Err(DiscoveryError::NonUtf8Member { .. })),
        "{from_member:?}"
    );
    // A wildcard that cannot match the name, a literal entry and `**` are not affected.
    assert_eq!(
        expand(&root, &["packages/a*"], &[], false).unwrap().len(),
        1
    );
    assert_eq!(expand(&root, &["packages/a"], &[], false).unwrap().len(), 1);
    assert_eq!(expand(&root, &["libs/**/b"], &[], false).unwrap().len(), 1);
}

#[test]
fn a_directory_called_pyproject_toml_is_an_io_error() {
    let (_tmp, root) = workspace();
    fs::create_dir_all(root.join("packages/a/pyproject.toml")).unwrap();
    match expand(&root, &["packages/*"], &[], true) {
        Err(DiscoveryError::Io { path, source }) => {
            assert_eq!(path, root.join("packages/a/pyproject.toml"));
            assert_eq!(source.kind(), io::ErrorKind::IsADirectory);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

/// Manifests are opened without a `stat` first; a FIFO must be refused, not waited on.
#[cfg(unix)]
#[test]
fn a_fifo_called_pyproject_toml_is_refused_without_waiting() {
    let (_tmp, root) = workspace();
    let member = root.join("packages/a");
    fs::create_dir_all(&member).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        member.join("pyproject.toml"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
    match expand(&root, &["packages/*"], &[], true) {
        Err(DiscoveryError::Io { path, source }) => {
            assert_eq!(path, member.join("pyproject.toml"));
            assert_eq!(source.kind(), io::ErrorKind::InvalidInput);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

/// Matches are read in parallel but judged in processing order, as uv reads and parses each
/// match before it looks at the next: the first bad match decides the error.
#[test]
fn the_first_bad_match_in_processing_order_is_reported() {
    let (_tmp, root) = workspace();
    file(&root.join("packages/a/pyproject.toml"), "[project\n");
    file(&root.join("packages/b/README.md"), "no manifest here");
    match expand(&root, &["packages/*"], &[], true) {
        Err(DiscoveryError::Manifest(error)) => {
            assert_eq!(error.path, root.join("packages/a/pyproject.toml"));
        }
        other => panic!("expected a/pyproject.toml's parse error, got {other:?}"),
    }
    fs::rename(root.join("packages/a"), root.join("packages/c")).unwrap();
    let (path, pattern) = missing_member(expand(&root, &["packages/*"], &[], true));
    assert_eq!(path, root.join("packages/b"));
    assert_eq!(pattern, "packages/*");
}

/// A later `members` entry's error does not hide an earlier match's: uv reads each match
/// before it globs the next entry, and discovery reads while it globs.
#[cfg(unix)]
#[test]
fn an_earlier_match_is_judged_before_a_later_entry_fails() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, root) = workspace();
    project(&root.join("packages/a"));
    file(&root.join("packages/b/README.md"), "no manifest here");
    project(
        &root
            .join("libs")
            .join(std::ffi::OsStr::from_bytes(b"c-\xff")),
    );
    let entries = ["packages/*", "libs/*"];
    let (path, pattern) = missing_member(expand(&root, &entries, &[], true));
    assert_eq!(path, root.join("packages/b"));
    assert_eq!(pattern, "packages/*");
    // With the earlier matches fine, the later entry's error is the one reported.
    fs::remove_dir_all(root.join("packages/b")).unwrap();
    assert!(matches!(
        expand(&root, &entries, &[], true),
        Err(DiscoveryError::NonUtf8Member { .. })
    ));
}
