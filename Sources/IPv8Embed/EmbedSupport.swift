import IPv8
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The return codes of `ipv8.h` (keep them in step with the header).
enum EmbedCode {
    static let ok: Int32 = 0
    static let null: Int32 = -101
    static let handle: Int32 = -102
    static let config: Int32 = -103
    static let argument: Int32 = -104
    static let state: Int32 = -105
    static let thread: Int32 = -106
}

/// A failure to report to C: its code and the message `ipv8_last_error()` returns.
struct EmbedError: Error {
    let code: Int32
    let message: String
    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The per-thread message of the last failing call: a malloc'ed C string, freed when replaced or when its
/// thread exits.
let lastErrorKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { free($0) }
    return key
}()

func setLastError(_ message: String) {
    let old = pthread_getspecific(lastErrorKey)
    pthread_setspecific(lastErrorKey, strdup(message))
    free(old)
}

/// Runs one C entry point: its value, or the code of the error it threw (whose message becomes the
/// calling thread's last error).
func embedCall(_ body: () throws -> Int32) -> Int32 {
    do {
        return try body()
    } catch let error as EmbedError {
        setLastError(error.message)
        return error.code
    } catch {
        setLastError("\(error)")
        return EmbedCode.argument
    }
}

// MARK: Handles

/// What a live handle points at.
enum HandleKind: Sendable { case node, community }

/// Every handle given to C and not yet destroyed. A lookup checks the table under the lock and takes a
/// strong reference there, so a handle destroyed concurrently is either refused or still alive for the call.
let liveHandles = Mutex<[UInt: HandleKind]>([:])

func registerHandle(_ object: some AnyObject & Sendable, _ kind: HandleKind) -> OpaquePointer {
    let raw = Unmanaged.passRetained(object).toOpaque()
    liveHandles.withLock { $0[UInt(bitPattern: raw)] = kind }
    return OpaquePointer(raw)
}

func lookupHandle<T: AnyObject & Sendable>(_ pointer: OpaquePointer?, _ kind: HandleKind, as type: T.Type,
                                             name: String) throws -> T {
    guard let pointer else { throw EmbedError(EmbedCode.null, "\(name) is NULL") }
    let raw = UnsafeMutableRawPointer(pointer)
    let object: T? = liveHandles.withLock { table in
        guard table[UInt(bitPattern: raw)] == kind else { return nil }
        return Unmanaged<T>.fromOpaque(raw).takeUnretainedValue()
    }
    guard let object else { throw EmbedError(EmbedCode.handle, "\(name) is not a live \(kind) handle") }
    return object
}

/// Removes `pointer` from the table and drops the reference the handle held.
func releaseHandle<T: AnyObject & Sendable>(_ pointer: OpaquePointer, as type: T.Type) {
    let raw = UnsafeMutableRawPointer(pointer)
    let wasLive = liveHandles.withLock { $0.removeValue(forKey: UInt(bitPattern: raw)) != nil }
    if wasLive { Unmanaged<T>.fromOpaque(raw).release() }
}

// MARK: Arguments

func requireString(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let pointer else { throw EmbedError(EmbedCode.null, "\(name) is NULL") }
    guard let text = String(validatingCString: pointer) else {
        throw EmbedError(EmbedCode.argument, "\(name) is not valid UTF-8")
    }
    return text
}

func requireAddress(_ ip: UnsafePointer<CChar>?, _ port: UInt16) throws -> Address {
    let text = try requireString(ip, "ip")
    guard let address = Address(ip: text, port: port) else {
        throw EmbedError(EmbedCode.argument, "\"\(text)\" is not an IP address")
    }
    return address
}

func requireBytes(_ bytes: UnsafePointer<UInt8>?, _ length: UInt, _ name: String) throws -> [UInt8] {
    guard length > 0 else { return [] }
    guard let bytes else { throw EmbedError(EmbedCode.null, "\(name) is NULL but its length is \(length)") }
    guard length <= 65_507 else { throw EmbedError(EmbedCode.argument, "\(name) is \(length) bytes: too big for a datagram") }
    return Array(UnsafeBufferPointer(start: bytes, count: Int(length)))
}

/// A payload that is its bytes, unchanged (the body of `ipv8_community_send_signed`).
struct RawPayload: Payload {
    static let messageID: UInt8 = 0
    var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }
    func encode(into packer: inout Packer) { packer.raw(bytes) }
    init(from unpacker: inout Unpacker) throws(WireError) { bytes = unpacker.remainingArray() }
}
