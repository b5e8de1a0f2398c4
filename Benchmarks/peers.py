"""The core path query in peer engines, on the same CSV folder, for comparison with diversion.

    python3 Benchmarks/peers.py WORLD_DIR INPUTS.json [duckdb,networkx,chains]

INPUTS.json comes from `DiversionBenchmarks core-inputs WORLD_DIR` (watched items, containment pairs,
Tier-2/Tier-3 countries, window, hops). The query: every chain s1..sk (2 <= k <= hops) of shipments of watched
goods where s(i+1).from = s(i).to, s(i).date <= s(i+1).date <= s(i).date + window, the goods continue (same
item, or an item containing the previous one), parties are distinct, the last consignee is in a Tier-3 country
and some intermediary in a Tier-2 country. Each engine prints the number of chains and the sum (mod 2^64) of
the FNV-1a hashes of "id1,id2,...,idk," -- the same checksum diversion computes -- with its timings, as JSON.
"""
import json, sys, time

FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1


def fnv(text):
    h = FNV_OFFSET
    for b in text.encode():
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def duckdb_engine(world, q):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    t0 = time.time()
    con.execute(f"CREATE TABLE shipment AS SELECT id, CAST(date AS DATE) AS day, \"from\" AS src, \"to\" AS dst, item "
                f"FROM read_csv('{world}/shipments.csv', header=true, all_varchar=true)")
    con.execute(f"CREATE TABLE entity AS SELECT id, country FROM read_csv('{world}/entities.csv', header=true, all_varchar=true)")
    load = time.time() - t0
    con.execute("CREATE TABLE watched(item VARCHAR)")
    con.executemany("INSERT INTO watched VALUES (?)", [[i] for i in q["watched_items"]])
    con.execute("CREATE TABLE contains_(assembly VARCHAR, part VARCHAR)")
    if q["contains"]:
        con.executemany("INSERT INTO contains_ VALUES (?, ?)", q["contains"])
    con.execute("CREATE TABLE tier(country VARCHAR, tier INTEGER)")
    con.executemany("INSERT INTO tier VALUES (?, ?)", [[c, 2] for c in q["tier2"]] + [[c, 3] for c in q["tier3"]])
    t1 = time.time()
    rows = con.execute(f"""
        WITH RECURSIVE
          ws AS (SELECT s.* FROM shipment s WHERE s.item IN (SELECT item FROM watched)),
          party AS (SELECT e.id, t.tier FROM entity e JOIN tier t ON t.country = e.country),
          chain(head_src, head_day, head_item, path, parties, hops, has_t2) AS (
            SELECT s.src, s.day, s.item, s.id || ',', [s.dst, s.src], 1, false
            FROM ws s JOIN party p ON p.id = s.dst AND p.tier = 3
            UNION ALL
            SELECT p.src, p.day, p.item, p.id || ',' || c.path, list_append(c.parties, p.src), c.hops + 1,
                   c.has_t2 OR coalesce((SELECT x.tier = 2 FROM party x WHERE x.id = c.head_src), false)
            FROM chain c JOIN ws p ON p.dst = c.head_src AND p.day <= c.head_day
                 AND p.day >= c.head_day - INTERVAL ({q["window"]}) DAY
            WHERE c.hops < {q["max_hops"]}
              AND (p.item = c.head_item OR EXISTS (SELECT 1 FROM contains_ k WHERE k.assembly = c.head_item AND k.part = p.item))
              AND NOT list_contains(c.parties, p.src)
          )
        SELECT path FROM chain WHERE hops >= 2 AND has_t2
        """).fetchall()
    query = time.time() - t1
    return {"engine": "duckdb", "routes": len(rows), "checksum": format(sum(fnv(r[0]) for r in rows) & MASK, "x"),
            "seconds_load": load, "seconds_query": query}


def networkx_engine(world, q):
    import csv
    import networkx as nx
    t0 = time.time()
    watched = set(q["watched_items"])
    contains = {(a, p) for a, p in q["contains"]}
    tier = {c: 2 for c in q["tier2"]}
    tier.update({c: 3 for c in q["tier3"]})
    country = {}
    with open(f"{world}/entities.csv", newline="") as f:
        for r in csv.DictReader(f):
            country[r["id"]] = r["country"]
    g = nx.MultiDiGraph()
    from datetime import date
    with open(f"{world}/shipments.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["item"] in watched:
                g.add_edge(r["from"], r["to"], id=r["id"], day=date.fromisoformat(r["date"]).toordinal(), item=r["item"])
    load = time.time() - t0
    t1 = time.time()
    count, checksum = 0, 0
    window, hops = q["window"], q["max_hops"]

    def walk(path, parties, has_t2):
        nonlocal count, checksum
        head = path[0]
        if len(path) >= 2 and has_t2:
            count += 1
            checksum = (checksum + fnv("".join(e["id"] + "," for e in path))) & MASK
        if len(path) >= hops:
            return
        src = head["src"]
        for u, _, data in g.in_edges(src, data=True):
            if not (head["day"] - window <= data["day"] <= head["day"]):
                continue
            if not (data["item"] == head["item"] or (head["item"], data["item"]) in contains):
                continue
            if u in parties:
                continue
            walk([dict(data, src=u)] + path, parties | {u}, has_t2 or tier.get(country.get(src)) == 2)

    for u, v, data in g.edges(data=True):
        if tier.get(country.get(v)) == 3:
            walk([dict(data, src=u)], {u, v}, False)
    query = time.time() - t1
    return {"engine": "networkx", "routes": count, "checksum": format(checksum, "x"), "seconds_load": load,
            "seconds_query": query}


def two_hop_chains(world, q):
    """How many two-hop chains of watched goods a world holds (not only those into Tier 3): pairs of shipments
    of the same watched item, the second from the first's consignee, on the same day or up to the window later,
    to a party other than the first's shipper. Counts the size of what the search wades through; not timed."""
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"CREATE TABLE ws AS SELECT CAST(date AS DATE) AS day, \"from\" AS src, \"to\" AS dst, item "
                f"FROM read_csv('{world}/shipments.csv', header=true, all_varchar=true) "
                f"WHERE item IN (SELECT unnest(?::VARCHAR[]))", [q["watched_items"]])
    watched = con.execute("SELECT count(*) FROM ws").fetchone()[0]
    chains = con.execute(f"""SELECT count(*) FROM ws a JOIN ws b ON a.dst = b.src AND a.item = b.item
        AND b.day >= a.day AND b.day <= a.day + INTERVAL ({q["window"]}) DAY AND a.src <> b.dst""").fetchone()[0]
    return {"engine": "chains", "watched_shipments": watched, "two_hop_chains": chains}


if __name__ == "__main__":
    world, inputs = sys.argv[1], json.load(open(sys.argv[2]))
    engines = sys.argv[3].split(",") if len(sys.argv) > 3 else ["duckdb", "networkx"]
    for name in engines:
        result = {"duckdb": duckdb_engine, "networkx": networkx_engine, "chains": two_hop_chains}[name](world, inputs)
        result["world"] = world
        print(json.dumps(result, sort_keys=True), flush=True)
