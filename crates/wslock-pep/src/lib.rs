//! PEP 440 versions and PEP 508 names, requirements and markers, as wslock uses them.
//!
//! Every other wslock crate reaches `pep440_rs` and `pep508_rs` only through this crate, so there
//! is one place for our corrections to them. What this crate adds today:
//!
//! - checked name constructors ([`package_name`], [`extra_name`], [`GroupName`]): `pep508_rs`
//!   accepts the empty string as a name, uv does not;
//! - [`RequiresPython`]: `requires-python` as a range that can be intersected and printed the
//!   way uv writes it (release-only comparison, so `>=3.11.0b1` allows `3.11.0`);
//! - `platform_system` as an alias of `sys_platform` for Windows, Linux and Darwin
//!   ([`canonical_marker`]), as uv writes markers;
//! - [`possible_platforms`]: the `os_name`/`platform_system` and `sys_platform` pairs no
//!   interpreter reports (`os_name == 'posix' and sys_platform == 'win32'`), which uv's marker
//!   algebra knows and `pep508_rs`'s does not;
//! - marker helpers: value-style `and`/`or`/`implies`, [`marker_for_extras`] (decide every
//!   `extra ==` expression for a set of active extras, which `pep508_rs` cannot), markers from
//!   specifiers, and simplification against `requires-python`.
//!
//! - [`parse_requirement`] and [`parse_marker`]: the inputs `pep508_rs` 0.9.2 panics on (a name
//!   ending in `-`, `_` or `.`; a multi-byte character in the word after a marker expression)
//!   are errors. Parse requirements and markers with them, never with `from_str`.
//! - [`specifier_ranges`]: PEP 440 ranges with local versions handled as uv does (`==1.2`
//!   admits `1.2+cu121`, `>1.2` does not); `pep440_rs`'s own conversion gets these wrong. Its
//!   `contains` gaps (`==2.1.*` vs `2`, `<1.3a2` vs `1.3a1`) do not reach the resolver, which
//!   uses ranges only; tests pin both.
//! - `python_full_version ~= 'V'` in markers, which `pep508_rs` reads as if `V` had two
//!   segments (`~= '3.12.0'` as `>= '3.12' and < '4'`) and without its pre-release: expanded
//!   first into the comparisons `~=` stands for, read as uv reads them (`== '3.12.*'`).
//!
//! ```
//! use wslock_pep::{PackageName, GroupName};
//!
//! // PEP 503 normalisation: runs of `-`, `_` and `.` become one `-`, letters go lowercase.
//! let name: PackageName = "Foo_Bar".parse().unwrap();
//! assert_eq!(name.as_ref(), "foo-bar");
//! let group: GroupName = "Dev.Tools".parse().unwrap();
//! assert_eq!(group.as_str(), "dev-tools");
//! ```
#![deny(missing_docs)]

mod compatible_release;
mod group_name;
mod marker_scan;
mod markers;
mod names;
mod parse;
mod requires_python;

pub use group_name::GroupName;
pub use markers::{
    canonical_marker, marker_and, marker_for_extras, marker_implies, marker_or, marker_string,
    possible_platforms, python_marker, simplify_for_python,
};
pub use names::{extra_name, package_name, NameError};
pub use parse::{parse_marker, parse_requirement};
pub use pep440_rs::{
    LocalSegment, Version, VersionParseError, VersionSpecifier, VersionSpecifiers,
    VersionSpecifiersParseError,
};
pub use pep508_rs::{ExtraName, MarkerTree, PackageName, Pep508Error, VersionOrUrl};
pub use requires_python::RequiresPython;

pub use pep508_rs::marker::MarkerExpression;
pub use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

/// The `Ranges` type PubGrub resolves over: sets of versions.
pub use version_ranges::Ranges;

/// A PEP 508 requirement with an optional direct URL, as written in `pyproject.toml`. Parse one
/// with [`parse_requirement`], which turns the inputs `pep508_rs` panics on into errors.
pub type Requirement = pep508_rs::Requirement<pep508_rs::VerbatimUrl>;

/// The set of versions a specifier set allows, for PubGrub.
///
/// Pre-releases inside the bounds are part of the set; whether to pick them is the resolver's
/// policy (PEP 440's implicit exclusion), as in uv. Local versions follow PEP 440 and uv, which
/// `pep440_rs`'s own conversion does not: `==1.2` and `<=1.2` admit `1.2+cu121`, `!=1.2` and
/// `>1.2` exclude it (see [`local_aware_range`]).
pub fn specifier_ranges(specifiers: &VersionSpecifiers) -> Ranges<Version> {
    specifiers.iter().fold(Ranges::full(), |range, specifier| {
        range.intersection(&local_aware_range(specifier))
    })
}

/// The version a specifier set pins exactly: a lone `==V` or `===V`. Not `==V.*`, not a range
/// that happens to hold one version (`>=V,<=V`), not `==V` beside another specifier: uv 0.13.8
/// allows a yanked version only when a workspace requirement pins it this way (its
/// `AllowedYanks`), and these are the spellings it counts.
pub fn exact_pin(specifiers: &VersionSpecifiers) -> Option<&Version> {
    use pep440_rs::Operator;
    match specifiers.iter().collect::<Vec<_>>().as_slice() {
        [specifier] if matches!(specifier.operator(), Operator::Equal | Operator::ExactEqual) => {
            Some(specifier.version())
        }
        _ => None,
    }
}

/// The versions one specifier allows, with PEP 440's rule for local versions: a specifier
/// without a local part ignores the candidate's local part for `==`, `!=`, `<=` and `>`.
///
/// uv bounds "`V` and every local version of `V`" with a sentinel above all local parts; here
/// that bound is `V+18446744073709551615`, above any local part a real index serves (numeric
/// local segments sort above alphanumeric ones, and this is the largest number).
pub fn local_aware_range(specifier: &VersionSpecifier) -> Ranges<Version> {
    use pep440_rs::{LocalSegment, Operator};
    let version = specifier.version();
    if version.is_local() {
        return Ranges::from(specifier.clone());
    }
    let with_locals = || {
        version
            .clone()
            .with_local(vec![LocalSegment::Number(u64::MAX)])
    };
    let exactly = || {
        Ranges::from_range_bounds((
            std::ops::Bound::Included(version.clone()),
            std::ops::Bound::Included(with_locals()),
        ))
    };
    match specifier.operator() {
        Operator::Equal => exactly(),
        Operator::NotEqual => exactly().complement(),
        Operator::LessThanEqual => Ranges::lower_than(with_locals()),
        Operator::GreaterThan => Ranges::strictly_higher_than(with_locals()),
        _ => Ranges::from(specifier.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_versions_follow_pep_440() {
        let allows = |specifiers: &str, version: &str| {
            specifier_ranges(&specifiers.parse().unwrap()).contains(&version.parse().unwrap())
        };
        assert!(allows("==1.2", "1.2+cu121"));
        assert!(allows("==1.2", "1.2.0+local.7"));
        assert!(!allows("==1.2", "1.2.post1"));
        assert!(!allows("!=1.2", "1.2+cu121"));
        assert!(allows("!=1.2", "1.2.post1"));
        assert!(allows("<=1.2", "1.2+cu121"));
        assert!(!allows(">1.2", "1.2+cu121"));
        assert!(allows(">1.2", "1.2.post1"));
        assert!(allows(">=1.2", "1.2+cu121"));
        assert!(!allows("<1.2", "1.2+cu121"));
        assert!(allows("==1.2+cu121", "1.2+cu121"));
        assert!(!allows("==1.2+cu121", "1.2+cu118"));
        // Gaps of pep440_rs's `contains` that ranges never had.
        assert!(!allows("==2.1.*", "2"));
        assert!(allows("<1.3a2", "1.3a1"));
    }

    #[test]
    fn only_a_lone_equals_pins_exactly() {
        let pin =
            |specifiers: &str| exact_pin(&specifiers.parse().unwrap()).map(ToString::to_string);
        assert_eq!(pin("==2.1").as_deref(), Some("2.1"));
        assert_eq!(pin("===2.1").as_deref(), Some("2.1"));
        assert_eq!(pin("==2.1.*"), None);
        assert_eq!(pin(">=2.1,<=2.1"), None);
        assert_eq!(pin("==2.1,>=2"), None);
        assert_eq!(pin(">=2.1"), None);
        assert_eq!(pin(""), None);
    }
}
