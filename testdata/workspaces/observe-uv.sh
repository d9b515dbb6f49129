#!/usr/bin/env bash
# Record what the real uv does on the workspace fixtures in this directory.
#
# Usage:
#   UV=/path/to/uv ./observe-uv.sh [--update] [FIXTURE...]
#
# For every fixture (default: all listed in START_DIRS below) and every start
# directory listed for it, the script runs, each time in a fresh copy of the
# fixture under a mktemp directory (uv never writes into testdata/):
#   uv workspace list --paths   (workspace-discovery flavour)
#   uv workspace dir            (workspace-discovery flavour: the root)
#   uv lock                     (project-discovery flavour; the lock is written
#                                into the copy, then summarised and deleted)
# always with --offline --no-cache, UV_NO_CONFIG=1 and Python downloads off.
#
# Output is Markdown on stdout, one block per fixture, with the copy's
# absolute path replaced by `<fixture>`. With --update, the blocks are written
# into UV-OBSERVED.md instead, between the lines
#   <!-- observed:begin NAME -->  and  <!-- observed:end NAME -->
# (the hand-written text around them is kept).
#
# Observations were recorded with uv 0.13.8 (x86_64-unknown-linux-gnu) and
# CPython 3.11 as the only interpreter family on PATH; `uv lock` needs some
# interpreter that satisfies the workspace's requires-python.
set -euo pipefail

UV=${UV:-uv}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# fixture: start directories, relative to the fixture directory.
START_DIRS='
albatross-root-workspace: . packages/bird-feeder packages/bird-feeder/src packages/seeds
albatross-virtual-workspace: . packages/albatross packages/albatross/src packages/seeds
albatross-project-in-excluded: . packages/bird-feeder packages/seeds packages/seeds/src
albatross-just-project: . src/albatross
root-with-helpers: . libs libs/helpers-core libs/helpers-io/src
flat-virtual: . pkg-alpha pkg-beta/src scripts
foreign-in-cache: . packages/core cache cache/unpacked/thirdparty-1.0 cache/unpacked/thirdparty-1.0/src vendor/oldlib
nested-member-intermediate: . libs libs/inner libs/inner/src tools tools/helper
members-dot-and-duplicates: . packages/a packages/b/src
exclude-star-crosses: . libs/keep libs/group libs/group/a libs/group/b
hidden-and-files: . packages/visible packages/.hidden-member packages/.hidden-member/src packages/.hidden-scratch
tool-only-start: . packages/lib docs docs/source
members-outside-root: ws ws/src peer peer/src .
dev-groups-extras: . packages/a packages/a/src
member-kinds: . packages/app packages/dir-pkg
error-missing-member-pyproject: . packages/a packages/b
error-missing-project: . packages/a packages/b
error-nested-workspace: . packages/a packages/b
error-duplicate-package: . packages/foo-bar packages/Foo_Bar
error-editable-conflict: . packages/a packages/b
error-invalid-toml: . packages/a packages/b packages/b/src
error-invalid-dev-dependency: . packages/a packages/b
error-invalid-requires-python: . packages/a packages/b
error-invalid-glob: . packages/a
error-unknown-field: . packages/a
error-invalid-package-name: . packages/a packages/b
error-missing-project-version: . packages/a packages/b
error-duplicate-extra: . packages/a packages/b
error-unmanaged: . packages/a packages/b
error-invalid-sources: . packages/a packages/b
error-disjoint-requires-python: . packages/a packages/b
error-intermediate-project-member-source: . libs libs/inner libs/other
error-intermediate-tool-only-member-source: . tools tools/helper tools/other
'

if ! command -v "$UV" >/dev/null; then
  echo "observe-uv.sh: uv binary not found: $UV (set UV=/path/to/uv)" >&2
  exit 1
fi
if [[ $UV == */* ]]; then
  # The commands run from inside the copies, so make a relative path absolute.
  UV="$(cd "$(dirname "$UV")" && pwd)/$(basename "$UV")"
fi
version=$("$UV" --version)
if [[ $version != "uv 0.13.8 "* ]]; then
  echo "observe-uv.sh: warning: recorded with uv 0.13.8, running $version" >&2
fi

update=0
if [[ ${1:-} == --update ]]; then
  update=1
  shift
fi

# Keep the environment from leaking into discovery.
export UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 NO_COLOR=1
unset UV_PROJECT UV_WORKING_DIR UV_WORKING_DIRECTORY UV_CACHE_DIR UV_NO_CACHE \
  UV_CONFIG_FILE UV_INDEX UV_DEFAULT_INDEX UV_INDEX_URL UV_EXTRA_INDEX_URL \
  UV_FIND_LINKS VIRTUAL_ENV UV_OFFLINE UV_FROZEN UV_LOCKED

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
WORK=$(cd "$WORK" && pwd -P)
mkdir -p "$WORK/blocks"

# Replace the copy's path by <fixture>, other temp paths by <tmp>, and drop
# timings and the interpreter path, which vary from machine to machine.
normalize() { # copy_dir
  sed -e "s|$1|<fixture>|g" \
    -e "s|$WORK|<tmp>|g" \
    -e 's|\(Using CPython [0-9.]*\) interpreter at: .*|\1 interpreter at: <python>|' \
    -e 's/ in [0-9.]*[mµn]\{0,1\}s$/ in <t>/'
}

# One table cell: lines joined with <br>, pipes escaped, and "<" outside
# code spans written as "&lt;" (so that <fixture> is not taken for an HTML
# tag); empty shown as (none).
cell() {
  local text
  text=$(awk '
    NF {
      gsub(/\|/, "\\|")
      n = split($0, part, "`")
      line = ""
      for (i = 1; i <= n; i++) {
        if (i % 2) gsub(/</, "\\&lt;", part[i])
        line = line (i > 1 ? "`" : "") part[i]
      }
      printf "%s%s", sep, line
      sep = "<br>"
    }
  ')
  printf '%s' "${text:-(none)}"
}

# The error with its causes (for TOML errors: the message under the source
# snippet), or the warnings, for the table.
key_stderr() {
  awk '
    /^(error|warning|hint): / || /^  cause: / || /^- / { print; next }
    /^         / {
      line = $0
      sub(/^ +/, "", line)
      if (line ~ /^\|/ || line ~ /^[0-9]+ \|/ || line ~ /^[\^ ]+$/) next
      print "  " line
    }
  '
}

# Summarise every uv.lock written into the copy: where, requires-python,
# [manifest] members and each package with its source.
summarize_locks() { # copy_dir
  local lock rel
  while IFS= read -r lock; do
    rel=${lock#"$1"/}
    rel=${rel%uv.lock}
    rel=${rel%/}
    printf 'lock written at `%s` (root `%s`)\n' "${rel:+$rel/}uv.lock" "${rel:-.}"
    awk '
      function unquote(s) { gsub(/"/, "", s); return s }
      /^requires-python = / { rp = $3 }
      /^\[manifest\]/ { in_manifest = 1; next }
      /^\[/ { in_manifest = 0; in_members = 0 }
      in_manifest && /^members = \[/ { in_members = 1; members = "" }
      in_members {
        line = $0; sub(/^members = /, "", line); gsub(/[][ ,]+/, " ", line)
        members = members line
        if ($0 ~ /\]$/) in_members = 0
        next
      }
      /^\[\[package\]\]/ { getline; name = unquote($3) }
      /^source = / && name != "" {
        src = $0; sub(/^source = \{ /, "", src); sub(/ \}$/, "", src); sub(/ = /, " ", src)
        packages = packages sep name " (" unquote(src) ")"; sep = ", "; name = ""
      }
      END {
        print "requires-python " unquote(rp)
        if (members != "") { gsub(/^ +| +$/, "", members); gsub(/"/, "", members); gsub(/ +/, ", ", members); print "[manifest] members: " members }
        else print "[manifest] members: (absent)"
        print "packages: " (packages == "" ? "(none)" : packages)
      }
' "$lock"
  done < <(find "$1" -name uv.lock | LC_ALL=C sort)
  find "$1" -name .venv -prune -print | sed "s|^$1/|created |"
}

# Append each written uv.lock to the raw output, once per distinct content
# within a fixture (later starts refer back to the first one).
show_locks() { # copy_dir start
  local lock rel sum seen
  while IFS= read -r lock; do
    rel=${lock#"$1"/}
    sum=$(normalize "$1" <"$lock" | cksum | cut -d' ' -f1)
    seen=$(awk -v s="$sum" '$1 == s { print $2; exit }' "$WORK/seen")
    if [[ -n $seen ]]; then
      printf '(%s identical to the lock shown for start `%s`)\n' "$rel" "$seen" >>"$WORK/raw"
    else
      printf '%s %s\n' "$sum" "$2" >>"$WORK/seen"
      { printf -- '--- %s\n' "$rel"; normalize "$1" <"$lock"; printf -- '---\n'; } >>"$WORK/raw"
    fi
  done < <(find "$1" -name uv.lock | LC_ALL=C sort)
}

run_one() { # fixture start label -- command...
  local fixture=$1 start=$2 label=$3
  shift 4
  local copy="$WORK/run/$fixture"
  rm -rf "$WORK/run"
  mkdir -p "$WORK/run"
  cp -a "$HERE/$fixture" "$copy"
  local rc=0
  (cd "$copy/$start" && "$UV" "$@") >"$WORK/out" 2>"$WORK/err" || rc=$?
  normalize "$copy" <"$WORK/out" >"$WORK/out.n"
  normalize "$copy" <"$WORK/err" >"$WORK/err.n"
  local key
  if [[ $label == lock ]]; then
    key=$( { summarize_locks "$copy" | normalize "$copy"; key_stderr <"$WORK/err.n"; } | cell)
  else
    key=$( { cat "$WORK/out.n"; key_stderr <"$WORK/err.n"; } | cell)
  fi
  printf '| `uv %s` | %s | %s |\n' "$*" "$rc" "$key" >>"$WORK/table"
  {
    printf '$ cd %s && uv %s   # exit %s\n' "$start" "$*" "$rc"
    if [[ -s $WORK/out.n ]]; then sed 's/^/stdout: /' "$WORK/out.n"; fi
    if [[ -s $WORK/err.n ]]; then sed 's/^/stderr: /' "$WORK/err.n"; fi
  } >>"$WORK/raw"
  if [[ $label == lock ]]; then
    show_locks "$copy" "$start"
  fi
}

observe_fixture() { # fixture start...
  local fixture=$1 start
  shift
  : >"$WORK/seen"
  {
    for start in "$@"; do
      : >"$WORK/table"
      : >"$WORK/raw"
      run_one "$fixture" "$start" list -- workspace list --paths --offline --no-cache
      run_one "$fixture" "$start" dir -- workspace dir --offline --no-cache
      run_one "$fixture" "$start" lock -- lock --offline --no-cache
      printf '\nStart directory `%s`:\n\n' "$start"
      printf '| command | exit | key output |\n| --- | --- | --- |\n'
      cat "$WORK/table"
      printf '\n<details><summary>full output</summary>\n\n```text\n'
      cat "$WORK/raw"
      printf '```\n\n</details>\n'
    done
  } >"$WORK/blocks/$fixture.md"
}

wanted=("$@")
fixtures=()
while IFS= read -r line; do
  [[ -z $line ]] && continue
  fixture=${line%%:*}
  if ((${#wanted[@]})) && [[ " ${wanted[*]} " != *" $fixture "* ]]; then
    continue
  fi
  read -r -a starts <<<"${line#*:}"
  observe_fixture "$fixture" "${starts[@]}"
  fixtures+=("$fixture")
done <<<"$START_DIRS"

if ((update)); then
  target="$HERE/UV-OBSERVED.md"
  awk -v blocks="$WORK/blocks" '
    /^<!-- observed:begin [^ ]+ -->$/ {
      print
      file = blocks "/" $3 ".md"
      if ((getline line < file) > 0) {
        print line
        while ((getline line < file) > 0) print line
        close(file)
        skipping = 1
      }
      next
    }
    /^<!-- observed:end [^ ]+ -->$/ { skipping = 0 }
    !skipping { print }
  ' "$target" >"$WORK/updated"
  cp "$WORK/updated" "$target"
  echo "updated $target: ${fixtures[*]}" >&2
else
  printf '# uv observations (%s)\n' "$version"
  for fixture in "${fixtures[@]}"; do
    printf '\n## %s\n\n<!-- observed:begin %s -->\n' "$fixture" "$fixture"
    cat "$WORK/blocks/$fixture.md"
    printf '<!-- observed:end %s -->\n' "$fixture"
  done
fi
