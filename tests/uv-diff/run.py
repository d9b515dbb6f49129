#!/usr/bin/env python3
"""Differential test of `wslock plan` against `uv lock` (uv 0.13.8).

Every workspace (the plan fixtures of `testdata/plans/`, the member-only fixtures of
`testdata/workspaces/` and seeded random ones from `generator.py`) is copied twice into a
scratch directory, beside a copy of the find-links catalogue `testdata/find-links/`:

    <scratch>/find-links/        the catalogue
    <scratch>/uv/<id>/           uv locks this copy
    <scratch>/wslock/<id>/       wslock plans this copy, then uv checks wslock's lock

so both tools see the registry at the same relative path (`../../find-links`, as in the
fixtures' reference locks). A few fixtures (`ABSOLUTE_FIXTURES`, or every workspace with
`--links both`) are also run with the catalogue given as an absolute path
(`<scratch>/find-links`), for which uv writes `registry = "<scratch>/find-links"` and absolute
file paths, and `uv lock --locked` rejects a lock that spells it relative; those runs are named
`<id>@absolute`. Per workspace the harness compares:

(a) the exit status class: `ok`, `no-solution` or `error`;
(b) when both succeed, what the two `uv.lock` files (read with `tomllib`) install: per package
    (name, version, source), the environments where it is installed, with every member, extra
    and group selected and with the members alone (`locks.installs`; markers are compared by
    meaning, `markers.py`). It also reports whether the documents mean the same (every field,
    markers by meaning) and whether the bytes are identical;
(c) whether `uv lock --locked` accepts wslock's lock as up to date and leaves it untouched.

A disagreement on (a), (b) or (c) fails the run unless `known-differences.txt` lists the
workspace with the reason: a uv bug or a documented departure, never a bug of ours. Locks that
differ while (a), (b) and (c) agree are counted (and shown with `--verbose`); `--strict` makes
any byte difference fail.

Python 3.11+ standard library only. `run.sh` is the entry point: it installs uv 0.13.8 into a
throwaway virtual environment and builds wslock, then calls this script.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

# The harness's own modules sit next to it; importing them must not leave `__pycache__`
# directories in the repository.
sys.dont_write_bytecode = True

from generator import GENERATOR_VERSION, generate  # noqa: E402
from locks import (  # noqa: E402
    canonical, describe_install, installs, space_for, structural_diff, text_diff)

UV_VERSION = "0.13.8"

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIND_LINKS = REPO / "testdata" / "find-links"
PLANS = REPO / "testdata" / "plans"
WORKSPACES = REPO / "testdata" / "workspaces"
KNOWN = HERE / "known-differences.txt"

# Plan fixtures also run with the find-links directory given as an absolute path by default
# (every workspace with `--links both`): they have registry packages, sdists, forks, extras and
# groups, and `environments`.
ABSOLUTE_FIXTURES = ["extras-and-groups", "fork-combined", "fork-python", "sdist-static",
                     "settings-environments"]

# The fixtures of `testdata/workspaces/` that uv 0.13.8 locks (their locks are in
# `testdata/lock/member-only/`), with the directory both tools start from.
MEMBER_ONLY = {
    "albatross-just-project": ".",
    "albatross-project-in-excluded": ".",
    "albatross-root-workspace": ".",
    "albatross-virtual-workspace": ".",
    "dev-groups-extras": ".",
    "exclude-star-crosses": ".",
    "flat-virtual": ".",
    "foreign-in-cache": ".",
    "hidden-and-files": ".",
    "member-kinds": ".",
    "members-dot-and-duplicates": ".",
    "members-outside-root": "ws",
    "nested-member-intermediate": ".",
    "root-with-helpers": ".",
    "tool-only-start": ".",
}


def fail(message: str) -> None:
    """A harness error (not a disagreement): exit status 2."""
    print(f"uv-diff: {message}", file=sys.stderr)
    sys.exit(2)


# --- The workspaces --------------------------------------------------------------------------

@dataclasses.dataclass
class Case:
    ident: str  # `plan:NAME`, `workspace:NAME` or `seed:N`
    description: str
    source: Path | dict[str, str]  # a directory to copy, or files to write
    start: str = "."  # where both tools run, relative to the copy
    absolute_links: bool = False  # `--find-links <scratch>/find-links`, not a relative path

    @property
    def dirname(self) -> str:
        return self.ident.replace(":", "-").replace("@", "-")

    @property
    def option(self) -> str:
        """The run.sh options that run this case alone."""
        kind, name = self.ident.removesuffix("@absolute").split(":", 1)
        links = " --links absolute" if self.absolute_links else ""
        return (f"--seed {name}" if kind == "seed" else f"--fixture {name}") + links

    def with_absolute_links(self) -> Case:
        return dataclasses.replace(self, ident=f"{self.ident}@absolute", absolute_links=True,
                                   description=f"{self.description}, absolute find-links")


def plan_fixtures() -> list[str]:
    return sorted(p.name for p in PLANS.iterdir() if (p / "pyproject.toml").is_file())


def fixture_case(name: str) -> Case:
    name = name.removeprefix("plan:").removeprefix("workspace:")
    if (PLANS / name / "pyproject.toml").is_file():
        return Case(f"plan:{name}", "plan fixture", PLANS / name)
    if name in MEMBER_ONLY:
        return Case(f"workspace:{name}", "member-only fixture", WORKSPACES / name,
                    MEMBER_ONLY[name])
    fail(f"no fixture {name!r} (plan fixtures: {', '.join(plan_fixtures())}; member-only "
         f"fixtures: {', '.join(MEMBER_ONLY)})")
    raise AssertionError


def seed_case(seed: int) -> Case:
    files, description = generate(seed)
    return Case(f"seed:{seed}", description, files)


def materialise(case: Case, target: Path) -> Path:
    """Writes the case's files under `target`; returns the directory to run the tools in."""
    if target.exists():
        shutil.rmtree(target)
    if isinstance(case.source, Path):
        shutil.copytree(case.source, target, symlinks=True,
                        ignore=shutil.ignore_patterns("uv.lock", "uv-error.txt", ".venv"))
    else:
        for rel, text in case.source.items():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_text(text)
    return target / case.start


# --- Running the two tools -------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    status: str  # "ok", "no-solution" or "error"
    code: int
    stderr: str
    lock: str | None


def clean_env(scratch: Path) -> dict[str, str]:
    """The environment both tools run in. Not `UV_NO_CONFIG`: it would also hide the
    workspace's own `[tool.uv]` settings (resolution, prerelease, environments), which wslock
    honours; an empty HOME and XDG directories keep user and system configuration out instead
    (as `testdata/plans/relock-with-uv.sh` does for the `settings-*` cases)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UV_", "XDG_", "WSLOCK_"))
           and k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    home = scratch / "home"
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config-dirs").mkdir(parents=True, exist_ok=True)
    env.update(UV_PYTHON_DOWNLOADS="never", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CONFIG_DIRS=str(home / "config-dirs"),
               WSLOCK_ROOTS=str(scratch))
    return env


def uv_args(uv: str, python: str, links: str, locked: bool) -> list[str]:
    # `--python`: the interpreter running this script (3.11+), so that uv never depends on
    # which Pythons the machine has; uv lock needs one inside `requires-python`, and the
    # generator keeps every lower bound at or under 3.11.
    return [uv, "lock", *(["--locked"] if locked else []), "--offline", "--no-cache",
            "--no-index", "--find-links", links, "--python-preference", "only-system",
            "--python", python]


def wslock_args(wslock: str, links: str) -> list[str]:
    return [wslock, "plan", ".", "--no-index", "--find-links", links, "--output", "uv.lock"]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        fail(f"could not run {' '.join(args)} in {cwd}: {error}")
        raise AssertionError


def run_uv(uv: str, python: str, links: str, cwd: Path, env: dict[str, str]) -> Outcome:
    done = run(uv_args(uv, python, links, False), cwd, env)
    if done.returncode == 0:
        return Outcome("ok", 0, done.stderr, (cwd / "uv.lock").read_text())
    # uv exits 1 for every failure; its first error line tells them apart (a build failure
    # can mention "No solution found" further down, for the build requirements).
    first = next((line for line in done.stderr.splitlines() if line.startswith("error:")), "")
    status = "no-solution" if first.startswith("error: No solution found") else "error"
    return Outcome(status, done.returncode, done.stderr, None)


def run_wslock(wslock: str, links: str, cwd: Path, env: dict[str, str]) -> Outcome:
    done = run(wslock_args(wslock, links), cwd, env)
    lock = cwd / "uv.lock"
    # wslock: 0 planned, 1 no solution, 2 bad input.
    status = {0: "ok", 1: "no-solution"}.get(done.returncode, "error")
    return Outcome(status, done.returncode, done.stderr,
                   lock.read_text() if done.returncode == 0 and lock.is_file() else None)


# --- Comparing -------------------------------------------------------------------------------

@dataclasses.dataclass
class Result:
    case: Case
    uv: Outcome
    ws: Outcome
    links: str  # the find-links path both tools were given
    problems: list[str] = dataclasses.field(default_factory=list)  # (a), (b), (c)
    notes: list[str] = dataclasses.field(default_factory=list)
    same_document: bool = False
    byte_identical: bool = False
    locked: bool | None = None  # None when wslock wrote no lock

    @property
    def both_ok(self) -> bool:
        return self.uv.status == "ok" == self.ws.status


def first_lines(stderr: str, count: int) -> list[str]:
    return [line for line in stderr.splitlines()
            if line.strip() and not line.startswith("Using CPython")][:count]


def compare(case: Case, scratch: Path, wslock: str, uv: str, python: str,
            env: dict[str, str]) -> Result:
    uv_dir = materialise(case, scratch / "uv" / case.dirname)
    ws_dir = materialise(case, scratch / "wslock" / case.dirname)
    links = (str(scratch / "find-links") if case.absolute_links
             else os.path.relpath(scratch / "find-links", uv_dir))
    result = Result(case, run_uv(uv, python, links, uv_dir, env),
                    run_wslock(wslock, links, ws_dir, env), links)
    theirs, ours = result.uv, result.ws

    # (a) the exit status class.
    if theirs.status != ours.status:
        result.problems.append(f"(a) uv: {theirs.status}, wslock: {ours.status}")
        result.notes += [f"uv:     {line}" for line in first_lines(theirs.stderr, 3)]
        result.notes += [f"wslock: {line}" for line in first_lines(ours.stderr, 3)]

    # (b) what the locks install, then what they say.
    elif result.both_ok:
        uv_doc, ws_doc = tomllib.loads(theirs.lock), tomllib.loads(ours.lock)
        space = space_for(uv_doc, ws_doc)
        uv_installs, ws_installs = installs(uv_doc, space), installs(ws_doc, space)
        if uv_installs != ws_installs:
            result.problems.append("(b) the locks install different packages")
            result.notes += [
                describe_install(key, uv_installs.get(key), ws_installs.get(key), space)
                for key in sorted(set(uv_installs) | set(ws_installs), key=repr)
                if uv_installs.get(key) != ws_installs.get(key)
            ]
        result.same_document = canonical(uv_doc, space) == canonical(ws_doc, space)
        result.byte_identical = theirs.lock == ours.lock
        if result.same_document and not result.byte_identical:
            result.notes.append("bytes differ, meaning is the same:")
            result.notes += ["  " + line for line in text_diff(theirs.lock, ours.lock)]
        elif not result.same_document:
            result.notes.append("the documents differ (what only one lock says):")
            result.notes += ["  " + line for line in structural_diff(uv_doc, ws_doc, space)]

    # (c) uv's verdict on wslock's lock.
    if ours.status == "ok":
        if ours.lock is None:
            result.problems.append("(c) wslock exited 0 but wrote no uv.lock")
            result.locked = False
        else:
            done = run(uv_args(uv, python, links, True), ws_dir, env)
            after = (ws_dir / "uv.lock").read_text()
            result.locked = done.returncode == 0 and after == ours.lock
            if not result.locked:
                result.problems.append("(c) `uv lock --locked` rejects wslock's lock")
                result.notes += [f"uv --locked: {line}"
                                 for line in first_lines(done.stderr, 6)]
                if after != ours.lock:
                    result.notes.append("uv --locked rewrote the lock")
    return result


# --- Reporting -------------------------------------------------------------------------------

def read_known() -> dict[str, str]:
    """`known-differences.txt`: one `<id> <reason>` a line (`seed:17 ...`, `plan:NAME ...`)."""
    known = {}
    if KNOWN.is_file():
        for line in KNOWN.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                ident, _, reason = line.partition(" ")
                if not reason.strip():
                    fail(f"{KNOWN.name}: `{ident}` has no reason; every entry says why")
                known[ident] = reason.strip()
    return known


def check_uv(uv: str) -> None:
    try:
        version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout
    except OSError as error:
        fail(f"cannot run uv at {uv}: {error}")
        return
    if version.split()[:2] != ["uv", UV_VERSION]:
        fail(f"{uv} is {version.strip() or 'not uv'}; this harness compares with "
             f"uv {UV_VERSION} only")


def verdict_line(result: Result, known: dict[str, str]) -> str:
    verdict = ("KNOWN" if result.case.ident in known else "DISAGREE") if result.problems \
        else "agree"
    flags = []
    if result.both_ok:
        flags.append("bytes=identical" if result.byte_identical else
                     "bytes=same-meaning" if result.same_document else "bytes=DIFFER")
    if result.locked is not None:
        flags.append("locked=accepted" if result.locked else "locked=REJECTED")
    if result.both_ok:
        lock = tomllib.loads(result.uv.lock)
        shape = (f"{len(lock.get('package', []))} packages, "
                 f"{len(lock.get('resolution-markers', []))} forks")
    else:
        shape = f"uv: {result.uv.status}, wslock: {result.ws.status}"
    return (f"{verdict:8} {result.case.ident:39} {' '.join(flags):34} {shape}"
            f"  [{result.case.description}]")


def reproduction(result: Result) -> list[str]:
    case = result.case
    start = "" if case.start == "." else f"/{case.start}"
    return [
        f"  {case.ident}: {'; '.join(result.problems) or 'the locks differ (--strict)'}",
        f"    tests/uv-diff/run.sh {case.option} --keep /tmp/uv-diff-repro",
        f"    (cd /tmp/uv-diff-repro/uv/{case.dirname}{start} && "
        f"uv lock --offline --no-cache --no-index --find-links {result.links})",
        f"    (cd /tmp/uv-diff-repro/wslock/{case.dirname}{start} && "
        f"wslock plan . --no-index --find-links {result.links} --output uv.lock && "
        f"uv lock --locked --offline --no-cache --no-index --find-links {result.links})",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Compare `wslock plan` with `uv lock` (uv 0.13.8) on fixtures and seeded "
                    "random workspaces (docs/uv-compatibility.md).")
    parser.add_argument("--wslock", help="the wslock binary")
    parser.add_argument("--uv", help=f"the uv {UV_VERSION} binary")
    parser.add_argument("--seeds", type=int, default=40, metavar="N",
                        help="random workspaces: seeds FIRST..FIRST+N-1 (default 40)")
    parser.add_argument("--first-seed", type=int, default=1, metavar="FIRST")
    parser.add_argument("--seed", type=int, action="append", default=[],
                        help="only this seed (repeatable; combines with --fixture)")
    parser.add_argument("--fixture", action="append", default=[], metavar="NAME",
                        help="only this fixture, of testdata/plans or testdata/workspaces "
                             "(repeatable; combines with --seed)")
    parser.add_argument("--no-fixtures", action="store_true", help="random workspaces only")
    parser.add_argument("--links", choices=["default", "relative", "absolute", "both"],
                        default="default",
                        help="how the find-links directory is given: relative to the start "
                             "directory, as an absolute path, or both ways; default: relative, "
                             "and also absolute for the fixtures "
                             + ", ".join(ABSOLUTE_FIXTURES))
    parser.add_argument("--keep", metavar="DIR",
                        help="write the scratch tree here and keep it (default: a temporary "
                             "directory, removed at the end)")
    parser.add_argument("--show", type=int, metavar="SEED",
                        help="print the files of one random workspace and exit")
    parser.add_argument("--strict", action="store_true",
                        help="also fail when both succeed but the bytes of the locks differ")
    parser.add_argument("--verbose", action="store_true",
                        help="print the differences of agreeing workspaces too")
    args = parser.parse_args()

    if args.show is not None:
        files, description = generate(args.show)
        print(f"# seed {args.show} (generator {GENERATOR_VERSION}): {description}")
        for rel, text in sorted(files.items()):
            print(f"\n# --- {rel}\n{text}", end="")
        return 0
    if not args.wslock or not args.uv:
        fail("--wslock and --uv are required (run.sh passes both)")
    check_uv(args.uv)
    wslock = str(Path(args.wslock).resolve())
    if not os.access(wslock, os.X_OK):
        fail(f"no wslock binary at {wslock}")

    if args.seed or args.fixture:
        cases = [fixture_case(name) for name in args.fixture]
        cases += [seed_case(seed) for seed in args.seed]
    else:
        cases = [] if args.no_fixtures else (
            [fixture_case(name) for name in plan_fixtures()]
            + [fixture_case(name) for name in MEMBER_ONLY])
        cases += [seed_case(seed) for seed in range(args.first_seed,
                                                    args.first_seed + args.seeds)]
    if args.links == "absolute":
        cases = [case.with_absolute_links() for case in cases]
    elif args.links == "both":
        cases = [spelled for case in cases for spelled in (case, case.with_absolute_links())]
    elif args.links == "default":
        cases += [case.with_absolute_links() for case in cases
                  if case.ident.removeprefix("plan:") in ABSOLUTE_FIXTURES]

    if args.keep:
        scratch = Path(args.keep).resolve()
        scratch.mkdir(parents=True, exist_ok=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="uv-diff-"))
    shutil.copytree(FIND_LINKS, scratch / "find-links", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.py", "*.md"))
    env = clean_env(scratch)
    known = read_known()
    # A workspace run with an absolute find-links inherits the entry of its relative run
    # unless listed itself; the spelling of the registry changes nothing else.
    inherited = {case.ident for case in cases if case.absolute_links
                 and case.ident not in known and case.ident.removesuffix("@absolute") in known}
    for ident in inherited:
        known[ident] = known[ident.removesuffix("@absolute")]

    print(f"uv-diff: uv {UV_VERSION} against {wslock}; generator {GENERATOR_VERSION}; "
          f"{len(cases)} workspaces", flush=True)
    started = time.monotonic()
    results: list[Result] = []
    for case in cases:
        result = compare(case, scratch, wslock, args.uv, sys.executable, env)
        results.append(result)
        print(verdict_line(result, known), flush=True)
        show = result.problems or args.verbose or (
            args.strict and result.both_ok and not result.byte_identical)
        for line in (result.problems + result.notes) if show else []:
            print(f"           {line}")
        if result.problems and case.ident in known:
            print(f"           allow-listed: {known[case.ident]}")

    disagreements = [r for r in results if r.problems]
    failing = [r for r in disagreements if r.case.ident not in known]
    if args.strict:
        failing += [r for r in results if not r.problems and r.both_ok and not r.byte_identical]
    stale = [r.case.ident for r in results
             if r.case.ident in known and r.case.ident not in inherited and not r.problems]
    print()
    print(f"{len(results)} tried, {len(results) - len(disagreements)} agreed, "
          f"{sum(r.byte_identical for r in results)} byte-identical, "
          f"{sum(bool(r.locked) for r in results)} accepted by uv --locked")
    print(f"  {sum(r.both_ok for r in results)} solved by both "
          f"({sum(r.same_document for r in results)} meaning the same, "
          f"{sum(r.both_ok and not r.same_document for r in results)} saying something else), "
          f"{sum(r.uv.status == r.ws.status != 'ok' for r in results)} failing in both alike, "
          f"{sum(r.locked is not None for r in results)} locks written by wslock, "
          f"{len(disagreements) - len([r for r in disagreements if r.case.ident not in known])}"
          f" allow-listed; {time.monotonic() - started:.0f}s")
    if failing:
        print("\ndisagreements, with the commands that reproduce them (uv and wslock on PATH):")
        for result in failing:
            print("\n".join(reproduction(result)))
    if stale:
        print(f"\nlisted in {KNOWN.relative_to(REPO)} but agreeing now, remove: "
              + ", ".join(stale))
    if args.keep:
        print(f"\nscratch tree kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failing or stale else 0


if __name__ == "__main__":
    sys.exit(main())
