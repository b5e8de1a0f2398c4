import DiversionAnalysis
import DiversionGraph
import DiversionRules
import DiversionScenarios
import DiversionTestSupport
import Foundation
import Testing

// The malformed-scenario corpus: every file in Malformed/ is broken in one way, and the table below pins the
// message `diversion scenario run <file>` prints for it on stderr, run from the package root (the final
// "1 scenario in …" summary line left out). Failing/ holds valid scenarios whose one expectation fails.
//
// Paths are made relative the way the command prints them: the file is passed as `packageRoot + "/Tests/…"` and
// every `packageRoot + "/"` is removed from the text. That also shortens the absolute paths some messages quote
// ("looked for …", the graph loader's file names); the scenario-tree root, quoted bare, is written
// `\#(packageRoot)` below.

/// `text` with the package folder's absolute path taken out.
private func relative(_ text: String) -> String {
    text.replacingOccurrences(of: packageRoot + "/", with: "")
}

private func absolute(_ path: String) -> String { packageRoot + "/" + path }

/// Parses and runs a scenario the way `diversion scenario run` does with the package root as `--root`.
private func runScenario(_ path: String) throws -> ScenarioResult {
    let (scenario, parser) = try ScenarioParser.parse(path: absolute(path), root: packageRoot)
    return try ScenarioRunner(rules: bundledRules, redFlags: try RedFlagCatalogue.bundled()).run(scenario, references: parser)
}

/// The message a scenario that cannot run produces, as the command prints it; nil when it runs.
private func problem(_ path: String) throws -> String? {
    do {
        _ = try runScenario(path)
        return nil
    } catch let e as ScenarioError {
        return relative(e.description)
    } catch let e as GraphLoadError {
        // The command puts the scenario file in front of the graph loader's own messages.
        return relative("\(absolute(path)): a graph it loads is rejected:\n" + e.description)
    }
}

private let malformedFolder = "Tests/DiversionScenariosTests/Malformed"
private let failingFolder = "Tests/DiversionScenariosTests/Failing"

/// (file in Malformed/, the exact message).
let malformedScenarios: [(String, String)] = [
    // YAML syntax: a flow list that is never closed
    ("yaml-syntax-error.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/yaml-syntax-error.yaml:3:7: error: not valid YAML: did not find expected ',' or ']'
        expect:
              ^
        """#),
    // a tab used for indentation
    ("tab-indentation.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/tab-indentation.yaml:5:1: error: not valid YAML: found character that cannot start any token
        \#tas_of: 2024-06-01
        ^
        """#),
    // an empty file
    ("empty-file.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/empty-file.yaml:1:1: error: the file is empty; a scenario needs at least `name:` and `graphs:`
        """#),
    // the top level is a list, not a mapping
    ("top-level-list.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/top-level-list.yaml:1:1: error: a scenario must be a mapping of keys to values
        - name: top-level-list
        ^
        """#),
    // an unknown top-level key, with a did-you-mean
    ("unknown-top-level-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-top-level-key.yaml:4:1: error: unknown key "expcet" in the scenario (did you mean "expect"?); expected one of: name, description, graphs, add, rules, parameters, expect
        expcet:
        ^
        """#),
    // `grpahs:` — one typo, two messages: the unknown key and the missing `graphs`
    ("misspelled-graphs-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/misspelled-graphs-key.yaml:2:1: error: unknown key "grpahs" in the scenario (did you mean "graphs"?); expected one of: name, description, graphs, add, rules, parameters, expect
        grpahs:
        ^
        Tests/DiversionScenariosTests/Malformed/misspelled-graphs-key.yaml:1:1: error: missing key "graphs": name the graph file(s) or CSV folder(s) to load, relative to this file
        name: misspelled-graphs-key
        ^
        """#),
    // no `graphs` key
    ("missing-graphs.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/missing-graphs.yaml:1:1: error: missing key "graphs": name the graph file(s) or CSV folder(s) to load, relative to this file
        name: missing-graphs
        ^
        """#),
    // `name` is a mapping
    ("name-not-text.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/name-not-text.yaml:1:7: error: name must be text
        name: {title: name-not-text}
              ^
        """#),
    // a graph file that does not exist
    ("graph-file-missing.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/graph-file-missing.yaml:3:5: error: no graph file or folder at "../../../Graphs/sample-netwrok.json" (looked for Graphs/sample-netwrok.json)
          - ../../../Graphs/sample-netwrok.json
            ^
        """#),
    // a graph path that climbs out of the package
    ("graph-path-leaves-tree.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/graph-path-leaves-tree.yaml:3:5: error: the path "../../../../etc/passwd" leaves the scenario tree (\#(packageRoot)); keep graphs inside it or run with --root
          - ../../../../etc/passwd
            ^
        """#),
    // a graph path that is neither a .json document nor a CSV folder (the graph loader's message)
    ("graph-not-a-graph.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/graph-not-a-graph.yaml: a graph it loads is rejected:
        error: Package.swift: not a graph: give a .json document or a folder of CSV tables (see Graphs/FORMAT.md)
        """#),
    // a CSV graph folder whose shipments.csv names an unknown entity (the graph loader's message)
    ("malformed-graph-csv.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/malformed-graph-csv.yaml: a graph it loads is rejected:
        error: Tests/DiversionScenariosTests/Malformed/graphs/unknown-shipment-party/shipments.csv:3: field "to": no entity "cn-lab"
        """#),
    // an unknown key inside `rules`, with a did-you-mean
    ("unknown-rules-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-rules-key.yaml:5:3: error: unknown key "as_off" in rules (did you mean "as_of"?); expected one of: as_of, tiers, groups, de_minimis, listings, watch, fdp
          as_off: 2024-06-01
          ^
        """#),
    // an unassigned country code in rules.tiers.tier3_add
    ("unknown-country-code.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-country-code.yaml:6:21: error: unknown country code "XX"
            tier3_add: [MY, XX]
                            ^
        """#),
    // a lower-case country code
    ("lower-case-country-code.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/lower-case-country-code.yaml:6:17: error: unknown country code "my" (codes are upper case: "MY")
            tier3_add: [my]
                        ^
        """#),
    // rules.as_of is not a real date
    ("impossible-as-of-date.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/impossible-as-of-date.yaml:5:10: error: as_of must be a real date YYYY-MM-DD, found "2023-02-30"
          as_of: 2023-02-30
                 ^
        """#),
    // de_minimis.default written as a percentage
    ("de-minimis-as-percent.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/de-minimis-as-percent.yaml:6:14: error: de_minimis.default is a fraction from 0 to 1 (0.25 is 25%), found 25
            default: 25
                     ^
        """#),
    // an unknown country group
    ("unknown-country-group.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-country-group.yaml:6:15: error: unknown country group "D:9" (did you mean "D:1"?); groups: A:5, A:6, D:1, D:3, D:4, D:5, E:1, E:2
            - {group: "D:9", add: [MY]}
                      ^
        """#),
    // a rules.groups entry without `group`
    ("group-entry-without-group.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/group-entry-without-group.yaml:6:7: error: rules.groups: each entry needs "group"
            - {add: [MY], since: 2024-01-01}
              ^
        """#),
    // an unknown FDP rule id
    ("unknown-fdp-rule.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-fdp-rule.yaml:6:19: error: unknown FDP rule "e4" (did you mean "e1"?); rules: e1, e2, e3, f, h, i, k (734.9(e)(1) is e1)
            disable: [e1, e4]
                          ^
        """#),
    // a watch entry that is neither an ECCN nor an HS code
    ("bad-watch-entry.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/bad-watch-entry.yaml:5:18: error: "85" is neither an ECCN (such as 3A090) nor an HS code of at least 4 digits (such as 8542.31)
          watch: [3A090, "85"]
                         ^
        """#),
    // an Entity List footnote that does not exist
    ("listing-footnote-2.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/listing-footnote-2.yaml:7:38: error: Entity List footnotes are 1, 3, 4 or 5, found 2
              - {entity: front-hk, footnote: 2, since: 2024-01-01}
                                             ^
        """#),
    // parameters.max_hops out of range
    ("max-hops-out-of-range.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/max-hops-out-of-range.yaml:5:13: error: max_hops must be a whole number from 2 to 12, found "20"
          max_hops: 20
                    ^
        """#),
    // parameters.window is not a number
    ("window-not-a-number.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/window-not-a-number.yaml:5:11: error: window must be a number, found "90 days"
          window: 90 days
                  ^
        """#),
    // an unknown key in `parameters`, with a did-you-mean
    ("unknown-parameters-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-parameters-key.yaml:5:3: error: unknown key "max_hop" in parameters (did you mean "max_hops"?); expected one of: window, max_hops, min_quantity
          max_hop: 4
          ^
        """#),
    // an unknown key in `expect`, with a did-you-mean
    ("unknown-expect-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-expect-key.yaml:5:3: error: unknown key "alert" in expect (did you mean "alerts"?); expected one of: alerts, no_alerts, alert_count, determinations
          alert:
          ^
        """#),
    // an unknown severity
    ("unknown-severity.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-severity.yaml:7:21: error: unknown severity "urgent"; severities: low, medium, high, critical
              min_severity: urgent
                            ^
        """#),
    // a misspelled severity, with a did-you-mean
    ("misspelled-severity.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/misspelled-severity.yaml:7:21: error: unknown severity "critcal" (did you mean "critical"?); severities: low, medium, high, critical
              min_severity: critcal
                            ^
        """#),
    // an unknown alert kind
    ("unknown-alert-kind.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-alert-kind.yaml:7:13: error: unknown alert kind "diversion"; kinds: diversion-path, unlicensed-direct, diversion-lead
              kind: diversion
                    ^
        """#),
    // an expected alert names a party the graph does not have
    ("unknown-party-in-alerts.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-party-in-alerts.yaml:6:25: error: unknown party "fwd-sgp": no entity with this id in the scenario's graph
            - parties: [nvx-us, fwd-sgp, buyer-cn]
                                ^
        """#),
    // a determination names an item the graph does not have
    ("unknown-item-in-determinations.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-item-in-determinations.yaml:6:14: error: unknown item "nx-h101": no item with this id in the scenario's graph
            - {item: nx-h101, to: CN, date: 2024-05-20, consignee: buyer-cn, subject: true}
                     ^
        """#),
    // `subject` is not true or false
    ("subject-not-boolean.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/subject-not-boolean.yaml:6:79: error: subject must be true or false, found "maybe"
            - {item: nx-h100, to: CN, date: 2024-05-20, consignee: buyer-cn, subject: maybe}
                                                                                      ^
        """#),
    // a determination without `subject`
    ("missing-subject.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/missing-subject.yaml:6:7: error: expect.determinations: missing "subject"
            - {item: nx-h100, to: CN, date: 2024-05-20, consignee: buyer-cn}
              ^
        """#),
    // an unknown key in a determination, with a did-you-mean
    ("unknown-determination-key.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/unknown-determination-key.yaml:6:64: error: unknown key "licence_required" in expect.determinations (did you mean "license_required"?); expected one of: item, to, date, consignee, subject, basis, license_required
            - {item: nx-h100, to: CN, date: 2024-05-20, subject: true, licence_required: true}
                                                                       ^
        """#),
    // a negative alert_count
    ("negative-alert-count.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/negative-alert-count.yaml:5:16: error: alert_count must be a whole number from 0 to 1000000, found "-1"
          alert_count: -1
                       ^
        """#),
    // a fractional alert_count
    ("fractional-alert-count.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/fractional-alert-count.yaml:5:16: error: alert_count must be a whole number from 0 to 1000000, found "2.5"
          alert_count: 2.5
                       ^
        """#),
    // an add.shipments row without date and quantity
    ("add-shipment-missing-fields.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/add-shipment-missing-fields.yaml:6:7: error: add.shipments: id, date, from, to, item and a positive quantity are required
            - {id: x1, from: nvx-us, to: fwd-sg, item: nx-h100}
              ^
        """#),
    // an add.entities row with a country code that is not ISO (UK for GB)
    ("add-entity-bad-country.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/add-entity-bad-country.yaml:6:55: error: unknown country code "UK"
            - {id: brk-gb, name: Thames Brokers Ltd, country: UK, role: forwarder}
                                                              ^
        """#),
    // an add.entities row whose id the graph already has
    ("add-entity-duplicate-id.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/add-entity-duplicate-id.yaml:6:12: error: add.entities: "fwd-sg" is already in the graph; pick another id
            - {id: fwd-sg, name: Another Forwarder Pte Ltd, country: SG, role: forwarder}
                   ^
        """#),
    // an add.ownership share written as a percentage
    ("add-ownership-share-out-of-range.yaml",
        #"""
        Tests/DiversionScenariosTests/Malformed/add-ownership-share-out-of-range.yaml:6:48: error: add.ownership: share is a fraction greater than 0 and at most 1 (0.6 is 60%), found 60
            - {owner: parent-cn, owned: fwd-sg, share: 60, since: 2023-01-01}
                                                       ^
        """#),
]

@Suite("Malformed scenario files")
struct MalformedScenarioTests {
    @Test("each malformed file is rejected with its exact, located message", arguments: malformedScenarios)
    func rejected(file: String, expected: String) throws {
        let message = try problem("\(malformedFolder)/\(file)")
        #expect(message != nil, "\(file) parsed and ran; it should have been rejected")
        #expect(message == expected)
    }

    @Test("every file in Malformed/ has an entry in the table, and every entry a file")
    func tableCoversTheFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: absolute(malformedFolder))
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == malformedScenarios.map { $0.0 }.sorted())
        #expect(Set(malformedScenarios.map { $0.0 }).count == malformedScenarios.count, "a file is listed twice")
    }
}

@Suite("Scenario expectations that fail")
struct FailingExpectationTests {
    /// Runs a valid scenario from Failing/ and returns its failure lines, paths relative.
    private func failures(_ file: String) throws -> [String] {
        let result = try runScenario("\(failingFolder)/\(file)")
        #expect(result.passed == false)
        return result.failures.map(relative)
    }

    @Test("expect.alerts: no alert matches the pattern")
    func missingAlert() throws {
        #expect(try failures("failing-alert.yaml") == [
            #"""
            Tests/DiversionScenariosTests/Failing/failing-alert.yaml:8: expect.alerts: no alert with parties us-chips → my-asm → sg-dist → cn-lab, kind unlicensed-direct; found: DP-388de180dad6 diversion-path critical [us-chips > my-asm > sg-dist > cn-lab] basis 734.4(c); DL-4c7f87ce2eed diversion-lead low [us-chips > my-asm > sg-dist > cn-lab] open provenance of srv-20
            """#,
        ])
    }

    @Test("expect.no_alerts: a forbidden alert is raised")
    func forbiddenAlert() throws {
        #expect(try failures("failing-no-alert.yaml") == [
            #"""
            Tests/DiversionScenariosTests/Failing/failing-no-alert.yaml:8: expect.no_alerts: DP-388de180dad6 diversion-path critical [us-chips > my-asm > sg-dist > cn-lab] basis 734.4(c) matches parties my-asm → cn-lab, basis 734.4, which must not be raised
            """#,
        ])
    }

    @Test("expect.alert_count: the number of alerts differs")
    func wrongAlertCount() throws {
        #expect(try failures("failing-alert-count.yaml") == [
            #"""
            Tests/DiversionScenariosTests/Failing/failing-alert-count.yaml:6: expect.alert_count: expected 3 alerts, found 2: DP-388de180dad6 diversion-path critical [us-chips > my-asm > sg-dist > cn-lab] basis 734.4(c); DL-4c7f87ce2eed diversion-lead low [us-chips > my-asm > sg-dist > cn-lab] open provenance of srv-20
            """#,
        ])
    }

    @Test("expect.determinations: the determination differs")
    func wrongDetermination() throws {
        #expect(try failures("failing-determination.yaml") == [
            #"""
            Tests/DiversionScenariosTests/Failing/failing-determination.yaml:9: expect.determinations: srv-20 to VN on 2024-02-01 (rules of 2023-11-17): expected subject via 734.4(c), license required, but it is not subject; basis 734.4(c) not found (bases: none); no license is required
            """#,
        ])
    }
}
