//! Replays the `metadata` fuzz target's crashers (`testdata/bad/fuzz-crashers/metadata-*`):
//! each once made the process panic; now each parses or fails with a `MetadataParseError`.

use std::fs;

use wslock_index::CoreMetadata;

#[path = "../../wslock-pep/tests/support/crashers.rs"]
mod support;

use support::crashers;

#[test]
fn metadata_crashers_do_not_panic() {
    for path in crashers("metadata-") {
        let bytes = fs::read(&path).unwrap();
        if let Err(error) = CoreMetadata::parse(&bytes) {
            let _ = error.to_string();
        }
    }
}
