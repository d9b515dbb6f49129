//! For installers: the exact packages a universal plan installs into one environment.

use std::collections::{BTreeSet, HashMap, VecDeque};

use wslock_pep::{
    ExtraName, GroupName, MarkerEnvironment, MarkerEnvironmentBuilder, PackageName, Version,
};

use crate::error::LockError;
use crate::model::{LockDependency, LockPackage, LockPlan, PackageSource};
use crate::requirement::LockRequirement;

/// The operating system of a target environment; it fixes `sys_platform`, `os_name` and
/// `platform_system`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `linux`, `posix`, `Linux`.
    Linux,
    /// `darwin`, `posix`, `Darwin`.
    MacOs,
    /// `win32`, `nt`, `Windows`.
    Windows,
}

/// The Python implementation; it fixes `implementation_name` and
/// `platform_python_implementation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// `cpython`, `CPython`.
    CPython,
    /// `pypy`, `PyPy`.
    PyPy,
}

/// An environment to install into: a Python version and a platform, from which every PEP 508
/// marker variable is derived. Defaults: Linux, `x86_64`, CPython.
///
/// ```
/// use wslock_lock::{Platform, TargetEnvironment};
/// let windows = TargetEnvironment::new("3.12.1")?.platform(Platform::Windows).machine("AMD64");
/// # Ok::<(), wslock_lock::LockError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetEnvironment {
    python: Version,
    platform: Platform,
    machine: String,
    implementation: Implementation,
    platform_release: String,
    platform_version: String,
}

impl TargetEnvironment {
    /// An environment with the given Python version (`3.12` means `3.12.0`).
    pub fn new(python_full_version: &str) -> Result<Self, LockError> {
        let python: Version =
            python_full_version
                .parse()
                .map_err(|_| LockError::InvalidPythonVersion {
                    text: python_full_version.to_string(),
                })?;
        if python.release().len() < 2 {
            return Err(LockError::InvalidPythonVersion {
                text: python_full_version.to_string(),
            });
        }
        Ok(Self {
            python,
            platform: Platform::Linux,
            machine: "x86_64".to_string(),
            implementation: Implementation::CPython,
            platform_release: String::new(),
            platform_version: String::new(),
        })
    }

    /// Sets the operating system.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = platform;
        self
    }

    /// Sets `platform_machine` (`x86_64`, `aarch64`, `arm64`, `AMD64`).
    pub fn machine(mut self, machine: &str) -> Self {
        self.machine = machine.to_string();
        self
    }

    /// Sets the Python implementation.
    pub fn implementation(mut self, implementation: Implementation) -> Self {
        self.implementation = implementation;
        self
    }

    /// Sets `platform_release` and `platform_version` (empty by default).
    pub fn kernel(mut self, release: &str, version: &str) -> Self {
        self.platform_release = release.to_string();
        self.platform_version = version.to_string();
        self
    }

    /// The Python version.
    pub fn python(&self) -> &Version {
        &self.python
    }

    /// Every marker variable, for `MarkerTree::evaluate`.
    pub fn marker_environment(&self) -> Result<MarkerEnvironment, LockError> {
        let (sys_platform, os_name, platform_system) = match self.platform {
            Platform::Linux => ("linux", "posix", "Linux"),
            Platform::MacOs => ("darwin", "posix", "Darwin"),
            Platform::Windows => ("win32", "nt", "Windows"),
        };
        let (implementation_name, python_implementation) = match self.implementation {
            Implementation::CPython => ("cpython", "CPython"),
            Implementation::PyPy => ("pypy", "PyPy"),
        };
        let release = self.python.release();
        let full_version = padded_release(release);
        let python_version = format!("{}.{}", release[0], release.get(1).copied().unwrap_or(0));
        let builder = MarkerEnvironmentBuilder {
            implementation_name,
            implementation_version: &full_version,
            os_name,
            platform_machine: &self.machine,
            platform_python_implementation: python_implementation,
            platform_release: &self.platform_release,
            platform_system,
            platform_version: &self.platform_version,
            python_full_version: &full_version,
            python_version: &python_version,
            sys_platform,
        };
        MarkerEnvironment::try_from(builder).map_err(|_| LockError::InvalidPythonVersion {
            text: self.python.to_string(),
        })
    }
}

/// `3.12` → `3.12.0`: `python_full_version` has three parts.
fn padded_release(release: &[u64]) -> String {
    let mut parts: Vec<String> = release.iter().map(ToString::to_string).collect();
    while parts.len() < 3 {
        parts.push("0".to_string());
    }
    parts.join(".")
}

/// Which of something to take: none, all, or the ones named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice<T> {
    /// None of them.
    #[default]
    None,
    /// All of them.
    All,
    /// Those named.
    Only(Vec<T>),
}

impl<T: PartialEq> Choice<T> {
    fn contains(&self, item: &T) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::Only(items) => items.contains(item),
        }
    }
}

/// What to install: which members (default: all), and which of their extras and dependency
/// groups (default: none). Groups also select a virtual root's own groups
/// (`[manifest.dependency-groups]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallSelection {
    members: Option<Vec<PackageName>>,
    extras: Choice<ExtraName>,
    groups: Choice<GroupName>,
}

impl InstallSelection {
    /// Every member, no extras, no groups.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these members (and what they need).
    pub fn members(mut self, members: impl IntoIterator<Item = PackageName>) -> Self {
        self.members = Some(members.into_iter().collect());
        self
    }

    /// The extras of the selected members to install.
    pub fn extras(mut self, extras: Choice<ExtraName>) -> Self {
        self.extras = extras;
        self
    }

    /// The dependency groups of the selected members (and of a virtual root) to install.
    pub fn groups(mut self, groups: Choice<GroupName>) -> Self {
        self.groups = groups;
        self
    }
}

/// One package to install.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InstallItem {
    /// The name.
    pub name: PackageName,
    /// The version (`None` for a dynamic source tree).
    pub version: Option<Version>,
    /// Where to install it from.
    pub source: PackageSource,
}

type PackageKey = (PackageName, Option<Version>, PackageSource);

fn key_of(package: &LockPackage) -> PackageKey {
    (
        package.name.clone(),
        package.version.clone(),
        package.source.clone(),
    )
}

impl LockPlan {
    /// The members of the plan: `[manifest] members`, or, for a single project, the package at
    /// the root.
    pub fn member_names(&self) -> Vec<PackageName> {
        if !self.manifest.members.is_empty() {
            return self.manifest.members.clone();
        }
        self.packages
            .iter()
            .filter(|p| {
                p.is_source_tree()
                    && p.source
                        .pairs()
                        .first()
                        .is_some_and(|(_, path)| *path == ".")
            })
            .map(|p| p.name.clone())
            .collect()
    }

    /// Exactly the packages to install into `env` for `selection`, sorted by name and version.
    ///
    /// Walks from the selected members over every edge whose marker holds in `env`, through the
    /// selected extras and groups of the members and the extras each edge enables. Virtual
    /// packages (not installed themselves) are walked through but not listed.
    pub fn install_set(
        &self,
        env: &TargetEnvironment,
        selection: &InstallSelection,
    ) -> Result<Vec<InstallItem>, LockError> {
        if !self.requires_python.contains(env.python()) {
            return Err(LockError::PythonNotSupported {
                python: env.python().to_string(),
                requires_python: self.requires_python.to_string(),
            });
        }
        let markers = env.marker_environment()?;
        let members = self.member_names();
        let selected = match &selection.members {
            None => members.clone(),
            Some(names) => {
                for name in names {
                    if !members.contains(name) {
                        return Err(LockError::UnknownInstallMember {
                            name: name.to_string(),
                            members: members
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                }
                names.clone()
            }
        };
        let index: HashMap<PackageKey, usize> = self
            .packages
            .iter()
            .enumerate()
            .map(|(i, package)| (key_of(package), i))
            .collect();

        let mut walk = Walk {
            plan: self,
            env: &markers,
            index: &index,
            queue: VecDeque::new(),
            seen: BTreeSet::new(),
        };
        for (i, package) in self.packages.iter().enumerate() {
            if !(package.is_source_tree() && selected.contains(&package.name)) {
                continue;
            }
            walk.push(i, None);
            for (extra, edges) in &package.optional_dependencies {
                if selection.extras.contains(extra) {
                    walk.follow(edges);
                }
            }
            for (group, edges) in &package.dev_dependencies {
                if selection.groups.contains(group) {
                    walk.follow(edges);
                }
            }
        }
        for (group, requirements) in &self.manifest.dependency_groups {
            if selection.groups.contains(group) {
                for requirement in requirements {
                    walk.follow_requirement(requirement);
                }
            }
        }
        walk.run();

        let mut items: Vec<InstallItem> = walk
            .seen
            .iter()
            .filter(|(_, extra)| extra.is_none())
            .map(|(i, _)| &self.packages[*i])
            .filter(|package| !matches!(package.source, PackageSource::Virtual(_)))
            .map(|package| InstallItem {
                name: package.name.clone(),
                version: package.version.clone(),
                source: package.source.clone(),
            })
            .collect();
        items.sort();
        Ok(items)
    }
}

/// A breadth-first walk over (package, extra) nodes.
struct Walk<'a> {
    plan: &'a LockPlan,
    env: &'a MarkerEnvironment,
    index: &'a HashMap<PackageKey, usize>,
    queue: VecDeque<(usize, Option<ExtraName>)>,
    seen: BTreeSet<(usize, Option<ExtraName>)>,
}

impl Walk<'_> {
    fn push(&mut self, package: usize, extra: Option<ExtraName>) {
        if self.seen.insert((package, extra.clone())) {
            self.queue.push_back((package, extra));
        }
    }

    fn follow(&mut self, edges: &[LockDependency]) {
        for edge in edges {
            // Edge markers in a lock carry no extras (uv removes them), so none are active.
            if !edge.marker.evaluate(self.env, &[]) {
                continue;
            }
            let key = (edge.name.clone(), edge.version.clone(), edge.source.clone());
            // Plans are built or parsed with every edge checked, so the target exists.
            let Some(&target) = self.index.get(&key) else {
                continue;
            };
            self.push(target, None);
            for extra in &edge.extra {
                self.push(target, Some(extra.clone()));
            }
        }
    }

    /// A virtual root's group requirement names a package, not a version: take the package of
    /// that name whose forks include this environment.
    fn follow_requirement(&mut self, requirement: &LockRequirement) {
        if !requirement.marker.evaluate(self.env, &[]) {
            return;
        }
        let candidates: Vec<usize> = self
            .plan
            .packages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.name == requirement.name)
            .filter(|(_, p)| {
                p.resolution_markers.is_empty()
                    || p.resolution_markers
                        .iter()
                        .any(|m| m.evaluate(self.env, &[]))
            })
            .map(|(i, _)| i)
            .collect();
        for target in candidates {
            self.push(target, None);
            for extra in &requirement.extras {
                self.push(target, Some(extra.clone()));
            }
        }
    }

    fn run(&mut self) {
        while let Some((package, extra)) = self.queue.pop_front() {
            let package = &self.plan.packages[package];
            match extra {
                None => self.follow(&package.dependencies),
                Some(extra) => {
                    if let Some(edges) = package.optional_dependencies.get(&extra) {
                        self.follow(edges);
                    }
                }
            }
        }
    }
}
