/// Errors a ``Community`` throws while being set up.
public enum CommunityError: Error, Equatable, CustomStringConvertible {
    /// A handler is already registered for this message id (core and deprecated ids are taken from the start).
    case handlerAlreadyRegistered(messageID: UInt8)

    public var description: String {
        switch self {
        case let .handlerAlreadyRegistered(id):
            return "a handler is already registered for message id \(id)"
        }
    }
}

/// Wraps an error thrown by a user handler, so that dispatch can tell it apart from a malformed packet.
struct HandlerFailure: Error {
    let underlying: any Error
}
