//! The same input gives the same plan, byte for byte: across runs (each a new process, so hash
//! seeds and thread scheduling differ) and whatever order the file system lists directories in.
//!
//! Directory listings happen in two places: the `members` globs (the `glob` crate sorts each
//! directory it reads) and find-links folders (`wslock-index` sorts the listing). To check that
//! nothing else depends on listing order, every solvable case of `testdata/plans/` is copied
//! twice with its find-links folder, creating files and directories in two different seeded
//! shuffles: once in the temporary directory and once, where it exists, in `/dev/shm`. On tmpfs
//! (`/dev/shm`, and `/tmp` on many CI machines) a directory lists its entries in reverse
//! creation order, so the two copies really are listed differently; ext4 lists by a hash of the
//! name whatever the creation order, so two ext4 copies alone would not be. The test reports
//! which situation it ran in and fails only on a difference in the plans.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .canonicalize()
        .expect("testdata exists")
}

/// The solvable plan cases (those with uv's `uv.lock`), by name.
fn cases() -> Vec<String> {
    let mut cases: Vec<String> = fs::read_dir(testdata().join("plans"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("uv.lock").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// A small deterministic generator (xorshift64*), so a shuffle is the same on every run.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Every file under `dir`, relative to it (no `uv.lock`: the plan must not depend on one).
fn files(dir: &Path, prefix: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let relative = prefix.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            files(&entry.path(), &relative, out);
        } else if entry.file_name() != "uv.lock" {
            out.push(relative);
        }
    }
}

/// Copies `find-links/` and the plan cases into `base`, creating files (and so their
/// directories) in an order shuffled with `seed`.
fn build(base: &Path, seed: u64) {
    let data = testdata();
    let mut all = Vec::new();
    files(&data.join("find-links"), Path::new("find-links"), &mut all);
    for case in cases() {
        let prefix = Path::new("plans").join(&case);
        files(&data.join(&prefix), &prefix, &mut all);
    }
    all.sort();
    Shuffle(seed).shuffle(&mut all);
    for relative in &all {
        let target = base.join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(data.join(relative), &target).unwrap();
    }
}

/// `wslock plan` of one case in the copy at `base`: the exit status must be 0.
fn plan(base: &Path, case: &str, format: &str) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_wslock"))
        .args(["plan", "--no-index", "--find-links", "../../find-links"])
        .args(["--format", format])
        .current_dir(base.join("plans").join(case))
        .env("WSLOCK_ROOTS", base)
        .env("HOME", base)
        .env_remove("WSLOCK_LOG")
        .output()
        .expect("the wslock binary runs");
    assert!(
        output.status.success(),
        "{case} in {}: {}",
        base.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The names in `dir` in the order the file system lists them.
fn listing(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A second place to build in, on tmpfs when the machine has one.
fn second_base() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

#[test]
fn plans_do_not_depend_on_runs_or_on_directory_listing_order() {
    let first = tempfile::tempdir().unwrap();
    let second = second_base();
    build(first.path(), 0x5eed_0001);
    build(second.path(), 0x5eed_0002);

    let links = |base: &Path| listing(&base.join("find-links"));
    if links(first.path()) == links(second.path()) {
        eprintln!(
            "note: both copies list `find-links/` in the same order here; only run-to-run \
             differences are exercised"
        );
    }

    let cases = cases();
    assert!(cases.len() >= 10, "only {} solvable cases", cases.len());
    for case in &cases {
        let reference = plan(first.path(), case, "toml");
        assert!(!reference.is_empty(), "{case}: empty plan");
        for (base, format) in [(first.path(), "toml"), (second.path(), "toml")] {
            assert!(
                plan(base, case, format) == reference,
                "{case}: the plan differs between runs or copies ({})",
                base.display()
            );
        }
        let json = plan(first.path(), case, "json");
        assert!(
            plan(second.path(), case, "json") == json,
            "{case}: the JSON plan differs between copies"
        );
    }
}
