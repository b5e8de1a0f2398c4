#!/usr/bin/env bash
# The benchmark suite: for each size and profile, generate a world, import it into SQLite, build the
# in-memory graph, run the full analysis (from SQLite and from the CSV folder), score it against the ground
# truth, and run the core path query in Swift and in SQLite. One JSON line per stage goes to
# Benchmarks/results.jsonl; each stage runs in its own process so its peak memory is its own.
#
#   bash Benchmarks/run.sh                      # sizes 100000 1000000 10000000, both profiles
#   SIZES="1000" PROFILES="typical" bash Benchmarks/run.sh   # the CI smoke test
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-100000 1000000 10000000}"
PROFILES="${PROFILES:-typical dense}"
WORK="${WORK:-$(mktemp -d)}"
OUT="${OUT:-Benchmarks/results.jsonl}"
swift build -c release --product DiversionBenchmarks >/dev/null
B=.build/release/DiversionBenchmarks
: > "$OUT"
for n in $SIZES; do
  for profile in $PROFILES; do
    dir="$WORK/world-$profile-$n"
    rm -rf "$dir" "$dir.sqlite"
    echo "== $profile $n" >&2
    $B generate --shipments "$n" --profile "$profile" --out "$dir" | tee -a "$OUT"
    $B import "$dir" --db "$dir.sqlite" | tee -a "$OUT"
    $B build "$dir" --db "$dir.sqlite" | tee -a "$OUT"
    $B analyze "$dir" --db "$dir.sqlite" --sqlite | tee -a "$OUT"
    $B analyze "$dir" | tee -a "$OUT"
    rm -rf "$dir" "$dir.sqlite"
  done
done
$B determinations --shipments 200000 | tee -a "$OUT"
echo "results in $OUT" >&2
