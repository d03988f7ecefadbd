#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import IPv8

/// JSON bodies in and out, as py-ipv8's REST API writes and reads them.
enum JSONResponse {
    /// `value` as an `application/json` response with `status`.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let text = value.serialized(indent: nil)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// py-ipv8's failure body: `{"success": false, "error": message}`.
    static func failure(_ message: String, status: HTTPResponse.Status) -> Response {
        make(.object([.init("success", .bool(false)), .init("error", .string(message))]), status: status)
    }

    /// py-ipv8's body for an exception: `{"success": false, "error": {"code": code, "message": message}}`.
    static func exception(code: String, message: String, status: HTTPResponse.Status) -> Response {
        make(.object([.init("success", .bool(false)),
                      .init("error", .object([.init("code", .string(code)), .init("message", .string(message))]))]),
             status: status)
    }

    /// `{"success": true}`.
    static var success: Response { make(.object([.init("success", .bool(true))])) }

    /// The request body as a JSON object (at most 64 KiB).
    /// - Throws: ``RESTError/badJSON(_:)`` when it is not JSON or not an object.
    static func object(of request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 16)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw RESTError.badJSON(bytes.isEmpty ? "the body is empty; a JSON object is needed" : "the body is not JSON")
        }
        guard case .object = value else { throw RESTError.badJSON("the body is not a JSON object") }
        return value
    }
}

extension JSONValue {
    /// `{"ip": …, "port": …}` for `address` (py-ipv8's address objects).
    static func address(_ address: Address) -> JSONValue {
        .object([.init("ip", .string(address.ip)), .init("port", .number(UInt64(address.port)))])
    }
}
