//! The PubGrub `DependencyProvider` for one fork.
//!
//! PubGrub's upstream crate has no API to clone its state mid-search, so forking happens
//! outside it: when this provider meets requirements that need different versions in different
//! environments, or a newest candidate that needs a newer Python than the fork covers, it stops
//! the solve with [`Step::Fork`], and the caller solves the narrower forks from scratch.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use pubgrub::{
    Dependencies, DependencyConstraints, DependencyProvider, PackageResolutionStatistics,
};
use rustc_hash::FxHashMap;
use wslock_index::{CoreMetadata, IndexError, WarmUp};
use wslock_pep::{PackageName, Ranges, RequiresPython, Version};

use crate::context::Context;
use crate::env::ForkEnv;
use crate::error::ResolveError;
use crate::lookahead::likely_versions;
use crate::need::Need;
use crate::options::PrereleaseMode;
use crate::pkg::Pkg;

/// Why a solve stopped early.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Step {
    /// The fork must be split into these narrower forks, in solve order.
    #[error("the resolution forks")]
    Fork(Vec<ForkEnv>),
    /// A real failure.
    #[error(transparent)]
    Failed(ResolveError),
}

impl From<IndexError> for Step {
    fn from(error: IndexError) -> Self {
        Step::Failed(ResolveError::Index(error))
    }
}

impl From<ResolveError> for Step {
    fn from(error: ResolveError) -> Self {
        Step::Failed(error)
    }
}

/// Whether a metadata failure makes just this version unusable (uv then tries another version
/// and explains the skip) rather than the whole resolution impossible: the distribution is
/// broken or needs a build, which is about that version, not about the source.
fn version_is_unusable(error: &IndexError) -> bool {
    matches!(
        error,
        IndexError::CorruptArchive { .. }
            | IndexError::MissingMetadata { .. }
            | IndexError::InvalidMetadata { .. }
            | IndexError::MetadataMismatch { .. }
            | IndexError::NeedsBuild { .. }
            | IndexError::NoDistribution { .. }
    )
}

/// The requirements a package version was found to have in this fork, for the merge.
pub(crate) type EdgeLog = FxHashMap<(Pkg, Version), Vec<Need>>;

/// Why versions of a package were passed over, for the explanation of a failure.
pub(crate) type Rejections = BTreeMap<PackageName, Vec<String>>;

/// A choice of a version that no preference steered: what a preference for the package could
/// have changed.
pub(crate) struct UnpreferredChoice {
    pub name: PackageName,
    /// The range the version was chosen in.
    pub range: Ranges<Version>,
    /// The candidate tried first.
    pub first: Option<Version>,
}

impl UnpreferredChoice {
    /// Whether the choice is the same with `preferred` as the package's preference. A
    /// preference moves its version to the front of the candidates, so it changes nothing
    /// when it is outside the range (it is no candidate) or is the first candidate already.
    pub fn same_with(&self, preferred: &Version) -> bool {
        !self.range.contains(preferred) || self.first.as_ref() == Some(preferred)
    }
}

/// A provider for one fork.
pub(crate) struct ForkProvider<'a> {
    context: &'a Context<'a>,
    env: &'a ForkEnv,
    preferences: &'a FxHashMap<PackageName, Version>,
    edges: Mutex<EdgeLog>,
    rejections: Mutex<Rejections>,
    /// Each choice of a version made without a preference.
    unpreferred: Mutex<Vec<UnpreferredChoice>>,
}

impl<'a> ForkProvider<'a> {
    pub fn new(
        context: &'a Context<'a>,
        env: &'a ForkEnv,
        preferences: &'a FxHashMap<PackageName, Version>,
    ) -> Self {
        Self {
            context,
            env,
            preferences,
            edges: Mutex::new(FxHashMap::default()),
            rejections: Mutex::new(BTreeMap::new()),
            unpreferred: Mutex::new(Vec::new()),
        }
    }

    /// The requirements each package version had, why versions were passed over, and the
    /// choices made without a preference.
    pub fn into_parts(self) -> (EdgeLog, Rejections, Vec<UnpreferredChoice>) {
        (
            self.edges
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
            self.rejections
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
            self.unpreferred
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn reject(&self, name: &PackageName, reason: String) {
        let mut rejections = self
            .rejections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let reasons = rejections.entry(name.clone()).or_default();
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }

    /// The root's version, and the members' pinned versions, are fixed.
    pub fn root_version() -> Version {
        Version::new([0])
    }

    /// What `pkg` at `version` requires, before fork checks.
    fn needs(&self, pkg: &Pkg, version: &Version) -> Result<Vec<Need>, Step> {
        let context = self.context;
        let pin = |name: &PackageName, version: &Version| Need {
            name: name.clone(),
            extras: Vec::new(),
            range: Ranges::singleton(version.clone()),
            marker: wslock_pep::MarkerTree::TRUE,
            explicit_prerelease: false,
        };
        Ok(match pkg {
            // The root's pins on members are added by `get_dependencies`, directly or through
            // `Pkg::Members` proxies.
            Pkg::Root => context.root_needs.clone(),
            Pkg::Members(..) => Vec::new(),
            Pkg::Package(name) => match context.members.get(name) {
                Some(member) => member.dependencies.clone(),
                None => {
                    let metadata = self.metadata(name, version)?;
                    let mut needs = Vec::new();
                    for requirement in &metadata.requires_dist {
                        needs.extend(Need::from_metadata(requirement, &[])?);
                    }
                    needs
                }
            },
            Pkg::Extra(name, extra) => {
                let mut needs = vec![pin(name, version)];
                match context.members.get(name) {
                    Some(member) => {
                        if let Some((_, extra_needs)) =
                            member.extras.iter().find(|(e, _)| e == extra)
                        {
                            needs.extend(extra_needs.iter().cloned());
                        }
                    }
                    None => {
                        let metadata = self.metadata(name, version)?;
                        for requirement in &metadata.requires_dist {
                            // Only what the extra adds: a requirement the package has anyway
                            // belongs to the package's own edges.
                            let base = Need::from_metadata(requirement, &[])?;
                            let with_extra =
                                Need::from_metadata(requirement, std::slice::from_ref(extra))?;
                            if let Some(need) = with_extra {
                                let added = base.is_none_or(|base| {
                                    !wslock_pep::marker_implies(&need.marker, &base.marker)
                                });
                                if added {
                                    needs.push(need);
                                }
                            }
                        }
                    }
                }
                needs
            }
            Pkg::Group(name, group) => context
                .members
                .get(name)
                .and_then(|member| member.groups.iter().find(|(g, _)| g == group))
                .map(|(_, needs)| needs.clone())
                .unwrap_or_default(),
        })
    }

    /// What `package` pins on the root's behalf: all members for the root, a slice of them for
    /// a proxy; directly when there are few enough, otherwise through narrower proxies.
    fn member_pins_of(&self, package: &Pkg) -> MemberPins {
        let span = match package {
            Pkg::Root => 0..self.context.member_order.len(),
            Pkg::Members(start, end) => *start as usize..*end as usize,
            _ => return MemberPins::Nothing,
        };
        match member_proxies(span.clone()) {
            Some(proxies) => MemberPins::Proxies(proxies),
            None => MemberPins::Members(span),
        }
    }

    /// The pins of the members at `span` of the name-ordered member list, with every extra of
    /// each member.
    fn member_pins(&self, span: Range<usize>) -> Vec<Need> {
        let context = self.context;
        context.member_order[span]
            .iter()
            .filter_map(|name| {
                let member = context.members.get(name)?;
                Some(Need {
                    name: name.clone(),
                    extras: member.extras.iter().map(|(e, _)| e.clone()).collect(),
                    range: Ranges::singleton(member.version.clone()?),
                    marker: wslock_pep::MarkerTree::TRUE,
                    explicit_prerelease: false,
                })
            })
            .collect()
    }

    /// Over a network, fetches in parallel what PubGrub is about to ask for one question at a
    /// time: the versions of each package `needs` names for the first time in this
    /// resolution, and the metadata of the version it will most likely try first (the
    /// preferred one, else the newest or, resolving lowest, the oldest stable version in
    /// range). Only a warm-up: an error here is met again, and reported, when the resolver
    /// asks for itself, and a wrong guess costs one unused request. Local sources are read
    /// ahead on a second thread instead (`lookahead`): waiting here for a batch of local reads
    /// measured no faster (1,000 members).
    fn prefetch(&self, needs: &[Need]) {
        let context = self.context;
        if context.source.warm_up() != WarmUp::Prefetch {
            return;
        }
        let fresh: Vec<&Need> = {
            let mut seen = context
                .prefetched
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            needs
                .iter()
                .filter(|need| !context.members.contains_key(&need.name))
                .filter(|need| seen.insert(need.name.clone()))
                .collect()
        };
        // One package gains nothing from a second thread.
        if fresh.len() < 2 {
            return;
        }
        let names: Vec<PackageName> = fresh.iter().map(|need| need.name.clone()).collect();
        let _ = wslock_index::prefetch_versions(context.source, &names);
        let likely: Vec<(PackageName, Version)> = fresh
            .iter()
            .filter_map(|need| {
                let listing = context.source.versions(&need.name).ok()?;
                let preferred = self.preferences.get(&need.name);
                let info = likely_versions(context, &need.name, &listing, &need.range, preferred)
                    .next()?;
                Some((need.name.clone(), info.version.clone()))
            })
            .collect();
        let _ = wslock_index::prefetch_metadata(context.source, &likely);
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        self.context.source.metadata(name, version)
    }

    /// Applies root constraints and overrides to one requirement.
    fn constrain(&self, mut need: Need) -> Need {
        if let Some(overrides) = self.context.overrides.get(&need.name) {
            let applicable: Vec<&Need> = overrides
                .iter()
                .filter(|o| self.env.admits(&o.marker))
                .collect();
            if let Some(first) = applicable.first() {
                need.range = applicable
                    .iter()
                    .fold(Ranges::full(), |range, o| range.intersection(&o.range));
                need.marker = first.marker.clone();
            }
        }
        if let Some(constraints) = self.context.constraints.get(&need.name) {
            for constraint in constraints.iter().filter(|c| self.env.admits(&c.marker)) {
                need.range = need.range.intersection(&constraint.range);
            }
        }
        need
    }

    /// The requirements that apply in this fork, or the split the fork needs.
    ///
    /// uv forks when one package version lists the same name several times under markers that
    /// differ within the fork (`attrs==23; sys_platform == 'linux'` and
    /// `attrs==22; sys_platform != 'linux'`): each side gets its own solve. One requirement per
    /// name never forks, whatever its marker.
    fn applicable(&self, needs: Vec<Need>) -> Result<Vec<Need>, Step> {
        let needs: Vec<Need> = needs
            .into_iter()
            .filter(|need| self.env.admits(&need.marker))
            .map(|need| self.constrain(need))
            .collect();
        let mut by_name: BTreeMap<&PackageName, Vec<&Need>> = BTreeMap::new();
        for need in &needs {
            by_name.entry(&need.name).or_default().push(need);
        }
        for group in by_name.values().filter(|group| group.len() > 1) {
            let restricted: Vec<_> = group
                .iter()
                .map(|need| self.env.restrict(&need.marker))
                .collect();
            if restricted.iter().all(|marker| *marker == restricted[0]) {
                continue;
            }
            if let Some(need) = group
                .iter()
                .find(|need| !self.env.decides_true(&need.marker))
            {
                let children: Vec<ForkEnv> = self
                    .env
                    .split_on(&need.marker)
                    .into_iter()
                    .filter(|fork| !fork.is_empty())
                    .collect();
                if children.len() == 2 {
                    return Err(Step::Fork(children));
                }
            }
        }
        // A requirement that applies only from some Python version up splits the fork there,
        // even alone (uv's rule), so that part is solved for the Pythons it needs.
        if let Some(floor) = needs
            .iter()
            .find_map(|need| self.env.python_floor(&need.marker))
        {
            let children: Vec<ForkEnv> = self
                .env
                .split_at_python(&floor)
                .into_iter()
                .filter(|f| !f.is_empty())
                .collect();
            if children.len() == 2 {
                return Err(Step::Fork(children));
            }
        }
        Ok(needs)
    }

    fn prerelease_allowed(
        &self,
        name: &PackageName,
        range: &Ranges<Version>,
        versions: &[&Version],
    ) -> bool {
        let explicit = self
            .context
            .explicit_prereleases
            .get(name)
            .is_some_and(|markers| markers.iter().any(|marker| self.env.admits(marker)));
        let necessary = || {
            !versions
                .iter()
                .any(|v| !v.any_prerelease() && range.contains(v))
        };
        match self.context.options.prerelease {
            PrereleaseMode::Disallow => false,
            PrereleaseMode::Allow => true,
            PrereleaseMode::Explicit => explicit,
            PrereleaseMode::IfNecessary => necessary(),
            PrereleaseMode::IfNecessaryOrExplicit => explicit || necessary(),
        }
    }

    /// Whether a candidate supports the fork's Python: its `Requires-Python` must contain the
    /// fork's lowest Python (upper bounds are ignored, as in uv).
    fn python_verdict(&self, candidate: &RequiresPython) -> PythonVerdict {
        match self.env.python.lower_bound() {
            None => PythonVerdict::Fits,
            Some((lowest, _)) if candidate.contains(lowest) => PythonVerdict::Fits,
            Some(_) => match candidate.intersect(&self.env.python).lower_bound() {
                Some((from, _)) if !candidate.is_disjoint(&self.env.python) => {
                    PythonVerdict::NeedsFrom(from.clone())
                }
                _ => PythonVerdict::Never,
            },
        }
    }
}

enum PythonVerdict {
    Fits,
    /// Fits from this Python version up, which the fork covers only in part.
    NeedsFrom(Version),
    Never,
}

impl DependencyProvider for ForkProvider<'_> {
    type P = Pkg;
    type V = Version;
    type VS = Ranges<Version>;
    type M = String;
    type Err = Step;
    /// Root and members first, then the packages that conflicted most, then by name.
    type Priority = (u8, u32, Reverse<Pkg>);

    fn prioritize(
        &self,
        package: &Pkg,
        _range: &Ranges<Version>,
        stats: &PackageResolutionStatistics,
    ) -> Self::Priority {
        let is_workspace = match package {
            Pkg::Root | Pkg::Members(..) => true,
            other => other
                .name()
                .is_some_and(|name| self.context.members.contains_key(name)),
        };
        (
            u8::from(is_workspace),
            stats.conflict_count(),
            Reverse(package.clone()),
        )
    }

    fn choose_version(
        &self,
        package: &Pkg,
        range: &Ranges<Version>,
    ) -> Result<Option<Version>, Step> {
        let name = match package {
            Pkg::Root | Pkg::Members(..) => {
                return Ok(Some(Self::root_version()).filter(|v| range.contains(v)))
            }
            Pkg::Package(name) | Pkg::Extra(name, _) | Pkg::Group(name, _) => name,
        };
        if let Some(member) = self.context.members.get(name) {
            return Ok(member
                .version
                .clone()
                .filter(|version| range.contains(version)));
        }
        let listing = self.context.source.versions(name)?;
        let all: Vec<&Version> = listing.iter().map(|info| &info.version).collect();
        let prerelease = self.prerelease_allowed(name, range, &all);
        let mut candidates: Vec<&wslock_index::VersionInfo> = Vec::new();
        for info in listing.iter().filter(|info| range.contains(&info.version)) {
            if !prerelease && info.version.any_prerelease() {
                self.reject(name, format!("{name} {} is a pre-release, used only when a requirement names a pre-release (or with `--prerelease allow`)", info.version));
            } else if info.yanked.is_some() && !self.context.allows_yanked(name, &info.version) {
                self.reject(name, format!("{name} {} is yanked, used only when a workspace requirement pins it with `==`", info.version));
            } else if self.context.options.no_build.contains(name)
                && !info.files.iter().any(|file| file.filename.is_wheel())
            {
                self.reject(name, format!("{name} {} has no wheel, and `no-build` forbids building its source distribution", info.version));
            } else if self.context.options.no_binary.contains(name)
                && info.files.iter().all(|file| file.filename.is_wheel())
            {
                self.reject(
                    name,
                    format!(
                        "{name} {} has no source distribution, and `no-binary` forbids its wheels",
                        info.version
                    ),
                );
            } else {
                candidates.push(info);
            }
        }
        if !self.context.prefers_lowest(name) {
            candidates.reverse();
        }
        match self.preferences.get(name) {
            Some(preferred) => {
                if let Some(position) = candidates
                    .iter()
                    .position(|info| &info.version == preferred)
                {
                    let info = candidates.remove(position);
                    candidates.insert(0, info);
                }
            }
            None => {
                self.unpreferred
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(UnpreferredChoice {
                        name: name.clone(),
                        range: range.clone(),
                        first: candidates.first().map(|info| info.version.clone()),
                    });
            }
        }
        for info in candidates {
            let requires_python = match &info.requires_python {
                Some(specifiers) => Some(specifiers.clone()),
                None => match self.metadata(name, &info.version) {
                    Ok(metadata) => metadata.requires_python.clone(),
                    // An unusable version is chosen anyway: `get_dependencies` reports it as
                    // unavailable with the reason, so PubGrub backtracks and explains.
                    Err(error) if version_is_unusable(&error) => None,
                    Err(error) => return Err(error.into()),
                },
            };
            let Some(specifiers) = requires_python else {
                return Ok(Some(info.version.clone()));
            };
            match self.python_verdict(&RequiresPython::from_specifiers(&specifiers)) {
                PythonVerdict::Fits => return Ok(Some(info.version.clone())),
                PythonVerdict::NeedsFrom(from) => {
                    // uv's default fork strategy: newer Pythons get this version, older ones
                    // keep looking. Solve both sides separately.
                    let children: Vec<ForkEnv> = self
                        .env
                        .split_at_python(&from)
                        .into_iter()
                        .filter(|f| !f.is_empty())
                        .collect();
                    if children.len() == 2 {
                        return Err(Step::Fork(children));
                    }
                }
                PythonVerdict::Never => self.reject(
                    name,
                    format!(
                        "{name} {} requires Python {specifiers}, outside {}",
                        info.version, self.env.python
                    ),
                ),
            }
        }
        Ok(None)
    }

    fn get_dependencies(
        &self,
        package: &Pkg,
        version: &Version,
    ) -> Result<Dependencies<Pkg, Ranges<Version>, String>, Step> {
        let mut needs = match self.needs(package, version) {
            Err(Step::Failed(ResolveError::Index(error))) if version_is_unusable(&error) => {
                return Ok(Dependencies::Unavailable(format!("is unusable: {error}")));
            }
            other => other?,
        };
        let pins = self.member_pins_of(package);
        if let MemberPins::Members(span) = &pins {
            needs.extend(self.member_pins(span.clone()));
        }
        let needs = self.applicable(needs)?;
        let mut constraints: BTreeMap<Pkg, Ranges<Version>> = BTreeMap::new();
        let mut add = |pkg: Pkg, range: &Ranges<Version>| {
            constraints
                .entry(pkg)
                .and_modify(|existing| *existing = existing.intersection(range))
                .or_insert_with(|| range.clone());
        };
        for need in &needs {
            add(Pkg::Package(need.name.clone()), &need.range);
            for extra in &need.extras {
                add(Pkg::Extra(need.name.clone(), extra.clone()), &need.range);
            }
        }
        match pins {
            MemberPins::Proxies(proxies) => {
                for (start, end) in proxies {
                    add(
                        Pkg::Members(start, end),
                        &Ranges::singleton(Self::root_version()),
                    );
                }
            }
            // Every dependency group of a pinned member is installed with it.
            MemberPins::Members(span) => {
                for name in &self.context.member_order[span] {
                    let Some(member) = self.context.members.get(name) else {
                        continue;
                    };
                    let Some(member_version) = &member.version else {
                        continue;
                    };
                    for (group, _) in &member.groups {
                        add(
                            Pkg::Group(name.clone(), group.clone()),
                            &Ranges::singleton(member_version.clone()),
                        );
                    }
                }
            }
            MemberPins::Nothing => {}
        }
        self.prefetch(&needs);
        self.edges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((package.clone(), version.clone()), needs);
        Ok(Dependencies::Available(
            constraints
                .into_iter()
                .collect::<DependencyConstraints<_, _>>(),
        ))
    }
}

/// What the root or a [`Pkg::Members`] proxy pins.
enum MemberPins {
    /// A package that pins no member.
    Nothing,
    /// These positions of the name-ordered member list, directly.
    Members(Range<usize>),
    /// Narrower proxies, each a `start..end` of the member list.
    Proxies(Vec<(u32, u32)>),
}

/// How many packages the root, or one [`Pkg::Members`] proxy, pins at most.
const MEMBERS_PER_PROXY: usize = 64;

/// The proxies that pin the members at `span`, as index ranges of at most
/// [`MEMBERS_PER_PROXY`] proxies each covering an equal power of it; `None` when the span is
/// small enough to pin its members directly (every workspace of up to 64 members).
fn member_proxies(span: Range<usize>) -> Option<Vec<(u32, u32)>> {
    if span.len() <= MEMBERS_PER_PROXY {
        return None;
    }
    let mut chunk = MEMBERS_PER_PROXY;
    while chunk.saturating_mul(MEMBERS_PER_PROXY) < span.len() {
        chunk = chunk.saturating_mul(MEMBERS_PER_PROXY);
    }
    let end = span.end;
    Some(
        span.step_by(chunk)
            .map(|start| (start as u32, start.saturating_add(chunk).min(end) as u32))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_workspaces_pin_their_members_directly() {
        assert_eq!(member_proxies(0..0), None);
        assert_eq!(member_proxies(0..64), None);
    }

    #[test]
    fn large_workspaces_pin_members_through_a_tree_of_proxies() {
        assert_eq!(member_proxies(0..65), Some(vec![(0, 64), (64, 65)]));
        let top = member_proxies(0..10_000).expect("split");
        assert_eq!(top, vec![(0, 4096), (4096, 8192), (8192, 10_000)]);
        // Each level covers its span exactly, and every leaf pins at most 64 members.
        let mut leaves = Vec::new();
        let mut pending: Vec<(u32, u32)> = top;
        while let Some((start, end)) = pending.pop() {
            match member_proxies(start as usize..end as usize) {
                Some(children) => {
                    assert!(children.len() <= MEMBERS_PER_PROXY);
                    pending.extend(children);
                }
                None => leaves.push((start, end)),
            }
        }
        leaves.sort();
        assert_eq!(leaves.first().map(|l| l.0), Some(0));
        assert_eq!(leaves.last().map(|l| l.1), Some(10_000));
        assert!(leaves.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(leaves.iter().all(|(s, e)| e - s <= 64));
    }
}
