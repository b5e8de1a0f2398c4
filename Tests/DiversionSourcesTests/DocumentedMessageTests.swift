import DiversionTestSupport
import Foundation
import Testing
@testable import DiversionSources

/// Messages `Graphs/FORMAT.md` section 7.5 lists that no fixture file shows, from small files written here.
@Suite struct DocumentedMessageTests {
    func read(_ text: String, as name: String, _ body: (String) throws -> Any) -> [String] {
        let folder = temporaryFolder("sources-messages")
        defer { cleanUp(folder) }
        write(text, to: "\(folder)/\(name)")
        return messages { try body("\(folder)/\(name)") }.map { $0.replacingOccurrences(of: folder + "/", with: "") }
    }

    @Test func mappingMessages() {
        let load = { (p: String) in try ShipmentMapping.load(path: p) }
        #expect(read("", as: "m.yaml", load) == ["m.yaml:1: is empty; a mapping needs at least `columns:` with date, shipper, consignee, quantity"])
        #expect(read("- a\n", as: "m.yaml", load) == ["m.yaml:1: must be a YAML mapping of keys to values (rows:, columns:, …)"])
        #expect(read("rows: shipment\n", as: "m.yaml", load) == [
            #"m.yaml:1: field "columns": is required: name the extract's column for date, shipper, consignee, quantity (and any of the others)"#,
        ])
        let base = "columns:\n  date: d\n  shipper: [s]\n  consignee: c\n  quantity: q\nweight_unit: pounds\ndate_format: YYYY-MM-DD HH\nwatch:\n  hs_code: {}\n  hs_codes:\n    85: 3A090\n"
        #expect(read(base, as: "m.yaml", load) == [
            #"m.yaml:3: field "columns.shipper": must be text, found a list"#,
            #"m.yaml:6: field "weight_unit": must be kg, lb or t, found "pounds""#,
            #"m.yaml:7: field "date_format": "YYYY-MM-DD HH" has "HH", which is not a date part (parts are YYYY, MM, M, MMM, DD and D)"#,
            #"m.yaml:9: field "watch.hs_code": unknown key (did you mean "hs_codes"?); watch has hs_codes and keywords"#,
            #"m.yaml:11: field "watch.hs_codes.85": not an HS code or prefix: "85" (at least 4 digits, dots allowed, such as 8542.31)"#,
            #"m.yaml:2: field "columns": missing "shipper": every extract needs a column for date, shipper, consignee, quantity"#,
        ])
    }

    @Test func ftmMessages() {
        let ftm = { (p: String) in try ListReader.read(path: p, format: .ftm) }
        let text = """
            {"id": "a", "schema": "Company", "datasets": "us_ofac_sdn", "properties": {"name": ["A"]}}
            {"id": "o", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["a"], "percentage": ["50"]}}
            {"id": "p", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "startDate": ["2022"], "endDate": ["2021"]}}
            {"id": "a", "schema": "Company", "properties": {"name": ["A"]}}
            [1]
            """
        #expect(read(text, as: "os.jsonl", ftm) == [
            #"os.jsonl:1: field "datasets": must be a list of text, found "us_ofac_sdn""#,
            #"os.jsonl:2: field "properties.asset": an entity cannot own itself"#,
            #"os.jsonl:3: field "properties.endDate": ends (2021-12-31) before it starts (2022-01-01)"#,
            #"os.jsonl:4: field "id": duplicate id "a" (first at line 1)"#,
            #"os.jsonl:5: must be a JSON object (a FollowTheMoney entity), found a list"#,
        ])
    }

    @Test func cslJSONMessages() {
        let csl = { (p: String) in try ListReader.read(path: p, format: .csl) }
        // Values of the wrong JSON type first, then the row's values; a mistyped field is not also "required".
        #expect(read(#"{"results": 3}"#, as: "l.json", csl) == [#"l.json: field "results": must be a list of objects"#])
        let text = #"{"results": ["x", {"_id": "1", "source": "Entity List (EL) - x", "name": true, "country": "Atlantis", "addresses": "Dubai"}]}"#
        #expect(read(text, as: "l.json", csl) == [
            #"l.json: results[0]: must be an object, found "x""#,
            #"l.json: results[1]: field "name": expected text, found true"#,
            #"l.json: results[1]: field "addresses": must be a list of address objects, found "Dubai""#,
            #"l.json: results[1]: field "country": unknown country "Atlantis" (expected an ISO 3166-1 alpha-2 code such as "SG")"#,
        ])
    }

    @Test func extractMessages() throws {
        let mapping = ShipmentMapping(columns: [.date: "d", .shipper: "s", .consignee: "c", .quantity: "q", .value: "v"])
        let text = "d,s,c,q,v\n,A,B,1,\n2024-01-02,A,B,0,\n2024-01-02,A,B,,-5\n2024-01-02,A,B\n"
        #expect(read(text, as: "bol.csv", { try ShipmentExtractReader.read(path: $0, mapping: mapping) }) == [
            #"bol.csv:2: field "d": is required"#,
            #"bol.csv:3: field "q": must be greater than 0, found 0"#,
            #"bol.csv:4: field "q": is required"#,
            #"bol.csv:4: field "v": must not be negative, found -5"#,
            #"bol.csv:5: has 3 fields, the header has 5"#,
        ])
    }
}
