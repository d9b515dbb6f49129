//! Every malformed input under `testdata/bad/` through the real binary: each must fail with a
//! clear, short error that names the offending file, never with a panic or a hang.
//!
//! A case is a directory `testdata/bad/<case>/` holding the files of a workspace and a
//! `case.json` (see `testdata/bad/README.md`). The test copies the case into a temporary
//! directory, runs the case's `recipe` there (for what git cannot hold: symlink loops, FIFOs,
//! unreadable and huge files, non-UTF-8 paths), replaces `@CASE@` in the copied files with the
//! copy's absolute path, and runs `wslock` with the case's `args` in the copy, with the copy as
//! the only ceiling and as `HOME`. Then it checks properties, not exact messages (how errors
//! are rendered may change):
//!
//! - the exit status is the case's `status` (default 2), and nothing panicked;
//! - stderr says `error` and names the file (`names`, relative to the copy, appears in it,
//!   spelt absolute or as given);
//! - when the case gives a `line`, stderr says where (`line N` or `:N:`);
//! - stderr fits on one screen: at most 25 lines and 5,000 bytes;
//! - nothing is printed on stdout.

mod common;

use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// What `case.json` says about a case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What is wrong with the input, in one line (for the README and failure messages).
    about: String,
    /// The arguments, run in the copy (or in its `cwd` subdirectory).
    args: Vec<String>,
    /// Expected exit status: 2 (bad input) unless the case says otherwise.
    #[serde(default = "bad_input")]
    status: i32,
    /// The path (relative to the copy, or containing `@CASE@`/`@NONUTF8@`) stderr must name.
    names: String,
    /// The line the error must point at, when the format gives one (TOML).
    line: Option<usize>,
    /// Further substrings stderr must contain.
    #[serde(default)]
    contains: Vec<String>,
    /// A generator run on the copy before the command.
    recipe: Option<String>,
    /// A subdirectory of the copy to run in.
    cwd: Option<String>,
    /// Checks this case is known to fail, each with why (`names` or `size`): known gaps, listed
    /// in the README, that the test still runs every other check on.
    #[serde(default)]
    exempt: std::collections::BTreeMap<String, String>,
}

fn bad_input() -> i32 {
    2
}

/// The most stderr may hold: one screen of 25 lines of 200 columns.
const MAX_LINES: usize = 25;
const MAX_BYTES: usize = 5_000;

/// A command that runs this long has hung (on a FIFO, say): it is killed and the case fails.
/// Not a performance bound: every case finishes in well under a second.
const HANG: Duration = Duration::from_secs(60);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/bad")
        .canonicalize()
        .expect("testdata/bad exists")
}

fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = fs::read_dir(corpus())
        .expect("testdata/bad is readable")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("case.json").is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, path)
        })
        .collect();
    cases.sort();
    cases
}

/// A name that is not UTF-8 (`\xff` is never valid in UTF-8).
#[cfg(unix)]
fn non_utf8(prefix: &str) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend_from_slice(b"-\xff\xfe");
    OsString::from_vec(bytes)
}

/// Copies `from` into `to`, files and directories only (the corpus holds nothing else).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if entry.file_name() != "case.json" {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces `@CASE@` in every copied text file with the copy's absolute path.
fn substitute(dir: &Path, case_dir: &str) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            substitute(&path, case_dir);
        } else if let Ok(text) = fs::read_to_string(&path) {
            if text.contains("@CASE@") {
                fs::write(&path, text.replace("@CASE@", case_dir)).unwrap();
            }
        }
    }
}

fn write(path: &Path, contents: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

const MEMBER_B: &str = "[project]\nname = \"b\"\nversion = \"1.0\"\n";

/// A file of `size` bytes of valid TOML (a small header and comment lines), so a reader without
/// a size limit would read and parse all of it.
fn huge_toml(path: &Path, header: &str, size: usize) {
    let mut file = fs::File::create(path).unwrap();
    file.write_all(header.as_bytes()).unwrap();
    let line = format!("#{}\n", "x".repeat(1022));
    let mut written = header.len();
    while written < size {
        file.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
}

/// 20 MiB: larger than any manifest wslock accepts.
const HUGE: usize = 20 * 1024 * 1024;

/// Makes `path` unreadable: mode 000 where that denies reads; where it does not (the tests run
/// as root), the file becomes a symlink to `/proc/self/mem`, which opens but fails to read
/// (EIO at offset 0), the nearest honest stand-in for a read error.
#[cfg(unix)]
fn make_unreadable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    write(path, MEMBER_B);
    fs::set_permissions(path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(path).is_err() {
        return true;
    }
    fs::remove_file(path).unwrap();
    if !Path::new("/proc/self/mem").exists() {
        return false;
    }
    symlink("/proc/self/mem", path);
    true
}

/// Runs a recipe on the copy at `dir`; `false` when it cannot be built on this system (the case
/// is then reported as skipped).
#[cfg(unix)]
fn run_recipe(recipe: &str, dir: &Path) -> bool {
    match recipe {
        "symlink-self-loop" => symlink("loop", &dir.join("packages/loop")),
        "symlink-pair-loop" => {
            symlink("b", &dir.join("packages/a"));
            symlink("a", &dir.join("packages/b"));
        }
        "symlink-up-loop" => symlink("..", &dir.join("packages/up")),
        "symlink-manifest-loop" => symlink("pyproject.toml", &dir.join("pyproject.toml")),
        "symlink-manifest-dangling" => {
            symlink("missing.toml", &dir.join("packages/b/pyproject.toml"))
        }
        "symlink-dev-zero" => symlink("/dev/zero", &dir.join("packages/b/pyproject.toml")),
        "symlink-uv-toml-loop" => symlink("uv.toml", &dir.join("uv.toml")),
        "unreadable-member" => return make_unreadable(&dir.join("packages/b/pyproject.toml")),
        "unreadable-root" => return make_unreadable(&dir.join("pyproject.toml")),
        "fifo-member" => mkfifo(&dir.join("packages/b/pyproject.toml")),
        "fifo-root" => mkfifo(&dir.join("pyproject.toml")),
        // The copy's own name is made non-UTF-8 before copying; see `prepare`.
        "non-utf8-case-dir" => {}
        "non-utf8-missing-start" | "non-utf8-find-links" => {}
        "non-utf8-member-dir" => {
            let member = dir.join("packages").join(non_utf8("missing"));
            if fs::create_dir_all(&member).is_err() {
                return false;
            }
            write(&member.join("pyproject.toml"), MEMBER_B);
        }
        "huge-manifest" => huge_toml(&dir.join("pyproject.toml"), MEMBER_B, HUGE),
        "huge-member-manifest" => {
            fs::create_dir_all(dir.join("packages/b")).unwrap();
            huge_toml(&dir.join("packages/b/pyproject.toml"), MEMBER_B, HUGE);
        }
        "huge-uv-toml" => huge_toml(&dir.join("uv.toml"), "", HUGE),
        "huge-requirement-line" => write(
            &dir.join("pyproject.toml"),
            format!(
                "[project]\nname = \"a\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"foo >=< {}\"]\n",
                "9".repeat(1024 * 1024)
            ),
        ),
        "many-members-one-broken" => {
            for index in 0..1000 {
                let text = if index == 777 {
                    "[project]\nname = \"m-0777\nversion = \"1.0\"\n".to_string()
                } else {
                    format!("[project]\nname = \"m-{index:04}\"\nversion = \"1.0\"\n")
                };
                write(
                    &dir.join(format!("packages/m-{index:04}/pyproject.toml")),
                    text,
                );
            }
        }
        other => panic!("unknown recipe `{other}`"),
    }
    true
}

#[cfg(not(unix))]
fn run_recipe(_recipe: &str, _dir: &Path) -> bool {
    false
}

/// Replaces the placeholders of an argument or of `names`: `@CASE@` (the copy's path) and
/// `@NONUTF8@` (the name `missing-\xff\xfe`, which is not UTF-8).
fn expand(text: &str, copy: &Path) -> OsString {
    let text = text.replace("@CASE@", &copy.to_string_lossy());
    #[cfg(unix)]
    if let Some((before, after)) = text.split_once("@NONUTF8@") {
        let mut expanded = OsString::from(before);
        expanded.push(non_utf8("missing"));
        expanded.push(after);
        return expanded;
    }
    OsString::from(text)
}

/// The outcome of one case: `Ok(None)` passed, `Ok(Some(why))` skipped, `Err(why)` failed.
fn check(name: &str, source: &Path) -> Result<Option<String>, String> {
    let case: Case = serde_json::from_str(&fs::read_to_string(source.join("case.json")).unwrap())
        .map_err(|error| format!("case.json: {error}"))?;
    if let Some(check) = case
        .exempt
        .keys()
        .find(|check| !["names", "size"].contains(&check.as_str()))
    {
        return Err(format!("case.json: unknown exemption `{check}`"));
    }
    let temp = tempfile::tempdir().unwrap();
    let copy_name = if case.recipe.as_deref() == Some("non-utf8-case-dir") {
        #[cfg(unix)]
        {
            non_utf8(name)
        }
        #[cfg(not(unix))]
        return Ok(Some("non-UTF-8 paths need Unix".into()));
    } else {
        OsString::from(name)
    };
    let copy = temp.path().join(&copy_name);
    if fs::create_dir(&copy).is_err() {
        // Some file systems (APFS) refuse names that are not UTF-8.
        return Ok(Some(format!("cannot create `{}`", copy.display())));
    }
    copy_tree(source, &copy);
    substitute(&copy, &copy.to_string_lossy());
    if let Some(recipe) = &case.recipe {
        if !run_recipe(recipe, &copy) {
            return Ok(Some(format!("recipe `{recipe}` cannot be built here")));
        }
    }
    let cwd = match &case.cwd {
        Some(sub) => copy.join(sub),
        None => copy.clone(),
    };
    let stdout_path = temp.path().join("stdout");
    let stderr_path = temp.path().join("stderr");
    let mut command = Command::new(env!("CARGO_BIN_EXE_wslock"));
    for key in INDEX_VARIABLES {
        command.env_remove(key);
    }
    let mut child = command
        .args(case.args.iter().map(|arg| expand(arg, &copy)))
        .current_dir(&cwd)
        .env("WSLOCK_ROOTS", &copy)
        .env("HOME", &copy)
        .env("NO_COLOR", "1")
        .env_remove("WSLOCK_LOG")
        .env_remove("GIT_CONFIG_GLOBAL")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("the wslock binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err("hung: killed after 60 s (was a FIFO opened?)".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8_lossy(&fs::read(&stdout_path).unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(&stderr_path).unwrap()).into_owned();
    let mut problems = Vec::new();
    let code = status.code().unwrap_or(-1);
    if code != case.status {
        problems.push(format!("exit status {code}, expected {}", case.status));
    }
    if stderr.contains("panicked") {
        problems.push("it panicked".into());
    }
    if !stderr.contains("error") {
        problems.push("stderr does not say `error`".into());
    }
    let exempt = |check: &str| case.exempt.contains_key(check);
    if !exempt("names") {
        let relative = expand(&case.names, &copy);
        let absolute = cwd.join(&relative);
        let spellings = [
            absolute.display().to_string(),
            copy.join(&relative).display().to_string(),
            Path::new(&relative).display().to_string(),
        ];
        if !spellings.iter().any(|spelling| stderr.contains(spelling)) {
            problems.push(format!("stderr does not name `{}`", spellings[0]));
        }
    }
    if let Some(line) = case.line {
        if !stderr.contains(&format!("line {line}")) && !stderr.contains(&format!(":{line}:")) {
            problems.push(format!("stderr does not point at line {line}"));
        }
    }
    for wanted in &case.contains {
        if !stderr.contains(wanted.as_str()) {
            problems.push(format!("stderr does not contain `{wanted}`"));
        }
    }
    let lines = stderr.lines().count();
    if (lines > MAX_LINES || stderr.len() > MAX_BYTES) && !exempt("size") {
        problems.push(format!(
            "stderr is {lines} lines and {} bytes, more than one screen",
            stderr.len()
        ));
    }
    if !stdout.is_empty() {
        problems.push(format!("stdout is not empty: {:.200}", stdout));
    }
    if problems.is_empty() {
        Ok(None)
    } else {
        let shown: String = stderr.chars().take(1500).collect();
        Err(format!(
            "{} ({})\n    {}\n    --- stderr ---\n{shown}",
            problems.join("; "),
            case.about,
            case.args.join(" ")
        ))
    }
}

/// The variables through which an index could leak in from the environment.
const INDEX_VARIABLES: &[&str] = &[
    "UV_INDEX",
    "UV_DEFAULT_INDEX",
    "UV_INDEX_URL",
    "PIP_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
];

#[test]
fn every_bad_input_is_a_short_clear_error_naming_the_file() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some((name, path)) = cases.get(index) else {
                    break;
                };
                match check(name, path) {
                    Ok(None) => {}
                    Ok(Some(why)) => skipped.lock().unwrap().push(format!("{name}: {why}")),
                    Err(why) => failures.lock().unwrap().push(format!("{name}: {why}")),
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    for skip in skipped.into_inner().unwrap() {
        eprintln!("skipped {skip}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
