#!/usr/bin/env bash
# Benchmarks the archive index (part 15) on a synthetic archive built by
# examples/make-archive.rs and compiled by ahq. Not part of CI (CI asserts no
# timings). Prints the figures BENCHMARKS.md records.
#
#   benches/index.sh               2,000 queries x 25 responses
#   QUERIES=200 benches/index.sh   a shorter run
set -euo pipefail
cd "$(dirname "$0")/.."
Q="${QUERIES:-2000}"
B=target/bench/index-$Q
cargo build --release --quiet
cargo build --release --quiet --example make-archive
AHQ=target/release/ahq
if [ ! -f "$B/.compiled" ]; then
    rm -rf "$B"
    mkdir -p "$B"
    target/release/examples/make-archive --queries "$Q" --responses 25 "$B/archive" > /dev/null
    "$AHQ" compile "$B"/archive/q* --quiet --skip-invalid
    touch "$B/.compiled"
fi
rm -f "$B/index.sqlite"
t() { /usr/bin/time -f "%e s, %M KB peak" "$@"; }
echo "index, first time:"; t "$AHQ" index "$B/archive" --db "$B/index.sqlite" --quiet
echo "index again, nothing changed:"; t "$AHQ" index "$B/archive" --db "$B/index.sqlite" --quiet
echo "database: $(du -m "$B/index.sqlite" | cut -f1) MB"
for words in "readmission" "labour migration" "return --country BE" "--theme readmission" "partnership --since 2015"; do
    # shellcheck disable=SC2086
    s=$( { /usr/bin/time -f "%e" "$AHQ" search --db "$B/index.sqlite" $words > /dev/null; } 2>&1 )
    echo "search $words: $s s (the whole process)"
done
