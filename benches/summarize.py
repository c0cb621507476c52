#!/usr/bin/env python3
"""Summarise several `compare.py --json` results as markdown tables (one row
per package), e.g. for docs/PERFORMANCE.md.

    python3 benches/summarize.py /tmp/mlscan-bench-*/*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def fmt_s(x) -> str:
    return "–" if x is None else f"{x:.2f}"


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    results = []
    for p in paths:
        try:
            results.append((Path(p).stem, json.loads(Path(p).read_text())))
        except (OSError, json.JSONDecodeError) as e:
            print(f"skip {p}: {e}", file=sys.stderr)
    results.sort(key=lambda r: r[1].get("corpus", {}).get("lines", 0))

    def tool(r: dict, key: str) -> dict:
        t = r.get("tools", {}).get(key) or {}
        return t if t.get("runs") else {}

    print("### Speed: CPU seconds (user + sys, median), wall seconds (median) in brackets\n")
    print(
        "| package | .py files | lines | runs | mlscan | mlscan mccabe | baseline | **mlscan ÷ baseline** (CPU / wall) "
        "| radon cc | radon full | lizard | ruff C901 | mlscan peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results:
        c = r.get("corpus", {})
        cells = []
        for key in ("mlscan", "mlscan-mccabe", "baseline"):
            t = tool(r, key)
            cells.append(f"{fmt_s(t.get('cpu_median'))} ({fmt_s(t.get('wall_median'))})" if t else "–")
        m, b = tool(r, "mlscan"), tool(r, "baseline")
        if m and b:
            bar = f"**{m['cpu_median'] / b['cpu_median']:.2f}× / {m['wall_median'] / b['wall_median']:.2f}×**"
        else:
            bar = "–"
        peers = []
        for key in ("radon-cc", "radon-full", "lizard", "ruff"):
            t = tool(r, key)
            if t and m:
                peers.append(
                    f"{fmt_s(t['cpu_median'])} ({fmt_s(t['wall_median'])}) = {t['cpu_median'] / m['cpu_median']:.1f}×"
                )
            else:
                peers.append("–")
        rss = f"{m['rss_mib_max']:.0f} MiB" if m else "–"
        print(
            f"| {name} | {c.get('files', 0):,} | {c.get('lines', 0):,} | {m.get('runs', '–')} | "
            + " | ".join(cells)
            + f" | {bar} | "
            + " | ".join(peers)
            + f" | {rss} |"
        )
    print("\n(peer cells: CPU s (wall s) = CPU ÷ mlscan CPU)\n")

    print("### Cyclomatic complexity agreement per function (joined on path + def line)\n")
    print(
        "| package | radon = mlscan | radon-only / mlscan-only | ruff = mlscan --cc-rules mccabe "
        "| ruff-only / mlscan-only | lizard = mlscan (info) |"
    )
    print("|---|---|---|---|---|---|")
    for name, r in results:
        cmp = r.get("comparisons", {})
        cells = []
        for peer in ("radon", "ruff", "lizard"):
            x = cmp.get(peer)
            if not x:
                cells += ["–", "–"] if peer != "lizard" else ["–"]
                continue
            cells.append(f"{x['equal']:,} / {x['matched']:,} = **{pct(x['equal_share'])}**")
            if peer != "lizard":
                cells.append(f"{x['peer_only']:,} / {x['mlscan_only']:,}")
        print(f"| {name} | " + " | ".join(cells) + " |")

    raw_rows = [(n, r["comparisons"]["radon_raw_mi"]) for n, r in results if "radon_raw_mi" in r.get("comparisons", {})]
    if raw_rows:
        print("\n### radon raw / mi vs mlscan, per file\n")
        print(
            "| package | files | loc | lloc | sloc | comments | multi | blank | single_comments | MI within 0.01 | MI within 1 |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, rm in raw_rows:
            raw = rm.get("raw", {})
            eq = raw.get("equal_share", {})
            mi = rm.get("mi", {})
            fields = ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments")
            print(
                f"| {name} | {raw.get('files_compared', 0):,} | "
                + " | ".join(pct(eq.get(f)) for f in fields)
                + f" | {pct(mi.get('within_0.01'))} | {pct(mi.get('within_1'))} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
