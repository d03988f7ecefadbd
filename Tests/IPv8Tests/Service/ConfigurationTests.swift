import XCTest
@testable import IPv8

final class ConfigurationTests: XCTestCase {
    /// py-ipv8's `get_default_configuration()` as JSON, written out by hand from spec §10.1.
    static let pyIPv8Default = """
    {
      "interfaces": [{"interface": "UDPIPv4", "ip": "0.0.0.0", "port": 8090}],
      "keys": [{"alias": "anonymous id", "generation": "curve25519", "file": "ec_multichain.pem"}],
      "logger": {"level": "INFO"},
      "working_directory": ".",
      "walker_interval": 0.5,
      "overlays": [
        {"class": "DiscoveryCommunity", "key": "anonymous id",
         "walkers": [{"strategy": "RandomWalk", "peers": 20, "init": {"timeout": 3.0}},
                     {"strategy": "RandomChurn", "peers": -1, "init": {"sample_size": 8, "ping_interval": 10.0,
                                                                      "inactive_time": 27.5, "drop_time": 57.5}},
                     {"strategy": "PeriodicSimilarity", "peers": -1, "init": {}}],
         "bootstrappers": [TRACKERS], "initialize": {}, "on_start": []},
        {"class": "HiddenTunnelCommunity", "key": "anonymous id",
         "walkers": [{"strategy": "RandomWalk", "peers": 20, "init": {"timeout": 3.0}}],
         "bootstrappers": [TRACKERS],
         "initialize": {"min_circuits": 1, "max_circuits": 1, "max_joined_circuits": 100, "max_time": 600,
                        "max_time_inactive": 20, "max_traffic": 262144000, "dht_lookup_interval": 30},
         "on_start": [["build_tunnels", 1]]},
        {"class": "DHTDiscoveryCommunity", "key": "anonymous id",
         "walkers": [{"strategy": "RandomWalk", "peers": 20, "init": {"timeout": 3.0}},
                     {"strategy": "PingChurn", "peers": -1, "init": {}}],
         "bootstrappers": [TRACKERS], "initialize": {}, "on_start": []}
      ]
    }
    """.replacingOccurrences(of: "TRACKERS", with: """
    {"class": "DispersyBootstrapper", "init": {
      "ip_addresses": [["130.161.119.206", 6421], ["130.161.119.206", 6422], ["131.180.27.155", 6423],
                       ["131.180.27.156", 6424], ["131.180.27.161", 6427], ["131.180.27.161", 6521],
                       ["131.180.27.161", 6522], ["131.180.27.162", 6523], ["131.180.27.162", 6524],
                       ["130.161.119.215", 6525], ["130.161.119.215", 6526], ["130.161.119.201", 6527],
                       ["130.161.119.201", 6528]],
      "dns_addresses": [["dispersy1.tribler.org", 6421], ["dispersy1.st.tudelft.nl", 6421],
                        ["dispersy2.tribler.org", 6422], ["dispersy2.st.tudelft.nl", 6422],
                        ["dispersy3.tribler.org", 6423], ["dispersy3.st.tudelft.nl", 6423],
                        ["dispersy4.tribler.org", 6424]],
      "bootstrap_timeout": 30.0}}
    """)

    func testPyIPv8DefaultJSONLoadsAsTheDefaultConfiguration() throws {
        let loaded = try Configuration(json: Self.pyIPv8Default)
        XCTAssertEqual(loaded, Configuration.default)
        XCTAssertEqual(loaded.overlays.map(\.className), ["DiscoveryCommunity", "HiddenTunnelCommunity", "DHTDiscoveryCommunity"])
        XCTAssertEqual(loaded.overlays[0].walkers.map(\.peers), [20, -1, -1])
    }

    func testJSONRoundTrip() throws {
        let config = Configuration.default
        XCTAssertEqual(try Configuration(json: config.json), config)
    }

    func testTheAdmissionSectionRoundTripsAndIsLeftOutWhenDefault() throws {
        XCTAssertFalse(Configuration.default.json.contains("admission"), "py-ipv8's shape, unless asked for")
        var config = Configuration.default
        config.admission.share = 0.5
        config.admission.perSourceRate = 200
        config.admission.newcomerShare = 0
        XCTAssertTrue(config.json.contains(#""admission""#))
        XCTAssertEqual(try Configuration(json: config.json), config)
    }

    func testTheRESTSectionRoundTripsAndIsLeftOutWhenAbsent() throws {
        XCTAssertFalse(Configuration.default.json.contains(#""rest""#), "py-ipv8's shape, unless asked for")
        var config = Configuration.default
        config.rest = Configuration.REST(ip: "::1", port: 0, apiKey: "k")
        XCTAssertTrue(config.json.contains(#""api_key""#))
        XCTAssertEqual(try Configuration(json: config.json), config)
        config.rest = Configuration.REST()
        let parsed = try Configuration(json: config.json)
        XCTAssertEqual(parsed.rest, Configuration.REST(ip: "127.0.0.1", port: 8085, apiKey: nil))
    }

    func testMalformedConfigurationsNameTheFieldAndTheProblem() {
        let overlay = #"{"class": "C", "key": "k", "walkers": [WALKER], "bootstrappers": [], "initialize": {}, "on_start": []}"#
        func config(keys: String = #"[{"alias": "k"}]"#, overlays: String? = nil, extra: String = "") -> String {
            let o = overlays ?? "[" + overlay.replacingOccurrences(of: "WALKER", with: #"{"strategy": "RandomWalk", "peers": 20, "init": {}}"#) + "]"
            return #"{"keys": \#(keys), "overlays": \#(o)\#(extra)}"#
        }
        func withWalker(_ walker: String) -> String {
            config(overlays: "[" + overlay.replacingOccurrences(of: "WALKER", with: walker) + "]")
        }
        let cases: [(String, String, String)] = [
            ("not JSON", "{", "not valid JSON"),
            ("top level not an object", "[]", "expected an object"),
            ("keys missing", #"{"overlays": []}"#, "keys: missing (expected a list)"),
            ("overlays missing", #"{"keys": []}"#, "overlays: missing (expected a list)"),
            ("unknown top-level field", config(extra: #", "walker_intervall": 1"#), "walker_intervall: unknown field"),
            ("peers not an integer", withWalker(#"{"strategy": "RandomWalk", "peers": "20", "init": {}}"#),
             #"overlays[0].walkers[0].peers: expected an integer, found the string "20""#),
            ("peers a fraction", withWalker(#"{"strategy": "RandomWalk", "peers": 2.5, "init": {}}"#),
             "overlays[0].walkers[0].peers: expected an integer"),
            ("peers below -1", withWalker(#"{"strategy": "RandomWalk", "peers": -2, "init": {}}"#),
             "overlays[0].walkers[0].peers: must be -1 (always)"),
            ("walker without strategy", withWalker(#"{"peers": 20, "init": {}}"#),
             "overlays[0].walkers[0].strategy: missing"),
            ("init not an object", withWalker(#"{"strategy": "RandomWalk", "peers": 20, "init": []}"#),
             "overlays[0].walkers[0].init: expected an object"),
            ("unknown key alias", config(keys: #"[{"alias": "other"}]"#), #"overlays[0].key: no key with alias "k" (aliases: other)"#),
            ("duplicate alias", config(keys: #"[{"alias": "k"}, {"alias": "k"}]"#), #"keys[1].alias: duplicate alias "k""#),
            ("unknown generation", config(keys: #"[{"alias": "k", "generation": "huge"}]"#),
             #"keys[0].generation: unknown generation "huge""#),
            ("bad base64 bin", config(keys: #"[{"alias": "k", "bin": "***"}]"#), "keys[0].bin: not valid base64"),
            ("bad port", config(extra: #", "interfaces": [{"interface": "UDPIPv4", "ip": "0.0.0.0", "port": 70000}]"#),
             "interfaces[0].port: 70000 is not a port number"),
            ("bad ip", config(extra: #", "interfaces": [{"interface": "UDPIPv4", "ip": "localhost", "port": 1}]"#),
             #"interfaces[0].ip: "localhost" is not an IP address"#),
            ("unknown interface", config(extra: #", "interfaces": [{"interface": "TCP", "ip": "0.0.0.0", "port": 1}]"#),
             #"interfaces[0].interface: unknown interface "TCP""#),
            ("bad log level", config(extra: #", "logger": {"level": "LOUD"}"#), #"logger.level: unknown level "LOUD""#),
            ("negative walker interval", config(extra: #", "walker_interval": -1"#), "walker_interval: must be a positive number"),
            ("unknown bootstrapper", config(overlays: #"[{"class": "C", "key": "k", "bootstrappers": [{"class": "Magic", "init": {}}]}]"#),
             #"overlays[0].bootstrappers[0].class: unknown bootstrapper "Magic""#),
            ("on_start entry without a method name", config(overlays: #"[{"class": "C", "key": "k", "on_start": [[1]]}]"#),
             "overlays[0].on_start[0]: expected a list starting with a method name"),
            ("overlay without class", config(overlays: #"[{"key": "k"}]"#), "overlays[0].class: missing"),
            ("admission share above 1", config(extra: #", "admission": {"share": 1.5}"#), "admission.share: must be a number in (0, 1]"),
            ("admission newcomer share negative", config(extra: #", "admission": {"newcomer_share": -0.1}"#),
             "admission.newcomer_share: must be a number in [0, 1]"),
            ("admission newcomer share not a number", config(extra: #", "admission": {"newcomer_share": "x"}"#),
             #"admission.newcomer_share: expected a number, found the string "x""#),
            ("admission rate not a number", config(extra: #", "admission": {"per_source_rate": "fast"}"#),
             #"admission.per_source_rate: expected a number or null, found the string "fast""#),
            ("unknown admission field", config(extra: #", "admission": {"budget": 1}"#), "admission.budget: unknown field"),
            ("rest port out of range", config(extra: #", "rest": {"port": 70000}"#), "rest.port: must be a TCP port, 0...65535"),
            ("rest ip not an address", config(extra: #", "rest": {"ip": "localhost"}"#), #"rest.ip: "localhost" is not an IP address"#),
            ("rest key not a string", config(extra: #", "rest": {"api_key": 5}"#), "rest.api_key: expected a non-empty string or null"),
            ("unknown rest field", config(extra: #", "rest": {"host": "x"}"#), "rest.host: unknown field"),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        for (name, json, expected) in cases {
            do {
                _ = try Configuration(json: json)
                XCTFail("\(name): loaded without error")
            } catch let error as ConfigurationErrors {
                XCTAssertTrue(error.description.contains(expected), "\(name): got «\(error)», expected «\(expected)»")
            } catch {
                XCTFail("\(name): unexpected error type \(error)")
            }
        }
    }

    func testEveryProblemIsReportedNotJustTheFirst() {
        let json = #"{"keys": [{"alias": "k", "generation": "x"}], "overlays": [{"class": "C", "key": "nope", "walkers": [{"strategy": "S", "peers": "1"}]}]}"#
        XCTAssertThrowsError(try Configuration(json: json)) { error in
            XCTAssertEqual((error as? ConfigurationErrors)?.errors.count, 3, "\(error)")
        }
    }
}
