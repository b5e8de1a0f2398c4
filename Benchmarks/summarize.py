"""Turns Benchmarks/results.jsonl (from Benchmarks/run.sh) into the Markdown tables of BENCHMARKS.md: the
median of every repeated stage, and whether every engine returned the same chains.

    python3 Benchmarks/summarize.py Benchmarks/results.jsonl
"""
import json, statistics, sys


def worlds(lines):
    world = None
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if r.get("stage") == "generate":
            world = {"profile": r["profile"], "shape": r.get("shape", "default"), "items": r.get("items"),
                     "shipments": r["shipments"], "entities": r["entities"],
                     "schemes": r["schemes"], "decoys": r["decoys"], "generate": r["seconds"], "rows": []}
            yield world
        elif world is not None and r.get("stage") not in ("determinations", "match"):
            world["rows"].append(r)


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit="s"):
    if v is None:
        return "–"
    if unit == "s":
        if v < 0.001:
            return f"{v * 1e6:.0f} µs"
        return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
    return f"{v:.0f}"


def table(w):
    rows = w["rows"]
    imp = [r for r in rows if r.get("stage") == "import"]
    build = [r for r in rows if r.get("stage") == "build"]
    db = [r for r in rows if r.get("stage") == "analyze" and r.get("source") == "sqlite"]
    csv = [r for r in rows if r.get("stage") == "analyze" and r.get("source") == "csv"]
    jur = [r for r in rows if r.get("stage") == "jurisdiction"]
    duck = [r for r in rows if r.get("engine") == "duckdb"]
    nx = [r for r in rows if r.get("engine") == "networkx"]
    # Results from before world shapes name no shape and no item count: the default shape.
    items = f"{w['items']:,} items, " if w["items"] is not None else ""
    out = [f"### {w['shipments']:,} shipments, {w['profile']} profile, {w['shape']} shape ({w['entities']:,} parties, {items}"
           f"{w['schemes']} injected schemes, {w['decoys']} decoys)", "",
           "| stage | median (runs) | note |", "|---|---|---|"]
    def line(stage, values, note=""):
        out.append(f"| {stage} | {fmt(med(values))} ({len([v for v in values if v is not None])}) | {note} |")
    line("generate", [w["generate"]])
    if imp:
        line("import into SQLite", [r["seconds"] for r in imp],
             f"{med([r['rows_per_second'] for r in imp]):,.0f} rows/s; database {imp[-1]['database_bytes'] / 1e6:.0f} MB")
    line("in-memory graph from the CSV folder", [r["seconds_from_csv"] for r in build],
         f"{build[-1]['bytes_per_shipment']:.1f} bytes per shipment" if build else "")
    line("in-memory graph from SQLite", [r.get("seconds_from_sqlite") for r in build])
    total = [r["seconds_load"] + r["seconds_analysis"] for r in csv]
    line("**CSV folder to alert list, no database**", total,
         f"load {fmt(med([r['seconds_load'] for r in csv]))} + analysis {fmt(med([r['seconds_analysis'] for r in csv]))}; "
         f"peak {max(r['peak_memory_bytes'] for r in csv) / 2**30:.2f} GiB" if csv else "")
    line("full analysis from the database", [r["seconds_load"] + r["seconds_analysis"] for r in db],
         f"peak {db[0]['peak_memory_bytes'] / 2**30:.2f} GiB" if db else "")
    if jur:
        line("jurisdiction of every shipment", [r["seconds"] for r in jur],
             f"{jur[0]['distinct_questions']:,} distinct questions")
    if csv:
        r = csv[0]
        cut = r.get('truncated_terminals')
        paths = f"; {r['paths']:,} paths from {r['terminals']:,} final shipments" if 'paths' in r and 'terminals' in r else ""
        limit = f", {cut} cut at the path limit" if cut else ""
        leads = f" ({r['schemes_leads']} of them leads)" if 'schemes_leads' in r else ""
        lead_alerts = f", {r['alerts_leads']} of them leads" if 'alerts_leads' in r else ""
        out.append(f"| detection | {r['schemes_found']} of {r['schemes']} schemes{leads}, each on an alert of its kind | {r['decoys_reported']} decoys reported; {r['alerts']} alerts{lead_alerts}{paths}{limit} |")
    core = med([r["seconds_core_query"] for r in csv])
    routes = {("diversion", csv[0]["core_routes"], csv[0]["core_checksum"])} if csv else set()
    first = med([r.get("seconds_core_query_first") for r in csv])
    prepare, walk = med([r.get("seconds_core_prepare") for r in csv]), med([r.get("seconds_core_walk") for r in csv])
    line("core query, diversion", [r["seconds_core_query"] for r in csv],
         f"{csv[0]['core_routes']:,} chains, checksum {csv[0]['core_checksum']}"
         + (f"; median of 5 runs in each process, first run {fmt(first)}" if first is not None else "")
         + (f"; inputs prepared in {fmt(prepare)}, walk {fmt(walk)}" if walk is not None else "") if csv else "")
    if db and "seconds_sqlite_core_query" in db[0]:
        d = db[0]
        routes.add(("sqlite", d["sqlite_core_routes"], d["sqlite_core_checksum"]))
        line("core query, SQLite recursive CTE", [d["seconds_sqlite_core_query"]],
             f"{d['seconds_sqlite_core_query'] / core:.0f}× diversion; index built first in {fmt(d.get('seconds_sqlite_index'))}")
    if duck:
        for r in duck:
            routes.add(("duckdb", r["routes"], r["checksum"]))
        q, l = med([r["seconds_query"] for r in duck]), med([r["seconds_load"] for r in duck])
        line("core query, DuckDB (2 threads)", [r["seconds_query"] for r in duck],
             f"{q / core:.1f}× diversion; CSV load {fmt(l)}")
        if csv:
            out.append(f"| CSV to answer: diversion vs DuckDB | {fmt(med(total))} vs {fmt(q + l)} | "
                       f"DuckDB load + core query takes {(q + l) / med(total):.2f}× as long as diversion's CSV folder to alert list |")
    if nx:
        r = nx[0]
        routes.add(("networkx", r["routes"], r["checksum"]))
        alone = f" ({r['seconds_query'] / walk:.0f}× diversion's walk from the same prepared inputs)" if walk else ""
        line("core query, NetworkX", [r["seconds_query"]], f"{r['seconds_query'] / core:.0f}× diversion{alone}; load {fmt(r['seconds_load'])}")
    agree = len({(n, c) for _, n, c in routes}) == 1
    out.append(f"| same chains in every engine | {'yes' if agree else 'NO'} | {', '.join(sorted({e for e, _, _ in routes}))} |")
    return "\n".join(out)


if __name__ == "__main__":
    lines = []
    for path in sys.argv[1:]:
        lines += open(path).read().splitlines()
    print("\n\n".join(table(w) for w in list(worlds(lines))))
