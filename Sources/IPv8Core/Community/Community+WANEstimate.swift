extension Community {
    /// Our connection as the introduction responses describe it (``WANReports/estimate(lan:ownHosts:now:)``,
    /// with the endpoint's ``Endpoint/interfaceHosts``, so that a node bound to `0.0.0.0` or `::` on a
    /// public host says `public`). Not on the wire: our requests and responses say `"unknown"`, as
    /// py-ipv8's do.
    public var connectionEstimate: WANReports.Estimate {
        wanReports.estimate(lan: myEstimatedLAN, ownHosts: endpoint.interfaceHosts, now: clock.now)
    }

    /// Spec §5.8: a response from `responder` saw us at `destination`. An IPv4 address outside the private
    /// ranges becomes ``myEstimatedWAN`` and a report in ``wanReports``; a LAN address says nothing about
    /// our WAN side (py-ipv8: not in a LAN subnet).
    func noteReportedAddress(_ destination: Address, by responder: Address) {
        guard destination.isIPv4 && !destination.isPrivateIPv4 else { return }
        myEstimatedWAN = destination
        wanReports.record(seen: destination, by: responder, now: clock.now)
    }
}
