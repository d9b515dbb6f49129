//! Ceilings as a security boundary, end to end: a project in a shared, world-writable folder
//! (think `/tmp`) whose parents hold files planted by someone else. Nothing above the nearest
//! ceiling may change the outcome, and nothing there may even be opened: FIFOs named
//! `pyproject.toml` and `uv.toml` would block any process that opened them, so every command
//! runs under a watchdog and a hang fails the test. (`wslock-workspace`'s `ceiling_boundary`
//! test watches the same boundary with inotify.)

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

fn find_links() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/find-links")
        .canonicalize()
        .unwrap()
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs `wslock` with `WSLOCK_ROOTS` and `HOME` as given; killed (and failed) if it has not
/// finished after a minute, which only a blocking open can cause.
fn wslock(args: &[&str], roots: &Path, home: &Path, dir: &Path) -> Run {
    let temp = tempfile::tempdir().unwrap();
    let (out, err) = (temp.path().join("out"), temp.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_wslock"))
        .args(args)
        .current_dir(dir)
        .env("WSLOCK_ROOTS", roots)
        .env("HOME", home)
        .env_remove("WSLOCK_LOG")
        .env_remove("GIT_CONFIG_GLOBAL")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).unwrap())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "`wslock {}` hung: a FIFO above the ceiling was opened",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        status: status.code().unwrap_or(-1),
        stdout: fs::read_to_string(out).unwrap(),
        stderr: fs::read_to_string(err).unwrap(),
    }
}

#[test]
fn files_planted_above_the_ceiling_are_never_opened() {
    let temp = tempfile::tempdir().unwrap();
    let top = temp.path();
    // Opening either blocks until a writer appears: none ever does.
    mkfifo(&top.join("pyproject.toml"));
    mkfifo(&top.join("uv.toml"));
    // The shared folder: world-writable and sticky, like /tmp, with a planted workspace root
    // that claims the project and configuration that wslock refuses.
    let shared = top.join("shared");
    write(
        &shared.join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"ceiling/proj\"]\n\n[tool.uv]\nconflicts = [[]]\n",
    );
    write(
        &shared.join("uv.toml"),
        "index-strategy = \"unsafe-first-match\"\n",
    );
    write(&shared.join(".gitignore"), "*\n");
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let ceiling = shared.join("ceiling");
    let proj = ceiling.join("proj");
    write(
        &proj.join("pyproject.toml"),
        "[project]\nname = \"proj\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n\
         dependencies = [\"alphix>=1.1\"]\n",
    );
    fs::create_dir_all(proj.join("src/deep")).unwrap();
    let links = find_links();
    let links = links.to_str().unwrap();

    // Inside the ceiling: the project is its own workspace, and planning it works.
    for dir in [proj.clone(), proj.join("src/deep")] {
        let run = wslock(&["members", "--format", "json"], &ceiling, &ceiling, &dir);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["root"], proj.to_str().unwrap());
        assert_eq!(report["kind"], "project");
        assert_eq!(run.stderr, "");
    }
    let run = wslock(
        &["plan", "--no-index", "--find-links", links],
        &ceiling,
        &ceiling,
        &proj.join("src/deep"),
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("name = \"alphix\""), "{}", run.stdout);

    // Outside every ceiling: the search may go up through private directories only, so it
    // stops below the world-writable folder, with a warning, and still never opens a FIFO.
    let elsewhere = top.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let run = wslock(
        &["plan", "--no-index", "--find-links", links],
        &elsewhere,
        &elsewhere,
        &proj,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside every ceiling"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("writable by other users"),
        "{}",
        run.stderr
    );

    // The planted files do matter when the ceiling is above them: the root is read, claims
    // the project and the refused setting of its `uv.toml` stops the plan. (This is what the
    // ceiling prevents.)
    let run = wslock(
        &["plan", "--no-index", "--find-links", links],
        &shared,
        &shared,
        &proj,
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&shared.join("uv.toml").display().to_string()),
        "{}",
        run.stderr
    );
}
