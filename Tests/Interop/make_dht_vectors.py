#!/usr/bin/env python3
"""Writes Tests/IPv8CoreTests/DHT/DHTVectors.swift: DHT wire-format vectors made by py-ipv8 3.2.1.

Every DHT message (ipv8/dht/payload.py, message ids 1..10) is sent with DHTDiscoveryCommunity.ez_send (a
DHTCommunity subclass with the same prefix 00 02 8d0be1845d74d175f178197cad001591d04d73cc) and caught at the
endpoint, so the packets are byte for byte what py-ipv8 puts on the wire. The sender has a fixed py-ipv8
"curve25519" key (LibNaCLSK), and Ed25519 signatures are deterministic, so every packet is stable across runs.
Each packet is decoded again the way py-ipv8's lazy_wrapper does (auth, signature check, payload) and compared
field by field. Also: calc_node_id, DHT values (serialize_value, unsigned and signed), the ids Storage keeps
them under, and distance().

The signed value made with the legacy EC key is NOT stable: py-ipv8's EC signatures are randomised, so that one
constant changes on every run (the Swift side can only verify it, not rebuild it).
Run with the venv's Python (`make interop-env` creates .venv); the output is committed, so tests need no Python.
"""
import asyncio
import hashlib
import sys
import time
from binascii import hexlify, unhexlify

from ipv8.community import CommunitySettings
from ipv8.dht import community as dht_community_module
from ipv8.dht.community import DHT_ENTRY_STR, DHT_ENTRY_STR_SIGNED, DHTCommunity
from ipv8.dht.discovery import DHTDiscoveryCommunity
from ipv8.dht.payload import (
    ConnectPeerRequestPayload,
    ConnectPeerResponsePayload,
    FindRequestPayload,
    FindResponsePayload,
    PingRequestPayload,
    PingResponsePayload,
    SignedStrPayload,
    StorePeerRequestPayload,
    StorePeerResponsePayload,
    StoreRequestPayload,
    StoreResponsePayload,
    StrPayload,
)
from ipv8.dht.routing import Node, calc_node_id, distance
from ipv8.dht.storage import Storage
from ipv8.keyvault.private.openssl import OpenSSLSK
from ipv8.messaging.interfaces.udp.endpoint import UDPv4Address, UDPv6Address
from ipv8.messaging.payload_headers import BinMemberAuthenticationPayload
from ipv8.peer import Peer
from ipv8.peerdiscovery.network import Network
from ipv8.test.mocking.endpoint import AutoMockEndpoint

# The fixed key: RFC 7748 section 6.1 Alice's X25519 secret and RFC 8032 section 7.1 TEST 1's Ed25519 seed,
# so the public halves and one signature can be checked against the RFCs.
X25519_SECRET = unhexlify("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
X25519_PUBLIC = unhexlify("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
ED25519_SEED = unhexlify("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
ED25519_PUBLIC = unhexlify("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
ED25519_EMPTY_SIG = unhexlify("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
                              "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")

# Two more curve25519 keys whose public key bins appear as nodes in node lists.
NODE1_SECRET = b"LibNaCLSK:" + b"\x11" * 32 + b"\x12" * 32
NODE2_SECRET = b"LibNaCLSK:" + b"\x21" * 32 + b"\x22" * 32

# A legacy EC "very-low" (sect163k1) key: the sect163k1 key of ECPacketVectors.swift.
EC_PRIVATE_BIN = unhexlify("3053020101041502b1a98b1bd26d26579c9f728055f47abc13367049a00706052b81040001a12e032c"
                           "0004025cb77f4143e4a4899ef8460a938bceeb32e819eb05b96531fcc24c4d13dad60c928489487f60137611")

FIXED_TIME = 1700000000.0  # time.time() while serialize_value(sign=True) runs: the value version
TOKEN = bytes(range(0x40, 0x54))  # 20 bytes
TARGET = hashlib.sha1(b"swift-ipv8 dht target").digest()
UNSIGNED_DATA = b"unsigned value"
SIGNED_DATA = b"signed value"
EC_SIGNED_DATA = b"ec signed value"
NODE1_ADDRESS = UDPv4Address("1.2.3.4", 1234)
NODE2_ADDRESS = UDPv6Address("2001:db8::2", 5678)
FIND_LAN = UDPv4Address("192.168.1.10", 7759)
CONNECT_LAN = UDPv6Address("2001:db8::a", 7760)
NODE_ID_ADDRESSES = [("IPv4Loopback", UDPv4Address("127.0.0.1", 8090)),
                     ("IPv4Private", UDPv4Address("10.1.2.3", 8090)),
                     ("IPv4Broadcast", UDPv4Address("255.255.255.255", 8090)),
                     ("IPv6Loopback", UDPv6Address("::1", 8090)),
                     ("IPv6Documentation", UDPv6Address("2001:db8::1", 8090))]


def h(data):
    return hexlify(data).decode()


def make_community(key):
    return DHTDiscoveryCommunity(CommunitySettings(my_peer=Peer(key), endpoint=AutoMockEndpoint(), network=Network()))


def send(community, payload):
    """The packet DHTCommunity.ez_send hands to the endpoint."""
    sent = []
    original = community.endpoint.send
    community.endpoint.send = lambda address, packet: sent.append(packet)
    try:
        community.ez_send(Peer(OpenSSLSK(NODE1_SECRET).pub().key_to_bin(), NODE1_ADDRESS), payload)
    finally:
        community.endpoint.send = original
    assert len(sent) == 1
    return sent[0]


def fields(payload):
    out = []
    for name in payload.names:
        value = getattr(payload, name)
        if name == "nodes":
            value = [(n.public_key.key_to_bin(), type(n.address).__name__, tuple(n.address)) for n in value]
        elif name == "lan_address":
            value = (type(value).__name__, tuple(value))
        out.append((name, value))
    return out


def check_packet(community, key, payload, packet):
    """Decode the packet as py-ipv8's lazy_wrapper does, and check its layout; returns the payload bytes."""
    public_bin = key.pub().key_to_bin()
    assert packet[:2] == b"\x00\x02"
    assert packet[2:22] == DHTCommunity.community_id
    assert packet[22] == payload.msg_id
    assert packet[23:25] == len(public_bin).to_bytes(2, "big")
    assert packet[25:25 + len(public_bin)] == public_bin
    # lazy_wrapper's steps
    auth, _ = community.serializer.unpack_serializable(BinMemberAuthenticationPayload, packet, offset=23)
    assert auth.public_key_bin == public_bin
    valid, remainder = community._verify_signature(auth, packet)
    assert valid
    # consume_all (the default) raises on any byte left over between the payload and the signature
    decoded, = community.serializer.unpack_serializable_list([type(payload)], remainder, offset=23)
    assert fields(decoded) == fields(payload), (fields(decoded), fields(payload))
    # the signature is plain Ed25519 over everything before it
    signature = packet[-64:]
    assert key.pub().verify(signature, packet[:-64])
    payload_bytes = packet[25 + len(public_bin):-64]
    assert payload_bytes == community.serializer.pack_serializable(payload)
    assert community.serializer.pack_serializable(decoded) == payload_bytes
    # no global time field: auth is followed directly by the payload
    assert packet == b"\x00\x02" + DHTCommunity.community_id + bytes([payload.msg_id]) \
        + len(public_bin).to_bytes(2, "big") + public_bin + payload_bytes + signature
    return payload_bytes


def serialize_value_at_fixed_time(community, data):
    real_time = time.time
    dht_community_module.time.time = lambda: FIXED_TIME
    try:
        return community.serialize_value(data, sign=True)
    finally:
        dht_community_module.time.time = real_time


async def generate():
    key = OpenSSLSK(b"LibNaCLSK:" + X25519_SECRET + ED25519_SEED)
    public_bin = key.pub().key_to_bin()
    assert key.key_to_bin() == b"LibNaCLSK:" + X25519_SECRET + ED25519_SEED
    assert public_bin == b"LibNaCLPK:" + X25519_PUBLIC + ED25519_PUBLIC
    assert key.signature(b"") == ED25519_EMPTY_SIG
    mid = key.key_to_hash()
    assert mid == hashlib.sha1(public_bin).digest()
    node1, node2 = OpenSSLSK(NODE1_SECRET), OpenSSLSK(NODE2_SECRET)
    ec_key = OpenSSLSK(EC_PRIVATE_BIN)

    community = make_community(key)
    ec_community = make_community(ec_key)
    out = {}

    def const(name, value, doc):
        out[name] = (value, doc)

    const("x25519Secret", h(X25519_SECRET),
          "The fixed key's X25519 secret (RFC 7748 section 6.1, Alice's private key).")
    const("ed25519Seed", h(ED25519_SEED),
          "The fixed key's 32-byte Ed25519 seed (RFC 8032 section 7.1, TEST 1).")
    const("privateKeyBin", h(key.key_to_bin()),
          "The fixed key's private key bin: `LibNaCLSK:` (10 bytes) + `x25519Secret` + `ed25519Seed`, 74 bytes.")
    const("publicKeyBin", h(public_bin),
          "The fixed key's public key bin: `LibNaCLPK:` + X25519 public key + Ed25519 public key (RFC 8032 TEST 1), "
          "74 bytes.")
    const("mid", h(mid), "sha1(`publicKeyBin`): the fixed key's mid.")
    const("emptyMessageSignature", h(key.signature(b"")),
          "The fixed key's signature of the empty message: RFC 8032 TEST 1's signature.")
    for name, node in (("node1", node1), ("node2", node2)):
        const(name + "PrivateKeyBin", h(node.key_to_bin()),
              "Private key bin (`LibNaCLSK:` + X25519 secret + Ed25519 seed) of the key of %s in the node lists." % name)
        const(name + "PublicKeyBin", h(node.pub().key_to_bin()),
              "Public key bin of %s in the node lists." % name)
    const("ecPrivateKeyBin", h(ec_key.key_to_bin()),
          "A legacy EC \"very-low\" (sect163k1) private key bin (the sect163k1 key of ECPacketVectors).")
    const("ecPublicKeyBin", h(ec_key.pub().key_to_bin()), "The public key bin of `ecPrivateKeyBin`.")

    const("communityID", h(DHTCommunity.community_id), "DHTCommunity.community_id.")
    const("prefix", h(community.get_prefix()), "The DHT prefix: 00 (zero byte), 02 (community version), "
          "community id.")
    const("token", h(TOKEN), "The 20-byte token used in store, find-response and store-peer messages.")
    const("target", h(TARGET), "The 20-byte target used in store and find requests: sha1(\"swift-ipv8 dht target\").")

    # DHT values ------------------------------------------------------------------------------------------
    unsigned_value = community.serialize_value(UNSIGNED_DATA, sign=False)
    assert unsigned_value == bytes([DHT_ENTRY_STR]) + UNSIGNED_DATA
    assert community.unserialize_value(unsigned_value) == (UNSIGNED_DATA, None, 0)
    signed_value = serialize_value_at_fixed_time(community, SIGNED_DATA)
    assert signed_value == serialize_value_at_fixed_time(community, SIGNED_DATA)  # deterministic
    signed_body = community.serializer.pack_serializable(SignedStrPayload(SIGNED_DATA, int(FIXED_TIME), public_bin))
    assert signed_value == bytes([DHT_ENTRY_STR_SIGNED]) + signed_body + key.signature(signed_value[:-64])
    assert community.unserialize_value(signed_value) == (SIGNED_DATA, public_bin, int(FIXED_TIME))
    ec_signed_value = serialize_value_at_fixed_time(ec_community, EC_SIGNED_DATA)
    ec_public_bin = ec_key.pub().key_to_bin()
    ec_sig_len = ec_key.pub().get_signature_length()
    ec_body = community.serializer.pack_serializable(SignedStrPayload(EC_SIGNED_DATA, int(FIXED_TIME), ec_public_bin))
    assert ec_signed_value[:-ec_sig_len] == bytes([DHT_ENTRY_STR_SIGNED]) + ec_body
    assert community.unserialize_value(ec_signed_value) == (EC_SIGNED_DATA, ec_public_bin, int(FIXED_TIME))
    assert serialize_value_at_fixed_time(ec_community, EC_SIGNED_DATA) != ec_signed_value  # randomised

    # Storage ids, read back from a real Storage filled by DHTCommunity.add_value
    storage = Storage()
    for value in (unsigned_value, signed_value, ec_signed_value):
        community.add_value(TARGET, value, storage)
    ids = {v.data: (v.id, v.version) for v in storage.items[TARGET]}
    assert ids[unsigned_value] == (hashlib.sha1(unsigned_value).digest(), 0)
    assert ids[signed_value] == (hashlib.sha1(public_bin).digest(), int(FIXED_TIME))
    assert ids[ec_signed_value] == (hashlib.sha1(ec_public_bin).digest(), int(FIXED_TIME))
    assert community.post_process_values([unsigned_value, signed_value]) == [(SIGNED_DATA, public_bin),
                                                                           (UNSIGNED_DATA, None)]

    const("valueVersion", int(FIXED_TIME),
          "The version in the signed values: int(time.time()) with time.time patched to return %r." % FIXED_TIME)
    const("unsignedValueData", h(UNSIGNED_DATA), "The data of `unsignedValue`: \"%s\"." % UNSIGNED_DATA.decode())
    const("unsignedValue", h(unsigned_value),
          "serialize_value(unsignedValueData, sign=False): 00 (DHT_ENTRY_STR) + the data as is (format \"raw\", "
          "no length).")
    const("unsignedValueStorageID", h(ids[unsigned_value][0]),
          "The id Storage keeps `unsignedValue` under: add_value passes no id, so Storage.put takes sha1 of the "
          "whole serialized value (with its 00 byte), not of the data.")
    const("signedValueData", h(SIGNED_DATA), "The data of `signedValue`: \"%s\"." % SIGNED_DATA.decode())
    const("signedValue", h(signed_value),
          "serialize_value(signedValueData, sign=True) by the fixed key at `valueVersion`: 01 (DHT_ENTRY_STR_SIGNED) "
          "+ varlenH data + UInt32 big-endian version + varlenH public key bin + 64-byte Ed25519 signature of "
          "everything before it (the 01 included). Stable.")
    const("signedValueStorageID", h(ids[signed_value][0]),
          "The id Storage keeps `signedValue` under: sha1 of the public key bin in it (= `mid`).")
    const("ecSignedValueData", h(EC_SIGNED_DATA), "The data of `ecSignedValue`: \"%s\"." % EC_SIGNED_DATA.decode())
    const("ecSignedValue", h(ec_signed_value),
          "serialize_value(ecSignedValueData, sign=True) by `ecPrivateKeyBin` at `valueVersion`: as `signedValue`, "
          "with the EC public key bin and a %d-byte EC signature. EC signatures are randomised: this changes on "
          "every run of the generator; verify it, do not rebuild it." % ec_sig_len)
    const("ecSignedValueStorageID", h(ids[ec_signed_value][0]),
          "The id Storage keeps `ecSignedValue` under: sha1(`ecPublicKeyBin`).")

    # Messages --------------------------------------------------------------------------------------------
    nodes2 = [Node(node1.pub().key_to_bin(), NODE1_ADDRESS), Node(node2.pub().key_to_bin(), NODE2_ADDRESS)]
    messages = [
        ("pingRequest", PingRequestPayload(0x01020304),
         "PingRequestPayload (msg id 1): identifier 0x01020304."),
        ("pingResponse", PingResponsePayload(0x01020304),
         "PingResponsePayload (msg id 2): identifier 0x01020304."),
        ("storeRequest", StoreRequestPayload(0xA0000003, TOKEN, TARGET, [unsigned_value, signed_value]),
         "StoreRequestPayload (msg id 3): identifier 0xA0000003, token `token`, target `target`, "
         "values [`unsignedValue`, `signedValue`]."),
        ("storeResponse", StoreResponsePayload(0xA0000003),
         "StoreResponsePayload (msg id 4): identifier 0xA0000003."),
        ("findRequest", FindRequestPayload(0xB0000005, FIND_LAN, TARGET, 3, True),
         "FindRequestPayload (msg id 5): identifier 0xB0000005, lan_address 192.168.1.10:7759, target `target`, "
         "offset 3, force_nodes true."),
        ("findResponse", FindResponsePayload(0xB0000005, TOKEN, [unsigned_value, signed_value], nodes2),
         "FindResponsePayload (msg id 6): identifier 0xB0000005, token `token`, values [`unsignedValue`, "
         "`signedValue`], nodes [(`node1PublicKeyBin`, 1.2.3.4:1234), (`node2PublicKeyBin`, [2001:db8::2]:5678)]."),
        ("storePeerRequest", StorePeerRequestPayload(0xC0000007, TOKEN, mid),
         "StorePeerRequestPayload (msg id 7): identifier 0xC0000007, token `token`, target `mid` (py-ipv8 only "
         "stores a peer under its own mid)."),
        ("storePeerResponse", StorePeerResponsePayload(0xC0000007),
         "StorePeerResponsePayload (msg id 8): identifier 0xC0000007."),
        ("connectPeerRequest", ConnectPeerRequestPayload(0xD0000009, CONNECT_LAN, node1.key_to_hash()),
         "ConnectPeerRequestPayload (msg id 9): identifier 0xD0000009, lan_address [2001:db8::a]:7760, target "
         "sha1(`node1PublicKeyBin`) (node1's mid)."),
        ("connectPeerResponse", ConnectPeerResponsePayload(0xD0000009, [Node(node2.pub().key_to_bin(),
                                                                             NODE2_ADDRESS)]),
         "ConnectPeerResponsePayload (msg id 10): identifier 0xD0000009, nodes [(`node2PublicKeyBin`, "
         "[2001:db8::2]:5678)]."),
    ]
    for name, payload, doc in messages:
        packet = send(community, payload)
        assert packet == send(community, payload)  # deterministic
        payload_bytes = check_packet(community, key, payload, packet)
        const(name + "Packet", h(packet),
              doc + " The full packet from DHTCommunity.ez_send by the fixed key: prefix, msg id, varlenH "
              "`publicKeyBin`, payload, 64-byte signature.")
        const(name + "Payload", h(payload_bytes),
              "The payload bytes of `%sPacket` alone (between the public key and the signature)." % name)

    # Node ids --------------------------------------------------------------------------------------------
    for name, address in NODE_ID_ADDRESSES:
        node_id = calc_node_id(address, mid)
        assert Node(public_bin, address).id == node_id
        kind = type(address).__name__
        const("nodeID%sAddress" % name, address[0], "An address (%s, port %d) for calc_node_id." % (kind, address[1]))
        const("nodeID%s" % name, h(node_id),
              "calc_node_id(%s(\"%s\", %d), `mid`): 3 bytes of crc32(masked ip) + mid[:17]."
              % (kind, address[0], address[1]))

    # Distances -------------------------------------------------------------------------------------------
    node1_id = calc_node_id(NODE1_ADDRESS, node1.key_to_hash())
    node2_id = calc_node_id(NODE2_ADDRESS, node2.key_to_hash())
    examples = [("", calc_node_id(NODE_ID_ADDRESSES[0][1], mid), node1_id,
                 "`nodeIDIPv4Loopback`", "node1's id (calc_node_id(1.2.3.4:1234, node1's mid))"),
                ("Nodes", node1_id, node2_id, "node1's id (calc_node_id(1.2.3.4:1234, node1's mid))",
                 "node2's id (calc_node_id([2001:db8::2]:5678, node2's mid))"),
                ("SameMid", calc_node_id(NODE_ID_ADDRESSES[0][1], mid), calc_node_id(NODE_ID_ADDRESSES[1][1], mid),
                 "`nodeIDIPv4Loopback`", "`nodeIDIPv4Private`")]
    for suffix, a, b, a_doc, b_doc in examples:
        d = distance(a, b)
        xor = d.to_bytes(20, "big")
        assert xor == bytes(x ^ y for x, y in zip(a, b))
        const("distance%sA" % suffix, h(a), "First node id of a distance example: %s." % a_doc)
        const("distance%sB" % suffix, h(b), "Second node id of a distance example: %s." % b_doc)
        const("distance%s" % suffix, h(xor),
              "distance(distance%sA, distance%sB): py-ipv8 returns an int; this is it as 20 big-endian bytes "
              "(the byte-wise XOR)." % (suffix, suffix))

    await community.unload()
    await ec_community.unload()
    return out


def swift_literal(value):
    if isinstance(value, int):
        return str(value)
    assert '"' not in value and "\\" not in value
    return '"%s"' % value


def main(out_path):
    constants = asyncio.run(generate())
    lines = ["// Generated by Tests/Interop/make_dht_vectors.py with py-ipv8 3.2.1; do not edit.",
             "// DHT wire-format vectors: DHT packets as DHTCommunity.ez_send sends them, their payloads, calc_node_id,",
             "// DHT values (serialize_value) and the ids Storage keeps them under, and distance(). All byte strings are",
             "// hex. Everything is stable across runs except `ecSignedValue` (EC signatures are randomised).",
             "", "enum DHTVectors {"]
    first = True
    for name, (value, doc) in constants.items():
        if not first:
            lines.append("")
        first = False
        lines.append("    /// " + doc)
        lines.append("    static let %s = %s" % (name, swift_literal(value)))
    lines.append("}")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/IPv8CoreTests/DHT/DHTVectors.swift")
