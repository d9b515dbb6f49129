//! The binary's ceiling flags and environment, and its error contract (exit 2, message, hint).

mod common;

use std::fs;
use std::path::Path;

use common::{redact, wslock};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const GREEDY_ROOT: &str = "[tool.uv.workspace]\nmembers = [\"home/proj\", \"work/proj\"]\n";
const PROJECT: &str = "[project]\nname = \"proj\"\nversion = \"1.0\"\n";

#[test]
fn home_is_a_ceiling_when_wslock_roots_is_unset() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    write(&base.join("pyproject.toml"), GREEDY_ROOT);
    write(&base.join("home/proj/pyproject.toml"), PROJECT);
    let start = base.join("home/proj");
    let run = wslock(
        &["members", start.to_str().unwrap(), "--format", "json"],
        &[("HOME", &base.join("home"))],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["root"], start.to_str().unwrap());
    assert_eq!(report["kind"], "project");
    assert_eq!(run.stderr, "", "inside a ceiling there is no warning");
}

#[test]
fn root_flags_and_the_variable_bound_the_search() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    write(&base.join("pyproject.toml"), GREEDY_ROOT);
    write(&base.join("work/proj/pyproject.toml"), PROJECT);
    let start = base.join("work/proj");
    let start_arg = start.to_str().unwrap();

    // The variable names the base: the outer workspace claims the project.
    let run = wslock(
        &["members", start_arg, "--format", "json"],
        &[("WSLOCK_ROOTS", base), ("HOME", base)],
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["root"], base.to_str().unwrap());

    // A `--root` below it is nearer and wins.
    let work = base.join("work");
    let run = wslock(
        &[
            "--root",
            work.to_str().unwrap(),
            "members",
            start_arg,
            "--format",
            "json",
        ],
        &[("WSLOCK_ROOTS", base), ("HOME", base)],
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["root"], start_arg);
}

#[test]
fn outside_every_ceiling_one_warning_is_printed() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    write(&base.join("work/proj/pyproject.toml"), PROJECT);
    let elsewhere = base.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let start = base.join("work/proj");
    let run = wslock(
        &["members", start.to_str().unwrap()],
        &[("WSLOCK_ROOTS", &elsewhere), ("HOME", &elsewhere)],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is outside every ceiling root"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("WSLOCK_ROOTS"), "{}", run.stderr);
    // -q silences warnings.
    let quiet = wslock(
        &["-q", "members", start.to_str().unwrap()],
        &[("WSLOCK_ROOTS", &elsewhere), ("HOME", &elsewhere)],
    );
    assert_eq!(quiet.stderr, "");
}

#[test]
fn no_workspace_isolates_a_member() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    write(&base.join("pyproject.toml"), GREEDY_ROOT);
    write(&base.join("work/proj/pyproject.toml"), PROJECT);
    let start = base.join("work/proj");
    let run = wslock(
        &[
            "members",
            "--no-workspace",
            start.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[("WSLOCK_ROOTS", base), ("HOME", base)],
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["root"], start.to_str().unwrap());
    assert_eq!(report["members"].as_array().unwrap().len(), 1);
}

#[test]
fn directory_flag_changes_the_start() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    write(&base.join("work/proj/pyproject.toml"), PROJECT);
    let run = wslock(
        &[
            "--directory",
            base.join("work/proj/").to_str().unwrap(),
            "members",
            "--format",
            "json",
        ],
        &[("WSLOCK_ROOTS", base), ("HOME", base)],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["members"][0]["name"], "proj");
}

#[test]
fn errors_exit_2_with_a_message_and_a_hint() {
    let temp = tempfile::tempdir().unwrap();
    let base = temp.path();
    fs::create_dir_all(base.join("empty")).unwrap();
    let run = wslock(
        &["members", base.join("empty").to_str().unwrap()],
        &[("WSLOCK_ROOTS", base), ("HOME", base)],
    );
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(redact(&run.stderr, base, "[TMP]"), @r"
    error: no `pyproject.toml` found in `[TMP]/empty` or any parent directory up to `[TMP]`
      hint: run inside a project, or widen the search with `--root`, `WSLOCK_ROOTS` or a `.wslock-root` file
    ");

    let missing = base.join("does-not-exist");
    let run = wslock(
        &["members", missing.to_str().unwrap()],
        &[("WSLOCK_ROOTS", base)],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.starts_with("error: project directory"),
        "{}",
        run.stderr
    );

    let usage = wslock(&["members", "--format", "yaml"], &[("WSLOCK_ROOTS", base)]);
    assert_eq!(usage.status, 2, "usage errors exit 2 too");
}

#[test]
fn bad_arguments_are_clear_errors() {
    let temp = tempfile::tempdir().unwrap();
    let run = wslock(
        &["graph", "--package", ""],
        &[("WSLOCK_ROOTS", temp.path())],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("not a valid package, extra or group name"),
        "{}",
        run.stderr
    );

    let missing = temp.path().join("nope");
    let run = wslock(
        &["--directory", missing.to_str().unwrap(), "members"],
        &[("WSLOCK_ROOTS", temp.path())],
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.starts_with("error: cannot change to directory"),
        "{}",
        run.stderr
    );
}

/// A reader that stops early (`wslock members --format json | head`) is not an error. The
/// output is far larger than a pipe buffer and the reader is gone before the first write, so
/// the write must fail with a broken pipe, and the exit status must still be 0.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let temp = tempfile::tempdir().unwrap();
    for index in 0..800 {
        write(
            &temp.path().join(format!(
                "packages/member-with-a-long-name-{index:04}/pyproject.toml"
            )),
            &format!(
                "[project]\nname = \"member-with-a-long-name-{index:04}\"\nversion = \"1.0\"\n"
            ),
        );
    }
    write(
        &temp.path().join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_wslock"))
        .args(["members", temp.path().to_str().unwrap(), "--format", "json"])
        .env("WSLOCK_ROOTS", temp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
}
