//! Two options end to end, through the binary: `--package NAME` on `graph`, `requirements` and
//! `plan`, and `plan --index-snapshot FILE` (docs/index-snapshot.md).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{redact, wslock_in, Run};
use wslock::index::{FlatIndex, Snapshot};
use wslock::pep::PackageName;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .canonicalize()
        .expect("testdata exists")
}

/// `wslock ARGS` from `dir`, never reading above `testdata/`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let data = testdata();
    wslock_in(dir, args, &[("WSLOCK_ROOTS", &data), ("HOME", &data)])
}

fn describe(args: &[&str], run: &Run) -> String {
    let data = testdata().display().to_string();
    format!(
        "$ wslock {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        run.status,
        run.stdout.replace(&data, "[TESTDATA]"),
        run.stderr.replace(&data, "[TESTDATA]"),
    )
}

/// `plans/simple`: the root `simple-app` requires `simple-core` and `simple-util`, and
/// `simple-util` requires `simple-core`. `--package simple-util` keeps `simple-util` and the
/// member it reaches, `simple-core`, and leaves out the root and its own requirements (`alphix`,
/// `iotrex`) in every command.
#[test]
fn package_keeps_a_member_and_the_members_it_reaches() {
    let case = testdata().join("plans/simple");
    let commands: [&[&str]; 4] = [
        &["graph", ".", "--package", "simple-util"],
        &["requirements", ".", "--package", "simple-util"],
        &[
            "plan",
            ".",
            "--package",
            "simple-util",
            "--no-index",
            "--find-links",
            "../../find-links",
        ],
        &["graph", ".", "--package", "simple-core", "--format", "json"],
    ];
    let mut all = String::new();
    for args in commands {
        let run = run_in(&case, args);
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        all += &describe(args, &run);
        all += "\n";
    }
    insta::assert_snapshot!("package-simple-util", all);

    let plan = run_in(&case, commands[2]);
    assert!(!plan.stdout.contains("name = \"simple-app\""));
    assert!(!plan.stdout.contains("name = \"iotrex\""));
    assert!(plan.stdout.contains("name = \"kappaly\""));
}

#[test]
fn package_naming_no_member_is_an_error() {
    let case = testdata().join("plans/simple");
    for command in ["graph", "requirements", "plan"] {
        let args = [command, ".", "--package", "simple-nope", "--no-index"];
        let args: &[&str] = if command == "plan" { &args } else { &args[..4] };
        let run = run_in(&case, args);
        assert_eq!(run.status, 2, "{command}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{command}");
        assert!(
            run.stderr.contains("no member named `simple-nope`"),
            "{command}: {}",
            run.stderr
        );
    }
}

/// Every package of the find-links catalogue, by the name in its file names.
fn catalogue_names(links: &Path) -> Vec<PackageName> {
    let mut names: Vec<PackageName> = fs::read_dir(links)
        .unwrap()
        .filter_map(|entry| {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            let is_dist = file.ends_with(".whl") || file.ends_with(".tar.gz");
            let name = file.split('-').next()?;
            is_dist.then(|| wslock::pep::package_name(name).unwrap())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A snapshot captured from `testdata/find-links` answers as the folder does: planning
/// `plans/diamond` from it gives the lock uv 0.13.8 wrote from the folder. The snapshot's
/// registry and files are the folder's absolute paths, not a spelling the user gave, so the
/// plan writes them relative, as for `--find-links ../../find-links`.
#[test]
fn plan_from_an_index_snapshot_is_the_lock_uv_writes() {
    let data = testdata();
    let links = data.join("find-links");
    let temp = tempfile::tempdir().unwrap();
    let snapshot_path = temp.path().join("snapshot.json");
    let snapshot = Snapshot::capture(&FlatIndex::directory(&links), &catalogue_names(&links))
        .expect("the catalogue is readable");
    snapshot.write(&snapshot_path).unwrap();
    let text = fs::read_to_string(&snapshot_path).unwrap();
    assert!(text.starts_with("{\n  \"format\": \"wslock-index-snapshot\""));

    let case = data.join("plans/diamond");
    let expected = fs::read_to_string(case.join("uv.lock")).unwrap();
    let run = run_in(
        &case,
        &[
            "plan",
            ".",
            "--index-snapshot",
            snapshot_path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);

    // A relative FILE is relative to the working directory.
    let run = run_in(
        temp.path(),
        &[
            "plan",
            case.to_str().unwrap(),
            "--index-snapshot",
            "snapshot.json",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);
}

/// A hand-written snapshot of an HTTP index: the plan records each file's URL, hash and size,
/// and the registry URL. Nothing is fetched. A package the snapshot does not list has no
/// versions: no solution, exit status 1.
#[test]
fn plan_from_a_hand_written_snapshot_of_an_index() {
    let temp = tempfile::tempdir().unwrap();
    let snapshot = r#"{
  "format": "wslock-index-snapshot",
  "version": 1,
  "packages": [
    {
      "name": "Snap_Lib",
      "versions": [
        {
          "version": "1.0",
          "files": [
            {
              "filename": "snap_lib-1.0-py3-none-any.whl",
              "url": "https://files.example.org/snap_lib-1.0-py3-none-any.whl",
              "registry": "https://index.example.org/simple",
              "sha256": "0000000000000000000000000000000000000000000000000000000000000001",
              "size": 1234
            }
          ],
          "metadata": { "requires-dist": ["snap-dep>=2; extra == 'x'"], "provides-extra": ["x"] }
        },
        { "version": "1.1", "yanked": "broken", "metadata": {} }
      ]
    }
  ]
}
"#;
    fs::write(temp.path().join("index.json"), snapshot).unwrap();
    fs::write(
        temp.path().join("pyproject.toml"),
        "[project]\nname = \"snap-app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"snap-lib\"]\n",
    )
    .unwrap();
    let args = ["plan", ".", "--index-snapshot", "index.json"];
    let run = wslock_in(
        temp.path(),
        &args,
        &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!("index-snapshot-http", run.stdout);

    // With the extra, `snap-dep` is needed, and the snapshot does not list it.
    fs::write(
        temp.path().join("pyproject.toml"),
        "[project]\nname = \"snap-app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"snap-lib[x]\"]\n",
    )
    .unwrap();
    let run = wslock_in(
        temp.path(),
        &args,
        &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let stderr = redact(&run.stderr, temp.path(), "[TEMP]");
    assert!(stderr.contains("snap-dep"), "{stderr}");
}
