import DiversionAnalysis
import DiversionGraph
import DiversionMatching
import DiversionRules
import DiversionSources
import DiversionStore
import DiversionTestSupport
import Foundation
import Testing

/// A U.S. distributor's GPUs through a Singapore forwarder to `buyer` (a party in a Tier-2 country): no alert
/// on its own, a diversion path once a list says who the buyer is.
private func chainTo(_ buyer: String, named name: String, in country: String) -> GraphFixture {
    var f = GraphFixture()
    f.entity("us-dist", "US", role: .distributor)
    f.entity("sg-fwd", "SG", role: .forwarder)
    f.document.entities.append(Entity(id: buyer, name: name, country: CountryCode(country)!, role: .reseller))
    f.item("gpu", origin: "US", eccn: "3A090.a", hs: "8542.31", value: 25_000)
    f.shipment("us-dist", "sg-fwd", "gpu", 100, on: "2024-06-03", id: "c1")
    f.shipment("sg-fwd", buyer, "gpu", 100, on: "2024-07-01", id: "c2")
    return f
}

/// A store in `dir` holding the chain to `buyer` as graph "g", on which nothing is flagged yet (no list says who
/// the buyer is).
private func storeWithChain(in dir: String, to buyer: String, named name: String, in country: String) throws -> GraphStore {
    let store = try GraphStore(path: dir + "/db.sqlite")
    try GraphWriter.write(chainTo(buyer, named: name, in: country).document, form: .json, to: dir + "/graph.json")
    _ = try store.importGraph(path: dir + "/graph.json", name: "g")
    #expect(try analyze(store, "g").isEmpty)
    return store
}

private func analyze(_ store: GraphStore, _ graph: String) throws -> [Alert] {
    var p = AnalysisParameters()
    p.threads = 1
    return Analyzer(graph: try store.loadGraph(graph), rules: try RuleBook.bundled(), parameters: p,
                    redFlags: try RedFlagCatalogue.bundled()).run().alerts
}

/// Imports `list` for `graph` and matches it, as `diversion import-list` does.
private func importList(_ store: GraphStore, _ path: String, _ format: ListFormat, graph: String) throws {
    _ = try store.importList(ListReader.read(path: path, format: format), graph: graph, digest: InputDigest.of(path: path))
    _ = try store.rematch(graph: graph)
}

@Suite("Real data: screening lists, OpenSanctions and customs extracts")
struct RealDataTests {
    /// A Consolidated Screening List row (Entity List, footnote 4 in its remarks) matched to the graph's
    /// buyer, written another way, makes the path end at a Tier-3 party; the alert says through which match.
    @Test func aCSLEntityListRowMakesThePathEndTier3() throws {
        let dir = temporaryFolder("real-csl")
        defer { cleanUp(dir) }
        let store = try storeWithChain(in: dir, to: "gm-ae", named: "GULF MERIDIAN COMPUTE FZE", in: "AE")

        let header = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
        let row = #"c0ffee01,Entity List (EL) - Bureau of Industry and Security,,Entity,,Gulf Meridian Compute FZE,,"Office 2201, Jumeirah Lakes Towers, Dubai, AE",89 FR 70001,2024-01-15,,,For all items subject to the EAR.,Presumption of denial.,,,,,,,*Footnote 4 entity (See § 734.9(e)(2)).,,Gulf Meridian Computing,,,,,,"#
        write(header + "\n" + row + "\n", to: dir + "/csl.csv")
        try importList(store, dir + "/csl.csv", .csl, graph: "g")

        let m = try #require(try store.matches(graph: "g").first)
        #expect(m.party == "gm-ae" && m.score >= GraphStore.autoAcceptScore && m.isEffective && m.footnote == 4)
        let alerts = try analyze(store, "g")
        #expect(alerts.map(\.kind) == [.diversionPath])
        let final = try #require(alerts.first?.path.last)
        #expect(final.id == "gm-ae" && final.tier == 3 && final.tier3 == ["entity-list"])
        #expect(alerts.first?.reasoning.contains { $0.contains("on the Entity List (footnote 4) through match \(m.id)") } == true)

        // Rejected, the match feeds nothing; the decision survives a fresh match run.
        try store.decideMatch(id: m.id, accept: false, note: "a different firm in the same tower")
        _ = try store.rematch(graph: "g")
        #expect(try store.matches(graph: "g").first?.decision == "rejected")
        #expect(try analyze(store, "g").isEmpty)
    }

    /// An OpenSanctions ownership chain: a Chinese parent holds 60% of a Singapore company that the graph's
    /// buyer is matched to, so the buyer is a Tier-3 party by ownership.
    @Test func anFtMOwnershipChainMakesTheSubsidiaryTier3() throws {
        let dir = temporaryFolder("real-ftm")
        defer { cleanUp(dir) }
        let store = try storeWithChain(in: dir, to: "lc-sg", named: "LION CITY ADVANCED HOLDINGS PTE. LTD.", in: "MY")
        write("""
            {"id": "NK-parent", "schema": "Company", "properties": {"name": ["Zhongshan Harbour Capital Group Co., Ltd."], "country": ["cn"]}, "datasets": ["ext_cn_registry"]}
            {"id": "NK-sub", "schema": "Company", "properties": {"name": ["Lion City Advanced Holdings Pte. Ltd."], "country": ["my"], "address": ["1 Jalan Ampang, Kuala Lumpur"]}, "datasets": ["ext_my_registry"]}
            {"id": "NK-own", "schema": "Ownership", "properties": {"owner": ["NK-parent"], "asset": ["NK-sub"], "percentage": ["60"], "startDate": ["2021-03"]}, "datasets": ["ext_my_registry"]}

            """, to: dir + "/os.jsonl")
        try importList(store, dir + "/os.jsonl", .ftm, graph: "g")
        let alerts = try analyze(store, "g")
        #expect(alerts.map(\.kind) == [.diversionPath])
        let final = try #require(alerts.first?.path.last)
        #expect(final.id == "lc-sg" && final.tier3 == ["ownership"])
        #expect(alerts.first?.reasoning.contains { $0.contains("owned 60% in aggregate by parties headquartered in Tier-3 countries (holdings through match M-") } == true)
    }

    /// The sample bill-of-lading extract: the Entity-Listed consignee written three ways is one party with
    /// every pair of spellings scoring 0.9 or more, "TO ORDER" consignees stay apart, and the path through
    /// the resolved party is found.
    @Test func aBillOfLadingExtractResolvesItsParties() throws {
        let mapping = try ShipmentMapping.load(path: packageRoot + "/Graphs/real-data/bol-mapping.yaml")
        let rows = try ShipmentExtractReader.read(path: packageRoot + "/Graphs/real-data/bol-extract.csv", mapping: mapping)
        let resolved = ExtractResolver.resolve(rows, mapping: mapping, name: "bol")
        let tianyu = try #require(resolved.parties.first { $0.spellings.contains("SHENZHEN TIANYU AI COMPUTING CO LTD") })
        #expect(Set(tianyu.spellings) == ["SHENZHEN TIANYU AI COMPUTING CO LTD", "Shenzhen Tianyu A.I. Computing Company Limited", "SHENZHEN TIANYU AI COMPUTING CO., LTD."])
        #expect((tianyu.lowestScore ?? 0) >= 0.9)
        let toOrder = resolved.parties.filter { $0.isPlaceholder && $0.spellings == ["TO ORDER"] }
        #expect(toOrder.count >= 2 && Set(toOrder.map(\.id)).count == toOrder.count)
        #expect(!resolved.parties.contains { !$0.isPlaceholder && $0.spellings.contains { NameNormalizer.isPlaceholder($0) } })

        let graph = try ShipmentGraph.build(from: resolved.document)
        var p = AnalysisParameters()
        p.threads = 1
        let alerts = Analyzer(graph: graph, rules: try RuleBook.bundled(), parameters: p, redFlags: try RedFlagCatalogue.bundled()).run().alerts
        #expect(alerts.contains { $0.path.last?.id == tianyu.id && $0.path.count >= 3 })
    }
}
