//! Where wslock departs from uv on purpose (workspace-semantics Part A), each proven here.

use std::fs;
use std::path::Path;

use wslock_workspace::{CeilingSettings, DiscoveryError, DiscoveryOptions, WorkspaceCache};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn options(ceiling: &Path) -> DiscoveryOptions {
    DiscoveryOptions::new().ceilings(CeilingSettings::new().with_roots_env(Some(ceiling.into())))
}

/// uv lets the last `editable` visited win, and the visiting order depends on the root's name
/// (its editable-order-dependence scenarios). wslock reports the conflict under either name.
#[test]
fn editable_conflicts_are_errors_whatever_the_names() {
    for root_name in ["aaa-root", "zzz-root"] {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        write(
            &root.join("pyproject.toml"),
            &format!(
                "[project]\nname = \"{root_name}\"\nversion = \"1\"\n\
                 [tool.uv.workspace]\nmembers = [\"child1\", \"child2\"]\n\
                 [tool.uv.sources]\nchild1 = {{ workspace = true, editable = false }}\n"
            ),
        );
        write(
            &root.join("child1/pyproject.toml"),
            "[project]\nname = \"child1\"\nversion = \"1\"\n",
        );
        write(
            &root.join("child2/pyproject.toml"),
            "[project]\nname = \"child2\"\nversion = \"1\"\n[tool.uv.sources]\nchild1 = { workspace = true, editable = true }\n",
        );
        let error = WorkspaceCache::new()
            .discover(root, &options(root))
            .unwrap_err();
        match error {
            DiscoveryError::EditableConflict {
                name,
                editable,
                not_editable,
            } => {
                assert_eq!(name.as_ref(), "child1");
                assert_eq!(editable, root.join("child2/pyproject.toml"));
                assert_eq!(not_editable, root.join("pyproject.toml"));
            }
            other => panic!("{root_name}: unexpected {other:?}"),
        }
    }
}

/// uv builds its map of required members (R7.1) by visiting the root's sources twice when the
/// root is a project, so an unset `editable` visited last can overwrite an explicit `false`, and
/// the answer depends on the root's name. wslock computes the map once, during discovery, and
/// the explicit value stands whatever the names.
#[test]
fn required_members_do_not_depend_on_names() {
    for root_name in ["aaa-root", "zzz-root"] {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        write(
            &root.join("pyproject.toml"),
            &format!(
                "[project]\nname = \"{root_name}\"\nversion = \"1\"\n\
                 [tool.uv.workspace]\nmembers = [\"child1\", \"child2\"]\n\
                 [tool.uv.sources]\nchild1 = {{ workspace = true, editable = false }}\n\
                 unused = {{ workspace = true }}\n"
            ),
        );
        write(
            &root.join("child1/pyproject.toml"),
            "[project]\nname = \"child1\"\nversion = \"1\"\n",
        );
        write(
            &root.join("child2/pyproject.toml"),
            "[project]\nname = \"child2\"\nversion = \"1\"\n[tool.uv.sources]\nchild1 = { workspace = true }\nchild2 = { workspace = true, editable = true }\n",
        );
        let found = WorkspaceCache::new()
            .discover(root, &options(root))
            .unwrap();
        let required: Vec<(String, Option<bool>)> = found
            .workspace()
            .required_members()
            .iter()
            .map(|(name, editable)| (name.to_string(), *editable))
            .collect();
        // `child2`'s entry for its own name does not count; `unused` is required although
        // nothing depends on it and it is no member.
        assert_eq!(
            required,
            [
                ("child1".to_string(), Some(false)),
                ("unused".to_string(), None)
            ],
            "{root_name}"
        );
    }
}

/// uv lets a standalone project inherit the `[tool.uv]` settings (or the `uv.toml`) of a project
/// around it (R1.10); wslock does not (Part A.6).
#[test]
fn configuration_does_not_leak_into_a_foreign_project() {
    let temp = tempfile::tempdir().unwrap();
    let outer = temp.path();
    write(
        &outer.join("pyproject.toml"),
        "[project]\nname = \"outer\"\nversion = \"1\"\n[tool.uv]\nconstraint-dependencies = [\"x<2\"]\n",
    );
    // Beside the outer project's manifest, so it belongs to that project, too. A file uv would
    // refuse, so reading it at all would fail discovery.
    write(&outer.join("uv.toml"), "sources = {}\n");
    write(
        &outer.join("examples/demo/pyproject.toml"),
        "[project]\nname = \"demo\"\nversion = \"1\"\n",
    );
    let demo = outer.join("examples/demo");
    let cache = WorkspaceCache::new();
    let found = cache.discover(&demo, &options(outer)).unwrap();
    assert_eq!(found.workspace().root(), demo);
    assert!(found.workspace().configuration().is_none());
    assert!(
        !cache.files_read().contains(&outer.join("uv.toml")),
        "{:?}",
        cache.files_read()
    );

    // The project's own `[tool.uv]` table applies...
    write(
        &demo.join("pyproject.toml"),
        "[project]\nname = \"demo\"\nversion = \"1\"\n[tool.uv]\nconstraint-dependencies = [\"own<1\"]\n",
    );
    let found = WorkspaceCache::new()
        .discover(&demo, &options(outer))
        .unwrap();
    let configuration = found.workspace().configuration().unwrap();
    assert_eq!(configuration.path, demo.join("pyproject.toml"));
    assert_eq!(
        configuration.settings.constraint_dependencies[0]
            .name
            .as_ref(),
        "own"
    );

    // ...and a `uv.toml` beside it beats that table, as in uv.
    write(
        &demo.join("uv.toml"),
        "constraint-dependencies = [\"from-uv-toml<1\"]\n",
    );
    let found = WorkspaceCache::new()
        .discover(&demo, &options(outer))
        .unwrap();
    let configuration = found.workspace().configuration().unwrap();
    assert_eq!(configuration.path, demo.join("uv.toml"));
    assert_eq!(
        configuration.settings.constraint_dependencies[0]
            .name
            .as_ref(),
        "from-uv-toml"
    );
}

/// The configuration search is bounded by the ceiling like the workspace search.
#[test]
fn configuration_above_the_ceiling_is_never_read() {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("uv.toml"), "this is [ not toml\n");
    let ceiling = temp.path().join("ceiling");
    write(
        &ceiling.join("proj/pyproject.toml"),
        "[project]\nname = \"p\"\nversion = \"1\"\n",
    );
    let cache = WorkspaceCache::new();
    let found = cache
        .discover(&ceiling.join("proj"), &options(&ceiling))
        .unwrap();
    assert!(found.workspace().configuration().is_none());
    assert!(!cache
        .files_read()
        .iter()
        .any(|path| path.ends_with("uv.toml")));

    // A `uv.toml` in a plain directory between the root and the ceiling is configuration.
    write(
        &ceiling.join("uv.toml"),
        "constraint-dependencies = [\"x<2\"]\n",
    );
    let found = WorkspaceCache::new()
        .discover(&ceiling.join("proj"), &options(&ceiling))
        .unwrap();
    assert_eq!(
        found.workspace().configuration().unwrap().path,
        ceiling.join("uv.toml")
    );
}

/// uv does not report a bad requirement in `project.dependencies` (it falls back to a build that
/// fails offline); wslock reports it with the file, key and position.
#[test]
fn a_bad_requirement_in_a_member_is_reported_with_its_position() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    write(
        &root.join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"a\"]\n",
    );
    write(
        &root.join("a/pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\n  \"requests >>= 2\",\n]\n",
    );
    let error = WorkspaceCache::new()
        .discover(root, &options(root))
        .unwrap_err();
    let DiscoveryError::Manifest(error) = error else {
        panic!("unexpected {error:?}")
    };
    assert_eq!(error.path, root.join("a/pyproject.toml"));
    assert_eq!(error.key.as_deref(), Some("project.dependencies.0"));
    // The position is that of the operator the PEP 508 parser rejected, inside the string.
    let (line, column) = error.line_col.expect("a position");
    assert_eq!(line, 5);
    let text = std::fs::read_to_string(&error.path).unwrap();
    let span = error.span.clone().expect("a span");
    assert!(
        "\"requests >>= 2\"".contains(&text[span.clone()]),
        "{:?}",
        &text[span]
    );
    assert!(column >= 3);
}

#[test]
fn unreadable_and_non_utf8_manifests_are_clear_errors() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    write(
        &root.join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"a\"]\n",
    );
    fs::create_dir_all(root.join("a")).unwrap();
    fs::write(
        root.join("a/pyproject.toml"),
        b"[project]\nname = \"\xff\"\n",
    )
    .unwrap();
    let error = WorkspaceCache::new()
        .discover(root, &options(root))
        .unwrap_err();
    assert!(error.to_string().contains("not valid UTF-8"), "{error}");
    assert_eq!(error.path(), root.join("a/pyproject.toml"));
}
