#!/usr/bin/env python3
"""N real py-ipv8 nodes in one process on one asyncio loop, on 127.0.0.1: the py-ipv8 side of
`ipv8-bench swarm --compare-pyipv8`.

Each node is a stock py-ipv8 3.2.1 `IPv8` instance with its own UDP socket (LoopbackOnlyEndpoint), a
curve25519 key and one plain `Community` (the community id of our swarm benchmark) that walks with py-ipv8's
`RandomWalk` (its defaults: timeout 3 s, window 5, reset chance 50) toward --target peers, walker interval
--walker-interval, peer cap --max-peers. py-ipv8's algorithms are not changed: the only additions are the
loopback-only endpoint, LAN/WAN estimates pinned to 127.0.0.1 (no interface discovery), a count of the
introduction responses each endpoint sends, and a bootstrapper handing out a fixed address, as our
`AddressListBootstrapper` does (walked to while a node has no peer; no keep-alive walks, no blacklist):
  --bootstrap first   every node but node 0 bootstraps to node 0 (our `ipv8-bench swarm`);
  --bootstrap chain   node i bootstraps to node i-1 (node 0 to nobody).

The run starts when every socket is open and every node is built, and ends when every node has at least
--target peers (converged) or after --timeout seconds. Output, JSON lines on stdout:
  {"event": "started", "port": P, "nodes": N, ...}                   (P: node 0's port)
  {"event": "status", "seconds": S, "at_target": K, "min_peers": M, "answered": A}   every --interval seconds
  {"event": "converged" | "timeout" | "interrupted", "seconds": S, "cpu_seconds": C, "rss_growth_bytes": R,
   "rss_per_node_bytes": R/N, "answered": A, "requests_received": Q, "datagrams_in": D, "at_target": K,
   "min_peers": M, "mean_peers": P, "blocked_sends": B}
  {"event": "stopped", ...}
seconds: wall time from the first walk to the end; cpu_seconds: user+system CPU of the process over that
time (resource.getrusage); rss_growth_bytes: resident set (/proc/self/statm) at the end minus before the first
key or socket was made; answered: introduction responses sent (ids 245 and 233) by every node, which is
every introduction request answered. Stops early on SIGTERM/SIGINT; exits 3 when any send was blocked
(an address outside 127.0.0.0/8), 1 when the swarm did not converge, else 0.
"""
import argparse
import asyncio
import base64
import json
import os
import resource
import signal
import sys

from ipv8.bootstrapping.bootstrapper_interface import Bootstrapper
from ipv8.community import Community
from ipv8.configuration import ConfigBuilder, Strategy, WalkerDefinition
from ipv8.keyvault.crypto import default_eccrypto
from ipv8.messaging.interfaces.udp.endpoint import UDPEndpoint
from ipv8_service import IPv8

# Our SwarmBenchmark.Plain's community id.
COMMUNITY_ID = b"swift-ipv8 benchmark"
INTRODUCTION_RESPONSES = (245, 233)
INTRODUCTION_REQUESTS = (246, 234)


class LoopbackOnlyEndpoint(UDPEndpoint):
    """Drops and counts every send that would leave 127.0.0.0/8; counts introduction responses sent."""

    blocked = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses_sent = 0
        self.requests_received = 0
        self.datagrams_in = 0

    def send(self, socket_address, packet):
        if not str(socket_address[0]).startswith("127."):
            LoopbackOnlyEndpoint.blocked += 1
            return
        if len(packet) > 22 and packet[22] in INTRODUCTION_RESPONSES:
            self.responses_sent += 1
        super().send(socket_address, packet)

    def datagram_received(self, datagram, addr):
        self.datagrams_in += 1
        if len(datagram) > 22 and datagram[22] in INTRODUCTION_REQUESTS:
            self.requests_received += 1
        super().datagram_received(datagram, addr)


class SwarmCommunity(Community):
    """A plain community, as our benchmark's; no LAN interface discovery (the estimates are pinned)."""

    community_id = COMMUNITY_ID

    async def discover_lan_addresses(self):
        return None


class AddressBootstrapper(Bootstrapper):
    """Hands out fixed loopback addresses, like our AddressListBootstrapper: no keep-alive, no blacklist."""

    def __init__(self, addresses):
        super().__init__()
        self.addresses = list(addresses)

    def initialize(self, overlay):
        self.initialized = True
        future = asyncio.get_running_loop().create_future()
        future.set_result(True)
        return future

    async def get_addresses(self, overlay, timeout):
        return self.addresses

    def keep_alive(self, overlay):
        pass

    def blacklist(self):
        return []

    def unload(self):
        pass


def resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--target", type=int, default=20, help="RandomWalk target peers")
    parser.add_argument("--walker-interval", type=float, default=0.5)
    parser.add_argument("--max-peers", type=int, default=30)
    parser.add_argument("--bootstrap", choices=["first", "chain"], default="first")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up after this many seconds of walking")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between status lines")
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between convergence checks")
    args = parser.parse_args()
    if not 2 <= args.nodes <= 2000:
        raise SystemExit("pyswarm: --nodes must be in 2...2000")
    if not 0 < args.timeout <= 3600:
        raise SystemExit("pyswarm: --timeout must be in (0, 3600]")

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    rss_before = resident_bytes()
    nodes = []
    for _ in range(args.nodes):
        key = default_eccrypto.generate_key("curve25519")
        builder = (ConfigBuilder(clean=True).set_log_level("ERROR").set_working_directory(".")
                   .add_key_from_bin("me", base64.b64encode(key.key_to_bin()).decode(), "")
                   .set_walker_interval(args.walker_interval))
        builder.add_overlay("SwarmCommunity", "me", [WalkerDefinition(Strategy.RandomWalk, args.target, {})], [],
                            {"max_peers": args.max_peers}, [])
        endpoint = LoopbackOnlyEndpoint(port=0, ip="127.0.0.1")
        ipv8 = IPv8(builder.finalize(), endpoint_override=endpoint, extra_communities={"SwarmCommunity": SwarmCommunity})
        nodes.append((ipv8, endpoint, ipv8.get_overlay(SwarmCommunity)))
    for _, endpoint, overlay in nodes:
        await endpoint.open()
        address = ("127.0.0.1", endpoint.get_address()[1])
        overlay.my_estimated_lan = address
        overlay.my_estimated_wan = address
    addresses = [("127.0.0.1", endpoint.get_address()[1]) for _, endpoint, _ in nodes]
    for index, (_, _, overlay) in enumerate(nodes):
        if args.bootstrap == "first":
            bootstrap = [addresses[0]] if index > 0 else []
        else:
            bootstrap = [addresses[index - 1]] if index > 0 else []
        if bootstrap:
            overlay.bootstrappers.append(AddressBootstrapper(bootstrap))
    overlays = [overlay for _, _, overlay in nodes]
    endpoints = [endpoint for _, endpoint, _ in nodes]
    print(json.dumps({"event": "started", "port": addresses[0][1], "nodes": args.nodes, "target": args.target,
                      "walker_interval": args.walker_interval, "max_peers": args.max_peers,
                      "bootstrap": args.bootstrap}), flush=True)

    def figures(event, seconds, cpu):
        counts = [len(overlay.get_peers()) for overlay in overlays]
        rss_growth = resident_bytes() - rss_before
        return {"event": event, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                "rss_growth_bytes": rss_growth, "rss_per_node_bytes": rss_growth // args.nodes,
                "answered": sum(e.responses_sent for e in endpoints),
                "requests_received": sum(e.requests_received for e in endpoints),
                "datagrams_in": sum(e.datagrams_in for e in endpoints),
                "at_target": sum(1 for c in counts if c >= args.target), "min_peers": min(counts),
                "mean_peers": round(sum(counts) / len(counts), 2), "blocked_sends": LoopbackOnlyEndpoint.blocked}

    cpu_start = cpu_seconds()
    start = loop.time()
    for ipv8, _, _ in nodes:
        await ipv8.start()   # the endpoint is open already: this starts the walker task only
    deadline = start + args.timeout
    next_status = start
    converged = False
    while not stop.is_set() and loop.time() < deadline:
        if all(len(overlay.get_peers()) >= args.target for overlay in overlays):
            converged = True
            break
        now = loop.time()
        if now >= next_status:
            f = figures("status", now - start, cpu_seconds() - cpu_start)
            print(json.dumps({k: f[k] for k in ("event", "seconds", "at_target", "min_peers", "answered")}), flush=True)
            next_status += args.interval
        try:
            await asyncio.wait_for(stop.wait(), timeout=args.poll)
        except asyncio.TimeoutError:
            pass
    event = "converged" if converged else ("interrupted" if stop.is_set() else "timeout")
    result = figures(event, loop.time() - start, cpu_seconds() - cpu_start)
    print(json.dumps(result), flush=True)
    for ipv8, _, _ in nodes:
        await ipv8.stop()
    print(json.dumps({"event": "stopped", "blocked_sends": LoopbackOnlyEndpoint.blocked}), flush=True)
    if LoopbackOnlyEndpoint.blocked:
        return 3
    return 0 if converged else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
