//! Shared helpers: discovering fixture workspaces, member-only resolutions, reference files.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wslock_graph::{Origin, RequirementSource, Selection, WorkspaceGraph};
use wslock_lock::LockPlan;
use wslock_pep::{RequiresPython, Version};
use wslock_resolve::{Resolution, ResolvedDependency, ResolvedPackage, ResolvedSource};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions, Workspace};

/// The fixtures of `testdata/workspaces` that lock without any registry package.
pub const MEMBER_ONLY_FIXTURES: [&str; 15] = [
    "albatross-just-project",
    "albatross-project-in-excluded",
    "albatross-root-workspace",
    "albatross-virtual-workspace",
    "dev-groups-extras",
    "exclude-star-crosses",
    "flat-virtual",
    "foreign-in-cache",
    "hidden-and-files",
    "member-kinds",
    "members-dot-and-duplicates",
    "members-outside-root",
    "nested-member-intermediate",
    "root-with-helpers",
    "tool-only-start",
];

/// `testdata/` of the repository, absolute.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .canonicalize()
        .expect("testdata exists")
}

/// Where `uv lock` runs for a fixture: its root directory (`ws` for the one whose member lives
/// outside the root).
pub fn fixture_start(fixture: &str) -> &'static str {
    if fixture == "members-outside-root" {
        "ws"
    } else {
        "."
    }
}

/// Discovers the workspace at `start`, with a ceiling at `ceiling`.
pub fn workspace_at(ceiling: &Path, start: &Path) -> std::sync::Arc<Workspace> {
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(ceiling));
    discover(start, &options)
        .expect("discovery succeeds")
        .workspace()
        .clone()
}

/// The graph of `workspace`.
pub fn graph_of(workspace: &Workspace) -> WorkspaceGraph {
    WorkspaceGraph::build(workspace, &Selection::All).expect("the graph builds")
}

/// The resolution of a workspace whose requirements are all on other members: every member,
/// with its `dependencies`, extras and groups as edges to members.
pub fn member_only_resolution(graph: &WorkspaceGraph) -> Resolution {
    let version_of = |path: &Path| {
        graph
            .members()
            .iter()
            .find(|m| m.path == path)
            .map(|m| (m.name.clone(), m.version.clone().unwrap_or_else(zero)))
    };
    let packages = graph
        .members()
        .iter()
        .map(|member| {
            let mut package = ResolvedPackage {
                name: member.name.clone(),
                version: member.version.clone().unwrap_or_else(zero),
                source: ResolvedSource::Member {
                    kind: member.kind,
                    path: member.path.clone(),
                },
                fork_markers: Vec::new(),
                dependencies: Vec::new(),
                optional_dependencies: BTreeMap::new(),
                dependency_groups: BTreeMap::new(),
                files: Vec::new(),
            };
            for requirement in graph.requirements() {
                if requirement.provenance.member.as_ref() != Some(&member.name) {
                    continue;
                }
                let RequirementSource::Workspace { path, .. } = &requirement.source else {
                    panic!("{} is not member-only: {requirement}", member.name);
                };
                let (name, version) = version_of(path).expect("the target is a member");
                let edge = ResolvedDependency {
                    name,
                    version,
                    extras: requirement.extras.clone(),
                    marker: requirement.marker.clone(),
                };
                match &requirement.provenance.origin {
                    Origin::Dependencies => package.dependencies.push(edge),
                    Origin::Extra(extra) => package
                        .optional_dependencies
                        .entry(extra.clone())
                        .or_default()
                        .push(edge),
                    Origin::Group(group) => package
                        .dependency_groups
                        .entry(group.clone())
                        .or_default()
                        .push(edge),
                    Origin::Constraint | Origin::Override => {}
                }
            }
            package
        })
        .collect();
    Resolution {
        requires_python: graph
            .requires_python()
            .cloned()
            .unwrap_or_else(RequiresPython::any),
        fork_markers: Vec::new(),
        supported_markers: Vec::new(),
        options: Default::default(),
        packages,
    }
}

fn zero() -> Version {
    Version::new([0])
}

/// The plan of a member-only fixture of `testdata/workspaces`, discovered in place.
pub fn fixture_plan(fixture: &str) -> LockPlan {
    let dir = testdata().join("workspaces").join(fixture);
    let workspace = workspace_at(&dir, &dir.join(fixture_start(fixture)));
    let graph = graph_of(&workspace);
    let resolution = member_only_resolution(&graph);
    LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .build()
        .expect("the plan builds")
}

/// A reference file under `testdata/lock/`.
pub fn reference(path: &str) -> String {
    fs::read_to_string(testdata().join("lock").join(path))
        .unwrap_or_else(|e| panic!("reading testdata/lock/{path}: {e}"))
}

/// The reference scenarios under `testdata/lock/scenarios` whose packages a [`Resolution`] can
/// express (members and registry packages; `path-sources` has a `path` source package).
pub const RESOLVABLE_SCENARIOS: [&str; 6] = [
    "extras-groups",
    "forks",
    "group-requires-python",
    "markers",
    "url-index",
    "virtual-root",
];

/// A scenario's directory.
pub fn scenario_dir(name: &str) -> PathBuf {
    testdata().join("lock/scenarios").join(name)
}

/// The resolution that uv's lock of a scenario records, rebuilt by hand from its packages: the
/// input a resolver would have to produce for us to write the same lock.
pub fn resolution_from_lock(plan: &LockPlan, root: &Path, graph: &WorkspaceGraph) -> Resolution {
    use wslock_lock::{ArtifactLocation, PackageSource, RegistrySource};
    use wslock_resolve::{FileKind, FileLocation, RegistryLocation, ResolvedFile};

    let kind_of = |path: &Path| {
        graph
            .members()
            .iter()
            .find(|m| m.path == path)
            .map(|m| m.kind)
            .expect("a member")
    };
    let edges = |list: &[wslock_lock::LockDependency]| -> Vec<ResolvedDependency> {
        list.iter()
            .map(|edge| ResolvedDependency {
                name: edge.name.clone(),
                version: edge.version.clone().expect("static versions"),
                extras: edge.extra.clone(),
                marker: edge.marker.clone(),
            })
            .collect()
    };
    let packages = plan
        .packages
        .iter()
        .map(|package| {
            let (source, registry_dir) = match &package.source {
                PackageSource::Editable(path)
                | PackageSource::Virtual(path)
                | PackageSource::Directory(path) => {
                    let path = root.join(path);
                    let kind = kind_of(&path);
                    (ResolvedSource::Member { kind, path }, None)
                }
                PackageSource::Registry(RegistrySource::Path(dir)) => (
                    ResolvedSource::Registry {
                        index: RegistryLocation::Path(root.join(dir)),
                    },
                    Some(root.join(dir)),
                ),
                PackageSource::Registry(RegistrySource::Url(url)) => (
                    ResolvedSource::Registry {
                        index: RegistryLocation::Url(url.clone()),
                    },
                    None,
                ),
                other => panic!("a resolution cannot express {other}"),
            };
            let file = |artifact: &wslock_lock::Artifact, kind: FileKind| {
                let (filename, location) = match artifact.location.as_ref().expect("located") {
                    ArtifactLocation::Url(url) => (
                        url.rsplit('/').next().unwrap_or_default().to_string(),
                        FileLocation::Url(url.clone()),
                    ),
                    ArtifactLocation::Path(path) => (
                        path.rsplit('/').next().unwrap_or_default().to_string(),
                        FileLocation::Path(
                            registry_dir
                                .clone()
                                .expect("a find-links registry")
                                .join(path),
                        ),
                    ),
                    ArtifactLocation::Filename(name) => {
                        panic!("no registry file is named only: {name}")
                    }
                };
                ResolvedFile {
                    filename,
                    kind,
                    location,
                    sha256: artifact
                        .hash
                        .as_ref()
                        .map(|h| h.trim_start_matches("sha256:").to_string()),
                    size: artifact.size,
                }
            };
            let mut files: Vec<ResolvedFile> = package
                .sdist
                .iter()
                .map(|a| file(a, FileKind::Sdist))
                .collect();
            files.extend(package.wheels.iter().map(|a| file(a, FileKind::Wheel)));
            ResolvedPackage {
                name: package.name.clone(),
                version: package.version.clone().expect("static versions"),
                source,
                fork_markers: package.resolution_markers.clone(),
                dependencies: edges(&package.dependencies),
                optional_dependencies: package
                    .optional_dependencies
                    .iter()
                    .map(|(extra, list)| (extra.clone(), edges(list)))
                    .collect(),
                dependency_groups: package
                    .dev_dependencies
                    .iter()
                    .map(|(group, list)| (group.clone(), edges(list)))
                    .collect(),
                files,
            }
        })
        .collect();
    Resolution {
        requires_python: plan.requires_python.clone(),
        fork_markers: plan.resolution_markers.clone(),
        supported_markers: plan.supported_markers.clone(),
        options: Default::default(),
        packages,
    }
}

/// Our plan of a scenario, from the resolution its uv.lock records and its real workspace graph.
pub fn scenario_plan(name: &str) -> (LockPlan, String) {
    let dir = scenario_dir(name);
    let uv_lock = fs::read_to_string(dir.join("uv.lock")).expect("a recorded uv.lock");
    let workspace = workspace_at(&dir, &dir);
    let graph = graph_of(&workspace);
    let theirs = LockPlan::from_toml(&uv_lock).expect("uv's lock parses");
    let resolution = resolution_from_lock(&theirs, &dir, &graph);
    let plan = LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .build()
        .expect("the plan builds");
    (plan, uv_lock)
}

/// The lines that differ between two texts (`-` expected, `+` actual), by position.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x != y {
            out.push(format!(
                "{:>4} - {}\n     + {}",
                i + 1,
                x.unwrap_or(&"<none>"),
                y.unwrap_or(&"<none>")
            ));
        }
    }
    out.join("\n")
}

/// Marker texts where uv 0.13.8 and `pep508_rs` 0.9.2 print the same marker differently
/// (resolver-notes A2: the two marker algebras simplify disjunctions differently). Each pair is
/// (uv's text, ours); the tests check both parse to the same marker.
pub const KNOWN_MARKER_SPELLINGS: [(&str, &str); 4] = [
    // A range restated inside a disjunction: uv keeps it, pep508_rs drops it.
    (
        "python_full_version < '3.9.1' or (python_full_version >= '3.9.1' and python_full_version < '3.10' and platform_python_implementation != 'CPython')",
        "python_full_version < '3.9.1' or (python_full_version < '3.10' and platform_python_implementation != 'CPython')",
    ),
    // The order of a disjunction's terms.
    (
        "(python_full_version < '3.11' and platform_machine == 'arm64') or (python_full_version < '3.11' and sys_platform == 'win32')",
        "(python_full_version < '3.11' and sys_platform == 'win32') or (python_full_version < '3.11' and platform_machine == 'arm64')",
    ),
    (
        "os_name == 'nt' or sys_platform == 'darwin' or sys_platform == 'linux'",
        "sys_platform == 'darwin' or sys_platform == 'linux' or os_name == 'nt'",
    ),
    // A disjunction split along a Python range: uv factors it, pep508_rs expands it.
    (
        "(python_full_version >= '3.10' and python_full_version < '4') or implementation_name == 'pypy'",
        "(python_full_version < '3.10' and implementation_name == 'pypy') or (python_full_version >= '4' and implementation_name == 'pypy') or (python_full_version >= '3.10' and python_full_version < '4')",
    ),
];

fn quoted(line: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut strings = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        outside.push_str(&rest[..=start]);
        let after = &rest[start + 1..];
        let end = after.find('"').unwrap_or(after.len());
        strings.push(after[..end].to_string());
        rest = after.get(end + 1..).unwrap_or("");
        outside.push('"');
    }
    outside.push_str(rest);
    (outside, strings)
}

/// Compares two lock texts line by line, allowing only differences in the spelling of equal
/// markers; returns those as (expected, actual) pairs, or a description of a real difference.
pub fn marker_spelling_differences(
    expected: &str,
    actual: &str,
) -> Result<Vec<(String, String)>, String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    if a.len() != b.len() || expected.ends_with('\n') != actual.ends_with('\n') {
        return Err(line_diff(expected, actual));
    }
    let mut spellings = Vec::new();
    for (x, y) in a.iter().zip(&b) {
        if x == y {
            continue;
        }
        let ((outside_x, strings_x), (outside_y, strings_y)) = (quoted(x), quoted(y));
        if outside_x != outside_y || strings_x.len() != strings_y.len() {
            return Err(format!("- {x}\n+ {y}"));
        }
        for (sx, sy) in strings_x.iter().zip(&strings_y) {
            if sx == sy {
                continue;
            }
            let (mx, my) = (
                sx.parse::<wslock_pep::MarkerTree>(),
                sy.parse::<wslock_pep::MarkerTree>(),
            );
            match (mx, my) {
                (Ok(mx), Ok(my)) if mx == my => spellings.push((sx.clone(), sy.clone())),
                _ => return Err(format!("- {x}\n+ {y}")),
            }
        }
    }
    spellings.sort();
    spellings.dedup();
    Ok(spellings)
}

/// Asserts that `actual` equals `expected` but for the [`KNOWN_MARKER_SPELLINGS`].
pub fn assert_same_but_known_spellings(name: &str, expected: &str, actual: &str) {
    match marker_spelling_differences(expected, actual) {
        Ok(spellings) => {
            let unknown: Vec<String> = spellings
                .iter()
                .filter(|(theirs, ours)| {
                    !KNOWN_MARKER_SPELLINGS.contains(&(theirs.as_str(), ours.as_str()))
                })
                .map(|(theirs, ours)| format!("  uv:     {theirs}\n  wslock: {ours}"))
                .collect();
            assert!(
                unknown.is_empty(),
                "{name}: new marker spelling differences:\n{}",
                unknown.join("\n")
            );
        }
        Err(difference) => panic!("{name}: differs from uv beyond marker spelling:\n{difference}"),
    }
}
