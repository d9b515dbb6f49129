//! A fork's environment: the part of the marker space one PubGrub solve covers.

use std::ops::Bound;

use wslock_pep::{
    marker_and, possible_platforms, python_marker, MarkerTree, RequiresPython, Version,
};

/// The environments one solve covers: a marker, and the Python range it narrows to.
///
/// Forks partition the space the workspace's `requires-python` allows: splitting a fork on a
/// marker `m` gives `marker ∧ m` and `marker ∧ ¬m`; splitting on a Python version gives the
/// part below it and the part from it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ForkEnv {
    /// The fork's own marker (`TRUE` for the unforked resolution); it never restates the
    /// workspace's `requires-python`.
    pub marker: MarkerTree,
    /// The Python versions of this fork.
    pub python: RequiresPython,
    /// `marker` ∧ the marker of `python` ∧ the platform combinations interpreters report
    /// ([`possible_platforms`]): what a requirement's marker is tested against, so that a
    /// `sys_platform == 'win32'` fork neither admits nor splits on `os_name == 'posix'`, as
    /// in uv.
    possible: MarkerTree,
}

impl ForkEnv {
    pub fn new(marker: MarkerTree, python: RequiresPython) -> Self {
        let possible = marker_and(&marker_and(&marker, &python.marker()), possible_platforms());
        Self {
            marker,
            python,
            possible,
        }
    }

    /// Whether a requirement with `marker` can apply somewhere in this fork.
    pub fn admits(&self, marker: &MarkerTree) -> bool {
        !self.restrict(marker).is_false()
    }

    /// `marker` restricted to this fork.
    pub fn restrict(&self, marker: &MarkerTree) -> MarkerTree {
        // Most requirements have no marker: skip the marker algebra's shared interner, which
        // every fork asks about every requirement.
        if marker.is_true() {
            return self.possible.clone();
        }
        marker_and(marker, &self.possible)
    }

    /// Whether `marker` holds everywhere in this fork.
    pub fn decides_true(&self, marker: &MarkerTree) -> bool {
        self.restrict(marker) == self.possible
    }

    /// The two forks on either side of `marker`, in uv's order: the one whose Pythons start
    /// higher first (so newer Pythons get newer versions), otherwise the side where `marker`
    /// holds first. Each fork's Python range is narrowed to where its marker can hold.
    pub fn split_on(&self, marker: &MarkerTree) -> [ForkEnv; 2] {
        let side = |marker: MarkerTree| {
            let python = match self.python_floor(&marker) {
                Some(floor) => self.python.intersect(&at_least(&floor)),
                None => self.python.clone(),
            };
            ForkEnv::new(marker, python)
        };
        let holds = side(marker_and(&self.marker, marker));
        let fails = side(marker_and(&self.marker, &marker.negate()));
        let floor = |fork: &ForkEnv| {
            fork.python
                .lower_bound()
                .map(|(version, _)| version.clone())
        };
        if floor(&fails) > floor(&holds) {
            [fails, holds]
        } else {
            [holds, fails]
        }
    }

    /// The forks from Python `version` up and below it, the newer Pythons first (uv solves the
    /// highest Python lower bound first so newer Pythons get newer versions).
    pub fn split_at_python(&self, version: &Version) -> [ForkEnv; 2] {
        let at_least: RequiresPython = RequiresPython::from_specifiers(
            &format!(">={version}")
                .parse()
                .expect("a version makes a specifier"),
        );
        let below = RequiresPython::from_range(at_least.range().complement());
        let side = |python: RequiresPython| {
            let narrowed = self.python.intersect(&python);
            ForkEnv::new(
                marker_and(&self.marker, &python_marker(&python.specifiers())),
                narrowed,
            )
        };
        [side(at_least), side(below)]
    }

    /// The Python version from which `marker` can hold in this fork, when that is above the
    /// fork's own lowest Python: `python_version >= '3.10'` in a `>=3.9` fork gives 3.10.
    ///
    /// uv forks there even for a single requirement, so that the part of the resolution that
    /// needs the requirement is solved for the Pythons where it applies. The candidates are the
    /// versions the marker's Python expressions name (and the next minor, for `>`).
    pub fn python_floor(&self, marker: &MarkerTree) -> Option<Version> {
        if marker.is_true() {
            return None;
        }
        let (lowest, _) = self.python.lower_bound()?;
        let mut candidates: Vec<Version> = python_literals(marker)
            .into_iter()
            .filter(|version| version > lowest && self.python.contains(version))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        candidates.sort();
        candidates.dedup();
        let applies = self.restrict(marker);
        candidates.into_iter().rev().find(|floor| {
            let below = RequiresPython::from_range(at_least(floor).range().complement());
            marker_and(&applies, &below.marker()).is_false()
        })
    }

    /// Whether the fork covers no environment at all.
    pub fn is_empty(&self) -> bool {
        self.possible.is_false() || self.python.is_empty()
    }
}

/// Python `version` and everything above it.
fn at_least(version: &Version) -> RequiresPython {
    RequiresPython::from_range(wslock_pep::Ranges::from_range_bounds((
        Bound::Included(version.clone()),
        Bound::Unbounded,
    )))
}

/// The versions that `python_version`/`python_full_version` expressions of `marker` name, plus
/// the next minor version of each (`python_version > '3.10'` starts at 3.11).
fn python_literals(marker: &MarkerTree) -> Vec<Version> {
    let mut versions = Vec::new();
    for clause in marker.to_dnf() {
        for expression in clause {
            if let wslock_pep::MarkerExpression::Version { specifier, .. } = expression {
                let version = specifier.version().clone().only_release();
                let release = version.release();
                if let [major, minor, ..] = release {
                    versions.push(Version::new([*major, minor + 1]));
                }
                versions.push(version);
            }
        }
    }
    versions
}
