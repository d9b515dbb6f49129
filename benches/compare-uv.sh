#!/usr/bin/env bash
# Times `wslock plan` against `uv lock` (uv 0.13.8) on generated workspaces, in one run.
#
# Usage:
#   benches/compare-uv.sh [SIZE...]          # default sizes: 10 100 1000 2000 10000
#
# For each size N it generates N members and N externals (`wslock-gen`, seed $SEED), then,
# ROUNDS times, alternating the tools so that machine noise hits them alike:
#   - discovery: `wslock members` and `uv workspace list`;
#   - `wslock plan . --no-index --find-links ../find-links --output FILE`;
#   - `uv lock --offline --no-index --find-links ../find-links` with a warm cache (primed by
#     one untimed run) and with a cold one (a new, empty cache directory each time);
# each under `/usr/bin/time -v` for the wall time and the peak RSS. uv.lock is deleted before
# every uv run, so uv never starts from lock preferences. It reports the medians, the ratios
# (uv's time / wslock's; wslock's RSS / uv's), and whether the two locks agree (`lock-equiv`:
# byte for byte, or installing exactly the same packages everywhere).
#
# uv is installed from PyPI into a throwaway virtual environment (pip install uv==0.13.8);
# nothing else is downloaded. Settings (environment variables):
#   ROUNDS=5          timed rounds per size (sizes >= 2,000: min(ROUNDS, 3))
#   SEED=0            generator seed
#   UV_TIMEOUT=600    seconds before one uv run is abandoned (reported as "> 600 s"); after a
#                     timeout the remaining uv runs of that size are skipped
#   UV_VERSION=0.13.8
#   WORK=DIR          where everything goes (default: a new temporary directory, deleted at
#                     the end unless KEEP=1)
#   PYTHON=python3    the interpreter for the virtual environment
# The table goes to stdout (markdown); progress to stderr.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
ROUNDS=${ROUNDS:-5}
SEED=${SEED:-0}
UV_TIMEOUT=${UV_TIMEOUT:-600}
UV_VERSION=${UV_VERSION:-0.13.8}
PYTHON=${PYTHON:-python3}
if [[ $# -gt 0 ]]; then SIZES=("$@"); else SIZES=(10 100 1000 2000 10000); fi

if [[ -n ${WORK:-} ]]; then
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/wslock-compare.XXXXXX")
    if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
fi
WORK=$(cd "$WORK" && pwd)
log() { echo "compare-uv: $*" >&2; }

# uv's own settings must not leak in from the caller's environment.
for var in $(compgen -e); do
    case $var in UV_TIMEOUT | UV_VERSION) ;; UV_*) unset "$var" ;; esac
done
export UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never

log "installing uv $UV_VERSION into $WORK/uv-venv"
"$PYTHON" -m venv "$WORK/uv-venv"
"$WORK/uv-venv/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
UV="$WORK/uv-venv/bin/uv"
"$UV" --version >&2

log "building wslock, wslock-gen and lock-equiv (release)"
(cd "$REPO" && cargo build --quiet --release -p wslock -p wslock-benches \
    --bin wslock --bin wslock-gen --bin lock-equiv)
mkdir -p "$WORK/bin"
# Copies, so that rebuilding the repository during a long run changes nothing here.
for tool in wslock wslock-gen lock-equiv; do cp "$REPO/target/release/$tool" "$WORK/bin/"; done
WSLOCK="$WORK/bin/wslock"
# `uv-lock WORKSPACE CACHE`: one `uv lock` from the workspace root, without lock preferences.
cat >"$WORK/bin/uv-lock" <<EOF
#!/usr/bin/env bash
set -e
cd "\$1"
rm -f uv.lock
exec "$UV" lock --offline --no-index --find-links ../find-links --python-preference only-system \
    --cache-dir "\$2"
EOF
chmod +x "$WORK/bin/uv-lock"

# run_timed LABEL TIMEOUT CMD... : runs CMD under /usr/bin/time -v; appends "seconds rss_kib"
# to $WORK/times/LABEL; returns 124 on timeout, the command's status otherwise.
run_timed() {
    local label=$1 limit=$2
    shift 2
    local out="$WORK/times/$label.last"
    mkdir -p "$WORK/times"
    local status=0 start end
    # GNU time's wall clock has 10 ms steps; bash's clock has microseconds.
    start=$EPOCHREALTIME
    timeout "$limit" /usr/bin/time -v -o "$out" "$@" >/dev/null 2>"$WORK/times/$label.stderr" ||
        status=$?
    end=$EPOCHREALTIME
    if [[ $status -eq 0 ]]; then
        local rss
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
        echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }') $rss" \
            >>"$WORK/times/$label"
    elif [[ $status -ne 124 ]]; then
        log "$label failed (status $status):"
        tail -5 "$WORK/times/$label.stderr" >&2
    fi
    return $status
}

# median FILE COLUMN
median() {
    [[ -s $1 ]] || { echo ""; return; }
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR] = $1} END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() { # a / b with 2 decimals, empty if either is missing; "> x" when a is a timeout
    [[ -n $1 && -n $2 ]] || { echo ""; return; }
    local bound=""
    if [[ $1 == ">"* ]]; then bound="> "; fi
    awk -v a="${1#> }" -v b="$2" -v p="$bound" 'BEGIN { if (b > 0) printf "%s%.2f", p, a / b }'
}

mib() { [[ -n $1 ]] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || echo ""; }

seconds() { # 3 significant digits
    [[ -n $1 ]] || { echo ""; return; }
    [[ $1 == ">"* ]] && { echo "$1"; return; }
    awk -v s="$1" 'BEGIN { printf (s < 0.1 ? "%.4f" : s < 10 ? "%.3f" : "%.1f"), s }'
}

declare -a ROWS
for size in "${SIZES[@]}"; do
    rounds=$ROUNDS
    if ((size >= 2000 && rounds > 3)); then rounds=3; fi
    inputs="$WORK/inputs/$size"
    log "size $size: generating"
    "$WORK/bin/wslock-gen" --members "$size" --seed "$SEED" --out "$inputs" >/dev/null
    ws="$inputs/workspace"
    wslock_lock="$inputs/wslock.lock"
    rm -rf "$WORK/times" "$WORK/cache-warm"
    uv_gave_up=0

    log "size $size: priming uv's warm cache"
    if ! timeout "$UV_TIMEOUT" "$WORK/bin/uv-lock" "$ws" "$WORK/cache-warm" >/dev/null 2>&1; then
        log "size $size: uv did not finish within ${UV_TIMEOUT}s; uv is skipped at this size"
        uv_gave_up=1
    fi
    for round in $(seq "$rounds"); do
        log "size $size: round $round/$rounds"
        run_timed discover-wslock 600 "$WSLOCK" --root "$inputs" members "$ws" || true
        # From the workspace, with the find-links spelled as uv gets it: a directory given as an
        # absolute path is written absolute, which lock-equiv would count as another source.
        (cd "$ws" && run_timed plan-wslock 600 "$WSLOCK" --root "$inputs" plan . --no-index \
            --find-links ../find-links --output "$wslock_lock") || true
        if ((uv_gave_up)); then continue; fi
        run_timed discover-uv 600 "$UV" workspace list --directory "$ws" --offline || true
        if ! run_timed plan-uv-warm "$UV_TIMEOUT" "$WORK/bin/uv-lock" "$ws" "$WORK/cache-warm"; then
            uv_gave_up=1
            continue
        fi
        cp "$ws/uv.lock" "$inputs/uv.lock"
        cold="$WORK/cache-cold-$round"
        if ! run_timed plan-uv-cold "$UV_TIMEOUT" "$WORK/bin/uv-lock" "$ws" "$cold"; then
            uv_gave_up=1
        fi
        rm -rf "$cold"
    done

    agreement="-"
    if [[ -f $inputs/uv.lock && -f $wslock_lock ]]; then
        agreement=$("$WORK/bin/lock-equiv" "$inputs/uv.lock" "$wslock_lock" | tail -1) ||
            agreement="DIFFERENT: $agreement"
    fi
    t=$WORK/times
    w=$(median "$t/plan-wslock" 1)
    uw=$(median "$t/plan-uv-warm" 1)
    uc=$(median "$t/plan-uv-cold" 1)
    wr=$(median "$t/plan-wslock" 2)
    uwr=$(median "$t/plan-uv-warm" 2)
    dw=$(median "$t/discover-wslock" 1)
    du=$(median "$t/discover-uv" 1)
    [[ -z $uw && $uv_gave_up == 1 ]] && uw="> $UV_TIMEOUT"
    row="| $size | $rounds | $(seconds "$w") | $(seconds "$uw") | $(seconds "$uc") | $(ratio "$uw" "$w") | $(ratio "$uc" "$w")"
    row+=" | $(mib "$wr") | $(mib "$uwr") | $(ratio "$wr" "$uwr") | $(seconds "$dw") | $(seconds "$du") | $(ratio "$du" "$dw") | $agreement |"
    ROWS+=("$row")
    log "size $size: $row"
done

echo "uv: $("$UV" --version); machine: $(nproc) cores, $(uname -sm); seed $SEED; medians of the rounds"
echo
echo "| members | rounds | wslock plan (s) | uv lock warm (s) | uv lock cold (s) | warm / wslock | cold / wslock | wslock RSS (MiB) | uv warm RSS (MiB) | RSS wslock / uv | wslock members (s) | uv workspace list (s) | list / members | locks |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${ROWS[@]}"
