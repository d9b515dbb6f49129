#!/usr/bin/env bash
# Regenerate the uv reference output of every plan fixture in this directory.
#
# Usage:
#   UV=/path/to/uv ./relock-with-uv.sh [CASE...]
#
# For every solvable case (default: all in SOLVABLE below) the script deletes
# the old uv.lock (so uv starts without lock preferences), runs, from the case
# directory itself so the lock records `registry = "../../find-links"`,
#
#   UV_NO_CONFIG=1 $UV lock --offline --no-cache --no-index \
#       --find-links ../../find-links --python-preference only-system
#
# keeps the uv.lock uv writes, and deletes any .venv. The cases in SOURCES_IN_PYPROJECT
# configure their source in pyproject.toml and are locked without the two source flags. For every unsolvable
# case (UNSOLVABLE below) it runs the same command, requires it to fail, and
# writes uv's stderr to uv-error.txt with the case directory's absolute path
# replaced by `<root>` and the "Using CPython ... interpreter at: ..." line
# (machine-specific) removed; no uv.lock is kept.
#
# The cases in ABSOLUTE below are also locked with the find-links directory given as an
# absolute path (`--find-links /.../testdata/find-links`), for which uv writes
# `registry = "/.../testdata/find-links"` and absolute file paths; that lock is kept as
# `uv-absolute-find-links.lock`, with the directory's absolute path replaced by
# `<find-links>`, and the relative `uv.lock` is left as it was.
#
# Every UV_* environment variable other than UV_NO_CONFIG is cleared so that
# the caller's uv settings cannot leak into the fixtures. The references were
# recorded with uv 0.13.8 (x86_64-unknown-linux-gnu) and CPython 3.11 as the
# only interpreter family on the machine; uv does not download Pythons here.
set -euo pipefail

UV=${UV:-uv}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SOLVABLE=(
    simple
    diamond
    extras-and-groups
    fork-platform
    fork-python
    fork-combined
    settings-environments
    settings-find-links
    settings-lowest-direct
    settings-no-build
    settings-prerelease-allow
    python-split
    prerelease
    constraints-overrides
    root-sources-markers
    platform-system-alias
    sdist-static
)
ABSOLUTE=(
    extras-and-groups
    fork-combined
    fork-python
    sdist-static
    settings-environments
)
# Cases whose root pyproject.toml configures the package source (`[tool.uv] find-links`):
# locked with no `--no-index`/`--find-links` flag, so the lock comes from that setting alone.
SOURCES_IN_PYPROJECT=(
    settings-find-links
)
UNSOLVABLE=(
    conflict-members
    conflict-python
    missing-package
    needs-build
    prerelease-not-allowed
    settings-no-binary
)

for var in $(compgen -e); do
    case $var in
        UV) ;;
        UV_*) unset "$var" ;;
    esac
done
export UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never

# `UV_NO_CONFIG` also makes uv skip the `[tool.uv]` settings of pyproject.toml (resolution,
# prerelease, ...), so the `settings-*` cases run without it, with an empty HOME and
# XDG_CONFIG_HOME so that no user or system configuration can reach uv either.
# uv_lock [FIND-LINKS]: `../../find-links` unless another spelling is given.
uv_lock() {
    local links=${1:-../../find-links}
    local sources=(--no-index --find-links "$links")
    if is_in "$(basename "$PWD")" "${SOURCES_IN_PYPROJECT[@]}"; then
        sources=()
    fi
    if [[ $(basename "$PWD") == settings-* ]]; then
        local empty
        empty=$(mktemp -d)
        env -u UV_NO_CONFIG HOME="$empty" XDG_CONFIG_HOME="$empty/config" \
            "$UV" lock --offline --no-cache "${sources[@]}" \
            --python-preference only-system
        local status=$?
        rm -rf "$empty"
        return $status
    fi
    "$UV" lock --offline --no-cache "${sources[@]}" --python-preference only-system
}

is_in() {
    local needle=$1
    shift
    local item
    for item in "$@"; do
        [[ $item == "$needle" ]] && return 0
    done
    return 1
}

if [[ $# -gt 0 ]]; then
    CASES=("$@")
else
    CASES=("${SOLVABLE[@]}" "${UNSOLVABLE[@]}")
fi

"$UV" --version >&2
status=0
for case in "${CASES[@]}"; do
    dir="$HERE/$case"
    if [[ ! -f $dir/pyproject.toml ]]; then
        echo "unknown case: $case" >&2
        status=1
        continue
    fi
    rm -f "$dir/uv.lock" "$dir/uv-error.txt"
    if is_in "$case" "${SOLVABLE[@]}"; then
        if (cd "$dir" && uv_lock 2>"$dir/.uv-stderr"); then
            echo "$case: $(grep -c '^\[\[package\]\]' "$dir/uv.lock") packages" >&2
        else
            echo "$case: uv lock FAILED:" >&2
            cat "$dir/.uv-stderr" >&2
            status=1
        fi
        rm -f "$dir/.uv-stderr" "$dir/uv-absolute-find-links.lock"
        if is_in "$case" "${ABSOLUTE[@]}"; then
            # Locked from scratch too, with the relative lock set aside meanwhile.
            links="$(cd "$HERE/.." && pwd)/find-links"
            mv "$dir/uv.lock" "$dir/.uv-relative.lock"
            if (cd "$dir" && uv_lock "$links" 2>"$dir/.uv-stderr"); then
                sed -e "s|$links|<find-links>|g" "$dir/uv.lock" >"$dir/uv-absolute-find-links.lock"
                echo "$case: also locked with --find-links $links" >&2
            else
                echo "$case: uv lock with an absolute find-links FAILED:" >&2
                cat "$dir/.uv-stderr" >&2
                status=1
            fi
            mv "$dir/.uv-relative.lock" "$dir/uv.lock"
            rm -f "$dir/.uv-stderr"
        fi
    elif is_in "$case" "${UNSOLVABLE[@]}"; then
        if (cd "$dir" && uv_lock 2>"$dir/.uv-stderr"); then
            echo "$case: uv lock unexpectedly succeeded" >&2
            rm -f "$dir/uv.lock"
            status=1
        else
            grep -v '^Using CPython .* interpreter at: ' "$dir/.uv-stderr" |
                sed -e "s|$dir|<root>|g" >"$dir/uv-error.txt"
            echo "$case: failed as expected ($(wc -l <"$dir/uv-error.txt") lines)" >&2
        fi
        rm -f "$dir/.uv-stderr" "$dir/uv.lock"
    else
        echo "case $case is in neither SOLVABLE nor UNSOLVABLE" >&2
        status=1
    fi
    rm -rf "$dir/.venv"
done
exit $status
