//! Acceptance by uv itself: our `uv.lock` for each workspace, checked with
//! `uv lock --locked --offline --no-cache`. Runs only when a uv binary is found (`WSLOCK_UV`,
//! `uv` on `PATH`, or `/tmp/uvenv/bin/uv`); otherwise it says it skipped.
//!
//! uv accepts a lock as up to date when its inputs (members, their kinds, versions and
//! `[package.metadata]`, `[manifest]`) match the workspace; it does not re-resolve then. So this
//! proves the input half of the plan; `uv_equality.rs` compares the whole file with uv's own.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture_plan, fixture_start, scenario_plan, testdata, MEMBER_ONLY_FIXTURES};

fn find_uv() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("WSLOCK_UV") {
        return Some(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("uv"))
            .find(|candidate| candidate.is_file())
    });
    on_path.or_else(|| Some(PathBuf::from("/tmp/uvenv/bin/uv")).filter(|p| p.is_file()))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `uv lock --locked` in `dir`; `Ok` when uv accepts the lock, `Err(stderr)` otherwise.
fn uv_locked(uv: &Path, dir: &Path, extra: &[&str]) -> Result<(), String> {
    let output = Command::new(uv)
        .args(["lock", "--locked", "--offline", "--no-cache"])
        .args(extra)
        .current_dir(dir)
        .env("UV_NO_CONFIG", "1")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .output()
        .map_err(|e| format!("could not run {}: {e}", uv.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Copies a fixture, writes `lock` as its `uv.lock` and asks uv.
fn check_fixture(uv: &Path, fixture: &str, lock: &str) -> Result<(), String> {
    let temp = tempfile::tempdir().unwrap();
    let copy = temp.path().join(fixture);
    copy_dir(&testdata().join("workspaces").join(fixture), &copy);
    let start = copy.join(fixture_start(fixture));
    fs::write(start.join("uv.lock"), lock).unwrap();
    let result = uv_locked(uv, &start, &[]);
    let after = fs::read_to_string(start.join("uv.lock")).unwrap();
    assert_eq!(
        after, lock,
        "{fixture}: `uv lock --locked` must not rewrite the lock"
    );
    result
}

#[test]
fn uv_accepts_our_lock_for_every_member_only_fixture() {
    let Some(uv) = find_uv() else {
        eprintln!("skipped: no uv binary (set WSLOCK_UV, or put uv on PATH)");
        return;
    };
    let mut rejected = Vec::new();
    for fixture in MEMBER_ONLY_FIXTURES {
        match check_fixture(&uv, fixture, &fixture_plan(fixture).to_toml()) {
            Ok(()) => eprintln!("uv --locked accepts {fixture}"),
            Err(stderr) => rejected.push(format!("{fixture}:\n{stderr}")),
        }
    }
    assert!(rejected.is_empty(), "uv rejected:\n{}", rejected.join("\n"));
}

#[test]
fn uv_rejects_a_plan_whose_inputs_are_wrong() {
    let Some(uv) = find_uv() else {
        eprintln!("skipped: no uv binary (set WSLOCK_UV, or put uv on PATH)");
        return;
    };
    // The control: without it, a uv that accepted anything would pass the test above.
    let mut plan = fixture_plan("dev-groups-extras");
    let a = plan
        .packages
        .iter_mut()
        .find(|p| p.name.as_ref() == "a")
        .unwrap();
    a.metadata.requires_dev.clear();
    let result = check_fixture(&uv, "dev-groups-extras", &plan.to_toml());
    assert!(result.is_err(), "uv accepted a lock without `a`'s groups");
}

#[test]
fn uv_accepts_our_lock_for_the_reference_scenarios() {
    let Some(uv) = find_uv() else {
        eprintln!("skipped: no uv binary (set WSLOCK_UV, or put uv on PATH)");
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let links = temp.path().join("links");
    let made = Command::new("python3")
        .arg(testdata().join("lock/mkwheel.py"))
        .arg(&links)
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: python3 could not write the find-links directory");
        return;
    }
    let check = |scenario: &str, plan: &wslock_lock::LockPlan| {
        let copy = temp.path().join(scenario);
        if !copy.exists() {
            copy_dir(&common::scenario_dir(scenario), &copy);
        }
        fs::write(copy.join("uv.lock"), plan.to_toml()).unwrap();
        uv_locked(&uv, &copy, &["--no-index", "--find-links", "../links"])
    };
    let mut rejected = Vec::new();
    // `url-index` needs its HTTP index running; uv checks that the index is reachable.
    for scenario in [
        "extras-groups",
        "forks",
        "group-requires-python",
        "markers",
        "virtual-root",
    ] {
        match check(scenario, &scenario_plan(scenario).0) {
            Ok(()) => eprintln!("uv --locked accepts scenario {scenario}"),
            Err(stderr) => rejected.push(format!("{scenario}:\n{stderr}")),
        }
    }
    assert!(rejected.is_empty(), "uv rejected:\n{}", rejected.join("\n"));
}
