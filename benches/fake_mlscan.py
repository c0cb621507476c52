#!/usr/bin/env python3
"""A stand-in for `mlscan scan PATH --format json --quiet [--cc-rules mccabe]`,
to test compare.py without the real CLI. It writes mlscan-shaped JSON
(files[].path/language/functions[].name/line/end_line/cyclomatic/cognitive)
built from radon cc (default rules) or ruff C901 (`--cc-rules mccabe`), and
perturbs it on purpose so the comparison has something to find: about 1 in
37 functions gets CC + 1, 1 in 101 is dropped, and a fake notebook entry is
added (compare.py must ignore it).

    python3 benches/compare.py PATH --mlscan benches/fake_mlscan.py --no-build
"""

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

from compare import RUFF_C901_ARGS


def radon_functions(root: Path) -> dict:
    out = subprocess.run(
        ["radon", "cc", "-j", "--show-closures", str(root)], capture_output=True, text=True, check=True
    ).stdout
    files: dict = {}

    def visit(rp, b, prefix):
        if b.get("type") != "class":
            name = b["name"]
            if b.get("classname") and "." not in name:
                name = f"{b['classname']}.{name}"
            elif prefix and not name.startswith(prefix + "."):
                name = f"{prefix}.{name}"
            files.setdefault(rp, {}).setdefault(b["lineno"], (name, b["endline"], b["complexity"]))
            for c in b.get("closures", []):
                visit(rp, c, name)
        for m in b.get("methods", []):
            visit(rp, m, "")

    for fname, blocks in json.loads(out).items():
        rp = os.path.relpath(fname, root)
        files.setdefault(rp, {})
        if isinstance(blocks, list):
            for b in blocks:
                visit(rp, b, "")
    return files


def ruff_functions(root: Path) -> dict:
    out = subprocess.run(
        ["ruff", *RUFF_C901_ARGS, str(root)],
        capture_output=True,
        check=False,
        text=True,
    ).stdout
    files: dict = {}
    for d in json.loads(out):
        if d.get("code") != "C901":
            continue
        name = d["message"].split("`")[1]
        cc = int(d["message"].rsplit("(", 1)[1].split(" ")[0])
        rp = os.path.relpath(d["filename"], root)
        files.setdefault(rp, {})[d["location"]["row"]] = (name, d["end_location"]["row"], cc)
    return files


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--version"]:
        print("mlscan 0.0.0-fake")
        return 0
    if not argv or argv[0] != "scan" or len(argv) < 2:
        print("usage: fake_mlscan.py scan PATH --format json --quiet [--cc-rules mccabe]", file=sys.stderr)
        return 2
    root = Path(argv[1]).resolve()
    mccabe = "--cc-rules" in argv and argv[argv.index("--cc-rules") + 1] == "mccabe"
    found = ruff_functions(root) if mccabe else radon_functions(root)
    files = []
    for rp in sorted(found):
        funcs = []
        for line, (name, end, cc) in sorted(found[rp].items()):
            h = zlib.crc32(f"{rp}:{line}".encode())
            if h % 101 == 0:
                continue
            funcs.append(
                {
                    "name": name,
                    "kind": "function",
                    "line": line,
                    "end_line": end,
                    "cyclomatic": cc + (1 if h % 37 == 0 else 0),
                    "cognitive": 0,
                }
            )
        files.append({"path": Path(rp).as_posix(), "language": "python", "functions": funcs})
    files.append(
        {
            "path": "fake/notebook.ipynb",
            "language": "notebook",
            "functions": [{"name": "f", "line": 1, "end_line": 2, "cyclomatic": 1, "cognitive": 0}],
        }
    )
    json.dump({"files": files}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
