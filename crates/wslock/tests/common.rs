//! Running the real `wslock` binary with a controlled environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `testdata/workspaces`, absolute. It holds a `.wslock-root` marker, so discovery from any
/// fixture never reads above it.
pub fn workspaces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/workspaces")
        .canonicalize()
        .expect("testdata/workspaces exists")
}

/// The outcome of one run.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `wslock` with `args`, with `HOME` and `WSLOCK_ROOTS` set by the caller through `env`
/// (everything else about ceilings, logging and colour is removed from the environment first).
pub fn wslock(args: &[&str], env: &[(&str, &Path)]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_wslock")), args, env)
}

/// [`wslock`] run from the directory `cwd`, which relative paths in `args` start from.
pub fn wslock_in(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wslock"));
    command.current_dir(cwd);
    run(command, args, env)
}

fn run(mut command: Command, args: &[&str], env: &[(&str, &Path)]) -> Run {
    // Ceilings, logging and colour come from `env` only, never from the caller's environment.
    command
        .args(args)
        .env_remove("WSLOCK_ROOTS")
        .env_remove("WSLOCK_LOG")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the wslock binary runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Replaces `dir` (and its parent) in `text` with stable tokens, for snapshots.
pub fn redact(text: &str, dir: &Path, token: &str) -> String {
    text.replace(&dir.display().to_string(), token)
}
