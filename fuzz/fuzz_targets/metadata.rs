//! Core metadata (`METADATA`, PEP 658 `.metadata`) as an index serves it: any bytes give a
//! `CoreMetadata` or a `MetadataParseError`. On success, every `Requires-Dist` goes through what
//! the resolver does with it (extras decided for each declared extra, canonical markers), since
//! an index's metadata is untrusted input too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wslock_index::CoreMetadata;
use wslock_pep::{canonical_marker, marker_for_extras, marker_string, specifier_ranges};

fuzz_target!(|data: &[u8]| {
    match CoreMetadata::parse(data) {
        Ok(metadata) => {
            for requirement in &metadata.requires_dist {
                let _ = requirement.to_string();
                let _ = marker_string(&canonical_marker(&marker_for_extras(
                    &requirement.marker,
                    &[],
                )));
                for extra in &metadata.provides_extra {
                    let _ = canonical_marker(&marker_for_extras(
                        &requirement.marker,
                        std::slice::from_ref(extra),
                    ));
                }
            }
            if let Some(python) = &metadata.requires_python {
                let _ = specifier_ranges(python);
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
