#!/usr/bin/env python3
"""A real py-ipv8 3.2.1 node for the NAT lab (Tests/NAT/nat_lab.py): pynode.py's node, bound to a lab address.

Tests/Interop/pynode.py pins everything to 127.0.0.1; inside the lab's network namespaces a node must bind the
address of its namespace and send to the lab's other addresses. This driver reuses pynode's community classes
(the test community, the received-message counter, LAN discovery switched off) and differs only in:
- it binds --ip (an address of the namespace it runs in) and pins its LAN estimate to (--ip, port); its WAN
  estimate starts there too and is learnt from introduction responses, as py-ipv8 does;
- the guard: every send to an address outside the --allow networks (the lab's subnets, given by nat_lab.py) is
  dropped and counted (blocked_sends), and --tracker / --walk-to must lie inside them as well.
No default trackers, no broadcast bootstrapper, no interface discovery. One JSON status line per --interval:
  {"event": "status", "port": P, "mid": "...", "peers": [mids], "peer_addresses": ["ip:port", ...],
   "wan": "ip:port", "received": {...}, "blocked_sends": N}
IPv6 (--ip an IPv6 address): py-ipv8's UDPv6Endpoint (IPV6_V6ONLY), addresses written [ip]:port.
It stops after --duration seconds or on SIGTERM/SIGINT and exits 3 when any send was blocked, else 0.
"""
import argparse
import asyncio
import base64
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop"))

import pynode  # noqa: E402  (Tests/Interop/pynode.py: Pinned, make_test_community)
from ipv8.bootstrapping.dispersy.bootstrapper import DispersyBootstrapper  # noqa: E402
from ipv8.configuration import Bootstrapper, BootstrapperDefinition, ConfigBuilder, Strategy, WalkerDefinition  # noqa: E402
from ipv8.keyvault.crypto import default_eccrypto  # noqa: E402
from ipv8.messaging.interfaces.udp.endpoint import UDPEndpoint, UDPv6Address, UDPv6Endpoint  # noqa: E402
from ipv8_service import IPv8  # noqa: E402


class LabOnlyEndpoint(UDPEndpoint):
    """Drops and counts every send to an address outside the lab's networks."""

    allowed = []
    blocked = 0

    def send(self, socket_address, packet):
        try:
            address = ipaddress.ip_address(socket_address[0])
        except ValueError:
            address = None
        if address is None or not any(address in net for net in LabOnlyEndpoint.allowed):
            LabOnlyEndpoint.blocked += 1
            return
        super().send(socket_address, packet)


class LabOnlyV6Endpoint(LabOnlyEndpoint, UDPv6Endpoint):
    """py-ipv8's IPv6 endpoint (IPV6_V6ONLY), lab networks only."""


class LabV6Bootstrapper(DispersyBootstrapper):
    """py-ipv8's DispersyBootstrapper for IPv6 trackers: py-ipv8 3.2.1's turns every address into a UDPv4Address
    (its walk to [ip6]:port then fails packing an IPv4 introduction request), this one keeps UDPv6Address."""

    def __init__(self, ip_addresses, bootstrap_timeout=30.0):
        super().__init__([], [], bootstrap_timeout)
        self.ip_addresses = list(ip_addresses)


def lab_address(text):
    """IP:PORT or [IPv6]:PORT inside the lab's networks, as py-ipv8 holds it (UDPv6Address for IPv6)."""
    host, port = text.rsplit(":", 1)
    host = host.strip("[]")
    if not any(ipaddress.ip_address(host) in net for net in LabOnlyEndpoint.allowed):
        raise SystemExit("lab_pynode: refusing %s: not inside the lab's networks" % text)
    return UDPv6Address(host, int(port)) if ":" in host else (host, int(port))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ip", required=True, help="the address to bind (the namespace's own)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--allow", action="append", required=True, help="a lab network (CIDR) sends may go to")
    parser.add_argument("--community-id", required=True)
    parser.add_argument("--tracker", action="append", default=[])
    parser.add_argument("--walk-to", action="append", default=[])
    parser.add_argument("--target", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--walker-interval", type=float, default=0.5)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    LabOnlyEndpoint.allowed = [ipaddress.ip_network(n) for n in args.allow]
    trackers = [lab_address(t) for t in args.tracker]
    walk_to = [lab_address(t) for t in args.walk_to]
    lab_address("%s:0" % args.ip)

    trackers6 = [t for t in trackers if isinstance(t, UDPv6Address)]
    trackers = [t for t in trackers if not isinstance(t, UDPv6Address)]
    bootstrappers = [BootstrapperDefinition(Bootstrapper.DispersyBootstrapper,
                                            {"ip_addresses": trackers, "dns_addresses": [], "bootstrap_timeout": 30.0})
                     ] if trackers else []
    cls = pynode.make_test_community(bytes.fromhex(args.community_id))
    builder = (ConfigBuilder(clean=True).set_log_level("WARNING").set_working_directory(".")
               .add_key_from_bin("me", base64.b64encode(default_eccrypto.generate_key("curve25519").key_to_bin()).decode(), "")
               .set_walker_interval(args.walker_interval))
    builder.add_overlay("InteropCommunity", "me",
                        [WalkerDefinition(Strategy.RandomWalk, args.target, {"timeout": 3.0})], bootstrappers, {}, [])
    endpoint = (LabOnlyV6Endpoint if ":" in args.ip else LabOnlyEndpoint)(port=args.port, ip=args.ip)
    ipv8 = IPv8(builder.finalize(), endpoint_override=endpoint, extra_communities={"InteropCommunity": cls})
    if trackers6:
        ipv8.get_overlay(cls).bootstrappers.append(LabV6Bootstrapper(trackers6))
    await ipv8.start()
    port = endpoint.get_address()[1]
    overlay = ipv8.get_overlay(cls)
    me = UDPv6Address(args.ip, port) if ":" in args.ip else (args.ip, port)
    overlay.my_estimated_lan = me
    overlay.my_estimated_wan = me

    pynode.keep_walking([overlay], walk_to, overlay)
    stop = pynode.stop_on_signals()
    loop = asyncio.get_running_loop()

    def status(event):
        peers = overlay.get_peers()
        return json.dumps({
            "event": event, "port": port, "mid": overlay.my_peer.mid.hex(),
            "peers": sorted(p.mid.hex() for p in peers),
            "peer_addresses": sorted(pynode.address_text(p.address) for p in peers),
            "wan": pynode.address_text(overlay.my_estimated_wan),
            "walkable": sorted(pynode.address_text(a) for a in overlay.network.get_walkable_addresses()),
            "received": pynode.Pinned.received, "blocked_sends": LabOnlyEndpoint.blocked,
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
    return 3 if LabOnlyEndpoint.blocked else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
