import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing

/// A valid CSV graph, table by table; cases below break one thing at a time.
let validTables: [String: String] = [
    "entities.csv": """
        id,name,country,role,headquarters
        us-d,US Designer,US,designer,
        sg-f,SG Forwarder,SG,forwarder,
        cn-b,CN Buyer,CN,end-user,
        """,
    "ownership.csv": "owner,owned,share,since,until\ncn-b,sg-f,0.3,2022-01-01,\n",
    "listings.csv": "entity,list,footnote,since,until\ncn-b,entity-list,4,2023-01-01,\n",
    "items.csv": """
        id,description,eccn,hs_code,origin,maker,unit_value,tpp,tops,bit_length,die_area_mm2
        gpu,"GPU, datacenter",3A090.a,8542.31,US,us-d,25000,15832,,,814
        srv,Server,4A090.a,8471.50,SG,,300000,,,,
        """,
    "components.csv": "assembly,component,quantity,unit_value\nsrv,gpu,8,25000\n",
    "provenance.csv": "item,kind,eccn,origin\ngpu,technology,3E001,US\n",
    "equipment.csv": "plant,item,quantity\nsg-f,gpu,1\n",
    "shipments.csv": """
        id,date,from,to,item,quantity,value,declared_end_user,license,reference
        s1,2024-01-02,us-d,sg-f,gpu,10,250000,,,BL-1
        s2,2024-02-03,sg-f,cn-b,gpu,10,250000,sg-f,NLR,BL-2
        """,
]

/// Writes the valid graph with `changes` applied (a table's full text, or nil to remove it).
func csvGraph(_ changes: [String: String?] = [:]) -> String {
    let dir = temporaryFolder("graph")
    var tables: [String: String?] = validTables.mapValues { Optional($0) }
    for (k, v) in changes { tables[k] = .some(v) }
    for (name, text) in tables { if let text = text ?? nil { write(text + (text.hasSuffix("\n") ? "" : "\n"), to: "\(dir)/\(name)") } }
    return dir
}

func messages(_ path: String) -> [String] {
    do {
        _ = try GraphLoader.document(at: path)
        return []
    } catch let e as GraphLoadError {
        return e.diagnostics.map { $0.description.replacingOccurrences(of: path + "/", with: "") }
    } catch {
        return ["unexpected: \(error)"]
    }
}

@Suite("Loader: rejected input is located")
struct MalformedCSVTests {
    @Test func theValidGraphLoads() throws {
        let dir = csvGraph()
        defer { cleanUp(dir) }
        let d = try GraphLoader.document(at: dir)
        #expect(d.entities.count == 3 && d.shipments.count == 2)
        #expect(d.items[0].description == "GPU, datacenter")
        #expect(d.shipments[1].license == "NLR")
    }

    static let cases: [(String, String, String)] = [
        // (table, replacement text, expected message)
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,acme-sg,gpu,1",
         "shipments.csv:2: field \"to\": no entity \"acme-sg\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,nobody,sg-f,gpu,1",
         "shipments.csv:2: field \"from\": no entity \"nobody\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,nothing,1",
         "shipments.csv:2: field \"item\": no item \"nothing\""),
        ("shipments.csv", "id,date,from,to,item,quantity,declared_end_user\ns1,2024-01-02,us-d,sg-f,gpu,1,ghost",
         "shipments.csv:2: field \"declared_end_user\": no entity \"ghost\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2023-02-30,us-d,sg-f,gpu,1",
         "shipments.csv:2: field \"date\": not a real calendar date in the form YYYY-MM-DD: \"2023-02-30\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,02/03/2024,us-d,sg-f,gpu,1",
         "shipments.csv:2: field \"date\": not a real calendar date in the form YYYY-MM-DD: \"02/03/2024\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,0",
         "shipments.csv:2: field \"quantity\": must be greater than 0, found 0"),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,-4",
         "shipments.csv:2: field \"quantity\": must be greater than 0, found -4"),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,nan",
         "shipments.csv:2: field \"quantity\": must be a finite number, found \"nan\""),
        ("shipments.csv", "id,date,from,to,item,quantity,value\ns1,2024-01-02,us-d,sg-f,gpu,1,-5",
         "shipments.csv:2: field \"value\": must not be negative, found -5"),
        ("shipments.csv", "id,date,from,to,item,quantity,value\ns1,2024-01-02,us-d,sg-f,gpu,1,inf",
         "shipments.csv:2: field \"value\": must be a finite number, found \"inf\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,1\ns1,2024-01-03,us-d,sg-f,gpu,1",
         "shipments.csv:3: field \"id\": duplicate shipment id \"s1\""),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,us-d,gpu,1",
         "shipments.csv:2: field \"to\": a shipment cannot go from a party to itself"),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu",
         "shipments.csv:2: has 5 fields, the header has 6"),
        ("shipments.csv", "id,date,from,to,item,qty\ns1,2024-01-02,us-d,sg-f,gpu,1",
         "shipments.csv:1: field \"qty\": unknown column; shipments.csv has id, date, from, to, item, quantity, value, declared_end_user, license, reference\nshipments.csv:1: field \"quantity\": required column is missing from the header"),
        ("shipments.csv", "id,date,from,to,item,quantiy\ns1,2024-01-02,us-d,sg-f,gpu,1",
         "shipments.csv:1: field \"quantiy\": unknown column (did you mean \"quantity\"?); shipments.csv has id, date, from, to, item, quantity, value, declared_end_user, license, reference\nshipments.csv:1: field \"quantity\": required column is missing from the header"),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,gpu,\"1",
         "shipments.csv:2: a quoted field is never closed (a \" is missing)"),
        ("shipments.csv", "id,date,from,to,item,quantity\ns1,2024-01-02,us-d,sg-f,\"gpu\"x,1",
         "shipments.csv:2: text follows a closing quote; inside quotes write a quote as \"\""),
        ("shipments.csv", "", "shipments.csv:1: is empty: the first line must be the header row (id,date,from,to,item,quantity,value,declared_end_user,license,reference)"),
        ("entities.csv", "id,name,country\nus-d,US Designer,XX\nsg-f,F,SG\ncn-b,B,CN",
         "entities.csv:2: field \"country\": unknown country code \"XX\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")"),
        ("entities.csv", "id,name,country\nus-d,US Designer,us\nsg-f,F,SG\ncn-b,B,CN",
         "entities.csv:2: field \"country\": country codes are upper case: write \"US\" instead of \"us\""),
        ("entities.csv", "id,name,country,role\nus-d,US Designer,US,smuggler\nsg-f,F,SG,\ncn-b,B,CN,",
         "entities.csv:2: field \"role\": unknown role \"smuggler\" (one of designer, fab, assembler, distributor, forwarder, reseller, cloud, end-user, equipment-maker, other)"),
        ("entities.csv", "id,name,country\nus-d,US Designer,US\nsg-f,F,SG\ncn-b,B,CN\nus-d,Again,US",
         "entities.csv:5: field \"id\": duplicate entity id \"us-d\" (first at line 2)"),
        ("entities.csv", "id,country\nus-d,US\nsg-f,SG\ncn-b,CN",
         "entities.csv:1: field \"name\": required column is missing from the header"),
        ("entities.csv", "id,name,country,headquarters\nus-d,US Designer,US,QQ\nsg-f,F,SG,\ncn-b,B,CN,",
         "entities.csv:2: field \"headquarters\": unknown country code \"QQ\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")"),
        ("ownership.csv", "owner,owned,share\ncn-b,ghost,0.5", "ownership.csv:2: field \"owned\": no entity \"ghost\""),
        ("ownership.csv", "owner,owned,share\nghost,sg-f,0.5", "ownership.csv:2: field \"owner\": no entity \"ghost\""),
        ("ownership.csv", "owner,owned,share\ncn-b,sg-f,1.5",
         "ownership.csv:2: field \"share\": must be a fraction greater than 0 and at most 1, found 1.5"),
        ("ownership.csv", "owner,owned,share,since,until\ncn-b,sg-f,0.5,2024-05-01,2023-01-01",
         "ownership.csv:2: field \"until\": ends (2023-01-01) before it starts (2024-05-01)"),
        ("listings.csv", "entity,list,footnote\nghost,entity-list,4", "listings.csv:2: field \"entity\": no entity \"ghost\""),
        ("listings.csv", "entity,list,footnote\ncn-b,entity-list,2",
         "listings.csv:2: field \"footnote\": Entity List footnotes are 1, 3, 4 or 5, found 2"),
        ("items.csv", "id,origin,maker\ngpu,US,ghost\nsrv,SG,", "items.csv:2: field \"maker\": no entity \"ghost\""),
        ("items.csv", "id,origin,eccn\ngpu,US,3X090\nsrv,SG,",
         "items.csv:2: field \"eccn\": not an ECCN: \"3X090\" (expected a form such as 3A090.a, 4A090, 3E001 or EAR99)"),
        ("items.csv", "id,origin,hs_code\ngpu,US,85\nsrv,SG,",
         "items.csv:2: field \"hs_code\": not an HS code: \"85\" (6 to 10 digits, dots allowed, such as 8542.31)"),
        ("items.csv", "id,origin,unit_value\ngpu,US,abc\nsrv,SG,",
         "items.csv:2: field \"unit_value\": must be a finite number, found \"abc\""),
        ("items.csv", "id,origin\ngpu,\nsrv,SG", "items.csv:2: field \"origin\": is required"),
        ("components.csv", "assembly,component,quantity\nsrv,ghost,8", "components.csv:2: field \"component\": no item \"ghost\""),
        ("components.csv", "assembly,component,quantity\nghost,gpu,8", "components.csv:2: field \"assembly\": no item \"ghost\""),
        ("components.csv", "assembly,component,quantity\nsrv,gpu,8\ngpu,srv,1",
         "components.csv:2: field \"component\": the bill of materials loops: gpu → srv → gpu"),
        ("components.csv", "assembly,component,quantity\nsrv,srv,1",
         "components.csv:2: field \"component\": an item cannot be a component of itself"),
        ("provenance.csv", "item,kind,eccn,origin\ngpu,recipe,3E001,US",
         "provenance.csv:2: field \"kind\": must be \"technology\" or \"software\", found \"recipe\""),
        ("provenance.csv", "item,kind,eccn,origin\nghost,technology,3E001,US", "provenance.csv:2: field \"item\": no item \"ghost\""),
        ("equipment.csv", "plant,item\nghost,gpu", "equipment.csv:2: field \"plant\": no entity \"ghost\""),
        ("equipment.csv", "plant,item\nsg-f,ghost", "equipment.csv:2: field \"item\": no item \"ghost\""),
    ]

    @Test(arguments: cases.indices)
    func brokenTableIsRejectedWithItsLocation(_ index: Int) {
        let (table, text, expected) = MalformedCSVTests.cases[index]
        let dir = csvGraph([table: text])
        defer { cleanUp(dir) }
        #expect(messages(dir).joined(separator: "\n") == expected)
    }

    @Test func severalProblemsAreReportedAtOnce() {
        let dir = csvGraph(["shipments.csv": "id,date,from,to,item,quantity\ns1,2024-13-01,us-d,x,gpu,1\ns2,2024-01-01,us-d,sg-f,gpu,-1"])
        defer { cleanUp(dir) }
        #expect(messages(dir) == [
            "shipments.csv:2: field \"date\": not a real calendar date in the form YYYY-MM-DD: \"2024-13-01\"",
            "shipments.csv:2: field \"to\": no entity \"x\"",
            "shipments.csv:3: field \"quantity\": must be greater than 0, found -1",
        ])
    }

    @Test func unknownTableFileIsNamed() {
        let dir = csvGraph(["shipment.csv": "id\n"])
        defer { cleanUp(dir) }
        #expect(messages(dir) == ["shipment.csv: unknown table \"shipment.csv\"; the tables are entities.csv, ownership.csv, listings.csv, items.csv, components.csv, provenance.csv, equipment.csv, shipments.csv (did you mean \"shipments.csv\"?)"])
    }

    @Test func missingEntitiesTable() {
        let dir = csvGraph(["entities.csv": nil])
        defer { cleanUp(dir) }
        #expect(messages(dir) == ["entities.csv: missing: a CSV graph needs at least entities.csv (see Graphs/FORMAT.md)"])
    }

    @Test func invalidUTF8IsRejected() throws {
        let dir = csvGraph()
        defer { cleanUp(dir) }
        var bytes = Array("id,name,country\nus-d,Bad ".utf8) + [0xFF, 0xFE] + Array(",US\nsg-f,F,SG\ncn-b,B,CN\n".utf8)
        FileManager.default.createFile(atPath: dir + "/entities.csv", contents: Data(bytes))
        bytes.removeAll()
        #expect(messages(dir).first == "entities.csv:2: is not valid UTF-8 text")
    }

    @Test func quotedFieldsWithNewlinesCommasAndCRLFLoad() throws {
        let dir = csvGraph(["entities.csv": "id,name,country\r\nus-d,\"Line one\nline \"\"two\"\", yes\",US\r\nsg-f,F,SG\r\ncn-b,B,CN\r\n"])
        defer { cleanUp(dir) }
        let d = try GraphLoader.document(at: dir)
        #expect(d.entities[0].name == "Line one\nline \"two\", yes")
        #expect(d.entities.count == 3)
    }

    @Test func aLineAfterAMultilineFieldKeepsItsLineNumber() {
        let dir = csvGraph(["entities.csv": "id,name,country\nus-d,\"a\nb\",US\nsg-f,F,XX\ncn-b,B,CN"])
        defer { cleanUp(dir) }
        #expect(messages(dir) == ["entities.csv:4: field \"country\": unknown country code \"XX\" (expected an ISO 3166-1 alpha-2 code such as \"SG\")"])
    }
}

@Suite("Loader: JSON documents")
struct MalformedJSONTests {
    func load(_ json: String) -> [String] {
        let dir = temporaryFolder("json")
        defer { cleanUp(dir) }
        write(json, to: dir + "/g.json")
        return messages(dir + "/g.json").map { $0.replacingOccurrences(of: dir + "/", with: "") }
    }

    let head = "\"format\": \"diversion-graph/1\", \"entities\": [{\"id\": \"a\", \"name\": \"A\", \"country\": \"US\"}, {\"id\": \"b\", \"name\": \"B\", \"country\": \"SG\"}], \"items\": [{\"id\": \"i\", \"origin\": \"US\"}]"

    @Test func validDocumentLoads() { #expect(load("{\(head)}") == []) }

    @Test func syntaxErrorIsLocated() {
        #expect(load("{\n\"format\": \"diversion-graph/1\",\n\"entities\": [,]\n}") == ["g.json: is not valid JSON (syntax error near line 3)"])
    }

    @Test func notAnObject() {
        #expect(load("[]") == ["g.json: the document must be a JSON object with \"format\": \"diversion-graph/1\""])
    }

    @Test func missingFormat() {
        #expect(load("{\"entities\": []}") == ["g.json: field \"format\": is required: \"diversion-graph/1\""])
    }

    @Test func unknownTopLevelKey() {
        #expect(load("{\(head), \"shipmnts\": []}") == ["g.json: field \"shipmnts\": unknown key (did you mean \"shipments\"?)"])
    }

    @Test func wrongTypeAndUnknownField() {
        #expect(load("{\(head), \"shipments\": [{\"id\": \"s\", \"date\": \"2024-01-01\", \"from\": \"a\", \"to\": \"b\", \"item\": \"i\", \"quantity\": \"ten\", \"colour\": 1}]}") == [
            "g.json: shipments[0]: field \"colour\": unknown field",
            "g.json: shipments[0]: field \"quantity\": must be a finite number, found \"ten\"",
        ])
    }

    @Test func referenceErrorsNameTheArrayIndex() {
        #expect(load("{\(head), \"shipments\": [{\"id\": \"s\", \"date\": \"2024-01-01\", \"from\": \"a\", \"to\": \"zz\", \"item\": \"i\", \"quantity\": 1}]}") == [
            "g.json: shipments[0]: field \"to\": no entity \"zz\"",
        ])
    }

    @Test func booleanIsNotText() {
        #expect(load("{\"format\": \"diversion-graph/1\", \"entities\": [{\"id\": \"a\", \"name\": true, \"country\": \"US\"}]}") == [
            "g.json: entities[0]: field \"name\": expected text, found true",
        ])
    }

    @Test func tableMustBeAList() {
        #expect(load("{\(head), \"shipments\": {}}") == ["g.json: field \"shipments\": must be a list of objects"])
    }

    @Test func missingFileIsReported() {
        #expect(messages("/nonexistent/graph.json") == ["/nonexistent/graph.json: no such file or folder"])
    }
}
