//! The merge rules of workspace-semantics R4–R7, each on a small workspace built in a temp dir.

use std::fs;
use std::path::Path;

use wslock_graph::{
    GraphError, GraphWarning, MemberKind, Origin, RequirementSource, Selection, WorkspaceGraph,
};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};

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
    insta::assert_snapshot!(error.to_string(), @r"
    the members' `requires-python` ranges have no Python version in common:
    - a: >=3.12
    - b: <3.10
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
    // The whole workspace cannot meet (d), but a's part of it can.
    assert!(merge(temp.path(), Selection::All).is_err());
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
    assert_eq!(merged.requires_python().unwrap().to_string(), ">=3.12");
    assert_eq!(merged.graph().members().len(), 3);

    let unknown = wslock_pep::package_name("nope").unwrap();
    let error = merge(temp.path(), Selection::Package(unknown)).unwrap_err();
    assert!(matches!(error, GraphError::UnknownPackage { .. }));
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
