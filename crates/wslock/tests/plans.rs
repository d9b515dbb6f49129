//! `wslock plan` end to end: every case under `testdata/plans/` against the find-links
//! directory `testdata/find-links/`.
//!
//! Solvable cases carry the `uv.lock` that uv 0.13.8 wrote from the same files
//! (`testdata/plans/relock-with-uv.sh`); wslock's plan must be the same file, byte for byte.
//! Both tools are run from the case directory with `--find-links ../../find-links`: uv writes a
//! find-links directory given relative relative to the root, and one given absolute absolute
//! (some cases also carry uv's lock for that, `uv-absolute-find-links.lock`).
//! Unsolvable cases carry uv's error; wslock must fail with exit status 1 and an explanation,
//! which is snapshotted.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{redact, wslock, wslock_in, Run};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .canonicalize()
        .expect("testdata exists")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(testdata().join("plans"))
        .expect("testdata/plans is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("pyproject.toml").is_file())
        .collect();
    cases.sort();
    cases
}

/// `wslock plan . --no-index --find-links ../../find-links` from the case directory, as uv
/// was run for the reference lock; `wslock plan .` for the cases whose pyproject.toml
/// configures the source ([`SOURCES_IN_PYPROJECT`]).
fn plan(case: &Path, extra: &[&str]) -> Run {
    let name = case.file_name().unwrap().to_string_lossy();
    if SOURCES_IN_PYPROJECT.contains(&name.as_ref()) {
        let data = testdata();
        let mut args = vec!["plan", "."];
        args.extend_from_slice(extra);
        return wslock_in(case, &args, &[("WSLOCK_ROOTS", &data), ("HOME", &data)]);
    }
    plan_with_links(case, "../../find-links", extra)
}

/// Cases whose root `pyproject.toml` sets `[tool.uv] find-links`: uv locked them with no source
/// flag (`relock-with-uv.sh`), and so are they planned.
const SOURCES_IN_PYPROJECT: &[&str] = &["settings-find-links"];

fn plan_with_links(case: &Path, links: &str, extra: &[&str]) -> Run {
    let data = testdata();
    let mut args = vec!["plan", ".", "--no-index", "--find-links", links];
    args.extend_from_slice(extra);
    wslock_in(case, &args, &[("WSLOCK_ROOTS", &data), ("HOME", &data)])
}

/// Cases where wslock's plan is known to differ from uv's, with the first line that differs
/// (ours, then uv's). Each is explained in `docs/lock-plan.md`; the test fails when the
/// difference changes or disappears, so a fix moves the case back to byte equality.
const KNOWN_DIFFERENCES: &[(&str, &[&str])] = &[(
    // uv's marker algebra writes `darwin` as `!= 'linux'` within the supported environments
    // {linux, darwin}, and knows `os_name == 'nt'` cannot hold there (so it drops `pirelo`);
    // pep508_rs 0.9.2 knows neither.
    "settings-environments",
    &[
        "ours 26:     { name = \"lambdor\", marker = \"sys_platform == 'darwin'\" },",
        "uv   26:     { name = \"lambdor\", marker = \"sys_platform != 'linux'\" },",
    ],
)];

/// The first line where the two texts differ, in the form of `KNOWN_DIFFERENCES`.
fn first_difference(ours: &str, theirs: &str) -> Vec<String> {
    let position = ours
        .lines()
        .zip(theirs.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(ours.lines().count().min(theirs.lines().count()));
    let line = |text: &str| text.lines().nth(position).unwrap_or("<end>").to_string();
    vec![
        format!("ours {}: {}", position + 1, line(ours)),
        format!("uv   {}: {}", position + 1, line(theirs)),
    ]
}

#[test]
fn every_solvable_case_is_the_lock_uv_writes() {
    let mut compared = 0;
    for case in cases() {
        let Ok(expected) = fs::read_to_string(case.join("uv.lock")) else {
            continue;
        };
        let run = plan(&case, &[]);
        assert_eq!(run.status, 0, "{}: {}", case.display(), run.stderr);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if let Some((_, known)) = KNOWN_DIFFERENCES.iter().find(|(known, _)| *known == name) {
            assert_ne!(
                run.stdout, expected,
                "{name} now matches uv: remove it from KNOWN_DIFFERENCES"
            );
            assert_eq!(first_difference(&run.stdout, &expected), *known, "{name}");
            continue;
        }
        if run.stdout != expected {
            let diff: Vec<String> = run
                .stdout
                .lines()
                .zip(expected.lines())
                .enumerate()
                .filter(|(_, (ours, theirs))| ours != theirs)
                .take(5)
                .map(|(line, (ours, theirs))| {
                    format!("line {}:\n  ours: {ours}\n  uv:   {theirs}", line + 1)
                })
                .collect();
            panic!(
                "{} differs from uv's uv.lock:\n{}",
                case.display(),
                diff.join("\n")
            );
        }
        compared += 1;
    }
    assert!(compared >= 14, "only {compared} cases compared");
}

/// With `--find-links /abs/testdata/find-links`, uv 0.13.8 writes `registry =
/// "/abs/testdata/find-links"` and every file as `path = "/abs/testdata/find-links/<file>"`,
/// and `uv lock --locked` rejects a lock that spells the directory relative (and the other way
/// round). `uv-absolute-find-links.lock` is uv's lock for that, the directory replaced by
/// `<find-links>`.
#[test]
fn an_absolute_find_links_is_written_as_uv_writes_it() {
    let links = testdata().join("find-links");
    let links_text = links.to_str().unwrap();
    let mut compared = 0;
    for case in cases() {
        let Ok(expected) = fs::read_to_string(case.join("uv-absolute-find-links.lock")) else {
            continue;
        };
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = expected.replace("<find-links>", links_text);
        assert!(
            expected.contains(&format!("registry = \"{links_text}\"")),
            "{name}"
        );
        // Given with `..` and a trailing slash: uv normalises an absolute path lexically.
        let spelled = format!("{}/../find-links/", testdata().join("plans").display());
        for given in [links_text, spelled.as_str()] {
            let run = plan_with_links(&case, given, &[]);
            assert_eq!(run.status, 0, "{name}: {}", run.stderr);
            if let Some((_, known)) = KNOWN_DIFFERENCES.iter().find(|(known, _)| *known == name) {
                assert_eq!(first_difference(&run.stdout, &expected), *known, "{name}");
            } else {
                assert_eq!(run.stdout, expected, "{name} with --find-links {given}");
            }
        }
        compared += 1;
    }
    assert!(
        compared >= 5,
        "only {compared} cases with an absolute find-links"
    );

    // The same directory given as a `file://` URL counts as absolute too.
    let case = testdata().join("plans/sdist-static");
    let url = format!("file://{links_text}");
    let run = plan_with_links(&case, &url, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let expected = fs::read_to_string(case.join("uv-absolute-find-links.lock")).unwrap();
    assert_eq!(run.stdout, expected.replace("<find-links>", links_text));
}

/// A flat `[[tool.uv.index]]` at a local path is spelled the same way: relative to the root
/// when its `url` is relative (to the `pyproject.toml`), absolute when it is absolute (both
/// observed with uv 0.13.8, which writes the same lock as with `--find-links`).
#[test]
fn a_local_flat_index_keeps_the_spelling_of_its_url() {
    let temp = tempfile::tempdir().unwrap();
    let links = temp.path().join("find-links");
    std::os::unix::fs::symlink(testdata().join("find-links"), &links).unwrap();
    let source = testdata().join("plans/sdist-static");
    for (url, expected) in [
        (
            "../../find-links".to_string(),
            fs::read_to_string(source.join("uv.lock")).unwrap(),
        ),
        (
            links.display().to_string(),
            fs::read_to_string(source.join("uv-absolute-find-links.lock"))
                .unwrap()
                .replace("<find-links>", &links.display().to_string()),
        ),
    ] {
        let case = temp.path().join("plans/sdist-static");
        let _ = fs::remove_dir_all(&case);
        copy_dir(&source, &case);
        let manifest = case.join("pyproject.toml");
        let mut text = fs::read_to_string(&manifest).unwrap();
        text +=
            &format!("\n[[tool.uv.index]]\nname = \"local\"\nurl = \"{url}\"\nformat = \"flat\"\n");
        fs::write(&manifest, text).unwrap();
        let run = wslock_in(
            &case,
            &["plan", "."],
            &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
        );
        assert_eq!(run.status, 0, "{url}: {}", run.stderr);
        assert_eq!(run.stdout, expected, "url = {url}");
    }
}

/// `testdata/simple-index/`: a local simple index with `#sha256=` digests and a yanked
/// version. uv writes each file with its hash, skips the yanked version unless a requirement
/// pins it with `==`, and spells the registry as given: relative (`../simple`, files relative to
/// the root) or, for a `file://` URL, absolute (files absolute too).
#[test]
fn a_local_simple_index_is_written_as_uv_writes_it() {
    let dir = testdata().join("simple-index");
    let simple = dir.join("simple");
    let links = testdata().join("find-links");
    for case in ["yanked-pinned", "yanked-skipped"] {
        let case = dir.join(case);
        let expected = fs::read_to_string(case.join("uv.lock")).unwrap();
        let run = wslock_in(
            &case,
            &["plan", ".", "--index-url", "../simple"],
            &[("WSLOCK_ROOTS", &testdata()), ("HOME", &testdata())],
        );
        assert_eq!(run.status, 0, "{}: {}", case.display(), run.stderr);
        assert_eq!(run.stdout, expected, "{}", case.display());

        let url = format!("file://{}", simple.display());
        let run = wslock_in(
            &case,
            &["plan", ".", "--index-url", &url],
            &[("WSLOCK_ROOTS", &testdata()), ("HOME", &testdata())],
        );
        assert_eq!(run.status, 0, "{}: {}", case.display(), run.stderr);
        let absolute = expected
            .replace(
                "registry = \"../simple\"",
                &format!("registry = \"{}\"", simple.display()),
            )
            .replace(
                "path = \"../../find-links/",
                &format!("path = \"{}/", links.display()),
            );
        assert_eq!(run.stdout, absolute, "{} with {url}", case.display());
    }
}

#[test]
fn every_unsolvable_case_is_explained() {
    let data = testdata();
    let mut explained = 0;
    for case in cases() {
        if !case.join("uv-error.txt").is_file() {
            continue;
        }
        let run = plan(&case, &[]);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            run.status, 1,
            "{name}: no solution is exit status 1: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{name}");
        insta::assert_snapshot!(
            format!("unsolvable-{name}"),
            redact(&run.stderr, &data, "[TESTDATA]")
        );
        explained += 1;
    }
    assert!(explained >= 4, "only {explained} unsolvable cases");
}

#[test]
fn json_output_is_the_same_plan() {
    let case = testdata().join("plans/fork-platform");
    let run = plan(&case, &["--format", "json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["resolution-markers"].as_array().map(Vec::len), Some(2));
    insta::assert_snapshot!("fork-platform-json", run.stdout);
}

#[test]
fn output_writes_the_file_and_diff_compares_with_uv_lock() {
    // The same layout as testdata (`plans/simple` beside `find-links`), so the plan's relative
    // registry path is the one uv recorded.
    let temp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        testdata().join("find-links"),
        temp.path().join("find-links"),
    )
    .unwrap();
    let source = testdata().join("plans/simple");
    let case = temp.path().join("plans/simple");
    copy_dir(&source, &case);
    let plan = |extra: &[&str]| {
        let mut args = vec![
            "plan",
            ".",
            "--no-index",
            "--find-links",
            "../../find-links",
        ];
        args.extend_from_slice(extra);
        wslock_in(
            &case,
            &args,
            &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
        )
    };
    let output = case.join("planned.lock");
    let run = plan(&["--output", output.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "", "with --output nothing goes to stdout");
    let expected = fs::read_to_string(source.join("uv.lock")).unwrap();
    assert_eq!(fs::read_to_string(&output).unwrap(), expected);

    // Identical plans: an empty diff.
    let run = plan(&["--diff"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("no changes"), "{}", run.stdout);

    // Pin an older version in the existing lock: the diff shows the change.
    let edited = expected.replacen(
        "name = \"alphix\"\nversion = \"2.0\"",
        "name = \"alphix\"\nversion = \"1.1\"",
        1,
    );
    assert_ne!(edited, expected, "the fixture has alphix 2.0");
    fs::write(case.join("uv.lock"), edited).unwrap();
    let run = plan(&["--diff"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!("diff-against-edited-lock", run.stdout);

    // No uv.lock: a clear error.
    fs::remove_file(case.join("uv.lock")).unwrap();
    let run = plan(&["--diff"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("uv.lock"), "{}", run.stderr);
}

#[test]
fn no_package_source_is_a_clear_error() {
    let data = testdata();
    let case = data.join("plans/simple");
    let run = wslock(
        &["plan", case.to_str().unwrap(), "--no-index"],
        &[("WSLOCK_ROOTS", &data), ("HOME", &data)],
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `[tool.uv] find-links` relative to the root, whatever the working directory: planned from
/// the member's directory, the fixture is still uv's lock (uv 0.13.8 reads it relative to the
/// file too). A source setting of the wrong type is an error naming the key; uv 0.13.8 only
/// warns and then drops every setting of the file.
#[test]
fn find_links_in_the_root_pyproject_is_relative_to_it() {
    let data = testdata();
    let case = data.join("plans/settings-find-links");
    let expected = fs::read_to_string(case.join("uv.lock")).unwrap();
    let run = wslock_in(
        &case.join("sfl-lib"),
        &["plan", ".."],
        &[("WSLOCK_ROOTS", &data), ("HOME", &data)],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);

    for (setting, key) in [
        ("find-links = \"../links\"", "tool.uv.find-links"),
        ("no-index = \"true\"", "tool.uv.no-index"),
        ("index-url = [\"../simple\"]", "tool.uv.index-url"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        fs::write(
            temp.path().join("pyproject.toml"),
            format!("[project]\nname = \"app\"\nversion = \"1.0\"\n\n[tool.uv]\n{setting}\n"),
        )
        .unwrap();
        let run = wslock(
            &["plan", temp.path().to_str().unwrap()],
            &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
        );
        assert_eq!(run.status, 2, "{setting}: {}", run.stderr);
        assert!(run.stderr.contains(key), "{setting}: {}", run.stderr);
        assert!(
            run.stderr.contains("pyproject.toml"),
            "{setting}: {}",
            run.stderr
        );
    }
}

/// Settings that change what uv locks and that wslock does not implement are refused with the
/// setting and the file named, never ignored.
#[test]
fn unsupported_lock_settings_are_refused() {
    let data = testdata();
    for (setting, shown) in [
        (
            "conflicts = [[{ extra = \"a\" }, { extra = \"b\" }]]",
            "conflicts",
        ),
        (
            "required-environments = [\"sys_platform == 'win32'\"]",
            "required-environments",
        ),
        ("fork-strategy = \"fewest\"", "fork-strategy = \"fewest\""),
        ("exclude-newer = \"2024-01-01T00:00:00Z\"", "exclude-newer"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        fs::write(
            temp.path().join("pyproject.toml"),
            format!("[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n\n[tool.uv]\n{setting}\n"),
        )
        .unwrap();
        let links = data.join("find-links");
        let run = wslock(
            &[
                "plan",
                temp.path().to_str().unwrap(),
                "--no-index",
                "--find-links",
                links.to_str().unwrap(),
            ],
            &[("WSLOCK_ROOTS", temp.path()), ("HOME", temp.path())],
        );
        assert_eq!(run.status, 2, "{setting}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("`{shown}`")),
            "{setting}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("pyproject.toml"),
            "{setting}: {}",
            run.stderr
        );
    }
}
