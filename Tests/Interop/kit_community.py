#!/usr/bin/env python3
"""The py-ipv8 side of swift-ipv8's authoring-kit interop test: a community with a task, a request cache
and the dataclass payload of every format (dataclass_payloads.Everything, message 9, sent with ez_send).

It walks to --walk-to (loopback only). A task sends its sample (rest=b"ask") to its peers every 0.5 s while
no request is pending; the pending request is a NumberCache (2 s timeout) keyed by the sample's `i` field.
A payload with rest=b"ask" is answered with the same fields, decoded and re-encoded, and rest=b"echo"; an
echo pops the cache and is checked field by field against what was sent. At the end it prints one JSON line:
{"asked_ok": bool (what we received equals the sample), "echo_ok": bool, "echoes": N, "timeouts": N,
 "blocked_sends": N}.
"""
import argparse
import asyncio
import dataclasses
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dataclass_payloads import Everything, add_signed_formats, sample  # noqa: E402
from ipv8.community import Community, CommunitySettings  # noqa: E402
from ipv8.keyvault.crypto import default_eccrypto  # noqa: E402
from ipv8.lazy_community import lazy_wrapper  # noqa: E402
from ipv8.peer import Peer  # noqa: E402
from ipv8.peerdiscovery.network import Network
from pynode import LoopbackOnlyEndpoint  # sends outside 127.0.0.0/8 are dropped and counted  # noqa: E402
from ipv8.requestcache import NumberCache, RequestCache  # noqa: E402


class Pending(NumberCache):
    def __init__(self, request_cache, number, community):
        super().__init__(request_cache, "ask", number)
        self.community = community

    @property
    def timeout_delay(self):
        return 2.0

    def on_timeout(self):
        self.community.timeouts += 1


def fields(p):
    return {name: getattr(p, name) for name in p.names if name != "rest"}


class KitCommunity(Community):
    community_id = bytes(20)

    def __init__(self, settings):
        super().__init__(settings)
        add_signed_formats(self.serializer)
        self.request_cache = RequestCache()
        self.add_message_handler(Everything, self.on_everything)
        self.asked_ok = None
        self.echo_ok = None
        self.echoes = self.timeouts = 0
        self.register_task("ask", self.ask, interval=0.5, delay=0)

    def ask(self):
        mine = sample()
        if self.get_peers() and not self.request_cache.has("ask", mine.i):
            self.request_cache.add(Pending(self.request_cache, mine.i, self))
            for peer in self.get_peers():
                self.ez_send(peer, dataclasses.replace(mine, rest=b"ask"))

    @lazy_wrapper(Everything)
    def on_everything(self, peer, payload):
        if payload.rest == b"ask":
            ok = fields(payload) == fields(sample())
            self.asked_ok = ok if self.asked_ok is None else (self.asked_ok and ok)
            self.ez_send(peer, dataclasses.replace(payload, rest=b"echo"))
        elif payload.rest == b"echo" and self.request_cache.has("ask", payload.i):
            self.request_cache.pop("ask", payload.i)
            self.echoes += 1
            ok = fields(payload) == fields(sample())
            self.echo_ok = ok if self.echo_ok is None else (self.echo_ok and ok)

    async def unload(self):
        await self.request_cache.shutdown()
        await super().unload()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--community-id", required=True)
    parser.add_argument("--walk-to", required=True)
    parser.add_argument("--duration", type=float, default=6)
    args = parser.parse_args()
    host, port = args.walk_to.rsplit(":", 1)
    if not host.startswith("127."):
        raise SystemExit("kit_community.py: refusing non-loopback address")
    KitCommunity.community_id = bytes.fromhex(args.community_id)
    endpoint = LoopbackOnlyEndpoint(port=0, ip="127.0.0.1")
    await endpoint.open()
    community = KitCommunity(CommunitySettings(my_peer=Peer(default_eccrypto.generate_key("medium")),
                                               endpoint=endpoint, network=Network()))
    me = endpoint.get_address()[1]
    community.my_estimated_lan = community.my_estimated_wan = ("127.0.0.1", me)
    community.register_task("walk", lambda: community.get_peers() or community.walk_to((host, int(port))),
                            interval=0.5, delay=0)
    await asyncio.sleep(args.duration)
    print(json.dumps({"asked_ok": community.asked_ok, "echo_ok": community.echo_ok, "echoes": community.echoes,
                      "timeouts": community.timeouts, "blocked_sends": LoopbackOnlyEndpoint.blocked}), flush=True)
    await community.unload()
    endpoint.close()


if __name__ == "__main__":
    asyncio.run(main())
