#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import IPv8

/// py-ipv8's `DHTEndpoint` (`ipv8/REST/dht_endpoint.py`), on the node's first `DHTCommunity` overlay (a
/// `DHTDiscoveryCommunity` for `/dht/peers`):
/// - `GET /dht/statistics`: our ids, per address family the routing table's size and buckets and the keys
///   stored, the tokens held, and for the discovery DHT the peers stored per mid, both ways.
/// - `GET /dht/values`: the values this node stores for others, per key (hex), as py-ipv8 lists them.
/// - `GET /dht/values/{key}`: a lookup of the key through the DHT, with py-ipv8's debug counts.
/// - `PUT /dht/values/{key}` with `{"value": hex}`: stores the value, signed with the node's key (py-ipv8
///   signs what this route stores).
/// - `GET /dht/peers/{mid}`: finds a peer through the DHT (`connect_peer`).
/// - `GET /dht/buckets`, `GET /dht/buckets/{prefix}/refresh`: the routing tables' buckets; a lookup of a
///   random id in one bucket (the root bucket's empty prefix as `/dht/buckets//refresh`, which this router
///   also takes as `/dht/buckets/refresh`).
///
/// Keys and mids are 40 hex digits; anything else is a 400 in py-ipv8's body for bad hex (it answers 500).
/// Without a DHT overlay the routes answer as py-ipv8's do (404 `DHT community not found`, an empty bucket
/// list, 400 for a refresh). Routes that wait for the network answer within ``RESTSettings/dhtTimeout`` (504
/// past it); a failed DHT operation is py-ipv8's 500 `{"code": "DHTError", "message": …}`.
enum DHTRoutes {
    static func add(to router: Router<BasicRequestContext>, node: NodeAccess, deadline: Duration) {
        router.get("dht/statistics") { _, _ in
            JSONResponse.make(try await node.onLoop { statistics(of: try requireDHT(in: $0)) })
        }
        router.get("dht/values") { _, _ in
            JSONResponse.make(try await node.onLoop { storedValues(of: try requireDHT(in: $0)) })
        }
        router.get("dht/values/:key") { _, context in
            let keyText = context.parameters.get("key") ?? ""
            return JSONResponse.make(try await node.onLoop(deadline: deadline) { service, reply in
                let dht = try requireDHT(in: service)
                let key = try bytes20(keyText, named: "key")
                let start = ContinuousClock.now
                dht.find(key, forceNodes: false, offset: 0) { result in
                    reply(result.mapError { $0 as any Error }.map { lookup in
                        lookupResult(lookup, key: key, seconds: (ContinuousClock.now - start).seconds)
                    })
                }
            })
        }
        router.put("dht/values/:key") { request, context in
            try await node.onLoop { _ = try requireDHT(in: $0) }   // py-ipv8 answers 404 before reading the body
            let body = try await JSONResponse.object(of: request)
            guard let value = body["value"] else { throw RESTError.failure("incorrect parameters", .badRequest) }
            let key = try bytes20(context.parameters.get("key") ?? "", named: "key")
            guard let text = value.stringValue, let data = bytes(fromHex: text) else {
                throw RESTError.badParameter("value: hex digits expected, not \(value)")
            }
            try await node.onLoop(deadline: deadline) { service, reply in
                let dht = try requireDHT(in: service)
                // storeValue refuses this before sending anything; py-ipv8 answers it with a 500.
                let size = DHTValue.serializeSigned(data, version: 0, key: dht.key).count
                guard size <= dht.settings.maxEntrySize else {
                    throw RESTError.exception(code: "DHTError", message: "Maximum length exceeded", status: .badRequest)
                }
                dht.storeValue(key, data: data, sign: true) { result in
                    reply(result.mapError { $0 as any Error }.map { _ in () })
                }
            }
            return JSONResponse.success
        }
        router.get("dht/peers/:mid") { _, context in
            let midText = context.parameters.get("mid") ?? ""
            return JSONResponse.make(try await node.onLoop(deadline: deadline) { service, reply in
                guard let dht = try requireDHT(in: service) as? DHTDiscoveryCommunity else { throw notFound }
                let mid = try bytes20(midText, named: "mid")
                dht.connectPeer(mid) { result in
                    reply(result.mapError { $0 as any Error }.map { nodes in
                        .object([.init("peers", .array(nodes.map { node in
                            .object([.init("public_key", .string(Data(node.key.bin).base64EncodedString())),
                                     .init("address", .array([.string(node.address.ip),
                                                              .number(UInt64(node.address.port))]))])
                        }))])
                    })
                }
            })
        }
        router.get("dht/buckets") { _, _ in
            JSONResponse.make(try await node.onLoop { service in
                guard let dht = service.overlay(DHTCommunity.self) else { return .object([.init("buckets", .array([]))]) }
                return buckets(of: dht)
            })
        }
        let refreshRoute = { @Sendable (prefix: String) async throws -> Response in
            JSONResponse.make(try await node.onLoop(deadline: deadline) { service, reply in
                guard let dht = service.overlay(DHTCommunity.self) else {
                    throw RESTError.failure("DHT community is not loaded", .badRequest)
                }
                refresh(dht, prefix: prefix, reply: reply)
            })
        }
        router.get("dht/buckets/:prefix/refresh") { _, context in try await refreshRoute(context.parameters.get("prefix") ?? "") }
        // The root bucket's prefix is empty: py-ipv8's `/dht/buckets//refresh`, which reaches here because the
        // router drops empty path components.
        router.get("dht/buckets/refresh") { _, _ in try await refreshRoute("") }
    }

    /// py-ipv8's answer when the node runs no DHT.
    static let notFound = RESTError.failure("DHT community not found", .notFound)

    /// The node's DHT overlay.
    /// - Throws: ``notFound`` without one.
    static func requireDHT(in service: IPv8Service) throws -> DHTCommunity {
        guard let dht = service.overlay(DHTCommunity.self) else { throw notFound }
        return dht
    }

    /// A key or mid from its hex (20 bytes).
    /// - Throws: ``RESTError/badParameter(_:)`` for anything else.
    static func bytes20(_ text: String, named name: String) throws -> [UInt8] {
        guard let decoded = bytes(fromHex: text), decoded.count == 20 else {
            throw RESTError.badParameter("\(name): 40 hex digits (20 bytes) expected, not \"\(text.prefix(100))\"")
        }
        return decoded
    }

    /// The address families in the order py-ipv8's tables usually appear, with the interface names it
    /// reports (`FAST_ADDR_TO_INTERFACE`).
    static let families: [(kind: AddressKind, name: String)] = [(.ipv4, "UDPIPv4"), (.ipv6, "UDPIPv6")]

    static func statistics(of dht: DHTCommunity) -> JSONValue {
        var stats: [JSONValue.Member] = [
            .init("peer_id", .string(Hex.encode(dht.myPeer.mid))),
            .init("num_tokens", .integer(Int64(dht.tokenCount))),
            .init("endpoints", .array(families.compactMap { family, name in
                dht.routingTables[family].map { table in
                    .object([
                        .init("endpoint", .string(name)),
                        .init("node_id", .string(dht.myNodeID(in: family).hex)),
                        .init("routing_table_size", .integer(Int64(table.count))),
                        .init("routing_table_buckets", .integer(Int64(table.buckets.count))),
                        .init("num_keys_in_store", .integer(Int64(dht.storages[family]?.items.count ?? 0))),
                    ])
                }
            })),
        ]
        if let discovery = dht as? DHTDiscoveryCommunity {
            func counts(_ table: [[UInt8]: [DHTNode]]) -> JSONValue {
                .object(table.map { (Hex.encode($0.key), $0.value.count) }.sorted { $0.0 < $1.0 }
                    .map { .init($0.0, .integer(Int64($0.1))) })
            }
            stats.append(.init("num_peers_in_store", counts(discovery.store)))
            stats.append(.init("num_store_for_me", counts(discovery.storeForMe)))
        }
        return .object([.init("statistics", .object(stats))])
    }

    /// `{key hex: [{endpoint, public_key, key, value}]}`: per key, its values after py-ipv8's
    /// `post_process_values` (one signed value per signer, then the unsigned ones); a key stored in both
    /// families shows the IPv6 storage's values, as py-ipv8's dictionary does.
    static func storedValues(of dht: DHTCommunity) -> JSONValue {
        var results: [JSONValue.Member] = []
        for (family, name) in families {
            guard let storage = dht.storages[family] else { continue }
            for (key, entries) in storage.items.sorted(by: { Hex.encode($0.key) < Hex.encode($1.key) }) {
                let keyHex = Hex.encode(key)
                let dicts = JSONValue.array(DHTCommunity.postProcess(entries.map(\.data)).map { value in
                    .object([.init("endpoint", .string(name)), .init("public_key", publicKey(value)),
                             .init("key", .string(keyHex)), .init("value", .string(Hex.encode(value.data)))])
                })
                if let index = results.firstIndex(where: { $0.key == keyHex }) {
                    results[index].value = dicts
                } else {
                    results.append(.init(keyHex, dicts))
                }
            }
        }
        return .object(results)
    }

    /// A value's signer as py-ipv8 prints it: its key bin in base64, or `null` for an unsigned value.
    static func publicKey(_ value: DHTValue) -> JSONValue {
        value.publicKey.map { .string(Data($0).base64EncodedString()) } ?? .null
    }

    /// `{"values": [{public_key, key, value}], "debug": {requests, responses, responses_with_nodes,
    /// responses_with_values, time}}` for a lookup that took `seconds`.
    static func lookupResult(_ lookup: DHTLookup, key: [UInt8], seconds: Double) -> JSONValue {
        let keyHex = Hex.encode(key)
        let responses = lookup.crawls.reduce(0) { $0 + $1.responses }
        let withValues = lookup.crawls.reduce(0) { $0 + $1.responsesWithValues }
        return .object([
            .init("values", .array(lookup.values.map { value in
                .object([.init("public_key", publicKey(value)), .init("key", .string(keyHex)),
                         .init("value", .string(Hex.encode(value.data)))])
            })),
            .init("debug", .object([
                .init("requests", .integer(Int64(lookup.crawls.reduce(0) { $0 + $1.requests }))),
                .init("responses", .integer(Int64(responses))),
                .init("responses_with_nodes", .integer(Int64(responses - withValues))),
                .init("responses_with_values", .integer(Int64(withValues))),
                .init("time", .double(seconds)),
            ])),
        ])
    }

    /// `{"buckets": [{prefix, last_changed, endpoint, peers: [{ip, port, mid, id, failed, last_contact,
    /// distance}]}]}`: every bucket of every routing table. Times are Unix seconds (the integer 0 for
    /// never, as py-ipv8 writes it); a node's distance is the XOR of its id and ours, a 160-bit integer.
    static func buckets(of dht: DHTCommunity) -> JSONValue {
        let now = dht.clock.now
        let wallNow = Date().timeIntervalSince1970
        func time(_ t: Double?) -> JSONValue {
            guard let t, t > 0 else { return .integer(0) }
            return .double(wallNow - (now - t))
        }
        var result: [JSONValue] = []
        for (family, name) in families {
            guard let table = dht.routingTables[family] else { continue }
            let myID = dht.myNodeID(in: family)
            for bucket in table.buckets {
                result.append(.object([
                    .init("prefix", .string(bucket.prefixBits)),
                    .init("last_changed", time(bucket.lastChanged)),
                    .init("endpoint", .string(name)),
                    .init("peers", .array(bucket.nodes.map { node in
                        .object([
                            .init("ip", .string(node.address.ip)),
                            .init("port", .number(UInt64(node.address.port))),
                            .init("mid", .string(Hex.encode(node.mid))),
                            .init("id", .string(node.id.hex)),
                            .init("failed", .integer(Int64(node.failed))),
                            .init("last_contact", time(node.lastContact)),
                            .init("distance", unsignedInteger(bigEndian: node.id.distance(to: myID))),
                        ])
                    })),
                ]))
            }
        }
        return .object([.init("buckets", .array(result))])
    }

    /// A lookup of a random id in the bucket with `prefix` of every routing table that has one (py-ipv8's
    /// `refresh_bucket`): `{"success": true}` when one lookup succeeded; `{"success": false, "error": …}`
    /// (200) when they all failed; 400 `no such bucket` when no table has the bucket.
    static func refresh(_ dht: DHTCommunity, prefix: String, reply: NodeAccess.Reply<JSONValue>) {
        let buckets = families.compactMap { dht.routingTables[$0.kind]?.buckets.first { $0.prefixBits == prefix } }
        guard !buckets.isEmpty else {
            return reply(.failure(RESTError.failure("no such bucket", .badRequest)))
        }
        final class Outcome {
            var pending: Int
            var succeeded = false
            var error: DHTError?
            init(pending: Int) { self.pending = pending }
        }
        let outcome = Outcome(pending: buckets.count)
        for bucket in buckets {
            dht.findValues(bucket.randomID(dht.random).bytes) { result in
                switch result {
                case .success: outcome.succeeded = true
                case .failure(let error): outcome.error = error
                }
                outcome.pending -= 1
                guard outcome.pending == 0 else { return }
                if !outcome.succeeded, let error = outcome.error {
                    reply(.success(.object([.init("success", .bool(false)), .init("error", .string(error.message))])))
                } else {
                    reply(.success(.object([.init("success", .bool(true))])))
                }
            }
        }
    }

    /// A non-negative integer from its big-endian bytes: `.number` when it fits in 64 bits, else
    /// `.bigInteger` with its decimal digits (JSON integers have no width; py-ipv8 prints them whole).
    static func unsignedInteger(bigEndian bytes: [UInt8]) -> JSONValue {
        var number = Array(bytes.drop { $0 == 0 })
        if number.count <= 8 { return .number(number.reduce(0) { $0 << 8 | UInt64($1) }) }
        var digits: [UInt8] = []   // least significant first
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(number.count)
            for byte in number {
                let current = remainder << 8 | Int(byte)
                if !quotient.isEmpty || current >= 10 { quotient.append(UInt8(current / 10)) }
                remainder = current % 10
            }
            digits.append(UInt8(remainder))
            number = quotient
        }
        return .bigInteger(String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self))
    }
}
