import IPv8Core
import CLibUV

extension EventLoop {
    /// The loop's backend file descriptor (`uv_backend_fd`: the epoll fd on Linux). A host that drives the
    /// loop from its own event loop polls this fd for readability, then calls ``runOnce(timeout:)`` with
    /// `.zero`. Read it on the loop thread; −1 where the platform has none.
    public var backendFD: Int32 {
        assertInEventLoop()
        return uv_backend_fd(uvLoop)
    }

    /// How long the host may wait on ``backendFD`` before the loop needs to run again
    /// (`uv_backend_timeout`), in milliseconds: 0 when work is pending, −1 when there is no timer.
    /// Read it on the loop thread.
    public var backendTimeoutMilliseconds: Int32 {
        assertInEventLoop()
        return uv_backend_timeout(uvLoop)
    }
}
