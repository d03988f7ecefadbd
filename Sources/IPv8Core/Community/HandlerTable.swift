/// A community's message handlers by message id: 256 two-byte slot numbers and the handlers themselves, about
/// 0.7 KiB for a community's dozen or so handlers, where a 256-entry table of closures took 4 KiB per community
/// (a swarm of a thousand nodes in one process pays it a thousand times). Lookup stays two array reads.
struct HandlerTable {
    typealias Handler = (UnsafeRawBufferPointer, Address) throws -> Void

    /// 0: no handler; otherwise the handler's index in `handlers`, plus one.
    private var slots = [UInt16](repeating: 0, count: 256)
    private var handlers: [Handler] = []

    /// The handler of message `id` (0-255). Setting `nil` unassigns the id (the closure is released with the
    /// table).
    subscript(id: Int) -> Handler? {
        get {
            let slot = slots[id]
            return slot == 0 ? nil : handlers[Int(slot) - 1]
        }
        set {
            let slot = slots[id]
            guard let newValue else {
                slots[id] = 0
                return
            }
            if slot == 0 || slots.lazy.filter({ $0 == slot }).count > 1 {   // a shared handler stays for the others
                handlers.append(newValue)
                slots[id] = UInt16(handlers.count)
            } else {
                handlers[Int(slot) - 1] = newValue
            }
        }
    }

    /// Gives every id in `ids` the one `handler`, stored once (the deprecated ids' common slot).
    mutating func assign(_ ids: [UInt8], _ handler: @escaping Handler) {
        handlers.append(handler)
        for id in ids { slots[Int(id)] = UInt16(handlers.count) }
    }
}
