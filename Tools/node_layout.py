#!/usr/bin/env python3
"""The function order of the standalone ipv8-node (`make node-order`, `make node-check`).

`make node` links the functions listed in Tools/ipv8-node.order first and together (lld's
--symbol-ordering-file), so the code a running node executes shares few pages instead of being spread over the
binary's 16 MB of text. Every page the node touches counts in its resident memory.

  record BINARY ORDER   runs a copy of BINARY without its debug information (valgrind cannot read the
                        toolchain's) under callgrind for a 100-node loopback swarm with stock settings, and
                        writes the functions of BINARY it executed to ORDER, in the order callgrind first
                        reports them. A name that BINARY defines more than once (a file-local function such as
                        `objectdestroyTm`, emitted into hundreds of objects) is left out: lld would move every
                        section that defines it to the front.
  coverage BINARY ORDER [--min F]
                        prints how many of ORDER's functions BINARY still defines; exits 1 below the fraction
                        F (a renamed or deleted function drops out of the order until `make node-order` runs).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SWARM = ["swarm", "--nodes", "100", "--timeout", "120", "--progress-interval", "10"]
RECORD = re.compile(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$")


def executed_functions(callgrind_out, object_name):
    """Names of the functions in `object_name` that callgrind_out has costs for, first appearance first."""
    objects, functions, current, order, seen = {}, {}, None, [], set()
    with open(callgrind_out) as lines:
        for line in lines:
            match = RECORD.match(line.rstrip("\n"))
            if not match:
                continue
            kind, ident, name = match.groups()
            if kind in ("ob", "cob"):
                if name:
                    objects[ident] = name
                if kind == "ob":
                    current = objects[ident]
                continue
            if name:
                functions[ident] = name
            if kind != "fn" or current is None or os.path.basename(current) != object_name:
                continue
            function = re.sub(r"'\d+$", "", functions[ident])  # callgrind's recursion depth suffix
            if function.startswith("0x") or function in seen:  # no symbol covers the address
                continue
            seen.add(function)
            order.append(function)
    return order


def record(binary, order_file):
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, "ipv8-node")
        subprocess.run(["objcopy", "--strip-debug", binary, copy], check=True)
        out = os.path.join(folder, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", copy]
                       + SWARM, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        order = executed_functions(out, os.path.basename(copy))
    unique = defined_symbols(binary, unique_only=True)
    order = [name for name in order if name in unique]
    if not order:
        sys.exit(f"{binary}: callgrind recorded no function of the binary")
    with open(order_file, "w") as output:
        output.write("\n".join(order) + "\n")
    print(f"{order_file}: {len(order)} functions executed by a 100-node swarm")


def defined_symbols(binary, unique_only=False):
    """The names BINARY's symbol table defines; with `unique_only`, those it defines exactly once."""
    listing = subprocess.run(["nm", "--defined-only", binary], check=True, capture_output=True, text=True).stdout
    counts = {}
    for fields in (line.split() for line in listing.splitlines()):
        if len(fields) >= 3:
            counts[fields[2]] = counts.get(fields[2], 0) + 1
    return {name for name, count in counts.items() if count == 1 or not unique_only}


def coverage(binary, order_file, minimum):
    with open(order_file) as lines:
        order = [line.strip() for line in lines if line.strip()]
    defined = defined_symbols(binary)
    present = sum(1 for name in order if name in defined)
    fraction = present / len(order) if order else 0.0
    print(f"{order_file}: {present} of {len(order)} functions are in {binary} ({fraction:.1%})")
    if fraction < minimum:
        sys.exit(f"below {minimum:.0%}: run `make node-order` to record the order again")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record_command = commands.add_parser("record", help="record the order with callgrind (needs valgrind)")
    coverage_command = commands.add_parser("coverage", help="how much of the order the binary still defines")
    for command in (record_command, coverage_command):
        command.add_argument("binary")
        command.add_argument("order")
    coverage_command.add_argument("--min", type=float, default=0.0, metavar="F",
                                  help="exit 1 when fewer than this fraction of the names remain")
    arguments = parser.parse_args()
    if arguments.command == "record":
        if shutil.which("valgrind") is None:
            sys.exit("record needs valgrind (make deps installs it)")
        record(arguments.binary, arguments.order)
    else:
        coverage(arguments.binary, arguments.order, arguments.min)


if __name__ == "__main__":
    main()
