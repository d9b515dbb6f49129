use std::path::Path;

use super::*;

fn parse_ok(text: &str) -> PyProject {
    match parse(Path::new("/w/pyproject.toml"), text) {
        Ok(parsed) => parsed,
        Err(error) => panic!("expected {text:?} to parse, got {error}"),
    }
}

fn parse_err(text: &str) -> ManifestError {
    match parse(Path::new("/w/pyproject.toml"), text) {
        Ok(parsed) => panic!("expected {text:?} to fail, got {parsed:?}"),
        Err(error) => *error,
    }
}

#[test]
fn reads_the_project_table() {
    let parsed = parse_ok(
        r#"
[project]
name = "Foo_Bar"
version = "1.0"
requires-python = ">=3.9"
dependencies = ["requests>=2; python_version >= '3.9'"]
dynamic = ["readme"]

[project.optional-dependencies]
With_B = ["b"]

[build-system]
requires = ["hatchling"]

[some.other.tool]
anything = 1
"#,
    );
    let project = parsed.project.unwrap();
    assert_eq!(project.name.as_ref(), "foo-bar");
    assert_eq!(project.version.unwrap().to_string(), "1.0");
    assert_eq!(project.requires_python.unwrap().to_string(), ">=3.9");
    assert_eq!(project.dependencies.len(), 1);
    assert_eq!(
        project
            .optional_dependencies
            .keys()
            .next()
            .unwrap()
            .as_ref(),
        "with-b"
    );
    assert!(parsed.has_build_system);
    assert!(parsed.tool_uv.is_none());
}

#[test]
fn dynamic_version_is_allowed_but_missing_version_is_not() {
    let parsed = parse_ok("[project]\nname = \"x\"\ndynamic = [\"version\"]\n");
    assert_eq!(parsed.project.unwrap().version, None);
    let error = parse_err("[project]\nname = \"x\"\n");
    assert_eq!(error.kind, ManifestErrorKind::MissingVersion);
    assert_eq!(error.line_col, Some((1, 1)));
}

#[test]
fn errors_name_the_key_and_position() {
    let error =
        parse_err("[project]\nname = \"x\"\nversion = \"1\"\nrequires-python = \">=3.9,<<4\"\n");
    assert_eq!(error.kind, ManifestErrorKind::InvalidSpecifier);
    assert_eq!(error.key.as_deref(), Some("project.requires-python"));
    // The position and span are those of the part the specifier parser rejected.
    let text = "[project]\nname = \"x\"\nversion = \"1\"\nrequires-python = \">=3.9,<<4\"\n";
    assert_eq!(error.line_col, Some((4, 26)));
    assert_eq!(error.span.clone().map(|span| &text[span]), Some("<<4"));

    let error = parse_err(
        "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\"ok\", \"bad ===\"]\n",
    );
    assert_eq!(error.kind, ManifestErrorKind::InvalidRequirement);
    assert_eq!(error.key.as_deref(), Some("project.dependencies.1"));
    let text = "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\"ok\", \"bad ===\"]\n";
    let underlined = error.span.clone().map(|span| &text[span]);
    assert!(
        underlined.is_some_and(|part| "\"bad ===\"".contains(part)),
        "{underlined:?}"
    );
    assert!(error.message.contains("bad ==="), "{}", error.message);
}

#[test]
fn wrong_types_name_the_key() {
    let error = parse_err("[project]\nname = 3\n");
    assert_eq!(error.kind, ManifestErrorKind::WrongType);
    assert_eq!(error.key.as_deref(), Some("project.name"));
    assert_eq!(error.line_col.map(|(line, _)| line), Some(2));

    let error = parse_err("[tool.uv]\nmanaged = \"no\"\n");
    assert_eq!(error.kind, ManifestErrorKind::WrongType);
    assert_eq!(error.key.as_deref(), Some("tool.uv.managed"));
}

#[test]
fn broken_toml_reports_the_position() {
    let error = parse_err("[project]\nname = \"x\n");
    assert_eq!(error.kind, ManifestErrorKind::Toml);
    assert_eq!(error.line_col.map(|(line, _)| line), Some(2));
}

#[test]
fn invalid_names_and_duplicate_extras() {
    assert_eq!(
        parse_err("[project]\nname = \"ünï\"\nversion = \"1\"\n").kind,
        ManifestErrorKind::InvalidName
    );
    let error = parse_err(
        "[project]\nname = \"x\"\nversion = \"1\"\n[project.optional-dependencies]\nWith_B = []\nwith-b = []\n",
    );
    assert_eq!(error.kind, ManifestErrorKind::DuplicateName);
    assert_eq!(
        error.key.as_deref(),
        Some("project.optional-dependencies.with-b")
    );
    assert_eq!(
        parse_err("[project]\nname = \"x\"\nversion = \"1.0.0.dev.x\"\n").kind,
        ManifestErrorKind::InvalidVersion
    );
}

#[test]
fn workspace_table_allows_only_members_and_exclude() {
    let parsed =
        parse_ok("[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/x\"]\n");
    let workspace = parsed.workspace().unwrap();
    assert_eq!(workspace.members, ["packages/*"]);
    assert_eq!(workspace.exclude, ["packages/x"]);

    let error = parse_err("[tool.uv.workspace]\nmembers = []\nmember = [\"x\"]\n");
    assert_eq!(error.kind, ManifestErrorKind::UnknownKey);
    assert_eq!(error.key.as_deref(), Some("tool.uv.workspace.member"));
    assert_eq!(error.line_col.map(|(line, _)| line), Some(3));

    let error = parse_err("[tool.uv.workspace]\nmembers = [\"packages/[\"]\n");
    assert_eq!(error.kind, ManifestErrorKind::InvalidGlob);
    assert_eq!(error.key.as_deref(), Some("tool.uv.workspace.members.0"));
}

#[test]
fn tool_uv_requirement_lists_are_typed() {
    let parsed = parse_ok(
        "[tool.uv]\nmanaged = false\npackage = true\ndev-dependencies = [\"pytest\"]\nconstraint-dependencies = [\"a<2\"]\noverride-dependencies = [\"b==1\"]\n",
    );
    let uv = parsed.tool_uv.as_ref().unwrap();
    assert!(parsed.is_unmanaged());
    assert_eq!(uv.package, Some(true));
    assert_eq!(uv.dev_dependencies.as_ref().unwrap().len(), 1);
    assert_eq!(uv.constraint_dependencies.len(), 1);
    assert_eq!(uv.override_dependencies.len(), 1);

    let error = parse_err("[tool.uv]\ndev-dependencies = [\"pytest >=\"]\n");
    assert_eq!(error.kind, ManifestErrorKind::InvalidRequirement);
    assert_eq!(error.key.as_deref(), Some("tool.uv.dev-dependencies.0"));
}

#[test]
fn dependency_groups_and_their_settings() {
    let parsed = parse_ok(
        r#"
[dependency-groups]
Test = ["pytest", { include-group = "lint" }]
lint = []

[tool.uv.dependency-groups]
test = { requires-python = ">=3.10" }
"#,
    );
    let test = "test".parse().unwrap();
    let entries = parsed.dependency_groups.get(&test).unwrap();
    assert!(matches!(entries[1], GroupEntry::IncludeGroup(ref g) if g.as_str() == "lint"));
    let uv = parsed.tool_uv.unwrap();
    let settings = &uv.dependency_groups[&test];
    assert_eq!(
        settings.requires_python.as_ref().unwrap().to_string(),
        ">=3.10"
    );

    let error = parse_err("[dependency-groups]\ng = [{ include = \"x\" }]\n");
    assert_eq!(error.kind, ManifestErrorKind::InvalidGroup);
    assert_eq!(error.key.as_deref(), Some("dependency-groups.g.0"));

    let error =
        parse_err("[dependency-groups]\ng = []\n[tool.uv.dependency-groups]\nmissing = {}\n");
    assert_eq!(error.kind, ManifestErrorKind::InvalidGroup);

    let error = parse_err("[dependency-groups]\nA_b = []\na-b = []\n");
    assert_eq!(error.kind, ManifestErrorKind::DuplicateName);
}

#[test]
fn uv_toml_keys_are_reported_without_the_tool_uv_prefix() {
    let settings = parse_uv_toml(
        Path::new("/w/uv.toml"),
        "constraint-dependencies = [\"a<2\"]\n[[index]]\nname = \"n\"\nurl = \"https://example.invalid/simple\"\n",
    )
    .unwrap();
    assert_eq!(settings.constraint_dependencies.len(), 1);
    assert_eq!(settings.index.len(), 1);
    let error = parse_uv_toml(
        Path::new("/w/uv.toml"),
        "\nconstraint-dependencies = [\"=\"]\n",
    )
    .unwrap_err();
    assert_eq!(error.key.as_deref(), Some("constraint-dependencies.0"));
    assert_eq!(error.line_col.map(|(line, _)| line), Some(2));
    let error = parse_uv_toml(Path::new("/w/uv.toml"), "[[index]]\nname = \"n\"\n").unwrap_err();
    assert_eq!(error.kind, ManifestErrorKind::InvalidIndex);
    assert!(
        error.key.as_deref().unwrap().starts_with("index"),
        "{error}"
    );
}

/// uv 0.13.8 (`uv lock --config-file uv.toml`) rejects project-only keys with this message,
/// checking them in a fixed order, and rejects keys it does not know.
#[test]
fn uv_toml_rejects_what_uv_rejects() {
    let parse = |text: &str| parse_uv_toml(Path::new("/w/uv.toml"), text);
    let error = parse("managed = true\nsources = {}\n").unwrap_err();
    assert_eq!(error.kind, ManifestErrorKind::ProjectOnlyKey);
    assert_eq!(error.key.as_deref(), Some("sources"));
    assert_eq!(error.line_col.map(|(line, _)| line), Some(2));
    assert_eq!(
        error.message,
        "The `sources` field is not allowed in a `uv.toml` file. `sources` is only applicable in the context of a project, and should be placed in a `pyproject.toml` file instead."
    );
    for key in PROJECT_ONLY_KEYS {
        let value = match key {
            "managed" | "package" => "true",
            "workspace" | "sources" | "dependency-groups" | "build-backend" => "{}",
            _ => "[]",
        };
        let error = parse(&format!("{key} = {value}\n")).unwrap_err();
        assert_eq!(error.kind, ManifestErrorKind::ProjectOnlyKey, "{key}");
    }

    let error = parse("resolution = \"lowest\"\nbogus-key = 1\nsources = {}\n").unwrap_err();
    assert_eq!(error.kind, ManifestErrorKind::UnknownSetting);
    assert_eq!(error.key.as_deref(), Some("bogus-key"));
    // A `[tool.uv]` table is not how a `uv.toml` is written.
    let error = parse("[tool.uv]\nmanaged = true\n").unwrap_err();
    assert_eq!(error.key.as_deref(), Some("tool"));

    // Resolver settings are read; settings that do not concern a lock are accepted as they are.
    let settings =
        parse("resolution = \"lowest-direct\"\ncache-dir = \"/c\"\n[pip]\nsystem = true\n")
            .unwrap();
    assert_eq!(
        settings.resolver.resolution.as_deref(),
        Some("lowest-direct")
    );
    assert_eq!(
        ToolUv {
            resolver: Default::default(),
            ..settings
        },
        ToolUv::default()
    );
}

#[test]
fn an_empty_file_is_an_empty_manifest() {
    assert_eq!(parse_ok(""), PyProject::default());
}
