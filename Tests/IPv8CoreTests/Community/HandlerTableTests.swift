import XCTest
@testable import IPv8Core

/// A community's handlers: the shared ones until it registers its own, its own replacing, unassigning and
/// re-registering without running out of one-byte slots.
final class HandlerTableTests: XCTestCase {
    static let shared = SharedHandlers([([1, 2], { _, _, _ in }), ([3], { _, _, _ in })])

    private func kind(_ table: HandlerTable, _ id: Int) -> String {
        switch table[id] {
        case .none: return "none"
        case .shared: return "shared"
        case .own: return "own"
        }
    }

    /// Calls id's own handler and returns what it recorded.
    private func callOwn(_ table: HandlerTable, _ id: Int, _ record: () -> Int) throws -> Int {
        guard case .own(let handler) = table[id] else { XCTFail("no own handler for \(id)"); return -1 }
        try [UInt8](repeating: 0, count: 23).withUnsafeBytes { try handler($0, Address(127, 0, 0, 1, port: 1)) }
        return record()
    }

    func testOwnHandlersOverSharedOnes() throws {
        var table = HandlerTable(Self.shared)
        XCTAssertEqual([1, 2, 3, 4].map { kind(table, $0) }, ["shared", "shared", "shared", "none"])
        var called = 0
        table.set(4) { _, _ in called = 4 }
        table.set(2) { _, _ in called = 2 }   // an own handler replaces a shared one for its id only
        XCTAssertEqual([1, 2, 3, 4].map { kind(table, $0) }, ["shared", "own", "shared", "own"])
        XCTAssertEqual(try callOwn(table, 4) { called }, 4)
        XCTAssertEqual(try callOwn(table, 2) { called }, 2)
        table.set(4) { _, _ in called = 40 }  // replaced in place
        XCTAssertEqual(try callOwn(table, 4) { called }, 40)
        table.set(4, nil)
        XCTAssertEqual(kind(table, 4), "none")
        XCTAssertEqual(kind(HandlerTable(Self.shared), 2), "shared", "another table still shares the original slots")
        XCTAssertEqual(kind(HandlerTable(.none), 1), "none")
    }

    /// Own handlers registered and unassigned over and over reuse the slots they left, past 255 registrations.
    func testReRegisteringNeverRunsOutOfSlots() throws {
        var table = HandlerTable(Self.shared)
        var called = -1
        for round in 0..<1_000 {
            let id = 10 + round % 200
            table.set(id) { _, _ in called = round }
            if round % 3 == 0 { table.set(id, nil) }
        }
        table.set(255) { _, _ in called = 255 }
        XCTAssertEqual(try callOwn(table, 255) { called }, 255)
        XCTAssertEqual(try callOwn(table, 10 + 998 % 200) { called }, 998, "the latest handler of an id is kept")
        XCTAssertEqual(kind(table, 10 + 999 % 200), "none", "an unassigned id stays unassigned")
        XCTAssertEqual(kind(table, 1), "shared")
    }
}
