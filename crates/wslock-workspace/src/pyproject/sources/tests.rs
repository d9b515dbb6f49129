use super::*;

/// Parses `[tool.uv.sources]` followed by `body` and runs [`parse_sources`].
fn parse(body: &str) -> Result<Sources, FieldError> {
    let document: toml::Table =
        toml::from_str(&format!("[tool.uv.sources]\n{body}")).expect("test TOML must parse");
    parse_sources(&document["tool"]["uv"]["sources"])
}

/// The entries for `foo` after parsing `body`.
fn entries(body: &str) -> Vec<Source> {
    let sources = parse(body).unwrap_or_else(|error| panic!("{body}: {error:?}"));
    let name = PackageName::new("foo".to_string()).expect("valid name");
    sources.get(&name).expect("`foo` has sources").to_vec()
}

fn kind(body: &str) -> SourceKind {
    let mut entries = entries(body);
    assert_eq!(entries.len(), 1, "{body}");
    entries.remove(0).kind
}

fn key(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

fn marker(text: &str) -> MarkerTree {
    text.parse().expect("valid marker")
}

#[test]
fn git_sources() {
    let cases = [
        (
            r#"foo = { git = "https://github.com/x/foo" }"#,
            SourceKind::Git {
                git: "https://github.com/x/foo".into(),
                subdirectory: None,
                path: None,
                reference: None,
                lfs: None,
            },
        ),
        (
            r#"foo = { git = "git+https://github.com/x/foo", tag = "v1", subdirectory = "py", lfs = true }"#,
            SourceKind::Git {
                git: "https://github.com/x/foo".into(),
                subdirectory: Some("py".into()),
                path: None,
                reference: Some(GitReference::Tag("v1".into())),
                lfs: Some(true),
            },
        ),
        (
            r#"foo = { git = "ssh://git@github.com/x/foo.git", rev = "abc123" }"#,
            SourceKind::Git {
                git: "ssh://git@github.com/x/foo.git".into(),
                subdirectory: None,
                path: None,
                reference: Some(GitReference::Rev("abc123".into())),
                lfs: None,
            },
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", branch = "main", path = "dist/foo-1.0.tar.gz" }"#,
            SourceKind::Git {
                git: "https://github.com/x/foo".into(),
                subdirectory: None,
                path: Some("dist/foo-1.0.tar.gz".into()),
                reference: Some(GitReference::Branch("main".into())),
                lfs: None,
            },
        ),
        (
            // uv keeps a fragment on a git URL (it is not rejected as on `url`).
            r#"foo = { git = "https://github.com/x/foo#egg=foo" }"#,
            SourceKind::Git {
                git: "https://github.com/x/foo#egg=foo".into(),
                subdirectory: None,
                path: None,
                reference: None,
                lfs: None,
            },
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(kind(body), expected, "{body}");
    }
}

#[test]
fn other_source_kinds() {
    let cases = [
        (
            r#"foo = { url = "https://x.org/foo-1.0.tar.gz", subdirectory = "s" }"#,
            SourceKind::Url {
                url: "https://x.org/foo-1.0.tar.gz".into(),
                subdirectory: Some("s".into()),
            },
        ),
        (
            r#"foo = { path = "../foo", editable = true }"#,
            SourceKind::Path {
                path: "../foo".into(),
                editable: Some(true),
                package: None,
            },
        ),
        (
            r#"foo = { path = "wheels/foo-1.0-py3-none-any.whl", editable = false, package = false }"#,
            SourceKind::Path {
                path: "wheels/foo-1.0-py3-none-any.whl".into(),
                editable: Some(false),
                package: Some(false),
            },
        ),
        // uv accepts the empty path (the declaring directory itself).
        (
            r#"foo = { path = "" }"#,
            SourceKind::Path {
                path: "".into(),
                editable: None,
                package: None,
            },
        ),
        (
            r#"foo = { index = "pytorch-cu121" }"#,
            SourceKind::Index {
                index: "pytorch-cu121".into(),
            },
        ),
        (
            r#"foo = { index = "" }"#,
            SourceKind::Index { index: "".into() },
        ),
        (
            r#"foo = { workspace = true }"#,
            SourceKind::Workspace {
                workspace: WorkspaceSource::Member,
                editable: None,
            },
        ),
        (
            r#"foo = { workspace = true, editable = false }"#,
            SourceKind::Workspace {
                workspace: WorkspaceSource::Member,
                editable: Some(false),
            },
        ),
        (
            r#"foo = { workspace = "../other" }"#,
            SourceKind::Workspace {
                workspace: WorkspaceSource::Root("../other".into()),
                editable: None,
            },
        ),
        // Keys uv accepts and ignores for the kind.
        (
            r#"foo = { path = "a", subdirectory = "s", lfs = true }"#,
            SourceKind::Path {
                path: "a".into(),
                editable: None,
                package: None,
            },
        ),
        (
            r#"foo = { index = "x", subdirectory = "s", lfs = false }"#,
            SourceKind::Index { index: "x".into() },
        ),
        (
            r#"foo = { workspace = true, subdirectory = "s", lfs = true }"#,
            SourceKind::Workspace {
                workspace: WorkspaceSource::Member,
                editable: None,
            },
        ),
        (
            r#"foo = { url = "https://x.org/foo-1.0.tar.gz", lfs = true }"#,
            SourceKind::Url {
                url: "https://x.org/foo-1.0.tar.gz".into(),
                subdirectory: None,
            },
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(kind(body), expected, "{body}");
    }
}

#[test]
fn marker_extra_and_group() {
    let entry =
        entries(r#"foo = { path = "a", marker = "sys_platform == 'linux'", extra = "CUDA_12" }"#)
            .remove(0);
    assert_eq!(entry.marker, marker("sys_platform == 'linux'"));
    assert_eq!(entry.extra, Some("cuda-12".parse().expect("valid extra")));
    assert_eq!(entry.group, None);

    let entry = entries(r#"foo = { index = "x", group = "Dev.Tools" }"#).remove(0);
    assert!(entry.marker.is_true());
    assert_eq!(entry.group, Some("dev-tools".parse().expect("valid group")));
}

#[test]
fn lists_and_names() {
    let sources = parse(
        r#"
        Foo_Bar = [
            { path = "a", marker = "sys_platform == 'linux'" },
            { index = "x", marker = "sys_platform == 'win32'" },
            { git = "https://github.com/x/foo", marker = "sys_platform == 'darwin'" },
        ]
        baz = { workspace = true }
        "#,
    )
    .expect("should parse");
    assert_eq!(sources.len(), 2);
    assert!(!sources.is_empty());
    let name = PackageName::new("foo-bar".to_string()).expect("valid name");
    let list = sources.get(&name).expect("normalised key");
    assert_eq!(list.len(), 3);
    assert_eq!(list[1].kind, SourceKind::Index { index: "x".into() });
    let names: Vec<_> = sources.iter().map(|(name, _)| name.to_string()).collect();
    assert!(names.contains(&"baz".to_string()));
    assert!(parse("").expect("empty table").is_empty());

    let accepted = [
        // A list of one needs no marker.
        r#"foo = [{ path = "a" }]"#,
        // Entries for different extras (or an extra and none) need no markers.
        r#"foo = [{ path = "a", extra = "x" }, { path = "b", extra = "y" }]"#,
        r#"foo = [{ path = "a", extra = "x" }, { path = "b" }]"#,
        r#"foo = [{ path = "a", group = "x" }, { path = "b", extra = "x" }]"#,
        // An unsatisfiable marker is disjoint from everything.
        r#"foo = [{ path = "a", marker = "sys_platform == 'linux' and sys_platform == 'win32'" }, { path = "b" }]"#,
        r#"foo = [{ path = "a", marker = "python_version < '3.10'" }, { path = "b", marker = "python_version >= '3.10'" }]"#,
    ];
    for body in accepted {
        assert!(
            parse(body).is_ok(),
            "should accept {body}: {:?}",
            parse(body)
        );
    }
}

#[test]
fn rejected_forms() {
    use ManifestErrorKind::{DuplicateName, InvalidMarker, InvalidName, InvalidSource, WrongType};
    let cases: &[(&str, ManifestErrorKind, &str)] = &[
        // The shape of the table and its values.
        (r#"foo = "a""#, WrongType, "tool.uv.sources.foo"),
        (r#"foo = ["a"]"#, WrongType, "tool.uv.sources.foo.0"),
        (r#"foo = []"#, InvalidSource, "tool.uv.sources.foo"),
        (r#"foo = { git = 1 }"#, WrongType, "tool.uv.sources.foo.git"),
        (
            r#"foo = { path = "a", editable = "yes" }"#,
            WrongType,
            "tool.uv.sources.foo.editable",
        ),
        (
            r#"foo = { path = "a", marker = 1 }"#,
            WrongType,
            "tool.uv.sources.foo.marker",
        ),
        (
            r#"foo = { workspace = 1 }"#,
            WrongType,
            "tool.uv.sources.foo.workspace",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", bogus = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.bogus",
        ),
        (
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", bogus = 1 }]"#,
            InvalidSource,
            "tool.uv.sources.foo.1.bogus",
        ),
        (
            r#"foo = { marker = "sys_platform == 'linux'" }"#,
            InvalidSource,
            "tool.uv.sources.foo",
        ),
        (r#"foo = {}"#, InvalidSource, "tool.uv.sources.foo"),
        // Names.
        (
            r#""foo bar" = { path = "a" }"#,
            InvalidName,
            "tool.uv.sources.foo bar",
        ),
        (r#""" = { path = "a" }"#, InvalidName, "tool.uv.sources."),
        (
            r#"foo = { path = "a" }
            Foo = { path = "b" }"#,
            DuplicateName,
            // The second spelling in document order is the duplicate.
            "tool.uv.sources.Foo",
        ),
        (
            r#"foo = { path = "a", extra = "a b" }"#,
            InvalidName,
            "tool.uv.sources.foo.extra",
        ),
        (
            r#"foo = { path = "a", group = "-g" }"#,
            InvalidName,
            "tool.uv.sources.foo.group",
        ),
        (
            r#"foo = { path = "a", extra = "" }"#,
            InvalidName,
            "tool.uv.sources.foo.extra",
        ),
        (
            r#"foo = { path = "a", group = "" }"#,
            InvalidName,
            "tool.uv.sources.foo.group",
        ),
        (
            r#"foo = { path = "a", marker = "  " }"#,
            InvalidMarker,
            "tool.uv.sources.foo.marker",
        ),
        (
            r#"foo = { index = "a b" }"#,
            InvalidSource,
            "tool.uv.sources.foo.index",
        ),
        (
            r#"foo = { index = "é" }"#,
            InvalidSource,
            "tool.uv.sources.foo.index",
        ),
        // Markers.
        (
            r#"foo = { path = "a", marker = "sys_platform = 'x'" }"#,
            InvalidMarker,
            "tool.uv.sources.foo.marker",
        ),
        (
            r#"foo = { path = "a", marker = "" }"#,
            InvalidMarker,
            "tool.uv.sources.foo.marker",
        ),
        (
            r#"foo = { path = "a", marker = "sys_platform == 'linux' and" }"#,
            InvalidMarker,
            "tool.uv.sources.foo.marker",
        ),
        // URLs.
        (
            r#"foo = { git = "not a url" }"#,
            InvalidSource,
            "tool.uv.sources.foo.git",
        ),
        (
            r#"foo = { git = "git@github.com:x/foo.git" }"#,
            InvalidSource,
            "tool.uv.sources.foo.git",
        ),
        (
            r#"foo = { git = "" }"#,
            InvalidSource,
            "tool.uv.sources.foo.git",
        ),
        (
            r#"foo = { git = "git+" }"#,
            InvalidSource,
            "tool.uv.sources.foo.git",
        ),
        (
            r#"foo = { git = "https://" }"#,
            InvalidSource,
            "tool.uv.sources.foo.git",
        ),
        (
            r#"foo = { url = "foo.whl" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        (
            r#"foo = { url = "https://x y.org/foo-1.0.tar.gz" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        (
            r#"foo = { url = "https://x.org:99999/foo-1.0.tar.gz" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        (
            r#"foo = { url = "https://x.org/foo-1.0.tar.gz#egg=foo" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        (
            r#"foo = { url = "https://x.org/foo-1.0.tar.gz#" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        // Mutually exclusive kinds.
        (
            r#"foo = { git = "https://github.com/x/foo", url = "https://x.org/foo.whl" }"#,
            InvalidSource,
            "tool.uv.sources.foo.url",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", index = "x" }"#,
            InvalidSource,
            "tool.uv.sources.foo.index",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", workspace = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.workspace",
        ),
        (
            r#"foo = { url = "https://x.org/foo.whl", path = "a" }"#,
            InvalidSource,
            "tool.uv.sources.foo.path",
        ),
        (
            r#"foo = { url = "https://x.org/foo.whl", index = "x" }"#,
            InvalidSource,
            "tool.uv.sources.foo.index",
        ),
        (
            r#"foo = { path = "a", index = "x" }"#,
            InvalidSource,
            "tool.uv.sources.foo.index",
        ),
        (
            r#"foo = { path = "a", workspace = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.workspace",
        ),
        (
            r#"foo = { index = "x", workspace = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.workspace",
        ),
        // Git-only keys, and at most one reference.
        (
            r#"foo = { git = "https://github.com/x/foo", rev = "a", tag = "b" }"#,
            InvalidSource,
            "tool.uv.sources.foo.tag",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", rev = "a", branch = "b" }"#,
            InvalidSource,
            "tool.uv.sources.foo.branch",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", tag = "a", branch = "b" }"#,
            InvalidSource,
            "tool.uv.sources.foo.branch",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", path = "a.whl", subdirectory = "s" }"#,
            InvalidSource,
            "tool.uv.sources.foo.path",
        ),
        (
            r#"foo = { url = "https://x.org/foo.whl", rev = "a" }"#,
            InvalidSource,
            "tool.uv.sources.foo.rev",
        ),
        (
            r#"foo = { path = "a", tag = "a" }"#,
            InvalidSource,
            "tool.uv.sources.foo.tag",
        ),
        (
            r#"foo = { index = "x", branch = "a" }"#,
            InvalidSource,
            "tool.uv.sources.foo.branch",
        ),
        (
            r#"foo = { workspace = true, rev = "a" }"#,
            InvalidSource,
            "tool.uv.sources.foo.rev",
        ),
        // `editable` and `package` belong to path (and `editable` to workspace).
        (
            r#"foo = { git = "https://github.com/x/foo", editable = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.editable",
        ),
        (
            r#"foo = { git = "https://github.com/x/foo", package = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.package",
        ),
        (
            r#"foo = { url = "https://x.org/foo.whl", editable = false }"#,
            InvalidSource,
            "tool.uv.sources.foo.editable",
        ),
        (
            r#"foo = { url = "https://x.org/foo.whl", package = false }"#,
            InvalidSource,
            "tool.uv.sources.foo.package",
        ),
        (
            r#"foo = { index = "x", editable = false }"#,
            InvalidSource,
            "tool.uv.sources.foo.editable",
        ),
        (
            r#"foo = { index = "x", package = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.package",
        ),
        (
            r#"foo = { workspace = true, package = true }"#,
            InvalidSource,
            "tool.uv.sources.foo.package",
        ),
        (
            r#"foo = { path = "a", editable = true, package = false }"#,
            InvalidSource,
            "tool.uv.sources.foo.package",
        ),
        // `extra` with `group`, and `workspace = false`.
        (
            r#"foo = { path = "a", extra = "a", group = "b" }"#,
            InvalidSource,
            "tool.uv.sources.foo.group",
        ),
        (
            r#"foo = { workspace = false }"#,
            InvalidSource,
            "tool.uv.sources.foo.workspace",
        ),
        // Lists: markers must be disjoint per (extra, group).
        (
            r#"foo = [{ path = "a" }, { path = "b" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.1",
        ),
        (
            r#"foo = [{ path = "a" }, { path = "b", marker = "sys_platform == 'linux'" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.0",
        ),
        (
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.1",
        ),
        (
            r#"foo = [{ path = "a", extra = "X" }, { path = "b", extra = "x" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.1",
        ),
        (
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "python_version >= '3.12'" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.1.marker",
        ),
        // uv compares only neighbours and accepts this; we compare every pair.
        (
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "sys_platform == 'win32'" }, { path = "c", marker = "sys_platform == 'linux'" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.2.marker",
        ),
        (
            r#"foo = [{ path = "a", group = "g", marker = "os_name == 'nt'" }, { path = "b", extra = "g" }, { path = "c", group = "g", marker = "os_name == 'nt' and sys_platform == 'win32'" }]"#,
            InvalidSource,
            "tool.uv.sources.foo.2.marker",
        ),
    ];
    for (body, kind, at) in cases {
        let error = parse(body).expect_err(body);
        assert_eq!(
            (error.kind, error.key.clone()),
            (*kind, key(at)),
            "{body}: {}",
            error.message
        );
    }
}

#[test]
fn messages_follow_uv() {
    let message = |body: &str| parse(body).expect_err(body).message;
    assert_eq!(
        message(r#"foo = { marker = "sys_platform == 'linux'" }"#),
        "expected one of `git`, `url`, `path`, `index`, or `workspace`"
    );
    assert_eq!(
        message(r#"foo = { url = "https://x.org/foo.whl", path = "a" }"#),
        "cannot specify both `url` and `path`"
    );
    assert_eq!(
        message(r#"foo = { git = "https://github.com/x/foo", rev = "a", tag = "b" }"#),
        "expected at most one of `rev`, `tag`, or `branch`"
    );
    assert_eq!(
        message(r#"foo = { path = "a", editable = true, package = false }"#),
        "cannot specify both `editable = true` and `package = false`"
    );
    assert_eq!(
        message(r#"foo = { path = "a", extra = "a", group = "b" }"#),
        "cannot specify both `extra` and `group`"
    );
    assert_eq!(
        message(r#"foo = { git = "https://github.com/x/foo", bogus = true }"#),
        "unknown field `bogus`, expected one of `git`, `subdirectory`, `rev`, `tag`, `branch`, `lfs`, `url`, `path`, `editable`, `package`, `index`, `workspace`, `marker`, `extra`, `group`"
    );
    assert!(message(r#"foo = { workspace = false }"#)
        .starts_with("`workspace = false` is not supported"));
    assert_eq!(message(r#"foo = []"#), "Must provide at least one source");
    assert_eq!(
        message(
            r#"foo = { path = "a" }
                   Foo = { path = "b" }"#
        ),
        "duplicate sources for package `foo`"
    );
    assert_eq!(
        message(r#"foo = [{ path = "a" }, { path = "b" }]"#),
        "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)"
    );
    assert_eq!(
        message(
            r#"foo = [{ path = "a", marker = "sys_platform == 'linux'" }, { path = "b", marker = "python_version >= '3.12'" }]"#
        ),
        "Source markers must be disjoint, but the following markers overlap: `sys_platform == 'linux'` and `python_full_version >= '3.12'`; hint: replace `python_full_version >= '3.12'` with `python_full_version >= '3.12' and sys_platform != 'linux'`"
    );
    assert_eq!(
        message(r#"foo = { url = "https://x.org/foo-1.0.tar.gz#egg=foo" }"#),
        "Fragments are not allowed in URLs: https://x.org/foo-1.0.tar.gz#egg=foo"
    );
    assert_eq!(
        message(r#"foo = { git = "not a url" }"#),
        "relative URL without a base: \"not a url\""
    );
    assert_eq!(
        message(r#"foo = { index = "a b" }"#),
        "Index names may only contain letters, digits, hyphens, underscores, and periods, but found unsupported character (` `) in: `a b`"
    );
}

#[test]
fn url_check() {
    let good = [
        "https://example.org",
        "https://user:pass@example.org:8080/a?b#c",
        "HTTPS://EXAMPLE.ORG",
        "http://[::1]:8000/simple",
        "git+https://github.com/x/y",
        "git+ssh://git@github.com/x/y.git",
        "ssh://git@github.com:22/x/y.git",
        "file:///tmp/x",
        "file:relative",
        "foo:bar",
        "https://example.org:/x",
    ];
    for text in good {
        assert_eq!(check_url(text), Ok(()), "{text}");
    }
    let bad = [
        "",
        "example.org",
        "./x",
        "1http://x",
        "git@github.com:x/y.git",
        "https://",
        "https://exa mple.org",
        "https://x.org:port",
        "https://x.org:70000",
        "git+https://exa mple.org",
        "http://[::1",
    ];
    for text in bad {
        assert!(check_url(text).is_err(), "{text}");
    }
}

#[test]
fn names_keep_document_order() {
    let sources =
        parse("zeta = { path = \"z\" }\nAlpha = { path = \"a\" }\nmid = { path = \"m\" }\n")
            .expect("valid sources");
    let names: Vec<&str> = sources.iter().map(|(name, _)| name.as_ref()).collect();
    assert_eq!(names, ["zeta", "alpha", "mid"]);
}
