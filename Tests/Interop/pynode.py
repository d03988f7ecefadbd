#!/usr/bin/env python3
"""A real py-ipv8 node pinned to loopback, for interoperability tests of swift-ipv8.

It runs one test community (and optionally py-ipv8's DiscoveryCommunity) on 127.0.0.1, walks to the
addresses it is given, and prints one JSON status line per interval on stdout:
  {"event": "status", "port": P, "mid": "...", "peers": [mids], "discovery_peers": [mids],
   "new_style_peers": [mids], "received": {"<msg id>": count}, "blocked_sends": N}

Network safety: no default trackers, no broadcast bootstrapper, LAN/WAN estimates pinned to 127.0.0.1,
interface discovery off, and every send to an address outside 127.0.0.0/8 is dropped and counted
(blocked_sends). The node stops after --duration seconds or on SIGTERM/SIGINT, prints a final line
{"event": "stopped", ...} and exits 3 when any send was blocked, else 0.
"""
import base64
import argparse
import asyncio
import json
import signal
import sys

from ipv8.community import Community, CommunitySettings
from ipv8.configuration import ConfigBuilder, Strategy, WalkerDefinition
from ipv8.keyvault.crypto import default_eccrypto
from ipv8.messaging.interfaces.udp.endpoint import UDPEndpoint
from ipv8.peerdiscovery.community import DiscoveryCommunity
from ipv8_service import IPv8


class LoopbackOnlyEndpoint(UDPEndpoint):
    """Drops and counts every send that would leave 127.0.0.0/8."""

    blocked = 0

    def send(self, socket_address, packet):
        if not str(socket_address[0]).startswith("127."):
            LoopbackOnlyEndpoint.blocked += 1
            return
        super().send(socket_address, packet)


class Pinned:
    """Mixin: no LAN interface discovery; counts received message ids."""

    received = {}

    async def discover_lan_addresses(self):
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


def parse_address(text):
    host, port = text.rsplit(":", 1)
    if not host.startswith("127."):
        raise SystemExit("pynode: refusing non-loopback address %s" % text)
    return host, int(port)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--community-id", required=True)
    parser.add_argument("--walk-to", action="append", default=[])
    parser.add_argument("--discovery", action="store_true", help="also run DiscoveryCommunity")
    parser.add_argument("--target", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--walker-interval", type=float, default=0.5)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--key", default="curve25519", help="key generation: curve25519, very-low, low, medium, high")
    args = parser.parse_args()

    cls = make_test_community(bytes.fromhex(args.community_id))
    builder = (ConfigBuilder(clean=True).set_log_level("WARNING").set_working_directory(".")
               .add_key_from_bin("me", base64.b64encode(default_eccrypto.generate_key(args.key).key_to_bin()).decode(), "")
               .set_walker_interval(args.walker_interval))
    builder.add_overlay("InteropCommunity", "me",
                        [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0})], [], {}, [])
    extra = {"InteropCommunity": cls}
    if args.discovery:
        builder.add_overlay("PinnedDiscovery", "me",
                            [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0}),
                             WalkerDefinition(Strategy.RandomChurn, -1, {"sample_size": 8, "ping_interval": 1.0,
                                                                       "inactive_time": 27.5, "drop_time": 57.5}),
                             WalkerDefinition(Strategy.PeriodicSimilarity, -1, {})], [], {}, [])
        extra["PinnedDiscovery"] = PinnedDiscovery
    endpoint = LoopbackOnlyEndpoint(port=args.port, ip="127.0.0.1")
    ipv8 = IPv8(builder.finalize(), endpoint_override=endpoint, extra_communities=extra)
    await ipv8.start()
    port = endpoint.get_address()[1]
    overlays = ipv8.overlays
    for overlay in overlays:
        overlay.my_estimated_lan = ("127.0.0.1", port)
        overlay.my_estimated_wan = ("127.0.0.1", port)
    test_overlay = ipv8.get_overlay(cls)
    discovery = ipv8.get_overlay(PinnedDiscovery) if args.discovery else None
    for address in args.walk_to:
        for overlay in overlays:
            overlay.walk_to(parse_address(address))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def status(event):
        peers = test_overlay.get_peers()
        return json.dumps({
            "event": event, "port": port, "mid": test_overlay.my_peer.mid.hex(),
            "peers": sorted(p.mid.hex() for p in peers),
            "new_style_peers": sorted(p.mid.hex() for p in peers if p.new_style_intro),
            "discovery_peers": sorted(p.mid.hex() for p in discovery.get_peers()) if discovery else [],
            "pings": {p.mid.hex(): len(p.pings) for p in (discovery.get_peers() if discovery else [])},
            "received": Pinned.received, "blocked_sends": LoopbackOnlyEndpoint.blocked,
        })

    deadline = loop.time() + args.duration
    while not stop.is_set() and loop.time() < deadline:
        print(status("status"), flush=True)
        try:
            await asyncio.wait_for(stop.wait(), timeout=args.interval)
        except asyncio.TimeoutError:
            pass
    print(status("stopped"), flush=True)
    await ipv8.stop()
    return 3 if LoopbackOnlyEndpoint.blocked else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
