import XCTest
@testable import IPv8

final class LaunchedCommunity: Community, LaunchableCommunity {
    static let id = CommunityID(bytes: [UInt8](repeating: 0x1A, count: 20))!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
}

final class OtherLaunchedCommunity: Community, LaunchableCommunity {
    static let id = CommunityID(bytes: [UInt8](repeating: 0x1B, count: 20))!
    init(context: CommunityContext) throws { try super.init(communityID: Self.id, context: context) }
}

/// The seed's "shortest way": a launcher that names only its community.
enum MyLauncher: CommunityLauncher { typealias Overlay = LaunchedCommunity }

enum DependentLauncher: CommunityLauncher {
    typealias Overlay = OtherLaunchedCommunity
    static var notBefore: [String] { ["MyLauncher"] }
    static var walkStrategies: [LaunchedStrategy<OtherLaunchedCommunity>] {
        [LaunchedStrategy(targetPeers: -1) { MyDiscoveryStrategy(overlay: $0) }]
    }
}

enum NeverLauncher: CommunityLauncher {
    typealias Overlay = OtherLaunchedCommunity
    static var name: String { "Never" }
    static func shouldLaunch(in service: IPv8Service) -> Bool { false }
}

enum CycleA: CommunityLauncher {
    typealias Overlay = LaunchedCommunity
    static var notBefore: [String] { ["CycleB"] }
}

enum CycleB: CommunityLauncher {
    typealias Overlay = OtherLaunchedCommunity
    static var notBefore: [String] { ["CycleA"] }
}

final class CommunityLauncherTests: XCTestCase {
    func testLaunchersLoadInDependencyOrderWithTheirStrategies() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0), scheduling: .init(walkInterval: .milliseconds(50)))
        var loader = CommunityLoader()
        loader.set(DependentLauncher.self)   // registered first, but must wait for MyLauncher
        loader.set(NeverLauncher.self)
        loader.set(MyLauncher.self)
        let overlays = try loader.load(into: service)
        XCTAssertTrue(overlays[0] is LaunchedCommunity)
        XCTAssertTrue(overlays[1] is OtherLaunchedCommunity)
        XCTAssertEqual(overlays.count, 2, "a launcher whose shouldLaunch is false is dropped")
        XCTAssertEqual(service.scheduler.strategies.count, 2)   // MyLauncher's default RandomWalk + DependentLauncher's
        let mine = try XCTUnwrap(service.scheduler.strategies.compactMap { $0 as? MyDiscoveryStrategy }.first)
        service.start()
        drive(loop) { mine.calls >= 2 }
        service.stop()
    }

    func testACycleIsDetected() throws {
        let loop = try EventLoop()
        defer { loop.stop() }
        let service = try IPv8Service(loop: loop, bindTo: Address(127, 0, 0, 1, port: 0))
        var loader = CommunityLoader()
        loader.set(CycleA.self)
        loader.set(CycleB.self)
        XCTAssertThrowsError(try loader.load(into: service)) {
            guard case .cycle(let names)? = $0 as? LaunchError else { return XCTFail("\($0)") }
            XCTAssertEqual(Set(names), ["CycleA", "CycleB"])
        }
        XCTAssertTrue(service.overlays.isEmpty)
        service.stop()
    }
}
