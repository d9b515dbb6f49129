"""PEP 508 markers compared by meaning, with uv 0.13.8's view of platforms.

Two tools may spell one marker differently (`a or b` and `b or a`; `python_version < '0'` for
never). `MarkerSpace` gives each marker a meaning: its truth table over a grid of environments
built from every constant the compared locks mention (each Python version named, and just
under and over it; every platform value named, and one that none names), restricted to the
lock's `requires-python` and `supported-markers`. Two markers mean the same when their tables
are equal.

The grid follows what uv 0.13.8 knows about platforms: `platform_system` is an alias of
`sys_platform` ('Windows' is 'win32', 'Darwin' is 'darwin', 'Linux' is 'linux'), Windows is
`os_name == 'nt'` and Linux and macOS are `os_name == 'posix'` (uv writes
`os_name == 'nt' and sys_platform == 'linux'` as never true); any other platform may have any
`os_name`. So markers that differ only in environments that cannot exist mean the same.
"""

from __future__ import annotations

import itertools
import re

MARKER_TOKEN = re.compile(
    r"""\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b"""
    r"|[A-Za-z_][A-Za-z0-9_.]*)"
)
VERSION_VARS = {"python_version", "python_full_version", "implementation_version",
                "platform_release"}
PLATFORMS = [("win32", "Windows"), ("linux", "Linux"), ("darwin", "Darwin")]
OTHER = "<other>"


def tokenize(text: str) -> list[str]:
    tokens, at = [], 0
    text = text.strip()
    while at < len(text):
        match = MARKER_TOKEN.match(text, at)
        if not match:
            raise ValueError(f"cannot parse marker {text!r} at {at}")
        tokens.append(match.group(1))
        at = match.end()
        while at < len(text) and text[at].isspace():
            at += 1
    return tokens


def parse_marker(text: str):
    """A marker as a tree: ("or", [..]), ("and", [..]) or ("cmp", left, op, right), where a
    side is ("var", name) or ("str", value)."""
    tokens = tokenize(text)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def side(token):
        if token[0] in "'\"":
            return ("str", token[1:-1])
        return ("var", token)

    def parse_or():
        items = [parse_and()]
        while peek() == "or":
            take()
            items.append(parse_and())
        return items[0] if len(items) == 1 else ("or", items)

    def parse_and():
        items = [parse_atom()]
        while peek() == "and":
            take()
            items.append(parse_atom())
        return items[0] if len(items) == 1 else ("and", items)

    def parse_atom():
        if peek() == "(":
            take()
            inner = parse_or()
            if take() != ")":
                raise ValueError(f"unbalanced marker {text!r}")
            return inner
        left = side(take())
        op = re.sub(r"\s+", " ", take())
        return ("cmp", left, op, side(take()))

    tree = parse_or()
    if pos != len(tokens):
        raise ValueError(f"trailing tokens in marker {text!r}")
    return tree


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def compare_versions(value: tuple[int, ...], op: str, spec: str) -> bool:
    """PEP 440 comparison of release numbers (all the grid needs: no pre-releases)."""
    if op in ("==", "!=") and spec.endswith(".*"):
        prefix = version_tuple(spec[:-2])
        padded = value + (0,) * max(0, len(prefix) - len(value))
        return (padded[: len(prefix)] == prefix) == (op == "==")
    other = version_tuple(spec)
    width = max(len(value), len(other))
    a = value + (0,) * (width - len(value))
    b = other + (0,) * (width - len(other))
    if op == "~=":
        return a >= b and a[: len(other) - 1] == other[:-1]
    return {"==": a == b, "===": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b,
            ">=": a >= b}[op]


def evaluate(tree, env: dict) -> bool:
    """Whether a parsed marker holds in `env` (a variable it lacks has a value no marker
    names)."""
    kind = tree[0]
    if kind == "or":
        return any(evaluate(item, env) for item in tree[1])
    if kind == "and":
        return all(evaluate(item, env) for item in tree[1])
    _, left, op, right = tree
    name = left[1] if left[0] == "var" else right[1] if right[0] == "var" else None
    lhs = env.get(left[1], OTHER) if left[0] == "var" else left[1]
    rhs = env.get(right[1], OTHER) if right[0] == "var" else right[1]
    if op == "in":
        return lhs in rhs
    if op == "not in":
        return lhs not in rhs
    if name in VERSION_VARS and left[0] == "var" and right[0] == "str":
        return compare_versions(version_tuple(lhs), op, rhs)
    if name in VERSION_VARS and right[0] == "var" and left[0] == "str":
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        return compare_versions(version_tuple(rhs), flipped, lhs)
    return {"==": lhs == rhs, "===": lhs == rhs, "!=": lhs != rhs, "<": lhs < rhs,
            "<=": lhs <= rhs, ">": lhs > rhs, ">=": lhs >= rhs, "~=": lhs == rhs}[op]


class MarkerSpace:
    """The environments `markers` are compared over (see the module's documentation), within
    `requires_python` (`">=3.10, <4"`) and the union of `supported` markers."""

    def __init__(self, markers: set[str], requires_python: str = "",
                 supported: list[str] | None = None):
        self.trees = {m: parse_marker(m) for m in markers if m}
        constants: dict[str, set[str]] = {}

        def collect(tree):
            if tree[0] in ("or", "and"):
                for item in tree[1]:
                    collect(item)
                return
            _, left, _, right = tree
            if left[0] == "var" and right[0] == "str":
                constants.setdefault(left[1], set()).add(right[1])
            if right[0] == "var" and left[0] == "str":
                constants.setdefault(right[1], set()).add(left[1])
            for part in (left, right):
                if part[0] == "var":
                    constants.setdefault(part[1], set())

        for tree in self.trees.values():
            collect(tree)
        pythons = {(3, 11, 0)}
        for name in ("python_version", "python_full_version"):
            for value in constants.pop(name, set()):
                base = version_tuple(value.removesuffix(".*")) + (0, 0, 0)
                base = base[:3]
                pythons |= {base, (base[0], base[1], base[2] + 1),
                            (base[0], base[1] - 1, 999) if base[2] == 0 else
                            (base[0], base[1], base[2] - 1),
                            (base[0], base[1] + 1, 0)}
        # Only Pythons the workspace supports: markers that differ below requires-python
        # mean the same (uv simplifies markers against it).
        bounds = [b.strip() for b in requires_python.split(",") if b.strip()]
        pythons = {v for v in pythons if min(v) >= 0 and all(
            compare_versions(v, re.match(r"[<>=!~]+", b).group(0), b.lstrip("<>=!~ "))
            for b in bounds)} or {(3, 11, 0)}
        # (sys_platform, platform_system, os_name): uv 0.13.8 treats `platform_system` as an
        # alias of `sys_platform` and knows that Windows is `nt` and Linux and macOS `posix`
        # (it writes `os_name == 'nt' and sys_platform == 'linux'` as never true); any other
        # platform may have any `os_name`.
        oses = {"nt", "posix", OTHER} | constants.pop("os_name", set())
        named = {p for pair in PLATFORMS for p in pair}
        platforms = [("win32", "Windows", "nt"), ("linux", "Linux", "posix"),
                     ("darwin", "Darwin", "posix")]
        others = [(OTHER, OTHER)]
        others += [(v, OTHER) for v in sorted(constants.pop("sys_platform", set()) - named)]
        others += [(OTHER, v) for v in sorted(constants.pop("platform_system", set()) - named)]
        platforms += [(s, p, o) for s, p in others for o in sorted(oses)]
        axes = [[{"python_full_version": ".".join(map(str, v)),
                  "python_version": f"{v[0]}.{v[1]}"} for v in sorted(pythons)],
                [{"sys_platform": s, "platform_system": p, "os_name": o}
                 for s, p, o in platforms]]
        for name, values in sorted(constants.items()):
            axes.append([{name: value} for value in sorted(values) + [OTHER]])
        self.envs = []
        # Only environments the lock supports (`tool.uv.environments`, written as
        # `supported-markers`).
        limits = [parse_marker(m) for m in supported or []]
        for combo in itertools.product(*axes):
            env: dict[str, str] = {}
            for part in combo:
                env.update(part)
            if not limits or any(evaluate(tree, env) for tree in limits):
                self.envs.append(env)
        self.cache: dict[str, int] = {}

    def meaning(self, marker: str) -> int:
        """The marker's truth table over the grid, as a bit set (all ones for no marker)."""
        if marker not in self.cache:
            if not marker:
                self.cache[marker] = (1 << len(self.envs)) - 1
            else:
                tree = self.trees.get(marker) or parse_marker(marker)
                bits = 0
                for index, env in enumerate(self.envs):
                    if evaluate(tree, env):
                        bits |= 1 << index
                self.cache[marker] = bits
        return self.cache[marker]
