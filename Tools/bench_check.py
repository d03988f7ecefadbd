#!/usr/bin/env python3
"""`make bench-check`: instructions per datagram, counted by callgrind, against a committed baseline.

Runs `ipv8-bench cost PHASE` under valgrind's callgrind for each phase, counting only the phase's measured
function (`--toggle-collect`), so the count does not move with the machine's load. Prints instructions per
datagram next to the baseline (Tools/instruction-baseline.json) and the answer path against the raw verify+sign
bound; exits 1 when a phase costs more than the baseline plus its tolerance. `--update` rewrites the baseline
with this run's counts.

usage: bench_check.py BENCH_BINARY [--update]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

PHASES = {  # phase: the function callgrind counts
    "receive": "measuredReceiveRound",
    "answer": "measuredAnswers",
    "bound": "measuredBound",
}
DATAGRAMS = 1000
BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instruction-baseline.json")


def count(binary, phase):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        run = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                              f"--toggle-collect=*{PHASES[phase]}*", f"--callgrind-out-file={out}",
                              binary, "cost", phase, "--datagrams", str(DATAGRAMS)],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            sys.exit(f"bench-check: ipv8-bench cost {phase} failed under callgrind:\n{run.stdout}{run.stderr}")
        totals = re.search(r"^totals:\s*(\d+)", open(out).read(), re.M)
        if not totals or int(totals.group(1)) == 0:
            sys.exit(f"bench-check: callgrind counted nothing in {PHASES[phase]} (was it inlined or renamed?)")
        return int(totals.group(1)) / DATAGRAMS


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, update = sys.argv[1], "--update" in sys.argv[2:]
    baseline = json.load(open(BASELINE))
    measured = {phase: count(binary, phase) for phase in PHASES}
    failed = []
    for phase, value in measured.items():
        entry = baseline["phases"][phase]
        change = f"{(value / entry['instructions'] - 1) * 100:+.1f} %"
        if entry["tolerance"] is None:  # a reference (the libraries' cost), not ours to hold
            print(f"{phase:8} {value:12,.0f} instructions/datagram, baseline {entry['instructions']:12,.0f} ({change}): reference")
            continue
        over = value > entry["instructions"] * (1 + entry["tolerance"])
        if over:
            failed.append(phase)
        print(f"{phase:8} {value:12,.0f} instructions/datagram, baseline {entry['instructions']:12,.0f} "
              f"({change}, tolerance {entry['tolerance'] * 100:.0f} %): {'OVER' if over else 'ok'}")
    print(f"answer path / raw verify+sign bound: {measured['bound'] / measured['answer']:.3f} "
          f"(engine overhead {measured['answer'] - measured['bound']:,.0f} instructions per answered request)")
    if update:
        for phase, value in measured.items():
            baseline["phases"][phase]["instructions"] = round(value)
        with open(BASELINE, "w") as f:
            json.dump(baseline, f, indent=2)
            f.write("\n")
        print(f"bench-check: baseline updated ({BASELINE})")
        return
    if failed:
        sys.exit(f"bench-check: {', '.join(failed)} over the baseline")


main()
