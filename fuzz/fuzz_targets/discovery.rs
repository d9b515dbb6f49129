//! Discovery and the member-graph merge over a generated tree.
//!
//! The input decodes (with `arbitrary`) into a small tree: a root manifest and a few projects
//! in nested directories, with member and exclude globs, sources of every kind (workspace,
//! path, external workspace, git, url, index), dependency groups, a `uv.toml`, ignore files and
//! symlinks. The tree is written into a fresh temporary directory, which is the only ceiling
//! (both `WSLOCK_ROOTS` and a `--root`), then discovery starts from one of its directories and
//! the graph of what it found is merged. Errors are expected; a panic, a hang or a read above
//! the ceiling is a bug.
#![no_main]

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use toml::{Table, Value};
use wslock_graph::{Selection, WorkspaceGraph};
use wslock_workspace::{
    CeilingSettings, DiscoveryOptions, MemberMode, ProjectRequirement, WorkspaceCache,
};

/// At most this many entries in any list the input describes, so one input stays a small tree.
const MAX_LIST: usize = 4;

#[derive(Arbitrary, Debug)]
struct Tree {
    root: Manifest,
    projects: Vec<Located>,
    uv_toml: Option<UvToml>,
    ignore_files: Vec<IgnoreFile>,
    symlinks: Vec<(Dir, Dir)>,
    start: u8,
    options: Options,
}

#[derive(Arbitrary, Debug)]
struct Located {
    dir: Dir,
    manifest: Manifest,
}

#[derive(Arbitrary, Debug)]
struct Options {
    members: u8,
    project_required: bool,
    no_workspace: bool,
    stop_at: Option<Dir>,
    selection: Option<Name>,
}

/// A relative directory built from a few names, some of which are glob metacharacters.
#[derive(Arbitrary, Debug, Clone)]
struct Dir(Vec<Segment>);

#[derive(Arbitrary, Debug, Clone)]
enum Segment {
    Packages,
    Libs,
    A,
    B,
    C,
    Nested,
    Hidden,
    Star,
    Bracket,
    Space,
    Unicode,
}

impl Segment {
    fn as_str(&self) -> &'static str {
        match self {
            Self::Packages => "packages",
            Self::Libs => "libs",
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::Nested => "nested",
            Self::Hidden => ".venv",
            Self::Star => "*",
            Self::Bracket => "[ab]",
            Self::Space => "my lib",
            Self::Unicode => "é",
        }
    }
}

impl Dir {
    fn relative(&self) -> PathBuf {
        self.0.iter().take(3).map(Segment::as_str).collect()
    }

    fn text(&self) -> String {
        let parts: Vec<&str> = self.0.iter().take(3).map(Segment::as_str).collect();
        if parts.is_empty() {
            ".".to_string()
        } else {
            parts.join("/")
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum Name {
    App,
    Lib,
    A,
    B,
    C,
    Mixed,
    Free(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Self::App => "app".into(),
            Self::Lib => "lib".into(),
            Self::A => "a".into(),
            Self::B => "b".into(),
            Self::C => "c".into(),
            Self::Mixed => "A_Lib".into(),
            Self::Free(text) => text.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Manifest {
    project: Option<Project>,
    workspace: Option<WorkspaceTable>,
    sources: Vec<(Name, SourceSpec)>,
    groups: Vec<(Name, Vec<GroupEntry>)>,
    dev_dependencies: Option<Vec<Req>>,
    constraints: Vec<Req>,
    overrides: Vec<Req>,
    managed: Option<bool>,
    package: Option<bool>,
    build_system: bool,
    empty_tool_uv: bool,
}

#[derive(Arbitrary, Debug)]
struct Project {
    name: Option<Name>,
    version: Option<VersionSpec>,
    requires_python: Option<Python>,
    dependencies: Vec<Req>,
    optional: Vec<(Name, Vec<Req>)>,
}

#[derive(Arbitrary, Debug)]
enum VersionSpec {
    Plain,
    Pre,
    Dynamic,
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum Python {
    AtLeast38,
    AtLeast310,
    Below39,
    Exactly312,
    Window,
    Free(String),
}

impl Python {
    fn text(&self) -> String {
        match self {
            Self::AtLeast38 => ">=3.8".into(),
            Self::AtLeast310 => ">=3.10".into(),
            Self::Below39 => "<3.9".into(),
            Self::Exactly312 => "==3.12.*".into(),
            Self::Window => ">=3.11,<3.13".into(),
            Self::Free(text) => text.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Req {
    name: Name,
    extras: Vec<Name>,
    specifier: Option<Specifier>,
    marker: Option<Marker>,
}

#[derive(Arbitrary, Debug)]
enum Specifier {
    AtLeast,
    Exact,
    Star,
    Url,
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum Marker {
    Linux,
    Windows,
    Python,
    Extra(Name),
    Group(Name),
    Free(String),
}

impl Req {
    fn text(&self) -> String {
        let mut text = self.name.text();
        let extras: Vec<String> = self.extras.iter().take(2).map(Name::text).collect();
        if !extras.is_empty() {
            text.push_str(&format!("[{}]", extras.join(",")));
        }
        match &self.specifier {
            None => {}
            Some(Specifier::AtLeast) => text.push_str(">=1.0"),
            Some(Specifier::Exact) => text.push_str("==0.1.0"),
            Some(Specifier::Star) => text.push_str("==2.*"),
            Some(Specifier::Url) => text.push_str(" @ https://example.invalid/x-1.0.tar.gz"),
            Some(Specifier::Free(free)) => text.push_str(free),
        }
        let marker = match &self.marker {
            None => return text,
            Some(Marker::Linux) => "sys_platform == 'linux'".to_string(),
            Some(Marker::Windows) => "platform_system == 'Windows'".to_string(),
            Some(Marker::Python) => "python_version < '3.11'".to_string(),
            Some(Marker::Extra(name)) => format!("extra == '{}'", name.text()),
            Some(Marker::Group(name)) => format!("group == '{}'", name.text()),
            Some(Marker::Free(free)) => free.clone(),
        };
        format!("{text} ; {marker}")
    }
}

#[derive(Arbitrary, Debug)]
enum GroupEntry {
    Requirement(Req),
    Include(Name),
}

#[derive(Arbitrary, Debug)]
struct WorkspaceTable {
    members: Vec<Glob>,
    exclude: Vec<Glob>,
}

#[derive(Arbitrary, Debug)]
enum Glob {
    Exact(Dir),
    Children(Dir),
    Star,
    Recursive,
    Parent(Dir),
    Free(String),
}

impl Glob {
    fn text(&self) -> String {
        match self {
            Self::Exact(dir) => dir.text(),
            Self::Children(dir) => format!("{}/*", dir.text()),
            Self::Star => "*".into(),
            Self::Recursive => "**".into(),
            Self::Parent(dir) => format!("../{}", dir.text()),
            Self::Free(text) => text.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum SourceSpec {
    Workspace(bool),
    Path {
        dir: Dir,
        up: u8,
        editable: Option<bool>,
    },
    ExternalWorkspace {
        dir: Dir,
        up: u8,
    },
    Git,
    Url,
    Index(Name),
    Marked(Vec<(bool, Marker)>),
    WithExtra(Name),
}

impl SourceSpec {
    fn value(&self) -> Value {
        let mut table = Table::new();
        match self {
            Self::Workspace(flag) => {
                table.insert("workspace".into(), Value::Boolean(*flag));
            }
            Self::Path { dir, up, editable } => {
                table.insert("path".into(), Value::String(updir(*up, dir)));
                if let Some(editable) = editable {
                    table.insert("editable".into(), Value::Boolean(*editable));
                }
            }
            Self::ExternalWorkspace { dir, up } => {
                table.insert("workspace".into(), Value::String(updir(*up, dir)));
            }
            Self::Git => {
                table.insert("git".into(), "https://example.invalid/repo.git".into());
                table.insert("tag".into(), "v1".into());
            }
            Self::Url => {
                table.insert("url".into(), "https://example.invalid/x-1.0.tar.gz".into());
            }
            Self::Index(name) => {
                table.insert("index".into(), Value::String(name.text()));
            }
            Self::Marked(entries) => {
                let list = entries
                    .iter()
                    .take(MAX_LIST)
                    .map(|(workspace, marker)| {
                        let mut entry = Table::new();
                        if *workspace {
                            entry.insert("workspace".into(), Value::Boolean(true));
                        } else {
                            entry.insert("index".into(), "extra-index".into());
                        }
                        let marker = Req {
                            name: Name::A,
                            extras: Vec::new(),
                            specifier: None,
                            marker: Some(clone_marker(marker)),
                        }
                        .text();
                        let marker = marker.split_once(" ; ").map_or("", |(_, m)| m);
                        entry.insert("marker".into(), Value::String(marker.to_string()));
                        Value::Table(entry)
                    })
                    .collect();
                return Value::Array(list);
            }
            Self::WithExtra(name) => {
                table.insert("workspace".into(), Value::Boolean(true));
                table.insert("extra".into(), Value::String(name.text()));
            }
        }
        Value::Table(table)
    }
}

fn clone_marker(marker: &Marker) -> Marker {
    match marker {
        Marker::Linux => Marker::Linux,
        Marker::Windows => Marker::Windows,
        Marker::Python => Marker::Python,
        Marker::Extra(name) => Marker::Extra(name.clone()),
        Marker::Group(name) => Marker::Group(name.clone()),
        Marker::Free(text) => Marker::Free(text.clone()),
    }
}

/// `dir` below `up % 3` parent directories (`../../a/b`).
fn updir(up: u8, dir: &Dir) -> String {
    let mut text = "../".repeat(usize::from(up % 3));
    text.push_str(&dir.text());
    text
}

#[derive(Arbitrary, Debug)]
enum UvToml {
    Index(Name),
    Constraints(Vec<Req>),
    ProjectKey,
    Free(String),
}

#[derive(Arbitrary, Debug)]
struct IgnoreFile {
    dir: Dir,
    kind: u8,
    patterns: Vec<Glob>,
}

fn reqs(list: &[Req]) -> Value {
    Value::Array(
        list.iter()
            .take(MAX_LIST)
            .map(|req| Value::String(req.text()))
            .collect(),
    )
}

fn globs(list: &[Glob]) -> Value {
    Value::Array(
        list.iter()
            .take(MAX_LIST)
            .map(|glob| Value::String(glob.text()))
            .collect(),
    )
}

fn tool_uv(manifest: &Manifest) -> Table {
    let mut uv = Table::new();
    if let Some(workspace) = &manifest.workspace {
        let mut table = Table::new();
        table.insert("members".into(), globs(&workspace.members));
        if !workspace.exclude.is_empty() {
            table.insert("exclude".into(), globs(&workspace.exclude));
        }
        uv.insert("workspace".into(), Value::Table(table));
    }
    if !manifest.sources.is_empty() {
        let mut sources = Table::new();
        for (name, source) in manifest.sources.iter().take(MAX_LIST) {
            sources.insert(name.text(), source.value());
        }
        uv.insert("sources".into(), Value::Table(sources));
    }
    if let Some(dev) = &manifest.dev_dependencies {
        uv.insert("dev-dependencies".into(), reqs(dev));
    }
    if !manifest.constraints.is_empty() {
        uv.insert(
            "constraint-dependencies".into(),
            reqs(&manifest.constraints),
        );
    }
    if !manifest.overrides.is_empty() {
        uv.insert("override-dependencies".into(), reqs(&manifest.overrides));
    }
    if let Some(managed) = manifest.managed {
        uv.insert("managed".into(), Value::Boolean(managed));
    }
    if let Some(package) = manifest.package {
        uv.insert("package".into(), Value::Boolean(package));
    }
    uv
}

fn render(manifest: &Manifest) -> String {
    let mut document = Table::new();
    if let Some(project) = &manifest.project {
        let mut table = Table::new();
        if let Some(name) = &project.name {
            table.insert("name".into(), Value::String(name.text()));
        }
        match &project.version {
            None => {}
            Some(VersionSpec::Plain) => {
                table.insert("version".into(), "0.1.0".into());
            }
            Some(VersionSpec::Pre) => {
                table.insert("version".into(), "2.0b1".into());
            }
            Some(VersionSpec::Dynamic) => {
                table.insert("dynamic".into(), Value::Array(vec!["version".into()]));
            }
            Some(VersionSpec::Free(text)) => {
                table.insert("version".into(), Value::String(text.clone()));
            }
        }
        if let Some(python) = &project.requires_python {
            table.insert("requires-python".into(), Value::String(python.text()));
        }
        table.insert("dependencies".into(), reqs(&project.dependencies));
        if !project.optional.is_empty() {
            let mut optional = Table::new();
            for (name, list) in project.optional.iter().take(MAX_LIST) {
                optional.insert(name.text(), reqs(list));
            }
            table.insert("optional-dependencies".into(), Value::Table(optional));
        }
        document.insert("project".into(), Value::Table(table));
    }
    if !manifest.groups.is_empty() {
        let mut groups = Table::new();
        for (name, entries) in manifest.groups.iter().take(MAX_LIST) {
            let list = entries
                .iter()
                .take(MAX_LIST)
                .map(|entry| match entry {
                    GroupEntry::Requirement(req) => Value::String(req.text()),
                    GroupEntry::Include(name) => {
                        let mut include = Table::new();
                        include.insert("include-group".into(), Value::String(name.text()));
                        Value::Table(include)
                    }
                })
                .collect();
            groups.insert(name.text(), Value::Array(list));
        }
        document.insert("dependency-groups".into(), Value::Table(groups));
    }
    let uv = tool_uv(manifest);
    if !uv.is_empty() || manifest.empty_tool_uv {
        let mut tool = Table::new();
        tool.insert("uv".into(), Value::Table(uv));
        document.insert("tool".into(), Value::Table(tool));
    }
    if manifest.build_system {
        let mut build = Table::new();
        build.insert("requires".into(), Value::Array(vec!["hatchling".into()]));
        build.insert("build-backend".into(), "hatchling.build".into());
        document.insert("build-system".into(), Value::Table(build));
    }
    toml::to_string(&document).unwrap_or_default()
}

fn render_uv_toml(uv_toml: &UvToml) -> String {
    match uv_toml {
        UvToml::Index(name) => format!(
            "[[index]]\nname = {}\nurl = \"https://example.invalid/simple\"\n",
            Value::String(name.text())
        ),
        UvToml::Constraints(list) => format!("constraint-dependencies = {}\n", reqs(list)),
        UvToml::ProjectKey => "managed = false\n".into(),
        UvToml::Free(text) => text.clone(),
    }
}

/// Writes the tree below `base`; returns the directories that hold a manifest, root first.
fn write_tree(base: &Path, tree: &Tree) -> Vec<PathBuf> {
    let mut dirs = vec![base.to_path_buf()];
    let _ = fs::write(base.join("pyproject.toml"), render(&tree.root));
    for located in tree.projects.iter().take(MAX_LIST + 2) {
        let dir = base.join(located.dir.relative());
        if fs::create_dir_all(&dir).is_ok() {
            let _ = fs::write(dir.join("pyproject.toml"), render(&located.manifest));
            dirs.push(dir);
        }
    }
    if let Some(uv_toml) = &tree.uv_toml {
        let _ = fs::write(base.join("uv.toml"), render_uv_toml(uv_toml));
    }
    for ignore in tree.ignore_files.iter().take(2) {
        let dir = base.join(ignore.dir.relative());
        let name = match ignore.kind % 3 {
            0 => ".gitignore",
            1 => ".ignore",
            _ => ".git",
        };
        let text: Vec<String> = ignore
            .patterns
            .iter()
            .take(MAX_LIST)
            .map(Glob::text)
            .collect();
        if fs::create_dir_all(&dir).is_ok() {
            if name == ".git" {
                let _ = fs::create_dir_all(dir.join(".git/info"));
                let _ = fs::write(dir.join(".git/info/exclude"), text.join("\n"));
            } else {
                let _ = fs::write(dir.join(name), text.join("\n"));
            }
        }
    }
    for (link, target) in tree.symlinks.iter().take(2) {
        let link = base.join(link.relative());
        if link == base {
            continue;
        }
        if let Some(parent) = link.parent() {
            let _ = fs::create_dir_all(parent);
        }
        // Relative targets may point at an ancestor, making a loop: discovery must not hang.
        let _ = std::os::unix::fs::symlink(target.relative(), &link);
    }
    dirs
}

/// Where the temporary trees go: a RAM-backed directory when there is one.
fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fuzz_target!(|tree: Tree| {
    let Ok(dir) = tempfile::Builder::new()
        .prefix("wslock-fuzz-")
        .tempdir_in(scratch())
    else {
        return;
    };
    let base = dir.path().to_path_buf();
    // Nothing outside the tree: git's user configuration is looked for under HOME.
    std::env::set_var("HOME", &base);
    std::env::remove_var("XDG_CONFIG_HOME");
    std::env::remove_var("GIT_CONFIG_GLOBAL");
    std::env::set_var(wslock_workspace::ROOTS_ENV, &base);

    let dirs = write_tree(&base, &tree);
    let start = &dirs[usize::from(tree.start) % dirs.len()];

    let ceilings = CeilingSettings::new()
        .with_roots_env(Some(OsString::from(base.as_os_str())))
        .with_home(None)
        .with_root(&base);
    let members = match tree.options.members % 3 {
        0 => MemberMode::All,
        1 => MemberMode::None,
        _ => MemberMode::AllExcept(dirs.iter().skip(1).take(1).cloned().collect()),
    };
    let mut options = DiscoveryOptions::new()
        .ceilings(ceilings)
        .members(members)
        .no_workspace(tree.options.no_workspace)
        .project(if tree.options.project_required {
            ProjectRequirement::Required
        } else {
            ProjectRequirement::Optional
        });
    if let Some(stop) = &tree.options.stop_at {
        options = options.stop_discovery_at(base.join(stop.relative()));
    }

    let cache = WorkspaceCache::new();
    let found = match cache.discover(start, &options) {
        Ok(found) => found,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    for warning in found.warnings() {
        let _ = warning.to_string();
    }
    let workspace = found.workspace();
    // Every file discovery opened is inside the tree: the tempdir is the ceiling.
    for read in cache.files_read() {
        assert!(
            read.starts_with(&base),
            "read {} above the ceiling {}",
            read.display(),
            base.display()
        );
    }

    let discover_external = |path: &Path| {
        cache
            .discover(path, &options)
            .map(|found| Arc::clone(found.workspace()))
    };
    let selection = match &tree.options.selection {
        None => Selection::All,
        Some(name) => match name.text().parse() {
            Ok(name) => Selection::Package(name),
            Err(_) => Selection::All,
        },
    };
    match WorkspaceGraph::builder(workspace)
        .selection(selection)
        .external_workspaces(&discover_external)
        .build()
    {
        Ok(graph) => {
            for requirement in graph.requirements() {
                let _ = requirement.to_string();
            }
            for warning in graph.warnings() {
                let _ = warning.to_string();
            }
            let _ = graph.graph().edges();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
