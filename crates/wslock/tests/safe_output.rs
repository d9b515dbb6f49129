//! `plan --output FILE` never leaves a partial file: the plan goes to a temporary file beside
//! `FILE`, which is renamed over it only once complete (`wslock_lock::write_atomically`).
//!
//! Two ways to break a run are tried on the real binary: a write that fails half-way (the
//! file-size limit, as a full disk would), and `SIGKILL` at moments spread over a whole run.
//! Afterwards `FILE` must hold the old content or the complete new plan. A killed process
//! cannot clean up, so it may leave its temporary file, `.FILE.<pid>.<n>.tmp`, as `docs/cli.md`
//! documents; a failed write must leave none.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OLD: &str = "old content, not a plan\n";

/// Externals of the find-links catalogue that always resolve together.
const EXTERNALS: &[&str] = &["alphix>=1.1", "iotrex", "betrix", "kappaly"];

fn find_links() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/find-links")
        .canonicalize()
        .expect("testdata/find-links exists")
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A workspace of `members` members in a chain (each requires the previous one), each also
/// requiring one of the catalogue's externals: a plan of some size that takes a while.
fn workspace(dir: &Path, members: usize) {
    let mut sources = String::new();
    for index in 0..members {
        let name = format!("member-{index:03}");
        let previous = match index {
            0 => String::new(),
            _ => format!("\"member-{:03}\", ", index - 1),
        };
        let external = EXTERNALS[index % EXTERNALS.len()];
        write(
            &dir.join(format!("packages/{name}/pyproject.toml")),
            &format!(
                "[project]\nname = \"{name}\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n\
                 dependencies = [{previous}\"{external}\"]\n\n[tool.uv.sources]\n\
                 member-{:03} = {{ workspace = true }}\n",
                index.saturating_sub(1)
            ),
        );
        sources.push_str(&format!("{name} = {{ workspace = true }}\n"));
    }
    write(
        &dir.join("pyproject.toml"),
        &format!(
            "[project]\nname = \"root\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n\
             dependencies = [\"member-{:03}\"]\n\n[tool.uv.sources]\n{sources}\n\
             [tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
            members - 1
        ),
    );
}

/// `wslock plan` of `dir`, with `tail` appended, as a command ready to spawn.
fn plan_command(dir: &Path, tail: &[&str]) -> Command {
    let links = find_links();
    let mut command = Command::new(env!("CARGO_BIN_EXE_wslock"));
    command
        .args(["plan", "--no-index", "--find-links"])
        .arg(&links)
        .args(tail)
        .current_dir(dir)
        .env("WSLOCK_ROOTS", dir)
        .env("HOME", dir)
        .env_remove("WSLOCK_LOG")
        .stdin(Stdio::null());
    command
}

/// The complete plan, printed to stdout.
fn expected_plan(dir: &Path) -> String {
    let output = plan_command(dir, &[]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A write that fails half-way, as on a full disk: the file-size limit (`ulimit -f`) is far
/// below the plan's size, so writing the temporary file fails with `EFBIG` (`SIGXFSZ` is
/// ignored, so the process sees the error instead of dying of the signal).
#[test]
fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
    let temp = tempfile::tempdir().unwrap();
    let ws = temp.path().join("ws");
    workspace(&ws, 20);
    let expected = expected_plan(&ws);
    assert!(expected.len() > 4096, "the plan must exceed the size limit");
    let out = temp.path().join("out");
    write(&out.join("uv.lock"), OLD);

    let wslock = env!("CARGO_BIN_EXE_wslock");
    let output = Command::new("sh")
        .arg("-c")
        // 2 blocks of 512 bytes (dash) or of 1024 (bash): smaller than the plan either way.
        .arg("ulimit -f 2 && trap '' XFSZ && exec \"$@\"")
        .arg("sh")
        .arg(wslock)
        .args(["plan", "--no-index", "--find-links"])
        .arg(find_links())
        .arg("--output")
        .arg(out.join("uv.lock"))
        .current_dir(&ws)
        .env("WSLOCK_ROOTS", &ws)
        .env("HOME", &ws)
        .env_remove("WSLOCK_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("uv.lock"),
        "the error names the file: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fs::read_to_string(out.join("uv.lock")).unwrap(), OLD);
    assert_eq!(names(&out), ["uv.lock"], "no temporary file is left");

    // A rename that fails (the target is a non-empty directory) leaves it as it was, too.
    let target = out.join("dir.lock");
    write(&target.join("keep.txt"), OLD);
    let output = plan_command(&ws, &["--output"])
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dir.lock"), "{stderr}");
    assert_eq!(fs::read_to_string(target.join("keep.txt")).unwrap(), OLD);
    assert_eq!(
        names(&out),
        ["dir.lock", "uv.lock"],
        "no temporary file is left"
    );
}

/// `SIGKILL` at moments spread evenly over twice a run's time, so some land after the end: the
/// output is the old file or the complete plan, never a part of it; a temporary file may be left
/// only by a killed process, named with its pid, and holds at most a prefix of the plan.
#[test]
fn a_killed_run_leaves_the_old_file_or_the_whole_new_one() {
    let temp = tempfile::tempdir().unwrap();
    let ws = temp.path().join("ws");
    workspace(&ws, 120);
    let expected = expected_plan(&ws);

    // How long one warm run takes here, to spread the kills over it. Only used to place them:
    // no assertion depends on it, and any placement gives a valid check.
    let out = temp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let target = out.join("uv.lock");
    let mut run = Duration::MAX;
    for _ in 0..2 {
        let started = Instant::now();
        let status = plan_command(&ws, &["--output"])
            .arg(&target)
            .status()
            .unwrap();
        run = run.min(started.elapsed());
        assert!(status.success());
        assert_eq!(fs::read_to_string(&target).unwrap(), expected);
    }

    const KILLS: u32 = 16;
    let mut outcomes = [0usize; 3];
    for step in 0..KILLS {
        fs::write(&target, OLD).unwrap();
        let delay = run * 2 * (step + 1) / KILLS;
        let mut child = plan_command(&ws, &["--output"])
            .arg(&target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        std::thread::sleep(delay.min(Duration::from_secs(5)));
        let _ = child.kill();
        child.wait().unwrap();

        let content = fs::read_to_string(&target).unwrap();
        if content == OLD {
            outcomes[0] += 1;
        } else {
            assert!(
                content == expected,
                "kill after {delay:?}: `uv.lock` is neither the old file nor the whole plan ({} of {} bytes)",
                content.len(),
                expected.len()
            );
            outcomes[1] += 1;
        }
        for name in names(&out) {
            if name == "uv.lock" {
                continue;
            }
            let prefix = format!(".uv.lock.{pid}.");
            assert!(
                name.starts_with(&prefix) && name.ends_with(".tmp"),
                "kill after {delay:?}: unexpected file `{name}`"
            );
            outcomes[2] += 1;
            let partial = fs::read(out.join(&name)).unwrap();
            assert!(expected.as_bytes().starts_with(&partial), "`{name}`");
            fs::remove_file(out.join(&name)).unwrap();
        }
    }
    eprintln!(
        "{KILLS} kills over a {run:?} run: {} left the old file, {} the new one, {} a temporary file",
        outcomes[0], outcomes[1], outcomes[2]
    );
}
