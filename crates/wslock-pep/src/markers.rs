//! Small value-style helpers over `MarkerTree`, whose own `and`/`or` mutate in place.

use pep440_rs::VersionSpecifiers;
use pep508_rs::marker::{MarkerExpression, MarkerValueVersion};
use pep508_rs::MarkerTree;

/// `a and b`.
pub fn marker_and(a: &MarkerTree, b: &MarkerTree) -> MarkerTree {
    let mut both = a.clone();
    both.and(b.clone());
    both
}

/// `a or b`.
pub fn marker_or(a: &MarkerTree, b: &MarkerTree) -> MarkerTree {
    let mut either = a.clone();
    either.or(b.clone());
    either
}

/// Whether every environment that satisfies `a` satisfies `b`.
pub fn marker_implies(a: &MarkerTree, b: &MarkerTree) -> bool {
    marker_and(a, &b.negate()).is_false()
}

/// The marker that holds exactly on the Python versions `specifiers` allows
/// (`python_full_version >= '3.10' and python_full_version < '4'`).
pub fn python_marker(specifiers: &VersionSpecifiers) -> MarkerTree {
    let mut marker = MarkerTree::TRUE;
    for specifier in specifiers.iter() {
        marker.and(MarkerTree::expression(MarkerExpression::Version {
            key: MarkerValueVersion::PythonFullVersion,
            specifier: specifier.clone(),
        }));
    }
    marker
}

/// The marker as uv writes it (`None` for the always-true marker).
pub fn marker_string(marker: &MarkerTree) -> Option<String> {
    marker.try_to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> MarkerTree {
        text.parse().unwrap()
    }

    #[test]
    fn combinators() {
        let linux = m("sys_platform == 'linux'");
        assert!(marker_or(&linux, &linux.negate()).is_true());
        assert!(marker_and(&linux, &m("sys_platform == 'win32'")).is_false());
        assert!(marker_implies(
            &marker_and(&linux, &m("python_version >= '3.10'")),
            &linux
        ));
        assert!(!marker_implies(&linux, &m("python_version >= '3.10'")));
    }

    #[test]
    fn python_markers_follow_the_specifiers() {
        let marker = python_marker(&">=3.10, <3.12".parse().unwrap());
        assert_eq!(
            marker_string(&marker).unwrap(),
            "python_full_version >= '3.10' and python_full_version < '3.12'"
        );
        assert!(python_marker(&VersionSpecifiers::empty()).is_true());
    }
}
