import DiversionGraph
import DiversionTestSupport
import Foundation
import Testing
@testable import DiversionSources

/// Every malformed fixture fails with its one located message, and the reader returns nothing.
@Suite struct MalformedSourceTests {
    static let lists: [(String, String)] = [
        ("csl-bad-date.csv", #"csl-bad-date.csv:3: field "start_date": not a real calendar date in the form YYYY-MM-DD: "2024-02-30""#),
        ("csl-bad-country.csv", #"csl-bad-country.csv:3: field "addresses": unknown country code "XM" in "Lot 12, Jalan Teknologi 3/5, Petaling Jaya, Selangor, 47810, XM" (expected an ISO 3166-1 alpha-2 code such as "SG")"#),
        ("csl-missing-name.csv", #"csl-missing-name.csv:3: field "name": is required"#),
        ("csl-unknown-source.csv", #"csl-unknown-source.csv:3: field "source": unknown list "Watch List - Bureau of Imaginary Affairs" (expected a CSL source such as "Entity List (EL) - Bureau of Industry and Security", whose abbreviation in parentheses names the list)"#),
        ("csl-footnote-2.csv", #"csl-footnote-2.csv:2: field "license_requirement": Entity List footnotes are 1, 3, 4 or 5, found 2"#),
        ("csl-end-before-start.csv", #"csl-end-before-start.csv:2: field "end_date": ends (2023-01-01) before it starts (2023-10-19)"#),
        ("csl-duplicate-id.csv", #"csl-duplicate-id.csv:3: field "_id": duplicate id "e7a31c90d2b54f1e9c0a55d3b2f4e101" (first at line 2)"#),
        ("csl-short-row.csv", #"csl-short-row.csv:3: has 26 fields, the header has 29"#),
        ("csl-text-after-quote.csv", #"csl-text-after-quote.csv:3: text follows a closing quote; inside quotes write a quote as """#),
        ("csl-unclosed-quote.csv", #"csl-unclosed-quote.csv:3: a quoted field is never closed (a " is missing)"#),
        ("csl-missing-column.csv", #"csl-missing-column.csv:1: field "name": required column is missing from the header"#),
        ("csl-no-results.json", #"csl-no-results.json: the document must be a JSON object with "results": [...] (the Consolidated Screening List's JSON form)"#),
        ("csl-alt-names-number.json", #"csl-alt-names-number.json: results[1]: field "alt_names": must be a list of text, found 5"#),
        ("csl-address-country.json", #"csl-address-country.json: results[2]: field "addresses": unknown country code "Guangdong" in "Unit 1502, 233 Tianhe North Road, Guangzhou, Guangdong, 510620, Guangdong" (expected an ISO 3166-1 alpha-2 code such as "SG")"#),
        ("csl-syntax.json", #"csl-syntax.json: is not valid JSON (syntax error near line 3)"#),
        ("ftm-bad-json.jsonl", #"ftm-bad-json.jsonl:3: is not valid JSON (each line of a FollowTheMoney export is one entity object)"#),
        ("ftm-bad-percentage.jsonl", #"ftm-bad-percentage.jsonl:4: field "properties.percentage": not a percentage greater than 0 and at most 100: "sixty" (write 60, 60.5, 60% or a range 50-75)"#),
        ("ftm-bad-date.jsonl", #"ftm-bad-date.jsonl:5: field "properties.startDate": not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: "2022-13""#),
        ("ftm-string-property.jsonl", #"ftm-string-property.jsonl:2: field "properties.name": must be a list of text (every FollowTheMoney property is), found "Orient Star Technology (Singapore) Pte. Ltd.""#),
        ("ftm-missing-owner.jsonl", #"ftm-missing-owner.jsonl:4: field "properties.owner": is required: the id of the owning entity"#),
        ("ftm-missing-id.jsonl", #"ftm-missing-id.jsonl:3: field "id": is required"#),
    ]

    @Test(arguments: lists)
    func listFixture(name: String, expected: String) {
        let format: ListFormat = name.hasPrefix("ftm") ? .ftm : .csl
        #expect(messages { try ListReader.read(path: fixture("Malformed/\(name)"), format: format) } == ["Fixtures/Malformed/" + expected])
    }

    static let extracts: [(String, String)] = [
        ("bol-bad-date.csv", #"bol-bad-date.csv:5: field "arrival_date": not a real date in any of the forms MM/DD/YYYY, YYYY-MM-DD: "15/03/2024""#),
        ("bol-bad-hs.csv", #"bol-bad-hs.csv:7: field "hs_code": not an HS code: "8471" (6 to 10 digits, dots allowed, such as 8542.31)"#),
        ("bol-bad-quantity.csv", #"bol-bad-quantity.csv:3: field "quantity": must be a finite number, found "80 PCS""#),
        ("bol-bad-country.csv", #"bol-bad-country.csv:7: field "consignee_country": unknown country "CATHAY" (expected an ISO 3166-1 alpha-2 code such as "SG" or an English name such as "Singapore")"#),
        ("bol-missing-reference.csv", #"bol-missing-reference.csv:4: field "bol_number": is required: container lines are grouped by their bill of lading"#),
        ("bol-consignee-differs.csv", #"bol-consignee-differs.csv:6: field "consignee_name": differs from line 5 of the same bill of lading "LCCS2403150007" ("SHENZHEN TIANYU AI COMPUTING CO LTD" there, "SHENZHEN TIANYU AI COMPUTING CO. LTD" here)"#),
    ]

    @Test(arguments: extracts)
    func extractFixture(name: String, expected: String) throws {
        let mapping = try ShipmentMapping.load(path: fixture("bol-mapping.yaml"))
        #expect(messages { try ShipmentExtractReader.read(path: fixture("Malformed/\(name)"), mapping: mapping) } == ["Fixtures/Malformed/" + expected])
    }

    static let mappings: [(String, String)] = [
        ("mapping-unknown-key.yaml", #"mapping-unknown-key.yaml:3: field "date_fromat": unknown key (did you mean "date_format"?); the mapping's keys are rows, date_format, weight_unit, columns, watch"#),
        ("mapping-unknown-field.yaml", #"mapping-unknown-field.yaml:11: field "columns.consignee_adress": unknown field (did you mean "consignee_address"?); the fields are id, date, shipper, shipper_address, shipper_country, consignee, consignee_address, consignee_country, notify, notify_address, notify_country, hs_code, description, quantity, weight, value, origin_country, reference, container, port_of_loading, port_of_discharge"#),
        ("mapping-bad-date-format.yaml", #"mapping-bad-date-format.yaml:3: field "date_format": "YYYY-DD" needs one year (YYYY), one month (MM, M or MMM) and one day (DD or D), such as "DD/MM/YYYY""#),
        ("mapping-bad-rows.yaml", #"mapping-bad-rows.yaml:2: field "rows": must be "shipment" or "container-line", found "containers""#),
        ("mapping-bad-eccn.yaml", #"mapping-bad-eccn.yaml:30: field "watch.keywords.H100": not an ECCN: "3A09" (expected a form such as 3A090.a, 4A090, 3E001 or EAR99)"#),
        ("mapping-missing-quantity.yaml", #"mapping-missing-quantity.yaml:6: field "columns": missing "quantity": every extract needs a column for date, shipper, consignee, quantity"#),
        ("mapping-container-without-reference.yaml", #"mapping-container-without-reference.yaml:2: field "rows": container-line needs columns.reference (the bill of lading number) to group the lines of one shipment"#),
        ("mapping-not-yaml.yaml", #"mapping-not-yaml.yaml:5: not valid YAML: did not find expected ',' or ']'"#),
    ]

    @Test(arguments: mappings)
    func mappingFixture(name: String, expected: String) {
        #expect(messages { try ShipmentMapping.load(path: fixture("Malformed/\(name)")) } == ["Fixtures/Malformed/" + expected])
    }

    @Test func aMappedColumnTheExtractLacksIsReportedInTheMappingFile() throws {
        let mapping = try ShipmentMapping.load(path: fixture("Malformed/mapping-bad-column.yaml"))
        #expect(messages { try ShipmentExtractReader.read(path: fixture("bol-containers.csv"), mapping: mapping) } == [
            #"Fixtures/Malformed/mapping-bad-column.yaml:10: field "columns.consignee": no column "consignee_nme" in the header of Fixtures/bol-containers.csv (did you mean "consignee_name"?); its columns are bol_number, container_number, arrival_date, shipper_name, shipper_address, shipper_country, consignee_name, consignee_address, consignee_country, notify_party_name, notify_party_address, hs_code, goods_description, quantity, quantity_unit, gross_weight_kg, declared_value_usd, country_of_origin, port_of_lading, port_of_unlading"#,
        ])
    }

    @Test func everyProblemOfAFileIsReported() throws {
        let folder = temporaryFolder("sources-many")
        defer { cleanUp(folder) }
        var text = try String(contentsOfFile: fixture("Malformed/csl-bad-date.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "Shenzhen Tianyu AI Computing Co., Ltd.", with: "")
        write(text, to: "\(folder)/two.csv")
        #expect(messages { try ListReader.read(path: "\(folder)/two.csv", format: .csl) }.map { $0.replacingOccurrences(of: folder, with: "F") } == [
            #"F/two.csv:2: field "name": is required"#,
            #"F/two.csv:3: field "start_date": not a real calendar date in the form YYYY-MM-DD: "2024-02-30""#,
        ])
    }

    @Test func missingFiles() {
        #expect(messages { try ListReader.read(path: "/nonexistent/list.csv", format: .csl) } == ["/nonexistent/list.csv: no such file"])
        #expect(messages { try ShipmentMapping.load(path: "/nonexistent/m.yaml") } == ["/nonexistent/m.yaml: no such file"])
    }
}
