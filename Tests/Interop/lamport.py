#!/usr/bin/env python3
"""py-ipv8's overlay_tutorial_5 (the Lamport clock community), pinned to loopback for interop tests.

The community is the tutorial's: message 1 `MyMessage(clock: int)` sent with ez_send, a task every 5 s that
sends our clock to every peer until it is non-zero, and `clock = max(clock, payload.clock) + 1` plus a reply
on every message. The key is a "medium" EC key, as in the tutorial. Differences, for the tests only: the
community id comes from --community-id, there are no public trackers (it walks to --walk-to), sends outside
127.0.0.0/8 are dropped, and it prints `listening on 127.0.0.1:PORT` first and one JSON line at the end:
{"mid": "<hex>", "clock": N, "received": N}.
"""
import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ipv8.community import Community, CommunitySettings
from ipv8.keyvault.crypto import default_eccrypto
from ipv8.lazy_community import lazy_wrapper
from ipv8.messaging.payload_dataclass import DataClassPayload
from ipv8.peer import Peer
from ipv8.peerdiscovery.network import Network
from pynode import LoopbackOnlyEndpoint  # sends outside 127.0.0.0/8 are dropped and counted


@dataclass
class MyMessage(DataClassPayload[1]):
    clock: int


class MyCommunity(Community):
    community_id = bytes(20)

    def __init__(self, settings: CommunitySettings) -> None:
        super().__init__(settings)
        self.add_message_handler(MyMessage, self.on_message)
        self.lamport_clock = 0
        self.received = 0

    def started(self) -> None:
        async def start_communication() -> None:
            if not self.lamport_clock:
                for p in self.get_peers():
                    self.ez_send(p, MyMessage(self.lamport_clock))
            else:
                self.cancel_pending_task("start_communication")

        self.register_task("start_communication", start_communication, interval=5.0, delay=0)

    @lazy_wrapper(MyMessage)
    def on_message(self, peer: Peer, payload: MyMessage) -> None:
        self.received += 1
        self.lamport_clock = max(self.lamport_clock, payload.clock) + 1
        print(self.my_peer, "current clock:", self.lamport_clock, flush=True)
        self.ez_send(peer, MyMessage(self.lamport_clock))


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--community-id", required=True)
    parser.add_argument("--walk-to")
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    MyCommunity.community_id = bytes.fromhex(args.community_id)
    endpoint = LoopbackOnlyEndpoint(port=0, ip="127.0.0.1")
    await endpoint.open()
    key = default_eccrypto.generate_key("medium")
    community = MyCommunity(CommunitySettings(my_peer=Peer(key), endpoint=endpoint, network=Network()))
    port = endpoint.get_address()[1]
    community.my_estimated_lan = ("127.0.0.1", port)
    community.my_estimated_wan = ("127.0.0.1", port)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    community.started()

    async def walk() -> None:
        # The tutorial's RandomWalk, reduced to its bootstrap node while we have no peer.
        if args.walk_to and not community.get_peers():
            host, p = args.walk_to.rsplit(":", 1)
            if not host.startswith("127."):
                raise SystemExit("lamport.py: refusing non-loopback address")
            community.walk_to((host, int(p)))

    community.register_task("walk", walk, interval=0.5, delay=0)
    await asyncio.sleep(args.duration)
    print(json.dumps({"mid": key.key_to_hash().hex(), "clock": community.lamport_clock,
                      "received": community.received}), flush=True)
    await community.unload()
    endpoint.close()
    return 3 if LoopbackOnlyEndpoint.blocked else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
