//! Reading back what we write, and what uv writes.

mod common;

use std::fs;

use common::testdata;
use wslock_lock::LockPlan;

/// Every `uv.lock` recorded under `testdata/lock/`.
fn reference_locks() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![testdata().join("lock")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with("uv.lock") {
                let name = path
                    .strip_prefix(testdata())
                    .expect("inside")
                    .display()
                    .to_string();
                found.push((name, fs::read_to_string(&path).expect("utf-8")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn uv_locks_read_back_and_render_to_the_same_bytes() {
    let locks = reference_locks();
    assert!(locks.len() >= 20, "{} reference locks", locks.len());
    let mut failures = Vec::new();
    for (name, text) in &locks {
        match LockPlan::from_toml(text) {
            Ok(plan) => {
                let again = plan.to_toml();
                if &again != text {
                    if let Err(difference) = common::marker_spelling_differences(text, &again) {
                        failures.push(format!("{name}:\n{difference}"));
                    } else {
                        common::assert_same_but_known_spellings(name, text, &again);
                    }
                }
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn our_plans_read_back_to_the_same_plan_and_bytes() {
    let mut plans: Vec<(String, LockPlan)> = common::MEMBER_ONLY_FIXTURES
        .iter()
        .map(|fixture| (fixture.to_string(), common::fixture_plan(fixture)))
        .collect();
    for scenario in common::RESOLVABLE_SCENARIOS {
        plans.push((scenario.to_string(), common::scenario_plan(scenario).0));
    }
    for (name, plan) in plans {
        let toml = plan.to_toml();
        let back = LockPlan::from_toml(&toml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, plan, "{name}: the model changed on the way back");
        assert_eq!(
            back.to_toml(),
            toml,
            "{name}: the bytes changed on the way back"
        );
        let parsed: LockPlan = toml.parse().unwrap();
        assert_eq!(parsed.to_json(), plan.to_json(), "{name}");
    }
}

#[test]
fn the_same_input_gives_the_same_bytes_whatever_the_order() {
    let dir = common::scenario_dir("forks");
    let uv_lock = common::reference("scenarios/forks/uv.lock");
    let theirs = LockPlan::from_toml(&uv_lock).unwrap();
    let mut outputs = Vec::new();
    for round in 0..4 {
        // A fresh discovery and graph each time, and the resolution's lists shuffled.
        let workspace = common::workspace_at(&dir, &dir);
        let graph = common::graph_of(&workspace);
        let mut resolution = common::resolution_from_lock(&theirs, &dir, &graph);
        if round % 2 == 1 {
            resolution.packages.reverse();
            for package in &mut resolution.packages {
                package.dependencies.reverse();
                package.fork_markers.reverse();
            }
        }
        if round >= 2 {
            resolution.packages.rotate_left(3);
        }
        let plan = LockPlan::builder(&resolution, &graph)
            .workspace(&workspace)
            .build()
            .unwrap();
        outputs.push((plan.to_toml(), plan.to_json()));
    }
    assert!(outputs.windows(2).all(|pair| pair[0] == pair[1]));
}

#[test]
fn damaged_locks_are_errors_that_name_the_place() {
    let error = |text: &str| LockPlan::from_toml(text).unwrap_err().to_string();
    assert_eq!(
        error("version = 2\nrequires-python = \">=3.9\"\n"),
        "the lock file has `version = 2`, but only version 1 is understood"
    );
    assert!(
        error("version = 1\n").contains("requires-python"),
        "{}",
        error("version = 1\n")
    );
    assert!(
        error("version = 1\nrequires-python = \">=3.9\"\n[[package]\n")
            .starts_with("the lock file is not valid TOML")
    );
    let bad_source = "version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { somewhere = \"x\" }\n";
    assert_eq!(
        error(bad_source),
        "invalid `source` in the lock file (package `a`): expected one of `registry`, `git`, `url`, `path`, `directory`, `editable`, `virtual`, found keys [somewhere]"
    );
    let dangling = "version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"b\" }]\n";
    assert_eq!(
        error(dangling),
        "`a==1` depends on `b`, which is not a package of the plan"
    );
    let bad_marker =
        "version = 1\nrequires-python = \">=3.9\"\nresolution-markers = [\"sys_platform ==\"]\n";
    assert!(
        error(bad_marker)
            .starts_with("invalid `resolution-markers` in the lock file: `sys_platform ==`"),
        "{}",
        error(bad_marker)
    );
}
