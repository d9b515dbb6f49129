//! The JSON snapshot source: reading, writing, recording, and its documentation.

use std::path::Path;

use wslock_index::testing::{SdistBuilder, WheelBuilder};
use wslock_index::{FlatIndex, IndexError, Location, PackageSource, Recorder, Snapshot};
use wslock_pep::{PackageName, Version};

fn name(text: &str) -> PackageName {
    text.parse().unwrap()
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

/// The ```json block of docs/index-snapshot.md.
fn documented_example() -> String {
    let doc = include_str!("../../../docs/index-snapshot.md");
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

#[test]
fn the_documented_example_reads_and_answers() {
    let snapshot = Snapshot::from_json_str(&documented_example()).unwrap();
    let idna = snapshot.versions(&name("IDNA")).unwrap();
    let info = idna.get(&version("3.7")).unwrap();
    assert_eq!(info.files.len(), 2);
    assert_eq!(
        info.files[0].registry.to_string(),
        "https://pypi.example.org/simple"
    );
    assert_eq!(
        info.files[1].location,
        Location::Path("sdists/idna-3.7.tar.gz".into())
    );
    assert_eq!(info.files[0].sha256.unwrap().to_hex().len(), 64);

    let requests = snapshot.versions(&name("requests")).unwrap();
    let old = requests.get(&version("2.31.0")).unwrap();
    assert_eq!(
        old.requires_python, None,
        "not listed: only the metadata says"
    );
    let yanked = requests.get(&version("2.32.0")).unwrap();
    assert!(yanked
        .yanked
        .as_ref()
        .unwrap()
        .reason
        .as_deref()
        .unwrap()
        .starts_with("Yanked due to"));

    let metadata = snapshot
        .metadata(&name("requests"), &version("2.31.0"))
        .unwrap();
    assert_eq!(metadata.requires_dist.len(), 3);
    assert_eq!(metadata.provides_extra[0].as_ref(), "socks");
    let err = snapshot
        .metadata(&name("requests"), &version("2.32.0"))
        .unwrap_err();
    assert!(
        matches!(err, IndexError::MetadataUnavailable { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no core metadata for requests 2.32.0 in the index snapshot `<snapshot>`"
    );
    let err = snapshot
        .metadata(&name("requests"), &version("9.0"))
        .unwrap_err();
    assert!(matches!(err, IndexError::UnknownVersion { .. }), "{err:?}");
    assert!(snapshot.versions(&name("absent")).unwrap().is_empty());
}

#[test]
fn writing_is_deterministic_and_reads_back_the_same() {
    let snapshot = Snapshot::from_json_str(&documented_example()).unwrap();
    let written = snapshot.to_json();
    let reread = Snapshot::from_json_str(&written).unwrap();
    assert_eq!(
        reread.to_json(),
        written,
        "a written snapshot is a fixed point"
    );
    for package in ["idna", "requests"] {
        assert_eq!(
            snapshot.versions(&name(package)).unwrap(),
            reread.versions(&name(package)).unwrap()
        );
    }
    assert_eq!(
        snapshot
            .metadata(&name("requests"), &version("2.31.0"))
            .unwrap(),
        reread
            .metadata(&name("requests"), &version("2.31.0"))
            .unwrap()
    );
    assert!(written.ends_with("}\n"));
    // Keys in the documented order, optional ones left out.
    let start = written.find("\"version\": \"2.32.0\"").unwrap();
    assert!(
        written[start..].starts_with("\"version\": \"2.32.0\",\n          \"yanked\": \"Yanked"),
        "{written}"
    );
}

#[test]
fn a_snapshot_file_resolves_relative_paths_against_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("index.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, documented_example()).unwrap();
    let snapshot = Snapshot::read(&path).unwrap();
    let idna = snapshot.versions(&name("idna")).unwrap();
    let sdist = &idna.iter().next().unwrap().files[1];
    assert_eq!(
        sdist.location,
        Location::Path(dir.path().join("nested/sdists/idna-3.7.tar.gz"))
    );
    assert_eq!(
        sdist.registry,
        Location::Path(dir.path().join("nested/sdists"))
    );
    let err = snapshot
        .metadata(&name("requests"), &version("2.32.0"))
        .unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn errors_name_the_json_path() {
    let cases = [
        (r#"{"format": "other", "version": 1}"#, "`format` is \"other\", expected \"wslock-index-snapshot\""),
        (r#"{"format": "wslock-index-snapshot", "version": 2}"#, "format version 2 is not supported"),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "a", "versions": [{"version": "1", "metadata": {"require-dist": []}}]}]}"#,
            "at `packages[0].versions[0].metadata.require-dist`: unknown field `require-dist`, expected one of",
        ),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "a", "versions": [{"version": "1", "metadata": {"requires-dist": ["ok", "b >>= 1"]}}]}]}"#,
            "packages[0].versions[0].metadata.requires-dist[1]: invalid requirement \"b >>= 1\"",
        ),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "a", "versions": [{"version": "1.0"}, {"version": "1.0.0"}]}]}"#,
            "packages[0].versions[1]: version 1.0.0 of `a` is listed twice",
        ),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "A"}, {"name": "a"}]}"#,
            "packages[1]: `a` is listed twice",
        ),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "a", "versions": [{"version": "1", "files": [{"filename": "a-2.0.tar.gz", "path": "x"}]}]}]}"#,
            "packages[0].versions[0].files[0].filename: `a-2.0.tar.gz` is not version 1",
        ),
        (
            r#"{"format": "wslock-index-snapshot", "version": 1, "packages": [{"name": "a", "versions": [{"version": "1", "files": [{"filename": "a-1.tar.gz"}]}]}]}"#,
            "packages[0].versions[0].files[0]: exactly one of `url` and `path` is required",
        ),
        ("{\"format\": ", "at `format`: EOF while parsing a value at line 1 column 11"),
    ];
    for (text, expected) in cases {
        let err = Snapshot::from_json_str(text).unwrap_err();
        assert!(matches!(err, IndexError::Snapshot { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with("invalid index snapshot `<snapshot>`: "),
            "{message}"
        );
        assert!(
            message.contains(expected),
            "{message}\n  expected: {expected}"
        );
    }
}

fn find_links(dir: &Path) -> FlatIndex {
    WheelBuilder::new("app", "1.0")
        .requires_dist("lib>=1")
        .write_to(dir)
        .unwrap();
    WheelBuilder::new("lib", "1.0")
        .requires_python(">=3.8")
        .write_to(dir)
        .unwrap();
    WheelBuilder::new("lib", "2.0")
        .requires_dist("extra-dep; extra == 'x'")
        .provides_extra("x")
        .write_to(dir)
        .unwrap();
    SdistBuilder::new("lib", "3.0")
        .dynamic("Requires-Dist")
        .write_to(dir)
        .unwrap();
    FlatIndex::directory(dir)
}

#[test]
fn capture_records_every_version_and_what_metadata_there_is() {
    let dir = tempfile::tempdir().unwrap();
    let source = find_links(dir.path());
    let snapshot = Snapshot::capture(&source, &[name("app"), name("lib"), name("absent")]).unwrap();
    assert_eq!(
        snapshot
            .package_names()
            .map(|n| n.to_string())
            .collect::<Vec<_>>(),
        ["app", "lib"]
    );
    for v in ["1.0", "2.0"] {
        assert_eq!(
            snapshot.metadata(&name("lib"), &version(v)).unwrap(),
            source.metadata(&name("lib"), &version(v)).unwrap()
        );
    }
    // The sdist that needs a build is listed, without metadata.
    assert_eq!(snapshot.versions(&name("lib")).unwrap().len(), 3);
    assert!(matches!(
        snapshot.metadata(&name("lib"), &version("3.0")),
        Err(IndexError::MetadataUnavailable { .. })
    ));
    let path = dir.path().join("out").join("snapshot.json");
    snapshot.write(&path).unwrap();
    let reread = Snapshot::read(&path).unwrap();
    assert_eq!(reread.to_json(), snapshot.to_json());
}

#[test]
fn a_recorder_keeps_exactly_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let recorder = Recorder::new(find_links(dir.path()));
    // What a resolver would do: app's versions and metadata, then lib 2.0's, then hash the plan.
    recorder.versions(&name("app")).unwrap();
    let app = recorder.metadata(&name("app"), &version("1.0")).unwrap();
    assert_eq!(app.requires_dist[0].name.as_ref(), "lib");
    let lib = recorder.metadata(&name("lib"), &version("2.0")).unwrap();
    let lib_versions = recorder.versions(&name("lib")).unwrap();
    let file = &lib_versions.get(&version("2.0")).unwrap().files[0];
    let digest = recorder.sha256(file).unwrap();

    let snapshot = recorder.snapshot();
    assert_eq!(
        snapshot.metadata(&name("lib"), &version("2.0")).unwrap(),
        lib
    );
    assert!(matches!(
        snapshot.metadata(&name("lib"), &version("1.0")),
        Err(IndexError::MetadataUnavailable { .. })
    ));
    let replayed = snapshot.versions(&name("lib")).unwrap();
    assert_eq!(
        replayed.get(&version("2.0")).unwrap().files[0].sha256,
        Some(digest)
    );
    assert_eq!(
        snapshot
            .sha256(&replayed.get(&version("2.0")).unwrap().files[0])
            .unwrap(),
        digest
    );
    assert!(matches!(
        snapshot.sha256(&replayed.get(&version("1.0")).unwrap().files[0]),
        Err(IndexError::HashUnavailable { .. })
    ));
}
