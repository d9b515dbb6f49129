//! Resolver settings, as uv's `[tool.uv]` spells them.

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
}
