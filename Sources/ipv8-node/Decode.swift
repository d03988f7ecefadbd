import ArgumentParser
import IPv8

#if canImport(Glibc)
import Glibc
#endif

/// `ipv8-node decode`: prints a captured IPv8 packet as JSON.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode an IPv8 packet given as hex and print it as JSON.",
        discussion: """
            Prints the prefix, community id, message id and name, every field, the public key and mid, and \
            whether the signature verifies. Exits with status 1 and the reason on stderr when the packet does \
            not parse. Reads the hex from standard input when no argument is given.
            """
    )

    @Argument(help: "The packet as hex (white space and a leading 0x are ignored). Default: standard input.")
    var hex: String?

    func run() throws {
        let text = hex ?? readAllStandardInput()
        guard let bytes = Hex.decode(text) else {
            throw CleanExit.failure("not hexadecimal: expected an even number of hex digits")
        }
        do {
            print(try PacketDescription.describeJSON(bytes: bytes))
        } catch {
            throw CleanExit.failure("cannot decode packet (\(bytes.count) bytes): \(error)")
        }
    }

    private func readAllStandardInput() -> String {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        return lines.joined()
    }
}

/// One clear line on stderr and a non-zero exit code, never a stack trace.
enum CleanExit {
    static func failure(_ message: String) -> ExitCode {
        var stderr = StandardError()
        print("ipv8-node: \(message)", to: &stderr)
        return ExitCode.failure
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
