//! wslock against what uv 0.13.8 did on the same fixtures, from every recorded start directory.
//!
//! `testdata/workspaces/uv-observed.tsv` is derived from `UV-OBSERVED.md`, which
//! `observe-uv.sh` recorded by running the real `uv lock` (project discovery) on copies of the
//! fixtures. Recording needs uv; this comparison does not, so it runs offline in CI.
//!
//! Per row it checks discovery (`wslock members`: root and member names), the merge
//! (`wslock graph`: how each member is locked, virtual/editable/directory, and its path
//! relative to the root), and that uv's lock-time errors are our merge-time errors.

mod common;

use std::fs;
use std::path::Path;

use common::{workspaces_dir, wslock};

/// Where uv's answer depends on the start directory and wslock's does not, on purpose
/// (docs/workspace-discovery.md): an unmanaged project root is refused from every start.
const DEPARTURES: &[(&str, &str)] = &[("error-unmanaged", "packages/a")];

/// uv errors that happen after discovery (requires-python intersection, lowering sources):
/// discovery itself succeeds, and the merge (`wslock requirements`) is where they belong.
fn is_lock_stage_error(message: &str) -> bool {
    message.starts_with("error: Found conflicting Python requirements")
        || message.starts_with("error: Failed to build")
}

#[test]
fn discovery_agrees_with_uv_from_every_recorded_start() {
    let dir = workspaces_dir();
    let table = fs::read_to_string(dir.join("uv-observed.tsv")).expect("uv-observed.tsv exists");
    let (mut agreed, mut departures, mut later_stage, mut kinds_checked) = (0, 0, 0, 0);
    for line in table.lines().filter(|line| !line.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [fixture, start, uv_exit, uv_root, uv_members, uv_kinds] = fields[..] else {
            panic!("malformed row {line:?}");
        };
        let fixture_dir = dir.join(fixture);
        let start_dir = fixture_dir.join(start);
        let run = wslock(
            &["members", start_dir.to_str().unwrap(), "--format", "json"],
            &[("WSLOCK_ROOTS", &dir), ("HOME", &dir)],
        );
        let case = format!("{fixture} from {start}: {}", run.stderr);
        if DEPARTURES.contains(&(fixture, start)) {
            assert_eq!(uv_exit, "0", "{case}: the departure is no longer one");
            assert_eq!(run.status, 2, "{case}");
            departures += 1;
            continue;
        }
        match uv_exit {
            "0" => {
                assert_eq!(run.status, 0, "{case}");
                let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                let root = Path::new(report["root"].as_str().unwrap());
                let relative = root.strip_prefix(&fixture_dir).unwrap_or(root);
                let relative = if relative.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    relative
                };
                assert_eq!(relative, Path::new(uv_root), "{case}");
                let mut names: Vec<&str> = report["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|member| member["name"].as_str().unwrap())
                    .collect();
                names.sort_unstable();
                assert_eq!(names.join(","), uv_members, "{case}");
                assert_eq!(member_kinds(&start_dir, &dir), uv_kinds, "{case}");
                kinds_checked += 1;
                agreed += 1;
            }
            _ if is_lock_stage_error(uv_members) => {
                assert_eq!(run.status, 0, "{case}: discovery itself should succeed");
                let merged = wslock(
                    &["requirements", start_dir.to_str().unwrap()],
                    &[("WSLOCK_ROOTS", &dir), ("HOME", &dir)],
                );
                assert_eq!(
                    merged.status, 2,
                    "{case}: the merge should fail like uv's lock: {uv_members}"
                );
                later_stage += 1;
            }
            _ => {
                assert_eq!(run.status, 2, "{case}: uv said {uv_members}");
                agreed += 1;
            }
        }
    }
    assert!(agreed >= 100, "only {agreed} rows agreed");
    assert!(
        kinds_checked >= 60,
        "only {kinds_checked} rows had their member kinds checked"
    );
    assert_eq!(departures, DEPARTURES.len());
    assert_eq!(later_stage, 7, "rows with uv lock-time errors");
}

/// `name=kind:path` for every member, as `wslock graph` sees them, in the table's form.
fn member_kinds(start: &Path, workspaces: &Path) -> String {
    let run = wslock(
        &["graph", start.to_str().unwrap(), "--format", "json"],
        &[("WSLOCK_ROOTS", workspaces), ("HOME", workspaces)],
    );
    assert_eq!(
        run.status,
        0,
        "graph from {}: {}",
        start.display(),
        run.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let root = Path::new(report["root"].as_str().unwrap());
    let mut kinds: Vec<String> = report["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| {
            let path = Path::new(member["path"].as_str().unwrap());
            let relative = wslock::workspace::paths::relative_path(path, root);
            format!(
                "{}={}:{}",
                member["name"].as_str().unwrap(),
                member["kind"].as_str().unwrap(),
                relative.display()
            )
        })
        .collect();
    kinds.sort();
    kinds.join(",")
}
