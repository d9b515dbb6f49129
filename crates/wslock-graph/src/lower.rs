//! Applying `tool.uv.sources` to requirements ("lowering", workspace-semantics R4.3–R4.5).
//!
//! - A member's own entry for a package replaces the root's entry whole; otherwise the root's
//!   applies. Even a member entry that is filtered out (by marker, extra or group) hides the
//!   root's (R4.3).
//! - Entries limited to another extra or group are skipped; each remaining entry yields one
//!   requirement under `entry marker AND requirement marker`; the part of the requirement's
//!   environments no entry covers goes to the registry (R4.5). Whether an `extra`/`group` key
//!   names something real is checked per project elsewhere ([`crate::scopes`]), not here.
//! - A requirement on a member needs an entry (its own or the root's) and every applicable entry
//!   must be `{ workspace = true }`, except for a member's reference to itself (`a[test]`
//!   inside `a`'s extras). As in uv, when entries exist but none applies to the requirement's
//!   extra or group, it goes to the registry rather than failing.
//! - `{ index = "n" }` names an index of the requiring member's or the root's `pyproject.toml`,
//!   never one that only a `uv.toml` declares (R4.6).
//! - `workspace = "<path>"` goes through [`crate::external`].
//! - Relative paths resolve against the directory of the file that declared the entry, so an
//!   entry inherited from the root resolves against the root (R4.4); relative index URLs too
//!   (wslock departs from uv there, Part A.5).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wslock_pep::{
    marker_and, marker_or, ExtraName, MarkerTree, PackageName, Requirement, VersionOrUrl,
    VersionSpecifiers,
};
use wslock_workspace::paths::absolute_from;
use wslock_workspace::pyproject::{Index, PyProject, Source, SourceKind, WorkspaceSource};
use wslock_workspace::{Member, Workspace};

use crate::error::GraphError;
use crate::external::{DiscoverWorkspace, ExternalSource};
use crate::requirement::{IndexPin, MergedRequirement, Origin, Provenance, RequirementSource};

/// The manifest a requirement was written in.
pub(crate) struct Declarer<'a> {
    /// The declaring member; `None` for a virtual root.
    pub member: Option<&'a PackageName>,
    pub manifest: &'a PyProject,
    pub manifest_path: &'a Path,
    pub dir: &'a Path,
}

/// Workspace-wide facts that lowering consults, gathered once.
pub(crate) struct Lowering<'a> {
    member_paths: HashMap<PackageName, PathBuf>,
    root: Declarer<'a>,
    /// The configuration file when it is not the root manifest (a `uv.toml`, say). Sources
    /// cannot name its indexes; it is kept to say so when one does.
    configuration: Option<(&'a Path, &'a [Index])>,
    /// For a member lowered on its own (R1.5): the manifest between it and the root.
    standalone_because: Option<PathBuf>,
    /// How to discover the workspace of a `workspace = "<path>"` source.
    discover_external: Option<&'a DiscoverWorkspace<'a>>,
}

impl<'a> Lowering<'a> {
    pub fn new(workspace: &'a Workspace) -> Self {
        let member_paths = workspace
            .members()
            .iter()
            .map(|member| (member.name().clone(), member.path().to_path_buf()))
            .collect();
        let root_manifest = workspace.root_manifest();
        let root = Declarer {
            member: root_manifest.project.as_ref().map(|project| &project.name),
            manifest: root_manifest,
            manifest_path: workspace.root_manifest_path(),
            dir: workspace.root(),
        };
        let configuration = workspace
            .configuration()
            .filter(|configuration| configuration.path != workspace.root_manifest_path())
            .map(|configuration| {
                (
                    configuration.path.as_path(),
                    configuration.settings.index.as_slice(),
                )
            });
        Self {
            member_paths,
            root,
            configuration,
            standalone_because: None,
            discover_external: None,
        }
    }

    /// Lets `workspace = "<path>"` sources be lowered by discovering the other workspace.
    pub fn with_external(mut self, discover: Option<&'a DiscoverWorkspace<'a>>) -> Self {
        self.discover_external = discover;
        self
    }

    /// Lowering for a member with a manifest between it and the root: like uv, its requirements
    /// are lowered as if it were a workspace of its own (R1.5), so the only member is itself.
    pub fn standalone(
        member: &'a Member,
        because: &Path,
        discover_external: Option<&'a DiscoverWorkspace<'a>>,
    ) -> Self {
        let root = Declarer {
            member: Some(member.name()),
            manifest: member.manifest(),
            manifest_path: member.manifest_path(),
            dir: member.path(),
        };
        Self {
            member_paths: HashMap::from([(member.name().clone(), member.path().to_path_buf())]),
            root,
            configuration: None,
            standalone_because: Some(because.to_path_buf()),
            discover_external,
        }
    }

    /// The root as a declarer, for root settings and a virtual root's own groups.
    pub fn root(&self) -> &Declarer<'a> {
        &self.root
    }

    /// Lowers one requirement written by `declarer` in `origin`, under `extra_marker` (a
    /// dependency group's `requires-python`).
    pub fn lower(
        &self,
        declarer: &Declarer<'_>,
        requirement: &Requirement,
        extra_marker: &MarkerTree,
        origin: &Origin,
    ) -> Result<Vec<MergedRequirement>, GraphError> {
        let name = &requirement.name;
        let mut extras: Vec<ExtraName> = requirement.extras.clone();
        extras.sort();
        extras.dedup();
        let marker = marker_and(&requirement.marker, extra_marker);
        let merged = |marker: MarkerTree, source: RequirementSource| MergedRequirement {
            name: name.clone(),
            extras: extras.clone(),
            marker,
            source,
            provenance: Provenance {
                member: declarer.member.cloned(),
                origin: origin.clone(),
            },
        };

        // A member's own table wins whole over the root's (R4.3).
        let own = declarer
            .manifest
            .tool_uv
            .as_ref()
            .and_then(|uv| uv.sources.get(name));
        let (entries, entries_from) = match own {
            Some(entries) => (entries, declarer),
            None => match self
                .root
                .manifest
                .tool_uv
                .as_ref()
                .and_then(|uv| uv.sources.get(name))
            {
                Some(entries) => (entries, &self.root),
                None => (&[][..], declarer),
            },
        };
        if declarer.member == Some(name) {
            // A member's reference to its own extras (`all = ["a[x]"]` in `a`) needs no
            // source; uv records it as a workspace requirement only when a source entry for the
            // package exists (its own or the root's), and as a plain one otherwise.
            let source = if entries.is_empty() {
                registry_or_url(requirement, None)
            } else {
                RequirementSource::Workspace {
                    path: declarer.dir.to_path_buf(),
                    editable: None,
                }
            };
            return Ok(vec![merged(marker, source)]);
        }
        let applicable: Vec<&Source> = entries
            .iter()
            .filter(|entry| applies_to(entry, origin))
            .collect();
        let is_member = self.member_paths.contains_key(name);
        // Only a missing entry is an error: entries that exist but are all limited to other
        // extras or groups leave the requirement to the registry, as in uv.
        if is_member && entries.is_empty() {
            return Err(GraphError::MissingWorkspaceSource {
                manifest: declarer.manifest_path.to_path_buf(),
                package: name.clone(),
            });
        }

        let mut lowered = Vec::new();
        let mut covered = MarkerTree::FALSE;
        for entry in applicable {
            covered = marker_or(&covered, &entry.marker);
            let entry_marker = marker_and(&entry.marker, &marker);
            if entry_marker.is_false() {
                continue;
            }
            let source =
                self.entry_source(entry, requirement, entries_from, declarer, is_member)?;
            lowered.push(merged(entry_marker, source));
        }
        let uncovered = marker_and(&marker, &covered.negate());
        // A requirement no source applies to passes through even when its marker can never
        // hold (`x; sys_platform == 'linux' and sys_platform == 'darwin'`): uv keeps it in the
        // lock's metadata (as `python_version < '0'`), and the resolver ignores it anyway.
        if !uncovered.is_false() || (lowered.is_empty() && covered.is_false()) {
            lowered.push(merged(uncovered, registry_or_url(requirement, None)));
        }
        Ok(lowered)
    }

    fn entry_source(
        &self,
        entry: &Source,
        requirement: &Requirement,
        entries_from: &Declarer<'_>,
        declarer: &Declarer<'_>,
        is_member: bool,
    ) -> Result<RequirementSource, GraphError> {
        let name = &requirement.name;
        let manifest = entries_from.manifest_path.to_path_buf();
        let non_workspace = |kind| GraphError::NonWorkspaceSource {
            manifest: manifest.clone(),
            package: name.clone(),
            kind,
        };
        Ok(match &entry.kind {
            SourceKind::Workspace {
                workspace: WorkspaceSource::Member,
                editable,
            } => match self.member_paths.get(name) {
                Some(path) => RequirementSource::Workspace {
                    path: path.clone(),
                    editable: *editable,
                },
                None => {
                    return Err(GraphError::NotAMember {
                        manifest,
                        package: name.clone(),
                        standalone_because: self.standalone_because.clone(),
                    })
                }
            },
            SourceKind::Workspace {
                workspace: WorkspaceSource::Root(path),
                editable,
            } => {
                if is_member {
                    return Err(non_workspace("workspace = \"<path>\""));
                }
                ExternalSource {
                    package: name,
                    written: path,
                    base: entries_from.dir,
                    editable: *editable,
                    manifest: entries_from.manifest_path,
                }
                .lower(self.discover_external)?
            }
            _ if is_member => return Err(non_workspace(kind_name(&entry.kind))),
            SourceKind::Path {
                path,
                editable,
                package,
            } => RequirementSource::Path {
                path: absolute_from(path, entries_from.dir),
                editable: *editable,
                package: *package,
            },
            SourceKind::Git {
                git,
                subdirectory,
                path,
                reference,
                lfs,
            } => RequirementSource::Git {
                url: git.clone(),
                reference: reference.clone(),
                subdirectory: subdirectory.clone(),
                path: path.clone(),
                lfs: *lfs,
            },
            SourceKind::Url { url, subdirectory } => RequirementSource::Url {
                url: url.clone(),
                subdirectory: subdirectory.clone(),
            },
            SourceKind::Index { index } => {
                let pin = self.find_index(index, declarer).ok_or_else(|| {
                    GraphError::UndeclaredIndex {
                        manifest,
                        package: name.clone(),
                        index: index.clone(),
                        configured_in: self.configured_in(index),
                    }
                })?;
                registry_or_url(requirement, Some(pin))
            }
        })
    }

    /// R4.6: a named index is looked up in the requiring member's own `[[tool.uv.index]]`, then
    /// the root's (CLI indexes come first once the index stage adds them). An index declared
    /// only in the configuration file (a `uv.toml`) is not found: uv refuses it too, since the
    /// project's sources would otherwise depend on a file outside the project.
    fn find_index(&self, name: &str, declarer: &Declarer<'_>) -> Option<IndexPin> {
        let in_manifest = |declarer: &Declarer<'_>| {
            declarer.manifest.tool_uv.as_ref().and_then(|uv| {
                uv.index
                    .iter()
                    .find(|index| index.name.as_deref() == Some(name))
                    .map(|index| pin(index, declarer.dir))
            })
        };
        in_manifest(declarer).or_else(|| in_manifest(&self.root))
    }

    /// The configuration file that declares an index `name`, for the hint of
    /// [`GraphError::UndeclaredIndex`].
    fn configured_in(&self, name: &str) -> Option<PathBuf> {
        let (path, indexes) = self.configuration?;
        indexes
            .iter()
            .any(|index| index.name.as_deref() == Some(name))
            .then(|| path.to_path_buf())
    }
}

fn pin(index: &Index, declared_in: &Path) -> IndexPin {
    let url = if index.url.contains("://") {
        index.url.clone()
    } else {
        absolute_from(Path::new(&index.url), declared_in)
            .display()
            .to_string()
    };
    IndexPin {
        name: index.name.clone().unwrap_or_default(),
        url,
    }
}

fn registry_or_url(requirement: &Requirement, index: Option<IndexPin>) -> RequirementSource {
    match &requirement.version_or_url {
        Some(VersionOrUrl::Url(url)) if index.is_none() => RequirementSource::Url {
            url: url.to_string(),
            subdirectory: None,
        },
        Some(VersionOrUrl::VersionSpecifier(specifiers)) => RequirementSource::Registry {
            specifiers: specifiers.clone(),
            index,
        },
        _ => RequirementSource::Registry {
            specifiers: VersionSpecifiers::empty(),
            index,
        },
    }
}

fn kind_name(kind: &SourceKind) -> &'static str {
    match kind {
        SourceKind::Git { .. } => "git",
        SourceKind::Url { .. } => "url",
        SourceKind::Path { .. } => "path",
        SourceKind::Index { .. } => "index",
        SourceKind::Workspace { .. } => "workspace",
    }
}

/// Whether a source entry limited to an extra or group applies to a requirement from `origin`.
fn applies_to(entry: &Source, origin: &Origin) -> bool {
    let extra_ok = entry
        .extra
        .as_ref()
        .is_none_or(|extra| *origin == Origin::Extra(extra.clone()));
    let group_ok = entry
        .group
        .as_ref()
        .is_none_or(|group| *origin == Origin::Group(group.clone()));
    extra_ok && group_ok
}
