//! What every fork of a resolution shares: the workspace's requirements, the package source,
//! the settings.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use wslock_graph::{Origin, RequirementSource, WorkspaceGraph};
use wslock_index::PackageSource;
use wslock_pep::{exact_pin, ExtraName, GroupName, PackageName, RequiresPython, Version};

use crate::error::ResolveError;
use crate::need::Need;
use crate::options::{ResolutionMode, ResolverOptions};

/// A member's requirements, split the way PubGrub asks for them.
#[derive(Debug, Default)]
pub(crate) struct MemberNeeds {
    pub version: Option<Version>,
    pub dependencies: Vec<Need>,
    pub extras: Vec<(ExtraName, Vec<Need>)>,
    pub groups: Vec<(GroupName, Vec<Need>)>,
}

/// Shared, read-only state of one resolution.
pub(crate) struct Context<'a> {
    pub source: &'a dyn PackageSource,
    pub options: &'a ResolverOptions,
    pub requires_python: RequiresPython,
    pub members: FxHashMap<PackageName, MemberNeeds>,
    /// The members with a version, in name order: what the root pins, and what the index
    /// ranges of [`crate::pkg::Pkg::Members`] proxies point into.
    pub member_order: Vec<PackageName>,
    /// Requirements of a virtual root's own dependency groups: the root depends on them directly.
    pub root_needs: Vec<Need>,
    /// Root `constraint-dependencies`: they narrow a package's range wherever it is required,
    /// and never add a package.
    pub constraints: HashMap<PackageName, Vec<Need>>,
    /// Root `override-dependencies`: they replace every requirement on the package.
    pub overrides: HashMap<PackageName, Vec<Need>>,
    /// Packages whose workspace requirements name a pre-release (uv's default policy allows
    /// pre-releases for them).
    /// Keyed by package, with the markers of those requirements: a pre-release named only under
    /// `sys_platform == 'win32'` makes pre-releases acceptable in the win32 forks only (uv).
    pub explicit_prereleases: HashMap<PackageName, Vec<wslock_pep::MarkerTree>>,
    /// Packages the workspace requires directly (for `lowest-direct`).
    pub direct: HashSet<PackageName>,
    /// Packages whose versions and likely metadata were already fetched ahead of PubGrub
    /// (see `ForkProvider::prefetch`), by any fork: each is warmed once per resolution.
    pub prefetched: std::sync::Mutex<HashSet<PackageName>>,
    /// Yanked versions that may be chosen: those a workspace requirement, constraint or
    /// override pins with a lone `==V` or `===V` (uv's `AllowedYanks`), under any marker. Once
    /// allowed, a version is allowed wherever its package is required; a pin in a package's
    /// own metadata does not count.
    pub allowed_yanks: HashMap<PackageName, Vec<Version>>,
}

impl<'a> Context<'a> {
    pub fn new(
        graph: &WorkspaceGraph,
        source: &'a dyn PackageSource,
        options: &'a ResolverOptions,
    ) -> Result<Self, ResolveError> {
        let requires_python = graph.requires_python().cloned().ok_or_else(|| {
            ResolveError::MissingRequiresPython {
                root: graph.root().to_path_buf(),
            }
        })?;
        let versions: HashMap<&PackageName, Option<&Version>> = graph
            .members()
            .iter()
            .map(|m| (&m.name, m.version.as_ref()))
            .collect();
        let member_version = |name: &PackageName| versions.get(name).copied().flatten().cloned();

        let mut members: FxHashMap<PackageName, MemberNeeds> = graph
            .members()
            .iter()
            .map(|member| {
                let needs = MemberNeeds {
                    version: member.version.clone(),
                    extras: member
                        .extras
                        .iter()
                        .map(|e| (e.clone(), Vec::new()))
                        .collect(),
                    groups: member
                        .groups
                        .iter()
                        .map(|g| (g.clone(), Vec::new()))
                        .collect(),
                    ..MemberNeeds::default()
                };
                (member.name.clone(), needs)
            })
            .collect();
        let mut root_needs = Vec::new();
        let mut explicit_prereleases: HashMap<PackageName, Vec<wslock_pep::MarkerTree>> =
            HashMap::new();
        let mut direct = HashSet::new();
        let mut allowed_yanks: HashMap<PackageName, Vec<Version>> = HashMap::new();
        let all = graph
            .requirements()
            .iter()
            .chain(graph.constraints())
            .chain(graph.overrides());
        for requirement in all {
            if let RequirementSource::Registry { specifiers, .. } = &requirement.source {
                if let Some(version) = exact_pin(specifiers) {
                    allowed_yanks
                        .entry(requirement.name.clone())
                        .or_default()
                        .push(version.clone());
                }
            }
        }
        // Converted on every core (a 1,000-member workspace has some 8,000 requirements), then
        // sorted into place in order, so the first error is the same on every run.
        let needs: Vec<Result<Need, ResolveError>> = graph
            .requirements()
            .par_iter()
            .map(|requirement| Need::from_merged(requirement, member_version))
            .collect();
        for (requirement, need) in graph.requirements().iter().zip(needs) {
            let need = need?;
            if need.explicit_prerelease {
                explicit_prereleases
                    .entry(need.name.clone())
                    .or_default()
                    .push(need.marker.clone());
            }
            direct.insert(need.name.clone());
            let Some(member) = requirement
                .provenance
                .member
                .as_ref()
                .and_then(|m| members.get_mut(m))
            else {
                root_needs.push(need);
                continue;
            };
            match &requirement.provenance.origin {
                Origin::Dependencies => member.dependencies.push(need),
                Origin::Extra(extra) => push_to(&mut member.extras, extra, need),
                Origin::Group(group) => push_to(&mut member.groups, group, need),
                Origin::Constraint | Origin::Override => {}
            }
        }
        let by_name = |list: &[wslock_graph::MergedRequirement]| -> Result<HashMap<PackageName, Vec<Need>>, ResolveError> {
            let mut map: HashMap<PackageName, Vec<Need>> = HashMap::new();
            for requirement in list {
                let need = Need::from_merged(requirement, member_version)?;
                map.entry(need.name.clone()).or_default().push(need);
            }
            Ok(map)
        };
        let constraints = by_name(graph.constraints())?;
        let overrides = by_name(graph.overrides())?;
        for member in graph.members() {
            if member.version.is_none() {
                return Err(ResolveError::DynamicMemberVersion {
                    member: member.name.clone(),
                    manifest: member.path.join("pyproject.toml"),
                });
            }
        }
        let mut member_order: Vec<PackageName> = members
            .iter()
            .filter(|(_, member)| member.version.is_some())
            .map(|(name, _)| name.clone())
            .collect();
        member_order.sort();
        Ok(Self {
            source,
            options,
            requires_python,
            members,
            member_order,
            root_needs,
            constraints,
            overrides,
            explicit_prereleases,
            direct,
            prefetched: std::sync::Mutex::default(),
            allowed_yanks,
        })
    }

    /// Whether the resolver tries the versions of `name` oldest first.
    pub fn prefers_lowest(&self, name: &PackageName) -> bool {
        match self.options.resolution {
            ResolutionMode::Highest => false,
            ResolutionMode::Lowest => true,
            ResolutionMode::LowestDirect => self.direct.contains(name),
        }
    }

    /// Whether `version` of `name` may be chosen although it is yanked.
    pub fn allows_yanked(&self, name: &PackageName, version: &Version) -> bool {
        self.allowed_yanks
            .get(name)
            .is_some_and(|versions| versions.contains(version))
    }
}

fn push_to<K: PartialEq + Clone>(lists: &mut Vec<(K, Vec<Need>)>, key: &K, need: Need) {
    match lists.iter_mut().find(|(k, _)| k == key) {
        Some((_, needs)) => needs.push(need),
        None => lists.push((key.clone(), vec![need])),
    }
}
