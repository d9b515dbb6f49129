//! `wslock members`, `graph` and `requirements` on every fixture under `testdata/workspaces/`,
//! snapshotted, plus the check that discovery from each member directory agrees with
//! discovery from the root.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{redact, workspaces_dir, wslock, Run};

const TOKEN: &str = "[WORKSPACES]";

fn fixtures() -> Vec<PathBuf> {
    let mut fixtures: Vec<PathBuf> = fs::read_dir(workspaces_dir())
        .expect("testdata/workspaces is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    fixtures.sort();
    fixtures
}

/// Where to start in a fixture: the fixture itself if it is a project directory, otherwise
/// each immediate subdirectory that is (for layouts such as a root beside a peer project).
fn start_dirs(fixture: &Path) -> Vec<PathBuf> {
    if fixture.join("pyproject.toml").is_file() {
        return vec![fixture.to_path_buf()];
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixture)
        .expect("fixture is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("pyproject.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn run(command: &str, start: &Path, format: &str) -> Run {
    let dir = workspaces_dir();
    let start = start.to_str().expect("fixture paths are UTF-8");
    let links = dir.join("../find-links");
    let mut args = vec![command, start, "--format", format];
    if command == "plan" {
        // Members only, but a plan still needs a package source to be configured.
        args.extend(["--no-index", "--find-links", links.to_str().expect("UTF-8")]);
    }
    wslock(&args, &[("WSLOCK_ROOTS", &dir), ("HOME", &dir)])
}

fn members(start: &Path, format: &str) -> Run {
    run("members", start, format)
}

fn describe(command: &str, start: &Path, format: &str, run: &Run) -> String {
    let dir = workspaces_dir();
    format!(
        "$ wslock {command} {} --format {format}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        redact(&start.display().to_string(), &dir, TOKEN),
        run.status,
        redact(&run.stdout, &dir, TOKEN),
        redact(&run.stderr, &dir, TOKEN),
    )
}

/// Every command in every format it has, from every start directory of every fixture: one
/// snapshot per fixture and command (`<fixture>`, `<fixture>@graph`, `<fixture>@requirements`).
#[test]
fn every_fixture_matches_its_snapshots() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 20,
        "expected the fixture corpus, found {}",
        fixtures.len()
    );
    let commands: [(&str, &str, &[&str]); 4] = [
        ("members", "", &["text", "json"]),
        ("graph", "@graph", &["text", "json", "dot"]),
        ("requirements", "@requirements", &["text", "json"]),
        ("plan", "@plan", &["toml"]),
    ];
    for fixture in fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        for (command, suffix, formats) in commands {
            let mut report = String::new();
            for start in start_dirs(&fixture) {
                for format in formats {
                    let run = run(command, &start, format);
                    assert!(
                        run.status == 0
                            || run.status == 2
                            || (command == "plan" && run.status == 1),
                        "{name}: `{command}` exit status {} is neither success nor bad input",
                        run.status
                    );
                    assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
                    report.push_str(&describe(command, &start, format, &run));
                    report.push('\n');
                }
            }
            insta::assert_snapshot!(format!("{name}{suffix}"), report);
        }
    }
}

/// The member-only fixtures' plans are the locks uv 0.13.8 wrote for them
/// (`testdata/lock/member-only/<fixture>.uv.lock`), byte for byte.
#[test]
fn member_only_plans_are_the_locks_uv_writes() {
    let references = workspaces_dir().join("../lock/member-only");
    let mut compared = 0;
    for entry in fs::read_dir(&references).expect("testdata/lock/member-only is readable") {
        let path = entry.expect("entry").path();
        let Some(fixture) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".uv.lock"))
        else {
            continue;
        };
        let mut start = workspaces_dir().join(fixture);
        if !start.join("pyproject.toml").is_file() {
            start = start.join("ws");
        }
        let planned = run("plan", &start, "toml");
        assert_eq!(planned.status, 0, "{fixture}: {}", planned.stderr);
        let expected = fs::read_to_string(&path).expect("reference is readable");
        assert_eq!(
            planned.stdout, expected,
            "{fixture}: the plan differs from uv's lock"
        );
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} fixtures compared");
}

/// R1.5: from inside a member, the upward search reaches the root only when the member lies
/// below the root with no other manifest in between; otherwise the member is its own workspace.
fn reaches_root_upward(member: &Path, root: &Path) -> bool {
    member.starts_with(root)
        && member
            .ancestors()
            .skip(1)
            .take_while(|dir| *dir != root)
            .all(|dir| !dir.join("pyproject.toml").is_file())
}

#[test]
fn discovery_from_every_member_agrees_with_the_root() {
    let mut checked = 0;
    for fixture in fixtures() {
        for start in start_dirs(&fixture) {
            let from_root = members(&start, "json");
            if from_root.status != 0 {
                continue;
            }
            let report: serde_json::Value =
                serde_json::from_str(&from_root.stdout).expect("members prints JSON");
            let root = PathBuf::from(report["root"].as_str().expect("root is a string"));
            for member in report["members"].as_array().expect("members is an array") {
                let path = PathBuf::from(member["path"].as_str().expect("path is a string"));
                for dir in [path.clone(), path.join("src")] {
                    if !dir.is_dir() {
                        continue;
                    }
                    let from_member = members(&dir, "json");
                    assert_eq!(
                        from_member.status,
                        0,
                        "{}: {}",
                        dir.display(),
                        from_member.stderr
                    );
                    let found: serde_json::Value =
                        serde_json::from_str(&from_member.stdout).unwrap();
                    if reaches_root_upward(&path, &root) {
                        assert_eq!(found, report, "from {}", dir.display());
                    } else {
                        assert_eq!(found["root"], member["path"], "from {}", dir.display());
                        assert_eq!(found["kind"], "project", "from {}", dir.display());
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} member directories were checked"
    );
}
