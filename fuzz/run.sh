#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 600), seeded with the sample's
# responses. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Crashes land in fuzz/artifacts/<target>/; turn each into a regression test
# in tests/fuzz_regressions.rs before fixing it.
set -euo pipefail
usage="usage: fuzz/run.sh [SECONDS]   (each target for SECONDS, default 600)"
case "${1-}" in
    -h|--help) echo "$usage"; exit 0 ;;
    ""|*[!0-9]*) [ -z "${1-}" ] || { echo "fuzz/run.sh: '$1' is not a number of seconds; $usage" >&2; exit 2; } ;;
esac
[ $# -le 1 ] || { echo "fuzz/run.sh: one argument at most; $usage" >&2; exit 2; }
cd "$(dirname "$0")/.."
seconds="${1:-600}"
mkdir -p fuzz/corpus/read_response fuzz/corpus/normalise_text
cp -n samples/migration-partnerships/responses/* fuzz/corpus/read_response/ 2>/dev/null || true
printf '1. Yes 2. Georgia 3. n/a' > fuzz/corpus/normalise_text/numbered
printf 'Nein' > fuzz/corpus/normalise_text/flag
printf 'Slovak Republic' > fuzz/corpus/normalise_text/country
for target in normalise_text read_response; do
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1
done
