//! Byte-for-byte equality with the `uv.lock` that uv 0.13.8 wrote for the same workspace.

mod common;

use common::{fixture_plan, reference, MEMBER_ONLY_FIXTURES};

#[test]
fn member_only_fixtures_match_uv_byte_for_byte() {
    let mut mismatches = Vec::new();
    for fixture in MEMBER_ONLY_FIXTURES {
        let ours = fixture_plan(fixture).to_toml();
        let theirs = reference(&format!("member-only/{fixture}.uv.lock"));
        if ours != theirs {
            mismatches.push(format!(
                "--- {fixture}: uv\n{theirs}\n--- {fixture}: wslock\n{ours}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn reference_scenarios_match_uv_byte_for_byte() {
    let mut mismatches = Vec::new();
    for scenario in common::RESOLVABLE_SCENARIOS {
        // `markers` holds a fork marker that pep508_rs prints differently (same marker), and
        // the graph stage turns one group `requires-python` of `group-requires-python` into a
        // different marker than uv: both have their own test below.
        if scenario == "markers" || scenario == "group-requires-python" {
            continue;
        }
        let (plan, theirs) = common::scenario_plan(scenario);
        let ours = plan.to_toml();
        if ours != theirs {
            mismatches.push(format!(
                "=== {scenario}\n{}",
                common::line_diff(&theirs, &ours)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_markers_scenario_matches_uv_but_for_one_fork_marker_spelling() {
    let (plan, theirs) = common::scenario_plan("markers");
    let ours = plan.to_toml();
    assert_ne!(
        ours, theirs,
        "pep508_rs now prints like uv: move `markers` to the byte test"
    );
    common::assert_same_but_known_spellings("markers", &theirs, &ours);
}

/// uv turns a group's `requires-python` into a marker from its bounds only (`!=3.12.*` adds
/// nothing; `>=3.11,!=3.12.*` gives `>= '3.11'`), and so does the graph stage.
#[test]
fn group_requires_python_matches_uv() {
    let (plan, theirs) = common::scenario_plan("group-requires-python");
    assert_eq!(common::line_diff(&theirs, &plan.to_toml()), "");
}
