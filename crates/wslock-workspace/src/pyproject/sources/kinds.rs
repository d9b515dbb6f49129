//! The five kinds of source, each built from the keys of one table once [`read_keys`] has
//! checked their types and syntax: which other keys the kind forbids, and what it keeps.
//!
//! Each builder first rejects, with [`forbid`] and uv's wording, the keys uv 0.13.8 rejects for
//! that kind. Keys uv accepts and ignores for a kind (`subdirectory` off git and URL sources,
//! `lfs` off git) are not forbidden: see the parent module's docs.
//!
//! [`read_keys`]: super::read_keys

use std::path::PathBuf;

use super::{check_url, GitReference, KeyPath, RawSource, SourceKind, WorkspaceSource};
use crate::pyproject::FieldError;

/// A git source: `git` with at most one of `rev`/`tag`/`branch`, and `path` or `subdirectory`
/// but not both.
pub(super) fn git_kind(
    git: &str,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "git",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("url", raw.url.is_some()),
            ("editable", raw.editable.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    if raw.subdirectory.is_some() && raw.path.is_some() {
        return Err(key.invalid("path", "cannot specify both `subdirectory` and `path`"));
    }
    let reference = match (raw.rev, raw.tag, raw.branch) {
        (None, None, None) => None,
        (Some(rev), None, None) => Some(GitReference::Rev(rev.to_string())),
        (None, Some(tag), None) => Some(GitReference::Tag(tag.to_string())),
        (None, None, Some(branch)) => Some(GitReference::Branch(branch.to_string())),
        _ => {
            // Point at the last of the three that is present.
            let last = if raw.branch.is_some() {
                "branch"
            } else {
                "tag"
            };
            return Err(key.invalid(last, "expected at most one of `rev`, `tag`, or `branch`"));
        }
    };
    // uv parses the URL again after stripping `git+`; what remains must be a URL too.
    let git = match git.strip_prefix("git+") {
        Some(stripped) => {
            check_url(stripped).map_err(|message| key.invalid("git", message))?;
            stripped
        }
        None => git,
    };
    Ok(SourceKind::Git {
        git: git.to_string(),
        subdirectory: raw.subdirectory.map(PathBuf::from),
        path: raw.path.map(PathBuf::from),
        reference,
        lfs: raw.lfs,
    })
}

/// A remote archive: `url` (without a fragment) and an optional `subdirectory`.
pub(super) fn url_kind(
    url: &str,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "url",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("path", raw.path.is_some()),
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
            ("editable", raw.editable.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    // uv rejects this only when lowering; the fragment would otherwise clash with the
    // `#subdirectory=` uv adds itself.
    if url.contains('#') {
        return Err(key.invalid("url", format!("Fragments are not allowed in URLs: {url}")));
    }
    Ok(SourceKind::Url {
        url: url.to_string(),
        subdirectory: raw.subdirectory.map(PathBuf::from),
    })
}

/// A local directory or file: `path` with `editable` and `package`.
pub(super) fn path_kind(
    path: &str,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "path",
        &[
            ("index", raw.index.is_some()),
            ("workspace", raw.workspace.is_some()),
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
        ],
    )?;
    // A project must be packaged in order to be installed as editable.
    if raw.editable == Some(true) && raw.package == Some(false) {
        return Err(key.invalid(
            "package",
            "cannot specify both `editable = true` and `package = false`",
        ));
    }
    Ok(SourceKind::Path {
        path: PathBuf::from(path),
        editable: raw.editable,
        package: raw.package,
    })
}

/// A named index: `index` alone (apart from the keys every kind accepts or ignores).
pub(super) fn index_kind(
    index: &str,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "index",
        &[
            ("workspace", raw.workspace.is_some()),
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
            ("editable", raw.editable.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    Ok(SourceKind::Index {
        index: index.to_string(),
    })
}

/// A workspace member: `workspace = true`, or the path of another workspace's root, with
/// `editable`.
pub(super) fn workspace_kind(
    workspace: &toml::Value,
    raw: &RawSource<'_>,
    key: &KeyPath,
) -> Result<SourceKind, FieldError> {
    forbid(
        key,
        "workspace",
        &[
            ("rev", raw.rev.is_some()),
            ("tag", raw.tag.is_some()),
            ("branch", raw.branch.is_some()),
            ("package", raw.package.is_some()),
        ],
    )?;
    let workspace = match workspace {
        toml::Value::Boolean(true) => WorkspaceSource::Member,
        toml::Value::String(root) => WorkspaceSource::Root(PathBuf::from(root)),
        // uv parses `workspace = false` and fails only when lowering ("not yet supported");
        // it can never work, so we say so at once.
        _ => {
            return Err(key.invalid(
                "workspace",
                "`workspace = false` is not supported: to take the package from the registry, remove the source entry",
            ))
        }
    };
    Ok(SourceKind::Workspace {
        workspace,
        editable: raw.editable,
    })
}

/// Fails on the first present key that the kind `kind` does not allow, with uv's wording.
fn forbid(key: &KeyPath, kind: &str, others: &[(&str, bool)]) -> Result<(), FieldError> {
    match others.iter().find(|(_, present)| *present) {
        Some((other, _)) => {
            Err(key.invalid(other, format!("cannot specify both `{kind}` and `{other}`")))
        }
        None => Ok(()),
    }
}
