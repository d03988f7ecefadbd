import IPv8Core

/// The overlay among running simulated nodes at one moment: who has whom as a verified peer. Churn and
/// partition tests read its components (counted undirected: an edge either way joins two nodes, as a walk
/// or an answer can cross it) and its in-degrees.
public struct OverlayGraph: Sendable {
    /// Indices into the nodes given, of those still running.
    public let running: [Int]
    /// For each node given, the indices of the running nodes it has as verified peers (empty when stopped).
    public let peers: [[Int]]

    /// The graph of `nodes`, one community each; peers at addresses of stopped or unknown nodes are left out.
    public init<C: Community>(_ nodes: [SimulatedNode<C>]) {
        var index: [Address: Int] = [:]
        var running: [Int] = []
        for (i, node) in nodes.enumerated() where node.isRunning {
            index[node.address] = i
            running.append(i)
        }
        self.running = running
        peers = nodes.map { node in
            node.isRunning ? node.community.peers.compactMap { index[$0.address] } : []
        }
    }

    /// The sizes of the connected components among running nodes, largest first.
    public var componentSizes: [Int] {
        var parent = Array(0..<peers.count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for i in running {
            for j in peers[i] {
                let (a, b) = (root(i), root(j))
                if a != b { parent[a] = b }
            }
        }
        var sizes: [Int: Int] = [:]
        for i in running { sizes[root(i), default: 0] += 1 }
        return sizes.values.sorted(by: >)
    }

    /// How many running nodes have each running node as a peer, in ``running`` order.
    public var inDegrees: [Int] {
        var count = [Int](repeating: 0, count: peers.count)
        for i in running { for j in peers[i] { count[j] += 1 } }
        return running.map { count[$0] }
    }

    /// Running nodes that have a peer at a stopped node's address (what churn still has to clean up).
    public static func stalePeerCount<C: Community>(_ nodes: [SimulatedNode<C>]) -> Int {
        let stopped = Set(nodes.filter { !$0.isRunning }.map(\.address))
        return nodes.reduce(0) { sum, node in
            sum + (node.isRunning ? node.community.peers.filter { stopped.contains($0.address) }.count : 0)
        }
    }
}
