#!/usr/bin/env python3
"""A link with latency for the NAT lab (Tests/NAT/nat_lab.py), where the kernel has no netem.

Runs inside a namespace of its own that sits on a link between two lab namespaces, with two interfaces (the
two veth ends): every Ethernet frame arriving on one is sent out of the other --delay-ms milliseconds later, in
order, with no other change but this: an IPv4 UDP datagram's checksum is set to 0 ("none", valid for IPv4),
since frames read from a veth may carry a checksum the sender left for the hardware to finish. The queue is
bounded (--max-queue frames; beyond it frames are dropped and counted). Python standard library only; root.
Prints "relaying" once both interfaces are open; stops on SIGTERM/SIGINT, printing the counts.
"""
import argparse
import heapq
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def zero_udp_checksum(frame):
    """The frame with its IPv4 UDP checksum zeroed (other frames unchanged)."""
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00" or frame[14] >> 4 != 4 or frame[23] != 17:
        return frame
    if (frame[20] & 0x1F) or frame[21]:      # a fragment after the first: no UDP header here
        return frame
    offset = 14 + (frame[14] & 0x0F) * 4 + 6
    if len(frame) < offset + 2:
        return frame
    return frame[:offset] + b"\x00\x00" + frame[offset + 2:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="one interface")
    parser.add_argument("b", help="the other interface")
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--max-queue", type=int, default=10000)
    args = parser.parse_args()
    sockets = {}
    for name in (args.a, args.b):
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        sock.bind((name, 0))
        sock.setblocking(False)
        sockets[name] = sock
    other = {sockets[args.a]: sockets[args.b], sockets[args.b]: sockets[args.a]}
    delay = args.delay_ms / 1000.0
    queue, sequence = [], 0
    counts = {"relayed": 0, "dropped": 0}
    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(True))
    print("relaying %s <-> %s, %.1f ms" % (args.a, args.b, args.delay_ms), flush=True)
    while not stopping:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.5
        try:
            readable, _, _ = select.select(list(other), [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for sock in readable:
            for _ in range(256):                       # bounded per wakeup
                try:
                    frame, address = sock.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                if address[2] == PACKET_OUTGOING:      # our own sends, seen on the way out
                    continue
                if len(queue) >= args.max_queue:
                    counts["dropped"] += 1
                    continue
                heapq.heappush(queue, (now + delay, sequence, other[sock], zero_udp_checksum(frame)))
                sequence += 1
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
                counts["relayed"] += 1
            except OSError:
                counts["dropped"] += 1
    print("stopped relayed=%d dropped=%d" % (counts["relayed"], counts["dropped"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
