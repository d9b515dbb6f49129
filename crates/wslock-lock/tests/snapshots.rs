//! Snapshots of `to_toml` and `to_json` for plans built from hand-made resolutions and real
//! workspace graphs. The fork sample is the shape of `testdata/lock/scenarios/forks`: forks on
//! `sys_platform` and a Python split, two versions of `attrs` and `numpy`, an extra and a group.

mod common;

use std::path::Path;

use common::{graph_of, scenario_dir, scenario_plan, workspace_at};
use wslock_lock::LockPlan;
use wslock_pep::MarkerTree;
use wslock_resolve::{
    FileKind, FileLocation, RegistryLocation, Resolution, ResolvedDependency, ResolvedFile,
    ResolvedPackage, ResolvedSource,
};

/// The fork sample's resolution, written out by hand.
pub fn fork_sample_resolution(root: &Path, graph: &wslock_graph::WorkspaceGraph) -> Resolution {
    sample::resolution(root, graph)
}

mod sample {
    use super::*;

    fn m(text: &str) -> MarkerTree {
        text.parse().unwrap()
    }

    fn dep(name: &str, version: &str, marker: &str) -> ResolvedDependency {
        ResolvedDependency {
            name: name.parse().unwrap(),
            version: version.parse().unwrap(),
            extras: Vec::new(),
            marker: if marker.is_empty() {
                MarkerTree::TRUE
            } else {
                m(marker)
            },
        }
    }

    fn external(links: &Path, name: &str, version: &str, forks: &[&str]) -> ResolvedPackage {
        let filename = format!("{name}-{version}-py3-none-any.whl");
        ResolvedPackage {
            name: name.parse().unwrap(),
            version: version.parse().unwrap(),
            source: ResolvedSource::Registry {
                index: RegistryLocation::Path(links.to_path_buf()),
            },
            fork_markers: forks.iter().map(|f| m(f)).collect(),
            dependencies: Vec::new(),
            optional_dependencies: Default::default(),
            dependency_groups: Default::default(),
            // A find-links folder lists neither digests nor sizes.
            files: vec![ResolvedFile {
                location: FileLocation::Path(links.join(&filename)),
                filename,
                kind: FileKind::Wheel,
                sha256: None,
                size: None,
            }],
        }
    }

    pub fn resolution(root: &Path, graph: &wslock_graph::WorkspaceGraph) -> Resolution {
        let links = root.join("../links");
        let forks = [
            "python_full_version >= '3.10' and sys_platform == 'linux'",
            "python_full_version < '3.10' and sys_platform == 'linux'",
            "python_full_version >= '3.10' and sys_platform != 'linux'",
            "python_full_version < '3.10' and sys_platform != 'linux'",
        ];
        let member = |name: &str| {
            let info = graph
                .members()
                .iter()
                .find(|i| i.name.as_ref() == name)
                .unwrap();
            ResolvedPackage {
                name: info.name.clone(),
                version: info.version.clone().unwrap(),
                source: ResolvedSource::Member {
                    kind: info.kind,
                    path: info.path.clone(),
                },
                fork_markers: Vec::new(),
                dependencies: Vec::new(),
                optional_dependencies: Default::default(),
                dependency_groups: Default::default(),
                files: Vec::new(),
            }
        };
        let mut a = member("a");
        a.dependencies = vec![
            dep("attrs", "22.2.0", "sys_platform != 'linux'"),
            dep("attrs", "23.1.0", "sys_platform == 'linux'"),
        ];
        a.optional_dependencies
            .insert("cli".parse().unwrap(), vec![dep("colorama", "1.0", "")]);
        a.dependency_groups
            .insert("dev".parse().unwrap(), vec![dep("idna", "3.6", "")]);
        let mut app = member("app");
        let mut requests_socks = dep("requests", "2.31.0", "");
        requests_socks.extras = vec!["socks".parse().unwrap()];
        app.dependencies = vec![
            dep("a", "1.0", ""),
            dep("numpy", "1.26.0", "python_full_version < '3.10'"),
            dep("numpy", "2.1.0", "python_full_version >= '3.10'"),
            requests_socks,
        ];
        let mut requests = external(&links, "requests", "2.31.0", &[]);
        requests.dependencies = vec![
            dep("colorama", "1.0", "sys_platform == 'win32'"),
            dep("idna", "3.6", ""),
        ];
        requests
            .optional_dependencies
            .insert("socks".parse().unwrap(), vec![dep("pysocks", "1.7.1", "")]);
        Resolution {
            requires_python: graph.requires_python().unwrap().clone(),
            supported_markers: Vec::new(),
            options: Default::default(),
            fork_markers: forks.iter().map(|f| m(f)).collect(),
            packages: vec![
                a,
                app,
                external(&links, "attrs", "22.2.0", &[forks[2], forks[3]]),
                external(&links, "attrs", "23.1.0", &[forks[0], forks[1]]),
                external(&links, "colorama", "1.0", &[]),
                external(&links, "idna", "3.6", &[]),
                external(&links, "numpy", "1.26.0", &[forks[1], forks[3]]),
                external(&links, "numpy", "2.1.0", &[forks[0], forks[2]]),
                external(&links, "pysocks", "1.7.1", &[]),
                requests,
            ],
        }
    }
}

/// The fork sample's plan, from its hand-made resolution and its real workspace graph.
fn fork_sample_plan() -> LockPlan {
    let root = scenario_dir("forks");
    let workspace = workspace_at(&root, &root);
    let graph = graph_of(&workspace);
    let resolution = fork_sample_resolution(&root, &graph);
    LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .build()
        .unwrap()
}

#[test]
fn fork_sample_toml() {
    let toml = fork_sample_plan().to_toml();
    // The hand-made resolution gives the same lock uv wrote for this workspace.
    assert_eq!(toml, common::reference("scenarios/forks/uv.lock"));
    insta::assert_snapshot!(toml);
}

#[test]
fn fork_sample_json() {
    insta::assert_snapshot!(fork_sample_plan().to_json());
}

#[test]
fn extras_and_groups_toml() {
    insta::assert_snapshot!(common::fixture_plan("dev-groups-extras").to_toml());
}

#[test]
fn virtual_root_with_groups_constraints_and_overrides_toml() {
    insta::assert_snapshot!(scenario_plan("virtual-root").0.to_toml());
}

#[test]
fn url_index_with_hashes_toml() {
    insta::assert_snapshot!(scenario_plan("url-index").0.to_toml());
}

#[test]
fn member_kinds_json() {
    insta::assert_snapshot!(common::fixture_plan("member-kinds").to_json());
}

/// A find-links directory given as an absolute path: uv 0.13.8 writes it, and each of its
/// files, absolute and normalised, where a relative one gives `registry = "../links"` and
/// `path = "<file name>"` (observed with `uv lock --find-links /abs/links`, docs/lock-plan.md).
#[test]
fn a_registry_given_as_an_absolute_path_is_written_absolute() {
    let root = scenario_dir("forks");
    let workspace = workspace_at(&root, &root);
    let graph = graph_of(&workspace);
    let resolution = fork_sample_resolution(&root, &graph);
    // Spelled with `..` and `.`, as a user may type it: matched and written lexically.
    let given = root.join("./sub/../../links");
    let toml = LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .absolute_registries([given])
        .build()
        .unwrap()
        .to_toml();
    let links = root.parent().unwrap().join("links").display().to_string();
    let relative = common::reference("scenarios/forks/uv.lock");
    assert!(relative.contains("registry = \"../links\""));
    let expected = relative
        .replace(
            "registry = \"../links\"",
            &format!("registry = \"{links}\""),
        )
        .replace("{ path = \"", &format!("{{ path = \"{links}/"));
    assert_eq!(toml, expected);

    // Another directory given absolutely leaves this one relative.
    let other = LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .absolute_registries([root.join("vendor")])
        .build()
        .unwrap()
        .to_toml();
    assert_eq!(other, relative);
}

/// A local simple index lists `#sha256=` digests (a find-links folder does not): uv 0.13.8
/// writes the hash of such a file, with its path, and no size when the page gave none.
#[test]
fn a_local_file_with_a_listed_digest_keeps_its_hash() {
    let root = scenario_dir("forks");
    let workspace = workspace_at(&root, &root);
    let graph = graph_of(&workspace);
    let mut resolution = fork_sample_resolution(&root, &graph);
    let digest = "b7f415b9115aa5e87bc07353e1a5a20516b6dfdc13e54bbfc838bb3cb2ae418f";
    for package in &mut resolution.packages {
        if package.name.as_ref() == "idna" {
            package.files[0].sha256 = Some(digest.to_string());
        }
    }
    let toml = LockPlan::builder(&resolution, &graph)
        .workspace(&workspace)
        .build()
        .unwrap()
        .to_toml();
    assert!(
        toml.contains(&format!(
            "{{ path = \"idna-3.6-py3-none-any.whl\", hash = \"sha256:{digest}\" }}"
        )),
        "{toml}"
    );
    assert!(toml.contains("{ path = \"colorama-1.0-py3-none-any.whl\" }"));
}
