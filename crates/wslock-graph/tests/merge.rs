//! The merge rules of workspace-semantics R4–R7, each on a small workspace built in a temp dir.

use std::fs;
use std::path::Path;

use wslock_graph::{
    GraphError, GraphWarning, MemberKind, Origin, RequirementSource, Selection, WorkspaceGraph,
};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions, WorkspaceCache};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A virtual root with `sources` and members `packages/<name>` given as (name, extra TOML).
fn workspace(dir: &Path, root_extra: &str, members: &[(&str, &str)]) {
    write(
        &dir.join("pyproject.toml"),
        &format!("[tool.uv.workspace]\nmembers = [\"packages/*\"]\n{root_extra}"),
    );
    for (name, extra) in members {
        write(
            &dir.join(format!("packages/{name}/pyproject.toml")),
            &format!("[project]\nname = \"{name}\"\nversion = \"1.0\"\n{extra}"),
        );
    }
}

fn merge(dir: &Path, selection: Selection) -> Result<WorkspaceGraph, GraphError> {
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(dir));
    let found = discover(dir, &options).expect("discovery succeeds");
    WorkspaceGraph::build(found.workspace(), &selection)
}

/// The requirements of `member`, as text with their origin.
fn lines(merged: &WorkspaceGraph, member: &str) -> Vec<String> {
    merged
        .requirements()
        .iter()
        .filter(|r| r.provenance.member.as_ref().map(AsRef::as_ref) == Some(member))
        .map(|r| format!("{} ({})", r, r.provenance.origin))
        .collect()
}

#[test]
fn root_sources_apply_to_members_unless_the_member_has_its_own_entry() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nlib = { path = \"vendor/lib\" }\nother = { path = \"vendor/other\" }\n",
        &[
            ("a", "dependencies = [\"lib\", \"other\"]\n"),
            ("b", "dependencies = [\"lib\", \"other\"]\n[tool.uv.sources]\nlib = { path = \"../../own/lib\" }\n"),
        ],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let root = temp.path().display().to_string();
    // Inherited entries resolve against the root (R4.4); a member's own against the member.
    assert_eq!(
        lines(&merged, "a"),
        [
            format!("lib @ {root}/vendor/lib (dependencies)"),
            format!("other @ {root}/vendor/other (dependencies)")
        ]
    );
    assert_eq!(
        lines(&merged, "b"),
        [
            format!("lib @ {root}/own/lib (dependencies)"),
            format!("other @ {root}/vendor/other (dependencies)")
        ]
    );
}

#[test]
fn a_member_entry_hides_the_root_entry_even_where_its_marker_does_not_apply() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nlib = { path = \"vendor/lib\" }\n",
        &[(
            "a",
            "dependencies = [\"lib>=1\"]\n[tool.uv.sources]\nlib = { path = \"win/lib\", marker = \"sys_platform == 'win32'\" }\n",
        )],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let a = temp.path().join("packages/a").display().to_string();
    // Outside win32 the requirement falls back to the registry, not to the root's entry (R4.3).
    assert_eq!(
        lines(&merged, "a"),
        [
            format!("lib @ {a}/win/lib ; sys_platform == 'win32' (dependencies)"),
            "lib>=1 ; sys_platform != 'win32' (dependencies)".to_string(),
        ]
    );
}

#[test]
fn workspace_sources_inherited_from_the_root_make_edges() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nb = { workspace = true }\nc = { workspace = true, editable = false }\n",
        &[
            ("a", "dependencies = [\"b[fast]; python_version >= '3.11'\"]\n"),
            ("b", "dependencies = [\"c\"]\n[project.optional-dependencies]\nfast = []\n[build-system]\nrequires = [\"hatchling\"]\n"),
            ("c", "[build-system]\nrequires = [\"hatchling\"]\n"),
        ],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let edges: Vec<String> = merged
        .graph()
        .edges()
        .iter()
        .map(|e| {
            format!(
                "{} -> {} {:?} {:?}",
                e.from,
                e.to,
                e.extras.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
                wslock_pep::marker_string(e.marker)
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "a -> b [\"fast\"] Some(\"python_full_version >= '3.11'\")",
            "b -> c [] None",
        ]
    );
    let kinds: Vec<(String, MemberKind)> = merged
        .members()
        .iter()
        .map(|m| (m.name.to_string(), m.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a".into(), MemberKind::Virtual),
            ("b".into(), MemberKind::Editable),
            ("c".into(), MemberKind::Directory),
        ]
    );
}

#[test]
fn requirements_on_members_need_workspace_sources() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[("a", "dependencies = [\"b\"]\n"), ("b", "")],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::MissingWorkspaceSource { ref package, .. } if package.as_ref() == "b"),
        "{error}"
    );

    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nb = { path = \"packages/b\" }\n",
        &[("a", "dependencies = [\"b\"]\n"), ("b", "")],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::NonWorkspaceSource { kind: "path", .. }),
        "{error}"
    );

    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nrequests = { workspace = true }\n",
        &[("a", "dependencies = [\"requests\"]\n")],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(matches!(error, GraphError::NotAMember { .. }), "{error}");
    assert!(error.hint().contains("members"));
}

#[test]
fn extras_groups_and_legacy_dev_dependencies_are_merged() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\na = { workspace = true }\n",
        &[(
            "a",
            r#"dependencies = ["x"]
[project.optional-dependencies]
all = ["a[test]", "y ; os_name == 'nt'"]
test = ["pytest"]
[dependency-groups]
lint = ["ruff", { include-group = "types" }]
types = ["mypy"]
[tool.uv]
dev-dependencies = ["ipython"]
[tool.uv.dependency-groups]
types = { requires-python = ">=3.12" }
"#,
        )],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert_eq!(
        lines(&merged, "a"),
        [
            "x (dependencies)",
            "a[test] @ workspace (extra all)",
            "y ; os_name == 'nt' (extra all)",
            "pytest (extra test)",
            "ruff (group lint)",
            "mypy ; python_full_version >= '3.12' (group lint)",
            "mypy ; python_full_version >= '3.12' (group types)",
            "ipython (group dev)",
        ]
    );
    // The self-reference is a self-loop, not a cycle.
    assert!(merged.graph().cycles().is_empty());
    let info = &merged.members()[0];
    assert_eq!(
        info.groups.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        ["lint", "types", "dev"]
    );
}

#[test]
fn group_include_cycles_are_errors() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[("a", "[dependency-groups]\nx = [{ include-group = \"y\" }]\ny = [{ include-group = \"x\" }]\n")],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("include each other in a cycle: x -> y -> x"),
        "{error}"
    );
}

#[test]
fn member_cycles_are_allowed_and_reported() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\na = { workspace = true }\nb = { workspace = true }\n",
        &[
            ("a", "dependencies = [\"b\"]\n"),
            ("b", "dependencies = [\"a\"]\n"),
            ("c", ""),
        ],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let cycles: Vec<Vec<String>> = merged
        .graph()
        .cycles()
        .into_iter()
        .map(|cycle| cycle.into_iter().map(|n| n.to_string()).collect())
        .collect();
    assert_eq!(cycles, [["a", "b"]]);
}

#[test]
fn requires_python_is_the_intersection_and_an_empty_one_names_the_members() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[
            ("a", "requires-python = \">=3.9,!=3.10.*\"\n"),
            ("b", "requires-python = \"~=3.9\"\n"),
            ("c", ""),
        ],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert_eq!(
        merged.requires_python().unwrap().to_string(),
        ">=3.9, !=3.10.*, <4"
    );

    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[
            ("a", "requires-python = \">=3.12\"\n"),
            ("b", "requires-python = \"<3.10\"\n"),
        ],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    let text = error
        .to_string()
        .replace(&temp.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!(text, @r"
    the members' `requires-python` ranges have no Python version in common:
    - a: >=3.12 (`[TMP]/packages/a/pyproject.toml`)
    - b: <3.10 (`[TMP]/packages/b/pyproject.toml`)
    (`a` and `b` have no Python version in common)
    ");
}

#[test]
fn package_selection_keeps_what_the_member_reaches() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nb = { workspace = true }\nc = { workspace = true }\n",
        &[
            (
                "a",
                "requires-python = \">=3.12\"\ndependencies = [\"b\"]\n",
            ),
            (
                "b",
                "requires-python = \">=3.9\"\n[project.optional-dependencies]\nx = [\"c\"]\n",
            ),
            ("c", "requires-python = \">=3.10\"\n"),
            (
                "d",
                "requires-python = \"<3.10\"\ndependencies = [\"zzz\"]\n",
            ),
        ],
    );
    let name = wslock_pep::package_name("a").unwrap();
    let merged = merge(temp.path(), Selection::Package(name)).unwrap();
    let members: Vec<String> = merged
        .members()
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(members, ["a", "b", "c"]);
    assert!(merged
        .requirements()
        .iter()
        .all(|r| r.name.as_ref() != "zzz"));
    assert_eq!(merged.graph().members().len(), 3);

    let unknown = wslock_pep::package_name("nope").unwrap();
    let error = merge(temp.path(), Selection::Package(unknown)).unwrap_err();
    assert!(matches!(error, GraphError::UnknownPackage { .. }));
}

/// A departure from `uv lock` (docs/workspace-discovery.md): `--package` intersects the
/// `requires-python` of the members it selects only, so a member outside the selection cannot
/// make the plan fail, where `uv lock` (which always covers every member) reports the
/// workspace's DisjointRequiresPython.
#[test]
fn package_selection_intersects_requires_python_over_the_selected_members_only() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nb = { workspace = true }\n",
        &[
            (
                "a",
                "requires-python = \">=3.12\"\ndependencies = [\"b\"]\n",
            ),
            ("b", "requires-python = \">=3.9\"\n"),
            ("d", "requires-python = \"<3.10\"\n"),
        ],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::DisjointRequiresPython { .. }),
        "{error}"
    );
    let name = wslock_pep::package_name("a").unwrap();
    let merged = merge(temp.path(), Selection::Package(name)).unwrap();
    assert_eq!(merged.requires_python().unwrap().to_string(), ">=3.12");
}

#[test]
fn source_scopes_named_indexes_and_root_settings() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        r#"[tool.uv]
constraint-dependencies = ["x<3"]
override-dependencies = ["y==1"]
[[tool.uv.index]]
name = "internal"
url = "mirror/simple"
explicit = true
"#,
        &[(
            "a",
            r#"dependencies = ["torch"]
[project.optional-dependencies]
gpu = ["torch>=2"]
[tool.uv]
constraint-dependencies = ["ignored<1"]
[tool.uv.sources]
torch = { index = "internal", extra = "gpu" }
"#,
        )],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let root = temp.path().display().to_string();
    let a: Vec<String> = lines(&merged, "a");
    assert_eq!(
        a,
        [
            "torch (dependencies)",
            "torch>=2 (index internal) (extra gpu)"
        ]
    );
    let pinned = &merged.requirements()[1];
    match &pinned.source {
        RequirementSource::Registry {
            index: Some(pin), ..
        } => {
            assert_eq!(
                pin.url,
                format!("{root}/mirror/simple"),
                "relative to the declaring file"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(merged.constraints()[0].to_string(), "x<3");
    assert_eq!(
        merged.constraints()[0].provenance.origin,
        Origin::Constraint
    );
    assert_eq!(merged.overrides()[0].to_string(), "y==1");
    assert!(matches!(
        merged.warnings(),
        [GraphWarning::IgnoredMemberSetting {
            key: "tool.uv.constraint-dependencies",
            ..
        }]
    ));

    // A source limited to an extra that does not list the package can never apply.
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[("a", "dependencies = [\"torch\"]\n[tool.uv.sources]\ntorch = { path = \"t\", extra = \"gpu\" }\n")],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::SourceExtraMismatch { .. }),
        "{error}"
    );
}

#[test]
fn virtual_root_groups_use_root_sources() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[dependency-groups]\ndocs = [\"a\", \"sphinx\"]\n[tool.uv.sources]\na = { workspace = true }\n",
        &[("a", "")],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let root: Vec<String> = merged
        .requirements()
        .iter()
        .filter(|r| r.provenance.member.is_none())
        .map(|r| format!("{} ({})", r, r.provenance.origin))
        .collect();
    assert_eq!(root, ["a @ workspace (group docs)", "sphinx (group docs)"]);
}

#[test]
fn a_missing_extra_on_a_member_is_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nb = { workspace = true }\n",
        &[("a", "dependencies = [\"b[nope]\"]\n"), ("b", "")],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert!(
        matches!(merged.warnings(), [GraphWarning::MissingExtra { extra, .. }] if extra.as_ref() == "nope")
    );
}

/// R4.6: a source can name an index of the member's or the root's `pyproject.toml` only, not
/// one that only a `uv.toml` declares; the error says where the name was found. uv 0.13.8:
/// ``Package `foo` references an undeclared index: `n` `` with the hint ``Index `n` was found in
/// a project-level `uv.toml`, but indexes referenced via `tool.uv.sources` must be defined in
/// the project's `pyproject.toml` ``.
#[test]
fn a_source_cannot_name_an_index_declared_only_in_uv_toml() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[(
            "a",
            "dependencies = [\"foo\"]\n[tool.uv.sources]\nfoo = { index = \"n\" }\n",
        )],
    );
    write(
        &temp.path().join("uv.toml"),
        "[[index]]\nname = \"n\"\nurl = \"https://example.invalid/simple\"\nexplicit = true\n",
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    let uv_toml = temp.path().join("uv.toml");
    match &error {
        GraphError::UndeclaredIndex {
            package,
            index,
            configured_in,
            ..
        } => {
            assert_eq!((package.as_ref(), index.as_str()), ("foo", "n"));
            assert_eq!(configured_in.as_deref(), Some(uv_toml.as_path()));
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        error.hint(),
        format!(
            "`n` is declared in `{}`, but sources can only name indexes declared in the member's or the workspace root's `pyproject.toml`",
            uv_toml.display()
        )
    );

    // An index nobody declares: the plain hint.
    fs::remove_file(&uv_toml).unwrap();
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(
            error,
            GraphError::UndeclaredIndex {
                configured_in: None,
                ..
            }
        ),
        "{error}"
    );
    assert!(error
        .hint()
        .starts_with("declare it with `[[tool.uv.index]]`"));
}

/// The reviewer's repro t3, which uv 0.13.8 locks: a virtual root's entry limited to extra
/// `cuda` serves member `b`'s `cuda` extra; member `a`, which requires `foo` unconditionally,
/// inherits it but is not checked against it, and gets the registry.
#[test]
fn an_extra_limited_root_entry_is_not_checked_against_the_members_that_inherit_it() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv.sources]\nfoo = { path = \"foo-dir\", extra = \"cuda\" }\n",
        &[
            ("a", "dependencies = [\"foo\"]\n"),
            ("b", "[project.optional-dependencies]\ncuda = [\"foo\"]\n"),
        ],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let root = temp.path().display().to_string();
    assert_eq!(lines(&merged, "a"), ["foo (dependencies)"]);
    assert_eq!(
        lines(&merged, "b"),
        [format!("foo @ {root}/foo-dir (extra cuda)")]
    );

    // The same entry used for a root constraint is not checked either.
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[tool.uv]\nconstraint-dependencies = [\"foo<2\"]\n[tool.uv.sources]\nfoo = { path = \"foo-dir\", extra = \"cuda\" }\n",
        &[("a", "")],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert_eq!(merged.constraints()[0].to_string(), "foo<2");

    // A project root's entries are checked once, against the root project's own extras; a
    // member that inherits the entry does not need the extra (uv 0.13.8 locks this too).
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1\"\n[project.optional-dependencies]\ncuda = [\"foo\"]\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n[tool.uv.sources]\nfoo = { path = \"foo-dir\", extra = \"cuda\" }\n",
    );
    write(
        &temp.path().join("packages/a/pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"foo\"]\n",
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert_eq!(lines(&merged, "a"), ["foo (dependencies)"]);
    assert_eq!(
        lines(&merged, "app"),
        [format!(
            "foo @ {root}/foo-dir (extra cuda)",
            root = temp.path().display()
        )]
    );
}

/// The reviewer's repro t4, which uv 0.13.8 refuses: a project's own entry is checked even when
/// the project never requires the package (``Source entry for `foo` only applies to extra
/// `cuda`, but `foo` was not found under the `project.optional-dependencies` section for that
/// extra``). The same holds for groups, which are taken after `include-group` and with the
/// legacy `dev-dependencies` as `dev`.
#[test]
fn a_projects_own_scoped_entries_are_checked_even_when_unused() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = []\n[project.optional-dependencies]\ncuda = []\n[tool.uv.sources]\nfoo = { path = \"foo-dir\", extra = \"cuda\" }\n",
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::SourceExtraMismatch { defined: true, ref package, .. } if package.as_ref() == "foo"),
        "{error}"
    );

    // A member's entry for a group that does not list the package (uv: ``Source entry for
    // `foo` only applies to dependency group `test`, but `foo` was not found under the
    // `dependency-groups` section for that group``), and for a group that does not exist.
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[(
            "a",
            "[dependency-groups]\ntest = []\n[tool.uv.sources]\nfoo = { path = \"../../foo-dir\", group = \"test\" }\n",
        )],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    let manifest = temp.path().join("packages/a/pyproject.toml");
    assert_eq!(
        error.to_string(),
        format!(
            "the source for `foo` in `{}` only applies to group `test`, but that group does not list `foo`",
            manifest.display()
        )
    );
    assert!(
        matches!(error, GraphError::SourceGroupMismatch { defined: true, .. }),
        "{error}"
    );
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[(
            "a",
            "[tool.uv.sources]\nfoo = { path = \"../../foo-dir\", group = \"nope\" }\n",
        )],
    );
    let error = merge(temp.path(), Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::SourceGroupMismatch { defined: false, ref group, .. } if group.as_str() == "nope"),
        "{error}"
    );
    assert!(error
        .to_string()
        .ends_with("the project has no group `nope`"));

    // Listed through `include-group`, or in the legacy `dev-dependencies`: accepted.
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[(
            "a",
            "[dependency-groups]\ntest = [{ include-group = \"lint\" }]\nlint = [\"foo\"]\n[tool.uv]\ndev-dependencies = [\"bar\"]\n[tool.uv.sources]\nfoo = { path = \"../../foo-dir\", group = \"test\" }\nbar = { path = \"../../bar-dir\", group = \"dev\" }\n",
        )],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let root = temp.path().display().to_string();
    assert_eq!(
        lines(&merged, "a"),
        [
            format!("foo @ {root}/foo-dir (group test)"),
            "foo (group lint)".to_string(),
            format!("bar @ {root}/bar-dir (group dev)"),
        ]
    );

    // A virtual root's entries are never checked: uv 0.13.8 locks this.
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "[dependency-groups]\ndocs = []\n[tool.uv.sources]\nfoo = { path = \"foo-dir\", group = \"docs\" }\nbar = { path = \"bar-dir\", group = \"nope\" }\n",
        &[("a", "")],
    );
    assert!(merge(temp.path(), Selection::All).is_ok());
}

/// The reviewer's repro t5, which uv 0.13.8 locks: a requirement on a member whose only entry
/// is limited to another extra is not a MissingWorkspaceSource; it goes to the registry (uv
/// records `{ name = "b" }` beside `{ name = "b", marker = "extra == 'x'", editable = "b" }`).
#[test]
fn a_member_entry_limited_to_another_extra_leaves_the_requirement_to_the_registry() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"b\"]\n[project.optional-dependencies]\nx = [\"b\"]\n[tool.uv.workspace]\nmembers = [\"b\"]\n[tool.uv.sources]\nb = { workspace = true, extra = \"x\" }\n",
    );
    write(
        &temp.path().join("b/pyproject.toml"),
        "[project]\nname = \"b\"\nversion = \"1\"\n",
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    assert_eq!(
        lines(&merged, "app"),
        ["b (dependencies)", "b @ workspace (extra x)"]
    );
    let edges: Vec<String> = merged
        .graph()
        .edges()
        .iter()
        .map(|edge| format!("{} -> {} ({})", edge.from, edge.to, edge.origin))
        .collect();
    assert_eq!(edges, ["app -> b (extra x)"]);
}

/// `other/` is a virtual root with members `lib` and `tool` (packages with a build system),
/// `plain` (no build system) and `virt` (`tool.uv.package = false`); `main/` uses them through
/// `workspace = "../other"`.
fn external_workspaces(dir: &Path, main_sources: &str) {
    write(
        &dir.join("main/pyproject.toml"),
        &format!("[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"lib\", \"tool\", \"plain\", \"virt\"]\n[tool.uv.sources]\n{main_sources}"),
    );
    write(
        &dir.join("other/pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"libs/*\"]\n",
    );
    let build_system =
        "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";
    for (name, extra) in [
        ("lib", build_system),
        ("tool", build_system),
        ("plain", ""),
        ("virt", "[tool.uv]\npackage = false\n"),
    ] {
        write(
            &dir.join(format!("other/libs/{name}/pyproject.toml")),
            &format!("[project]\nname = \"{name}\"\nversion = \"1\"\n{extra}"),
        );
    }
}

/// Merges `<dir>/main` with `workspace = "<path>"` sources discovered under the same ceiling.
fn merge_with_external(dir: &Path) -> Result<WorkspaceGraph, GraphError> {
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(dir));
    let cache = WorkspaceCache::new();
    let found = cache
        .discover(&dir.join("main"), &options)
        .expect("discovery succeeds");
    let discover = |path: &Path| {
        cache
            .discover(path, &options)
            .map(|found| found.workspace().clone())
    };
    WorkspaceGraph::builder(found.workspace())
        .external_workspaces(&discover)
        .build()
}

/// R4.5, checked against uv 0.13.8, which locks `lib` and `plain` as `editable`, `tool` as
/// `directory` and `virt` as `virtual`, all at `../other/libs/<name>`, and never looks at the
/// unused entry whose path does not exist.
#[test]
fn external_workspace_sources_are_path_dependencies_on_the_other_workspaces_members() {
    let temp = tempfile::tempdir().unwrap();
    external_workspaces(
        temp.path(),
        "lib = { workspace = \"../other\" }\ntool = { workspace = \"../other\", editable = false }\nplain = { workspace = \"../other\" }\nvirt = { workspace = \"../other\" }\nunused = { workspace = \"../nowhere\" }\n",
    );
    let merged = merge_with_external(temp.path()).unwrap();
    let libs = temp.path().join("other/libs");
    let sources: Vec<(String, RequirementSource)> = merged
        .requirements()
        .iter()
        .map(|r| (r.name.to_string(), r.source.clone()))
        .collect();
    let path = |name: &str, editable: bool, package: bool| RequirementSource::Path {
        path: libs.join(name),
        editable: Some(editable),
        package: Some(package),
    };
    assert_eq!(
        sources,
        [
            ("lib".to_string(), path("lib", true, true)),
            ("tool".to_string(), path("tool", false, true)),
            ("plain".to_string(), path("plain", true, true)),
            ("virt".to_string(), path("virt", false, false)),
        ]
    );
    // The other workspace's members do not become members here.
    assert_eq!(merged.members().len(), 1);
    assert!(merged.graph().edges().is_empty());

    // Without a way to discover other workspaces, the plain `build` refuses them.
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(temp.path()));
    let found = discover(&temp.path().join("main"), &options).unwrap();
    let error = WorkspaceGraph::build(found.workspace(), &Selection::All).unwrap_err();
    assert!(
        matches!(error, GraphError::ExternalWorkspaceSource { ref package, ref path, .. } if package.as_ref() == "lib" && path == Path::new("../other")),
        "{error}"
    );
    assert!(error.hint().contains("`path` source"));
}

/// R4.5's errors, each checked against uv 0.13.8: a path below the other workspace's root
/// (``Workspace source path `…/other/libs/lib` must point to a workspace root (found workspace at
/// `…/other`)``), a package that is not a member there (``… but is not a workspace member``),
/// and a path where no workspace is found (``No `pyproject.toml` found …``).
#[test]
fn external_workspace_sources_must_name_a_root_that_has_the_member() {
    let temp = tempfile::tempdir().unwrap();
    external_workspaces(
        temp.path(),
        "lib = { workspace = \"../other/libs/lib\" }\ntool = { workspace = \"../other\" }\nplain = { workspace = \"../other\" }\nvirt = { workspace = \"../other\" }\n",
    );
    let error = merge_with_external(temp.path()).unwrap_err();
    match &error {
        GraphError::WorkspaceSourceNotRoot { path, root, .. } => {
            assert_eq!(path, &temp.path().join("other/libs/lib"));
            assert_eq!(root, &temp.path().join("other"));
        }
        other => panic!("{other}"),
    }
    assert!(error.hint().starts_with("point `workspace` at"));

    let temp = tempfile::tempdir().unwrap();
    external_workspaces(
        temp.path(),
        "lib = { workspace = \"../other\" }\ntool = { workspace = \"../other\" }\nplain = { workspace = \"../other\" }\nvirt = { workspace = \"../lib-dir\" }\n",
    );
    write(
        &temp.path().join("lib-dir/pyproject.toml"),
        "[project]\nname = \"not-virt\"\nversion = \"1\"\n",
    );
    let error = merge_with_external(temp.path()).unwrap_err();
    assert!(
        matches!(error, GraphError::NotAnExternalMember { ref package, ref root, .. } if package.as_ref() == "virt" && root == &temp.path().join("lib-dir")),
        "{error}"
    );

    let temp = tempfile::tempdir().unwrap();
    external_workspaces(
        temp.path(),
        "lib = { workspace = \"../other\" }\ntool = { workspace = \"../other\" }\nplain = { workspace = \"../nowhere\" }\nvirt = { workspace = \"../other\" }\n",
    );
    fs::create_dir(temp.path().join("nowhere")).unwrap();
    let error = merge_with_external(temp.path()).unwrap_err();
    assert!(
        matches!(error, GraphError::ExternalWorkspaceDiscovery { ref package, .. } if package.as_ref() == "plain"),
        "{error}"
    );
    assert!(error
        .hint()
        .starts_with("point `workspace` at the root directory of another workspace"));
}

/// Git sources keep `path` (a distribution file inside the repository) and `lfs`.
#[test]
fn git_sources_keep_path_and_lfs() {
    let temp = tempfile::tempdir().unwrap();
    workspace(
        temp.path(),
        "",
        &[(
            "a",
            "dependencies = [\"foo\", \"bar\"]\n[tool.uv.sources]\nfoo = { git = \"https://example.invalid/foo.git\", tag = \"v1\", path = \"dist/foo-1.0.tar.gz\", lfs = true }\nbar = { git = \"https://example.invalid/bar.git\", subdirectory = \"py\" }\n",
        )],
    );
    let merged = merge(temp.path(), Selection::All).unwrap();
    let sources: Vec<&RequirementSource> =
        merged.requirements().iter().map(|r| &r.source).collect();
    insta::assert_json_snapshot!(sources, @r#"
    [
      {
        "kind": "git",
        "url": "https://example.invalid/foo.git",
        "reference": "tag v1",
        "path": "dist/foo-1.0.tar.gz",
        "lfs": true
      },
      {
        "kind": "git",
        "url": "https://example.invalid/bar.git",
        "subdirectory": "py"
      }
    ]
    "#);
}
