//! Resolution on small workspaces against an in-memory source: forks, Python splits, extras,
//! pre-releases, modes, constraints and overrides, and failures.

mod common;

use common::{project, workspace, MemorySource};
use wslock_pep::marker_string;
use wslock_resolve::{
    resolve, PrereleaseMode, Resolution, ResolutionMode, ResolveError, ResolverOptions,
};

/// The resolution as text: forks, then each package with its edges.
fn render(resolution: &Resolution) -> String {
    let marker = |m| marker_string(m).unwrap_or_else(|| "*".into());
    let mut out = String::new();
    for fork in &resolution.fork_markers {
        out += &format!("fork: {}\n", marker(fork));
    }
    for package in &resolution.packages {
        out += &format!("{} {}", package.name, package.version);
        if !package.fork_markers.is_empty() {
            let forks: Vec<String> = package.fork_markers.iter().map(marker).collect();
            out += &format!("  [in: {}]", forks.join(" | "));
        }
        out += "\n";
        let lists = std::iter::once(("".to_string(), &package.dependencies))
            .chain(
                package
                    .optional_dependencies
                    .iter()
                    .map(|(e, d)| (format!("[{e}] "), d)),
            )
            .chain(
                package
                    .dependency_groups
                    .iter()
                    .map(|(g, d)| (format!("({g}) "), d)),
            );
        for (label, dependencies) in lists {
            for dependency in dependencies {
                let extras: Vec<&str> = dependency.extras.iter().map(AsRef::as_ref).collect();
                let extras = if extras.is_empty() {
                    String::new()
                } else {
                    format!("[{}]", extras.join(","))
                };
                out += &format!(
                    "  {label}-> {}{extras} {} ; {}\n",
                    dependency.name,
                    dependency.version,
                    marker(&dependency.marker)
                );
            }
        }
    }
    out
}

fn run(source: &MemorySource, graph: &wslock_graph::WorkspaceGraph) -> String {
    render(&resolve(graph, source, &ResolverOptions::default()).unwrap())
}

#[test]
fn requirements_that_differ_by_platform_fork_the_resolution() {
    let mut source = MemorySource::default();
    source.add("x", "1.0", "", &[]).add("x", "2.0", "", &[]);
    let (_dir, graph) = project(
        ">=3.9",
        &[
            "x==1.0; sys_platform == 'win32'",
            "x==2.0; sys_platform != 'win32'",
        ],
    );
    insta::assert_snapshot!(run(&source, &graph), @r"
    fork: sys_platform == 'win32'
    fork: sys_platform != 'win32'
    app 1.0
      -> x 1.0 ; sys_platform == 'win32'
      -> x 2.0 ; sys_platform != 'win32'
    x 1.0  [in: sys_platform == 'win32']
    x 2.0  [in: sys_platform != 'win32']
    ");
}

#[test]
fn requirements_that_differ_by_python_version_fork_the_resolution() {
    let mut source = MemorySource::default();
    source.add("x", "1.0", "", &[]).add("x", "2.0", "", &[]);
    let (_dir, graph) = project(
        ">=3.9",
        &[
            "x<2; python_version < '3.11'",
            "x>=2; python_version >= '3.11'",
        ],
    );
    insta::assert_snapshot!(run(&source, &graph), @r"
    fork: python_full_version >= '3.11'
    fork: python_full_version < '3.11'
    app 1.0
      -> x 1.0 ; python_full_version < '3.11'
      -> x 2.0 ; python_full_version >= '3.11'
    x 1.0  [in: python_full_version < '3.11']
    x 2.0  [in: python_full_version >= '3.11']
    ");
}

#[test]
fn a_newest_version_that_needs_a_newer_python_splits_the_resolution() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", ">=3.9", &[])
        .add("x", "2.0", ">=3.12", &[]);
    let (_dir, graph) = project(">=3.9", &["x"]);
    insta::assert_snapshot!(run(&source, &graph), @r"
    fork: python_full_version >= '3.12'
    fork: python_full_version < '3.12'
    app 1.0
      -> x 1.0 ; python_full_version < '3.12'
      -> x 2.0 ; python_full_version >= '3.12'
    x 1.0  [in: python_full_version < '3.12']
    x 2.0  [in: python_full_version >= '3.12']
    ");
}

#[test]
fn one_requirement_with_a_marker_does_not_fork() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &["y; os_name == 'nt'"])
        .add("y", "3.0", "", &[]);
    let (_dir, graph) = project(">=3.9", &["x; sys_platform == 'win32'"]);
    insta::assert_snapshot!(run(&source, &graph), @r"
    app 1.0
      -> x 1.0 ; sys_platform == 'win32'
    x 1.0
      -> y 3.0 ; os_name == 'nt'
    y 3.0
    ");
}

#[test]
fn extras_pin_the_same_version_and_add_their_requirements() {
    let mut source = MemorySource::default();
    source
        .add("web", "1.0", "", &["core"])
        .add(
            "web",
            "2.0",
            "",
            &[
                "core>=2",
                "speed; extra == 'fast'",
                "core[c]; extra == 'fast'",
            ],
        )
        .add("core", "1.0", "", &[])
        .add("core", "2.0", "", &["cffi; extra == 'c'"])
        .add("speed", "0.1", "", &[])
        .add("cffi", "1.0", "", &[]);
    let (_dir, graph) = project(">=3.9", &["web[fast]"]);
    insta::assert_snapshot!(run(&source, &graph), @r"
    app 1.0
      -> web[fast] 2.0 ; *
    cffi 1.0
    core 2.0
      [c] -> cffi 1.0 ; *
    speed 0.1
    web 2.0
      -> core 2.0 ; *
      [fast] -> core[c] 2.0 ; *
      [fast] -> speed 0.1 ; *
    ");
}

#[test]
fn members_extras_and_groups_are_resolved_together() {
    let mut source = MemorySource::default();
    source
        .add("pytest", "8.0", "", &[])
        .add("rich", "13.0", "", &[]);
    let (_dir, graph) = workspace(&[
        ("pyproject.toml", "[tool.uv.workspace]\nmembers = [\"a\", \"b\"]\n[tool.uv.sources]\na = { workspace = true }\n"),
        ("a/pyproject.toml", "[project]\nname = \"a\"\nversion = \"0.1\"\nrequires-python = \">=3.10\"\n[project.optional-dependencies]\ncli = [\"rich\"]\n"),
        ("b/pyproject.toml", "[project]\nname = \"b\"\nversion = \"0.2\"\nrequires-python = \">=3.9\"\ndependencies = [\"a[cli]\"]\n[dependency-groups]\ntest = [\"pytest\"]\n"),
    ]);
    let resolution = resolve(&graph, &source, &ResolverOptions::default()).unwrap();
    assert_eq!(resolution.requires_python.to_string(), ">=3.10");
    insta::assert_snapshot!(render(&resolution), @r"
    a 0.1
      [cli] -> rich 13.0 ; *
    b 0.2
      -> a[cli] 0.1 ; *
      (test) -> pytest 8.0 ; *
    pytest 8.0
    rich 13.0
    ");
}

#[test]
fn prereleases_only_when_named_or_necessary() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &[])
        .add("x", "2.0b1", "", &[])
        .add("only", "0.1a1", "", &[]);
    let (_dir, graph) = project(">=3.9", &["x", "only"]);
    let text = run(&source, &graph);
    assert!(
        text.contains("x 1.0\n") && text.contains("only 0.1a1"),
        "{text}"
    );

    let (_dir, graph) = project(">=3.9", &["x>=2.0b1"]);
    assert!(run(&source, &graph).contains("x 2.0b1"));

    let options = ResolverOptions {
        prerelease: PrereleaseMode::Allow,
        ..ResolverOptions::default()
    };
    let (_dir, graph) = project(">=3.9", &["x"]);
    assert!(render(&resolve(&graph, &source, &options).unwrap()).contains("x 2.0b1"));
}

/// What uv 0.13.8 does with a yanked version (observed against a local simple index with
/// `data-yanked`): skipped, unless a requirement, constraint or override of the workspace pins
/// it with a lone `==` or `===` (under any marker, in any member, extra or group); then it may
/// be chosen wherever the package is required. `==V.*`, `>=V,<=V`, `==V` beside another
/// specifier and pins in a package's own metadata do not count.
#[test]
fn yanked_versions_are_skipped_unless_pinned_with_equals() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &[])
        .add("x", "2.0", "", &[])
        .add("x", "2.1", "", &[])
        .yank("x", "2.1")
        .add("pins-x", "1.0", "", &["x==2.1"]);
    let chosen = |graph: &wslock_graph::WorkspaceGraph| match resolve(
        graph,
        &source,
        &ResolverOptions::default(),
    ) {
        Ok(resolution) => resolution
            .packages
            .iter()
            .filter(|p| p.name.as_ref() == "x")
            .map(|p| p.version.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Err(ResolveError::NoSolution { .. }) => "no solution".to_string(),
        Err(other) => panic!("{other}"),
    };
    let with = |dependencies: &[&str]| chosen(&project(">=3.9", dependencies).1);

    assert_eq!(with(&["x"]), "2.0");
    assert_eq!(with(&["x>=2.1"]), "no solution");
    assert_eq!(with(&["x==2.1"]), "2.1");
    assert_eq!(with(&["x===2.1"]), "2.1");
    assert_eq!(with(&["x==2.1.0"]), "2.1");
    assert_eq!(with(&["x==2.1.*"]), "no solution");
    assert_eq!(with(&["x>=2.1,<=2.1"]), "no solution");
    assert_eq!(with(&["x==2.1,>=2"]), "no solution");
    // A pin in a package's metadata does not allow it.
    assert_eq!(with(&["pins-x"]), "no solution");
    // A pin under a marker allows the version everywhere: `x>=2` gets it too.
    assert_eq!(
        with(&[
            "x==2.1; sys_platform == 'win32'",
            "x>=2; sys_platform != 'win32'"
        ]),
        "2.1"
    );

    let pinned_by = |table: &str| {
        let (_dir, graph) = workspace(&[(
            "pyproject.toml",
            &format!(
                "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"x\"]\n{table}"
            ),
        )]);
        chosen(&graph)
    };
    assert_eq!(
        pinned_by("[tool.uv]\nconstraint-dependencies = [\"x==2.1\"]\n"),
        "2.1"
    );
    assert_eq!(
        pinned_by("[tool.uv]\noverride-dependencies = [\"x==2.1\"]\n"),
        "2.1"
    );
    assert_eq!(
        pinned_by("[dependency-groups]\ndev = [\"x==2.1\"]\n"),
        "2.1"
    );
}

#[test]
fn resolution_modes() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &["y"])
        .add("x", "2.0", "", &["y"])
        .add("y", "1.0", "", &[])
        .add("y", "2.0", "", &[]);
    let (_dir, graph) = project(">=3.9", &["x"]);
    let with = |resolution| {
        let options = ResolverOptions {
            resolution,
            ..ResolverOptions::default()
        };
        let resolved = resolve(&graph, &source, &options).unwrap();
        resolved
            .packages
            .iter()
            .map(|p| format!("{} {}", p.name, p.version))
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert_eq!(with(ResolutionMode::Highest), "app 1.0, x 2.0, y 2.0");
    assert_eq!(with(ResolutionMode::Lowest), "app 1.0, x 1.0, y 1.0");
    assert_eq!(with(ResolutionMode::LowestDirect), "app 1.0, x 1.0, y 2.0");
}

#[test]
fn constraints_narrow_and_overrides_replace() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &["y<2"])
        .add("y", "1.0", "", &[])
        .add("y", "1.5", "", &[])
        .add("y", "3.0", "", &[])
        .add("z", "1.0", "", &[]);
    let (_dir, graph) = workspace(&[(
        "pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"x\"]\n[tool.uv]\nconstraint-dependencies = [\"y<1.5\", \"z<1\"]\n",
    )]);
    let text = run(&source, &graph);
    assert!(
        text.contains("y 1.0") && !text.contains("z "),
        "a constraint never adds a package: {text}"
    );

    let (_dir, graph) = workspace(&[(
        "pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"x\"]\n[tool.uv]\noverride-dependencies = [\"y>=3\"]\n",
    )]);
    assert!(
        run(&source, &graph).contains("y 3.0"),
        "the override replaces x's `y<2`"
    );
}

#[test]
fn versions_that_need_a_newer_python_everywhere_are_skipped() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", ">=3.8", &[])
        .add("x", "2.0", ">=4", &[]);
    let (_dir, graph) = project(">=3.9,<4", &["x"]);
    assert!(run(&source, &graph).contains("x 1.0"));
}

#[test]
fn conflicting_members_explain_why() {
    let mut source = MemorySource::default();
    source.add("x", "1.0", "", &[]).add("x", "2.0", "", &[]);
    let (_dir, graph) = workspace(&[
        ("pyproject.toml", "[tool.uv.workspace]\nmembers = [\"a\", \"b\"]\n"),
        ("a/pyproject.toml", "[project]\nname = \"a\"\nversion = \"1\"\nrequires-python = \">=3.9\"\ndependencies = [\"x>=2\"]\n"),
        ("b/pyproject.toml", "[project]\nname = \"b\"\nversion = \"1\"\nrequires-python = \">=3.9\"\ndependencies = [\"x<2\"]\n"),
    ]);
    let error = resolve(&graph, &source, &ResolverOptions::default()).unwrap_err();
    assert!(matches!(error, ResolveError::NoSolution { .. }));
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_missing_package_explains_why() {
    let source = MemorySource::default();
    let (_dir, graph) = project(">=3.9", &["nowhere>=1"]);
    let error = resolve(&graph, &source, &ResolverOptions::default()).unwrap_err();
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_workspace_without_requires_python_is_an_error() {
    let (_dir, graph) = workspace(&[(
        "pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"1\"\n",
    )]);
    let error = resolve(
        &graph,
        &MemorySource::default(),
        &ResolverOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(error, ResolveError::MissingRequiresPython { .. }));
}

/// A virtual workspace of `count` members `m000`…; member `i` requires `x` as `requirement(i)`
/// (when it returns one) and has a `test` group requiring `pytest`.
fn many_members(
    count: usize,
    requirement: impl Fn(usize) -> Option<&'static str>,
) -> (tempfile::TempDir, wslock_graph::WorkspaceGraph) {
    let mut files = vec![(
        "pyproject.toml".to_string(),
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n".to_string(),
    )];
    for i in 0..count {
        let dependencies = requirement(i).map(|r| format!("{r:?}")).unwrap_or_default();
        files.push((
            format!("packages/m{i:03}/pyproject.toml"),
            format!(
                "[project]\nname = \"m{i:03}\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\n\
                 dependencies = [{dependencies}]\n[dependency-groups]\ntest = [\"pytest\"]\n"
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    workspace(&files)
}

/// Past 64 members the root pins them through proxies (a tree of slices of the member list):
/// every member and every group must still be in the resolution, exactly once.
#[test]
fn large_workspaces_resolve_every_member_and_group() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &[])
        .add("x", "2.0", "", &[])
        .add("pytest", "8.0", "", &[]);
    let (_dir, graph) = many_members(150, |i| (i % 7 == 0).then_some("x<2"));
    let resolution = resolve(&graph, &source, &ResolverOptions::default()).unwrap();
    let names: Vec<String> = resolution
        .packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    assert_eq!(names.len(), 152, "{names:?}");
    assert!(names.contains(&"x 1.0".to_string()));
    for i in 0..150 {
        let member = resolution
            .packages
            .iter()
            .find(|p| p.name.as_ref() == format!("m{i:03}"))
            .unwrap_or_else(|| panic!("member m{i:03} is missing"));
        let groups: Vec<String> = member
            .dependency_groups
            .iter()
            .flat_map(|(group, edges)| edges.iter().map(move |e| format!("{group}: {}", e.name)))
            .collect();
        assert_eq!(groups, ["test: pytest"], "m{i:03}");
    }
}

#[test]
fn conflicting_members_of_a_large_workspace_explain_why() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &[])
        .add("x", "2.0", "", &[])
        .add("pytest", "8.0", "", &[]);
    let (_dir, graph) = many_members(150, |i| match i {
        3 => Some("x<2"),
        140 => Some("x>=2"),
        _ => None,
    });
    let error = resolve(&graph, &source, &ResolverOptions::default()).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("member `m003` depends on x<2"), "{text}");
    assert!(text.contains("member `m140` depends on x>=2"), "{text}");
    insta::assert_snapshot!(text);
}

/// A source that counts how many questions (`versions`, and separately `metadata`) are in
/// flight at once. The first question about a name (or a version) waits, up to `patience`, for
/// a second one to arrive, as a slow network would make it; later ones are answered at once,
/// as from a memo.
struct Overlapping {
    inner: MemorySource,
    remote: bool,
    patience: std::time::Duration,
    asked: std::sync::Mutex<std::collections::HashSet<String>>,
    versions: InFlight,
    metadata: InFlight,
}

/// Questions of one kind under way, and the most there ever were.
#[derive(Default)]
struct InFlight {
    now: std::sync::Mutex<usize>,
    arrived: std::sync::Condvar,
    most: std::sync::atomic::AtomicUsize,
}

impl Overlapping {
    /// Waits as a first question would, unless `key` was asked before.
    fn ask(&self, key: String, kind: &InFlight) {
        use std::sync::atomic::Ordering;
        if !self.asked.lock().unwrap().insert(key) {
            return;
        }
        let mut now = kind.now.lock().unwrap();
        *now += 1;
        kind.most.fetch_max(*now, Ordering::SeqCst);
        kind.arrived.notify_all();
        let (mut now, _) = kind
            .arrived
            .wait_timeout_while(now, self.patience, |n| *n < 2)
            .unwrap();
        *now -= 1;
    }
}

impl wslock_index::PackageSource for Overlapping {
    fn versions(
        &self,
        name: &wslock_pep::PackageName,
    ) -> Result<std::sync::Arc<wslock_index::PackageVersions>, wslock_index::IndexError> {
        self.ask(format!("versions {name}"), &self.versions);
        self.inner.versions(name)
    }

    fn metadata(
        &self,
        name: &wslock_pep::PackageName,
        version: &wslock_pep::Version,
    ) -> Result<std::sync::Arc<wslock_index::CoreMetadata>, wslock_index::IndexError> {
        self.ask(format!("metadata {name} {version}"), &self.metadata);
        self.inner.metadata(name, version)
    }

    fn warm_up(&self) -> wslock_index::WarmUp {
        if self.remote {
            wslock_index::WarmUp::Prefetch
        } else {
            wslock_index::WarmUp::ReadAhead
        }
    }
}

/// Over a network, the packages a version requires, and the metadata of the versions likely
/// to be tried, are fetched together, not one by one.
#[test]
fn a_remote_source_is_asked_for_a_versions_dependencies_in_parallel() {
    let most_in_flight = |remote: bool| {
        let mut inner = MemorySource::default();
        inner
            .add("a", "1.0", "", &[])
            .add("b", "1.0", "", &[])
            .add("c", "1.0", "", &[])
            .add("d", "1.0", "", &[]);
        let source = Overlapping {
            inner,
            remote,
            patience: std::time::Duration::from_millis(if remote { 1_000 } else { 100 }),
            asked: Default::default(),
            versions: InFlight::default(),
            metadata: InFlight::default(),
        };
        let (_dir, graph) = project(">=3.9", &["a", "b", "c", "d"]);
        let resolution = resolve(&graph, &source, &ResolverOptions::default()).unwrap();
        assert_eq!(resolution.packages.len(), 5);
        let most = |kind: &InFlight| kind.most.load(std::sync::atomic::Ordering::SeqCst);
        (most(&source.versions), most(&source.metadata))
    };
    let (versions, metadata) = most_in_flight(true);
    assert!(
        versions >= 2,
        "a remote source's pages are fetched in parallel"
    );
    assert!(
        metadata >= 2,
        "a remote source's metadata is fetched in parallel"
    );
    let (versions, metadata) = most_in_flight(false);
    assert!(
        versions <= 2 && metadata <= 2,
        "a local source is asked by the solver and the read-ahead thread only: {versions}, {metadata}"
    );
}

/// A local source that records the metadata questions the read-ahead thread asks, and holds
/// the solver's first metadata question until the read-ahead thread has asked for
/// `last_expected`, so the walk is seen whole whatever the timing.
struct ReadAheadWatch {
    inner: MemorySource,
    last_expected: String,
    read_ahead: std::sync::Mutex<Vec<String>>,
    asked: std::sync::Condvar,
}

impl wslock_index::PackageSource for ReadAheadWatch {
    fn versions(
        &self,
        name: &wslock_pep::PackageName,
    ) -> Result<std::sync::Arc<wslock_index::PackageVersions>, wslock_index::IndexError> {
        self.inner.versions(name)
    }

    fn metadata(
        &self,
        name: &wslock_pep::PackageName,
        version: &wslock_pep::Version,
    ) -> Result<std::sync::Arc<wslock_index::CoreMetadata>, wslock_index::IndexError> {
        let key = format!("{name} {version}");
        let mut read_ahead = self.read_ahead.lock().unwrap();
        if std::thread::current().name() == Some("wslock-read-ahead") {
            read_ahead.push(key);
            self.asked.notify_all();
        } else {
            let _ = self
                .asked
                .wait_timeout_while(read_ahead, std::time::Duration::from_secs(20), |asked| {
                    !asked.contains(&self.last_expected)
                })
                .unwrap();
        }
        self.inner.metadata(name, version)
    }

    fn warm_up(&self) -> wslock_index::WarmUp {
        wslock_index::WarmUp::ReadAhead
    }
}

/// On a local source a second thread reads ahead what the solver will most likely ask for:
/// in PubGrub's order (by name among the packages met), the newest stable version in range,
/// an older one too where the newest needs a newer Python than the workspace's lowest, and
/// what each requires with the extras asked for.
#[test]
fn a_local_source_is_read_ahead_on_a_second_thread() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return; // one core: no second thread is started
    }
    let mut inner = MemorySource::default();
    inner
        .add("a", "1.0", "", &[])
        .add("a", "2.0", "", &["c", "e; extra == 'cli'"])
        .add("a", "3.0", "", &[])
        .add("b", "1.0", "", &["d"])
        .add("b", "2.0rc1", "", &[])
        .add("c", "1.0", "", &[])
        .add("d", "1.0", "", &[])
        .add("d", "2.0", ">=3.12", &[])
        .add("e", "1.0", "", &[]);
    let source = ReadAheadWatch {
        inner,
        last_expected: "e 1.0".to_string(),
        read_ahead: std::sync::Mutex::default(),
        asked: std::sync::Condvar::new(),
    };
    let (_dir, graph) = project(">=3.9", &["b>=1", "a[cli]<3"]);
    let resolution = resolve(&graph, &source, &ResolverOptions::default()).unwrap();
    let read_ahead = source.read_ahead.lock().unwrap().clone();
    assert_eq!(
        read_ahead,
        ["a 2.0", "b 1.0", "c 1.0", "d 2.0", "d 1.0", "e 1.0"]
    );
    let chosen: Vec<String> = resolution
        .packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    assert_eq!(
        chosen,
        ["a 2.0", "app 1.0", "b 1.0", "c 1.0", "d 1.0", "d 2.0", "e 1.0"]
    );
}

/// Windows is `os_name == 'nt'`, Linux and macOS are `posix` (uv's marker algebra knows it):
/// the `win32` fork neither splits on `os_name` nor admits what only applies on `posix`.
#[test]
fn platforms_no_interpreter_reports_are_not_forks() {
    let mut source = MemorySource::default();
    source
        .add("x", "1.0", "", &[])
        .add("x", "2.0", "", &[])
        .add("y", "1.0", "", &[])
        .add("y", "2.0", "", &[]);
    let (_dir, graph) = project(
        ">=3.9",
        &[
            "x==1.0; sys_platform == 'win32'",
            "x==2.0; sys_platform != 'win32'",
            "y==1.0; os_name == 'posix'",
            "y==2.0; os_name != 'posix'",
        ],
    );
    let resolution = resolve(&graph, &source, &ResolverOptions::default()).unwrap();
    let forks: Vec<String> = resolution
        .fork_markers
        .iter()
        .map(|m| marker_string(m).unwrap_or_else(|| "*".into()))
        .collect();
    assert!(
        !forks
            .iter()
            .any(|f| f.contains("os_name == 'posix'") && f.contains("sys_platform == 'win32'")),
        "an impossible fork: {forks:?}"
    );
    insta::assert_snapshot!(render(&resolution));
}

/// A fork solved ahead of its turn, without the versions the forks before it chose, is solved
/// again when one of those would have changed its choice: here the second fork must prefer
/// the `p 1.0` the first fork chose, not the newest `p`.
#[test]
fn a_fork_solved_ahead_is_solved_again_when_an_earlier_choice_applies() {
    let mut source = MemorySource::default();
    source.add("p", "1.0", "", &[]).add("p", "2.0", "", &[]);
    let (_dir, graph) = project(
        ">=3.9",
        &["p<2; sys_platform == 'win32'", "p; sys_platform != 'win32'"],
    );
    for sequential_forks in [false, true] {
        let options = ResolverOptions {
            sequential_forks,
            ..ResolverOptions::default()
        };
        let resolution = resolve(&graph, &source, &options).unwrap();
        let versions: Vec<String> = resolution
            .packages
            .iter()
            .filter(|package| package.name.as_ref() == "p")
            .map(|package| package.version.to_string())
            .collect();
        assert_eq!(versions, ["1.0"], "sequential_forks: {sequential_forks}");
    }
}
