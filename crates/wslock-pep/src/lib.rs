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
//! - marker helpers: value-style `and`/`or`/`implies`, [`marker_for_extras`] (decide every
//!   `extra ==` expression for a set of active extras, which `pep508_rs` cannot), markers from
//!   specifiers, and simplification against `requires-python`.
//!
//! Known gaps of `pep440_rs`/`pep508_rs` that are **not** corrected yet (the resolver notes list
//! them): local-version ranges (`==1.2` does not match `1.2+local` as a range), `~=` with a
//! pre-release in markers.
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

mod group_name;
mod markers;
mod names;
mod requires_python;

pub use group_name::GroupName;
pub use markers::{
    canonical_marker, marker_and, marker_for_extras, marker_implies, marker_or, marker_string,
    python_marker, simplify_for_python,
};
pub use names::{extra_name, package_name, NameError};
pub use pep440_rs::{
    Version, VersionParseError, VersionSpecifier, VersionSpecifiers, VersionSpecifiersParseError,
};
pub use pep508_rs::{ExtraName, MarkerTree, PackageName, Pep508Error, VersionOrUrl};
pub use requires_python::RequiresPython;

pub use pep508_rs::marker::MarkerExpression;
pub use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

/// The `Ranges` type PubGrub resolves over: sets of versions.
pub use version_ranges::Ranges;

/// A PEP 508 requirement with an optional direct URL, as written in `pyproject.toml`.
pub type Requirement = pep508_rs::Requirement<pep508_rs::VerbatimUrl>;

/// The set of versions a specifier set allows, for PubGrub.
///
/// Pre-releases inside the bounds are part of the set; whether to pick them is the resolver's
/// policy (PEP 440's implicit exclusion), as in uv.
pub fn specifier_ranges(specifiers: &VersionSpecifiers) -> Ranges<Version> {
    Ranges::from(specifiers.clone())
}
