//! `requires-python` as a range of Python versions, so ranges can be intersected.

use std::fmt;
use std::ops::Bound;

use pep440_rs::{release_specifiers_to_ranges, Version, VersionSpecifiers};
use version_ranges::Ranges;

/// A `requires-python` value: the specifiers as written and the range of release versions
/// they allow.
///
/// Python versions are compared with release-only semantics (`3.13.0b1` counts as `3.13.0`),
/// as uv and pip do for interpreter compatibility, so `>=3.11.0b1` allows `3.11.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiresPython {
    range: Ranges<Version>,
}

impl RequiresPython {
    /// The range of one specifier set.
    pub fn from_specifiers(specifiers: &VersionSpecifiers) -> Self {
        Self {
            range: release_specifiers_to_ranges(specifiers.clone()),
        }
    }

    /// Every Python version.
    pub fn any() -> Self {
        Self {
            range: Ranges::full(),
        }
    }

    /// The versions both allow.
    pub fn intersect(&self, other: &Self) -> Self {
        Self {
            range: self.range.intersection(&other.range),
        }
    }

    /// Whether no Python version is allowed.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// Whether the two share no Python version.
    pub fn is_disjoint(&self, other: &Self) -> bool {
        self.intersect(other).is_empty()
    }

    /// Whether `version` is allowed (release-only comparison).
    pub fn contains(&self, version: &Version) -> bool {
        self.range.contains(&version.clone().only_release())
    }

    /// The range in canonical specifier form, as uv writes it into `uv.lock`
    /// (`>=3.9, !=3.10.*, <4`).
    pub fn specifiers(&self) -> VersionSpecifiers {
        VersionSpecifiers::from_release_only_bounds(self.range.iter())
    }

    /// The range itself, for range algebra.
    pub fn range(&self) -> &Ranges<Version> {
        &self.range
    }

    /// A range built from version bounds (release-only semantics, like the rest).
    pub fn from_range(range: Ranges<Version>) -> Self {
        Self { range }
    }

    /// The marker that holds exactly on these Python versions.
    pub fn marker(&self) -> crate::MarkerTree {
        let mut marker = crate::MarkerTree::FALSE;
        for (lower, upper) in self.range.iter() {
            let single = Ranges::from_range_bounds((lower.clone(), upper.clone()));
            let specifiers = VersionSpecifiers::from_release_only_bounds(single.iter());
            marker.or(crate::python_marker(&specifiers));
        }
        marker
    }

    /// The lowest allowed version and whether it is included, if bounded below.
    pub fn lower_bound(&self) -> Option<(&Version, bool)> {
        match self.range.bounding_range()?.0 {
            Bound::Included(version) => Some((version, true)),
            Bound::Excluded(version) => Some((version, false)),
            Bound::Unbounded => None,
        }
    }
}

impl fmt::Display for RequiresPython {
    /// Specifiers joined by `, `, like uv's lock files.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.specifiers().iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rp(text: &str) -> RequiresPython {
        RequiresPython::from_specifiers(&text.parse().unwrap())
    }

    #[test]
    fn intersections_print_like_uv() {
        let meet = |a: &str, b: &str| rp(a).intersect(&rp(b)).to_string();
        assert_eq!(meet(">=3.9", ">=3.10,<3.14"), ">=3.10, <3.14");
        assert_eq!(
            rp(">=3.9")
                .intersect(&rp(">=3.10,<3.14"))
                .intersect(&rp(">=3.11.2"))
                .to_string(),
            ">=3.11.2, <3.14"
        );
        assert_eq!(meet(">=3.9,!=3.10.*", "~=3.9"), ">=3.9, !=3.10.*, <4");
        assert_eq!(meet(">=3.11.0b1", ">=3.10"), ">=3.11.0");
        assert!(rp(">=3.12").is_disjoint(&rp("<3.10")));
        assert!(!rp(">=3.10").is_disjoint(&rp("<=3.10")));
    }

    #[test]
    fn contains_uses_release_only_semantics() {
        let range = rp(">=3.13");
        assert!(range.contains(&"3.13.0b1".parse().unwrap()));
        assert!(!range.contains(&"3.12.9".parse().unwrap()));
        assert_eq!(
            range.lower_bound().map(|(v, inc)| (v.to_string(), inc)),
            Some(("3.13".into(), true))
        );
        assert_eq!(RequiresPython::any().lower_bound(), None);
    }
}
