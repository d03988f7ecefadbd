import XCTest
@testable import IPv8Core

final class RandomSourceTests: XCTestCase {
    /// Unseeded, draws come from the system generator read ahead in a pool: across many refills no draw
    /// repeats (64-bit values), and two sources give different streams.
    func testUnseededDrawsAreDistinctAcrossPoolRefills() {
        let a = RandomSource(), b = RandomSource()
        let draws = (0..<(RandomSource.systemPoolSize * 40 + 3)).map { _ in a.next() }
        XCTAssertEqual(Set(draws).count, draws.count)
        XCTAssertNotEqual((0..<4).map { _ in b.next() }, Array(draws.prefix(4)))
        let picks = (0..<1_000).map { _ in a.int(in: 0...9) }
        XCTAssertEqual(Set(picks), Set(0...9), "every value of a small range comes up in 1,000 draws")
    }

    /// Seeded, the stream is SplitMix64's, the same for the same seed.
    func testSeededStreamsRepeat() {
        let a = RandomSource(seed: 42), b = RandomSource(seed: 42)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
        XCTAssertEqual(RandomSource(seed: 0).next(), 0xE220_A839_7B1D_CDAF)   // SplitMix64(0)'s first output
    }
}
