/// What one lookup did in one routing table: how many find requests it sent and how many hops the answer
/// was away (the first node that returned values, or the closest node found, counted from the nodes of
/// our own table as hop 1).
public struct DHTCrawlSummary: Sendable, Equatable {
    /// Find requests sent (punctures excluded).
    public var requests: Int
    /// Nodes that answered.
    public var responses: Int
    /// Answers that carried values (the others carried nodes), as py-ipv8's REST API counts them.
    public var responsesWithValues: Int
    /// The hop at which values were first returned; `nil` when none were.
    public var valueHop: Int?
    /// The hop of the closest node that answered; `nil` when none did.
    public var closestHop: Int?
}

/// The result of ``DHTCommunity/find(_:forceNodes:offset:completion:)``.
public struct DHTLookup {
    /// The values found (see ``DHTCommunity/findValues(_:offset:completion:)``).
    public var values: [DHTValue]
    /// The nodes that answered, closest to the key first (node lookups).
    public var nodes: [DHTNode]
    /// One summary per routing table crawled.
    public var crawls: [DHTCrawlSummary]
}

/// One lookup's crawl through one routing table (py-ipv8's `Crawl`): nodes still to ask (closest first,
/// each with the node that told us of it, to ask for a puncture first), nodes asked, answers.
final class DHTCrawl {
    struct Step {
        let node: DHTNode
        var puncture: DHTNode?
        let hop: Int
    }

    let target: DHTNodeID
    let table: DHTRoutingTable
    let forceNodes: Bool
    let offset: UInt32
    private let maxRequests: Int
    private(set) var todo: [Step]
    private var tried: [[UInt8]: Int] = [:]
    private var responses: [(step: Step, values: [[UInt8]])] = []
    var inFlight = 0
    var finished = false

    init(target: DHTNodeID, table: DHTRoutingTable, start: [DHTNode], forceNodes: Bool, offset: UInt32,
         settings: DHTCommunity.Settings) {
        self.target = target
        self.table = table
        self.forceNodes = forceNodes
        self.offset = offset
        self.maxRequests = settings.maxCrawlRequests
        todo = start.map { Step(node: $0, puncture: nil, hop: 1) }
    }

    /// Out of requests, or nothing left to ask.
    var isDone: Bool { tried.count >= maxRequests || todo.isEmpty }

    /// The next node to ask, now counted as tried.
    func popNext() -> Step? {
        guard !todo.isEmpty else { return nil }
        let step = todo.removeFirst()
        tried[step.node.mid] = step.hop
        inFlight += 1
        return step
    }

    /// Takes an answer: values, or nodes worth asking (closer than the fourth best still to ask).
    func addResponse(from step: Step, values: [[UInt8]], nodes: [DHTNode]) {
        responses.append((step, values))
        for (index, node) in nodes.enumerated() where tried[node.mid] == nil {
            if todo.count >= 4 && target.isCloser(todo[3].node.id, than: node.id) { continue }
            let puncture = index == 0 ? nil : step.node
            if let existing = todo.firstIndex(where: { $0.node.mid == node.mid }) {
                todo[existing].puncture = puncture
                continue
            }
            todo.append(Step(node: node, puncture: puncture, hop: step.hop + 1))
            // Stable: equal distances keep their order, as Python's sort does.
            todo = todo.enumerated().sorted { a, b in
                if target.isCloser(a.element.node.id, than: b.element.node.id) { return true }
                if target.isCloser(b.element.node.id, than: a.element.node.id) { return false }
                return a.offset < b.offset
            }.map(\.element)
        }
    }

    /// The closest node that answered without values: where the values found get cached.
    var cacheCandidate: DHTNode? {
        responses.filter { $0.values.isEmpty }.map(\.step.node).min { target.isCloser($0.id, than: $1.id) }
    }

    /// The values returned, first of each answer, then second of each, …, without repeats.
    var values: [[UInt8]] {
        let lists = responses.map(\.values).filter { !$0.isEmpty }
        var seen = Set<[UInt8]>()
        var merged: [[UInt8]] = []
        for i in 0..<(lists.map(\.count).max() ?? 0) {
            for list in lists where i < list.count && seen.insert(list[i]).inserted { merged.append(list[i]) }
        }
        return merged
    }

    /// The nodes that answered, closest to the target first (py-ipv8 returns every node asked, so that
    /// nodes which never answered take places among the closest).
    var nodesByDistance: [DHTNode] {
        responses.map(\.step.node).sorted { target.isCloser($0.id, than: $1.id) }
    }

    var summary: DHTCrawlSummary {
        let answered = responses.map(\.step)
        let closest = answered.min { target.isCloser($0.node.id, than: $1.node.id) }
        return DHTCrawlSummary(requests: tried.count, responses: responses.count,
                               responsesWithValues: responses.filter { !$0.values.isEmpty }.count,
                               valueHop: responses.first { !$0.values.isEmpty }?.step.hop, closestHop: closest?.hop)
    }
}
