"""The py-ipv8 side of swift-ipv8's declarative payload tests: dataclass payloads of every format.

`Everything` mirrors DataClassPayloadTests.Everything field for field. Run as a script, it prints the hex
of a fixed value (the vector the Swift tests compare with), or, given hex, decodes it and prints the fields
as JSON.
"""
import json
import sys
from dataclasses import dataclass

from ipv8.messaging.payload_dataclass import DataClassPayload, type_from_format
from ipv8.messaging.serialization import DefaultStruct, default_serializer

def add_signed_formats(serializer):
    """py-ipv8 has no packers for the signed 8/16/32-bit formats; add them as struct formats."""
    for fmt in ("b", "h", "i"):
        serializer.add_packer(fmt, DefaultStruct(">" + fmt))


add_signed_formats(default_serializer)


@dataclass
class Inner(DataClassPayload[0]):
    a: type_from_format("H")
    s: str


@dataclass
class Everything(DataClassPayload[9]):
    flag: bool
    b: type_from_format("B")
    h: type_from_format("H")
    i: type_from_format("I")
    q: type_from_format("Q")
    sb: type_from_format("b")
    sh: type_from_format("h")
    si: type_from_format("i")
    sq: int
    f: type_from_format("f")
    d: float
    bytes_: bytes
    text: str
    big: type_from_format("varlenI")
    big_text: type_from_format("varlenIutf8")
    pairs: type_from_format("varlenBx2")
    mids: type_from_format("varlenHx20")
    mid: type_from_format("20s")
    key: type_from_format("74s")
    address: type_from_format("ipv4")
    v6: type_from_format("ip_address")
    inner: Inner
    inners: list[Inner]
    flags: list[bool]
    numbers: list[int]
    reals: list[float]
    blobs: type_from_format("varlenH-list")
    rest: type_from_format("raw")


def sample():
    return Everything(True, 200, 65000, 4000000000, 2**63 + 5, -100, -30000, -2000000000, -(2**62), 1.5, -2.25,
                      b"\x01\x02\x03", "h\u00e9llo \u2603", b"big" * 3, "gro\u00df", b"\xaa\xbb\xcc\xdd",
                      bytes(range(40)), bytes(range(20)), bytes(range(74)), ("10.0.0.1", 8090), ("2001:db8::7", 4000),
                      Inner(7, "in"), [Inner(1, "a"), Inner(2, "bc")], [True, False, True], [1, -2, 2**40],
                      [0.5, -1e10], [b"x", b"", b"yz"], b"tail")


def as_json(p):
    def plain(v):
        if isinstance(v, bytes):
            return v.hex()
        if isinstance(v, (Inner,)):
            return {"a": v.a, "s": v.s}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, tuple):
            return "%s:%d" % (v[0], v[1])
        return v
    return {name: plain(getattr(p, name)) for name in p.names}


if __name__ == "__main__":
    if len(sys.argv) > 1:
        decoded, _ = default_serializer.unpack_serializable(Everything, bytes.fromhex(sys.argv[1]))
        print(json.dumps(as_json(decoded)))
    else:
        print(default_serializer.pack_serializable(sample()).hex())
