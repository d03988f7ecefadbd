import CFuzzDriver
import Glibc
import IPv8Core

/// An endpoint that sends nowhere: it only counts, so that a fuzz run exercises the answer paths too.
/// Its gate checks signatures or, for reaching the handlers with mutated datagrams, takes every one as
/// valid (`FUZZ_TRUST_SIGNATURES=1`: a mutated signed datagram otherwise never passes the check).
public final class NullEndpoint: Endpoint {
    public let localAddress = Address(127, 0, 0, 1, port: 9000)
    public let router: PrefixRouter = {
        let router = PrefixRouter()
        var settings = VerificationGate.Settings.unmetered
        settings.checksSignatures = getenv("FUZZ_TRUST_SIGNATURES").map { String(cString: $0) != "1" } ?? true
        router.verificationGate = VerificationGate(settings: settings)
        return router
    }()
    public private(set) var sent = 0
    public init() {}
    public func send(_ bytes: [UInt8], to address: Address) { sent += 1 }
    public func send(_ bytes: UnsafeRawBufferPointer, to address: Address) { sent += 1 }
}

/// Timers that never fire (a fuzz input is one datagram; what it schedules is dropped).
public final class InertTimers: TimerScheduler {
    final class Timer: ScheduledTimer {
        var isScheduled = true
        func cancel() { isScheduled = false }
    }
    public init() {}
    public func schedule(after delay: Duration, repeating interval: Duration?, _ callback: @escaping () -> Void) -> any ScheduledTimer {
        Timer()
    }
}

/// A payload of every declarative format, for the datagram target's second community.
public struct EveryFormat: DataClassPayload {
    public static let messageID: UInt8 = 9
    public struct Inner: DataClassPayload { public static let messageID: UInt8 = 0; var a: UInt16; var s: String }
    var flag: Bool; var b: UInt8; var h: UInt16; var i: UInt32; var q: UInt64; var sb: Int8; var sh: Int16
    var si: Int32; var sq: Int64; var f: Float; var d: Double; var bytes: [UInt8]; var text: String
    @VarLenI var big: [UInt8]
    @VarLenIUTF8 var bigText: String
    @VarLenBx2 var pairs: [UInt8]
    @VarLenHx20 var mids: [UInt8]
    @FixedBytes<20> var mid: [UInt8]
    var address: Address
    @IPAddress var v6: Address
    var inner: Inner
    var inners: [Inner]
    var flags: [Bool]
    var numbers: [Int64]
    var reals: [Double]
    var blobs: [[UInt8]]
    @Raw var rest: [UInt8]
}

/// A node with DiscoveryCommunity, DHTDiscoveryCommunity and a community whose handlers take every
/// declarative format, signed and unsigned, in both message styles.
public final class FuzzNode {
    public let endpoint: NullEndpoint
    public let discovery: DiscoveryCommunity
    public let dht: DHTDiscoveryCommunity
    public let plain: Community
    public static let plainID = CommunityID(bytes: Array(0..<20))!

    public init() throws {
        let endpoint = NullEndpoint()
        self.endpoint = endpoint
        let clock = ManualClock(start: 1_000)
        let network = Network()
        let timers = InertTimers()
        func context() -> CommunityContext {
            CommunityContext(key: PrivateKey(x25519SecretKey: [UInt8](repeating: 1, count: 32),
                                             ed25519Seed: [UInt8](repeating: 2, count: 32))!,
                             endpoint: endpoint, network: network, clock: clock, timers: timers, random: RandomSource(seed: 1))
        }
        discovery = try DiscoveryCommunity(context: context())
        dht = try DHTDiscoveryCommunity(context: context())
        plain = try Community(communityID: Self.plainID, context: context())
        try plain.addHandler(for: EveryFormat.self, style: .ez) { _, _ in }
        struct Unsigned: DataClassPayload { static let messageID: UInt8 = 10; var x: UInt32; var s: String }
        try plain.addUnsignedHandler(for: Unsigned.self, style: .core) { _, _ in }
    }

    /// The community ids of the node's communities, so that one input can be routed to each.
    public var communityIDs: [CommunityID] { [discovery.communityID, dht.communityID, plain.communityID] }
}

/// Hands the process to libFuzzer with `body` as the target (`LLVMFuzzerTestOneInput`); returns its exit
/// status. Call it from a fuzz target's top-level code.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}
