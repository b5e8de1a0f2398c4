#!/usr/bin/env bash
# The benchmark suite: for each size and profile, generate a world, import it into SQLite, build the
# in-memory graph, run the full analysis (from SQLite and from the CSV folder), score it against the ground
# truth, run the whole-world jurisdiction pass, and run the core path query in Swift, in SQLite and (when
# Python has them: pip install duckdb networkx) in DuckDB and NetworkX. One JSON line per stage goes to
# Benchmarks/results.jsonl; each stage runs in its own process so its peak memory is its own, and each timed
# stage runs REPEAT times (BENCHMARKS.md reports the medians).
#
#   bash Benchmarks/run.sh                      # sizes 100000 1000000 10000000, both profiles
#   SIZES="1000" PROFILES="typical" REPEAT=1 PEERS=none bash Benchmarks/run.sh   # the CI smoke test
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-100000 1000000 10000000}"
PROFILES="${PROFILES:-typical dense}"
REPEAT="${REPEAT:-3}"
PEERS="${PEERS:-duckdb,networkx}"
WORK="${WORK:-$(mktemp -d)}"
OUT="${OUT:-Benchmarks/results.jsonl}"
swift build -c release --product DiversionBenchmarks >/dev/null
B=.build/release/DiversionBenchmarks
: > "$OUT"
have_peers() { [ "$PEERS" != "none" ] && python3 -c "import duckdb, networkx" 2>/dev/null; }
for n in $SIZES; do
  for profile in $PROFILES; do
    dir="$WORK/world-$profile-$n"
    rm -rf "$dir" "$dir.sqlite"
    echo "== $profile $n" >&2
    $B generate --shipments "$n" --profile "$profile" --out "$dir" | tee -a "$OUT"
    for run in $(seq "$REPEAT"); do
      rm -f "$dir.sqlite"
      $B import "$dir" --db "$dir.sqlite" | tee -a "$OUT"
    done
    for run in $(seq "$REPEAT"); do $B build "$dir" --db "$dir.sqlite" | tee -a "$OUT"; done
    $B analyze "$dir" --db "$dir.sqlite" --sqlite | tee -a "$OUT"
    for run in $(seq "$REPEAT"); do $B analyze "$dir" | tee -a "$OUT"; done
    $B jurisdiction "$dir" | tee -a "$OUT"
    if have_peers; then
      $B core-inputs "$dir" > "$dir-inputs.json"
      for run in $(seq "$REPEAT"); do python3 Benchmarks/peers.py "$dir" "$dir-inputs.json" duckdb | tee -a "$OUT"; done
      case "$PEERS" in *networkx*) python3 Benchmarks/peers.py "$dir" "$dir-inputs.json" networkx | tee -a "$OUT";; esac
    fi
    rm -rf "$dir" "$dir.sqlite" "$dir-inputs.json"
  done
done
$B determinations --shipments 200000 | tee -a "$OUT"
echo "results in $OUT" >&2
