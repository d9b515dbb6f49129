use super::*;

/// Parses `[tool.uv] <body>` and runs [`parse_indexes`] on `tool.uv.index`.
fn parse(body: &str) -> Result<Vec<Index>, FieldError> {
    let document: toml::Table =
        toml::from_str(&format!("[tool.uv]\n{body}")).expect("test TOML must parse");
    let value = document["tool"]["uv"]
        .get("index")
        .expect("test TOML must have `tool.uv.index`");
    parse_indexes(value)
}

fn one(body: &str) -> Index {
    let mut indexes = parse(body).expect("should parse");
    assert_eq!(indexes.len(), 1);
    indexes.remove(0)
}

fn key(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

#[test]
fn accepted_forms() {
    let index = one(
        r#"index = [{ name = "torch", url = "https://download.pytorch.org/whl/cpu", explicit = true }]"#,
    );
    assert_eq!(
        index,
        Index {
            name: Some("torch".into()),
            url: "https://download.pytorch.org/whl/cpu".into(),
            default: false,
            explicit: true,
            format: IndexFormat::Simple,
        }
    );

    let index = one(r#"index = [{ url = "./wheels", format = "flat", default = true }]"#);
    assert_eq!(index.name, None);
    assert_eq!(index.url, "./wheels");
    assert!(index.default);
    assert_eq!(index.format, IndexFormat::Flat);

    // Every key uv knows, with valid values; and an unknown key, which uv ignores.
    let index = one(
        r#"index = [{ name = "x", url = "https://example.org/simple", publish-url = "https://example.org/upload",
             authenticate = "always", ignore-error-codes = [401, 403, 100, 999],
             cache-control = { api = "max-age=600", files = "max-age=3600", other = 1 },
             exclude-newer = "2024-01-01", exclude-newer-package = { foo = false, bar = "3 days" },
             hash-algorithm = "sha256", format = "simple", explicit = false, default = false,
             not-a-uv-key = [1, 2] }]"#,
    );
    assert_eq!(index.name.as_deref(), Some("x"));

    let accepted = [
        // uv accepts the empty name, and names that do not start with a letter.
        r#"index = [{ name = "", url = "https://example.org/simple" }]"#,
        r#"index = [{ name = "_a.B-1", url = "https://example.org/simple" }]"#,
        r#"index = [{ name = "", url = "https://example.org/simple", explicit = true }]"#,
        // Names are compared exactly: `X` and `x` are two indexes.
        r#"index = [{ name = "X", url = "https://a.org/simple" }, { name = "x", url = "https://b.org/simple" }]"#,
        // Unknown schemes and odd strings are local paths, not URLs.
        r#"index = [{ url = "foo://bar" }]"#,
        r#"index = [{ url = "file:relative" }]"#,
        r#"index = [{ url = "   " }]"#,
        r#"index = [{ url = "file:///tmp/wheels" }]"#,
        r#"index = [{ url = "https://user:pass@example.org:8080/simple" }]"#,
        r#"index = [{ url = "https://example.org/simple", exclude-newer = { timestamp = "2024-01-01" } }]"#,
        r#"index = [{ url = "https://example.org/simple", hash-algorithm = { sha256 = true } }]"#,
        r#"index = [{ url = "https://example.org/simple", authenticate = "auto" }]"#,
        r#"index = [{ url = "https://example.org/simple", authenticate = "never" }]"#,
        r#"index = [{ url = "https://example.org/simple", explicit = false }]"#,
        "index = []",
    ];
    for body in accepted {
        assert!(
            parse(body).is_ok(),
            "should accept: {body}: {:?}",
            parse(body)
        );
    }
}

#[test]
fn document_order_is_kept() {
    let document: toml::Table = toml::from_str(
        "[[tool.uv.index]]\nname = \"b\"\nurl = \"https://b.org/simple\"\n\
         [[tool.uv.index]]\nname = \"a\"\nurl = \"https://a.org/simple\"\ndefault = true\n",
    )
    .expect("test TOML must parse");
    let indexes = parse_indexes(&document["tool"]["uv"]["index"]).expect("should parse");
    let names: Vec<_> = indexes.iter().map(|index| index.name.as_deref()).collect();
    assert_eq!(names, [Some("b"), Some("a")]);
}

#[test]
fn rejected_forms() {
    use ManifestErrorKind::{InvalidIndex, WrongType};
    let cases: &[(&str, ManifestErrorKind, &str)] = &[
        (
            r#"index = { url = "https://example.org/simple" }"#,
            WrongType,
            "tool.uv.index",
        ),
        (
            r#"index = ["https://example.org/simple"]"#,
            WrongType,
            "tool.uv.index.0",
        ),
        (
            r#"index = [{ name = "x" }]"#,
            InvalidIndex,
            "tool.uv.index.0",
        ),
        (r#"index = [{ url = 1 }]"#, WrongType, "tool.uv.index.0.url"),
        (
            r#"index = [{ url = "" }]"#,
            InvalidIndex,
            "tool.uv.index.0.url",
        ),
        (
            r#"index = [{ url = "https://exa mple.org/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.0.url",
        ),
        (
            r#"index = [{ url = "https://" }]"#,
            InvalidIndex,
            "tool.uv.index.0.url",
        ),
        (
            r#"index = [{ url = "git+https://exa mple.org/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.0.url",
        ),
        (
            r#"index = [{ url = "https://example.org:http/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.0.url",
        ),
        (
            r#"index = [{ name = 1, url = "https://example.org/simple" }]"#,
            WrongType,
            "tool.uv.index.0.name",
        ),
        (
            r#"index = [{ name = "a b", url = "https://example.org/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.0.name",
        ),
        (
            r#"index = [{ name = "é", url = "https://example.org/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.0.name",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", explicit = true }]"#,
            InvalidIndex,
            "tool.uv.index.0.explicit",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", explicit = 1 }]"#,
            WrongType,
            "tool.uv.index.0.explicit",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", default = "yes" }]"#,
            WrongType,
            "tool.uv.index.0.default",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", format = "pep503" }]"#,
            InvalidIndex,
            "tool.uv.index.0.format",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", format = "Flat" }]"#,
            InvalidIndex,
            "tool.uv.index.0.format",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", publish-url = "./upload" }]"#,
            InvalidIndex,
            "tool.uv.index.0.publish-url",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", authenticate = "sometimes" }]"#,
            InvalidIndex,
            "tool.uv.index.0.authenticate",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", ignore-error-codes = 401 }]"#,
            WrongType,
            "tool.uv.index.0.ignore-error-codes",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", ignore-error-codes = ["401"] }]"#,
            WrongType,
            "tool.uv.index.0.ignore-error-codes.0",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", ignore-error-codes = [401, 99] }]"#,
            InvalidIndex,
            "tool.uv.index.0.ignore-error-codes.1",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", ignore-error-codes = [1000] }]"#,
            InvalidIndex,
            "tool.uv.index.0.ignore-error-codes.0",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", cache-control = "x" }]"#,
            WrongType,
            "tool.uv.index.0.cache-control",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", cache-control = { api = 1 } }]"#,
            WrongType,
            "tool.uv.index.0.cache-control.api",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", exclude-newer = true }]"#,
            InvalidIndex,
            "tool.uv.index.0.exclude-newer",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", exclude-newer = 1 }]"#,
            WrongType,
            "tool.uv.index.0.exclude-newer",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", exclude-newer-package = 1 }]"#,
            WrongType,
            "tool.uv.index.0.exclude-newer-package",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", exclude-newer-package = { foo = true } }]"#,
            InvalidIndex,
            "tool.uv.index.0.exclude-newer-package.foo",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", hash-algorithm = 1 }]"#,
            WrongType,
            "tool.uv.index.0.hash-algorithm",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", hash-algorithm = "bogus" }]"#,
            InvalidIndex,
            "tool.uv.index.0.hash-algorithm",
        ),
        (
            r#"index = [{ url = "https://example.org/simple", hash-algorithm = { foo = 1 } }]"#,
            InvalidIndex,
            "tool.uv.index.0.hash-algorithm.foo",
        ),
        (
            r#"index = [{ name = "x", url = "https://a.org/simple" }, { name = "y", url = "https://b.org/simple" }, { name = "x", url = "https://c.org/simple" }]"#,
            InvalidIndex,
            "tool.uv.index.2.name",
        ),
        (
            r#"index = [{ url = "https://a.org/simple", default = true }, { url = "https://b.org/simple", default = true }]"#,
            InvalidIndex,
            "tool.uv.index.1.default",
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
        message(r#"index = [{ name = "x" }]"#),
        "missing field `url`"
    );
    assert_eq!(
        message(r#"index = [{ url = "https://example.org/simple", explicit = true }]"#),
        "An index with `explicit = true` requires a `name`: https://example.org/simple"
    );
    assert_eq!(
        message(
            r#"index = [{ name = "x", url = "https://a.org/simple" }, { name = "x", url = "https://b.org/simple" }]"#
        ),
        "duplicate index name `x`"
    );
    assert_eq!(
        message(
            r#"index = [{ url = "https://a.org/simple", default = true }, { url = "https://b.org/simple", default = true }]"#
        ),
        "found multiple indexes with `default = true`; only one index may be marked as default"
    );
    assert_eq!(
        message(r#"index = [{ name = "a b", url = "https://example.org/simple" }]"#),
        "Index names may only contain letters, digits, hyphens, underscores, and periods, but found unsupported character (` `) in: `a b`"
    );
    assert_eq!(
        message(r#"index = [{ url = "https://example.org/simple", format = "pep503" }]"#),
        "unknown variant `pep503`, expected `simple` or `flat`"
    );
}

#[test]
fn a_broken_entry_is_reported_before_file_rules() {
    // uv reads every entry before checking names and defaults across the array.
    let error = parse(
        r#"index = [{ name = "x", url = "https://a.org/simple" }, { name = "x", url = "https://b.org/simple" }, { url = "https://c.org/simple", explicit = true }]"#,
    )
    .expect_err("should fail");
    assert_eq!(error.key, key("tool.uv.index.2.explicit"));
}
