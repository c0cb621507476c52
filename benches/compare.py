#!/usr/bin/env python3
"""Compare mlscan with its peers (radon, lizard, ruff C901) on one folder.

Usage:
    python3 benches/compare.py PATH [--mlscan target/release/mlscan] [--runs 3]
                               [--json out.json] [--full-radon] [--skip TOOLS]

Two things are measured:

1. Speed. Every tool runs on the same folder, ``--runs`` times, in rounds:
   each round runs every tool once, in a rotated order, so slow drifts of
   this shared machine's load hit all tools alike. For each run the child's
   wall time (perf_counter), CPU time (user + sys) and peak RSS come from
   ``os.wait4``. The table shows medians and the ratios to mlscan. The speed
   bar compares mlscan with ``parse_baseline`` (benches/parse_baseline.rs): a
   bare tree-sitter parse + full tree walk of the same .py files on the same
   walker and threads.

2. Cyclomatic-complexity agreement, per function, joined on
   (path relative to PATH, line of the ``def``), over .py files only:
   radon cc vs mlscan (default rules = radon), ruff C901 vs
   ``mlscan --cc-rules mccabe``, and lizard vs mlscan (for information).
   With ``--full-radon`` also radon raw (per-file line counts) and radon mi
   (Maintainability Index) vs mlscan's file metrics.

A peer that is not installed, or that fails, is reported and skipped.
Standard library only (Python >= 3.9; written for 3.11).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import Sample, rel, resolve_exe, run_once

# ruff's C901 with every function reported: max-complexity 0, no config
# files, and `# noqa` ignored (a file-level `# flake8: noqa` hides functions).
RUFF_C901_ARGS = [
    "check",
    "--isolated",
    "--select",
    "C901",
    "--config",
    "lint.mccabe.max-complexity = 0",
    "--output-format",
    "json",
    "--no-cache",
    "--ignore-noqa",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_SHOWN = 20  # disagreements listed per comparison

# (relative POSIX path, def line) -> (name, value)
FuncMap = dict[tuple[str, int], tuple[str, int]]


# --------------------------------------------------------------------------
# Running and measuring
# --------------------------------------------------------------------------


@dataclass
class Tool:
    key: str
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    samples: list[Sample] = field(default_factory=list)
    output: Path | None = None  # stdout of the last successful run
    failed: str = ""  # why the tool was dropped, if it was


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def find_baseline(explicit: str | None, build: bool) -> tuple[str | None, str]:
    """Returns (path to the parse_baseline binary, reason if not found)."""
    if explicit:
        return (explicit, "") if os.access(explicit, os.X_OK) else (None, f"{explicit} not executable")
    cargo = shutil.which("cargo")
    if build and cargo and (REPO_ROOT / "Cargo.toml").exists():
        print("building parse_baseline (cargo bench --no-run) ...", file=sys.stderr)
        proc = subprocess.run(
            [cargo, "bench", "--bench", "parse_baseline", "--no-run", "--message-format=json"],
            cwd=REPO_ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        for line in proc.stdout.splitlines():
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue
            if (
                msg.get("reason") == "compiler-artifact"
                and msg.get("target", {}).get("name") == "parse_baseline"
                and msg.get("executable")
            ):
                return msg["executable"], ""
        if proc.returncode != 0:
            return None, "cargo bench --no-run failed: " + proc.stderr.strip()[-300:]
    # Fall back to the newest compiled binary.
    candidates = [
        p
        for p in (REPO_ROOT / "target" / "release" / "deps").glob("parse_baseline-*")
        if p.suffix == "" and os.access(p, os.X_OK)
    ]
    if candidates:
        return str(max(candidates, key=lambda p: p.stat().st_mtime)), ""
    return None, "not built (cargo bench --bench parse_baseline --no-run)"


def corpus_stats(root: Path) -> dict:
    """Reads every .py file once (warms the page cache for all tools alike)
    and counts files, bytes and lines."""
    files = size = lines = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith(".py"):
                continue
            try:
                data = Path(dirpath, name).read_bytes()
            except OSError:
                continue
            files += 1
            size += len(data)
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return {"files": files, "bytes": size, "lines": lines}


# --------------------------------------------------------------------------
# Reading each tool's output into FuncMaps
# --------------------------------------------------------------------------


def put(m: FuncMap, key: tuple[str, int], name: str, value: int, dups: Counter) -> None:
    if key in m:
        dups["dup"] += 1
        return
    m[key] = (name, value)


def load_mlscan(path: Path, root: Path) -> tuple[FuncMap, FuncMap, dict]:
    """-> (cyclomatic map, cognitive map, {rel path: file record}) over
    Python files. Accepts {"files": [...]} or a bare list of files."""
    data = json.loads(path.read_bytes())
    files = data.get("files", []) if isinstance(data, dict) else data
    cc: FuncMap = {}
    cog: FuncMap = {}
    records: dict = {}
    dups: Counter = Counter()
    for f in files:
        lang = f.get("language") or f.get("facts", {}).get("language")
        p = f.get("path", "")
        if lang != "python" or not p.endswith(".py"):
            continue
        rp = rel(p, root)
        records[rp] = f
        funcs = f.get("functions")
        if funcs is None:
            funcs = f.get("facts", {}).get("functions", [])
        for fn in funcs:
            key = (rp, int(fn.get("line", 0)))
            put(cc, key, fn.get("name", "?"), int(fn.get("cyclomatic", 0)), dups)
            cog.setdefault(key, (fn.get("name", "?"), int(fn.get("cognitive", 0))))
    return cc, cog, records


def load_radon_cc(path: Path, root: Path) -> tuple[FuncMap, dict]:
    """radon cc -j --show-closures. Classes are skipped; methods (listed both
    flat and under their class) and closures (listed under their parent and,
    for some, flat with a dotted name) are collected once per (path, line)."""
    data = json.loads(path.read_bytes() or b"{}")
    out: FuncMap = {}
    info = {"files": 0, "errors": 0}

    def visit(rp: str, block: dict, prefix: str) -> None:
        if block.get("type") != "class":
            name = block.get("name", "?")
            if block.get("classname") and "." not in name:
                name = f"{block['classname']}.{name}"
            elif prefix and not name.startswith(prefix + "."):
                name = f"{prefix}.{name}"
            key = (rp, int(block.get("lineno", 0)))
            # Prefer the most qualified of the duplicate names.
            if key not in out or len(name) > len(out[key][0]):
                out[key] = (name, int(block.get("complexity", 0)))
            for c in block.get("closures", []) or []:
                visit(rp, c, name)
        for m in block.get("methods", []) or []:
            visit(rp, m, "")

    for fname, blocks in data.items():
        if not fname.endswith(".py"):
            continue
        info["files"] += 1
        if isinstance(blocks, dict):  # {"error": "..."}
            info["errors"] += 1
            continue
        rp = rel(fname, root)
        for b in blocks:
            visit(rp, b, "")
    return out, info


RUFF_MSG = re.compile(r"^`(?P<name>.*)` is too complex \((?P<cc>\d+) > \d+\)")


def load_ruff(path: Path, root: Path) -> tuple[FuncMap, dict]:
    data = json.loads(path.read_bytes() or b"[]")
    out: FuncMap = {}
    info = {"diagnostics": len(data), "unparsed": 0, "other_codes": 0}
    dups: Counter = Counter()
    for d in data:
        if d.get("code") != "C901":
            info["other_codes"] += 1
            continue
        fname = d.get("filename", "")
        if not fname.endswith(".py"):
            continue
        m = RUFF_MSG.match(d.get("message", ""))
        if not m:
            info["unparsed"] += 1
            continue
        key = (rel(fname, root), int(d.get("location", {}).get("row", 0)))
        put(out, key, m["name"], int(m["cc"]), dups)
    info["duplicates"] = dups["dup"]
    return out, info


def load_lizard(path: Path, root: Path) -> tuple[FuncMap, dict]:
    """lizard --csv: NLOC,CCN,token,PARAM,length,location,file,name,long_name,start,end."""
    out: FuncMap = {}
    dups: Counter = Counter()
    text = path.read_text(errors="replace")
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 11 or not row[1].isdigit():
            continue  # header or noise
        fname = row[6]
        if not fname.endswith(".py"):
            continue
        put(out, (rel(fname, root), int(row[9])), row[7], int(row[1]), dups)
    return out, {"duplicates": dups["dup"]}


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------


def compare(ref_label: str, ref: FuncMap, ours: FuncMap, our_files: set[str]) -> dict:
    """Per-function comparison of a peer (ref) with mlscan (ours)."""
    matched = sorted(set(ref) & set(ours))
    equal = [k for k in matched if ref[k][1] == ours[k][1]]
    within1 = [k for k in matched if abs(ref[k][1] - ours[k][1]) <= 1]
    diffs = Counter(ours[k][1] - ref[k][1] for k in matched if ref[k][1] != ours[k][1])
    ref_only = [k for k in ref if k not in ours]
    ours_only = [k for k in ours if k not in ref]
    ref_files = {k[0] for k in ref}
    disagreements = [
        f"{k[0]}:{k[1]} {ours[k][0]} {ref_label}={ref[k][1]} mlscan={ours[k][1]}"
        for k in matched
        if ref[k][1] != ours[k][1]
    ]
    return {
        "peer": ref_label,
        "peer_functions": len(ref),
        "mlscan_functions": len(ours),
        "matched": len(matched),
        "equal": len(equal),
        "equal_share": len(equal) / len(matched) if matched else None,
        "within_1_share": len(within1) / len(matched) if matched else None,
        "share_of_peer_equal": len(equal) / len(ref) if ref else None,
        "peer_only": len(ref_only),
        "peer_only_in_files_mlscan_lacks": sum(1 for k in ref_only if k[0] not in our_files),
        "mlscan_only": len(ours_only),
        "mlscan_only_in_files_peer_lacks": sum(1 for k in ours_only if k[0] not in ref_files),
        "diff_histogram": {f"{d:+d}": n for d, n in diffs.most_common(8)},
        "disagreements": disagreements[:MAX_SHOWN],
        "disagreements_total": len(disagreements),
        "peer_only_examples": [f"{k[0]}:{k[1]} {ref[k][0]}" for k in sorted(ref_only)[:5]],
        "mlscan_only_examples": [f"{k[0]}:{k[1]} {ours[k][0]}" for k in sorted(ours_only)[:5]],
    }


RAW_FIELDS = ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments")


def compare_raw_mi(raw_path: Path | None, mi_path: Path | None, records: dict, root: Path) -> dict:
    """Per-file radon raw / mi vs mlscan's `lines` and `metrics.maintainability`."""
    res: dict = {}

    def file_lines(rec: dict) -> dict:
        return rec.get("lines") or rec.get("facts", {}).get("lines") or {}

    def file_mi(rec: dict):
        m = rec.get("metrics") or rec.get("facts", {}).get("metrics") or {}
        return m.get("maintainability")

    if raw_path is not None:
        raw = json.loads(raw_path.read_bytes() or b"{}")
        n = missing = 0
        equal = Counter()
        examples: dict[str, list[str]] = {f: [] for f in RAW_FIELDS}
        for fname, r in raw.items():
            rp = rel(fname, root)
            if "error" in r or rp not in records:
                continue
            ours = file_lines(records[rp])
            if not ours:
                missing += 1
                continue
            n += 1
            for f in RAW_FIELDS:
                if ours.get(f) == r.get(f):
                    equal[f] += 1
                elif len(examples[f]) < 5:
                    examples[f].append(f"{rp} radon={r.get(f)} mlscan={ours.get(f)}")
        res["raw"] = {
            "files_compared": n,
            "files_without_mlscan_lines": missing,
            "equal_share": {f: (equal[f] / n if n else None) for f in RAW_FIELDS},
            "examples": {f: v for f, v in examples.items() if v},
        }
    if mi_path is not None:
        mi = json.loads(mi_path.read_bytes() or b"{}")
        deltas = []
        worst = []
        for fname, r in mi.items():
            rp = rel(fname, root)
            if "error" in r or rp not in records:
                continue
            ours = file_mi(records[rp])
            if ours is None:
                continue
            d = abs(float(ours) - float(r["mi"]))
            deltas.append(d)
            worst.append((d, f"{rp} radon={r['mi']:.2f} mlscan={float(ours):.2f}"))
        worst.sort(reverse=True)
        res["mi"] = {
            "files_compared": len(deltas),
            "within_0.01": sum(d <= 0.01 for d in deltas) / len(deltas) if deltas else None,
            "within_1": sum(d <= 1.0 for d in deltas) / len(deltas) if deltas else None,
            "worst": [w for d, w in worst[:5] if d > 0.01],
        }
    return res


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def summarize(t: Tool) -> dict:
    s = t.samples
    return {
        "label": t.label,
        "command": shlex.join(t.argv),
        "runs": len(s),
        "wall_median": med([x.wall for x in s]),
        "wall_min": min((x.wall for x in s), default=float("nan")),
        "wall_max": max((x.wall for x in s), default=float("nan")),
        "cpu_median": med([x.cpu for x in s]),
        "rss_mib_max": max((x.rss_kib for x in s), default=0) / 1024,
        "exit_codes": sorted({x.rc for x in s}),
    }


def fmt_pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def print_table(rows: list[dict], ref: dict | None, corpus: dict) -> None:
    print(
        "| tool | runs | wall median (min–max) | CPU user+sys (median) | peak RSS | "
        "wall ÷ mlscan | CPU ÷ mlscan | lines / CPU-s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if not r["runs"]:
            continue
        rw = r["wall_median"] / ref["wall_median"] if ref and ref["wall_median"] else None
        rc = r["cpu_median"] / ref["cpu_median"] if ref and ref["cpu_median"] else None
        lps = corpus["lines"] / r["cpu_median"] if r["cpu_median"] else 0
        print(
            f"| {r['label']} | {r['runs']} | {r['wall_median']:.2f} s "
            f"({r['wall_min']:.2f}–{r['wall_max']:.2f}) | {r['cpu_median']:.2f} s | "
            f"{r['rss_mib_max']:.0f} MiB | "
            f"{'–' if rw is None else f'{rw:.2f}×'} | {'–' if rc is None else f'{rc:.2f}×'} | "
            f"{lps / 1000:,.0f} k |"
        )


def print_comparison(c: dict, mode: str) -> None:
    print(f"\n### {c['peer']} vs mlscan ({mode})\n")
    print(
        f"- functions: {c['peer']} {c['peer_functions']:,}, mlscan {c['mlscan_functions']:,}, "
        f"matched on (path, def line) {c['matched']:,}"
    )
    print(
        f"- **equal CC: {c['equal']:,} / {c['matched']:,} matched = {fmt_pct(c['equal_share'])}** "
        f"(within ±1: {fmt_pct(c['within_1_share'])}; "
        f"equal / all {c['peer']} functions: {fmt_pct(c['share_of_peer_equal'])})"
    )
    print(
        f"- unmatched: {c['peer_only']:,} only in {c['peer']} "
        f"({c['peer_only_in_files_mlscan_lacks']:,} in files mlscan did not report), "
        f"{c['mlscan_only']:,} only in mlscan "
        f"({c['mlscan_only_in_files_peer_lacks']:,} in files {c['peer']} did not report)"
    )
    if c["diff_histogram"]:
        hist = ", ".join(f"{d}: {n:,}" for d, n in c["diff_histogram"].items())
        print(f"- mlscan − {c['peer']} (most common differences): {hist}")
    for label, key in ((f"only in {c['peer']}", "peer_only_examples"), ("only in mlscan", "mlscan_only_examples")):
        if c[key]:
            print(f"- e.g. {label}: " + "; ".join(c[key]))
    if c["disagreements"]:
        shown = len(c["disagreements"])
        print(f"\nFirst {shown} of {c['disagreements_total']:,} disagreements:\n")
        print("```")
        for d in c["disagreements"]:
            print(d)
        print("```")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time mlscan against radon, lizard, ruff C901 and the bare "
        "tree-sitter baseline, and compare per-function cyclomatic complexity."
    )
    ap.add_argument("path", type=Path, help="folder to scan (e.g. an unpacked wheel)")
    ap.add_argument("--mlscan", default=None, help="mlscan binary (default: target/release/mlscan)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    ap.add_argument("--json", type=Path, help="write all samples and results to this file")
    ap.add_argument(
        "--full-radon",
        action="store_true",
        help="also time radon raw + radon mi (the full radon pipeline = cc + raw + mi; slow)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated tools not to run: mlscan-mccabe,baseline,radon,lizard,ruff",
    )
    ap.add_argument("--lizard-threads", type=int, default=1, help="lizard -t N (default 1)")
    ap.add_argument("--threads", type=int, default=0, help="parse_baseline --threads N (0 = default)")
    ap.add_argument("--mlscan-args", default="", help="extra arguments for both mlscan runs")
    ap.add_argument("--baseline", default=None, help="parse_baseline binary (default: built with cargo)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo; use a built baseline")
    ap.add_argument("--keep-outputs", type=Path, help="keep every tool's stdout/stderr in this folder")
    args = ap.parse_args(argv)

    root = args.path.resolve()
    if not root.is_dir():
        ap.error(f"{args.path} is not a folder")
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    if args.json and not args.json.resolve().parent.is_dir():
        ap.error(f"--json: folder {args.json.parent} does not exist")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    notes: list[str] = []

    # --- tools ----------------------------------------------------------
    mlscan = args.mlscan
    if mlscan is None:
        for cand in (Path("target/release/mlscan"), REPO_ROOT / "target/release/mlscan"):
            if cand.exists():
                mlscan = str(cand)
                break
    if mlscan is None or not os.access(mlscan, os.X_OK):
        print(
            f"error: mlscan binary not found ({mlscan or 'target/release/mlscan'}); "
            "run `cargo build --release` or pass --mlscan",
            file=sys.stderr,
        )
        return 2
    extra = shlex.split(args.mlscan_args)
    tools: list[Tool] = [
        Tool("mlscan", "mlscan (radon rules)", [mlscan, "scan", str(root), "--format", "json", "--quiet", *extra]),
    ]
    if "mlscan-mccabe" not in skip:
        tools.append(
            Tool(
                "mlscan-mccabe",
                "mlscan --cc-rules mccabe",
                [mlscan, "scan", str(root), "--format", "json", "--quiet", "--cc-rules", "mccabe", *extra],
            )
        )
    if "baseline" not in skip:
        exe, why = find_baseline(args.baseline, build=not args.no_build)
        if exe:
            bargv = [exe, str(root)] + (["--threads", str(args.threads)] if args.threads else [])
            tools.append(Tool("baseline", "baseline: tree-sitter parse + walk", bargv))
        else:
            notes.append(f"baseline skipped: {why}")
    versions = {"mlscan": tool_version([mlscan, "--version"])}
    radon = resolve_exe("radon") if "radon" not in skip else None
    if "radon" in skip:
        pass
    elif radon is None:
        notes.append("radon not installed: skipped")
    else:
        versions["radon"] = tool_version([radon, "--version"])
        tools.append(Tool("radon-cc", "radon cc", [radon, "cc", "-j", "--show-closures", str(root)]))
        if args.full_radon:
            tools.append(Tool("radon-raw", "radon raw", [radon, "raw", "-j", str(root)]))
            tools.append(Tool("radon-mi", "radon mi", [radon, "mi", "-j", str(root)]))
    lizard = resolve_exe("lizard") if "lizard" not in skip else None
    if "lizard" in skip:
        pass
    elif lizard is None:
        notes.append("lizard not installed: skipped")
    else:
        versions["lizard"] = tool_version([lizard, "--version"])
        largv = [lizard, "--csv", "-l", "python"]
        if args.lizard_threads > 1:
            largv += ["-t", str(args.lizard_threads)]
        label = "lizard" + (f" -t {args.lizard_threads}" if args.lizard_threads > 1 else "")
        tools.append(Tool("lizard", label, largv + [str(root)]))
    ruff = resolve_exe("ruff") if "ruff" not in skip else None
    if "ruff" in skip:
        pass
    elif ruff is None:
        notes.append("ruff not installed: skipped")
    else:
        versions["ruff"] = tool_version([ruff, "--version"])
        tools.append(
            Tool(
                "ruff",
                "ruff C901",
                [ruff, *RUFF_C901_ARGS, str(root)],
                ok_codes=(0, 1),  # 1 = diagnostics were reported
            )
        )

    # --- corpus and runs ------------------------------------------------
    corpus = corpus_stats(root)
    print(
        f"# {root.name}: {corpus['files']:,} .py files, {corpus['bytes'] / 1e6:.1f} MB, "
        f"{corpus['lines']:,} lines; {args.runs} run(s) per tool, rotated rounds; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    for n in notes:
        print(f"note: {n}", file=sys.stderr)

    tmp = tempfile.TemporaryDirectory(prefix="mlscan-compare-")
    outdir = args.keep_outputs or Path(tmp.name)
    outdir.mkdir(parents=True, exist_ok=True)
    for r in range(args.runs):
        live = [t for t in tools if not t.failed]
        k = r % len(live) if live else 0
        for t in live[k:] + live[:k]:
            out = outdir / f"{t.key}.out"
            err = outdir / f"{t.key}.err"
            print(f"  round {r + 1}/{args.runs}: {t.label} ...", end="", file=sys.stderr, flush=True)
            try:
                s = run_once(t.argv, out, err)
            except OSError as e:
                t.failed = f"could not start: {e}"
                print(f" {t.failed}", file=sys.stderr)
                continue
            print(f" {s.wall:.2f} s wall, {s.cpu:.2f} s CPU, rc {s.rc}", file=sys.stderr, flush=True)
            if s.rc not in t.ok_codes:
                tail = err.read_text(errors="replace").strip()[-500:]
                t.failed = f"exit code {s.rc}: {tail}"
                continue
            t.samples.append(s)
            t.output = out
    load_end = os.getloadavg()[0]

    # --- speed table ----------------------------------------------------
    by_key = {t.key: t for t in tools}
    rows = [summarize(t) for t in tools]
    rowmap = {t.key: row for t, row in zip(tools, rows)}
    if args.full_radon and all(by_key.get(k) and by_key[k].samples for k in ("radon-cc", "radon-raw", "radon-mi")):
        parts = [by_key[k].samples for k in ("radon-cc", "radon-raw", "radon-mi")]
        n = min(len(p) for p in parts)
        sums = [
            Sample(
                sum(p[i].wall for p in parts),
                sum(p[i].cpu for p in parts),
                max(p[i].rss_kib for p in parts),
                0,
            )
            for i in range(n)
        ]
        full = Tool("radon-full", "radon full (cc + raw + mi)", [], samples=sums)
        row = summarize(full)
        row["command"] = " && ".join(rowmap[k]["command"] for k in ("radon-cc", "radon-raw", "radon-mi"))
        rows.append(row)
        rowmap["radon-full"] = row
    ref = rowmap["mlscan"] if by_key["mlscan"].samples else None

    print(f"\n## Speed ({root.name}; load average {load_end:.2f} at end)\n")
    print_table(rows, ref, corpus)
    if ref and rowmap.get("baseline", {}).get("runs"):
        b = rowmap["baseline"]
        ws, cs = ref["wall_median"] / b["wall_median"], ref["cpu_median"] / b["cpu_median"]
        verdict = "PASS" if ws <= 1.3 else "FAIL"
        print(
            f"\n**Speed bar** (mlscan ÷ bare tree-sitter parse + walk, must be ≤ 1.3): "
            f"wall {ws:.2f}× ({verdict}), CPU {cs:.2f}×"
        )
    base = by_key.get("baseline")
    if base and base.output and base.output.exists():
        m = re.search(r"files=(\d+).*?nodes=(\d+)", base.output.read_text(errors="replace"))
        if m:
            print(f"\nThe baseline parsed {int(m[1]):,} .py/.pyi files ({int(m[2]):,} tree-sitter nodes).")
    print("\nCommands:\n")
    print("```")
    for r in rows:
        print(r["command"])
    print("```")
    failures = {t.key: t.failed for t in tools if t.failed}
    for key, why in failures.items():
        lines = [ln for ln in why.splitlines() if ln.strip()]
        print(f"\n**{key} failed**: {lines[0] if lines else ''} … {lines[-1] if len(lines) > 1 else ''}")

    # --- agreement ------------------------------------------------------
    results: dict = {
        "path": str(root),
        "corpus": corpus,
        "versions": versions,
        "runs": args.runs,
        "load_average_end": load_end,
        "notes": notes,
        "failures": failures,
        "tools": {t.key: {**rowmap[t.key], "samples": [vars(s) for s in t.samples]} for t in tools},
        "comparisons": {},
    }
    if "radon-full" in rowmap:
        results["tools"]["radon-full"] = rowmap["radon-full"]

    ml = by_key["mlscan"]
    if ml.output is None:
        print("\nmlscan produced no output: no agreement figures.")
    else:
        try:
            ml_cc, _ml_cog, records = load_mlscan(ml.output, root)
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as e:
            print(f"\nmlscan output is not the expected JSON ({e}): no agreement figures.")
            ml_cc, records = None, {}
        if ml_cc is not None:
            print(f"\n## Cyclomatic complexity agreement ({root.name}, .py files only)")
            print(f"\nmlscan reported {len(records):,} .py files, {len(ml_cc):,} functions in them.")
            files = set(records)
            mc = by_key.get("mlscan-mccabe")
            ml_mc = None
            if mc and mc.output:
                ml_mc, _, _ = load_mlscan(mc.output, root)
            comparisons: list[tuple[str, str, Callable, FuncMap | None]] = [
                ("radon-cc", "radon", load_radon_cc, ml_cc),
                ("ruff", "ruff", load_ruff, ml_mc),
                ("lizard", "lizard", load_lizard, ml_cc),
            ]
            for key, label, loader, ours in comparisons:
                t = by_key.get(key)
                if t is None or t.output is None or ours is None:
                    continue
                try:
                    peer, info = loader(t.output, root)
                except (json.JSONDecodeError, ValueError, KeyError) as e:
                    print(f"\n{label}: could not read its output ({e})")
                    continue
                c = compare(label, peer, ours, files)
                c["peer_info"] = info
                results["comparisons"][label] = c
                mode = "--cc-rules mccabe" if key == "ruff" else "default radon rules"
                if key == "lizard":
                    mode += ", for information: lizard's rules differ"
                print_comparison(c, mode)
                if key == "radon-cc" and info.get("errors"):
                    print(f"- radon could not parse {info['errors']} file(s)")
            if args.full_radon:
                raw = by_key.get("radon-raw")
                mi = by_key.get("radon-mi")
                rm = compare_raw_mi(raw.output if raw else None, mi.output if mi else None, records, root)
                results["comparisons"]["radon_raw_mi"] = rm
                if "raw" in rm:
                    print(f"\n### radon raw vs mlscan file `lines` ({rm['raw']['files_compared']:,} files)\n")
                    if rm["raw"]["files_without_mlscan_lines"]:
                        print(f"({rm['raw']['files_without_mlscan_lines']:,} files have no `lines` in mlscan's JSON)\n")
                    print(", ".join(f"{f} {fmt_pct(v)}" for f, v in rm["raw"]["equal_share"].items()))
                    for f, ex in rm["raw"]["examples"].items():
                        print(f"- {f}: " + "; ".join(ex[:3]))
                if "mi" in rm:
                    m = rm["mi"]
                    print(
                        f"\n### radon mi vs mlscan maintainability ({m['files_compared']:,} files): "
                        f"within 0.01: {fmt_pct(m['within_0.01'])}, within 1: {fmt_pct(m['within_1'])}"
                    )
                    for w in m["worst"]:
                        print(f"- {w}")

    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nresults written to {args.json}", file=sys.stderr)
    tmp.cleanup()
    return 0 if not failures.get("mlscan") else 1


if __name__ == "__main__":
    sys.exit(main())
