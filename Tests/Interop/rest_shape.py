"""The shape of a JSON document from a REST API: keys and Python types, for comparing swift-ipv8's answers
with py-ipv8's. Usage: rest_shape.py FILE; prints the shape as JSON.

- A value becomes its type name: "bool", "int", "float", "str", "null". A statistics time never measured
  (`first_measured_up` and the like) is 0, an int, in py-ipv8's answers as in ours, and a float once
  measured: it counts as "float", so that which message types each side has sent does not change the shape.
- A list becomes a list of its first element's shape ([] when empty).
- A dict keeps its fixed keys (lower-case snake_case, as py-ipv8's are); keys that are data (base64 mids,
  "<id>:<handler>" names, class names) become one "*" with the first such value's shape.
"""
import json
import re
import sys

FIXED = re.compile(r"^[a-z_]+$")
MEASURED_TIME = re.compile(r"^(first|last)_measured_(up|down)$")


def shape(value, key=None):
    if key is not None and MEASURED_TIME.match(key) and value == 0 and not isinstance(value, bool):
        return "float"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if value is None:
        return "null"
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    out = {}
    for key, item in value.items():
        if FIXED.match(key):
            out[key] = shape(item, key)
        elif "*" not in out:
            out["*"] = shape(item)
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(shape(json.load(f)), sort_keys=True))
