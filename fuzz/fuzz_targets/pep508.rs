//! PEP 508 requirements, markers and PEP 440 specifiers, through `wslock-pep` (the only crate
//! that may call `pep508_rs`), followed by the marker helpers the resolver applies to every
//! requirement it reads: uv-style canonical markers, extras decided, simplification under
//! `requires-python`, specifier ranges. The input is one line of text, so seeds are readable.
#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use wslock_pep::{
    canonical_marker, extra_name, marker_and, marker_for_extras, marker_implies, marker_or,
    marker_string, package_name, parse_marker, parse_requirement, python_marker,
    simplify_for_python, specifier_ranges, GroupName, MarkerTree, RequiresPython, Version,
    VersionSpecifiers,
};

fn exercise_marker(marker: &MarkerTree, extras: &[wslock_pep::ExtraName]) {
    let _ = marker_string(marker);
    let canonical = canonical_marker(marker);
    let _ = marker_string(&canonical);
    let _ = marker_for_extras(marker, &[]);
    let _ = marker_for_extras(marker, extras);
    let _ = marker_implies(marker, &canonical);
    let _ = marker_or(marker, &marker.negate());
    let _ = marker_and(marker, &canonical);
    for python in [">=3.8", ">=3.10, <3.13", "==3.12.*"] {
        let requires = RequiresPython::from_specifiers(&python.parse().unwrap());
        let _ = marker_string(&simplify_for_python(marker, &requires));
    }
}

fn exercise_specifiers(specifiers: &VersionSpecifiers) {
    let _ = specifier_ranges(specifiers);
    let requires = RequiresPython::from_specifiers(specifiers);
    let _ = requires.to_string();
    let _ = requires.specifiers().to_string();
    let _ = requires.lower_bound();
    let _ = marker_string(&requires.marker());
    let _ = marker_string(&python_marker(specifiers));
    let _ = requires.intersect(&RequiresPython::any()).is_empty();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = package_name(text);
    let _ = GroupName::from_str(text);
    let extras: Vec<_> = text.split(',').filter_map(|e| extra_name(e).ok()).collect();
    if let Ok(version) = Version::from_str(text) {
        let _ = version.to_string();
    }
    if let Ok(specifiers) = VersionSpecifiers::from_str(text) {
        exercise_specifiers(&specifiers);
    }
    match parse_marker(text) {
        Ok(marker) => exercise_marker(&marker, &extras),
        Err(error) => {
            let _ = error.to_string();
        }
    }
    match parse_requirement(text) {
        Ok(requirement) => {
            let _ = requirement.to_string();
            exercise_marker(&requirement.marker, &requirement.extras);
            if let Some(wslock_pep::VersionOrUrl::VersionSpecifier(specifiers)) =
                &requirement.version_or_url
            {
                exercise_specifiers(specifiers);
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
