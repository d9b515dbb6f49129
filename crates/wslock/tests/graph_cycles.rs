//! `wslock graph` on members that require each other in a cycle: allowed (as in uv), shown as
//! edges in every format, and named as a cycle.

mod common;

use std::fs;
use std::path::Path;

use common::{redact, wslock};

/// A virtual workspace where `a` requires `b`, `b` requires `c` (through its `cli` extra) and
/// `c` requires `a` back, all through `{ workspace = true }` sources; `d` stands apart.
fn cyclic_workspace(root: &Path) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    write(
        "pyproject.toml",
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n\n[tool.uv.sources]\n\
         a = { workspace = true }\nb = { workspace = true }\nc = { workspace = true }\n",
    );
    let member = |name: &str, extra: &str| {
        format!(
            "[project]\nname = \"{name}\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n{extra}"
        )
    };
    write(
        "packages/a/pyproject.toml",
        &member("a", "dependencies = [\"b\"]\n"),
    );
    write(
        "packages/b/pyproject.toml",
        &member("b", "[project.optional-dependencies]\ncli = [\"c\"]\n"),
    );
    write(
        "packages/c/pyproject.toml",
        &member("c", "dependencies = [\"a; sys_platform != 'win32'\"]\n"),
    );
    write("packages/d/pyproject.toml", &member("d", ""));
}

#[test]
fn member_cycles_are_shown_in_every_format() {
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path().canonicalize().expect("canonical");
    cyclic_workspace(&root);
    let env = [("WSLOCK_ROOTS", root.as_path()), ("HOME", root.as_path())];
    let dir = root.to_str().expect("utf-8 temp dir");
    for format in ["text", "dot", "json"] {
        let run = wslock(&["graph", dir, "--format", format], &env);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let out = redact(&run.stdout, &root, "[ROOT]");
        insta::assert_snapshot!(format!("graph-cycle-{format}"), out);
    }
}
