//! PEP 440 versions and PEP 508 names, requirements and markers, as wslock uses them.
//!
//! Every other wslock crate reaches `pep440_rs` and `pep508_rs` only through this crate. That
//! gives one place to carry our fixes for their known gaps (listed in the resolver notes:
//! local-version ranges, `==X.*` padding, `<V` with pre-releases, `~=` with a pre-release,
//! `platform_system` as an alias of `sys_platform`), so the rest of the code never meets them.
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
pub use markers::{marker_and, marker_implies, marker_or, marker_string, python_marker};
pub use names::{extra_name, package_name, NameError};
pub use pep440_rs::{
    Version, VersionParseError, VersionSpecifier, VersionSpecifiers, VersionSpecifiersParseError,
};
pub use pep508_rs::{ExtraName, MarkerTree, PackageName, Pep508Error, VersionOrUrl};
pub use requires_python::RequiresPython;

/// A PEP 508 requirement with an optional direct URL, as written in `pyproject.toml`.
pub type Requirement = pep508_rs::Requirement<pep508_rs::VerbatimUrl>;
