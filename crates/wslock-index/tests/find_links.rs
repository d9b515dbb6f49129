//! The find-links source over real wheel and sdist files built by the test suite.

use std::fs;
use std::path::Path;

use wslock_index::testing::{SdistBuilder, SdistFormat, WheelBuilder};
use wslock_index::{
    prefetch_versions, FlatIndex, IndexError, Location, PackageSource, Sha256Digest,
};
use wslock_pep::{PackageName, Version};

fn name(text: &str) -> PackageName {
    text.parse().unwrap()
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

fn versions_of(source: &FlatIndex, package: &str) -> Vec<String> {
    source
        .versions(&name(package))
        .unwrap()
        .iter()
        .map(|info| info.version.to_string())
        .collect()
}

#[test]
fn versions_and_metadata_come_from_real_wheels() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .requires_dist("idna>=2.5")
        .requires_dist("pysocks>=1.5.6; extra == 'socks'")
        .provides_extra("socks")
        .requires_python(">=3.8")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("demo", "1.10")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("demo", "1.9")
        .tag("cp312-cp312-manylinux_2_17_x86_64")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("other", "5.0")
        .write_to(dir.path())
        .unwrap();
    fs::write(dir.path().join("README.md"), "not a distribution").unwrap();
    fs::create_dir(dir.path().join("demo-9.0-py3-none-any.whl")).unwrap();

    let source = FlatIndex::directory(dir.path());
    assert_eq!(versions_of(&source, "demo"), ["1.0", "1.9", "1.10"]);
    let versions = source.versions(&name("demo")).unwrap();
    let nine = versions.get(&version("1.9")).unwrap();
    let wheel = nine.files[0].filename.as_wheel().unwrap();
    assert_eq!(wheel.platform_tags, ["manylinux_2_17_x86_64"]);
    assert_eq!(
        nine.files[0].registry,
        Location::Path(dir.path().to_path_buf())
    );
    assert_eq!(
        nine.files[0].sha256, None,
        "find-links folders list no digests"
    );
    assert_eq!(
        nine.requires_python, None,
        "unknown before metadata is read"
    );

    let metadata = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(metadata.name, name("demo"));
    let requirements: Vec<String> = metadata
        .requires_dist
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(requirements.len(), 2);
    assert!(
        requirements[1].starts_with("pysocks>=1.5.6"),
        "{requirements:?}"
    );
    assert_eq!(metadata.provides_extra.len(), 1);
    assert_eq!(
        metadata.requires_python.as_ref().unwrap().to_string(),
        ">=3.8"
    );

    // Memoised: the same Arc comes back.
    let again = source.metadata(&name("demo"), &version("1.0.0")).unwrap();
    assert!(std::sync::Arc::ptr_eq(&metadata, &again));
}

#[test]
fn metadata_is_read_only_for_the_version_asked() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .write_to(dir.path())
        .unwrap();
    fs::write(
        dir.path().join("demo-2.0-py3-none-any.whl"),
        b"not a zip at all",
    )
    .unwrap();
    let source = FlatIndex::directory(dir.path());
    // Listing never opens the files: the corrupt 2.0 is listed like any other.
    assert_eq!(versions_of(&source, "demo"), ["1.0", "2.0"]);
    assert!(source.metadata(&name("demo"), &version("1.0")).is_ok());
    assert!(source.metadata(&name("demo"), &version("2.0")).is_err());
}

#[test]
fn corrupt_zip_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("demo-1.0-py3-none-any.whl"),
        b"PK\x03\x04 garbage",
    )
    .unwrap();
    let good = WheelBuilder::new("demo", "2.0").build().unwrap();
    fs::write(
        dir.path().join("demo-2.0-py3-none-any.whl"),
        &good[..good.len() / 2],
    )
    .unwrap();
    let source = FlatIndex::directory(dir.path());
    for (v, file) in [
        ("1.0", "demo-1.0-py3-none-any.whl"),
        ("2.0", "demo-2.0-py3-none-any.whl"),
    ] {
        let err = source.metadata(&name("demo"), &version(v)).unwrap_err();
        assert!(matches!(err, IndexError::CorruptArchive { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(file), "{message}");
        assert!(message.contains(&format!("demo {v}")), "{message}");
        assert!(message.contains("is not a valid archive"), "{message}");
        assert!(!err.hint().is_empty());
    }
}

#[test]
fn wheel_without_metadata_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .without_metadata()
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let err = source.metadata(&name("demo"), &version("1.0")).unwrap_err();
    assert!(matches!(err, IndexError::MissingMetadata { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "wheel `{}` (demo 1.0) has no usable `.dist-info/METADATA`: no `<name>-<version>.dist-info/METADATA` entry of this package",
            dir.path().join("demo-1.0-py3-none-any.whl").display()
        )
    );
    assert!(
        err.hint().contains("demo-1.0.dist-info/METADATA"),
        "{}",
        err.hint()
    );
}

#[test]
fn non_normalised_filenames_are_the_same_package() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("Foo.Bar", "1.0")
        .filename("Foo.Bar-1.0-py3-none-any.whl")
        .write_to(dir.path())
        .unwrap();
    SdistBuilder::new("foo-bar", "2.0")
        .filename("foo-bar-2.0.tar.gz")
        .write_to(dir.path())
        .unwrap();
    SdistBuilder::new("Foo_Bar", "3.0")
        .filename("Foo_Bar-3.0.tar.gz")
        .write_to(dir.path())
        .unwrap();
    // Version spellings are normalised too: `4.0-post1` is `4.0.post1`.
    WheelBuilder::new("foo_bar", "4.0.post1")
        .filename("FOO_BAR-4.0_post1-py3-none-any.whl")
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    assert_eq!(
        versions_of(&source, "FOO-bar"),
        ["1.0", "2.0", "3.0", "4.0.post1"]
    );
    let versions = source.versions(&name("foo-bar")).unwrap();
    let filenames: Vec<&str> = versions
        .iter()
        .map(|info| info.files[0].filename.as_str())
        .collect();
    assert_eq!(
        filenames,
        [
            "Foo.Bar-1.0-py3-none-any.whl",
            "foo-bar-2.0.tar.gz",
            "Foo_Bar-3.0.tar.gz",
            "FOO_BAR-4.0_post1-py3-none-any.whl"
        ]
    );
    for v in ["1.0", "2.0", "3.0", "4.0.post1"] {
        let metadata = source.metadata(&name("foo-bar"), &version(v)).unwrap();
        assert_eq!(metadata.name.as_ref(), "foo-bar");
    }
}

#[test]
fn sdist_with_static_metadata_gives_its_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    SdistBuilder::new("demo", "1.0")
        .requires_dist("idna>=3")
        .provides_extra("cli")
        .requires_dist("click; extra == 'cli'")
        .requires_python(">=3.9")
        .dynamic("Description")
        .write_to(dir.path())
        .unwrap();
    SdistBuilder::new("demo", "1.1")
        .metadata_version("2.4")
        .requires_dist("idna>=3.1")
        .format(SdistFormat::Zip)
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let one = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(one.requires_dist.len(), 2);
    assert_eq!(one.provides_extra[0].as_ref(), "cli");
    let zip = source.metadata(&name("demo"), &version("1.1")).unwrap();
    assert_eq!(zip.requires_dist[0].to_string(), "idna>=3.1");
}

#[test]
fn sdist_without_static_metadata_needs_a_build() {
    let dir = tempfile::tempdir().unwrap();
    SdistBuilder::new("demo", "1.0")
        .metadata_version("2.1")
        .write_to(dir.path())
        .unwrap();
    SdistBuilder::new("demo", "2.0")
        .dynamic("Requires-Dist")
        .write_to(dir.path())
        .unwrap();
    SdistBuilder::new("demo", "3.0")
        .without_pkg_info()
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    for (v, reason) in [
        ("1.0", "its PKG-INFO has Metadata-Version 2.1; only 2.2 and later (PEP 643) say which fields are static"),
        ("2.0", "its PKG-INFO marks `Requires-Dist` as dynamic"),
        ("3.0", "the sdist has no top-level PKG-INFO"),
    ] {
        let err = source.metadata(&name("demo"), &version(v)).unwrap_err();
        assert!(matches!(err, IndexError::NeedsBuild { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "demo {v} needs a build to learn its dependencies, which wslock does not do: `{}`: {reason}",
                dir.path().join(format!("demo-{v}.tar.gz")).display()
            )
        );
        assert!(err.hint().contains("provide a wheel"));
    }
}

#[test]
fn a_wheel_is_preferred_over_an_sdist_of_the_same_version() {
    let dir = tempfile::tempdir().unwrap();
    SdistBuilder::new("demo", "1.0")
        .dynamic("Requires-Dist")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("demo", "1.0")
        .requires_dist("idna")
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let versions = source.versions(&name("demo")).unwrap();
    assert_eq!(versions.iter().next().unwrap().files.len(), 2);
    let metadata = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(metadata.requires_dist[0].name.as_ref(), "idna");
}

#[test]
fn metadata_that_disagrees_with_the_filename_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .metadata_text("Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
        .write_to(dir.path())
        .unwrap();
    WheelBuilder::new("demo", "2.0")
        .metadata_text(
            "Metadata-Version: 2.1\nName: demo\nVersion: 2.0\nRequires-Dist: idna (>=2.5\n",
        )
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let mismatch = source.metadata(&name("demo"), &version("1.0")).unwrap_err();
    assert!(
        mismatch
            .to_string()
            .contains("is for other 1.0, but the file is demo 1.0"),
        "{mismatch}"
    );
    let invalid = source.metadata(&name("demo"), &version("2.0")).unwrap_err();
    assert!(
        matches!(invalid, IndexError::InvalidMetadata { .. }),
        "{invalid:?}"
    );
    assert!(
        invalid.to_string().contains("`Requires-Dist: idna (>=2.5`"),
        "{invalid}"
    );
}

#[test]
fn sha256_is_computed_for_the_files_asked() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = WheelBuilder::new("demo", "1.0")
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let versions = source.versions(&name("demo")).unwrap();
    let file = &versions.iter().next().unwrap().files[0];
    let digest = source.sha256(file).unwrap();
    assert_eq!(digest, Sha256Digest::of_bytes(&fs::read(&wheel).unwrap()));
    // A file listed by another source is not this source's to hash.
    let mut foreign = file.clone();
    foreign.registry = Location::Path(Path::new("/elsewhere").to_path_buf());
    assert!(matches!(
        source.sha256(&foreign),
        Err(IndexError::HashUnavailable { .. })
    ));
}

#[test]
fn unknown_packages_are_empty_and_missing_folders_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    WheelBuilder::new("demo", "1.0")
        .write_to(dir.path())
        .unwrap();
    let source = FlatIndex::directory(dir.path());
    let nothing = source.versions(&name("nothing")).unwrap();
    assert!(nothing.is_empty() && !nothing.is_listed());
    let err = source.metadata(&name("demo"), &version("3.0")).unwrap_err();
    assert!(matches!(err, IndexError::UnknownVersion { .. }), "{err:?}");

    let missing = FlatIndex::directory(dir.path().join("missing"));
    let err = missing.versions(&name("demo")).unwrap_err();
    assert!(matches!(err, IndexError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn parallel_queries_share_one_listing() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<PackageName> = (0..16).map(|i| name(&format!("pkg{i}"))).collect();
    for package in &names {
        WheelBuilder::new(package.as_ref(), "1.0")
            .write_to(dir.path())
            .unwrap();
    }
    let source = FlatIndex::directory(dir.path());
    prefetch_versions(&source, &names).unwrap();
    // The folder is read once: files added later are not seen.
    WheelBuilder::new("pkg0", "2.0")
        .write_to(dir.path())
        .unwrap();
    assert_eq!(versions_of(&source, "pkg0"), ["1.0"]);
    assert_eq!(
        versions_of(&FlatIndex::directory(dir.path()), "pkg0"),
        ["1.0", "2.0"]
    );
}
