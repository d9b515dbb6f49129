//! Ceilings as a security boundary, checked by the kernel rather than by our own log.
//!
//! `ceilings.rs` proves through `WorkspaceCache::files_read` that no file above a ceiling is
//! read; that log only sees what goes through the store. Here inotify watches every directory
//! above the ceiling while discovery runs, so *any* open there (a file, or the directory itself
//! for a listing) by any code path is seen. The directories above hold what a hostile user could
//! plant in a shared folder such as `/tmp`: a workspace root claiming the project, a `uv.toml`,
//! ignore files and a git repository around it all.

#![cfg(target_os = "linux")]

use std::fs;
use std::mem::MaybeUninit;
use std::path::{Path, PathBuf};

use rustix::fd::OwnedFd;
use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};
use rustix::io::Errno;
use wslock_workspace::{CeilingSettings, DiscoveryOptions, RootKind, WorkspaceCache};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Watches directories for opens and reads of themselves and of anything in them.
struct Watch {
    fd: OwnedFd,
    dirs: Vec<(i32, PathBuf)>,
}

impl Watch {
    fn new(dirs: &[PathBuf]) -> Self {
        let fd = inotify::init(CreateFlags::NONBLOCK | CreateFlags::CLOEXEC).unwrap();
        let dirs = dirs
            .iter()
            .map(|dir| {
                let wd =
                    inotify::add_watch(&fd, dir, WatchFlags::OPEN | WatchFlags::ACCESS).unwrap();
                (wd, dir.clone())
            })
            .collect();
        Self { fd, dirs }
    }

    /// Every open or read seen so far, as the path touched.
    fn touched(&self) -> Vec<String> {
        let mut buffer = [MaybeUninit::uninit(); 4096];
        let mut reader = inotify::Reader::new(&self.fd, &mut buffer);
        let mut touched = Vec::new();
        loop {
            let event = match reader.next() {
                Ok(event) => event,
                Err(Errno::WOULDBLOCK) => break,
                Err(error) => panic!("reading inotify events: {error}"),
            };
            if event.events().contains(ReadFlags::IGNORED) {
                continue;
            }
            let dir = self
                .dirs
                .iter()
                .find(|(wd, _)| *wd == event.wd())
                .map(|(_, dir)| dir.display().to_string())
                .unwrap_or_default();
            let name = event
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            touched.push(format!("{dir}/{name} ({:?})", event.events()));
        }
        touched
    }
}

#[test]
fn nothing_above_the_ceiling_is_opened_even_when_planted_there() {
    let temp = tempfile::tempdir().unwrap();
    // `shared` plays a world-writable folder (`/tmp`) holding a git repository whose root is
    // above the ceiling, so the ignore-file search would climb into it if it ignored the bound.
    let shared = temp.path().join("shared");
    let ceiling = shared.join("ceiling");
    let ws = ceiling.join("ws");
    write(
        &shared.join("pyproject.toml"),
        "[tool.uv.workspace]\nmembers = [\"ceiling/proj\"]\n",
    );
    write(
        &shared.join("uv.toml"),
        "index-strategy = \"unsafe-first-match\"\n",
    );
    write(&shared.join(".gitignore"), "!*.log\n");
    write(&shared.join(".ignore"), "!*.log\n");
    write(&shared.join(".git/info/exclude"), "!*.log\n");
    write(&shared.join(".git/HEAD"), "ref: refs/heads/main\n");
    fs::create_dir_all(&ceiling).unwrap();

    write(
        &ws.join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.10\"\n\
         dependencies = [\"lib\"]\n\n[tool.uv.sources]\nlib = { workspace = true }\n\n\
         [tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    write(
        &ws.join("packages/lib/pyproject.toml"),
        "[project]\nname = \"lib\"\nversion = \"1.0\"\n",
    );
    // A glob match without a manifest, holding only ignored files: deciding that reads ignore
    // files, which must stop at the ceiling.
    write(&ws.join("packages/scratch/build.log"), "log\n");
    write(&ws.join(".gitignore"), "*.log\n");
    fs::create_dir_all(ws.join("src/deep")).unwrap();
    // A plain project (no workspace of its own): its upward search is what the planted root
    // in `shared` would capture.
    let proj = ceiling.join("proj");
    write(
        &proj.join("pyproject.toml"),
        "[project]\nname = \"proj\"\nversion = \"1.0\"\n",
    );

    let watched = vec![
        temp.path().to_path_buf(),
        shared.clone(),
        shared.join(".git"),
        shared.join(".git/info"),
    ];
    let watch = Watch::new(&watched);
    let options = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&ceiling));
    let cache = WorkspaceCache::new();
    for start in [ws.clone(), ws.join("src/deep"), ws.join("packages/lib")] {
        let found = cache.discover(&start, &options).unwrap();
        assert_eq!(found.workspace().root(), ws, "from {}", start.display());
        assert_eq!(found.workspace().kind(), RootKind::Explicit);
        let names: Vec<&str> = found
            .workspace()
            .members()
            .iter()
            .map(|member| member.name().as_ref())
            .collect();
        assert_eq!(names, ["app", "lib"]);
        assert!(found.workspace().configuration().is_some());
    }
    let found = cache.discover(&proj, &options).unwrap();
    assert_eq!(found.workspace().root(), proj);
    assert_eq!(found.workspace().kind(), RootKind::Project);
    let touched = watch.touched();
    assert!(touched.is_empty(), "opened above the ceiling: {touched:#?}");
    // The store's own log agrees (besides the user's own git configuration, outside the tree).
    for read in cache.files_read() {
        assert!(
            read.starts_with(&ceiling) || !read.starts_with(temp.path()),
            "read {}",
            read.display()
        );
    }

    // The watch does see opens: with the ceiling at `shared`, the planted root is read and
    // claims the plain project.
    let watch = Watch::new(&watched);
    let wide = DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&shared));
    let found = WorkspaceCache::new().discover(&proj, &wide).unwrap();
    assert_eq!(found.workspace().root(), shared);
    assert!(
        watch
            .touched()
            .iter()
            .any(|touched| touched.contains("pyproject.toml")),
        "the watch must see a read above the narrow ceiling"
    );
}
