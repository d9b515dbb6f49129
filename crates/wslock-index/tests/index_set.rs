//! Several sources as one: uv's first-index rule, find-links merging, pins, explicit indexes,
//! and configuration from flags and environment.

use std::path::Path;
use std::sync::Arc;

use wslock_index::testing::{SdistBuilder, WheelBuilder};
use wslock_index::{
    FlatIndex, HttpOptions, IndexConfig, IndexError, IndexFormat, IndexSet, IndexSpec,
    IndexStrategy, Location, PackageSource, SimpleIndex, Snapshot,
};
use wslock_pep::{PackageName, Version};

fn name(text: &str) -> PackageName {
    text.parse().unwrap()
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

/// A snapshot index where each `(package, version, requires-dist)` has metadata.
fn snapshot(entries: &[(&str, &str, &str)]) -> Snapshot {
    let mut packages: Vec<(String, Vec<String>)> = Vec::new();
    for (package, v, requires) in entries {
        let entry =
            format!(r#"{{"version": "{v}", "metadata": {{"requires-dist": [{requires}]}}}}"#);
        match packages.iter_mut().find(|(known, _)| known == package) {
            Some((_, versions)) => versions.push(entry),
            None => packages.push((package.to_string(), vec![entry])),
        }
    }
    let packages: Vec<String> = packages
        .into_iter()
        .map(|(package, versions)| {
            format!(
                r#"{{"name": "{package}", "versions": [{}]}}"#,
                versions.join(",")
            )
        })
        .collect();
    Snapshot::from_json_str(&format!(
        r#"{{"format": "wslock-index-snapshot", "version": 1, "packages": [{}]}}"#,
        packages.join(",")
    ))
    .unwrap()
}

fn listed(source: &impl PackageSource, package: &str) -> Vec<String> {
    source
        .versions(&name(package))
        .unwrap()
        .iter()
        .map(|info| info.version.to_string())
        .collect()
}

#[test]
fn the_first_index_that_lists_a_package_wins() {
    let set = IndexSet::builder()
        .index(Some("internal"), snapshot(&[("corp", "1.0", r#""idna""#)]))
        .index(
            Some("mirror"),
            snapshot(&[("corp", "2.0", ""), ("idna", "3.6", "")]),
        )
        .default_index(
            None,
            snapshot(&[
                ("corp", "9.0", ""),
                ("idna", "3.7", ""),
                ("only-public", "1.0", ""),
            ]),
        )
        .build()
        .unwrap();
    assert_eq!(listed(&set, "corp"), ["1.0"]);
    assert_eq!(listed(&set, "idna"), ["3.6"]);
    assert_eq!(listed(&set, "only-public"), ["1.0"]);
    assert!(set.versions(&name("nowhere")).unwrap().is_empty());
    assert_eq!(
        set.metadata(&name("corp"), &version("1.0"))
            .unwrap()
            .requires_dist[0]
            .name
            .as_ref(),
        "idna"
    );
    assert!(matches!(
        set.metadata(&name("corp"), &version("9.0")),
        Err(IndexError::UnknownVersion { .. })
    ));

    // A package listed without versions still stops the search.
    let empty = Snapshot::from_json_str(
        r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "corp"}]}"#,
    )
    .unwrap();
    let blocking = IndexSet::builder()
        .index(None, empty)
        .default_index(None, snapshot(&[("corp", "9.0", "")]))
        .build()
        .unwrap();
    let versions = blocking.versions(&name("corp")).unwrap();
    assert!(versions.is_empty() && versions.is_listed());

    let best = IndexSet::builder()
        .strategy(IndexStrategy::UnsafeBestMatch)
        .index(None, snapshot(&[("corp", "1.0", r#""a""#)]))
        .default_index(
            None,
            snapshot(&[("corp", "1.0", r#""b""#), ("corp", "9.0", "")]),
        )
        .build()
        .unwrap();
    assert_eq!(listed(&best, "corp"), ["1.0", "9.0"]);
    let first = best.metadata(&name("corp"), &version("1.0")).unwrap();
    assert_eq!(
        first.requires_dist[0].name.as_ref(),
        "a",
        "a shared version is the first index's"
    );
}

#[test]
fn find_links_are_merged_into_the_index_answer() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .requires_dist("from-find-links")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("demo", "2.0")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("local-only", "0.1")
        .write_to(dir.path())
        .unwrap();
    let index = Snapshot::from_json_str(
        r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "demo", "versions": [
            {"version": "1.0", "files": [{"filename": "demo-1.0.tar.gz", "url": "https://files.example.org/demo-1.0.tar.gz", "registry": "https://example.org/simple"}],
             "metadata": {"requires-dist": ["from-index"]}},
            {"version": "3.0", "metadata": {}}]}]}"#,
    )
    .unwrap();
    let set = IndexSet::builder()
        .default_index(None, index)
        .find_links(FlatIndex::directory(dir.path()))
        .build()
        .unwrap();
    assert_eq!(listed(&set, "demo"), ["1.0", "2.0", "3.0"]);
    let versions = set.versions(&name("demo")).unwrap();
    let one = versions.get(&version("1.0")).unwrap();
    let filenames: Vec<&str> = one
        .files
        .iter()
        .map(|file| file.filename.as_str())
        .collect();
    assert_eq!(filenames, ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]);
    // The index owns 1.0 (it listed it first); find-links alone owns 2.0.
    assert_eq!(
        set.metadata(&name("demo"), &version("1.0"))
            .unwrap()
            .requires_dist[0]
            .name
            .as_ref(),
        "from-index"
    );
    assert!(set
        .metadata(&name("demo"), &version("2.0"))
        .unwrap()
        .requires_dist
        .is_empty());
    assert_eq!(listed(&set, "local-only"), ["0.1"]);

    // The plan's files are hashed by the source that listed them.
    let wheel = one
        .files
        .iter()
        .find(|file| file.filename.is_wheel())
        .unwrap();
    let digest = set.sha256(wheel).unwrap();
    assert_eq!(digest.to_hex().len(), 64);
    let sdist = one
        .files
        .iter()
        .find(|file| !file.filename.is_wheel())
        .unwrap();
    assert!(matches!(
        set.sha256(sdist),
        Err(IndexError::HashUnavailable { .. })
    ));
}

#[test]
fn pins_and_explicit_indexes() {
    let set = IndexSet::builder()
        .index(None, snapshot(&[("torch", "2.0", "")]))
        .explicit_index(
            "cpu",
            snapshot(&[("torch", "2.0+cpu", ""), ("secret", "1.0", "")]),
        )
        .default_index(Some("pypi"), snapshot(&[("torch", "2.1", "")]))
        .pin(name("torch"), "cpu")
        .build()
        .unwrap();
    assert_eq!(listed(&set, "torch"), ["2.0+cpu"]);
    assert!(set.metadata(&name("torch"), &version("2.0+cpu")).is_ok());
    assert!(
        set.versions(&name("secret")).unwrap().is_empty(),
        "explicit indexes are asked only for pins"
    );
    assert!(set.named("cpu").is_some() && set.named("nope").is_none());

    let err = IndexSet::builder()
        .default_index(None, snapshot(&[]))
        .pin(name("torch"), "cu121")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`torch` is pinned to the index `cu121`, but no index of that name is configured"
    );
    assert!(err.hint().contains("name = \"cu121\""));
}

#[test]
fn with_nothing_configured_the_error_says_how_to_configure() {
    let set = IndexConfig::new()
        .build(HttpOptions::new().no_cache())
        .unwrap();
    let err = set.versions(&name("requests")).unwrap_err();
    assert!(matches!(err, IndexError::NoIndex { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "`requests` is needed, but no package index or find-links location is configured"
    );
    assert_eq!(
        err.hint(),
        "pass --index-url URL or --find-links DIR, set UV_DEFAULT_INDEX, or set `find-links` or `index-url` under [tool.uv] (or add a [[tool.uv.index]] table with `default = true`) in the root pyproject.toml"
    );
    let only_explicit = IndexSet::builder()
        .explicit_index("x", snapshot(&[("a", "1", "")]))
        .build()
        .unwrap();
    assert!(matches!(
        only_explicit.versions(&name("a")),
        Err(IndexError::NoIndex { .. })
    ));
}

fn simple_layout(root: &Path, package: &str, files: &[&str]) {
    let dir = root.join(package);
    std::fs::create_dir_all(&dir).unwrap();
    let links: String = files
        .iter()
        .map(|file| format!("<a href=\"../../files/{file}\">{file}</a>\n"))
        .collect();
    std::fs::write(
        dir.join("index.html"),
        format!("<html><body>{links}</body></html>"),
    )
    .unwrap();
}

#[test]
fn configuration_builds_local_simple_flat_and_find_links_sources() {
    let root = tempfile::tempdir().unwrap();
    let files = root.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    WheelBuilder::new("demo", "1.0")
        .requires_dist("idna")
        .write_to(&files)
        .unwrap();
    SdistBuilder::new("demo", "1.1").write_to(&files).unwrap();
    WheelBuilder::new("idna", "3.7").write_to(&files).unwrap();
    let simple = root.path().join("simple");
    simple_layout(
        &simple,
        "demo",
        &["demo-1.0-py3-none-any.whl", "demo-1.1.tar.gz"],
    );

    let config = IndexConfig::new()
        .project_index(IndexSpec {
            name: Some("local".into()),
            default: true,
            ..IndexSpec::new(Location::Path(simple.clone()))
        })
        .project_index(IndexSpec {
            name: Some("flat".into()),
            explicit: true,
            format: IndexFormat::Flat,
            ..IndexSpec::new(Location::Path(files.clone()))
        })
        .pin(name("idna"), "flat")
        .with_env(|_| None, root.path())
        .unwrap();
    let set = config.build(HttpOptions::new().no_cache()).unwrap();
    assert_eq!(listed(&set, "demo"), ["1.0", "1.1"]);
    let demo = set.versions(&name("demo")).unwrap();
    let file = &demo.get(&version("1.0")).unwrap().files[0];
    assert_eq!(
        file.location,
        Location::Path(files.join("demo-1.0-py3-none-any.whl"))
    );
    assert_eq!(file.registry, Location::Path(simple.clone()));
    assert_eq!(
        set.metadata(&name("demo"), &version("1.0"))
            .unwrap()
            .requires_dist[0]
            .name
            .as_ref(),
        "idna"
    );
    assert!(set.metadata(&name("demo"), &version("1.1")).is_ok());
    assert_eq!(
        listed(&set, "idna"),
        ["3.7"],
        "pinned to the explicit flat index"
    );
    assert!(set.versions(&name("absent")).unwrap().is_empty());

    // --no-index keeps only find-links (from UV_FIND_LINKS here).
    let no_index = IndexConfig::new()
        .no_index(true)
        .project_index(IndexSpec::new(Location::Path(simple)))
        .with_env(
            |key| (key == "UV_FIND_LINKS").then(|| "files".to_string()),
            root.path(),
        )
        .unwrap()
        .build(HttpOptions::new().no_cache())
        .unwrap();
    assert_eq!(listed(&no_index, "idna"), ["3.7"]);

    // --index-snapshot replaces everything else.
    let snapshot_path = root.path().join("snap.json");
    Snapshot::capture(&set, &[name("demo")])
        .unwrap()
        .write(&snapshot_path)
        .unwrap();
    let replay = IndexConfig::new()
        .find_links(Location::Path(files))
        .snapshot(&snapshot_path)
        .build(HttpOptions::new().no_cache())
        .unwrap();
    assert_eq!(listed(&replay, "demo"), ["1.0", "1.1"]);
    assert!(replay.versions(&name("idna")).unwrap().is_empty());
}

#[test]
fn sources_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<FlatIndex>();
    assert_send_sync::<SimpleIndex>();
    assert_send_sync::<Snapshot>();
    assert_send_sync::<IndexSet>();
    assert_send_sync::<Arc<dyn PackageSource>>();
    assert_send_sync::<IndexError>();
}
