//! The fuzz targets' crash inputs kept in `testdata/bad/fuzz-crashers/`, for the crates whose
//! tests replay them (each includes this file with `#[path]`; the crates share no test crate).

use std::fs;
use std::path::{Path, PathBuf};

/// The crash inputs whose file name starts with `prefix` (a fuzz target's name and `-`), in
/// name order. There is always at least one: an empty list would make a replay pass on nothing.
pub fn crashers(prefix: &str) -> Vec<PathBuf> {
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
    assert!(!files.is_empty(), "no crash inputs named {prefix}*");
    files
}
