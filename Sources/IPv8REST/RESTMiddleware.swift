import HTTPTypes
import Hummingbird
import IPv8
import NIOCore

/// py-ipv8's `ApiKeyMiddleware`: with a key set, a request without it (`X-Api-Key` header or `apikey`
/// query parameter) gets 401 `{"error": "Unauthorized access"}`. `/docs` stays open.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let key: String?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key, !request.uri.path.hasPrefix("/docs") else { return try await next(request, context) }
        let given = request.headers[HTTPField.Name("X-Api-Key")!] ?? request.uri.queryParameters["apikey"].map(String.init)
        guard given == key else {
            return JSONResponse.make(.object([.init("error", .string("Unauthorized access"))]), status: .unauthorized)
        }
        return try await next(request, context)
    }
}

/// Every failure as py-ipv8's JSON (its `error_middleware`): `{"success": false, "error": {"code", "message"}}`,
/// with the HTTP status that fits (py-ipv8 answers 500 to all of them).
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RESTError {
            switch error {
            case .badJSON(let message):
                return JSONResponse.exception(code: "JSONDecodeError", message: message, status: .badRequest)
            case .badParameter(let message):
                // py-ipv8's code for bad hex (the class name of `binascii.Error`), with a 400 instead of its 500.
                return JSONResponse.exception(code: "Error", message: message, status: .badRequest)
            case .failure(let message, let status):
                return JSONResponse.failure(message, status: status)
            case .exception(let code, let message, let status):
                return JSONResponse.exception(code: code, message: message, status: status)
            case .timedOut(let deadline):
                return JSONResponse.exception(code: "TimeoutError", message: "no answer from the network within \(deadline)",
                                              status: .gatewayTimeout)
            case .nodeStopped:
                return JSONResponse.exception(code: "NodeStopped", message: "the node is not running", status: .serviceUnavailable)
            }
        } catch let error as DHTError {
            // A DHT operation failed (no nodes, nothing stored, peer not found): py-ipv8's answer, 500 included.
            return JSONResponse.exception(code: "DHTError", message: error.message, status: .internalServerError)
        } catch is NIOTooManyBytesError {
            return JSONResponse.exception(code: "HTTPRequestEntityTooLarge", message: "the body is over 64 KiB",
                                          status: .contentTooLarge)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "HTTPNotFound"
                : error.status == .methodNotAllowed ? "HTTPMethodNotAllowed" : "HTTPError"
            return JSONResponse.exception(code: code, message: error.body ?? error.status.reasonPhrase, status: error.status)
        } catch {
            return JSONResponse.exception(code: String(describing: type(of: error)), message: "\(error)",
                                          status: .internalServerError)
        }
    }
}
