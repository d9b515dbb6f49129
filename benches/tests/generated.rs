//! The generator's output is deterministic and is a workspace wslock plans, with the forks the
//! benchmarks are meant to exercise. Small sizes only: these run under `cargo test`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use wslock::pipeline::{plan_workspace, SourceOptions};
use wslock_benches::{generate, generate_cached, Spec};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    generate(&Spec::new(30).seed(7), a.path()).unwrap();
    generate(&Spec::new(30).seed(7), b.path()).unwrap();
    generate(&Spec::new(30).seed(8), c.path()).unwrap();
    assert_eq!(tree(a.path()), tree(b.path()));
    assert_ne!(tree(a.path()), tree(c.path()));
}

#[test]
fn a_generated_workspace_plans_with_forks_on_platform_and_python() {
    let dir = tempfile::tempdir().unwrap();
    let generated = generate(&Spec::new(60).seed(1), dir.path()).unwrap();
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(dir.path()));
    let found = discover(&generated.workspace, &options).unwrap();
    let names: Vec<&str> = found
        .workspace()
        .members()
        .iter()
        .map(|m| m.name().as_ref())
        .collect();
    assert_eq!(names.len(), 60, "the *-scratch projects are excluded");
    assert!(names.iter().all(|name| name.starts_with("member-")));

    let sources = SourceOptions::new()
        .no_index(true)
        .find_links(generated.find_links.to_string_lossy().into_owned());
    let planned = plan_workspace(found.workspace(), &sources, &Default::default()).unwrap();
    let markers: Vec<String> = planned
        .plan
        .resolution_markers
        .iter()
        .map(|m| format!("{m:?}"))
        .collect();
    assert_eq!(markers.len(), 4, "{markers:?}");
    let text = planned.plan.to_toml();
    assert!(text.contains("python_full_version >= '3.12' and sys_platform == 'win32'"));

    // The snapshot describes the same packages: the plan from it is the same, but for the
    // spelling of the registry. The folder was given as an absolute path, which uv writes (and
    // its files) absolute; the snapshot's registry is relative to the root.
    let from_snapshot = SourceOptions::new().snapshot(&generated.snapshot);
    let again = plan_workspace(found.workspace(), &from_snapshot, &Default::default()).unwrap();
    let links = generated.find_links.display().to_string();
    assert!(text.contains(&format!("registry = \"{links}\"")));
    let relative = text
        .replace(
            &format!("registry = \"{links}\""),
            "registry = \"../find-links\"",
        )
        .replace(&format!("{{ path = \"{links}/"), "{ path = \"");
    assert_eq!(again.plan.to_toml(), relative);
}

#[test]
fn cached_inputs_are_reused_only_for_the_same_spec() {
    let dir = tempfile::tempdir().unwrap();
    generate_cached(&Spec::new(5), dir.path()).unwrap();
    let marker = dir.path().join("workspace/extra-file");
    fs::write(&marker, "kept").unwrap();
    generate_cached(&Spec::new(5), dir.path()).unwrap();
    assert!(
        marker.exists(),
        "the same spec keeps the directory as it is"
    );
    generate_cached(&Spec::new(6), dir.path()).unwrap();
    assert!(!marker.exists(), "another spec rewrites it");
    assert!(dir.path().join("workspace/packages/member-00005").is_dir());

    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("notes.txt"), "mine").unwrap();
    let refused = generate(&Spec::new(5), other.path()).unwrap_err();
    assert!(refused.to_string().contains("not written by wslock-gen"));
}
