//! Replays the `pyproject` fuzz target's crashers (`testdata/bad/fuzz-crashers/pyproject-*`):
//! each once made the process panic; now each parses or fails with a `ManifestError`.

use std::fs;
use std::path::Path;

use wslock_workspace::pyproject;

#[path = "../../wslock-pep/tests/support/crashers.rs"]
mod support;

use support::crashers;

#[test]
fn pyproject_crashers_do_not_panic() {
    let files = crashers("pyproject-");
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Err(error) = pyproject::parse(&path, text) {
            let _ = error.to_string();
        }
        if let Err(error) = pyproject::parse_uv_toml(&path, text) {
            let _ = error.to_string();
        }
    }
}

/// The first crasher: an extra name ending in `-` in `project.dependencies` is an error that
/// names the key, not a panic inside `pep508_rs`.
#[test]
fn extra_ending_in_a_dash_is_an_invalid_requirement() {
    let text = "[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"a[with-]b\"]\n";
    let error = pyproject::parse(Path::new("pyproject.toml"), text).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("project.dependencies"), "{message}");
    assert!(
        message.contains("Extra name must end with an alphanumeric character"),
        "{message}"
    );
}

/// A source's `marker` goes through `wslock_pep::parse_marker`: `pep508_rs` panics on a word
/// after an expression that ends inside a multi-byte character.
#[test]
fn source_marker_with_misplaced_non_ascii_is_an_error() {
    let text = "[project]\nname = \"app\"\nversion = \"0.1.0\"\n\
                [tool.uv.sources]\na = { index = \"x\", marker = \"os_name == 'nt' aé\" }\n";
    let error = pyproject::parse(Path::new("pyproject.toml"), text).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("invalid marker"), "{message}");
}
