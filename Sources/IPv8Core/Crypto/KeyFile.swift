#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Private key files and configuration key entries (spec §6.5, §10.1, §10.2).
///
/// A key file holds the raw private key bin (74 bytes for curve25519), not PEM, whatever its name
/// (py-ipv8's default is `ec_multichain.pem`). Every error names the path and the reason.
public enum KeyFile {
    /// Files larger than this are refused (a key bin is 74 bytes; legacy EC bins are a few hundred).
    static let maxFileSize = 64 * 1024

    /// Reads the private key bin stored at `path`.
    public static func load(_ path: String) throws(KeyError) -> PrivateKey {
        let content = try readFile(path)
        do {
            return try PrivateKey(bin: content)
        } catch {
            throw .badFileContent(path: path, reason: error.description)
        }
    }

    /// Writes `key`'s private bin to `path` with mode 0600, replacing the file atomically (temporary
    /// file in the same directory, then `rename`).
    public static func write(_ key: PrivateKey, to path: String) throws(KeyError) {
        var content = key.bin
        defer { for i in content.indices { content[i] = 0 } }
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .file(path: path, reason: "cannot create \(temp): \(errnoText())") }
        var ok = fchmod(fd, 0o600) == 0
        var written = 0
        while ok && written < content.count {
            let n = content.withUnsafeBytes { sysWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else { ok = false }
        }
        let reason = ok ? "" : errnoText()
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok else {
            unlink(temp)
            throw .file(path: path, reason: "cannot write: \(reason.isEmpty ? errnoText() : reason)")
        }
        guard rename(temp, path) == 0 else {
            let reason = errnoText()
            unlink(temp)
            throw .file(path: path, reason: "cannot rename \(temp) into place: \(reason)")
        }
    }

    /// py-ipv8's key set-up for one configuration entry `{alias, generation, file, bin}` (spec §10.2):
    /// 1. `file` set (non-empty) and the file exists → load it;
    /// 2. otherwise `bin` (base64 of a private key bin) present → parse it;
    /// 3. otherwise generate a key of `generation`: `"curve25519"`, or a legacy EC level `very-low`,
    ///    `low`, `medium`, `high` (``ECCurve/init(generation:)``); any other name throws
    ///    ``KeyError/unsupportedGeneration(_:)``
    /// and, in cases 2 and 3, write the key to `file` when one is set.
    public static func loadOrGenerate(alias: String, generation: String = "curve25519",
                                      file: String? = nil, bin: String? = nil) throws(KeyError) -> PrivateKey {
        let path = (file?.isEmpty ?? true) ? nil : file
        if let path, access(path, F_OK) == 0 {
            return try load(path)
        }
        let key: PrivateKey
        if let bin, !bin.isEmpty {
            guard let raw = Base64.decode(bin) else { throw .badConfiguredBin(alias: alias, reason: "not valid base64") }
            do {
                key = try PrivateKey(bin: raw)
            } catch {
                throw .badConfiguredBin(alias: alias, reason: error.description)
            }
        } else {
            if generation == "curve25519" {
                key = PrivateKey.generate()
            } else if let curve = ECCurve(generation: generation) {
                key = try PrivateKey.generate(curve: curve)
            } else {
                throw .unsupportedGeneration(generation)
            }
        }
        if let path { try write(key, to: path) }
        return key
    }

    static func readFile(_ path: String) throws(KeyError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .file(path: path, reason: "cannot open: \(errnoText())") }
        defer { close(fd) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .file(path: path, reason: "cannot read: \(errnoText())")
            }
            content += chunk[0..<n]
            guard content.count <= maxFileSize else {
                throw .badFileContent(path: path, reason: "larger than \(maxFileSize) bytes")
            }
        }
        return content
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, named apart from ``KeyFile/write(_:to:)``.
private func sysWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buf, count)
}
