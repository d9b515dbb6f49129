//! Replays the `metadata` fuzz target's crashers (`testdata/bad/fuzz-crashers/metadata-*`):
//! each once made the process panic; now each parses or fails with a `MetadataParseError`.

use std::fs;
use std::path::{Path, PathBuf};

use wslock_index::CoreMetadata;

fn crashers(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/bad/fuzz-crashers");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("testdata/bad/fuzz-crashers is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(prefix))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn metadata_crashers_do_not_panic() {
    for path in crashers("metadata-") {
        let bytes = fs::read(&path).unwrap();
        if let Err(error) = CoreMetadata::parse(&bytes) {
            let _ = error.to_string();
        }
    }
}
