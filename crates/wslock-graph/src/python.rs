//! The workspace's `requires-python`: the intersection of all members' values (R5).

use std::path::PathBuf;

use wslock_pep::{PackageName, RequiresPython, VersionSpecifiers};

use crate::error::{DisjointPair, GraphError, MemberPython};

/// Intersects the members' `requires-python` values. Members without one do not constrain
/// (they do not make the result unbounded either); `None` when no member has one.
///
/// An empty intersection is an error that lists every contributing member and, when two of
/// them alone cannot meet, names those two: the pair a user has to look at first.
pub(crate) fn intersect(
    members: &[(PackageName, VersionSpecifiers, PathBuf)],
) -> Result<Option<RequiresPython>, GraphError> {
    let Some(((_, first, _), rest)) = members.split_first() else {
        return Ok(None);
    };
    let mut range = RequiresPython::from_specifiers(first);
    for (_, specifiers, _) in rest {
        range = range.intersect(&RequiresPython::from_specifiers(specifiers));
    }
    if !range.is_empty() {
        return Ok(Some(range));
    }
    let mut listed: Vec<MemberPython> = members
        .iter()
        .map(|(member, specifiers, manifest)| MemberPython {
            member: member.clone(),
            specifiers: specifiers.clone(),
            manifest: manifest.clone(),
        })
        .collect();
    listed.sort_by(|a, b| a.member.cmp(&b.member));
    let ranges: Vec<RequiresPython> = listed
        .iter()
        .map(|entry| RequiresPython::from_specifiers(&entry.specifiers))
        .collect();
    let pair = (0..listed.len())
        .flat_map(|i| (i + 1..listed.len()).map(move |j| (i, j)))
        .find(|&(i, j)| ranges[i].is_disjoint(&ranges[j]))
        .map(|(i, j)| DisjointPair(listed[i].member.clone(), listed[j].member.clone()));
    Err(GraphError::DisjointRequiresPython {
        members: listed,
        pair,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(values: &[(&str, &str)]) -> Vec<(PackageName, VersionSpecifiers, PathBuf)> {
        values
            .iter()
            .map(|(name, spec)| {
                (
                    wslock_pep::package_name(name).unwrap(),
                    spec.parse().unwrap(),
                    PathBuf::from(format!("/ws/{name}/pyproject.toml")),
                )
            })
            .collect()
    }

    #[test]
    fn intersection_with_not_equal_and_prerelease_bounds() {
        let meet =
            |values: &[(&str, &str)]| intersect(&members(values)).unwrap().map(|r| r.to_string());
        assert_eq!(meet(&[]), None);
        assert_eq!(
            meet(&[("a", ">=3.9"), ("b", ">=3.10,<3.14"), ("c", ">=3.11.2")]).unwrap(),
            ">=3.11.2, <3.14"
        );
        assert_eq!(
            meet(&[("a", ">=3.9,!=3.10.*"), ("b", "~=3.9")]).unwrap(),
            ">=3.9, !=3.10.*, <4"
        );
        assert_eq!(
            meet(&[("a", ">=3.13.0b1"), ("b", ">=3.12")]).unwrap(),
            ">=3.13.0"
        );
    }

    #[test]
    fn an_empty_intersection_names_the_members_that_do_not_meet() {
        let error = intersect(&members(&[
            ("root", ">=3.10"),
            ("b", "<3.10"),
            ("a", ">=3.12"),
        ]))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the members' `requires-python` ranges have no Python version in common:\n- a: >=3.12 (`/ws/a/pyproject.toml`)\n- b: <3.10 (`/ws/b/pyproject.toml`)\n- root: >=3.10 (`/ws/root/pyproject.toml`)\n(`a` and `b` have no Python version in common)"
        );
        // No two alone are disjoint, but the three together are.
        let error = intersect(&members(&[
            ("a", ">=3.10,<3.12"),
            ("b", "!=3.10.*"),
            ("c", "!=3.11.*"),
        ]))
        .unwrap_err();
        assert!(
            matches!(error, GraphError::DisjointRequiresPython { pair: None, .. }),
            "{error}"
        );
    }
}
