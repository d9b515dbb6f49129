//! Replays the `pep508` fuzz target's crashers (`testdata/bad/fuzz-crashers/pep508-*`): each
//! once made the process panic; now each parses or fails with an error.

use std::fs;
use std::str::FromStr;

use wslock_pep::{
    canonical_marker, marker_for_extras, marker_string, parse_marker, parse_requirement,
    VersionSpecifiers,
};

#[path = "support/crashers.rs"]
mod support;

use support::crashers;

#[test]
fn pep508_crashers_do_not_panic() {
    let files = crashers("pep508-");
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match parse_requirement(text) {
            Ok(requirement) => {
                let marker = canonical_marker(&marker_for_extras(&requirement.marker, &[]));
                let _ = marker_string(&marker);
            }
            Err(error) => {
                let _ = error.to_string();
            }
        }
        match parse_marker(text) {
            Ok(marker) => {
                let _ = marker_string(&canonical_marker(&marker));
            }
            Err(error) => {
                let _ = error.to_string();
            }
        }
        let _ = VersionSpecifiers::from_str(text);
    }
}
