"""Seeded random workspaces over the fictional catalogue of `testdata/find-links/`.

`generate(seed)` returns the files of one workspace: 2 to 8 members under a virtual root (no
`[project]`) or an explicit one (the root is a member too), laid out under one glob, two globs
or an explicit list; workspace edges with `{ workspace = true }` sources in the root's table or
the member's own, sometimes with an extra or a marker, from dependencies, extras or groups;
requirements on the catalogue with random specifiers and markers over `sys_platform`,
`python_version`, `python_full_version`, `platform_machine`, `os_name` and `platform_system`;
pairs of requirements on one package with complementary markers (forks); extras (some
self-referencing), PEP 735 groups (some with `include-group`), legacy `dev-dependencies`,
a virtual root's own groups, root constraints and overrides; and, in about one in six
workspaces, trouble that makes it unsolvable or invalid on purpose, so that failures are
compared too.

Specifiers are drawn to admit a range of versions that fits the catalogue's own dependencies
in every fork (`allowed_versions`), so most workspaces are solvable; a few requirements are
drawn freely and may conflict. The same seed always gives the same files (Python's `random`,
seeded with a string naming the generator version and the seed); `GENERATOR_VERSION` changes
when that mapping does.
"""

from __future__ import annotations

import dataclasses
import random

# Bump when the generator changes what a seed produces: a seed in `known-differences.txt` or in
# a bug report names a workspace of one generator version.
GENERATOR_VERSION = 1

# The fictional catalogue of `testdata/find-links/` (its README): name -> versions, oldest first.
# `omicrox` is left out on purpose: it needs a build, and that departure is the `needs-build`
# fixture's (see known-differences.txt); `omegal` only enters as trouble (`generate`).
CATALOGUE = {
    "alphix": ["1.0", "1.1", "2.0", "2.1"],
    "betrix": ["1.0", "2.0"],
    "gammot": ["1.0", "1.5"],
    "delta-lib": ["1.0", "2.0b1"],
    "epsilux": ["0.9", "1.0rc1"],
    "zetrix": ["0.1a1", "0.2b1"],
    "thetamo": ["1.0", "1.1", "2.0"],
    "iotrex": ["1.0", "1.1"],
    "kappaly": ["1.0"],
    "chiro": ["1.0"],
    "lambdor": ["1.0"],
    "nuxel": ["1.0", "1.2"],
    "pirelo": ["1.0"],
    "taurel": ["1.0"],
    "psiko": ["1.0"],
    "upsilor": ["1.0"],
    "rhoban": ["1.0", "1.1", "1.2"],
}
# How often each package is picked: the interesting ones (diamond, forks, extras) more often.
WEIGHTS = {
    "alphix": 6, "betrix": 4, "gammot": 4, "delta-lib": 2, "epsilux": 2, "zetrix": 1,
    "thetamo": 4, "iotrex": 4, "kappaly": 3, "chiro": 1, "lambdor": 1, "nuxel": 3,
    "pirelo": 1, "taurel": 1, "psiko": 3, "upsilor": 2, "rhoban": 3,
}
EXTRAS = {"iotrex": ["cli", "fast"]}

# Marker atoms as (marker, its negation), over every marker variable the brief names and the
# `platform_system` alias uv rewrites to `sys_platform`. Python bounds stay within what a
# `>=3.9` workspace can see.
ATOMS = [
    ("sys_platform == 'win32'", "sys_platform != 'win32'"),
    ("sys_platform == 'linux'", "sys_platform != 'linux'"),
    ("sys_platform == 'darwin'", "sys_platform != 'darwin'"),
    ("python_version < '3.11'", "python_version >= '3.11'"),
    ("python_version >= '3.10'", "python_version < '3.10'"),
    ("python_version < '3.12'", "python_version >= '3.12'"),
    ("python_full_version >= '3.11.2'", "python_full_version < '3.11.2'"),
    ("platform_machine == 'x86_64'", "platform_machine != 'x86_64'"),
    ("platform_machine == 'aarch64'", "platform_machine != 'aarch64'"),
    ("os_name == 'nt'", "os_name != 'nt'"),
    ("os_name == 'posix'", "os_name != 'posix'"),
    ("platform_system == 'Windows'", "platform_system != 'Windows'"),
    ("platform_system == 'Darwin'", "platform_system != 'Darwin'"),
]
MEMBER_NAMES = ["app", "core", "utils", "cli", "api", "web", "models", "worker", "sdk", "plugins"]
EXTRA_NAMES = ["speed", "cli", "docs", "all"]
GROUP_NAMES = ["dev", "test", "lint", "typing"]
# Every lower bound is <= 3.11, the Python uv is run with (uv lock refuses a workspace whose
# requires-python excludes the interpreter it found).
REQUIRES_PYTHON = [">=3.9"] * 6 + [">=3.10"] * 2 + [">=3.11", ">=3.9,<3.14", ">=3.10,<4"]


def is_prerelease(version: str) -> bool:
    return any(c.isalpha() for c in version)


def pick_marker(rng: random.Random) -> str:
    def atom() -> str:
        return rng.choice(rng.choice(ATOMS))

    roll = rng.random()
    if roll < 0.7:
        return atom()
    if roll < 0.9:
        return f"{atom()} and {atom()}"
    return f"{atom()} or {atom()}"


def pick_specifier(rng: random.Random, versions: list[str],
                   allow: tuple[int, int] | None) -> str:
    """A version specifier. With `allow` (a range of indices into `versions`), one that admits
    every version in it, so workspaces built from such requirements stay solvable; without,
    any specifier over the package's versions."""
    kind = rng.choices(
        ["", ">=", "<", "==", "!=", "~=", "range", "wildcard"],
        weights=[40, 18, 8, 5, 5, 6, 10, 8],
    )[0]
    if allow is None:
        allow = (rng.randrange(len(versions)),) * 2
    low, high = allow
    below = versions[: low + 1]  # versions at or under the allowed range
    above = versions[high + 1:]  # versions over it
    same_major = len({v.split(".")[0] for v in versions[low: high + 1]}) == 1
    if kind == ">=":
        return ">=" + rng.choice(below)
    if kind == "<" and above:
        return "<" + rng.choice(above)
    if kind == "==" and low == high:
        return "==" + versions[low]
    if kind == "!=":
        outside = versions[:low] + above
        if outside:
            return "!=" + rng.choice(outside)
    if kind == "~=" and same_major:
        # ~=X.Y is >=X.Y,==X.*: a stable X.Y at or under the range, with its major version.
        major = versions[low].split(".")[0]
        fits = [v for v in below if v.split(".")[0] == major and not is_prerelease(v)]
        if fits:
            return "~=" + rng.choice(fits)
    if kind == "range" and above:
        return f">={rng.choice(below)},<{rng.choice(above)}"
    if kind == "wildcard" and same_major and not is_prerelease(versions[low]):
        return "==" + versions[low].split(".")[0] + ".*"
    return ""


def allowed_versions(rng: random.Random) -> dict[str, tuple[int, int]]:
    """Per package, a range of versions that every constrained requirement admits. The ranges
    fit the catalogue's own dependencies in every fork (`psiko`/`upsilor` need `alphix<2` on
    Windows and `>=2` elsewhere, `betrix` 2.0 needs `alphix>=1.1,<2.1`, `thetamo` 2.0 needs
    Python 3.12, `rhoban` 1.2 needs `nuxel>=1.2`), so only free requirements, split pairs and
    injected trouble make a workspace unsolvable."""
    fixed = {
        "alphix": ("1.1", "2.0"),
        "betrix": ("2.0", "2.0"),
        "gammot": ("1.0", "1.0"),
        "iotrex": ("1.0", "1.0"),
        "thetamo": ("1.0", "1.1"),
        "rhoban": ("1.0", "1.1"),
        "nuxel": ("1.0", "1.2"),
        "epsilux": ("0.9", "0.9"),
    }
    allow = {}
    for name, versions in CATALOGUE.items():
        if name in fixed:
            low, high = fixed[name]
            allow[name] = (versions.index(low), versions.index(high))
        else:
            at = rng.randrange(len(versions))
            allow[name] = (at, at)
    return allow


def external(rng: random.Random, allow: dict[str, tuple[int, int]],
             marker_probability: float = 0.3) -> str:
    """A requirement on a catalogue package; a few are free to exclude the allowed range."""
    name = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    text = name
    if name in EXTRAS and rng.random() < 0.5:
        text += "[" + ",".join(sorted(rng.sample(EXTRAS[name], rng.randint(1, 2)))) + "]"
    free = rng.random() < 0.03
    text += pick_specifier(rng, CATALOGUE[name], None if free else allow[name])
    if rng.random() < marker_probability:
        text += "; " + pick_marker(rng)
    return text


# Packages a split pair may name, with the version it splits at: both sides lie within the
# allowed range (`allowed_versions`), so the pair forks the resolution without making it
# unsolvable.
SPLITS = {"alphix": "2.0", "thetamo": "1.1", "rhoban": "1.1", "nuxel": "1.2"}


def split_pair(rng: random.Random) -> list[str]:
    """The same package twice with complementary markers and disjoint ranges: a fork."""
    name = rng.choice(list(SPLITS))
    pivot = SPLITS[name]
    yes, no = rng.choice(ATOMS)
    return [f"{name}<{pivot}; {yes}", f"{name}>={pivot}; {no}"]


@dataclasses.dataclass
class Member:
    name: str
    path: str  # relative to the root, "." for an explicit root
    version: str
    requires_python: str
    build_system: bool
    package_flag: bool
    dependencies: list[str] = dataclasses.field(default_factory=list)
    extras: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    groups: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    legacy_dev: list[str] = dataclasses.field(default_factory=list)
    sources: list[str] = dataclasses.field(default_factory=list)


def toml_array(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def quoted(items: list[str]) -> str:
    return toml_array([f'"{item}"' for item in items])


def group_items(items: list[str]) -> str:
    # `{ include-group = ... }` entries are kept verbatim, requirements are quoted.
    return toml_array([item if item.startswith("{") else f'"{item}"' for item in items])


def project_toml(member: Member) -> list[str]:
    lines = [
        "[project]",
        f'name = "{member.name}"',
        f'version = "{member.version}"',
        f'requires-python = "{member.requires_python}"',
        f"dependencies = {quoted(member.dependencies)}",
    ]
    if member.extras:
        lines += ["", "[project.optional-dependencies]"]
        lines += [f"{extra} = {quoted(reqs)}" for extra, reqs in member.extras.items()]
    return lines


def tail_toml(groups: dict[str, list[str]], uv_lines: list[str], sources: list[str],
              build_system: bool) -> list[str]:
    lines: list[str] = []
    if groups:
        lines += ["", "[dependency-groups]"]
        lines += [f"{group} = {group_items(reqs)}" for group, reqs in groups.items()]
    if uv_lines:
        lines += ["", "[tool.uv]"] + uv_lines
    if sources:
        lines += ["", "[tool.uv.sources]"]
        lines += [f"{name} = {{ workspace = true }}" for name in sources]
    if build_system:
        lines += ["", "[build-system]", 'requires = ["hatchling"]',
                  'build-backend = "hatchling.build"']
    return lines


def generate(seed: int) -> tuple[dict[str, str], str]:
    """The files of workspace `seed` (relative path -> text) and a one-line description."""
    rng = random.Random(f"wslock-uv-diff-{GENERATOR_VERSION}-{seed}")
    count = rng.randint(2, 8)
    explicit_root = rng.random() < 0.5
    names = rng.sample(MEMBER_NAMES, count)
    layout = rng.choice(["glob", "list", "two-globs"])
    members: list[Member] = []
    for index, name in enumerate(names):
        if explicit_root and index == 0:
            path = "."
        elif layout == "two-globs" and index % 2:
            path = f"libs/{name}"
        else:
            path = f"packages/{name}"
        members.append(Member(
            name=name,
            path=path,
            version=rng.choice(["0.1.0", "1.0.0", "2.3", "0.0.1"]),
            requires_python=rng.choice(REQUIRES_PYTHON),
            build_system=rng.random() < 0.4,
            package_flag=rng.random() < 0.05,
        ))
    root_sources: list[str] = []
    root_groups: dict[str, list[str]] = {}
    targets = allowed_versions(rng)

    # Externals, extras and groups per member.
    for member in members:
        count_externals = rng.choices([0, 1, 2, 3, 4], [2, 4, 4, 3, 2])[0]
        member.dependencies += [external(rng, targets) for _ in range(count_externals)]
        if rng.random() < 0.2:
            member.dependencies += split_pair(rng)
        for extra in rng.sample(EXTRA_NAMES, rng.choices([0, 1, 2], [5, 3, 2])[0]):
            member.extras[extra] = [external(rng, targets, 0.2) for _ in range(rng.randint(1, 2))]
        if len(member.extras) >= 2 and rng.random() < 0.4:
            first, second = list(member.extras)[:2]
            member.extras[first].append(f"{member.name}[{second}]")
        for group in rng.sample(GROUP_NAMES, rng.choices([0, 1, 2], [5, 3, 2])[0]):
            member.groups[group] = [external(rng, targets, 0.2) for _ in range(rng.randint(0, 2))]
        if len(member.groups) >= 2 and rng.random() < 0.5:
            first, second = list(member.groups)[:2]
            member.groups[first].append(f'{{ include-group = "{second}" }}')
        if rng.random() < 0.05:
            member.legacy_dev.append(external(rng, targets, 0.0))

    # Workspace edges: a member may require any member after it (so the member graph is a DAG),
    # sometimes with an extra or a marker, from its dependencies, an extra or a group.
    for i, member in enumerate(members):
        for target in members[i + 1:]:
            if rng.random() >= 0.35:
                continue
            requirement = target.name
            if target.extras and rng.random() < 0.3:
                requirement += f"[{rng.choice(list(target.extras))}]"
            if rng.random() < 0.15:
                requirement += "; " + pick_marker(rng)
            where = rng.random()
            if where < 0.75 or not (member.extras or member.groups):
                member.dependencies.append(requirement)
            elif member.extras and (where < 0.88 or not member.groups):
                member.extras[rng.choice(list(member.extras))].append(requirement)
            else:
                member.groups[rng.choice(list(member.groups))].append(requirement)
            # The `{ workspace = true }` source lives in the root's table or the member's own.
            if explicit_root and member.path == "." or rng.random() < 0.4:
                if target.name not in root_sources:
                    root_sources.append(target.name)
            elif target.name not in member.sources:
                member.sources.append(target.name)

    # Root-level settings.
    uv_root: list[str] = []
    if rng.random() < 0.1:
        constraints = rng.sample(["alphix<2.1", "nuxel<1.2", "thetamo<2", "gammot<1.5"], 2)
        uv_root.append(f"constraint-dependencies = {quoted(constraints)}")
    if rng.random() < 0.07:
        override = rng.choice(["alphix==2.1", "alphix>=1.1", "betrix==1.0"])
        uv_root.append(f"override-dependencies = {quoted([override])}")
    if not explicit_root and rng.random() < 0.15:
        root_groups[rng.choice(GROUP_NAMES)] = [
            external(rng, targets, 0.2) for _ in range(rng.randint(1, 2))
        ]

    # A fraction is made unsolvable (or invalid) on purpose, so failures are compared too.
    trouble = rng.choices(["none", "conflict", "python-only", "missing", "prerelease",
                           "no-source"], [84, 7, 3, 3, 3, 3])[0]
    if trouble == "no-source":
        # A member required without a `{ workspace = true }` source: both tools must refuse.
        unsourced = [m for m in members if m.name not in root_sources and m.path != "."]
        if unsourced:
            target = rng.choice(unsourced)
            user = rng.choice([m for m in members if m is not target])
            if target.name not in user.sources:
                user.dependencies.append(target.name)
            else:
                trouble = "none"
        else:
            trouble = "none"
    elif trouble == "conflict":
        a, b = rng.sample(members, 2)
        a.dependencies.append("alphix>=2")
        b.dependencies.append("alphix<2")
    elif trouble == "python-only":
        rng.choice(members).dependencies.append("omegal")
    elif trouble == "missing":
        rng.choice(members).dependencies.append("phantomix>=1")
    elif trouble == "prerelease":
        rng.choice(members).dependencies.append("epsilux>=1.0")

    # Render.
    files: dict[str, str] = {}
    if layout == "glob":
        globs = ["packages/*"]
    elif layout == "two-globs":
        globs = ["packages/*", "libs/*"]
    else:
        globs = [m.path for m in members if m.path != "."]
    for member in members:
        uv_lines = []
        if member.package_flag:
            uv_lines.append("package = true")
        if member.legacy_dev:
            uv_lines.append(f"dev-dependencies = {quoted(member.legacy_dev)}")
        lines = project_toml(member)
        if member.path == ".":
            uv_lines += uv_root
            sources = member.sources + [s for s in root_sources if s not in member.sources]
            lines += tail_toml(member.groups, uv_lines, sources, member.build_system)
            lines += ["", "[tool.uv.workspace]", f"members = {quoted(globs)}"]
            files["pyproject.toml"] = "\n".join(lines) + "\n"
        else:
            lines += tail_toml(member.groups, uv_lines, member.sources, member.build_system)
            files[f"{member.path}/pyproject.toml"] = "\n".join(lines) + "\n"
    if not explicit_root:
        lines = tail_toml(root_groups, uv_root, root_sources, False)
        lines += ["", "[tool.uv.workspace]", f"members = {quoted(globs)}"]
        files["pyproject.toml"] = "\n".join(lines).lstrip("\n") + "\n"

    edges = sum(
        1 for m in members for r in m.dependencies + sum(m.extras.values(), []) +
        sum(m.groups.values(), []) if r.split("[")[0].split(";")[0] in set(names) - {m.name}
    )
    description = (f"{count} members, {'explicit' if explicit_root else 'virtual'} root, "
                   f"{edges} workspace edges" + ("" if trouble == "none" else f", {trouble}"))
    return files, description
