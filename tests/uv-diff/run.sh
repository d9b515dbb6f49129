#!/usr/bin/env bash
# Differential test of `wslock plan` against uv 0.13.8 (see run.py and docs/uv-compatibility.md).
#
# Usage:
#   tests/uv-diff/run.sh                      # the plan fixtures and random seeds 1..40
#   tests/uv-diff/run.sh --seeds 100          # more random workspaces
#   tests/uv-diff/run.sh --seed 17 --keep /tmp/uv-diff-17   # one seed, files kept
#   tests/uv-diff/run.sh --links both         # also give every workspace an absolute find-links
#   tests/uv-diff/run.sh --help               # every option of run.py
#
# It installs uv 0.13.8 from the Python package index into a throwaway virtual environment
# (never a uv found on the machine), builds wslock (`cargo build -p wslock`, the debug build
# `cargo test` already made, so this is quick after the tests) unless WSLOCK names a binary,
# and runs run.py. Exit status: 0 when every workspace agrees (or differs only as listed in
# known-differences.txt), 1 on a disagreement, 3 when uv cannot be installed (the comparison
# did not run: that is a failure, never a pass), 2 on other errors.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
UV_VERSION=0.13.8
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "uv-diff: needs Python 3.11 or newer (tomllib) as \`$PYTHON\` (set PYTHON)" >&2
    exit 2
fi

venv=$(mktemp -d "${TMPDIR:-/tmp}/uv-diff-venv.XXXXXX")
trap 'rm -rf "$venv"' EXIT

echo "uv-diff: installing uv $UV_VERSION with pip into a throwaway virtual environment" >&2
if ! "$PYTHON" -m venv "$venv" >&2 ||
    ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "uv==$UV_VERSION" >&2 ||
    [[ ! -x $venv/bin/uv ]]; then
    cat >&2 <<EOF
uv-diff: FAILED: could not install uv $UV_VERSION from the Python package index
(\`$PYTHON -m venv\`, then \`pip install uv==$UV_VERSION\`; pip's output is above).
Nothing was compared, so this run fails. Check network access to the index (or pip's
configuration: PIP_INDEX_URL, PIP_FIND_LINKS), then run tests/uv-diff/run.sh again.
EOF
    exit 3
fi

if [[ -n ${WSLOCK:-} ]]; then
    wslock=$WSLOCK
else
    echo "uv-diff: building wslock (cargo build -p wslock)" >&2
    (cd "$REPO" && cargo build --quiet --locked -p wslock)
    wslock=${CARGO_TARGET_DIR:-$REPO/target}/debug/wslock
fi

# Not `exec`: the trap removes the virtual environment when run.py is done.
status=0
"$PYTHON" "$HERE/run.py" --wslock "$wslock" --uv "$venv/bin/uv" "$@" || status=$?
exit $status
