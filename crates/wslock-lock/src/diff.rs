//! `--diff`: which packages a new plan adds, removes or moves to another version, compared with
//! an existing lock.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use wslock_pep::{PackageName, Version};

use crate::model::LockPlan;

/// What changes from one plan to another, package by package (by name: a name locked at
/// several versions counts as one package with a set of versions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    /// Names only the new plan has, with their versions.
    pub added: Vec<PackageVersions>,
    /// Names only the old plan has, with their versions.
    pub removed: Vec<PackageVersions>,
    /// Names both have, whose set of versions differs.
    pub changed: Vec<VersionChange>,
}

/// A package name and the versions a plan locks it at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageVersions {
    /// The name.
    #[serde(serialize_with = "display")]
    pub name: PackageName,
    /// The versions, ascending (`"dynamic"` never appears: a dynamic version is left out).
    #[serde(serialize_with = "display_all")]
    pub versions: Vec<Version>,
}

/// A package whose versions differ between the plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionChange {
    /// The name.
    #[serde(serialize_with = "display")]
    pub name: PackageName,
    /// The versions of the old plan, ascending.
    #[serde(serialize_with = "display_all")]
    pub old: Vec<Version>,
    /// The versions of the new plan, ascending.
    #[serde(serialize_with = "display_all")]
    pub new: Vec<Version>,
}

fn display<S: serde::Serializer, T: fmt::Display>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn display_all<S: serde::Serializer>(list: &[Version], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(list.iter().map(ToString::to_string))
}

impl PlanDiff {
    /// Whether the plans lock the same versions of the same packages.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares the package versions of two plans.
///
/// Only names and versions count: a changed source, marker or edge with the same versions is not
/// a change here (`uv lock --locked` or a byte comparison catches those).
pub fn diff(old: &LockPlan, new: &LockPlan) -> PlanDiff {
    let (before, after) = (versions_by_name(old), versions_by_name(new));
    let mut result = PlanDiff::default();
    for (name, versions) in &after {
        match before.get(name) {
            None => result.added.push(PackageVersions {
                name: (*name).clone(),
                versions: versions.iter().map(|v| (*v).clone()).collect(),
            }),
            Some(old_versions) if old_versions != versions => {
                result.changed.push(VersionChange {
                    name: (*name).clone(),
                    old: old_versions.iter().map(|v| (*v).clone()).collect(),
                    new: versions.iter().map(|v| (*v).clone()).collect(),
                });
            }
            Some(_) => {}
        }
    }
    for (name, versions) in &before {
        if !after.contains_key(name) {
            result.removed.push(PackageVersions {
                name: (*name).clone(),
                versions: versions.iter().map(|v| (*v).clone()).collect(),
            });
        }
    }
    result
}

fn versions_by_name(plan: &LockPlan) -> BTreeMap<&PackageName, BTreeSet<&Version>> {
    let mut map: BTreeMap<&PackageName, BTreeSet<&Version>> = BTreeMap::new();
    for package in &plan.packages {
        let versions = map.entry(&package.name).or_default();
        versions.extend(package.version.as_ref());
    }
    map
}

fn join(versions: &[Version]) -> String {
    let texts: Vec<String> = versions.iter().map(ToString::to_string).collect();
    texts.join(", ")
}

impl fmt::Display for PlanDiff {
    /// One line per package, sorted by name within each kind:
    ///
    /// ```text
    /// + pysocks 1.7.1
    /// - chardet 5.2.0
    /// ~ numpy 1.26.0, 2.1.0 -> 2.1.0
    /// ```
    ///
    /// or `no changes` when there are none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no changes");
        }
        for added in &self.added {
            writeln!(f, "+ {} {}", added.name, join(&added.versions))?;
        }
        for removed in &self.removed {
            writeln!(f, "- {} {}", removed.name, join(&removed.versions))?;
        }
        for changed in &self.changed {
            writeln!(
                f,
                "~ {} {} -> {}",
                changed.name,
                join(&changed.old),
                join(&changed.new)
            )?;
        }
        Ok(())
    }
}
