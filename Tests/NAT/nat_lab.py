#!/usr/bin/env python3
"""NAT lab for swift-ipv8 (issue #13): real Linux NAT routers in network namespaces, nodes behind them.

Run as root; Python 3 standard library only; needs iproute2 (ip), iptables (the nf_tables flavour works here),
conntrack, and for --capture tcpdump. Topology (every namespace is named ipv8lab-<harness pid>-<role>):

    tracker 198.18.0.2 ─┐                         ┌─ nata: WAN 198.18.1.2 ── LAN 10.1.0.1/24 ── a1 10.1.0.11, a2 ...
    pub     198.18.0.3 ─┴─ br0 198.18.0.1 [inet] ─┤  (MASQUERADE out of its WAN, conntrack as Linux has it)
                                                  └─ natb: WAN 198.18.2.2 ── LAN 10.2.0.1/24 ── b1 10.2.0.11, b2 ...

"inet" is a plain router (no NAT, no filtering) joining the public segment 198.18.0.0/24 (RFC 2544 benchmarking
range, never routed) with the two WAN links 198.18.1.0/24 and 198.18.2.0/24. The NAT routers forward with
nothing but `iptables -t nat -A POSTROUTING -o wan -j MASQUERADE`: no DNAT, no port forwarding, no full-cone
rules; a datagram from outside that matches no conntrack entry is delivered to the router itself and gets
ICMP port unreachable, as a stock Linux router does. Optional, per run: packet loss at chosen routers
(`iptables -I FORWARD -m statistic --mode random --probability P -j DROP`; the kernel has no netem) and a low
conntrack UDP timeout in the NAT routers (net.netfilter.nf_conntrack_udp_timeout{,_stream}).

Network safety: the namespaces are joined only to each other (veth pairs created inside them; nothing is
added to the host's own namespace, no interface, route or rule of the host is touched), and no namespace has a
route out, so a datagram to any address outside the lab cannot leave. The nodes are given lab addresses only;
the py-ipv8 driver (lab_pynode.py) also drops every send outside the lab's networks. Every process is started
by this script and stopped by its PID (SIGTERM, then SIGKILL after a grace period); every loop has a deadline.
Everything made is removed in a finally block and on SIGINT/SIGTERM/SIGHUP; `cleanup` removes what a killed
harness left (namespaces whose PID is no longer a running nat_lab.py), stopping the processes still inside them
by PID (`ip netns pids`).

Usage (as root):
  nat_lab.py up [--hold S]                 build the lab, print its addresses, keep it until Ctrl-C (or S s)
  nat_lab.py down PID                      remove the lab of harness PID (stops processes inside by PID)
  nat_lab.py cleanup                       remove every lab whose harness is gone
  nat_lab.py list                          list the scenarios
  nat_lab.py run-scenario NAME [--runs N] [--duration S] [--loss PCT] [--loss-at nata,natb,inet]
                                          [--udp-timeout S] [--link-delay MS] [--capture] [--out DIR] [--conntrack]
                                          [--node-bin PATH] [--python PATH] [--emulate-puncture-ttl T]
Scenarios (`list` prints them): public, py-public, same-nat, loss, keepalive, nat2nat, mixed-nat2nat, remap (a
NAT's mapping changes mid-run), nat20 (20 nodes behind 4 NATs, 20 % loss), mixed-nat2nat-asked (expected to
connect); nat2nat-default-ttl, py-nat2nat, mixed-nat2nat-no-ahead (two NATed nodes one of which punctures at the
system's TTL, as py-ipv8 does, and the other does not puncture ahead: expected to fail, issue #13). A scenario may
start one node first and the others once the tracker has answered it, which fixes who is introduced to whom.
--link-delay MS puts MS of latency each way on each NAT's WAN link: the link runs through a namespace of its own
(ipv8lab-<pid>-dlya, -dlyb) where Tests/NAT/lab_delay.py copies the frames between its two veth ends after MS
(the kernel has no netem). Without it every link is instantaneous and races are won by processing time alone.
--emulate-puncture-ttl T is a what-if of a node-side change, made in the NATed hosts' own namespaces with nft
(the routers stay as they are): IPv8 punctures (message 249 or 231) leave with IP TTL T.
IPv6 (scenarios ipv6 and dual-stack, expected to connect): the public segment also carries fd00:13::/64 (a ULA
prefix, never routed; inet ::1, tracker ::2, pub ::3, and a second public host pub2 198.18.0.4 / ::4); the NATs
stay IPv4 (no NAT66). The tracker then binds :: (one dual-stack socket); a node bound "v6" binds its IPv6 address
and bootstraps from [fd00:13::2]:6421, a swift node bound "dual" binds :: and bootstraps from both tracker
addresses. Such scenarios say which peer addresses each node must hold ("expect_peers", read from the swift status
line's peer_addresses=, ipv8-node run --status-peer-addresses, and from py-ipv8's JSON); an IPv4 peer written
::ffff:a.b.c.d fails a run.
Each run builds a fresh lab, starts the nodes inside it (ip netns exec), reads their status lines until they
are connected (or the duration ends; scenarios that test holding run the whole duration), reads the NAT
routers' conntrack tables, and tears the lab down. A run of a scenario expected to connect also checks each
node's WAN estimate (swift: the status line's wan= and connection=; py-ipv8: its JSON "wan"): the public node
its own address and "public", a NATed node its NAT's WAN address at a port one of its conntrack mappings uses,
and "NAT" (result "wan_check"; a wrong estimate fails the run). At the end one
JSON line goes to stdout: {"scenario", "runs", "successes", "connect_s", ...}; progress goes to stderr.
Exit status: 0 when every run met the scenario's expectation ("expect": "connect" or "fail") without an error (a
process that exited early, a node that did not start as the scenario asks), else 1.
"""
import argparse
import ipaddress
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

PREFIX = "ipv8lab"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

PUBLIC_NET = "198.18.0.0/24"
INET_BR = "198.18.0.1"
TRACKER_IP = "198.18.0.2"
PUB_IP = "198.18.0.3"
TRACKER_PORT = 6421
NODE_PORT = 8090
ROUTERS = {  # name -> (WAN link /24 index, LAN /24); a lab builds the first two, or as many as a scenario asks
    "nata": (1, "10.1.0"),
    "natb": (2, "10.2.0"),
    "natc": (3, "10.3.0"),
    "natd": (4, "10.4.0"),
}
# Every address a lab process may send to: the public segment and WAN links (198.18.0.0/21), and the LANs.
LAB_NETS = ["198.18.0.0/21"] + ["%s.0/24" % lan for _, lan in ROUTERS.values()]
# IPv6 (scenarios with "ipv6"): only the public segment has it, a ULA prefix that is never routed; the NATs stay
# IPv4 (no NAT66). pub2 is a second public host, made only when a scenario names it.
PUBLIC_NET6 = "fd00:13::/64"
PUBLIC_IP6 = {"inet": "fd00:13::1", "tracker": "fd00:13::2", "pub": "fd00:13::3", "pub2": "fd00:13::4"}
PUB2_IP = "198.18.0.4"
LAB_NETS += [PUBLIC_NET6]

COMMAND_TIMEOUT = 20          # seconds any one setup/teardown command may take
STOP_GRACE = 5                # seconds a process gets after SIGTERM before SIGKILL
START_TIMEOUT = 10            # seconds a process gets to show it started (its first line, its first tracker answer)

IPV8_MESSAGES = {246: "intro-req", 245: "intro-resp", 250: "punct-req", 249: "puncture",
                 234: "new-intro-req", 233: "new-intro-resp", 232: "new-punct-req", 231: "new-puncture"}


def log(*parts):
    print("nat_lab:", *parts, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted("signal %d" % signum)


def run(argv, check=True, timeout=COMMAND_TIMEOUT, input=None):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
                            input=input)
    if check and result.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), result.returncode, result.stderr.strip()))
    return result


def ns_run(ns, argv, **kw):
    return run(["ip", "netns", "exec", ns] + argv, **kw)


def require_tools(capture):
    missing = [tool for tool in ["ip", "iptables", "conntrack"] + (["tcpdump"] if capture else [])
               if shutil.which(tool) is None]
    if missing:
        packages = {"ip": "iproute2", "iptables": "iptables", "conntrack": "conntrack", "tcpdump": "tcpdump"}
        raise SystemExit("nat_lab: missing %s (Debian packages: %s)"
                         % (", ".join(missing), " ".join(packages[m] for m in missing)))
    if os.geteuid() != 0:
        raise SystemExit("nat_lab: run as root (network namespaces, iptables)")


# ---------------------------------------------------------------------------------------------- processes

class Proc:
    """A process started inside a namespace; its stdout lines are kept with their arrival time."""

    def __init__(self, name, ns, argv, logdir, keep_lines=True):
        self.name, self.ns, self.argv = name, ns, argv
        self.lines = []
        self.started = time.monotonic()
        self.log_path = os.path.join(logdir, name + ".log")
        self.log_file = open(self.log_path, "w")
        self.keep_lines = keep_lines
        # `ip netns exec` enters the namespace and execs the command: the PID is the command's own.
        self.popen = subprocess.Popen(["ip", "netns", "exec", ns] + argv, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                      start_new_session=True)
        self.pid = self.popen.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            now = time.monotonic()
            self.log_file.write("%.3f %s" % (now - self.started, line))
            if self.keep_lines:
                self.lines.append((now, line.rstrip("\n")))

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        if self.popen.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                log("%s (pid %d) ignored SIGTERM; SIGKILL" % (self.name, self.pid))
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.popen.wait(timeout=STOP_GRACE)
        self.reader.join(timeout=STOP_GRACE)
        self.log_file.close()
        return self.popen.returncode


def stop_pids(pids):
    """SIGTERM each PID, then SIGKILL those still there after the grace period."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_GRACE
    for pid in pids:
        while time.monotonic() < deadline and os.path.exists("/proc/%d" % pid):
            time.sleep(0.1)
        if os.path.exists("/proc/%d" % pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# ---------------------------------------------------------------------------------------------- the lab

class Lab:
    ipv6 = False             # IPv6 on the public segment (PUBLIC_IP6); set before up()
    public_extra = ()        # more public hosts, e.g. (("pub2", PUB2_IP),); set before up()

    def __init__(self, pid, hosts_per_lan=1, routers=2):
        self.pid = pid
        self.hosts_per_lan = hosts_per_lan
        self.routers = dict(list(ROUTERS.items())[:routers])
        self.created = []        # namespaces made, in order
        self.procs = []

    def ns(self, role):
        return "%s-%d-%s" % (PREFIX, self.pid, role)

    def host_ip(self, role):
        if role == "tracker":
            return TRACKER_IP
        if role == "pub":
            return PUB_IP
        if role == "pub2":
            return PUB2_IP
        router = "nat" + role[0]
        return "%s.%d" % (ROUTERS[router][1], 10 + int(role[1:]))

    def hosts(self):
        return ["%s%d" % (r[3], i) for r in self.routers for i in range(1, self.hosts_per_lan + 1)]

    def add_ns(self, role):
        name = self.ns(role)
        run(["ip", "netns", "add", name])
        self.created.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])
        # No IPv6 (its link-local chatter would only clutter captures); everything here is IPv4.
        ns_run(name, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"])
        # Frames bridged within a segment (the LANs, the public segment) stay out of iptables and conntrack, as
        # on a home router's switch; where br_netfilter is built in, it defaults to on in every namespace.
        if os.path.exists("/proc/sys/net/bridge/bridge-nf-call-iptables"):
            ns_run(name, ["sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0"], check=False)
        return name

    def veth(self, ns_a, name_a, ns_b, name_b):
        run(["ip", "-n", ns_a, "link", "add", "name", name_a, "type", "veth", "peer", "name", name_b, "netns", ns_b])

    def up(self, loss=0.0, loss_at=("nata",), udp_timeout=None, puncture_ttl=None, puncture_ttl_at=None,
           link_delay_ms=0.0, logdir=None):
        inet = self.add_ns("inet")
        run(["ip", "-n", inet, "link", "add", "name", "br0", "type", "bridge"])
        run(["ip", "-n", inet, "addr", "add", INET_BR + "/24", "dev", "br0"])
        run(["ip", "-n", inet, "link", "set", "br0", "up"])
        ns_run(inet, ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
        for role, ip in (("tracker", TRACKER_IP), ("pub", PUB_IP)) + tuple(self.public_extra):
            host = self.add_ns(role)
            self.veth(inet, "p-" + role, host, "eth0")
            run(["ip", "-n", inet, "link", "set", "p-" + role, "master", "br0", "up"])
            self._host_addr(host, ip, INET_BR)
        for router, (index, lan) in self.routers.items():
            r = self.add_ns(router)
            if link_delay_ms > 0:
                # The WAN link through a namespace of its own where lab_delay.py delays every frame.
                delay = self.add_ns("dly" + router[3])
                self.veth(inet, "w-" + router, delay, "x0")
                self.veth(delay, "x1", r, "wan")
                for end in ("x0", "x1"):
                    run(["ip", "-n", delay, "link", "set", end, "up"])
                relay = self.start("delay-" + router, "dly" + router[3],
                                   [sys.executable, os.path.join(HERE, "lab_delay.py"), "x0", "x1",
                                    "--delay-ms", "%g" % link_delay_ms], logdir or tempfile.gettempdir())
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and relay.alive() and not relay.lines:
                    time.sleep(0.02)
                if not relay.lines:
                    raise RuntimeError("lab_delay.py did not start on %s's link" % router)
            else:
                self.veth(inet, "w-" + router, r, "wan")
            run(["ip", "-n", inet, "addr", "add", "198.18.%d.1/24" % index, "dev", "w-" + router])
            run(["ip", "-n", inet, "link", "set", "w-" + router, "up"])
            run(["ip", "-n", r, "addr", "add", "198.18.%d.2/24" % index, "dev", "wan"])
            run(["ip", "-n", r, "link", "set", "wan", "up"])
            run(["ip", "-n", r, "route", "add", "default", "via", "198.18.%d.1" % index])
            run(["ip", "-n", r, "link", "add", "name", "lan", "type", "bridge"])
            run(["ip", "-n", r, "addr", "add", lan + ".1/24", "dev", "lan"])
            run(["ip", "-n", r, "link", "set", "lan", "up"])
            ns_run(r, ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
            ns_run(r, ["iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"])
            if udp_timeout is not None:
                ns_run(r, ["sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=%d" % udp_timeout,
                           "net.netfilter.nf_conntrack_udp_timeout_stream=%d" % udp_timeout])
            for i in range(1, self.hosts_per_lan + 1):
                role = "%s%d" % (router[3], i)
                host = self.add_ns(role)
                self.veth(r, "h%d" % i, host, "eth0")
                run(["ip", "-n", r, "link", "set", "h%d" % i, "master", "lan", "up"])
                self._host_addr(host, self.host_ip(role), lan + ".1")
                if puncture_ttl and (not puncture_ttl_at or role in puncture_ttl_at):
                    self._puncture_ttl(host, puncture_ttl)
        if loss > 0:
            for router in loss_at:
                ns_run(self.ns(router), ["iptables", "-I", "FORWARD", "-m", "statistic", "--mode", "random",
                                         "--probability", "%.4f" % (loss / 100.0), "-j", "DROP"])
        if self.ipv6:
            self._ipv6_public()

    def _ipv6_public(self):
        """IPv6 on the public segment: inet's bridge and each public host get their PUBLIC_IP6 address (nodad:
        usable at once); add_ns switched IPv6 off everywhere, so it is switched on again in these namespaces."""
        for role in ["inet", "tracker", "pub"] + [r for r, _ in self.public_extra]:
            dev = "br0" if role == "inet" else "eth0"
            ns_run(self.ns(role), ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                                   "net.ipv6.conf.default.disable_ipv6=0", "net.ipv6.conf.%s.disable_ipv6=0" % dev])
            run(["ip", "-n", self.ns(role), "addr", "add", PUBLIC_IP6[role] + "/64", "dev", dev, "nodad"])

    def _host_addr(self, host, ip, gateway):
        run(["ip", "-n", host, "addr", "add", ip + "/24", "dev", "eth0"])
        run(["ip", "-n", host, "link", "set", "eth0", "up"])
        run(["ip", "-n", host, "route", "add", "default", "via", gateway])

    def _puncture_ttl(self, host, ttl):
        """What-if of a node-side change, applied in the node's own namespace (the routers stay as they are):
        IPv8 punctures (message 249 or 231, the 23rd payload byte) leave with IP TTL `ttl`."""
        rules = ("table ip ipv8lab_ttl {\n chain out {\n  type filter hook output priority 0; policy accept;\n"
                 "  meta l4proto udp @th,240,8 { 249, 231 } ip ttl set %d\n }\n}\n" % ttl)
        ns_run(host, ["nft", "-f", "-"], input=rules)

    def start(self, name, role, argv, logdir, keep_lines=True):
        proc = Proc(name, self.ns(role), argv, logdir, keep_lines)
        self.procs.append(proc)
        return proc

    def conntrack(self, router):
        out = ns_run(self.ns(router), ["conntrack", "-L", "-p", "udp"], check=False)
        return [line for line in out.stdout.splitlines() if line.strip()]

    def teardown(self):
        # Not interruptible: a signal arriving now is delivered (and handled) once everything is removed.
        blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            self._teardown()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _teardown(self):
        for proc in reversed(self.procs):
            try:
                proc.stop()
            except Exception as error:  # keep tearing down
                log("stopping %s: %r" % (proc.name, error))
        self.procs = []
        for name in reversed(self.created):
            remove_namespace(name)
        self.created = []


def remove_namespace(name):
    """Stops every process still inside namespace `name` by PID, then deletes it (with its veths)."""
    pids = run(["ip", "netns", "pids", name], check=False).stdout.split()
    if pids:
        stop_pids([int(p) for p in pids])
    run(["ip", "netns", "del", name], check=False)


def lab_namespaces():
    out = run(["ip", "netns", "list"], check=False).stdout
    result = []
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        match = re.match(r"^%s-(\d+)-[a-z0-9]+$" % PREFIX, name)
        if match:
            result.append((name, int(match.group(1))))
    return result


def harness_alive(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"nat_lab.py" in f.read()
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------- nodes

class Node:
    """A node under test: its process and how to read 'how many peers' from its status lines."""

    bind = None              # None (its IPv4 address), "v6" (its IPv6 address) or "dual" (swift: --ip ::)
    expect_addresses = ()    # peer addresses ("ip:port", "[ip6]:port") that count as connected, when given

    def __init__(self, proc, impl, role, min_peers=1):
        self.proc, self.impl, self.role, self.min_peers = proc, impl, role, min_peers

    def samples(self):
        """(time, peers) for every status line so far."""
        result = []
        for t, line in list(self.proc.lines):
            if self.impl == "swift":
                match = re.match(r"^status t=\S+ port=\d+ peers=[0-9a-f]{8}=(\d+)", line)
                if match:
                    result.append((t, int(match.group(1))))
            else:
                if line.startswith("{"):
                    try:
                        status = json.loads(line)
                    except ValueError:
                        continue
                    if status.get("event") in ("status", "stopped"):
                        result.append((t, len(status.get("peers", []))))
        return result

    def address_samples(self):
        """(time, [peer address]) for every status line so far (swift: --status-peer-addresses)."""
        result = []
        for t, line in list(self.proc.lines):
            if self.impl == "swift":
                match = re.match(r"^status t=.* peer_addresses=(\S*)", line)
                if match:
                    result.append((t, [a for a in match.group(1).split(",") if a]))
            elif line.startswith("{"):
                try:
                    status = json.loads(line)
                except ValueError:
                    continue
                if status.get("event") in ("status", "stopped"):
                    result.append((t, status.get("peer_addresses", [])))
        return result

    def first_connected(self):
        """When the node first had `min_peers` peers (1 unless the scenario says "converge_peers"), or, with
        `expect_addresses`, first had a peer at each of them."""
        if self.expect_addresses:
            for t, addresses in self.address_samples():
                if set(self.expect_addresses) <= set(addresses):
                    return t
            return None
        for t, peers in self.samples():
            if peers >= self.min_peers:
                return t
        return None

    def last_status(self):
        for _, line in reversed(list(self.proc.lines)):
            if line.startswith("status ") or line.startswith("{"):
                return line
        return None

    def wan(self):
        """(WAN estimate "ip:port", connection estimate) from the last status line; py-ipv8's status has no
        connection estimate (None), and neither has a line before the first status (None, None)."""
        line = self.last_status()
        if line is None:
            return None, None
        if self.impl == "swift":
            match = re.search(r" wan=(\S+) connection=(\S+)", line)
            return (match.group(1), match.group(2)) if match else (None, None)
        try:
            return json.loads(line).get("wan"), None
        except ValueError:
            return None, None


def mappings(conntrack_lines, host_ip, port):
    """{destination "ip:port": "ip:port" the NAT maps host_ip:port to} for the conntrack entries the host opened
    (original direction from host_ip:port; the reply direction's destination is the mapped address)."""
    result = {}
    for line in conntrack_lines:
        fields = re.findall(r"\b(src|dst|sport|dport)=(\S+)", line)
        if len(fields) < 8:
            continue
        orig, reply = dict(fields[:4]), dict(fields[4:8])
        if orig["src"] == host_ip and orig["sport"] == str(port):
            result["%s:%s" % (orig["dst"], orig["dport"])] = "%s:%s" % (reply["dst"], reply["dport"])
    return result


def check_wan(lab, nodes, tables, remapped=(), churning=False):
    """Each node's WAN estimate against the truth: the public node's own address (connection "public"); a NATed
    node's NAT's WAN address at a port one of its conntrack mappings really uses (connection "NAT", or
    "symmetric-NAT" when its mappings use different ports). py-ipv8
    nodes report no connection estimate; their WAN estimate is checked the same way."""
    report = {}
    for node in nodes:
        wan, connection = node.wan()
        if node.role in ("pub", "pub2"):
            mapped = {}
            # On IPv6 alone the estimate stays "unknown": WANReports reads IPv4 reports only. Bound to :: the
            # node guesses its LAN address from its interfaces, so it says "public" too (it said "NAT" before,
            # and punctured ahead like a NATed node, taking a NATed py-ipv8 node's port pair).
            ok = wan in public_wans(lab, node) and connection in (
                (None, "public", "unknown") if node.bind == "v6" else (None, "public"))
        else:
            router = "nat" + node.role[0]
            mapped = mappings(tables.get(router, []), lab.host_ip(node.role), host_port(node.role))
            wan_ip = "198.18.%d.2" % ROUTERS[router][0]
            # One port for every destination: "NAT"; ports that differ (another node's puncture took a port
            # pair first, see README): "symmetric-NAT" is right too.
            # A remapped host may say "symmetric-NAT" for up to 30 s: a responder that has not answered since the
            # change still counts with the old port (WANReports.window). So may any host while mappings churn
            # (`churning`: a conntrack timeout shorter than the walks' gaps lets a port clash come and go, seen
            # in keepalive as a mapping at another port for one destination within the last 30 s).
            consistent = len(set(mapped.values())) <= 1 and node.role not in remapped and not churning
            expected = (None, "NAT") if consistent else (None, "NAT", "symmetric-NAT")
            ok = (wan is not None and wan.startswith(wan_ip + ":") and wan in mapped.values()
                  and connection in expected)
        report[node.proc.name] = {"wan": wan, "connection": connection, "mapped": mapped, "ok": ok}
    return report


def public_wans(lab, node):
    """The WAN estimates right for a public node: its IPv4 address, its IPv6 one when bound to it, either when
    dual-stack (it is whichever family the last responders saw it on)."""
    v4 = "%s:%d" % (lab.host_ip(node.role), host_port(node.role))
    v6 = "[%s]:%d" % (PUBLIC_IP6[node.role], host_port(node.role))
    return {None: [v4], "v6": [v6], "dual": [v4, v6]}[node.bind]


def peer_address(lab, role, family):
    """The address a public node reaches `role`'s node at over `family` ("v4": a public host's own address, a
    NATed host's router's WAN address; "v6": its IPv6 address on the public segment)."""
    if family == "v6":
        return "[%s]:%d" % (PUBLIC_IP6[role], host_port(role))
    return "%s:%d" % (lab.host_ip(role) if role in ("pub", "pub2") else peer_wan(lab, role), host_port(role))


def host_port(role):
    """The UDP port of a host's node: 8090 for the first host of a LAN (and the public node), 8091 for the
    second, ... Hosts behind one NAT on one port would get other ports from masquerade for some destinations
    only (the first host holds the port pair), which makes the NAT symmetric for them."""
    return NODE_PORT if role in ("pub", "pub2") else NODE_PORT + int(role[1:]) - 1


def wait_until(condition, timeout):
    """Polls `condition` every 20 ms until it holds (True) or `timeout` seconds pass first (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def start_node(lab, role, impl, args, logdir, community, shared_community=False, swift_args=(), bind=None):
    """Swift nodes run the Discovery community (with `swift_args` added), py-ipv8 nodes (lab_pynode.py) a test
    community of id `community`; with `shared_community` (a run mixing both) the swift node joins that test
    community too. `bind` (see Node.bind) picks the family: "v6" binds the host's IPv6 address and bootstraps
    from the tracker's, "dual" (swift) binds :: and bootstraps from both of the tracker's addresses."""
    ip = lab.host_ip(role)
    name = "%s-%s" % (role, impl)
    tracker = "%s:%d" % (TRACKER_IP, TRACKER_PORT)
    tracker6 = "[%s]:%d" % (PUBLIC_IP6["tracker"], TRACKER_PORT)
    if bind == "v6":
        ip, tracker = PUBLIC_IP6[role], tracker6
    if impl == "swift":
        argv = [args.node_bin, "run", "--ip", "::" if bind == "dual" else ip, "--port", str(host_port(role)),
                "--tracker", tracker] + (["--tracker", tracker6] if bind == "dual" else []) + [
                "--status-interval", "0.5", "--log-level", args.log_level, "--status-peer-addresses"]
        if shared_community:
            argv += ["--community", community]
        argv += list(swift_args)
    else:
        argv = [args.python, os.path.join(HERE, "lab_pynode.py"), "--ip", ip, "--port", str(host_port(role)),
                "--tracker", tracker, "--community-id", community, "--interval", "0.5",
                "--duration", str(args.duration + 30)]
        for net in LAB_NETS:
            argv += ["--allow", net]
    node = Node(lab.start(name, role, argv, logdir), impl, role)
    node.bind = bind
    return node


# ---------------------------------------------------------------------------------------------- captures

def start_captures(lab, logdir):
    """tcpdump on both sides of each NAT router and conntrack events in each; returns the pcap paths."""
    pcaps = []
    for router in lab.routers:
        for iface in ("wan", "lan"):
            path = os.path.join(logdir, "%s-%s.pcap" % (router, iface))
            proc = lab.start("tcpdump-%s-%s" % (router, iface), router,
                             ["tcpdump", "-i", iface, "-n", "-U", "-Z", "root", "-s", "128", "-w", path,
                              "udp or icmp"], logdir, keep_lines=True)
            pcaps.append((router, iface, path, proc))
        lab.start("conntrack-events-%s" % router, router,
                  ["conntrack", "-E", "-p", "udp", "-o", "timestamp"], logdir, keep_lines=False)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(any("listening on" in l for _, l in p[3].lines) for p in pcaps):
        time.sleep(0.05)
    return [(r, i, p) for r, i, p, _ in pcaps]


def read_pcap(path):
    """(time, ttl, src, sport, dst, dport, what) for the UDP and ICMP packets of a pcap file (stdlib only)."""
    packets = []
    try:
        data = open(path, "rb").read()
    except OSError:
        return packets
    if len(data) < 24:
        return packets
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nanos = struct.unpack(endian + "I", data[:4])[0] == 0xa1b23c4d
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    header = {1: 14, 113: 16, 276: 20}.get(linktype)
    if header is None:
        return packets
    offset = 24
    while offset + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + incl]
        offset += 16 + incl
        t = sec + frac / (1e9 if nanos else 1e6)
        ip = frame[header:]
        if len(ip) < 20 or ip[0] >> 4 != 4:
            continue
        ihl = (ip[0] & 15) * 4
        ttl, proto = ip[8], ip[9]
        src, dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
        body = ip[ihl:]
        if proto == 17 and len(body) >= 8:
            sport, dport = struct.unpack("!HH", body[:4])
            payload = body[8:]
            what = IPV8_MESSAGES.get(payload[22], "msg-%d" % payload[22]) if len(payload) > 22 else "udp"
            packets.append((t, ttl, src, sport, dst, dport, what))
        elif proto == 1 and len(body) >= 8:
            kind = {(3, 3): "icmp-port-unreachable", (11, 0): "icmp-ttl-exceeded"}.get(
                (body[0], body[1]), "icmp-%d/%d" % (body[0], body[1]))
            inner = body[8:]
            detail = ""
            if len(inner) >= 28 and inner[9] == 17:
                iihl = (inner[0] & 15) * 4
                isport, idport = struct.unpack("!HH", inner[iihl:iihl + 4])
                detail = "[%s:%d>%s:%d]" % (ipaddress.IPv4Address(inner[12:16]), isport,
                                            ipaddress.IPv4Address(inner[16:20]), idport)
            packets.append((t, ttl, src, 0, dst, 0, kind + detail))
    return packets


def timeline(pcaps, t0):
    rows = []
    for router, iface, path in pcaps:
        for t, ttl, src, sport, dst, dport, what in read_pcap(path):
            rows.append((t, "%s/%s" % (router, iface), ttl, src, sport, dst, dport, what))
    rows.sort()
    lines = []
    for t, where, ttl, src, sport, dst, dport, what in rows:
        lines.append("%8.3f %-9s ttl=%-3d %s:%d > %s:%d %s" % (t - t0, where, ttl, src, sport, dst, dport, what))
    return lines


# ---------------------------------------------------------------------------------------------- scenarios

SCENARIOS = {
    "public": dict(
        doc="(a) a swift node behind nata and the public swift node become peers via the tracker",
        nodes=[("pub", "swift"), ("a1", "swift")], expect="connect", duration=30),
    "nat2nat": dict(
        doc="(b) two swift nodes behind different NATs (a1 behind nata, b1 behind natb) become peers (their "
            "punctures leave with TTL 2: through their own NAT, never into the far one)",
        nodes=[("a1", "swift"), ("b1", "swift")], expect="connect", duration=30),
    "nat2nat-default-ttl": dict(
        doc="(b) with the punctures at the system's TTL (ipv8-node run --puncture-ttl 0, py-ipv8's behaviour): "
            "the far NAT's conntrack takes the port pair first, they never connect",
        nodes=[("a1", "swift"), ("b1", "swift")], expect="fail", duration=30, swift_args=["--puncture-ttl", "0"]),
    "py-nat2nat": dict(
        doc="(c) the same with two py-ipv8 3.2.1 nodes (lab_pynode.py), our tracker",
        nodes=[("a1", "py"), ("b1", "py")], expect="fail", duration=30),
    "py-public": dict(
        doc="(a) with py-ipv8: a py-ipv8 node behind nata and a public py-ipv8 node",
        nodes=[("pub", "py"), ("a1", "py")], expect="connect", duration=30),
    "mixed-nat2nat": dict(
        doc="a swift node behind nata and a py-ipv8 node behind natb, 10 ms each way on each NAT's WAN link: the "
            "py-ipv8 node punctures at the system's TTL, but our node punctures it (TTL 2) as soon as the tracker "
            "names it, so our NAT's mapping exists before py-ipv8's puncture arrives (py-ipv8 starts first, so "
            "the tracker introduces it to us and asks it to puncture)",
        nodes=[("a1", "swift"), ("b1", "py")], expect="connect", duration=30, link_delay=10.0, start_first="b1"),
    "mixed-nat2nat-no-ahead": dict(
        doc="mixed-nat2nat with our node puncturing only when asked and walking only where py-ipv8 would "
            "(ipv8-node run --no-puncture-introduced --no-learn-walkers), and py-ipv8 starting first, so the "
            "tracker introduces it to us and asks it to puncture: its puncture reaches our NAT before anything "
            "of ours leaves for it, and that NAT's conntrack takes the port pair",
        nodes=[("a1", "swift"), ("b1", "py")], expect="fail", duration=30, link_delay=10.0, start_first="b1",
        swift_args=["--no-puncture-introduced", "--no-learn-walkers"]),
    "mixed-nat2nat-asked": dict(
        doc="mixed-nat2nat-no-ahead with our node starting first, so the tracker introduces us to py-ipv8 and "
            "asks us to puncture: our puncture (TTL 2) opens our NAT's mapping, and py-ipv8's walk gets through",
        nodes=[("a1", "swift"), ("b1", "py")], expect="connect", duration=30, link_delay=10.0, start_first="a1",
        swift_args=["--no-puncture-introduced", "--no-learn-walkers"]),
    "remap": dict(
        doc="a1 (swift, behind nata) peers with pub and b1 (swift, behind natb); then nata's mapping changes "
            "(MASQUERADE --to-ports 20000, conntrack flushed): a1's WAN estimate follows and pub reaches it again "
            "at its new port; b1 (behind natb) is measured for 60 s more, not required",
        nodes=[("pub", "swift"), ("a1", "swift"), ("b1", "swift")], expect="connect", duration=150,
        remap={"host": "a1", "peers": ["pub"], "also": ["b1"], "port": 20000}),
    "nat20": dict(
        doc="20 swift nodes, 5 behind each of 4 NATs (nata-natd), 20 % of the packets each NAT forwards dropped: "
            "converged when every node has 5 peers (its 4 LAN neighbours cannot be all of them: at least one peer "
            "behind another NAT); --loss 0 with converge 19 is the full mesh",
        nodes=[("%s%d" % (r, i), "swift") for r in "abcd" for i in range(1, 6)], expect="connect", duration=240,
        routers=4, hosts=5, loss=20.0, loss_at="nata,natb,natc,natd", converge_peers=5),
    "ipv6": dict(
        doc="our public node and a public py-ipv8 node on IPv6 only (fd00:13::3, ::4; both bootstrap from the "
            "tracker's IPv6 address) verify each other both ways",
        nodes=[("pub", "swift"), ("pub2", "py")], expect="connect", duration=30, ipv6=True,
        bind={"pub": "v6", "pub2": "v6"}, expect_peers={"pub": [("pub2", "v6")], "pub2": [("pub", "v6")]}),
    "dual-stack": dict(
        doc="our public node on :: (one dual-stack socket, both tracker addresses) serves a py-ipv8 node on IPv6 "
            "(pub2) and a py-ipv8 node behind nata on IPv4 at once, the IPv4 one held as 198.18.1.2:8090",
        nodes=[("pub", "swift"), ("pub2", "py"), ("a1", "py")], expect="connect", duration=30, ipv6=True,
        bind={"pub": "dual", "pub2": "v6"},
        expect_peers={"pub": [("pub2", "v6"), ("a1", "v4")], "pub2": [("pub", "v6")], "a1": [("pub", "v4")]}),
    "same-nat": dict(
        doc="two swift nodes behind the same NAT (a1, a2 on nata's LAN) become peers (LAN addresses)",
        nodes=[("a1", "swift"), ("a2", "swift")], expect="connect", duration=40, hosts=2),
    "loss": dict(
        doc="(d) scenario public with 20 % of the packets nata forwards dropped (iptables statistic match)",
        nodes=[("pub", "swift"), ("a1", "swift")], expect="connect", duration=150, loss=20.0),
    "keepalive": dict(
        doc="scenario public with the NATs' conntrack UDP timeout at 5 s: connect, then stay peers for the "
            "whole duration (a status line with 0 peers after connecting fails the run)",
        nodes=[("pub", "swift"), ("a1", "swift")], expect="connect", duration=60, udp_timeout=5, hold=True),
}


class Remap:
    """A NAT mapping that changes mid-run: once `host` has as many peers as `peers` + `also` name, its router masquerades UDP
    with `MASQUERADE --to-ports PORT` (a rule put before the plain one) and its conntrack table is flushed, so the host's public
    port changes (one port for every destination: the NAT stays port-consistent). Then it waits until the host's
    WAN estimate names the new port ("remap_wan_s") and each of `peers` exchanges datagrams both ways with the
    host over the new mapping (a conntrack entry at the new port that is not UNREPLIED: "remap_peer_s"),
    counted from the change. The nodes in `also` are measured the same way for up to `also_wait` seconds more,
    without failing the run (a NATed peer: see README, NAT lab)."""

    def __init__(self, spec, result):
        self.host, self.peers, self.port = spec["host"], spec["peers"], spec["port"]
        self.also, self.also_wait = spec.get("also", []), spec.get("also_wait", 60)
        self.router = "nat" + self.host[0]
        self.result = result
        self.changed_at = None

    def step(self, lab, nodes):
        """Called every poll; True once the change was made and everything reconnected."""
        node = next(n for n in nodes if n.role == self.host)
        now = time.monotonic()
        if self.changed_at is None:
            samples = node.samples()
            if not samples or samples[-1][1] < len(self.peers) + len(self.also):
                return False
            ns = lab.ns(self.router)
            ns_run(ns, ["iptables", "-t", "nat", "-I", "POSTROUTING", "1", "-o", "wan", "-p", "udp", "-j",
                        "MASQUERADE", "--to-ports", str(self.port)])
            ns_run(ns, ["conntrack", "-F"], check=False)
            self.changed_at = now
            self.result["remap_peers_before"] = samples[-1][1]
            log("remapped %s: MASQUERADE --to-ports %d, conntrack flushed" % (self.router, self.port))
            return False
        wan_ip = "198.18.%d.2" % ROUTERS[self.router][0]
        if "remap_wan_s" not in self.result and node.wan()[0] == "%s:%d" % (wan_ip, self.port):
            self.result["remap_wan_s"] = round(now - self.changed_at, 2)
        done = self.result.setdefault("remap_peer_s", {})
        watched = self.peers + self.also
        if len(done) < len(watched):
            host_ip = lab.host_ip(self.host)
            for line in lab.conntrack(self.router):
                fields = re.findall(r"\b(src|dst|sport|dport)=(\S+)", line)
                if len(fields) < 8 or "UNREPLIED" in line:
                    continue
                orig, reply = dict(fields[:4]), dict(fields[4:8])
                if orig["src"] != host_ip or reply["dport"] != str(self.port):
                    continue
                for peer in watched:
                    if peer not in done and orig["dst"] == peer_wan(lab, peer):
                        done[peer] = round(now - self.changed_at, 2)
        required = "remap_wan_s" in self.result and all(peer in done for peer in self.peers)
        return required and (len(done) == len(watched) or now - self.changed_at > self.also_wait)


def peer_wan(lab, role):
    """The address the world sees a host at: the public node's own, a NATed host's router's WAN address."""
    if role == "pub":
        return PUB_IP
    return "198.18.%d.2" % ROUTERS["nat" + role[0]][0]


def run_once(args, scenario, index, logdir):
    lab = Lab(os.getpid(), hosts_per_lan=scenario.get("hosts", 1), routers=scenario.get("routers", 2))
    lab.ipv6 = scenario.get("ipv6", False)
    lab.public_extra = (("pub2", PUB2_IP),) if any(role == "pub2" for role, _ in scenario["nodes"]) else ()
    result = {"run": index}
    community = os.urandom(20).hex()
    try:
        lab.up(loss=args.loss, loss_at=args.loss_at, udp_timeout=args.udp_timeout, link_delay_ms=args.link_delay,
               logdir=logdir,
               puncture_ttl=args.emulate_puncture_ttl, puncture_ttl_at=args.emulate_at)
        pcaps = start_captures(lab, logdir) if args.capture else []
        t0 = time.time()
        tracker = lab.start("tracker", "tracker", [args.node_bin, "tracker", "--ip",
                                                   "::" if lab.ipv6 else TRACKER_IP, "--port",
                                                   str(TRACKER_PORT), "--status-interval", "5"], logdir)
        start_error = None
        if not wait_until(lambda: tracker.lines or not tracker.alive(), START_TIMEOUT):
            start_error = "no line from the tracker within %d s" % START_TIMEOUT
        mixed = len({impl for _, impl in scenario["nodes"]}) > 1
        # A scenario's "start_first" node starts alone; the others start once the tracker has answered it (its WAN
        # estimate is no longer its own address), so the tracker introduces it to each of them and never the
        # other way round.
        order = sorted(scenario["nodes"], key=lambda node: node[0] != scenario.get("start_first"))
        nodes = []
        for role, impl in order:
            nodes.append(start_node(lab, role, impl, args, logdir, community, mixed, scenario.get("swift_args", ()),
                                    scenario.get("bind", {}).get(role)))
            if role == scenario.get("start_first") and start_error is None:
                first = nodes[-1]
                own = "%s:%d" % (lab.host_ip(role), host_port(role))
                if not wait_until(lambda: first.wan()[0] not in (None, own) or not first.proc.alive(), START_TIMEOUT):
                    start_error = "%s had no answer from the tracker within %d s" % (role, START_TIMEOUT)
        for node in nodes:
            node.min_peers = scenario.get("converge_peers", 1)
            node.expect_addresses = [peer_address(lab, peer, family)
                                     for peer, family in scenario.get("expect_peers", {}).get(node.role, [])]
        started = time.monotonic()
        deadline = started + args.duration
        if start_error is not None:
            # A run that did not start as the scenario says counts for nothing, whatever it expects.
            result["error"] = start_error
            deadline = started
        connected_at = None
        remap = Remap(scenario["remap"], result) if "remap" in scenario else None
        while time.monotonic() < deadline:
            time.sleep(0.25)
            if not all(n.proc.alive() for n in nodes) or not tracker.alive():
                result["error"] = "a process exited early: " + ", ".join(
                    "%s=%s" % (p.name, p.popen.poll()) for p in [tracker] + [n.proc for n in nodes])
                break
            firsts = [n.first_connected() for n in nodes]
            if connected_at is None and all(f is not None for f in firsts):
                connected_at = max(firsts)
                if not args.hold and not remap:
                    deadline = min(deadline, time.monotonic() + args.settle)
            if remap and connected_at is not None and remap.step(lab, nodes):
                deadline = min(deadline, time.monotonic() + args.settle)
                remap = None
        result["connected"] = connected_at is not None
        if "remap" in scenario:
            result["remap_done"] = remap is None
        result["connect_s"] = round(connected_at - started, 2) if connected_at is not None else None
        result["per_node_connect_s"] = {n.proc.name: (round(n.first_connected() - started, 2)
                                                      if n.first_connected() is not None else None) for n in nodes}
        if connected_at is not None:
            # Held: no status line with 0 peers after the node first connected.
            result["held"] = all(all(p >= 1 for t, p in n.samples() if t >= n.first_connected()) for n in nodes)
            result["disconnected_samples"] = sum(
                sum(1 for t, p in n.samples() if t >= n.first_connected() and p == 0) for n in nodes)
        result["last_status"] = {n.proc.name: n.last_status() for n in nodes}
        tables = {router: lab.conntrack(router) for router in lab.routers}
        ok = result["connected"] and (result.get("held", False) or not args.hold) and result.get("remap_done", True)
        if scenario["expect"] == "connect":
            result["wan_check"] = check_wan(lab, nodes, tables,
                                            remapped=[scenario["remap"]["host"]] if "remap" in scenario else [],
                                            churning=bool(args.udp_timeout))
            ok = ok and all(check["ok"] for check in result["wan_check"].values())
        if "expect_peers" in scenario:
            # Each node's last peer addresses; an IPv4 peer written as ::ffff:a.b.c.d fails the run.
            result["peer_addresses"] = {n.proc.name: (n.address_samples() or [(None, [])])[-1][1] for n in nodes}
            ok = ok and not any("::ffff:" in a.lower() for addresses in result["peer_addresses"].values()
                                for a in addresses)
        result["ok"] = ok
        if args.conntrack or not ok:
            result["conntrack"] = tables
        for proc in list(lab.procs):
            proc.stop()
        if pcaps:
            lines = timeline(pcaps, t0)
            with open(os.path.join(logdir, "timeline.txt"), "w") as f:
                f.write("\n".join(lines) + "\n")
            result["timeline"] = os.path.join(logdir, "timeline.txt")
    finally:
        lab.teardown()
    return result


def cmd_run_scenario(args):
    if args.name not in SCENARIOS:
        raise SystemExit("nat_lab: unknown scenario %s (try: %s)" % (args.name, ", ".join(SCENARIOS)))
    scenario = SCENARIOS[args.name]
    for key, default in (("duration", scenario["duration"]), ("loss", scenario.get("loss", 0.0)),
                         ("udp_timeout", scenario.get("udp_timeout")), ("hold", scenario.get("hold", False)),
                         ("link_delay", scenario.get("link_delay", 0.0))):
        if getattr(args, key) is None:
            setattr(args, key, default)
    args.loss_at = [r for r in (args.loss_at or scenario.get("loss_at", "nata")).split(",") if r]
    for router in args.loss_at:
        if router not in list(ROUTERS) + ["inet"]:
            raise SystemExit("nat_lab: --loss-at: unknown router %s" % router)
    impls = {impl for _, impl in scenario["nodes"]}
    if not os.access(args.node_bin, os.X_OK):
        raise SystemExit("nat_lab: no node binary at %s (--node-bin or IPV8_NODE)" % args.node_bin)
    if "py" in impls and not os.access(args.python, os.X_OK):
        raise SystemExit("nat_lab: no py-ipv8 python at %s (--python or IPV8_PYTHON; make interop-env)" % args.python)
    require_tools(args.capture)
    if args.emulate_puncture_ttl and shutil.which("nft") is None:
        raise SystemExit("nat_lab: --emulate-puncture-ttl needs nft (Debian package nftables)")
    out_root = args.out or tempfile.mkdtemp(prefix="ipv8lab-%d-" % os.getpid())
    os.makedirs(out_root, exist_ok=True)
    results = []
    try:
        for index in range(1, args.runs + 1):
            logdir = os.path.join(out_root, "run%d" % index)
            os.makedirs(logdir, exist_ok=True)
            result = run_once(args, scenario, index, logdir)
            results.append(result)
            log("%s run %d/%d: %s" % (args.name, index, args.runs,
                                      "connected in %.2f s" % result["connect_s"] if result["connected"]
                                      else "not connected in %g s" % args.duration)
                + ("" if not args.hold or not result["connected"] else (", held" if result.get("held") else ", LOST"))
                + (" (" + result["error"] + ")" if "error" in result else ""))
            if result.get("conntrack") and args.verbose:
                for router, lines in result["conntrack"].items():
                    for line in lines:
                        log("  conntrack %s: %s" % (router, line))
    finally:
        if args.capture and not args.out:
            log("captures, timelines and logs kept in %s" % out_root)
        elif not args.out:
            shutil.rmtree(out_root, ignore_errors=True)
    times = sorted(r["connect_s"] for r in results if r["connected"])
    successes = sum(1 for r in results if r["ok"])
    summary = {
        "scenario": args.name, "doc": scenario["doc"], "expect": scenario["expect"], "runs": len(results),
        "successes": successes, "connect_s": times,
        "connect_s_median": times[len(times) // 2] if times else None,
        "connect_s_max": times[-1] if times else None,
        "params": {"duration": args.duration, "loss": args.loss, "loss_at": args.loss_at if args.loss else [],
                   "udp_timeout": args.udp_timeout, "hold": args.hold, "link_delay_ms": args.link_delay, "puncture_ttl": args.emulate_puncture_ttl,
                   "puncture_ttl_at": args.emulate_at if args.emulate_puncture_ttl else None,
                   "nodes": scenario["nodes"]},
        "results": results if args.details else [{k: v for k, v in r.items() if k not in ("conntrack",)}
                                                 for r in results],
    }
    if not args.details:
        failed = [r for r in results if r.get("conntrack")]
        if failed:
            summary["conntrack_first_dump"] = failed[0]["conntrack"]
    print(json.dumps(summary), flush=True)
    # A run with an error (a process exited early, a node never started as asked) meets no expectation, "fail" included.
    errors = sum(1 for r in results if "error" in r)
    expected = errors == 0 and (successes == len(results) if scenario["expect"] == "connect" else successes == 0)
    return 0 if expected or args.no_expect else 1


def cmd_up(args):
    require_tools(False)
    lab = Lab(os.getpid(), hosts_per_lan=args.hosts)
    try:
        lab.up(loss=args.loss, loss_at=[r for r in args.loss_at.split(",") if r], udp_timeout=args.udp_timeout)
        print(json.dumps({"pid": os.getpid(), "namespaces": lab.created,
                          "addresses": {role: lab.host_ip(role) for role in ["tracker", "pub"] + lab.hosts()},
                          "routers": {r: {"wan": "198.18.%d.2" % i, "lan": lan + ".1"} for r, (i, lan) in ROUTERS.items()},
                          "hint": "ip netns exec %s-%d-a1 <command>; Ctrl-C (or nat_lab.py down %d) removes it"
                                  % (PREFIX, os.getpid(), os.getpid())}), flush=True)
        deadline = time.monotonic() + args.hold
        while time.monotonic() < deadline and all(os.path.exists("/run/netns/" + n) for n in lab.created):
            time.sleep(0.5)
    finally:
        lab.teardown()
    return 0


def cmd_down(args):
    require_tools(False)
    names = [name for name, pid in lab_namespaces() if pid == args.pid]
    for name in reversed(names):
        remove_namespace(name)
    log("removed %d namespaces of %d" % (len(names), args.pid))
    return 0


def cmd_cleanup(args):
    require_tools(False)
    removed = 0
    for name, pid in lab_namespaces():
        if pid != os.getpid() and not harness_alive(pid):
            remove_namespace(name)
            removed += 1
    log("removed %d leftover namespaces" % removed)
    return 0


def cmd_list(args):
    for name, scenario in SCENARIOS.items():
        print("%-14s expect %-7s %s" % (name, scenario["expect"], scenario["doc"]))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up")
    up.add_argument("--hold", type=float, default=3600, help="seconds to keep the lab (default 3600)")
    up.add_argument("--hosts", type=int, default=1, help="private hosts behind each NAT")
    up.add_argument("--loss", type=float, default=0.0)
    up.add_argument("--loss-at", default="nata")
    up.add_argument("--udp-timeout", type=int)
    down = sub.add_parser("down")
    down.add_argument("pid", type=int)
    sub.add_parser("cleanup")
    sub.add_parser("list")
    rs = sub.add_parser("run-scenario")
    rs.add_argument("name")
    rs.add_argument("--runs", type=int, default=1)
    rs.add_argument("--duration", type=float, help="seconds per run before it counts as not connected")
    rs.add_argument("--settle", type=float, default=2.0, help="seconds to keep running after connecting")
    rs.add_argument("--hold", action="store_true", default=None, help="run the whole duration, fail on a drop")
    rs.add_argument("--loss", type=float, help="percent of forwarded packets dropped at --loss-at")
    rs.add_argument("--loss-at", help="comma-separated routers: nata, natb, natc, natd, inet (default: the "
                                      "scenario's, else nata)")
    rs.add_argument("--udp-timeout", type=int, help="conntrack UDP timeouts in the NAT routers (s)")
    rs.add_argument("--link-delay", type=float, help="ms of latency each way on each NAT's WAN link (lab_delay.py)")
    rs.add_argument("--capture", action="store_true", help="tcpdump both sides of each NAT; conntrack -E")
    rs.add_argument("--conntrack", action="store_true", help="dump conntrack tables after every run")
    rs.add_argument("--details", action="store_true", help="every run's conntrack tables in the JSON line")
    rs.add_argument("--verbose", action="store_true", help="print conntrack tables to stderr")
    rs.add_argument("--out", help="keep logs, captures and timelines in this folder")
    rs.add_argument("--no-expect", action="store_true", help="exit 0 whatever the outcome")
    rs.add_argument("--emulate-puncture-ttl", type=int, metavar="TTL",
                    help="what-if: punctures from the NATed hosts leave with this IP TTL (nft in the hosts' "
                         "own namespaces; the routers are unchanged)")
    rs.add_argument("--emulate-at", type=lambda text: [h for h in text.split(",") if h],
                    help="with --emulate-puncture-ttl: only these hosts (e.g. a1); default every NATed host")
    rs.add_argument("--node-bin", default=os.environ.get("IPV8_NODE", os.path.join(REPO, ".build", "debug", "ipv8-node")))
    rs.add_argument("--python", default=os.environ.get("IPV8_PYTHON", os.path.join(REPO, ".venv", "bin", "python")))
    rs.add_argument("--log-level", default="info")
    args = parser.parse_args()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        return {"up": cmd_up, "down": cmd_down, "cleanup": cmd_cleanup, "list": cmd_list,
                "run-scenario": cmd_run_scenario}[args.command](args)
    except Interrupted as why:
        log("interrupted (%s); everything made was removed" % why)
        return 130


if __name__ == "__main__":
    sys.exit(main())
