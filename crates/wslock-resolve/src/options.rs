//! Resolver settings, as uv's `[tool.uv]` spells them.

impl ResolutionMode {
    /// The name uv uses in settings and in uv.lock's `[options]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Highest => "highest",
            Self::Lowest => "lowest",
            Self::LowestDirect => "lowest-direct",
        }
    }
}

impl PrereleaseMode {
    /// The name uv uses in settings and in uv.lock's `[options]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disallow => "disallow",
            Self::Allow => "allow",
            Self::IfNecessary => "if-necessary",
            Self::Explicit => "explicit",
            Self::IfNecessaryOrExplicit => "if-necessary-or-explicit",
        }
    }
}

/// Which version to prefer among those allowed (`tool.uv.resolution`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResolutionMode {
    /// The newest allowed version of every package.
    #[default]
    Highest,
    /// The oldest allowed version of every package.
    Lowest,
    /// The oldest allowed version of packages the workspace requires directly, the newest of
    /// the rest.
    LowestDirect,
}

/// When pre-releases may be chosen (`tool.uv.prerelease`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PrereleaseMode {
    /// Never.
    Disallow,
    /// Always, like any other version.
    Allow,
    /// Only for a package with no stable version in range.
    IfNecessary,
    /// Only for packages whose workspace requirements name a pre-release.
    Explicit,
    /// Either of the two above (uv's default).
    #[default]
    IfNecessaryOrExplicit,
}

/// Settings of one resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolverOptions {
    /// Which version to prefer.
    pub resolution: ResolutionMode,
    /// When pre-releases may be chosen.
    pub prerelease: PrereleaseMode,
    /// `tool.uv.environments`: when not empty, the only environments the resolution covers.
    /// uv solves each as a fork of its own from the start and records them as the lock's
    /// `supported-markers` and `resolution-markers`.
    pub environments: Vec<wslock_pep::MarkerTree>,
    /// `no-build` / `no-build-package`: packages whose sdists may not be built, so a version of
    /// them without a wheel is skipped (uv 0.13.8 then locks an older version with a wheel).
    pub no_build: PackageSet,
    /// `no-binary` / `no-binary-package`: packages whose wheels may not be used, so a version
    /// of them without an sdist is skipped.
    pub no_binary: PackageSet,
    /// Solve the forks strictly one after another on one thread. Off (the default), on a
    /// machine with more than one core the next fork is solved ahead on a second thread, and
    /// its result is used only where it is exactly what solving it in turn gives: the
    /// resolution is the same either way. For measuring, and for checking that sameness.
    pub sequential_forks: bool,
}

/// The packages a setting such as `no-build` applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PackageSet {
    /// None (the default).
    #[default]
    None,
    /// Every package (`no-build = true`).
    All,
    /// These packages (`no-build-package = [...]`).
    Only(Vec<wslock_pep::PackageName>),
}

impl PackageSet {
    /// `all` (the boolean form of the setting) or else the listed packages.
    pub fn new(all: bool, packages: &[wslock_pep::PackageName]) -> Self {
        if all {
            Self::All
        } else if packages.is_empty() {
            Self::None
        } else {
            Self::Only(packages.to_vec())
        }
    }

    /// Whether the setting applies to `name`.
    pub fn contains(&self, name: &wslock_pep::PackageName) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::Only(names) => names.contains(name),
        }
    }
}
