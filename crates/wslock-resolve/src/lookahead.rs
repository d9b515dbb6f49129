//! Reading ahead, on a second thread, the metadata PubGrub is about to ask for.
//!
//! PubGrub asks for one package version's metadata at a time, and on a local source every
//! answer means opening a wheel and inflating its `METADATA` on the solving thread: a fifth
//! of the first fork's time at 1,000 members. While the forks are solved, a second thread
//! walks the same requirements in about the order PubGrub decides them (the workspace first,
//! then the packages met so far by name, PubGrub's tie-break) and reads the versions PubGrub
//! will most likely choose, so the solver finds most answers already in the source's memo.
//!
//! It is only a warm-up: the resolution never depends on it (the solver asks the same source
//! for the same answers either way), an error is left for the solver to meet and report, and
//! a wrong guess costs one unused read.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use wslock_index::{CoreMetadata, PackageVersions, VersionInfo, WarmUp};
use wslock_pep::{ExtraName, PackageName, Ranges, RequiresPython, Version};

use crate::context::Context;
use crate::need::Need;

/// The reading thread's name, which says what it is in a debugger or a profile.
pub(crate) const THREAD_NAME: &str = "wslock-read-ahead";

/// How many versions of one package are read when the newest ones need a newer Python than
/// the workspace's lowest: enough for a package that dropped a few Pythons in a row, without
/// reading a whole history.
const MAX_VERSIONS_PER_PACKAGE: usize = 3;

/// Whether reading ahead can help: the source asks for it (a network source prefetches in
/// parallel instead, see `ForkProvider::prefetch`) and a second core can do the reading.
pub(crate) fn worthwhile(context: &Context<'_>) -> bool {
    context.source.warm_up() == WarmUp::ReadAhead
        && std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1)
}

/// Reads ahead until everything the workspace's requirements reach was read, or `stop` is set.
pub(crate) fn read_ahead(context: &Context<'_>, stop: &AtomicBool) {
    let mut walk = Walk {
        context,
        wanted: BTreeMap::new(),
        read: HashMap::new(),
    };
    let members = context.members.values();
    let member_needs = members.flat_map(|member| {
        let extras = member.extras.iter().flat_map(|(_, needs)| needs);
        let groups = member.groups.iter().flat_map(|(_, needs)| needs);
        member.dependencies.iter().chain(extras).chain(groups)
    });
    for need in context.root_needs.iter().chain(member_needs) {
        walk.want(need);
    }
    let started = std::time::Instant::now();
    while let Some((name, wanted)) = walk.wanted.pop_first() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        walk.visit(name, wanted);
    }
    tracing::debug!(
        "read ahead {} packages in {:.3}s{}",
        walk.read.len(),
        started.elapsed().as_secs_f64(),
        if walk.wanted.is_empty() {
            ""
        } else {
            ", stopped early"
        }
    );
}

/// What the walk knows of a package it has not read yet.
struct Wanted {
    /// The intersection of the ranges required so far: what PubGrub would choose within.
    range: Ranges<Version>,
    extras: BTreeSet<ExtraName>,
}

/// A package already read: its metadata, and the extras whose requirements were followed.
struct Read {
    metadata: Vec<Arc<CoreMetadata>>,
    extras: BTreeSet<ExtraName>,
}

struct Walk<'c, 'a> {
    context: &'c Context<'a>,
    /// Packages met and not read yet; the smallest name is read first.
    wanted: BTreeMap<PackageName, Wanted>,
    read: HashMap<PackageName, Read>,
}

impl Walk<'_, '_> {
    fn want(&mut self, need: &Need) {
        if self.context.members.contains_key(&need.name) {
            return;
        }
        if let Some(read) = self.read.get_mut(&need.name) {
            // Read already: only extras not met before add requirements.
            let fresh: Vec<ExtraName> = need
                .extras
                .iter()
                .filter(|extra| read.extras.insert((*extra).clone()))
                .cloned()
                .collect();
            let metadata = read.metadata.clone();
            for extra in &fresh {
                for metadata in &metadata {
                    self.follow(metadata, Some(extra));
                }
            }
            return;
        }
        match self.wanted.entry(need.name.clone()) {
            Entry::Occupied(mut entry) => {
                let wanted = entry.get_mut();
                wanted.range = wanted.range.intersection(&need.range);
                wanted.extras.extend(need.extras.iter().cloned());
            }
            Entry::Vacant(entry) => {
                entry.insert(Wanted {
                    range: need.range.clone(),
                    extras: need.extras.iter().cloned().collect(),
                });
            }
        }
    }

    /// Reads the likely version of `name`, and older ones while those need a newer Python
    /// than the workspace's lowest (the forks for older Pythons will ask for them), then
    /// follows their requirements.
    fn visit(&mut self, name: PackageName, wanted: Wanted) {
        let context = self.context;
        let Ok(listing) = context.source.versions(&name) else {
            return;
        };
        let mut read = Read {
            metadata: Vec::new(),
            extras: wanted.extras,
        };
        let candidates = likely_versions(context, &name, &listing, &wanted.range, None);
        for info in candidates.take(MAX_VERSIONS_PER_PACKAGE) {
            let Ok(metadata) = context.source.metadata(&name, &info.version) else {
                break;
            };
            let fits = supports_lowest_python(
                info.requires_python
                    .as_ref()
                    .or(metadata.requires_python.as_ref()),
                &context.requires_python,
            );
            read.metadata.push(metadata);
            if fits {
                break;
            }
        }
        let extras: Vec<ExtraName> = read.extras.iter().cloned().collect();
        let metadata = read.metadata.clone();
        self.read.insert(name, read);
        for metadata in &metadata {
            self.follow(metadata, None);
            for extra in &extras {
                self.follow(metadata, Some(extra));
            }
        }
    }

    /// Wants what `metadata` requires by itself (`extra` none) or with `extra` enabled. Each
    /// list is followed once per package: a package required again adds only its new extras.
    fn follow(&mut self, metadata: &CoreMetadata, extra: Option<&ExtraName>) {
        let active = extra.map(std::slice::from_ref).unwrap_or_default();
        for requirement in &metadata.requires_dist {
            if let Ok(Some(need)) = Need::from_metadata(requirement, active) {
                self.want(&need);
            }
        }
    }
}

/// Whether a `Requires-Python` admits the workspace's lowest Python (no bound admits all).
fn supports_lowest_python(
    requires: Option<&wslock_pep::VersionSpecifiers>,
    workspace: &RequiresPython,
) -> bool {
    match (requires, workspace.lower_bound()) {
        (Some(specifiers), Some((lowest, _))) => {
            RequiresPython::from_specifiers(specifiers).contains(lowest)
        }
        _ => true,
    }
}

/// The versions of `name` in `range` in the order the resolver most likely tries them:
/// `preferred` first, then stable versions that are not yanked (unless the workspace pins
/// one), newest first (oldest first when resolving lowest). Pre-releases come only when the
/// workspace names one for `name` or nothing else is in range, as the default policy has it.
pub(crate) fn likely_versions<'l>(
    context: &Context<'_>,
    name: &PackageName,
    listing: &'l PackageVersions,
    range: &Ranges<Version>,
    preferred: Option<&Version>,
) -> impl Iterator<Item = &'l VersionInfo> {
    let in_range = |info: &&VersionInfo| range.contains(&info.version);
    let has_stable = listing
        .iter()
        .filter(in_range)
        .any(|info| !info.version.any_prerelease());
    let prereleases = context.explicit_prereleases.contains_key(name) || !has_stable;
    let usable = move |info: &&VersionInfo| {
        in_range(info)
            && (prereleases || !info.version.any_prerelease())
            && (info.yanked.is_none() || context.allows_yanked(name, &info.version))
    };
    let preferred = preferred.and_then(|version| listing.get(version).filter(usable));
    let mut ordered: Vec<&VersionInfo> = listing.iter().filter(usable).collect();
    if !context.prefers_lowest(name) {
        ordered.reverse();
    }
    preferred.into_iter().chain(
        ordered
            .into_iter()
            .filter(move |info| Some(&info.version) != preferred.map(|p| &p.version)),
    )
}
