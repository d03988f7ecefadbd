import IPv8Core
import CLibUV

/// A failed libuv call: which operation, and libuv's own words for the error.
public struct LibUVError: Error, CustomStringConvertible, Equatable {
    /// The negative libuv error code (`UV_EADDRINUSE`, …).
    public let code: Int32
    /// What was being attempted, for example `"bind UDP socket to 127.0.0.1:8090"`.
    public let operation: String

    /// Creates an error from a negative libuv `code` and a description of the `operation` that failed.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// libuv's name for the code, such as `EADDRINUSE`.
    public var name: String { String(cString: uv_err_name(code)) }

    public var description: String {
        "cannot \(operation): \(String(cString: uv_strerror(code))) (\(name))"
    }

    /// Throws a `LibUVError` when `result` is negative.
    @inline(__always)
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
        if result < 0 { throw LibUVError(code: result, operation: operation()) }
    }
}
