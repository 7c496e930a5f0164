#!/usr/bin/env bash
# Benchmarks ahq against what people use instead, on synthetic archives built
# by examples/make-archive.rs. Not part of CI (CI asserts no timings).
#
#   benches/run.sh                 1 query x 25 responses, then 200 queries x 25
#   QUERIES=2000 benches/run.sh    the long run: 2,000 queries x 25
#
# Prints, per archive and tool: wall time, peak RSS (/usr/bin/time; for ahq the
# largest of its processes: the command and its reading workers), and the
# ratios to ahq. The peers' packages are pinned in benches/peers/requirements.txt
# and installed into target/bench/venv. Each peer's compilations are checked
# to hold the same content as ahq's (benches/peers/check.py).
set -euo pipefail
usage="usage: [QUERIES=N] benches/run.sh   (no arguments; see the comment at its top)"
case "${1-}" in
    "") ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "benches/run.sh: unknown argument '$1'; $usage" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
B=target/bench
mkdir -p "$B"
cargo build --release --quiet
cargo build --release --quiet --example make-archive --example inflate-floor
if [ ! -x "$B/venv/bin/python" ]; then
    python3 -m venv "$B/venv"
fi
"$B/venv/bin/pip" install --quiet -r benches/peers/requirements.txt
PY="$B/venv/bin/python"

# measure NAME CMD...: runs CMD once, records "NAME wall rss_mb" in $B/results.
measure() {
    local name="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$B/time.txt" "$@" > "$B/last.log" 2>&1 || {
        echo "$name failed:"; cat "$B/last.log"; exit 1;
    }
    read -r wall rss < "$B/time.txt"
    printf '%-34s %8.2f s %8.1f MB\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
    echo "$name $wall $rss" >> "$B/results"
}

run_archive() {
    local queries="$1" responses="$2"
    local arch="$B/archive-$queries-$responses" out="$B/out-$queries-$responses"
    if [ ! -d "$arch" ]; then
        target/release/examples/make-archive --queries "$queries" --responses "$responses" "$arch"
    fi
    rm -rf "$out" "$B/results"
    echo
    echo "== $queries queries x $responses responses ($(du -sh "$arch" | cut -f1), $(find "$arch" -path '*/responses/*' -type f | wc -l) files)"
    # Page cache warm for everyone: read once before timing.
    find "$arch" -path "*/responses/*" -type f -exec cat {} + > /dev/null
    if [ "$queries" -eq 1 ]; then
        measure "ahq" target/release/ahq compile "$arch/q0001" -o "$out/ahq/q0001" --quiet
    else
        measure "ahq" target/release/ahq compile "$arch"/q* -o "$out/ahq" --quiet
    fi
    measure "floor (inflate only)" target/release/examples/inflate-floor "$arch"
    measure "python-calamine + XlsxWriter" "$PY" benches/peers/calamine_xlsxwriter.py "$arch" "$out/calamine"
    measure "pandas + openpyxl" "$PY" benches/peers/pandas_openpyxl.py "$arch" "$out/pandas"
    "$PY" benches/peers/check.py "$out/ahq" "$out/calamine"
    "$PY" benches/peers/check.py "$out/ahq" "$out/pandas"
    awk '
        $1 == "ahq" { ahq = $2 }
        { name[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                split(name[i], f, " ")
                n = split(name[i], w, " ")
                t = w[n - 1]
                label = name[i]; sub(/ [^ ]+ [^ ]+$/, "", label)
                if (label != "ahq") printf "  %-32s %6.1fx ahq'"'"'s time\n", label, t / ahq
            }
        }' "$B/results"
}

run_archive 1 25
run_archive "${QUERIES:-200}" 25
