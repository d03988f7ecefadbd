#!/usr/bin/env python3
"""Fails when a public symbol declared under Sources/ has no doc comment.

Reads the symbol graphs the Swift-DocC plugin extracted for `make docs` (one folder per documented target under
.build/plugins/Swift-DocC/outputs/.build/symbol-graphs/unified-symbol-graphs/) and prints every undocumented public
or open symbol (extensions aside: their members carry the comments) as `path:line: kind name`, then exits 1; prints the count of documented symbols and exits 0 when
there is none.
"""
import glob
import json
import os
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
sources = "file://" + os.path.join(root, "Sources") + "/"
pattern = os.path.join(root, ".build/plugins/Swift-DocC/outputs/.build/symbol-graphs/unified-symbol-graphs/*/target-symbol-graphs/*.symbols.json")
files = glob.glob(pattern)
if not files:
    sys.exit(f"doc coverage: no symbol graphs at {pattern} (run make docs)")

documented, missing = set(), set()
for path in files:
    for symbol in json.load(open(path))["symbols"]:
        uri = symbol.get("location", {}).get("uri", "")
        if not uri.startswith(sources) or symbol.get("accessLevel") not in ("public", "open") \
                or symbol["kind"]["identifier"] == "swift.extension":  # its members carry the comments
            continue
        where = uri[len("file://" + root) + 1:] + ":" + str(symbol["location"]["position"]["line"] + 1)
        entry = f"{where}: {symbol['kind']['identifier'].removeprefix('swift.')} {'.'.join(symbol['pathComponents'])}"
        (documented if symbol.get("docComment") else missing).add(entry)

for entry in sorted(missing):
    print(entry)
if missing:
    sys.exit(f"doc coverage: {len(missing)} public symbols without a doc comment")
print(f"doc coverage: all {len(documented)} public symbols documented")
