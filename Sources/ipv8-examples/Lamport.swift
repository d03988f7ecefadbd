import ArgumentParser
import Foundation
import IPv8

/// overlay_tutorial_5's message: id 1, one signed 64-bit field (`q`).
struct MyMessage: DataClassPayload {
    static let messageID: UInt8 = 1
    var clock: Int64
}

/// overlay_tutorial_5: peers agree on a Lamport clock. Every 5 s (from the start) a task sends our clock to
/// every peer until the clock is non-zero; on a message the clock becomes `max(ours, theirs) + 1`, which we
/// print and send back.
final class LamportCommunity: Community {
    private(set) var lamportClock: Int64 = 0
    /// Messages received.
    private(set) var received = 0
    /// Called with each new clock value.
    var onClock: (Int64) -> Void = { _ in }

    init(communityID: CommunityID, context: CommunityContext) throws {
        try super.init(communityID: communityID, context: context)
        try addHandler(for: MyMessage.self, style: .ez) { [unowned self] peer, payload in
            received += 1
            lamportClock = max(lamportClock, payload.clock) + 1
            onClock(lamportClock)
            ezSend(peer, MyMessage(clock: lamportClock))
        }
    }

    /// py-ipv8's `started()`: the "start_communication" task.
    func started() throws {
        try tasks.register("start_communication", delay: .zero, interval: .seconds(5)) { [unowned self] in
            if lamportClock == 0 {
                for peer in peers { ezSend(peer, MyMessage(clock: lamportClock)) }
            } else {
                tasks.cancel("start_communication")
            }
        }
    }
}

/// `ipv8-examples lamport`: one Lamport node on a real socket, for interoperating with the Python original.
struct Lamport: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "overlay_tutorial_5: the Lamport clock community on one socket.",
        discussion: "Prints `<peer> current clock: N` per message, and at exit one JSON line {\"mid\": …, \"clock\": N}.")

    @Option(help: "IP address to bind.") var ip: String = "127.0.0.1"
    @Option(help: "UDP port to bind (0: any free port).") var port: UInt16 = 0
    @Option(help: "The community id, 40 hex digits.") var community: String
    @Option(help: "A node to walk to, HOST:PORT.") var bootstrap: String?
    @Option(help: "Key file (created with a \"medium\" EC key when missing, as the tutorial does).") var keyFile: String?
    @Option(help: "Seconds to run.") var duration: Double

    func run() throws {
        guard let bind = Address(ip: ip, port: port) else { throw ValidationError("--ip: \"\(ip)\" is not an IP address") }
        guard let id = CommunityID(hex: community) else { throw ValidationError("--community: \"\(community)\" is not 40 hex digits") }
        let walkTo = try bootstrap.map { text -> Address in
            guard let address = Address(text) else { throw ValidationError("--bootstrap: \"\(text)\" is not IP:PORT") }
            return address
        }
        let key = try keyFile.map { try KeyFile.loadOrGenerate(alias: "my peer", generation: "medium", file: $0) }
            ?? PrivateKey.generate(curve: .sect409k1)
        let loop = try EventLoop()
        let service = try IPv8Service(loop: loop, bindTo: bind)
        let bootstrappers: [any Bootstrapper] = walkTo.map { [AddressListBootstrapper([$0])] } ?? []
        let lamport = service.addOverlay(try LamportCommunity(communityID: id,
                                                              context: service.context(key: key, bootstrappers: bootstrappers)))
        service.addStrategy(RandomWalk(overlay: lamport), targetPeers: 10)
        lamport.onClock = { [unowned lamport] clock in   // the community holds this closure: no cycle
            print("\(lamport.myPeer) current clock: \(clock)")
            fflush(nil)
        }
        print("listening on \(service.endpoint.localAddress)")
        fflush(nil)
        service.start()
        try lamport.started()
        if let walkTo { lamport.walkTo(walkTo) }
        loop.run(for: .milliseconds(Int64(duration * 1000)))
        print(#"{"mid": "\#(Hex.encode(key.mid))", "clock": \#(lamport.lamportClock)}"#)
        fflush(nil)
        service.stop()
        loop.stop()
    }
}
