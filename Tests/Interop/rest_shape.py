"""The shape of a JSON document from a REST API: keys and Python types, for comparing swift-ipv8's answers
with py-ipv8's. Usage: rest_shape.py FILE; prints the shape as JSON.

- A value becomes its type name: "bool", "int", "float", "str", "null".
- A list becomes a list of its first element's shape ([] when empty).
- A dict keeps its fixed keys (lower-case snake_case, as py-ipv8's are); keys that are data (base64 mids,
  "<id>:<handler>" names, class names) become one "*" with the first such value's shape.
"""
import json
import re
import sys

FIXED = re.compile(r"^[a-z_]+$")


def shape(value):
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
            out[key] = shape(item)
        elif "*" not in out:
            out["*"] = shape(item)
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(shape(json.load(f)), sort_keys=True))
