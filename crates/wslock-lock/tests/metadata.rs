//! `[package.metadata]` for sources outside the registry and the workspace (`path`, `editable`,
//! `git`), compared with uv's lock of the same manifest. The packages behind those sources are
//! not something a `Resolution` can express, so only the member's own metadata is built here.

mod common;

use std::collections::BTreeMap;

use common::{graph_of, scenario_dir, workspace_at};
use wslock_lock::{LockError, LockPlan};
use wslock_resolve::{Resolution, ResolvedDependency, ResolvedPackage, ResolvedSource};

/// The plan of a workspace's members alone, without any edge.
fn members_only(name: &str) -> (LockPlan, LockPlan) {
    let dir = scenario_dir(name);
    let workspace = workspace_at(&dir, &dir);
    let graph = graph_of(&workspace);
    let packages = graph
        .members()
        .iter()
        .map(|member| ResolvedPackage {
            name: member.name.clone(),
            version: member.version.clone().unwrap(),
            source: ResolvedSource::Member {
                kind: member.kind,
                path: member.path.clone(),
            },
            fork_markers: Vec::new(),
            dependencies: Vec::new(),
            optional_dependencies: BTreeMap::new(),
            dependency_groups: BTreeMap::new(),
            files: Vec::new(),
        })
        .collect();
    let resolution = Resolution {
        requires_python: graph.requires_python().unwrap().clone(),
        fork_markers: Vec::new(),
        supported_markers: Vec::new(),
        options: Default::default(),
        packages,
    };
    let ours = LockPlan::new(&resolution, &graph).unwrap();
    let theirs =
        LockPlan::from_toml(&common::reference(&format!("scenarios/{name}/uv.lock"))).unwrap();
    (ours, theirs)
}

fn app_metadata(plan: &LockPlan) -> &wslock_lock::PackageMetadata {
    &plan
        .packages
        .iter()
        .find(|p| p.name.as_ref() == "app")
        .unwrap()
        .metadata
}

#[test]
fn path_and_editable_sources_are_written_as_uv_writes_them() {
    let (ours, theirs) = members_only("path-sources");
    assert_eq!(app_metadata(&ours), app_metadata(&theirs));
}

#[test]
fn git_sources_carry_subdirectory_and_branch_in_the_query() {
    let (ours, theirs) = members_only("git-source");
    assert_eq!(app_metadata(&ours), app_metadata(&theirs));
    let toml = ours.to_toml();
    assert!(
        toml.contains(r#"requires-dist = [{ name = "gpkg", git = "file:///tmp/gitrepo?subdirectory=sub%2Fpkg&branch=feature%2Fx" }]"#),
        "{toml}"
    );
}

#[test]
fn resolutions_that_do_not_fit_the_workspace_are_errors() {
    let dir = scenario_dir("forks");
    let workspace = workspace_at(&dir, &dir);
    let graph = graph_of(&workspace);
    let member = |name: &str, edges: Vec<ResolvedDependency>| ResolvedPackage {
        name: name.parse().unwrap(),
        version: "1.0".parse().unwrap(),
        source: ResolvedSource::Member {
            kind: wslock_graph::MemberKind::Editable,
            path: dir.join(name),
        },
        fork_markers: Vec::new(),
        dependencies: edges,
        optional_dependencies: BTreeMap::new(),
        dependency_groups: BTreeMap::new(),
        files: Vec::new(),
    };
    let resolution = |packages| Resolution {
        requires_python: graph.requires_python().unwrap().clone(),
        fork_markers: Vec::new(),
        supported_markers: Vec::new(),
        options: Default::default(),
        packages,
    };
    let stranger = LockPlan::new(&resolution(vec![member("stranger", Vec::new())]), &graph);
    assert!(matches!(stranger, Err(LockError::UnknownMember { ref name }) if name == "stranger"));
    let dangling = ResolvedDependency {
        name: "attrs".parse().unwrap(),
        version: "23.1.0".parse().unwrap(),
        extras: Vec::new(),
        marker: wslock_pep::MarkerTree::TRUE,
    };
    let error = LockPlan::new(&resolution(vec![member("a", vec![dangling])]), &graph).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`a==1.0` depends on `attrs==23.1.0`, which is not a package of the plan"
    );
    assert_eq!(
        error.hint(),
        "the lock is inconsistent; regenerate it with `wslock plan` or `uv lock`"
    );
}
