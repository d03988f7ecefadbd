#!/usr/bin/env python3
"""A real py-ipv8 node pinned to loopback, for interoperability tests of swift-ipv8.

It runs one test community (and optionally py-ipv8's DiscoveryCommunity) on 127.0.0.1 (or, with --ip ::1, on
py-ipv8's IPv6 endpoint, UDPv6Endpoint, on ::1, addresses written [::1]:PORT; or, with --dual-stack, on both
through py-ipv8's DispatcherEndpoint, as IPv8() builds it for a configuration naming UDPIPv4 and UDPIPv6), walks to the
addresses it is given, bootstraps off the trackers it is given with py-ipv8's stock DispersyBootstrapper,
and prints one JSON status line per interval on stdout:
  {"event": "status", "port": P, "mid": "...", "peers": [mids], "discovery_peers": [mids],
   "new_style_peers": [mids], "peer_addresses": {mid: "ip:port" or "[ip]:port"}, "port6": P or null,
   "my_addresses": [its my_peer.addresses],
   "received": {"<msg id>": count}, "blocked_sends": N, "trackers_blacklisted": bool, "tracker_is_peer": bool}

With --dht it also runs py-ipv8's own DHTDiscoveryCommunity (RandomWalk and PingChurn, as py-ipv8's default
configuration has them; --store-peer-interval S re-registers its "store_peer" task to run every S seconds
instead of py-ipv8's 30), with my_peer's address pinned to the bound <ip>:<port> (the DHT's own node id
derives from it), and its status lines add
  "dht": {"mid": hex, "routing_table": [mid hex], "store": [mid hex], "store_for_me": [mid hex]}
(the routing table's nodes, the peers it stores, the nodes that store it).

With --tracker-mode it runs instead a tracker as py-ipv8's public trackers do (scripts/tracker_service.py):
a very-low EC key, every datagram of the socket taken whatever its prefix, introduction requests answered
under their own prefix with a random other peer of that community introduced, and every known peer pinged
with an introduction request each --ping-interval seconds. Its status lines are
  {"event": "status", "port": P, "mid": "...", "services": {"<community id hex>": ["ip:port", ...]},
   "requests": N, "pings": N, "pongs": N, "blocked_sends": N}

Network safety: no default trackers, no broadcast bootstrapper, LAN/WAN estimates pinned to the bound
address (127.0.0.1 or ::1), interface discovery off, and every send to an address outside 127.0.0.0/8 and
::1 is dropped and counted (blocked_sends). The node stops after --duration seconds or on SIGTERM/SIGINT, prints a final line
{"event": "stopped", ...} and exits 3 when any send was blocked, else 0.
"""
import base64
import argparse
import asyncio
import json
import signal
import sys

from ipv8.community import Community, CommunitySettings
from ipv8.configuration import Bootstrapper, BootstrapperDefinition, ConfigBuilder, Strategy, WalkerDefinition
from ipv8.messaging.payload import IntroductionRequestPayload, IntroductionResponsePayload
from ipv8.peer import Peer
from ipv8.peerdiscovery.network import Network
from ipv8.keyvault.crypto import default_eccrypto
from ipv8.messaging.interfaces.dispatcher.endpoint import DispatcherEndpoint
from ipv8.messaging.interfaces.statistics_endpoint import StatisticsEndpoint
from ipv8.messaging.interfaces.udp.endpoint import UDPEndpoint, UDPv4Address, UDPv6Address, UDPv6Endpoint
from ipv8.peerdiscovery.community import DiscoveryCommunity
from ipv8.dht.discovery import DHTDiscoveryCommunity
from ipv8_service import IPv8


LOOPBACK_IPS = ("127.0.0.1", "::1")


def is_loopback(host):
    return str(host).startswith("127.") or str(host) == "::1"


class LoopbackOnly:
    """Mixin for an endpoint: drops and counts every send that would leave 127.0.0.0/8 and ::1."""

    blocked = 0

    def send(self, socket_address, packet):
        if not is_loopback(socket_address[0]):
            LoopbackOnly.blocked += 1
            return
        super().send(socket_address, packet)


class LoopbackOnlyEndpoint(LoopbackOnly, UDPEndpoint):
    """py-ipv8's IPv4 endpoint, loopback only."""


class LoopbackOnlyV6Endpoint(LoopbackOnly, UDPv6Endpoint):
    """py-ipv8's IPv6 endpoint (IPV6_V6ONLY), loopback only."""


def loopback_endpoint(ip, port):
    """The loopback-only endpoint for `ip` (127.0.0.1 or ::1)."""
    if ip not in LOOPBACK_IPS:
        raise SystemExit("pynode: --ip must be one of %s, not %s" % (", ".join(LOOPBACK_IPS), ip))
    return LoopbackOnlyV6Endpoint(port=port, ip=ip) if ":" in ip else LoopbackOnlyEndpoint(port=port, ip=ip)


def loopback_dispatcher(port):
    """py-ipv8's dual-stack endpoint (a DispatcherEndpoint with its UDPIPv4 and UDPIPv6 interfaces, what IPv8()
    builds from a configuration naming both), its two sockets on 127.0.0.1:port and ::1 (any port), loopback only."""
    endpoint = DispatcherEndpoint(["UDPIPv4", "UDPIPv6"])
    endpoint.interfaces = {"UDPIPv4": LoopbackOnlyEndpoint(port=port, ip="127.0.0.1"),
                           "UDPIPv6": LoopbackOnlyV6Endpoint(port=0, ip="::1")}
    endpoint._preferred_interface = endpoint.interfaces["UDPIPv4"]
    return endpoint


class Pinned:
    """Mixin: no LAN interface discovery; counts received message ids."""

    received = {}

    async def discover_lan_addresses(self):
        return None

    def guess_address(self, interface):
        """py-ipv8 guesses its IPv4 address from the machine's interfaces (asked only with a DispatcherEndpoint):
        pinned to the IPv4 socket's 127.0.0.1 address. No IPv6 guess, as py-ipv8 3.2.1 makes none with both
        interfaces (it learns its IPv6 address from the introduction responses of IPv6 peers)."""
        if interface == "UDPIPv4":
            return UDPv4Address("127.0.0.1", self.endpoint.get_address()[1])
        return None

    def on_packet(self, packet, warn_unknown=True):
        source, data = packet
        if len(data) > 22 and data[:22] == self.get_prefix():
            key = "%s:%d" % (type(self).__name__, data[22])
            Pinned.received[key] = Pinned.received.get(key, 0) + 1
        super().on_packet(packet, warn_unknown)


def make_test_community(community_id):
    class InteropCommunity(Pinned, Community):
        pass
    InteropCommunity.community_id = community_id
    return InteropCommunity


class PinnedDiscovery(Pinned, DiscoveryCommunity):
    pass


class PinnedDHT(Pinned, DHTDiscoveryCommunity):
    pass


def parse_address(text):
    """127.x.y.z:PORT as a tuple, [::1]:PORT as a UDPv6Address (py-ipv8 sends new-style messages to it)."""
    host, port = text.rsplit(":", 1)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not is_loopback(host):
        raise SystemExit("pynode: refusing non-loopback address %s" % text)
    return UDPv6Address(host, int(port)) if ":" in host else (host, int(port))


def address_text(address):
    host, port = address[0], address[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def keep_walking(overlays, walk_to, owner):
    """Like a bootstrapper: walk every overlay to `walk_to` now, and again each second while it has no peer
    (a task of `owner`)."""
    def walk_to_bootstrap_nodes():
        for overlay in overlays:
            if not overlay.get_peers():
                for address in walk_to:
                    overlay.walk_to(address)

    walk_to_bootstrap_nodes()
    if walk_to:
        owner.register_task("walk to bootstrap nodes", walk_to_bootstrap_nodes, interval=1.0)


def stop_on_signals():
    """An event set on SIGTERM or SIGINT (call from the running loop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


class TrackerStyleNode(Community):
    """A tracker as py-ipv8's tracker_service runs one: any prefix, introductions within a community, pings."""

    community_id = bytes(20)

    def __init__(self, endpoint):
        me = Peer(default_eccrypto.generate_key("very-low"))
        settings = CommunitySettings(my_peer=me, endpoint=endpoint, network=Network())
        super().__init__(settings)
        self.requests = self.pings = self.pongs = 0
        self.pending = {}
        endpoint.add_listener(self)   # every datagram, whatever its prefix

    def on_packet(self, packet, warn_unknown=False):
        source, data = packet
        if len(data) < 23:
            return
        try:
            if data[22] == 246:
                self.on_any_request(source, data, data[:22])
            elif data[22] == 245:
                self.on_any_response(source, data)
        except Exception as error:  # a bad datagram is dropped, as the tracker does
            print(json.dumps({"event": "error", "error": repr(error)}), file=sys.stderr, flush=True)

    def on_any_request(self, source, data, prefix):
        auth, _, payload = self._ez_unpack_auth(IntroductionRequestPayload, data)
        self.requests += 1
        peer = Peer(auth.public_key_bin, source)
        service = prefix[2:]
        self.network.add_verified_peer(peer)
        self.network.discover_services(peer, [service])
        others = [p for p in self.network.get_peers_for_service(service) if p != peer]
        chosen = others[self.requests % len(others)] if others else None
        self.endpoint.send(source, self.create_introduction_response(
            payload.destination_address, source, payload.identifier, introduction=chosen, prefix=prefix))

    def on_any_response(self, source, data):
        _, _, payload = self._ez_unpack_auth(IntroductionResponsePayload, data)
        if self.pending.pop(payload.identifier, None) == source:
            self.pongs += 1

    def ping_all(self):
        for peer in list(self.network.verified_peers):
            for service in self.network.get_services_for_peer(peer):
                packet = self.create_introduction_request(peer.address, prefix=b"\x00\x02" + service)
                self.pending[self.global_time % 65536] = peer.address
                self.pings += 1
                self.endpoint.send(peer.address, packet)

    def get_peer_for_introduction(self, exclude=None, new_style=False):
        return None


async def run_tracker(args):
    endpoint = LoopbackOnlyEndpoint(port=args.port, ip="127.0.0.1")
    await endpoint.open()
    tracker = TrackerStyleNode(endpoint)
    port = endpoint.get_address()[1]
    tracker.my_estimated_lan = ("127.0.0.1", port)
    tracker.my_estimated_wan = ("127.0.0.1", port)
    tracker.register_task("ping", tracker.ping_all, interval=args.ping_interval, delay=args.ping_interval)
    stop = stop_on_signals()
    loop = asyncio.get_running_loop()

    def status(event):
        services = {}
        for peer in tracker.network.verified_peers:
            for service in tracker.network.get_services_for_peer(peer):
                services.setdefault(service.hex(), []).append("%s:%d" % peer.address)
        return json.dumps({"event": event, "port": port, "mid": tracker.my_peer.mid.hex(), "services": services,
                           "requests": tracker.requests, "pings": tracker.pings, "pongs": tracker.pongs,
                           "blocked_sends": LoopbackOnlyEndpoint.blocked})

    deadline = loop.time() + args.duration
    while not stop.is_set() and loop.time() < deadline:
        print(status("status"), flush=True)
        try:
            await asyncio.wait_for(stop.wait(), timeout=args.interval)
        except asyncio.TimeoutError:
            pass
    print(status("stopped"), flush=True)
    await tracker.unload()
    endpoint.close()
    return 3 if LoopbackOnlyEndpoint.blocked else 0


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ip", default="127.0.0.1",
                        help="bind here: 127.0.0.1 (py-ipv8's UDPIPv4 endpoint) or ::1 (its UDPIPv6 endpoint)")
    parser.add_argument("--dual-stack", action="store_true",
                        help="py-ipv8's DispatcherEndpoint with both interfaces: 127.0.0.1:--port and ::1 (port6 in status)")
    parser.add_argument("--community-id")
    parser.add_argument("--walk-to", action="append", default=[])
    parser.add_argument("--tracker", action="append", default=[],
                        help="a tracker HOST:PORT for py-ipv8's DispersyBootstrapper (repeatable)")
    parser.add_argument("--tracker-mode", action="store_true", help="run a tracker-style node instead")
    parser.add_argument("--ping-interval", type=float, default=10.0, help="tracker mode: seconds between pings")
    parser.add_argument("--discovery", action="store_true", help="also run DiscoveryCommunity")
    parser.add_argument("--dht", action="store_true", help="also run DHTDiscoveryCommunity")
    parser.add_argument("--store-peer-interval", type=float, help="--dht: seconds between store_peer runs")
    parser.add_argument("--target", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--walker-interval", type=float, default=0.5)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--key", default="curve25519", help="key generation: curve25519, very-low, low, medium, high")
    parser.add_argument("--rest-port", type=int, help="also serve py-ipv8's REST API on 127.0.0.1 (0: any port)")
    parser.add_argument("--api-key", help="the REST API's key")
    args = parser.parse_args()
    if args.tracker_mode:
        return await run_tracker(args)
    if not args.community_id:
        raise SystemExit("pynode: --community-id is required")

    trackers = [parse_address(text) for text in args.tracker]
    bootstrappers = [BootstrapperDefinition(Bootstrapper.DispersyBootstrapper,
                                            {"ip_addresses": trackers, "dns_addresses": [], "bootstrap_timeout": 30.0})
                     ] if trackers else []
    cls = make_test_community(bytes.fromhex(args.community_id))
    builder = (ConfigBuilder(clean=True).set_log_level("WARNING").set_working_directory(".")
               .add_key_from_bin("me", base64.b64encode(default_eccrypto.generate_key(args.key).key_to_bin()).decode(), "")
               .set_walker_interval(args.walker_interval))
    builder.add_overlay("InteropCommunity", "me",
                        [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0})], bootstrappers, {}, [])
    extra = {"InteropCommunity": cls}
    if args.discovery:
        builder.add_overlay("PinnedDiscovery", "me",
                            [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0}),
                             WalkerDefinition(Strategy.RandomChurn, -1, {"sample_size": 8, "ping_interval": 1.0,
                                                                       "inactive_time": 27.5, "drop_time": 57.5}),
                             WalkerDefinition(Strategy.PeriodicSimilarity, -1, {})], bootstrappers, {}, [])
        extra["PinnedDiscovery"] = PinnedDiscovery
    if args.dht:
        builder.add_overlay("PinnedDHT", "me",
                            [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0}),
                             WalkerDefinition(Strategy.PingChurn, -1, {})], bootstrappers, {}, [])
        extra["PinnedDHT"] = PinnedDHT
    endpoint = loopback_dispatcher(args.port) if args.dual_stack else loopback_endpoint(args.ip, args.port)
    # With the REST API, the endpoint keeps statistics (what /overlays/statistics reads), as Tribler's does.
    ipv8 = IPv8(builder.finalize(), endpoint_override=StatisticsEndpoint(endpoint) if args.rest_port is not None else endpoint,
                extra_communities=extra)
    if args.rest_port is not None:
        # py-ipv8 3.2.1's StatisticsEndpoint deafens every overlay but the first: Community.__init__ calls
        # remove_listener, which assigns _listeners and _prefix_map on the wrapper (its __getattribute__ only
        # forwards reads), so later overlays register in maps the socket never reads. The first stays a general
        # listener of the real endpoint; the others are registered there by prefix.
        for overlay in ipv8.overlays[1:]:
            endpoint.add_prefix_listener(overlay, overlay.get_prefix())
    await ipv8.start()
    port = endpoint.get_address()[1]
    rest_port = None
    if args.rest_port is not None:
        from ipv8.REST.rest_manager import RESTManager
        rest = RESTManager(ipv8)
        await rest.start(port=args.rest_port, host="127.0.0.1", api_key=args.api_key)
        rest_port = rest.site._server.sockets[0].getsockname()[1]
    overlays = ipv8.overlays
    me = UDPv6Address(args.ip, port) if ":" in args.ip else (args.ip, port)
    for overlay in overlays:
        overlay.my_estimated_lan = me
        overlay.my_estimated_wan = me
    test_overlay = ipv8.get_overlay(cls)
    discovery = ipv8.get_overlay(PinnedDiscovery) if args.discovery else None
    dht = ipv8.get_overlay(PinnedDHT) if args.dht else None
    if dht:
        # the DHT's node id: my_peer.addresses[UDPv4Address] first
        dht.my_peer.address = UDPv6Address(args.ip, port) if ":" in args.ip else UDPv4Address(args.ip, port)
        if args.store_peer_interval:
            dht.replace_task("store_peer", dht.store_peer, interval=args.store_peer_interval)
    walk_to = [parse_address(address) for address in args.walk_to]

    keep_walking(overlays, walk_to, test_overlay)
    stop = stop_on_signals()
    loop = asyncio.get_running_loop()

    def status(event):
        peers = test_overlay.get_peers()
        return json.dumps({
            "event": event, "port": port, "mid": test_overlay.my_peer.mid.hex(),
            "port6": endpoint.interfaces["UDPIPv6"].get_address()[1] if args.dual_stack else None,
            "my_addresses": sorted(address_text(a) for a in test_overlay.my_peer.addresses.values()),
            "peers": sorted(p.mid.hex() for p in peers),
            "new_style_peers": sorted(p.mid.hex() for p in peers if p.new_style_intro),
            "peer_addresses": {p.mid.hex(): address_text(p.address) for p in peers},
            "discovery_peers": sorted(p.mid.hex() for p in discovery.get_peers()) if discovery else [],
            "pings": {p.mid.hex(): len(p.pings) for p in (discovery.get_peers() if discovery else [])},
            "received": Pinned.received, "blocked_sends": LoopbackOnlyEndpoint.blocked,
            "trackers_blacklisted": all(t in test_overlay.network.blacklist for t in trackers),
            "tracker_is_peer": any(p.address in trackers for p in peers),
            "rest_port": rest_port,
            "dht": {
                "mid": dht.my_peer.mid.hex(),
                "routing_table": sorted(node.mid.hex() for table in dht.routing_tables.values()
                                        for bucket in table.trie.values() for node in bucket.nodes.values()),
                "store": sorted(node.mid.hex() for nodes in dht.store.values() for node in nodes),
                "store_for_me": sorted(node.mid.hex() for nodes in dht.store_for_me.values() for node in nodes),
            } if dht else None,
        })

    deadline = loop.time() + args.duration
    while not stop.is_set() and loop.time() < deadline:
        print(status("status"), flush=True)
        try:
            await asyncio.wait_for(stop.wait(), timeout=args.interval)
        except asyncio.TimeoutError:
            pass
    print(status("stopped"), flush=True)
    if rest_port is not None:
        await rest.stop()
    await ipv8.stop()
    return 3 if LoopbackOnlyEndpoint.blocked else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
