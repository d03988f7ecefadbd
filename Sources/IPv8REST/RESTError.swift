import HTTPTypes

/// Why a REST request failed, as the JSON body py-ipv8 sends: `{"success": false, "error": ...}`.
enum RESTError: Error, Sendable {
    /// The body is not the JSON object the route needs (py-ipv8: `JSONDecodeError`).
    case badJSON(String)
    /// A path or body parameter does not parse (py-ipv8: `binascii.Error` from `unhexlify`, as a 500).
    case badParameter(String)
    /// py-ipv8's answer for a refused request: `{"success": false, "error": message}` with `status`.
    case failure(String, HTTPResponse.Status)
    /// py-ipv8's answer for an exception (`{"success": false, "error": {"code", "message"}}`), with a
    /// status that fits better than its 500.
    case exception(code: String, message: String, status: HTTPResponse.Status)
    /// An operation on the network (a DHT lookup, store or connect) did not end within the deadline
    /// (``RESTSettings/dhtTimeout``); py-ipv8 has none and waits.
    case timedOut(Duration)
    /// The node's loop has stopped.
    case nodeStopped
}
