//! Several sources behind one: index priority, find-links merging, pinned and explicit indexes.
//!
//! The rules are uv's (0.13, `--index-strategy first-index`, the default):
//! - indexes are searched in order; the first one that *lists* the package wins, even with no
//!   usable versions, and later indexes are not asked (this blocks dependency confusion: a
//!   package on an internal index is never taken from a public one);
//! - `--find-links` locations are not indexes in that order: their files are merged into
//!   whatever the indexes answered, version by version, and they alone answer when no index
//!   lists the package;
//! - a package pinned to a named index (`[tool.uv.sources] x = { index = "name" }`) is asked of
//!   that index only (find-links still merged);
//! - `explicit = true` indexes are asked only for packages pinned to them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use wslock_pep::{PackageName, Version};

use crate::error::IndexError;
use crate::hash::Sha256Digest;
use crate::memo::Memo;
use crate::metadata::CoreMetadata;
use crate::source::{PackageSource, WarmUp};
use crate::versions::{DistFile, PackageVersions, VersionInfo};

/// How to combine indexes that list the same package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexStrategy {
    /// Only the first index that lists the package (uv's default).
    #[default]
    FirstIndex,
    /// Every index's versions; for a version on several indexes, the first index's files
    /// (uv's `unsafe-best-match`).
    UnsafeBestMatch,
}

struct Index {
    name: Option<String>,
    source: Arc<dyn PackageSource>,
    /// Searched for unpinned packages (not `explicit`, and the first default only).
    searched: bool,
}

/// Which member source an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Index(usize),
    FindLinks(usize),
}

/// A merged answer, with the member that owns each version (the one asked for its metadata).
struct Answer {
    versions: Arc<PackageVersions>,
    owners: Vec<Member>,
}

/// Several sources answering as one, by uv's rules (see the module docs).
///
/// ```
/// use std::sync::Arc;
/// use wslock_index::{IndexSet, PackageSource, Snapshot};
///
/// let internal = Snapshot::from_json_str(r#"{"format": "wslock-index-snapshot", "version": 1,
///     "packages": [{"name": "corp-lib", "versions": [{"version": "1.0"}]}]}"#)?;
/// let public = Snapshot::from_json_str(r#"{"format": "wslock-index-snapshot", "version": 1,
///     "packages": [{"name": "corp-lib", "versions": [{"version": "9.9"}]}]}"#)?;
/// let set = IndexSet::builder()
///     .index(Some("internal"), internal)
///     .default_index(None, public)
///     .build()?;
/// // The first index that lists a package wins: the public 9.9 is never seen.
/// let versions = set.versions(&"corp-lib".parse()?)?;
/// assert_eq!(versions.iter().map(|v| v.version.to_string()).collect::<Vec<_>>(), ["1.0"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IndexSet {
    indexes: Vec<Index>,
    find_links: Vec<Arc<dyn PackageSource>>,
    pins: HashMap<PackageName, usize>,
    strategy: IndexStrategy,
    answers: Memo<PackageName, Answer>,
}

/// Builds an [`IndexSet`]; see [`IndexSet::builder`].
#[derive(Default)]
pub struct IndexSetBuilder {
    indexes: Vec<(Option<String>, Arc<dyn PackageSource>, bool)>,
    defaults: Vec<(Option<String>, Arc<dyn PackageSource>)>,
    find_links: Vec<Arc<dyn PackageSource>>,
    pins: Vec<(PackageName, String)>,
    strategy: IndexStrategy,
}

impl IndexSetBuilder {
    /// An index searched in the order added, before the default index.
    pub fn index(mut self, name: Option<&str>, source: impl PackageSource + 'static) -> Self {
        self.indexes
            .push((name.map(str::to_string), Arc::new(source), false));
        self
    }

    /// An index asked only for packages pinned to `name`.
    pub fn explicit_index(mut self, name: &str, source: impl PackageSource + 'static) -> Self {
        self.indexes
            .push((Some(name.to_string()), Arc::new(source), true));
        self
    }

    /// The default index, searched after all others. Only the first default added is searched
    /// (as uv, where a command-line default replaces the project's); later ones stay
    /// available to packages pinned to them by name.
    pub fn default_index(
        mut self,
        name: Option<&str>,
        source: impl PackageSource + 'static,
    ) -> Self {
        self.defaults
            .push((name.map(str::to_string), Arc::new(source)));
        self
    }

    /// A find-links source, merged into every answer.
    pub fn find_links(mut self, source: impl PackageSource + 'static) -> Self {
        self.find_links.push(Arc::new(source));
        self
    }

    /// Asks for `package` only the index named `index`.
    pub fn pin(mut self, package: PackageName, index: &str) -> Self {
        self.pins.push((package, index.to_string()));
        self
    }

    /// How indexes that list the same package combine.
    pub fn strategy(mut self, strategy: IndexStrategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Checks that every pin names an index.
    pub fn build(self) -> Result<IndexSet, IndexError> {
        let mut indexes: Vec<Index> = self
            .indexes
            .into_iter()
            .map(|(name, source, explicit)| Index {
                name,
                source,
                searched: !explicit,
            })
            .collect();
        for (position, (name, source)) in self.defaults.into_iter().enumerate() {
            indexes.push(Index {
                name,
                source,
                searched: position == 0,
            });
        }
        let mut pins = HashMap::new();
        for (package, index) in self.pins {
            let position = indexes
                .iter()
                .position(|candidate| candidate.name.as_deref() == Some(index.as_str()))
                .ok_or_else(|| IndexError::UnknownIndex {
                    name: package.clone(),
                    index: index.clone(),
                })?;
            pins.insert(package, position);
        }
        Ok(IndexSet {
            indexes,
            find_links: self.find_links,
            pins,
            strategy: self.strategy,
            answers: Memo::default(),
        })
    }
}

impl IndexSet {
    /// An empty builder.
    pub fn builder() -> IndexSetBuilder {
        IndexSetBuilder::default()
    }

    /// The index called `name`, explicit or not, to ask it directly (a resolver whose pins
    /// differ between forks can build one `IndexSet` per pin set from the same sources, which
    /// share their memo).
    pub fn named(&self, name: &str) -> Option<&Arc<dyn PackageSource>> {
        self.indexes
            .iter()
            .find(|index| index.name.as_deref() == Some(name))
            .map(|index| &index.source)
    }

    fn member(&self, member: Member) -> &Arc<dyn PackageSource> {
        match member {
            Member::Index(position) => &self.indexes[position].source,
            Member::FindLinks(position) => &self.find_links[position],
        }
    }

    fn answer(&self, name: &PackageName) -> Result<Arc<Answer>, IndexError> {
        self.answers.get_or_try_insert(name, || {
            let mut parts: Vec<(Member, Arc<PackageVersions>)> = Vec::new();
            if let Some(&position) = self.pins.get(name) {
                parts.push((
                    Member::Index(position),
                    self.indexes[position].source.versions(name)?,
                ));
            } else {
                let searched = self
                    .indexes
                    .iter()
                    .enumerate()
                    .filter(|(_, index)| index.searched);
                let mut any = false;
                for (position, index) in searched {
                    any = true;
                    let versions = index.source.versions(name)?;
                    if versions.is_listed() {
                        parts.push((Member::Index(position), versions));
                        if self.strategy == IndexStrategy::FirstIndex {
                            break;
                        }
                    }
                }
                if !any && self.find_links.is_empty() {
                    return Err(IndexError::NoIndex { name: name.clone() });
                }
            }
            for (position, source) in self.find_links.iter().enumerate() {
                let versions = source.versions(name)?;
                if versions.is_listed() {
                    parts.push((Member::FindLinks(position), versions));
                }
            }
            Ok(merge(name, parts))
        })
    }
}

/// Unions the answers version by version. The first part that has a version owns it; later
/// find-links parts add their files to it (uv merges flat files into index versions), later
/// index parts do not (`unsafe-best-match`: "only look at the entry for the first index").
fn merge(name: &PackageName, parts: Vec<(Member, Arc<PackageVersions>)>) -> Answer {
    if let [(member, versions)] = parts.as_slice() {
        let owners = vec![*member; versions.len()];
        return Answer {
            versions: versions.clone(),
            owners,
        };
    }
    let listed = !parts.is_empty();
    let mut merged: BTreeMap<Version, (Member, VersionInfo, bool)> = BTreeMap::new();
    for (member, versions) in &parts {
        for info in versions.iter() {
            match merged.get_mut(&info.version) {
                None => {
                    merged.insert(info.version.clone(), (*member, info.clone(), false));
                }
                Some((_, existing, changed)) if matches!(member, Member::FindLinks(_)) => {
                    for file in &info.files {
                        if !existing
                            .files
                            .iter()
                            .any(|known| known.filename == file.filename)
                        {
                            existing.files.push(file.clone());
                            *changed = true;
                        }
                    }
                }
                Some(_) => {}
            }
        }
    }
    let owners = merged.values().map(|(member, _, _)| *member).collect();
    let infos = merged.into_values().map(|(_, info, changed)| {
        if changed {
            VersionInfo::from_files(info.version, info.files)
        } else {
            info
        }
    });
    let versions = if listed {
        PackageVersions::new(name.clone(), infos)
    } else {
        PackageVersions::not_found(name.clone())
    };
    Answer {
        versions: Arc::new(versions),
        owners,
    }
}

impl PackageSource for IndexSet {
    /// The most any part needs: one index over the network makes the whole set prefetch.
    fn warm_up(&self) -> WarmUp {
        let indexes = self.indexes.iter().map(|index| index.source.warm_up());
        let find_links = self.find_links.iter().map(|source| source.warm_up());
        indexes.chain(find_links).max().unwrap_or(WarmUp::None)
    }

    fn versions(&self, name: &PackageName) -> Result<Arc<PackageVersions>, IndexError> {
        Ok(self.answer(name)?.versions.clone())
    }

    fn metadata(
        &self,
        name: &PackageName,
        version: &Version,
    ) -> Result<Arc<CoreMetadata>, IndexError> {
        let answer = self.answer(name)?;
        let owner = answer
            .versions
            .position(version)
            .and_then(|position| answer.owners.get(position))
            .ok_or_else(|| IndexError::UnknownVersion {
                name: name.clone(),
                version: version.clone(),
                origin: "any configured index or find-links location".to_string(),
            })?;
        self.member(*owner).metadata(name, version)
    }

    /// Asks each member in turn; a member that did not list the file says so and the next is
    /// asked.
    fn sha256(&self, file: &DistFile) -> Result<Sha256Digest, IndexError> {
        if let Some(digest) = file.sha256 {
            return Ok(digest);
        }
        let members = self
            .indexes
            .iter()
            .map(|index| &index.source)
            .chain(&self.find_links);
        for member in members {
            match member.sha256(file) {
                Err(IndexError::HashUnavailable { .. }) => continue,
                other => return other,
            }
        }
        Err(IndexError::HashUnavailable {
            name: file.filename.name().clone(),
            version: file.filename.version().clone(),
            file: Box::new(file.location.clone()),
        })
    }
}

impl std::fmt::Debug for IndexSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexSet")
            .field(
                "indexes",
                &self
                    .indexes
                    .iter()
                    .map(|index| (&index.name, index.searched))
                    .collect::<Vec<_>>(),
            )
            .field("find_links", &self.find_links.len())
            .field("strategy", &self.strategy)
            .finish_non_exhaustive()
    }
}
