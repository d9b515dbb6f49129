"""Two uv.lock files compared: what they install, what they say, and where they differ.

`installs` is the resolution's meaning (which package versions each environment gets),
`canonical` the document's (every marker replaced by its meaning, lists sorted), and
`structural_diff` lists, field by field, what only one of the two locks says.
"""

from __future__ import annotations

import difflib

from markers import MarkerSpace

def inline(value) -> str:
    """A parsed TOML value printed compactly, the way uv.lock writes inline tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value + '"'
    return str(value)


def space_for(*docs: dict) -> MarkerSpace:
    """The environments to compare `docs` over: from every marker they contain, within the
    first one's `requires-python` and `supported-markers`."""
    found: set[str] = set()
    for doc in docs:
        markers_in(doc, found)
    return MarkerSpace(found, docs[0].get("requires-python", ""),
                       docs[0].get("supported-markers"))


def markers_in(value, found: set[str]) -> set[str]:
    """Every marker string in a parsed uv.lock: `marker` values and `resolution-markers`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "marker" and isinstance(item, str):
                found.add(item)
            elif key in ("resolution-markers", "supported-markers") and isinstance(item, list):
                found.update(item)
            else:
                markers_in(item, found)
    elif isinstance(value, list):
        for item in value:
            markers_in(item, found)
    return found


def canonical(value, space: MarkerSpace):
    """A parsed uv.lock with every marker replaced by its meaning and every list of tables or
    markers sorted: equal for two locks that say the same thing in different words."""
    if isinstance(value, dict):
        # A requirement or edge without a marker holds everywhere, like one whose marker
        # always holds (uv drops such markers, and spells never as `python_version < '0'`).
        out = {"marker": ("marker", space.meaning(""))} if "name" in value else {}
        for key, item in value.items():
            if key == "marker" and isinstance(item, str):
                out[key] = ("marker", space.meaning(item))
            elif key == "resolution-markers" and isinstance(item, list):
                out[key] = tuple(sorted(space.meaning(m) for m in item))
            else:
                out[key] = canonical(item, space)
        return out
    if isinstance(value, list):
        items = [canonical(item, space) for item in value]
        if items and all(isinstance(item, dict) for item in items):
            return tuple(sorted(items, key=repr))
        return tuple(items)
    return value


def list_difference(ours: list, theirs: list, space: MarkerSpace) -> tuple[list, list]:
    """The items only in `theirs` and only in `ours`, compared by meaning, as multisets."""
    left = [(canonical(item, space), item) for item in theirs]
    right = [(canonical(item, space), item) for item in ours]
    only_theirs, remaining = [], [key for key, _ in right]
    for key, item in left:
        if key in remaining:
            remaining.remove(key)
        else:
            only_theirs.append(item)
    only_ours, remaining = [], [key for key, _ in left]
    for key, item in right:
        if key in remaining:
            remaining.remove(key)
        else:
            only_ours.append(item)
    return only_theirs, only_ours


def structural_diff(uv_doc: dict, ws_doc: dict, space: MarkerSpace) -> list[str]:
    """Where two locks differ in meaning, field by field: one line per item only one has."""
    lines: list[str] = []

    def compare_lists(where: str, theirs, ours):
        theirs = theirs if isinstance(theirs, list) else [] if theirs is None else [theirs]
        ours = ours if isinstance(ours, list) else [] if ours is None else [ours]
        only_theirs, only_ours = list_difference(ours, theirs, space)
        lines.extend(f"{where}: only uv:     {inline(item)}" for item in only_theirs)
        lines.extend(f"{where}: only wslock: {inline(item)}" for item in only_ours)

    def compare_tables(where: str, theirs: dict, ours: dict):
        for key in sorted(set(theirs) | set(ours)):
            a, b = theirs.get(key), ours.get(key)
            if canonical(a, space) == canonical(b, space):
                continue
            if isinstance(a, dict) or isinstance(b, dict):
                compare_tables(f"{where}.{key}", a or {}, b or {})
            elif isinstance(a, list) or isinstance(b, list):
                compare_lists(f"{where}.{key}", a, b)
            else:
                lines.append(f"{where}.{key}: uv {inline(a)}, wslock {inline(b)}")

    top = {k: v for k, v in uv_doc.items() if k != "package"}
    ours_top = {k: v for k, v in ws_doc.items() if k != "package"}
    compare_tables("lock", top, ours_top)

    def key(package):
        return (package["name"], package.get("version"), inline(package.get("source")))

    theirs = {key(p): p for p in uv_doc.get("package", [])}
    ours = {key(p): p for p in ws_doc.get("package", [])}
    for k in sorted(set(theirs) | set(ours), key=repr):
        label = f"{k[0]} {k[1]}"
        if k not in ours:
            lines.append(f"package {label}: only uv")
        elif k not in theirs:
            lines.append(f"package {label}: only wslock")
        else:
            a = {f: v for f, v in theirs[k].items() if f not in ("name", "version", "source")}
            b = {f: v for f, v in ours[k].items() if f not in ("name", "version", "source")}
            compare_tables(f"package {label}", a, b)
    return lines


def installs(doc: dict, space: MarkerSpace) -> dict[tuple, tuple[int, int]]:
    """What a lock installs: per package (name, version, source), the environments of `space`
    where it is installed (a bit set), (1) with every member, extra and group selected and
    (2) with the members alone. This is the meaning of the lock's resolution, whatever the
    forks: a tool that splits a fork in two, or forks where no environment can be, or locks a
    version for environments that never reach the package, installs the same.

    Reachability is a fixpoint over the graph of (package, extra or group) nodes: a node holds
    where some node that holds has an edge to it whose marker holds."""
    packages = doc.get("package", [])

    def key(p):
        return (p["name"], p.get("version"), tuple(sorted(p.get("source", {}).items())))

    def targets(edge):
        named = [p for p in packages if p["name"] == edge["name"]]
        if "version" in edge:
            named = [p for p in named if p.get("version") == edge["version"]] or named
        return named

    def where_chosen(p):
        markers = p.get("resolution-markers")
        if not markers:
            return space.meaning("")
        bits = 0
        for marker in markers:
            bits |= space.meaning(marker)
        return bits

    edges: dict[tuple, list[tuple[tuple, int]]] = {}

    def add_edges(source: tuple, edge: dict):
        # An edge names `version` when several packages share its name; a requirement of a
        # virtual root's group does not, and goes to each version where it was chosen.
        mask = space.meaning(edge.get("marker", ""))
        chosen = targets(edge)
        for target in chosen:
            where = mask if "version" in edge or len(chosen) == 1 else mask & where_chosen(target)
            edges.setdefault(source, []).append(((key(target), None), where))
            for extra in edge.get("extra", edge.get("extras", [])):
                edges[source].append(((key(target), f"extra:{extra}"), where))

    for p in packages:
        for edge in p.get("dependencies", []):
            add_edges((key(p), None), edge)
        for extra, deps in p.get("optional-dependencies", {}).items():
            for edge in deps:
                add_edges((key(p), f"extra:{extra}"), edge)
            edges.setdefault((key(p), f"extra:{extra}"), []).append(
                ((key(p), None), space.meaning("")))
        for group, deps in p.get("dev-dependencies", {}).items():
            for edge in deps:
                add_edges((key(p), f"group:{group}"), edge)

    manifest = doc.get("manifest", {})
    member_names = set(manifest.get("members", []))
    members = [p for p in packages if p["name"] in member_names or (
        not member_names and p.get("source", {}).get("virtual", p.get("source", {}).get(
            "editable")) == ".")]
    everywhere = space.meaning("")

    def fixpoint(roots: dict) -> dict:
        reach = dict(roots)
        changed = True
        while changed:
            changed = False
            for node, bits in list(reach.items()):
                for target, mask in edges.get(node, []):
                    new = reach.get(target, 0) | (bits & mask)
                    if new != reach.get(target, 0):
                        reach[target] = new
                        changed = True
        result: dict[tuple, int] = {}
        for (package, _), bits in reach.items():
            result[package] = result.get(package, 0) | bits
        return result

    base = {(key(m), None): everywhere for m in members}
    full = dict(base)
    for m in members:
        for extra in m.get("optional-dependencies", {}):
            full[(key(m), f"extra:{extra}")] = everywhere
        for group in m.get("dev-dependencies", {}):
            full[(key(m), f"group:{group}")] = everywhere
    # A virtual root's own groups are requirements in `[manifest]`, not edges.
    root = ((None, None, ()), "root-groups")
    for requirements in manifest.get("dependency-groups", {}).values():
        for requirement in requirements:
            add_edges(root, requirement)
    full[root] = everywhere
    with_all, alone = fixpoint(full), fixpoint(base)
    return {k: (with_all.get(k, 0), alone.get(k, 0))
            for k in set(with_all) | set(alone)
            if k[0] is not None and (with_all.get(k, 0) or alone.get(k, 0))}


def describe_environment(space: MarkerSpace, bits: int) -> str:
    """One environment of a bit set, for messages."""
    index = (bits & -bits).bit_length() - 1
    env = space.envs[index]
    return ", ".join(f"{k}={v}" for k, v in sorted(env.items())
                     if k not in ("python_version", "extra", "group"))


def describe_install(key: tuple, uv: tuple[int, int] | None, ws: tuple[int, int] | None,
                     space: MarkerSpace) -> str:
    """Where the two locks install one package differently, in words."""
    name, version, source = key
    uv, ws = uv or (0, 0), ws or (0, 0)
    label = f"{name} {version} {inline(dict(source))}"
    for mode, index in (("with all extras and groups", 0), ("members alone", 1)):
        if uv[index] != ws[index]:
            only_uv, only_ws = uv[index] & ~ws[index], ws[index] & ~uv[index]
            where = []
            if only_uv:
                where.append(f"only uv installs it in {bin(only_uv).count('1')} environments "
                             f"(e.g. {describe_environment(space, only_uv)})")
            if only_ws:
                where.append(f"only wslock installs it in {bin(only_ws).count('1')} "
                             f"environments (e.g. {describe_environment(space, only_ws)})")
            return f"{label}, {mode}: " + "; ".join(where)
    return label


def text_diff(theirs: str, ours: str, limit: int = 30) -> list[str]:
    """A unified diff of the two texts, cut after `limit` lines."""
    lines = list(difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "uv", "wslock",
                                      lineterm="", n=1))
    return lines[:limit] + ([f"... ({len(lines) - limit} more diff lines)"]
                            if len(lines) > limit else [])
