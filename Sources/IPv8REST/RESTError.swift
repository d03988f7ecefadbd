/// Why a REST request failed, as the JSON body py-ipv8 sends: `{"success": false, "error": ...}`.
enum RESTError: Error, Sendable {
    /// The body is not the JSON object the route needs (py-ipv8: `JSONDecodeError`).
    case badJSON(String)
    /// The node's loop has stopped.
    case nodeStopped
}
