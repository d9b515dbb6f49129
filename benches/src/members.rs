//! The workspace: a virtual root and `members` members under `packages/*`, with excluded
//! look-alikes, member → member edges forming a DAG, extras, groups, markers, and sources in
//! the root and in members.

use crate::catalogue::{external_name, plain_specifier, requirement, role, Role, PYTHON_SPLIT};
use crate::rng::Rng;
use crate::Spec;

/// An entry of a dependency group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupEntry {
    /// A PEP 508 requirement.
    Requirement(String),
    /// `{ include-group = "name" }`.
    Include(String),
}

/// One workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The normalised name, `member-00042`; also its directory under `packages/`.
    pub name: String,
    /// `requires-python`.
    pub requires_python: String,
    /// Whether it has a `[build-system]` (uv locks it editable; without one it is virtual
    /// unless another member requires it).
    pub build_system: bool,
    /// `[project] dependencies`.
    pub dependencies: Vec<String>,
    /// `[project.optional-dependencies]`.
    pub optional: Vec<(String, Vec<String>)>,
    /// `[dependency-groups]`.
    pub groups: Vec<(String, Vec<GroupEntry>)>,
    /// Members named in the member's own `[tool.uv.sources]` (which replace the root's
    /// entries for them).
    pub own_sources: Vec<String>,
}

/// The whole workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// Members, in index order.
    pub members: Vec<Member>,
    /// The root's own `[dependency-groups]` (it is virtual: no `[project]`).
    pub root_groups: Vec<(String, Vec<GroupEntry>)>,
    /// Directories under `packages/` that match the members glob but are excluded; each holds
    /// a valid project that would otherwise be a member.
    pub excluded: Vec<String>,
}

/// The name of member `index`.
pub fn member_name(index: usize) -> String {
    format!("member-{index:05}")
}

/// Markers on members' requirements, weighted (empty: none). Only `win32` and the one Python
/// threshold appear, so the forks they cause are the same few everywhere.
const MEMBER_MARKERS: &[(&str, usize)] = &[
    ("", 88),
    ("sys_platform == 'linux'", 3),
    ("sys_platform == 'win32'", 3),
    ("python_version >= '3.12'", 3),
    ("python_version < '3.12'", 3),
];

/// The workspace of `spec`.
pub fn workspace(spec: &Spec) -> Workspace {
    let plain: Vec<usize> = (0..spec.externals)
        .filter(|&i| role(i) == Role::Plain)
        .collect();
    let platform_forks: Vec<usize> = (0..spec.externals)
        .filter(|&i| role(i) == Role::PlatformFork)
        .collect();
    let python_forks: Vec<usize> = (0..spec.externals)
        .filter(|&i| role(i) == Role::PythonFork)
        .collect();
    let pools = Pools {
        seed: spec.seed,
        plain: &plain,
        platform_forks: &platform_forks,
        python_forks: &python_forks,
    };
    let members = (0..spec.members)
        .map(|index| member(spec, &pools, index))
        .collect();
    let mut rng = Rng::fork(spec.seed, "root", 0);
    let root_groups = if plain.is_empty() {
        Vec::new()
    } else {
        vec![(
            "lint".to_string(),
            vec![GroupEntry::Requirement(external_requirement(
                &mut rng, &pools, false,
            ))],
        )]
    };
    let excluded = (0..spec.members.div_ceil(100))
        .map(|index| format!("draft-{index:05}-scratch"))
        .collect();
    Workspace {
        members,
        root_groups,
        excluded,
    }
}

struct Pools<'a> {
    seed: u64,
    plain: &'a [usize],
    platform_forks: &'a [usize],
    python_forks: &'a [usize],
}

fn member(spec: &Spec, pools: &Pools<'_>, index: usize) -> Member {
    let mut rng = Rng::fork(spec.seed, "member", index);
    let name = member_name(index);

    // Up to three earlier members, mostly near neighbours, sometimes far away: a DAG.
    let mut workspace_deps: Vec<usize> = Vec::new();
    if index > 0 {
        for _ in 0..rng.below(4) {
            let target = if rng.chance(10) {
                rng.below(index)
            } else {
                index - 1 - rng.below(index.min(30))
            };
            if !workspace_deps.contains(&target) {
                workspace_deps.push(target);
            }
        }
    }
    let mut dependencies: Vec<String> = workspace_deps
        .iter()
        .map(|&target| {
            // Members whose index is a multiple of four have a `cli` extra (when there are
            // externals to put in it).
            let extras: &[&str] = if target % 4 == 0 && !pools.plain.is_empty() && rng.chance(30) {
                &["cli"]
            } else {
                &[]
            };
            requirement(&member_name(target), extras, "", "")
        })
        .collect();

    let mut chosen: Vec<String> = Vec::new();
    if !pools.plain.is_empty() {
        for _ in 0..1 + rng.below(4) {
            let text = external_requirement(&mut rng, pools, true);
            let name = text[..9].to_string();
            if !chosen.contains(&name) {
                chosen.push(name);
                dependencies.push(text);
            }
        }
    }
    // One requirement on a fork external in every fifth member, as two halves whose markers
    // cover every environment: they need different versions on each side.
    let fork_pair = match index % 10 {
        0 => pick(&mut rng, pools.platform_forks).map(|target| {
            (
                target,
                "sys_platform == 'win32'".to_string(),
                "sys_platform != 'win32'".to_string(),
            )
        }),
        5 => pick(&mut rng, pools.python_forks).map(|target| {
            (
                target,
                format!("python_version < '{PYTHON_SPLIT}'"),
                format!("python_version >= '{PYTHON_SPLIT}'"),
            )
        }),
        _ => None,
    };
    if let Some((target, old_side, new_side)) = fork_pair {
        let target = external_name(target);
        dependencies.push(requirement(&target, &[], "<2", &old_side));
        dependencies.push(requirement(&target, &[], ">=2", &new_side));
    }

    let mut optional = Vec::new();
    if index.is_multiple_of(4) && !pools.plain.is_empty() {
        let mut cli = vec![external_requirement(&mut rng, pools, false)];
        if index > 0 && rng.chance(30) {
            cli.push(member_name(rng.below(index)));
        }
        optional.push(("cli".to_string(), cli));
    }

    let mut groups = Vec::new();
    if index.is_multiple_of(5) && !pools.plain.is_empty() {
        let mut dev = vec![GroupEntry::Requirement(external_requirement(
            &mut rng, pools, false,
        ))];
        if index > 0 && rng.chance(30) {
            dev.push(GroupEntry::Requirement(member_name(rng.below(index))));
        }
        groups.push(("dev".to_string(), dev));
        groups.push((
            "test".to_string(),
            vec![
                GroupEntry::Include("dev".to_string()),
                GroupEntry::Requirement(external_requirement(&mut rng, pools, true)),
            ],
        ));
    }

    // Every third member names its workspace requirements in its own sources; the others
    // rely on the root's.
    let own_sources = if index.is_multiple_of(3) {
        workspace_deps.iter().map(|&t| member_name(t)).collect()
    } else {
        Vec::new()
    };

    Member {
        name,
        requires_python: if index % 4 == 1 { ">=3.9" } else { ">=3.10" }.to_string(),
        build_system: index % 3 != 2,
        dependencies,
        optional,
        groups,
        own_sources,
    }
}

fn pick(rng: &mut Rng, pool: &[usize]) -> Option<usize> {
    (!pool.is_empty()).then(|| pool[rng.below(pool.len())])
}

/// A requirement on a random plain external (`pools.plain` is not empty): a specifier that
/// admits `1.0`, sometimes the `cli` extra, and with `markers` sometimes a marker.
fn external_requirement(rng: &mut Rng, pools: &Pools<'_>, markers: bool) -> String {
    let seed = pools.seed;
    let target = pools.plain[rng.below(pools.plain.len())];
    let extras: &[&str] = if target.is_multiple_of(7) && rng.chance(30) {
        &["cli"]
    } else {
        &[]
    };
    let specifier = plain_specifier(rng, seed, target);
    let marker = if markers {
        rng.pick(MEMBER_MARKERS)
    } else {
        ""
    };
    requirement(&external_name(target), extras, &specifier, marker)
}

impl Member {
    /// The member's `pyproject.toml`.
    pub fn pyproject(&self) -> String {
        let mut text = format!(
            "[project]\nname = \"{}\"\nversion = \"0.1.0\"\nrequires-python = \"{}\"\n",
            self.name, self.requires_python
        );
        text.push_str(&string_array("dependencies", &self.dependencies));
        if !self.optional.is_empty() {
            text.push_str("\n[project.optional-dependencies]\n");
            for (extra, requirements) in &self.optional {
                text.push_str(&string_array(extra, requirements));
            }
        }
        text.push_str(&groups_table(&self.groups));
        if !self.own_sources.is_empty() {
            text.push_str("\n[tool.uv.sources]\n");
            for name in &self.own_sources {
                text.push_str(&format!("{name} = {{ workspace = true }}\n"));
            }
        }
        if self.build_system {
            text.push_str(
                "\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
            );
        }
        text
    }
}

impl Workspace {
    /// The root's `pyproject.toml`: a virtual root naming every member in its sources.
    pub fn root_pyproject(&self) -> String {
        let mut text = String::from(
            "[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/*-scratch\"]\n",
        );
        text.push_str(&groups_table(&self.root_groups));
        text.push_str("\n[tool.uv.sources]\n");
        for member in &self.members {
            text.push_str(&format!("{} = {{ workspace = true }}\n", member.name));
        }
        text
    }

    /// The `pyproject.toml` of an excluded directory: a project that would clash with a member
    /// if the exclusion were ignored.
    pub fn excluded_pyproject(&self, position: usize) -> String {
        let name = self
            .members
            .get(position)
            .map_or_else(|| format!("draft-{position}"), |m| m.name.clone());
        format!("[project]\nname = \"{name}\"\nversion = \"9.9.9\"\nrequires-python = \">=3.13\"\n")
    }
}

fn string_array(key: &str, items: &[String]) -> String {
    if items.is_empty() {
        return format!("{key} = []\n");
    }
    let mut text = format!("{key} = [\n");
    for item in items {
        text.push_str(&format!("    \"{item}\",\n"));
    }
    text.push_str("]\n");
    text
}

fn groups_table(groups: &[(String, Vec<GroupEntry>)]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut text = String::from("\n[dependency-groups]\n");
    for (group, entries) in groups {
        text.push_str(&format!("{group} = [\n"));
        for entry in entries {
            match entry {
                GroupEntry::Requirement(requirement) => {
                    text.push_str(&format!("    \"{requirement}\",\n"))
                }
                GroupEntry::Include(include) => {
                    text.push_str(&format!("    {{ include-group = \"{include}\" }},\n"))
                }
            }
        }
        text.push_str("]\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_edges_point_to_earlier_members_only() {
        let spec = Spec::new(300).seed(11);
        let workspace = workspace(&spec);
        assert_eq!(workspace.members.len(), 300);
        assert_eq!(workspace.excluded.len(), 3);
        for (index, member) in workspace.members.iter().enumerate() {
            let optional = member.optional.iter().flat_map(|(_, list)| list);
            for text in member.dependencies.iter().chain(optional) {
                if let Some(target) = text.strip_prefix("member-") {
                    let target: usize = target[..5].parse().unwrap();
                    assert!(target < index, "{text} in {}", member.name);
                }
            }
            for source in &member.own_sources {
                assert!(member.dependencies.iter().any(|d| d.starts_with(source)));
            }
        }
    }

    #[test]
    fn fork_halves_cover_every_environment() {
        let spec = Spec::new(40).seed(5);
        let workspace = workspace(&spec);
        let zero = &workspace.members[0].dependencies;
        assert!(zero.contains(&"ext-00000<2; sys_platform == 'win32'".to_string()));
        assert!(zero.contains(&"ext-00000>=2; sys_platform != 'win32'".to_string()));
        let five = &workspace.members[5].dependencies;
        assert!(five.contains(&"ext-00025>=2; python_version >= '3.12'".to_string()));
    }

    #[test]
    fn manifests_render_the_model() {
        let member = Member {
            name: "member-00003".into(),
            requires_python: ">=3.10".into(),
            build_system: true,
            dependencies: vec!["member-00001[cli]".into(), "ext-00004<2".into()],
            optional: vec![("cli".into(), vec!["ext-00007".into()])],
            groups: vec![
                (
                    "dev".into(),
                    vec![GroupEntry::Requirement("ext-00008".into())],
                ),
                ("test".into(), vec![GroupEntry::Include("dev".into())]),
            ],
            own_sources: vec!["member-00001".into()],
        };
        assert_eq!(
            member.pyproject(),
            r#"[project]
name = "member-00003"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [
    "member-00001[cli]",
    "ext-00004<2",
]

[project.optional-dependencies]
cli = [
    "ext-00007",
]

[dependency-groups]
dev = [
    "ext-00008",
]
test = [
    { include-group = "dev" },
]

[tool.uv.sources]
member-00001 = { workspace = true }

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"#
        );
    }
}
