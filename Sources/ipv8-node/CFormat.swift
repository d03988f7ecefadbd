#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `printf`-style formatting (`"%.2f"`, `"%5.1f"`, `"%016llx"`, `"%d"`) through the C library's `vsnprintf`:
/// `String(format:)` without full Foundation, which costs the node binary its ICU and about 6 MB of
/// resident memory. Arguments must match the conversions as in C (`Int` for `%d`, `Double` for `%f`,
/// `UInt64` for `%llx`); the result is cut at 255 bytes.
func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    withVaList(arguments) { list in
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            _ = vsnprintf(buffer.baseAddress!, buffer.count, format, list)
            return String(cString: buffer.baseAddress!)
        }
    }
}
