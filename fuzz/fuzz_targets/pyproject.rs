//! `pyproject.toml` and `uv.toml` parsing: any text gives a model or a `ManifestError` whose
//! message (which quotes the file and points into it) can be formatted, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use wslock_workspace::pyproject;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match pyproject::parse(Path::new("/fuzz/pyproject.toml"), text) {
        Ok(manifest) => {
            let _ = manifest.is_unmanaged();
            let _ = manifest.workspace();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    if let Err(error) = pyproject::parse_uv_toml(Path::new("/fuzz/uv.toml"), text) {
        let _ = error.to_string();
    }
});
