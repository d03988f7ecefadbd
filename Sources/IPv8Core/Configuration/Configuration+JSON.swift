#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Configuration {
    /// Reads py-ipv8's configuration JSON. Every field is checked; every problem is reported with its path.
    /// Fields py-ipv8 gives a default may be left out; unknown fields are errors (they are usually typos).
    /// - Throws: ``ConfigurationErrors`` listing each problem.
    public init(json text: String) throws {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw ConfigurationErrors(errors: [ConfigurationError(path: "", problem: "not valid JSON (\(Self.reason(error)))")])
        }
        var reader = ConfigurationReader()
        let config = reader.configuration(value)
        guard reader.errors.isEmpty, let config else { throw ConfigurationErrors(errors: reader.errors) }
        self = config
    }

    /// The configuration as py-ipv8's JSON shape (keys in a fixed order).
    public var json: String { jsonValue.serialized() }

    /// The configuration as a JSON value in py-ipv8's shape.
    public var jsonValue: JSONValue {
        func object(_ dict: [String: JSONValue]) -> JSONValue {
            .object(dict.keys.sorted().map { JSONValue.Member($0, dict[$0]!) })
        }
        var members: [JSONValue.Member] = [
            .init("interfaces", .array(interfaces.map {
                .object([.init("interface", .string($0.interface)), .init("ip", .string($0.ip)),
                         .init("port", .integer(Int64($0.port)))])
            })),
            .init("keys", .array(keys.map { key in
                var members: [JSONValue.Member] = [.init("alias", .string(key.alias)),
                                                   .init("generation", .string(key.generation)),
                                                   .init("file", .string(key.file))]
                if let bin = key.bin { members.append(.init("bin", .string(bin))) }
                return .object(members)
            })),
            .init("logger", .object([.init("level", .string(logLevel))])),
            .init("working_directory", .string(workingDirectory)),
            .init("walker_interval", .double(walkerInterval)),
            .init("overlays", .array(overlays.map { overlay in
                .object([
                    .init("class", .string(overlay.className)),
                    .init("key", .string(overlay.key)),
                    .init("walkers", .array(overlay.walkers.map {
                        .object([.init("strategy", .string($0.strategy)), .init("peers", .integer(Int64($0.peers))),
                                 .init("init", object($0.initArguments))])
                    })),
                    .init("bootstrappers", .array(overlay.bootstrappers.map {
                        .object([.init("class", .string($0.className)), .init("init", object($0.initArguments))])
                    })),
                    .init("initialize", object(overlay.initialize)),
                    .init("on_start", .array(overlay.onStart.map { .array($0) })),
                ])
            })),
        ]
        if admission != VerificationGate.Settings() {
            members.append(.init("admission", .object([
                .init("share", .double(admission.share)),
                .init("newcomer_share", .double(admission.newcomerShare)),
                .init("per_source_rate", admission.perSourceRate.map { .double($0) } ?? .null),
            ])))
        }
        if let rest {
            members.append(.init("rest", .object([
                .init("ip", .string(rest.ip)), .init("port", .integer(Int64(rest.port))),
                .init("api_key", rest.apiKey.map { .string($0) } ?? .null),
            ])))
        }
        return .object(members)
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        return "\(error)"
    }
}

/// Walks a JSON value into a ``Configuration``, collecting every problem with its path.
struct ConfigurationReader {
    var errors: [ConfigurationError] = []

    mutating func fail(_ path: String, _ problem: String) {
        errors.append(ConfigurationError(path: path, problem: problem))
    }

    /// The members of an object, checking for unknown keys.
    mutating func members(_ value: JSONValue, _ path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let list) = value else {
            fail(path, "expected an object, found \(kind(value))")
            return nil
        }
        var dict: [String: JSONValue] = [:]
        for m in list {
            if !allowed.contains(m.key) {
                fail(join(path, m.key), "unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            dict[m.key] = m.value
        }
        return dict
    }

    mutating func string(_ value: JSONValue?, _ path: String, default fallback: String? = nil) -> String? {
        guard let value else {
            if fallback == nil { fail(path, "missing (expected a string)") }
            return fallback
        }
        guard case .string(let s) = value else {
            fail(path, "expected a string, found \(kind(value))")
            return nil
        }
        return s
    }

    mutating func integer(_ value: JSONValue?, _ path: String, default fallback: Int? = nil) -> Int? {
        guard let value else {
            if fallback == nil { fail(path, "missing (expected an integer)") }
            return fallback
        }
        guard case .integer(let n) = value, let i = Int(exactly: n) else {
            fail(path, "expected an integer, found \(kind(value))")
            return nil
        }
        return i
    }

    mutating func array(_ value: JSONValue?, _ path: String, required: Bool = true) -> [JSONValue]? {
        guard let value else {
            if required { fail(path, "missing (expected a list)") }
            return required ? nil : []
        }
        guard case .array(let items) = value else {
            fail(path, "expected a list, found \(kind(value))")
            return nil
        }
        return items
    }

    mutating func dictionary(_ value: JSONValue?, _ path: String) -> [String: JSONValue]? {
        guard let value else { return [:] }
        guard case .object(let list) = value else {
            fail(path, "expected an object, found \(kind(value))")
            return nil
        }
        return Dictionary(list.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number, .integer, .bigInteger: return "an integer"
        case .double: return "a number with a fraction"
        case .string(let s): return "the string \"\(s)\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    func oneOf(_ names: [String]) -> String { names.joined(separator: ", ") }
}
