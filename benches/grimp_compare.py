#!/usr/bin/env python3
"""Compare mlscan's Python import graph with grimp's (and time ruff's).

Usage:
    python3 benches/grimp_compare.py FOLDER [--package NAME] [--mlscan CMD]
                                     [--no-type-checking] [--examples N]

FOLDER holds the top-level package (a corpus folder such as
~/.cache/mlscan-corpus/scikit-learn-1.9.1). grimp builds its graph of the
package with FOLDER on sys.path (`grimp.build_graph(pkg, cache_dir=None)`);
mlscan's comes from `CMD` (default: `mlscan map {folder} --format json`, run
from PATH; `{folder}` is replaced), whose JSON holds `imports.edges[]` with
`from`, `to` and `kind`. Both are compared as sets of distinct (importer,
imported) module pairs inside the package. `--no-type-checking` drops
imports under `if TYPE_CHECKING:` on both sides.

Needs Python >= 3.9, `pip install grimp`; `ruff` is timed when on PATH.
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time


def grimp_graph(folder, package, no_type_checking):
    import grimp

    sys.path.insert(0, folder)
    start = time.perf_counter()
    graph = grimp.build_graph(
        package, cache_dir=None, exclude_type_checking_imports=no_type_checking
    )
    seconds = time.perf_counter() - start
    pairs = {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }
    return graph, pairs, seconds


def mlscan_graph(folder, command, package, no_type_checking):
    argv = [a.replace("{folder}", folder) for a in shlex.split(command)]
    start = time.perf_counter()
    out = subprocess.run(argv, check=True, capture_output=True).stdout
    seconds = time.perf_counter() - start
    imports = json.loads(out)["imports"]

    def inside(name):
        return name == package or name.startswith(package + ".")

    edges = [
        e
        for e in imports["edges"]
        if inside(e["from"])
        and inside(e["to"])
        and not (no_type_checking and e["kind"] == "type_checking")
    ]
    modules = {m["name"]: m for m in imports["modules"] if inside(m["name"])}
    return edges, modules, seconds


def ruff_time(folder, package):
    if not shutil.which("ruff"):
        return None
    start = time.perf_counter()
    out = subprocess.run(
        ["ruff", "analyze", "graph", os.path.join(folder, package)],
        check=True,
        capture_output=True,
        cwd=folder,
    ).stdout
    seconds = time.perf_counter() - start
    files = json.loads(out)
    return seconds, sum(len(targets) for targets in files.values())


def grimp_reason(graph, modules, edges, pair):
    """Why mlscan lacks a pair grimp has."""
    importer, imported = pair
    if importer == imported:
        return "a self-import: mlscan adds no edge from a module to itself"
    for name in pair:
        if name not in modules:
            return f"{name} is not a module for mlscan"
    lines = {
        d["line_number"]
        for d in graph.get_import_details(importer=importer, imported=imported)
    }
    targets = sorted(
        {e["to"] for e in edges if e["from"] == importer and e["line"] in lines}
    )
    if targets:
        return f"mlscan resolves it to {', '.join(targets)}"
    return "mlscan leaves it unresolved"


def mlscan_reason(graph, modules, pair):
    """Why grimp lacks a pair mlscan has."""
    for name in pair:
        if name not in graph.modules:
            kind = modules[name]["kind"]
            path = modules[name]["path"]
            if kind == "stub":
                return f"{name} is a stub ({path}): grimp ignores .pyi files"
            if kind == "namespace":
                return f"{name} is a folder without __init__.py: grimp skips it"
            return f"{name} ({path}) is not a module for grimp (orphan folder)"
    return "grimp resolves it elsewhere"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--package")
    parser.add_argument("--mlscan", default="mlscan map {folder} --format json")
    parser.add_argument("--no-type-checking", action="store_true")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    folder = os.path.abspath(os.path.expanduser(args.folder))
    package = args.package or next(
        d
        for d in sorted(os.listdir(folder))
        if os.path.isfile(os.path.join(folder, d, "__init__.py"))
    )

    graph, grimp_pairs, grimp_seconds = grimp_graph(
        folder, package, args.no_type_checking
    )
    edges, modules, mlscan_seconds = mlscan_graph(
        folder, args.mlscan, package, args.no_type_checking
    )
    mlscan_pairs = {(e["from"], e["to"]) for e in edges}
    both = grimp_pairs & mlscan_pairs
    only_grimp = sorted(grimp_pairs - mlscan_pairs)
    only_mlscan = sorted(mlscan_pairs - grimp_pairs)

    print(f"package {package} in {folder}")
    view = "without TYPE_CHECKING imports" if args.no_type_checking else "all imports"
    print(f"view: {view}")
    print(f"modules: grimp {len(graph.modules)}, mlscan {len(modules)}")
    print(
        f"pairs: grimp {len(grimp_pairs)}, mlscan {len(mlscan_pairs)}, both {len(both)}"
    )
    print(
        f"mlscan has {100 * len(both) / max(1, len(grimp_pairs)):.2f}% of grimp's pairs"
    )
    print(
        f"grimp has {100 * len(both) / max(1, len(mlscan_pairs)):.2f}% of mlscan's pairs"
    )
    print(f"\nonly grimp: {len(only_grimp)}")
    for pair in only_grimp[: args.examples]:
        lines = [
            d["line_number"]
            for d in graph.get_import_details(importer=pair[0], imported=pair[1])
        ]
        print(
            f"  {pair[0]} -> {pair[1]} (lines {lines}): {grimp_reason(graph, modules, edges, pair)}"
        )
    print(f"\nonly mlscan: {len(only_mlscan)}")
    for pair in only_mlscan[: args.examples]:
        where = sorted(
            {
                (e["path"], e["line"], e["kind"])
                for e in edges
                if (e["from"], e["to"]) == pair
            }
        )
        print(
            f"  {pair[0]} -> {pair[1]} {where}: {mlscan_reason(graph, modules, pair)}"
        )
    print("\ntimings (one cold run each, wall clock):")
    print(f"  grimp.build_graph  {grimp_seconds:.2f} s (in process)")
    print(f"  mlscan             {mlscan_seconds:.2f} s (process, scan + graph)")
    ruff = ruff_time(folder, package)
    if ruff:
        print(f"  ruff analyze graph {ruff[0]:.2f} s (process, {ruff[1]} file edges)")


if __name__ == "__main__":
    main()
