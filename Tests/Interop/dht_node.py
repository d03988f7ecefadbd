#!/usr/bin/env python3
"""A real py-ipv8 DHT node pinned to loopback, for interoperability tests of swift-ipv8's DHT.

It runs py-ipv8's own ipv8.dht.discovery.DHTDiscoveryCommunity (subclassed only to switch off LAN interface
discovery and to count received message ids, as pynode.py's Pinned mixin does) through py-ipv8's IPv8 service,
with the walkers py-ipv8's default configuration gives it: RandomWalk (20 peers, timeout 3 s) and PingChurn
(-1 peers). The overlay is the real DHT community (community id 8d0be1845d74d175f178197cad001591d04d73cc).

Command line:
  --port P                 UDP port on 127.0.0.1 (0, the default: any free port)
  --walk-to IP:PORT        walk there at start and every second while the DHT overlay has no peer
                           (repeatable; 127.0.0.0/8 only)
  --key KIND               curve25519 (default; LibNaCL Ed25519), or a legacy EC level: very-low, low, medium, high
  --duration S             stop after S seconds (default 60)
  --status-interval S      seconds between status lines (default 1.0)
  --walker-interval S      py-ipv8's walker interval (default 0.5, py-ipv8's default)
  --store-peer-interval S  re-register DHTDiscoveryCommunity's "store_peer" task (it stores our own mid on the
                           nodes closest to it) with this interval, first run after S seconds. Without it,
                           py-ipv8's own interval applies: first run 30 s after start, then every 30 s.
                           (A test option only: py-ipv8 nodes in the wild use 30 s.)

Network safety (as pynode.py): no default trackers and no bootstrappers, interface discovery off, LAN/WAN
estimates and my_peer's IPv4 address pinned to 127.0.0.1:<bound port> (the DHT adds no node while
my_estimated_wan is ("0.0.0.0", 0), and its own node id is calc_node_id(my_peer.addresses[UDPv4Address] or
my_estimated_wan, mid)), and every send to an address outside 127.0.0.0/8 is dropped and counted.

Lines on stdout, one JSON object each:
  {"event": "started", "port": P, "mid": hex, "public_key": hex, "node_id": hex, "key": KIND}
  {"event": "status", "port": P, "mid": hex, "node_id": hex (computed now, from my_peer's IPv4 address),
   "my_address": "ip:port", "peers": [mid hex], "routing_table": [{"mid", "address": "ip:port", "node_id",
   "status": 0 bad|1 unknown|2 good, "failed": N, "rtt": s}], "store": {key hex: [mid hex]},
   "store_for_me": {key hex: [mid hex]}, "storage": {key hex: [value hex]}, "tokens": [node id hex],
   "received": {"PinnedDHTDiscovery:<msg id>": count}, "blocked_sends": N}
     every --status-interval seconds. "store" is whom we store as peers (under their mid, from store-peer
     requests), "store_for_me" who stores us. "storage" holds, per key, the values of our IPv4 Storage as
     they are serialized on the wire (first byte 0: unsigned StrPayload; 1: signed SignedStrPayload +
     signature), newest first as py-ipv8 orders them.
  {"event": "stopped", ...the status fields...}   last, on --duration or SIGTERM/SIGINT.
The exit code is 3 when any send was blocked, else 0.

Commands, one JSON object per line on stdin; each is answered by one line carrying the same "id" (any JSON
value). Commands run concurrently; answers come in completion order. An optional "timeout" (seconds, default
30) bounds each command. Failures (DHTError, timeouts, bad input) are answered {"id": .., "ok": false,
"error": "<ExceptionType>: <message>"} and never stop the node. EOF on stdin stops only the reading.
  {"id": 1, "cmd": "store", "key": hex20, "value": hex, "sign": bool}
      -> store_value(key, value, sign); {"id": 1, "ok": true, "nodes": [mid hex]} (the nodes that confirmed)
  {"id": 2, "cmd": "find", "key": hex20}
      -> find_values(key); {"id": 2, "ok": true, "values": [{"data": hex, "public_key": hex or null}]}
  {"id": 3, "cmd": "connect", "mid": hex20}
      -> connect_peer(mid); {"id": 3, "ok": true, "nodes": [{"mid": hex, "address": "ip:port", "node_id": hex}]}
  {"id": 4, "cmd": "find_nodes", "key": hex20}
      -> find_nodes(key); {"id": 4, "ok": true, "nodes": [{"mid", "address", "node_id"}]}
  {"id": 5, "cmd": "status"}
      -> a status line ({"event": "status", ...}) with "id": 5 and "ok": true
Note: find_values and find_nodes crawl other nodes only (never our own Storage), and connect_peer answers
from our own "store" without any request when it holds the mid.
"""
import argparse
import asyncio
import base64
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ipv8.configuration import ConfigBuilder, Strategy, WalkerDefinition  # noqa: E402
from ipv8.dht.discovery import DHTDiscoveryCommunity  # noqa: E402
from ipv8.dht.routing import calc_node_id  # noqa: E402
from ipv8.keyvault.crypto import default_eccrypto  # noqa: E402
from ipv8.messaging.interfaces.udp.endpoint import UDPv4Address, UDPv6Address  # noqa: E402
from ipv8_service import IPv8  # noqa: E402
from pynode import LoopbackOnlyEndpoint, Pinned, keep_walking, stop_on_signals  # noqa: E402


class PinnedDHTDiscovery(Pinned, DHTDiscoveryCommunity):
    """py-ipv8's DHTDiscoveryCommunity, without LAN interface discovery, counting received message ids."""


def parse_address(text):
    host, port = text.rsplit(":", 1)
    if not host.startswith("127."):
        raise SystemExit("dht_node: refusing non-loopback address %s" % text)
    return UDPv4Address(host, int(port))


def address_text(address):
    return "%s:%d" % (address[0], address[1])


def node_json(node):
    return {"mid": node.mid.hex(), "address": address_text(node.address), "node_id": node.id.hex()}


def key20(command, field):
    raw = bytes.fromhex(command[field])
    if len(raw) != 20:
        raise ValueError("%s must be 20 bytes, got %d" % (field, len(raw)))
    return raw


class Driver:
    def __init__(self, ipv8, dht, port, args):
        self.ipv8 = ipv8
        self.dht = dht
        self.port = port
        self.args = args
        self.commands = set()

    def node_id(self):
        address = self.dht.my_peer.addresses.get(UDPv4Address, self.dht.my_estimated_wan)
        return calc_node_id(address, self.dht.my_peer.mid).hex()

    def status(self, event):
        dht = self.dht
        routing_table = []
        for table in dht.routing_tables.values():
            for bucket in table.trie.values():
                for node in bucket.nodes.values():
                    entry = node_json(node)
                    entry.update(status=node.status, failed=node.failed, rtt=round(node.rtt, 4))
                    routing_table.append(entry)
        storage = {}
        for address_class, store in dht.storages.items():
            if address_class is UDPv6Address:
                continue
            for key, values in store.items.items():
                if values:
                    storage.setdefault(key.hex(), []).extend(value.data.hex() for value in values)
        return {
            "event": event, "port": self.port, "mid": dht.my_peer.mid.hex(), "node_id": self.node_id(),
            "my_address": address_text(dht.my_peer.address),
            "peers": sorted(p.mid.hex() for p in dht.get_peers()),
            "routing_table": routing_table,
            "store": {k.hex(): [n.mid.hex() for n in v] for k, v in dht.store.items() if v},
            "store_for_me": {k.hex(): [n.mid.hex() for n in v] for k, v in dht.store_for_me.items() if v},
            "storage": storage,
            "tokens": sorted(node_id.hex() for node_id in dht.tokens),
            "received": dict(Pinned.received),
            "blocked_sends": LoopbackOnlyEndpoint.blocked,
        }

    @staticmethod
    def emit(obj):
        print(json.dumps(obj), flush=True)

    def on_line(self, line):
        line = line.strip()
        if not line:
            return
        try:
            command = json.loads(line)
            if not isinstance(command, dict):
                raise ValueError("a command is a JSON object")
        except ValueError as error:
            self.emit({"id": None, "ok": False, "error": "bad command line: %s" % error})
            return
        future = asyncio.ensure_future(self.run(command))
        self.commands.add(future)
        future.add_done_callback(self.commands.discard)

    async def run(self, command):
        ident = command.get("id")
        try:
            answer = await asyncio.wait_for(self.execute(command), timeout=float(command.get("timeout", 30.0)))
            answer.setdefault("ok", True)
        except asyncio.CancelledError:
            self.emit({"id": ident, "ok": False, "error": "CancelledError: node stopping"})
            raise
        except asyncio.TimeoutError:
            answer = {"ok": False, "error": "TimeoutError: no result within %s s" % command.get("timeout", 30.0)}
        except Exception as error:  # DHTError, bad hex, unknown command: answered, never fatal
            answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        answer["id"] = ident
        self.emit(answer)

    async def execute(self, command):
        cmd = command.get("cmd")
        dht = self.dht
        if cmd == "store":
            nodes = await dht.store_value(key20(command, "key"), bytes.fromhex(command["value"]),
                                          sign=bool(command.get("sign", False)))
            return {"nodes": [n.mid.hex() for n in nodes]}
        if cmd == "find":
            values = await dht.find_values(key20(command, "key"))
            return {"values": [{"data": data.hex(), "public_key": public_key.hex() if public_key else None}
                               for data, public_key in values]}
        if cmd == "connect":
            nodes = await dht.connect_peer(key20(command, "mid"))
            return {"nodes": [node_json(n) for n in nodes]}
        if cmd == "find_nodes":
            nodes = await dht.find_nodes(key20(command, "key"))
            return {"nodes": [node_json(n) for n in nodes]}
        if cmd == "status":
            return self.status("status")
        raise ValueError("unknown command %r" % (cmd,))


def start_stdin_reader(loop, on_line):
    """Reads fd 0 on a daemon thread (os.read: no Python-level lock held) and hands lines to the loop."""

    def reader():
        pending = b""
        while True:
            try:
                chunk = os.read(0, 65536)
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                try:
                    loop.call_soon_threadsafe(on_line, line.decode("utf-8", "replace"))
                except RuntimeError:  # the loop is closed
                    return

    threading.Thread(target=reader, name="dht_node stdin", daemon=True).start()


async def main():
    parser = argparse.ArgumentParser(description="A py-ipv8 DHT node on loopback (see the module docstring).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--walk-to", action="append", default=[])
    parser.add_argument("--key", default="curve25519", choices=["curve25519", "very-low", "low", "medium", "high"])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--status-interval", type=float, default=1.0)
    parser.add_argument("--walker-interval", type=float, default=0.5)
    parser.add_argument("--store-peer-interval", type=float)
    args = parser.parse_args()
    walk_to = [parse_address(text) for text in args.walk_to]

    key = default_eccrypto.generate_key(args.key)
    builder = (ConfigBuilder(clean=True).set_log_level("WARNING").set_working_directory(".")
               .add_key_from_bin("me", base64.b64encode(key.key_to_bin()).decode(), "")
               .set_walker_interval(args.walker_interval))
    builder.add_overlay("PinnedDHTDiscovery", "me",
                        [WalkerDefinition(Strategy.RandomWalk, 20, {"timeout": 3.0}),
                         WalkerDefinition(Strategy.PingChurn, -1, {})], [], {}, [])
    endpoint = LoopbackOnlyEndpoint(port=args.port, ip="127.0.0.1")
    ipv8 = IPv8(builder.finalize(), endpoint_override=endpoint,
                extra_communities={"PinnedDHTDiscovery": PinnedDHTDiscovery})
    await ipv8.start()
    port = endpoint.get_address()[1]
    dht = ipv8.get_overlay(PinnedDHTDiscovery)
    me = UDPv4Address("127.0.0.1", port)
    dht.my_estimated_lan = me
    dht.my_estimated_wan = me
    dht.my_peer.address = me  # get_my_node_id reads my_peer.addresses[UDPv4Address] first
    if args.store_peer_interval:
        dht.replace_task("store_peer", dht.store_peer, interval=args.store_peer_interval)

    keep_walking([dht], walk_to, dht)

    driver = Driver(ipv8, dht, port, args)
    driver.emit({"event": "started", "port": port, "mid": dht.my_peer.mid.hex(),
                 "public_key": dht.my_peer.public_key.key_to_bin().hex(), "node_id": driver.node_id(),
                 "key": args.key})

    stop = stop_on_signals()
    loop = asyncio.get_running_loop()
    start_stdin_reader(loop, driver.on_line)

    deadline = loop.time() + args.duration
    while not stop.is_set() and loop.time() < deadline:
        driver.emit(driver.status("status"))
        try:
            await asyncio.wait_for(stop.wait(), timeout=min(args.status_interval, max(0.0, deadline - loop.time())))
        except asyncio.TimeoutError:
            pass
    for future in list(driver.commands):
        future.cancel()
    if driver.commands:
        await asyncio.gather(*driver.commands, return_exceptions=True)
    driver.emit(driver.status("stopped"))
    await ipv8.stop()
    return 3 if LoopbackOnlyEndpoint.blocked else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
