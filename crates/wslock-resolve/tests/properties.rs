//! Properties every universal resolution must have, on random package universes:
//!
//! - soundness: each dependency edge's version satisfies every requirement of its source on
//!   that package, in every environment where both the edge and the requirement apply;
//! - completeness: wherever a requirement applies (and its source is installed), some edge
//!   covers it, so no platform or Python version is silently dropped.

mod common;

use common::{project, MemorySource};
use proptest::prelude::*;
use wslock_pep::{
    marker_and, marker_for_extras, marker_implies, marker_or, specifier_ranges, MarkerTree,
    Requirement, VersionOrUrl,
};
use wslock_resolve::{resolve, Resolution, ResolveError, ResolverOptions};

const NAMES: [&str; 5] = ["p0", "p1", "p2", "p3", "p4"];
const SPECS: [&str; 6] = ["", ">=2.0", "<3.0", "==1.0", "!=2.0", ">=1.0,<3.0"];
const MARKERS: [&str; 6] = [
    "",
    "sys_platform == 'win32'",
    "sys_platform != 'win32'",
    "python_version < '3.11'",
    "python_version >= '3.11'",
    "os_name == 'nt' and python_version >= '3.10'",
];

/// A requirement as indices into `NAMES`, `SPECS` and `MARKERS`.
type Req = (usize, usize, usize);
/// A release: package index, major version, requirements.
type Release = (usize, usize, Vec<Req>);

fn requirement(name: usize, spec: usize, marker: usize) -> String {
    let mut text = format!("{}{}", NAMES[name], SPECS[spec]);
    if !MARKERS[marker].is_empty() {
        text += &format!("; {}", MARKERS[marker]);
    }
    text
}

/// A universe: for each package (p0..p4) and version (1.0..3.0) whether it exists and what it
/// requires (only packages with a higher index, so there are no cycles), plus the root's
/// requirements.
fn universe() -> impl Strategy<Value = (Vec<Release>, Vec<Req>)> {
    let req = |from: usize| (from..NAMES.len(), 0..SPECS.len(), 0..MARKERS.len());
    let releases = proptest::collection::vec(
        (0..NAMES.len() - 1, 1..4usize).prop_flat_map(move |(name, version)| {
            (
                Just(name),
                Just(version),
                proptest::collection::vec(req(name + 1), 0..3),
            )
        }),
        4..14,
    );
    let root = proptest::collection::vec(req(0), 1..4);
    (releases, root)
}

fn build(releases: &[Release]) -> MemorySource {
    let mut source = MemorySource::default();
    let mut seen = std::collections::HashSet::new();
    for (name, version, requires) in releases {
        if !seen.insert((name, version)) {
            continue;
        }
        let requires: Vec<String> = requires
            .iter()
            .map(|&(n, s, m)| requirement(n, s, m))
            .collect();
        let requires: Vec<&str> = requires.iter().map(String::as_str).collect();
        source.add(NAMES[*name], &format!("{version}.0"), "", &requires);
    }
    // The last package always exists, so many universes are solvable.
    source
        .add(NAMES[NAMES.len() - 1], "1.0", "", &[])
        .add(NAMES[NAMES.len() - 1], "2.0", "", &[]);
    source
}

/// Where each package is installed: from the members (everywhere `requires-python` allows),
/// the OR over all paths of the AND of the edge markers along the path.
fn reachability(resolution: &Resolution) -> Vec<MarkerTree> {
    let index = |name: &wslock_pep::PackageName, version: &wslock_pep::Version| {
        resolution
            .packages
            .iter()
            .position(|p| &p.name == name && &p.version == version)
    };
    let mut reach: Vec<MarkerTree> = resolution
        .packages
        .iter()
        .map(|p| {
            if p.name.as_ref() == "app" {
                resolution.requires_python.marker()
            } else {
                MarkerTree::FALSE
            }
        })
        .collect();
    loop {
        let mut changed = false;
        for (source, package) in resolution.packages.iter().enumerate() {
            for edge in &package.dependencies {
                let Some(target) = index(&edge.name, &edge.version) else {
                    continue;
                };
                let more = marker_or(&reach[target], &marker_and(&reach[source], &edge.marker));
                if more != reach[target] {
                    reach[target] = more;
                    changed = true;
                }
            }
        }
        if !changed {
            return reach;
        }
    }
}

fn check(
    resolution: &Resolution,
    source: &MemorySource,
    root: &[Requirement],
) -> Result<(), String> {
    let reach = reachability(resolution);
    for (package, space) in resolution.packages.iter().zip(reach) {
        if space.is_false() {
            return Err(format!(
                "{} {} is in the plan but never installed",
                package.name, package.version
            ));
        }
        let requirements: Vec<Requirement> = if package.name.as_ref() == "app" {
            root.to_vec()
        } else {
            use wslock_index::PackageSource;
            let metadata = source
                .metadata(&package.name, &package.version)
                .map_err(|e| e.to_string())?;
            metadata.requires_dist.clone()
        };
        for requirement in &requirements {
            let applies = marker_and(&marker_for_extras(&requirement.marker, &[]), &space);
            if applies.is_false() {
                continue;
            }
            let range = match &requirement.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(specifiers)) => specifier_ranges(specifiers),
                _ => wslock_pep::Ranges::full(),
            };
            let mut covered = MarkerTree::FALSE;
            for edge in package
                .dependencies
                .iter()
                .filter(|e| e.name == requirement.name)
            {
                let both = marker_and(&edge.marker, &applies);
                if !both.is_false() && !range.contains(&edge.version) {
                    return Err(format!(
                        "{} {} -> {} {} under `{:?}` violates `{requirement}`",
                        package.name, package.version, edge.name, edge.version, both
                    ));
                }
                covered = marker_or(&covered, &marker_and(&edge.marker, &space));
            }
            if !marker_implies(&applies, &covered) {
                return Err(format!(
                    "`{requirement}` of {} {} applies under `{applies:?}` but edges cover only `{covered:?}`",
                    package.name, package.version
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_is_sound_and_complete((releases, root) in universe()) {
        let source = build(&releases);
        let root_text: Vec<String> = root.iter().map(|&(n, s, m)| requirement(n, s, m)).collect();
        let root_strs: Vec<&str> = root_text.iter().map(String::as_str).collect();
        let (_dir, graph) = project(">=3.9", &root_strs);
        let root_requirements: Vec<Requirement> = root_text.iter().map(|r| r.parse().unwrap()).collect();
        let result = resolve(&graph, &source, &ResolverOptions::default());
        // Forks solved ahead on a second thread are used only where solving them in turn
        // gives the same: the two ways must agree exactly.
        let sequential = ResolverOptions { sequential_forks: true, ..ResolverOptions::default() };
        let one_by_one = resolve(&graph, &source, &sequential);
        let summary = |result: &Result<Resolution, ResolveError>| match result {
            Ok(resolution) => format!("{:?} {:?}", resolution.fork_markers, resolution.packages),
            Err(error) => error.to_string(),
        };
        prop_assert_eq!(summary(&result), summary(&one_by_one));
        match result {
            Ok(resolution) => {
                if let Err(problem) = check(&resolution, &source, &root_requirements) {
                    return Err(TestCaseError::fail(problem));
                }
            }
            Err(ResolveError::NoSolution { .. }) => {}
            Err(other) => return Err(TestCaseError::fail(other.to_string())),
        }
    }
}
