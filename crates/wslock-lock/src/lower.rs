//! A merged requirement of the graph, as `uv.lock` records it.

use std::collections::HashMap;
use std::path::Path;

use wslock_graph::{
    MemberKind, MergedRequirement, RequirementSource as GraphSource, WorkspaceGraph,
};
use wslock_workspace::pyproject::GitReference;

use crate::markers::{uv_marker, uv_specifiers};
use crate::paths::relative_path;
use crate::requirement::{sort_requirements, LockRequirement, RequirementSource};

/// Converts requirements of one workspace: paths relative to its root, member requirements
/// spelled with the member's lock kind.
#[derive(Debug)]
pub(crate) struct LockLowering<'a> {
    root: &'a Path,
    kinds: HashMap<&'a Path, MemberKind>,
}

/// File names that make a `path` source an archive rather than a source tree.
const ARCHIVE_SUFFIXES: [&str; 8] = [
    ".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tar",
];

impl<'a> LockLowering<'a> {
    pub(crate) fn new(graph: &'a WorkspaceGraph) -> Self {
        Self {
            root: graph.root(),
            kinds: graph
                .members()
                .iter()
                .map(|member| (member.path.as_path(), member.kind))
                .collect(),
        }
    }

    /// Converted, sorted and deduplicated.
    pub(crate) fn requirements(&self, list: &[MergedRequirement]) -> Vec<LockRequirement> {
        let mut converted: Vec<LockRequirement> =
            list.iter().map(|r| self.requirement(r)).collect();
        sort_requirements(&mut converted);
        converted
    }

    /// One requirement. The extra a requirement belongs to is *not* added to the marker here;
    /// `requires-dist` does that, `requires-dev` and `[manifest]` do not need it.
    pub(crate) fn requirement(&self, requirement: &MergedRequirement) -> LockRequirement {
        let mut extras = requirement.extras.clone();
        extras.sort();
        extras.dedup();
        LockRequirement {
            name: requirement.name.clone(),
            extras,
            groups: Vec::new(),
            marker: uv_marker(&requirement.marker),
            source: self.source(&requirement.source),
        }
    }

    fn source(&self, source: &GraphSource) -> RequirementSource {
        match source {
            GraphSource::Registry { specifiers, index } => RequirementSource::Registry {
                specifier: uv_specifiers(specifiers),
                index: index.as_ref().map(|pin| pin.url.clone()),
            },
            // R7.3: a requirement on a member is spelled like the member is locked.
            GraphSource::Workspace { path, editable } => {
                let path_text = relative_path(self.root, path);
                let kind = self.kinds.get(path.as_path()).copied().unwrap_or(
                    if *editable == Some(false) {
                        MemberKind::Directory
                    } else {
                        MemberKind::Editable
                    },
                );
                match kind {
                    MemberKind::Virtual => RequirementSource::Virtual { path: path_text },
                    MemberKind::Editable => RequirementSource::Editable { path: path_text },
                    MemberKind::Directory => RequirementSource::Directory { path: path_text },
                }
            }
            GraphSource::Path {
                path,
                editable,
                package,
            } => {
                let path_text = relative_path(self.root, path);
                if is_archive(path) {
                    RequirementSource::Path { path: path_text }
                } else if *editable == Some(true) {
                    RequirementSource::Editable { path: path_text }
                } else if *package == Some(false) {
                    RequirementSource::Virtual { path: path_text }
                } else {
                    RequirementSource::Directory { path: path_text }
                }
            }
            // `lfs` and a distribution `path` inside the repository are not written: the lock
            // format of uv 0.13.8 was not observed with them.
            GraphSource::Git {
                url,
                reference,
                subdirectory,
                ..
            } => RequirementSource::Git {
                git: git_url(url, reference.as_ref(), subdirectory.as_deref()),
            },
            GraphSource::Url { url, subdirectory } => RequirementSource::Url {
                url: url.clone(),
                subdirectory: subdirectory.as_deref().map(forward_slashes),
            },
        }
    }
}

fn is_archive(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    ARCHIVE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

fn forward_slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The `git` value uv writes: the repository URL without credentials, query or fragment, then
/// `subdirectory` and the branch, tag or revision as query pairs (form-encoded).
pub(crate) fn git_url(
    url: &str,
    reference: Option<&GitReference>,
    subdirectory: Option<&Path>,
) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(subdirectory) = subdirectory {
        pairs.push(("subdirectory", forward_slashes(subdirectory)));
    }
    match reference {
        Some(GitReference::Branch(branch)) => pairs.push(("branch", branch.clone())),
        Some(GitReference::Tag(tag)) => pairs.push(("tag", tag.clone())),
        Some(GitReference::Rev(rev)) => pairs.push(("rev", rev.clone())),
        None => {}
    }
    let Ok(mut parsed) = url::Url::parse(url) else {
        // Not a URL the `url` crate understands (an scp-like `git@host:path`): keep it verbatim.
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        return if query.is_empty() {
            url.to_string()
        } else {
            format!("{url}?{}", query.join("&"))
        };
    };
    // Credentials never go into a lock file.
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    parsed.set_fragment(None);
    parsed.set_query(None);
    if !pairs.is_empty() {
        let mut query = parsed.query_pairs_mut();
        for (key, value) in &pairs {
            query.append_pair(key, value);
        }
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_urls_carry_the_reference_as_query() {
        let reference = GitReference::Tag("v1.0".into());
        assert_eq!(
            git_url("https://user:pw@github.com/o/r.git", Some(&reference), None),
            "https://github.com/o/r.git?tag=v1.0"
        );
        let branch = GitReference::Branch("feature/x".into());
        assert_eq!(
            git_url(
                "https://github.com/o/r",
                Some(&branch),
                Some(Path::new("pkgs/a"))
            ),
            "https://github.com/o/r?subdirectory=pkgs%2Fa&branch=feature%2Fx"
        );
        assert_eq!(
            git_url("https://github.com/o/r", None, None),
            "https://github.com/o/r"
        );
    }

    #[test]
    fn archives_are_recognised_by_suffix() {
        assert!(is_archive(Path::new("/l/idna-3.6-py3-none-any.whl")));
        assert!(is_archive(Path::new("/l/idna-3.6.TAR.GZ")));
        assert!(!is_archive(Path::new("/l/vendor/lib")));
    }
}
