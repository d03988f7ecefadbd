import IPv8Core
/// Something that owns libuv handles on an `EventLoop` and must close them when the loop stops.
///
/// Resources register themselves with their loop while their handles are open; `EventLoop.stop()` calls
/// `close()` on every resource still registered, then runs the loop until every close callback has run.
protocol LoopResource: AnyObject {
    /// Closes the resource's handles (`uv_close`). Called on the loop thread; must be idempotent.
    func close()
}
