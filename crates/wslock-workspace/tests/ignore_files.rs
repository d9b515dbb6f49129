//! The ignore files of member expansion never come from above the ceiling (ceiling-roots.md).
//!
//! This file holds a single test because it points `HOME` and git's configuration variables at
//! a temporary directory: every file here is its own test process, so nothing else sees them.

use std::fs;
use std::path::{Path, PathBuf};

use wslock_workspace::{CeilingSettings, DiscoveryError, DiscoveryOptions, WorkspaceCache};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A dotfiles repository at `~` (its `.git` above a ceiling at `~/src`) holds ignore files and a
/// git configuration that would change the answer if they were read. The workspace inside the
/// ceiling still sees its own `.gitignore` (it lies in a repository, as uv finds) and the global
/// gitignore named by `GIT_CONFIG_GLOBAL`; nothing above the ceiling is opened.
#[test]
fn ignore_files_above_the_ceiling_are_never_opened() {
    let temp = tempfile::tempdir().unwrap();
    let home = temp.path().join("home");
    let elsewhere = temp.path().join("elsewhere");
    let ceiling = home.join("src");
    let root = ceiling.join("ws");

    // Above the ceiling: a repository root whose every ignore file would hide `notes.txt`.
    let planted = "notes.txt\n";
    for file in [".ignore", ".gitignore", ".git/info/exclude"] {
        write(&home.join(file), planted);
    }
    write(
        &home.join(".gitconfig"),
        &format!(
            "[core]\n\texcludesFile = {}\n",
            home.join("planted-global").display()
        ),
    );
    write(&home.join("planted-global"), planted);

    // The user's git configuration, outside the tree but not above the ceiling.
    write(
        &elsewhere.join("gitconfig"),
        &format!(
            "[core]\n\texcludesFile = {}\n",
            elsewhere.join("global-ignore").display()
        ),
    );
    write(&elsewhere.join("global-ignore"), "*.swp\n");
    std::env::set_var("HOME", &home);
    std::env::set_var("XDG_CONFIG_HOME", elsewhere.join("xdg"));
    std::env::set_var("GIT_CONFIG_GLOBAL", elsewhere.join("gitconfig"));

    write(
        &root.join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    write(&root.join(".gitignore"), "__pycache__/\n");
    write(
        &root.join("packages/a/pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\n",
    );
    // Skipped only if the workspace's `.gitignore` applies, that is if wslock knows it is in
    // the repository rooted above the ceiling.
    write(&root.join("packages/stale/__pycache__/m.pyc"), "x");
    // Skipped only through the global gitignore.
    write(&root.join("packages/swap/.notes.swp"), "x");

    let options = DiscoveryOptions::new()
        .ceilings(CeilingSettings::new().with_roots_env(Some(ceiling.clone().into())));
    let allowed = |cache: &WorkspaceCache| {
        let reads = cache.files_read();
        for read in &reads {
            assert!(
                read.starts_with(&ceiling) || read.starts_with(&elsewhere),
                "{} was opened: {reads:?}",
                read.display()
            );
        }
        reads
    };

    let cache = WorkspaceCache::new();
    let found = cache.discover(&root.join("packages/a"), &options).unwrap();
    assert_eq!(found.workspace().root(), root);
    assert_eq!(found.workspace().members().len(), 1);
    let reads = allowed(&cache);
    for expected in [
        root.join(".gitignore"),
        elsewhere.join("gitconfig"),
        elsewhere.join("global-ignore"),
    ] {
        assert!(reads.contains(&expected), "{expected:?} not in {reads:?}");
    }

    // A directory holding only `notes.txt` would be skipped if any planted file were read.
    write(&root.join("packages/notes/notes.txt"), "x");
    let cache = WorkspaceCache::new();
    let error = cache.discover(&root, &options).unwrap_err();
    match &error {
        DiscoveryError::MissingMemberPyproject { path, .. } => {
            assert_eq!(path, &root.join("packages/notes"))
        }
        other => panic!("unexpected {other:?}"),
    }
    let reads: Vec<PathBuf> = allowed(&cache);
    assert!(!reads
        .iter()
        .any(|read| read.starts_with(&home) && !read.starts_with(&ceiling)));
}
