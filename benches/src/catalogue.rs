//! The external packages: `ext-00000` … with several versions each, whose requirements can
//! always be met.
//!
//! Satisfiability by construction: every version set contains `1.0`, and every specifier a
//! package or a member puts on a *plain* external admits `1.0`, so choosing `1.0` of every
//! plain external is always a solution (the resolvers find newer ones). *Fork* externals are
//! the exception that makes the resolution fork: members require `<2` of them on one side of a
//! marker and `>=2` on the other side, and nothing else ever narrows them.

use crate::rng::Rng;
use crate::Spec;

/// What an external package is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Required freely, with specifiers that admit `1.0`.
    Plain,
    /// Required by members as `<2` on Windows and `>=2` elsewhere: a fork on `sys_platform`.
    PlatformFork,
    /// Required by members as `<2` below Python 3.12 and `>=2` from 3.12: a fork on
    /// `python_version`.
    PythonFork,
}

/// One version of an external package, as its wheel's `METADATA` states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalVersion {
    /// The version, `1.0` to `2.1`.
    pub version: String,
    /// `Requires-Python`.
    pub requires_python: String,
    /// `Requires-Dist` lines, in order.
    pub requires_dist: Vec<String>,
}

/// One external package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    /// The normalised name, `ext-00042`.
    pub name: String,
    /// What it is for.
    pub role: Role,
    /// Extras every version provides (`cli` or none).
    pub extras: Vec<String>,
    /// Ascending.
    pub versions: Vec<ExternalVersion>,
}

/// The one Python version markers and `Requires-Python` split at: with a single threshold
/// (and a single platform, `win32`) the number of forks stays bounded (4) however large the
/// workspace, as in a real monorepo that supports a few platforms and Python versions.
pub const PYTHON_SPLIT: &str = "3.12";

/// The name of external `index`.
pub fn external_name(index: usize) -> String {
    format!("ext-{index:05}")
}

/// The role of external `index`: every 25th is a fork external, platform and Python forks
/// alternating, so even a 10-external catalogue has a platform fork (`ext-00000`).
pub fn role(index: usize) -> Role {
    if !index.is_multiple_of(25) {
        Role::Plain
    } else if (index / 25).is_multiple_of(2) {
        Role::PlatformFork
    } else {
        Role::PythonFork
    }
}

/// Upper bounds ("caps") a plain external may have, weighted (empty: none). A package's cap
/// is fixed: every requirement on it states the same one, so the newest version under the cap
/// satisfies every requirement, whatever order a resolver meets them in. The solution is then
/// unique in each fork, and two correct resolvers must agree on it (upper bounds that differ
/// between requirers would let each resolver's choice order pick a different valid solution).
const CAPS: &[(&str, usize)] = &[
    ("", 60),
    ("<2", 15),
    ("~=1.0", 10),
    ("<1.2", 10),
    ("!=1.1", 5),
];

/// The cap of plain external `index`.
pub fn cap(seed: u64, index: usize) -> &'static str {
    Rng::fork(seed, "cap", index).pick(CAPS)
}

/// A specifier for a requirement on plain external `target`: its cap, sometimes with a lower
/// bound that every version meets (`>=1.0`), or no specifier at all. Each admits `1.0`.
pub(crate) fn plain_specifier(rng: &mut Rng, seed: u64, target: usize) -> String {
    let with_floor = rng.chance(30);
    match (cap(seed, target), with_floor) {
        ("", false) => String::new(),
        ("", true) => ">=1.0".to_string(),
        (cap, false) => cap.to_string(),
        (cap, true) => format!(">=1.0,{cap}"),
    }
}

/// Markers on requirements between externals, weighted (empty: none).
const EXTERNAL_MARKERS: &[(&str, usize)] = &[
    ("", 85),
    ("sys_platform == 'win32'", 5),
    ("sys_platform != 'win32'", 4),
    ("sys_platform == 'linux'", 3),
    ("python_version >= '3.12'", 3),
];

/// How far ahead (in index) an external's requirements reach: requirements go only to higher
/// indexes, so the requirement graph is a DAG whose depth grows with the catalogue.
const REACH: usize = 40;

/// The catalogue of `spec`: `spec.externals` packages, in index order.
pub fn catalogue(spec: &Spec) -> Vec<External> {
    (0..spec.externals)
        .map(|index| external(spec, index))
        .collect()
}

fn external(spec: &Spec, index: usize) -> External {
    let mut rng = Rng::fork(spec.seed, "external", index);
    let role = role(index);
    let names: &[&str] = match role {
        Role::Plain => &["1.0", "1.1", "1.2", "2.0"][..2 + rng.below(3)],
        Role::PlatformFork | Role::PythonFork => &["1.0", "1.1", "2.0", "2.1"],
    };
    let extras = if role == Role::Plain && index.is_multiple_of(7) {
        vec!["cli".to_string()]
    } else {
        Vec::new()
    };
    // The newest version of every tenth plain package needs Python 3.12: the resolvers split
    // at 3.12 and choose an older version below it.
    let newest_needs_split = role == Role::Plain && index % 10 == 3;
    let versions = names
        .iter()
        .enumerate()
        .map(|(position, version)| {
            let newest = position + 1 == names.len();
            let requires_python = if newest && newest_needs_split {
                format!(">={PYTHON_SPLIT}")
            } else {
                ">=3.8".to_string()
            };
            let requires_dist = match role {
                Role::Plain => requirements(spec, &mut rng, index, !extras.is_empty()),
                Role::PlatformFork | Role::PythonFork => Vec::new(),
            };
            ExternalVersion {
                version: version.to_string(),
                requires_python,
                requires_dist,
            }
        })
        .collect();
    External {
        name: external_name(index),
        role,
        extras,
        versions,
    }
}

/// Requirements of one version of plain external `index`: up to three on later externals, and
/// one for the `cli` extra when it has one.
fn requirements(spec: &Spec, rng: &mut Rng, index: usize, has_extra: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut targets: Vec<usize> = Vec::new();
    for _ in 0..rng.below(4) {
        let target = index + 1 + rng.below(REACH);
        if target >= spec.externals || targets.contains(&target) {
            continue;
        }
        targets.push(target);
        let (specifier, marker) = match role(target) {
            // Fork externals are narrowed only by members; a package takes any version.
            Role::PlatformFork | Role::PythonFork => (String::new(), ""),
            Role::Plain => (
                plain_specifier(rng, spec.seed, target),
                rng.pick(EXTERNAL_MARKERS),
            ),
        };
        out.push(requirement(&external_name(target), &[], &specifier, marker));
    }
    if has_extra {
        let target = index + 1 + rng.below(REACH);
        if target < spec.externals && role(target) == Role::Plain && !targets.contains(&target) {
            out.push(requirement(
                &external_name(target),
                &[],
                &plain_specifier(rng, spec.seed, target),
                "extra == 'cli'",
            ));
        }
    }
    out
}

/// A PEP 508 requirement: `name[extras]specifier; marker`.
pub(crate) fn requirement(name: &str, extras: &[&str], specifier: &str, marker: &str) -> String {
    let mut text = name.to_string();
    if !extras.is_empty() {
        text.push_str(&format!("[{}]", extras.join(",")));
    }
    text.push_str(specifier);
    if !marker.is_empty() {
        text.push_str(&format!("; {marker}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_specifier_admits_1_0_and_states_the_cap() {
        // The satisfiability and uniqueness arguments of the module docs, on the texts.
        for (cap, _) in CAPS {
            assert!(
                matches!(*cap, "" | "<2" | "~=1.0" | "<1.2" | "!=1.1"),
                "review {cap}"
            );
        }
        let mut rng = Rng::new(9);
        for target in 1..200 {
            let text = plain_specifier(&mut rng, 4, target);
            assert!(text.is_empty() || text.starts_with(">=1.0") || !text.starts_with('>'));
            assert!(text.ends_with(cap(4, target)), "{text} for {target}");
        }
    }

    #[test]
    fn requirements_point_forward_and_forks_are_left_unconstrained() {
        let spec = Spec::new(10).externals(200).seed(3);
        let packages = catalogue(&spec);
        assert_eq!(packages.len(), 200);
        for (index, package) in packages.iter().enumerate() {
            assert_eq!(package.versions[0].version, "1.0");
            for version in &package.versions {
                for text in &version.requires_dist {
                    let target: usize = text[4..9].parse().unwrap();
                    assert!(target > index, "{text} in {}", package.name);
                    if role(target) != Role::Plain {
                        assert_eq!(text.len(), 9, "fork externals are never narrowed: {text}");
                    }
                }
            }
        }
        assert_eq!(role(0), Role::PlatformFork);
        assert_eq!(role(25), Role::PythonFork);
        assert!(packages.iter().any(|p| !p.extras.is_empty()));
    }
}
