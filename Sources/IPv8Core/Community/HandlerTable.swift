/// A community's message handlers by message id: 256 one-byte slot numbers, the handlers every community of a
/// kind has (``SharedHandlers``: one table per process, taking the community as an argument) and the community's
/// own (closures registered on it). A community that registers nothing of its own shares everything: nothing is
/// allocated per community (about 1.6 KiB each before, when the core handlers were closures capturing their
/// community and the slots were the community's). The first own handler copies the 256 slots. Lookup stays two
/// array reads.
struct HandlerTable {
    /// A handler registered on one community (it captures the community, unowned).
    typealias Handler = (UnsafeRawBufferPointer, Address) throws -> Void

    /// What handles a message id.
    enum Entry {
        /// Nothing: the id is unknown.
        case none
        /// A handler of the ``SharedHandlers`` table, called with the community.
        case shared(SharedHandlers.Handler)
        /// One of the community's own handlers.
        case own(Handler)
    }

    /// 0: no handler; `1...shared.count`: `shared[slot - 1]`; above: `own[slot - shared.count - 1]`.
    private var slots: [UInt8]
    private let shared: [SharedHandlers.Handler]
    private var own: [Handler] = []

    /// A table holding `shared`'s handlers and none of its own.
    init(_ shared: SharedHandlers) {
        slots = shared.slots
        self.shared = shared.handlers
    }

    /// The handler of message `id` (0-255).
    @inline(__always)
    subscript(id: Int) -> Entry {
        let slot = Int(slots[id])
        if slot == 0 { return .none }
        return slot <= shared.count ? .shared(shared[slot - 1]) : .own(own[slot - shared.count - 1])
    }

    /// Gives message `id` the community's own `handler`; `nil` unassigns the id (a closure no id uses any more
    /// is released when the table next needs its place).
    mutating func set(_ id: Int, _ handler: Handler?) {
        let slot = Int(slots[id])
        guard let handler else {
            slots[id] = 0
            return
        }
        if slot > shared.count && slots.lazy.filter({ Int($0) == slot }).count == 1 {
            own[slot - shared.count - 1] = handler   // its own slot alone: replaced in place
            return
        }
        if shared.count + own.count >= Int(UInt8.max) { compactOwn() }
        own.append(handler)
        slots[id] = UInt8(shared.count + own.count)
    }

    /// Drops the own handlers no id uses any more. Every id has at most one handler, so at most 256 distinct
    /// handlers are in use, and the 17 deprecated ids share one: a compacted table always has room.
    private mutating func compactOwn() {
        var renumbered = [UInt8](repeating: 0, count: own.count)
        var kept: [Handler] = []
        for id in 0..<slots.count where Int(slots[id]) > shared.count {
            let old = Int(slots[id]) - shared.count - 1
            if renumbered[old] == 0 {
                kept.append(own[old])
                renumbered[old] = UInt8(shared.count + kept.count)
            }
            slots[id] = renumbered[old]
        }
        own = kept
    }
}

/// Handlers that every community of a kind has (the introduction protocol's, spec §5, and the deprecated ids'),
/// stored once per process and called with the community they handle a datagram for.
struct SharedHandlers: Sendable {
    /// A handler for the datagrams of a community; it captures nothing of any one community.
    typealias Handler = @Sendable (Community, UnsafeRawBufferPointer, Address) throws -> Void

    /// 256 slots: 0 for none, otherwise the handler's index plus one.
    let slots: [UInt8]
    let handlers: [Handler]

    /// A table giving each entry's ids its handler (later entries win an id).
    init(_ entries: [(ids: [UInt8], handler: Handler)]) {
        precondition(entries.count < Int(UInt8.max), "too many shared handlers")
        var slots = [UInt8](repeating: 0, count: 256)
        for (i, entry) in entries.enumerated() {
            for id in entry.ids { slots[Int(id)] = UInt8(i + 1) }
        }
        self.slots = slots
        handlers = entries.map(\.handler)
    }

    /// No handler at all (a community after ``Community/unload()``).
    static let none = SharedHandlers([])
}
