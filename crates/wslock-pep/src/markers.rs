//! Small value-style helpers over `MarkerTree`, whose own `and`/`or` mutate in place.

use pep440_rs::VersionSpecifiers;
use pep508_rs::marker::{
    ExtraOperator, MarkerExpression, MarkerOperator, MarkerValueExtra, MarkerValueString,
    MarkerValueVersion,
};
use pep508_rs::{ExtraName, MarkerTree};

/// The environments real interpreters can report: no `os_name` and `sys_platform` (or
/// `platform_system` and `sys_platform`) pair that contradicts itself, such as
/// `os_name == 'posix' and sys_platform == 'win32'`.
///
/// PEP 508 does not forbid such pairs, but uv's marker algebra knows them to be impossible: a
/// fork `sys_platform == 'win32'` does not split again on `os_name == 'posix'`, and a marker
/// that only holds there is empty. `pep508_rs` treats the variables as independent, so the
/// resolver tests markers against this as well (the pairs are uv's).
pub fn possible_platforms() -> &'static MarkerTree {
    static POSSIBLE: std::sync::LazyLock<MarkerTree> = std::sync::LazyLock::new(|| {
        let mut impossible: Vec<String> = vec![
            "os_name == 'nt' and sys_platform == 'linux'".into(),
            "os_name == 'nt' and sys_platform == 'darwin'".into(),
            "os_name == 'nt' and sys_platform == 'ios'".into(),
            "os_name == 'posix' and sys_platform == 'win32'".into(),
        ];
        let systems = ["FreeBSD", "NetBSD", "OpenBSD", "SunOS", "iOS", "iPadOS"];
        let platforms = [
            "aix",
            "android",
            "emscripten",
            "ios",
            "linux",
            "darwin",
            "win32",
            "cygwin",
            "wasi",
        ];
        for system in systems {
            for platform in platforms {
                let apple_mobile = matches!(system, "iOS" | "iPadOS") && platform == "ios";
                if !apple_mobile {
                    impossible.push(format!(
                        "platform_system == '{system}' and sys_platform == '{platform}'"
                    ));
                }
            }
        }
        let mut any_impossible = MarkerTree::FALSE;
        for pair in &impossible {
            match pair.parse::<MarkerTree>() {
                Ok(marker) => any_impossible.or(marker),
                Err(error) => unreachable!("a fixed marker parses: {pair}: {error}"),
            }
        }
        any_impossible.negate()
    });
    &POSSIBLE
}

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

/// `marker` with every `extra` expression decided: `extra == 'x'` is true exactly when `x` is in
/// `active`. The result mentions no extra at all.
///
/// A package's `Requires-Dist` marks what its extras add with `extra == 'x'`; the resolver asks
/// "what does this package need with no extra" (`active` empty) and "what does extra `x` add"
/// (`active = [x]`), and the lock writes edge markers without extras, as uv does.
/// `pep508_rs`'s `simplify_extras` can only set extras to true, so this goes through the
/// marker's disjunctive normal form and rebuilds it.
pub fn marker_for_extras(marker: &MarkerTree, active: &[ExtraName]) -> MarkerTree {
    if marker.is_true() || marker.is_false() {
        return marker.clone();
    }
    let mut result = MarkerTree::FALSE;
    for clause in marker.to_dnf() {
        let mut conjunction = MarkerTree::TRUE;
        let mut holds = true;
        for expression in clause {
            match &expression {
                MarkerExpression::Extra { operator, name } => {
                    let is_active = match name {
                        MarkerValueExtra::Extra(extra) => active.contains(extra),
                        MarkerValueExtra::Arbitrary(_) => false,
                    };
                    let literal = match operator {
                        ExtraOperator::Equal => is_active,
                        ExtraOperator::NotEqual => !is_active,
                    };
                    if !literal {
                        holds = false;
                        break;
                    }
                }
                _ => conjunction.and(MarkerTree::expression(expression)),
            }
        }
        if holds {
            result.or(conjunction);
        }
    }
    result
}

/// The marker as uv writes it (`None` for the always-true marker).
pub fn marker_string(marker: &MarkerTree) -> Option<String> {
    marker.try_to_string()
}

/// `marker` without what `requires_python` already guarantees: under `>=3.9`,
/// `python_full_version >= '3.8'` is always true and disappears (uv writes lock markers this way).
pub fn simplify_for_python(
    marker: &MarkerTree,
    requires_python: &crate::RequiresPython,
) -> MarkerTree {
    match requires_python.range().bounding_range() {
        Some((lower, upper)) => marker.clone().simplify_python_versions(lower, upper),
        None => marker.clone(),
    }
}

/// `platform_system` values that name the same platform as a `sys_platform` value.
const PLATFORM_ALIASES: [(&str, &str); 3] = [
    ("Windows", "win32"),
    ("Linux", "linux"),
    ("Darwin", "darwin"),
];

/// `marker` in the form uv writes: `platform_system == 'Windows'` becomes
/// `sys_platform == 'win32'` (likewise Linux and Darwin), so markers written either way compare,
/// fork and print the same. uv 0.13.8 treats the two as aliases and writes them this way in
/// `uv.lock`; `pep508_rs` sees two unrelated variables.
pub fn canonical_marker(marker: &MarkerTree) -> MarkerTree {
    let mentions = marker
        .try_to_string()
        .is_some_and(|text| text.contains("platform_system"));
    if !mentions {
        return marker.clone();
    }
    let mut result = MarkerTree::FALSE;
    for clause in marker.to_dnf() {
        let mut conjunction = MarkerTree::TRUE;
        for expression in clause {
            conjunction.and(MarkerTree::expression(alias(expression)));
        }
        result.or(conjunction);
    }
    result
}

fn alias(expression: MarkerExpression) -> MarkerExpression {
    match &expression {
        MarkerExpression::String {
            key: MarkerValueString::PlatformSystem,
            operator,
            value,
        } if matches!(operator, MarkerOperator::Equal | MarkerOperator::NotEqual) => {
            match PLATFORM_ALIASES.iter().find(|(system, _)| system == value) {
                Some((_, platform)) => MarkerExpression::String {
                    key: MarkerValueString::SysPlatform,
                    operator: *operator,
                    value: (*platform).to_string(),
                },
                None => expression,
            }
        }
        _ => expression,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> MarkerTree {
        text.parse().unwrap()
    }

    #[test]
    fn platforms_no_interpreter_reports_are_impossible() {
        let possible = |text: &str| !marker_and(&m(text), possible_platforms()).is_false();
        assert!(!possible("os_name == 'posix' and sys_platform == 'win32'"));
        assert!(!possible("os_name == 'nt' and sys_platform == 'linux'"));
        assert!(!possible(
            "platform_system == 'FreeBSD' and sys_platform == 'linux'"
        ));
        assert!(possible("os_name == 'nt' and sys_platform == 'win32'"));
        assert!(possible("os_name == 'posix' and sys_platform == 'cygwin'"));
        assert!(possible(
            "platform_system == 'iOS' and sys_platform == 'ios'"
        ));
        assert!(possible("sys_platform == 'win32'"));
        // Within Windows, `os_name != 'posix'` always holds.
        let windows = marker_and(&m("sys_platform == 'win32'"), possible_platforms());
        assert!(marker_implies(&windows, &m("os_name != 'posix'")));
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
    fn extras_are_decided_and_removed() {
        let extra = |name: &str| ExtraName::new(name.to_string()).unwrap();
        let socks = m("extra == 'socks' and sys_platform == 'linux'");
        assert!(marker_for_extras(&socks, &[]).is_false());
        assert_eq!(
            marker_string(&marker_for_extras(&socks, &[extra("socks")])).unwrap(),
            "sys_platform == 'linux'"
        );
        let either = m("extra == 'a' or extra == 'b'");
        assert!(marker_for_extras(&either, &[extra("b")]).is_true());
        let not_a = m("extra != 'a' and os_name == 'nt'");
        assert_eq!(
            marker_string(&marker_for_extras(&not_a, &[])).unwrap(),
            "os_name == 'nt'"
        );
        assert!(marker_for_extras(&not_a, &[extra("a")]).is_false());
        let plain = m("python_version >= '3.10'");
        assert_eq!(marker_for_extras(&plain, &[]), plain);
    }

    #[test]
    fn platform_system_is_written_as_sys_platform() {
        let marker = canonical_marker(&m(
            "platform_system == 'Windows' and python_version >= '3.10'",
        ));
        assert_eq!(
            marker_string(&marker).unwrap(),
            "python_full_version >= '3.10' and sys_platform == 'win32'"
        );
        let both = canonical_marker(&m(
            "sys_platform == 'win32' or platform_system == 'Windows'",
        ));
        assert_eq!(marker_string(&both).unwrap(), "sys_platform == 'win32'");
        let other = m("platform_system == 'AIX'");
        assert_eq!(canonical_marker(&other), other);
        assert!(marker_and(
            &canonical_marker(&m("platform_system != 'Darwin'")),
            &m("sys_platform == 'darwin'")
        )
        .is_false());
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
