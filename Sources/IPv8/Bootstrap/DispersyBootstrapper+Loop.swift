import IPv8Core

extension EventLoop: HostNameResolver {
    /// Resolves through libuv's thread pool (``HostResolver``); a failed lookup gives no addresses.
    public func resolve(_ host: String, port: UInt16, completion: @escaping ([Address]) -> Void) {
        HostResolver.resolve(host, port: port, on: self) { result in
            if case .success(let addresses) = result { completion(addresses) } else { completion([]) }
        }
    }
}

extension DispersyBootstrapper {
    /// A bootstrapper whose DNS names `loop` resolves off its thread.
    public convenience init(ipAddresses: [Address], dnsAddresses: [(host: String, port: UInt16)] = [],
                            bootstrapTimeout: Double = 30.0, loop: EventLoop?) {
        self.init(ipAddresses: ipAddresses, dnsAddresses: dnsAddresses, bootstrapTimeout: bootstrapTimeout, resolver: loop)
    }
}
