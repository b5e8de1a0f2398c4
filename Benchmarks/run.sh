#!/usr/bin/env bash
# The benchmark suite: for each size, profile and world shape, generate a world, import it into SQLite, build the
# in-memory graph, run the full analysis (from SQLite and from the CSV folder), score it against the ground
# truth, run the whole-world jurisdiction pass, and run the core path query in Swift, in SQLite and (when
# Python has them: pip install duckdb networkx) in DuckDB and NetworkX. One JSON line per stage goes to
# Benchmarks/results.jsonl; each stage runs in its own process so its peak memory is its own, and each timed
# stage runs REPEAT times, the CSV-to-alerts and DuckDB comparison COMPARE_REPEAT times by turns
# (BENCHMARKS.md reports the medians).
#
#   bash Benchmarks/run.sh                      # sizes 100000 1000000 10000000, both profiles, default shape
#   SHAPES="default wide catalogue messy" bash Benchmarks/run.sh   # every world shape (BENCHMARKS.md, "The worlds")
#   SIZES="1000" PROFILES="typical" REPEAT=1 COMPARE_REPEAT=1 PEERS=none MATCH_LIST=1000 MATCH_PARTIES=5000 bash Benchmarks/run.sh   # the CI smoke test
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-100000 1000000 10000000}"
PROFILES="${PROFILES:-typical dense}"
SHAPES="${SHAPES:-default}"
REPEAT="${REPEAT:-3}"
COMPARE_REPEAT="${COMPARE_REPEAT:-5}"
PEERS="${PEERS:-duckdb,networkx}"
WORK="${WORK:-$(mktemp -d)}"
OUT="${OUT:-Benchmarks/results.jsonl}"
swift build -c release --product DiversionBenchmarks >/dev/null
B=.build/release/DiversionBenchmarks
: > "$OUT"
have_peers() { [ "$PEERS" != "none" ] && python3 -c "import duckdb, networkx" 2>/dev/null; }
for n in $SIZES; do
  for profile in $PROFILES; do
   for shape in $SHAPES; do
    dir="$WORK/world-$profile-$shape-$n"
    rm -rf "$dir" "$dir.sqlite"
    echo "== $profile $shape $n" >&2
    $B generate --shipments "$n" --profile "$profile" --shape "$shape" --out "$dir" | tee -a "$OUT"
    for run in $(seq "$REPEAT"); do
      rm -f "$dir.sqlite"
      $B import "$dir" --db "$dir.sqlite" | tee -a "$OUT"
    done
    for run in $(seq "$REPEAT"); do $B build "$dir" --db "$dir.sqlite" | tee -a "$OUT"; done
    $B analyze "$dir" --db "$dir.sqlite" --sqlite | tee -a "$OUT"
    # CSV folder to alert list, and DuckDB's load plus core query, run by turns so that both see the same
    # moments of a shared machine.
    have_peers && $B core-inputs "$dir" > "$dir-inputs.json"
    for run in $(seq "$COMPARE_REPEAT"); do
      $B analyze "$dir" | tee -a "$OUT"
      if have_peers; then python3 Benchmarks/peers.py "$dir" "$dir-inputs.json" duckdb | tee -a "$OUT"; fi
    done
    $B jurisdiction "$dir" | tee -a "$OUT"
    if have_peers; then
      case "$PEERS" in *networkx*) python3 Benchmarks/peers.py "$dir" "$dir-inputs.json" networkx | tee -a "$OUT";; esac
    fi
    rm -rf "$dir" "$dir.sqlite" "$dir-inputs.json"
   done
  done
done
$B determinations --shipments 200000 | tee -a "$OUT"
# Entity resolution: seeded list names against seeded shipment parties (BENCHMARKS.md, "Entity resolution").
$B match --list "${MATCH_LIST:-50000}" --parties "${MATCH_PARTIES:-250000}" | tee -a "$OUT"
echo "results in $OUT" >&2
