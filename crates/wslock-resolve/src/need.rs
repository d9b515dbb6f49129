//! One requirement as the resolver sees it, whether a member declared it or a package's
//! metadata listed it.

use wslock_graph::{MergedRequirement, RequirementSource};
use wslock_pep::{
    canonical_marker, marker_for_extras, specifier_ranges, ExtraName, MarkerTree, PackageName,
    Ranges, Requirement, Version, VersionOrUrl,
};

use crate::error::ResolveError;

/// A requirement on `name` (and `extras` of it), allowed versions `range`, applying where
/// `marker` holds. The marker never mentions extras: which extra a requirement belongs to is
/// decided before it becomes a `Need`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Need {
    pub name: PackageName,
    pub extras: Vec<ExtraName>,
    pub range: Ranges<Version>,
    pub marker: MarkerTree,
    /// Whether a specifier names a pre-release, which makes pre-releases acceptable (PEP 440).
    pub explicit_prerelease: bool,
}

impl Need {
    /// A requirement written in the workspace, after its sources were applied. Members are
    /// pinned to their own version.
    pub fn from_merged(
        requirement: &MergedRequirement,
        member_version: impl Fn(&PackageName) -> Option<Version>,
    ) -> Result<Self, ResolveError> {
        let (range, explicit_prerelease) = match &requirement.source {
            RequirementSource::Registry { specifiers, .. } => (
                specifier_ranges(specifiers),
                specifiers.iter().any(|s| s.version().any_prerelease()),
            ),
            RequirementSource::Workspace { path, .. } => match member_version(&requirement.name) {
                Some(version) => (Ranges::singleton(version), false),
                None => {
                    return Err(ResolveError::DynamicMemberVersion {
                        member: requirement.name.clone(),
                        manifest: path.join("pyproject.toml"),
                    })
                }
            },
            RequirementSource::Path { .. } => return Err(unsupported(&requirement.name, "path")),
            RequirementSource::Git { .. } => return Err(unsupported(&requirement.name, "git")),
            RequirementSource::Url { .. } => return Err(unsupported(&requirement.name, "url")),
        };
        Ok(Self {
            name: requirement.name.clone(),
            extras: requirement.extras.clone(),
            range,
            marker: canonical_marker(&requirement.marker),
            explicit_prerelease,
        })
    }

    /// A `Requires-Dist` of a package, as seen with the extras in `active` enabled (none for
    /// the package itself). `None` when it does not apply with those extras.
    pub fn from_metadata(
        requirement: &Requirement,
        active: &[ExtraName],
    ) -> Result<Option<Self>, ResolveError> {
        let marker = canonical_marker(&marker_for_extras(&requirement.marker, active));
        if marker.is_false() {
            return Ok(None);
        }
        let (range, explicit_prerelease) = match &requirement.version_or_url {
            None => (Ranges::full(), false),
            Some(VersionOrUrl::VersionSpecifier(specifiers)) => (
                specifier_ranges(specifiers),
                specifiers.iter().any(|s| s.version().any_prerelease()),
            ),
            Some(VersionOrUrl::Url(_)) => return Err(unsupported(&requirement.name, "url")),
        };
        let mut extras = requirement.extras.clone();
        extras.sort();
        extras.dedup();
        Ok(Some(Self {
            name: requirement.name.clone(),
            extras,
            range,
            marker,
            explicit_prerelease,
        }))
    }
}

fn unsupported(name: &PackageName, kind: &'static str) -> ResolveError {
    ResolveError::UnsupportedSource {
        package: name.clone(),
        kind,
    }
}
