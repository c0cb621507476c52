#!/usr/bin/env python3
"""Compare `mlscan trend` with `wily build` on the same revisions of one git history.

Usage:
    python3 benches/wily_compare.py REPO [--last 50] [--mlscan target/release/mlscan]
                                    [--json out.json] [--skip-wily] [--keep DIR]

REPO is a git repository with a linear history (e.g. one built by
../shared/corpus/history.sh). It is never touched: everything runs on a
clone in a work folder (a temporary one, or DIR with ``--keep``):

1. ``git clone --quiet REPO WORK/clone``.
2. mlscan, cold (``--cold-runs`` times, default 3, each on an empty cache;
   the median run by wall time counts) then warm (the last cold run's
   cache)::

       mlscan trend WORK/clone --last N --cache-dir WORK/mlscan-cache \\
           --format json -o WORK/trend*.json --stats -q

   its ``--stats`` line (revisions, file versions, distinct blobs, blobs
   analysed, cache) is read from standard error.
3. wily, cold and isolated: ``wily build -n N .`` in WORK/clone with
   ``HOME=WORK/home`` (wily keeps its cache in ``~/.wily``), output in
   WORK/wily-build.log.
4. Cyclomatic complexity per revision: mlscan's ``revisions[].cyclomatic_total``
   and ``functions`` against the sum of radon's ``complexity`` over wily's
   function entries and their closures (recursively; class entries skipped),
   from ``WORK/home/.wily/<hash>/git/<sha>.json``.
5. Per function at the newest revision: ``mlscan scan WORK/clone --no-cache``
   against wily's entries of the tip, joined on (path, line of the ``def``).

Every run is timed with ``os.wait4``: wall time, CPU (user + sys of the
process and its waited-for children: wily's operator pool included) and peak
RSS (the largest single process). Standard library only (written for 3.11).
"""

from __future__ import annotations

import argparse
import ast
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
from dataclasses import asdict
from pathlib import Path, PurePosixPath

from measure import rel, resolve_exe, run_once

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_SHOWN = 10  # disagreements, differences and examples listed
FULL_TABLE_UP_TO = 12  # revisions: a full per-revision table up to this many

# radon's Function namedtuple, as json.dumps writes it (a list) in wily's cache.
RADON_FUNCTION_FIELDS = ("name", "lineno", "col_offset", "endline", "is_method", "classname", "closures", "complexity")

# (relative POSIX path, def line) -> (name, value)
FuncMap = dict[tuple[str, int], tuple[str, int]]


# --------------------------------------------------------------------------
# Running and measuring
# --------------------------------------------------------------------------


def first_line(argv: list[str], env: dict | None = None) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, env=env)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def script_interpreter(exe: str) -> str | None:
    """The Python of a pip-installed console script (its #! line)."""
    try:
        with open(exe, "rb") as f:
            head = f.readline(400).decode(errors="replace")
    except OSError:
        return None
    if not head.startswith("#!"):
        return None
    parts = shlex.split(head[2:].strip())
    if not parts:
        return None
    if os.path.basename(parts[0]) == "env" and len(parts) > 1:
        return shutil.which(parts[1])
    return parts[0] if "python" in os.path.basename(parts[0]) else None


def git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def disk_usage(root: Path) -> dict:
    """Bytes on disk (allocated blocks, as du) and apparent bytes of a folder."""
    disk = size = files = 0
    if not root.exists():
        return {"disk_bytes": 0, "bytes": 0, "files": 0}
    for dirpath, dirs, names in os.walk(root):
        for name in names + dirs:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            disk += st.st_blocks * 512
            if name in names:
                size += st.st_size
                files += 1
    return {"disk_bytes": disk, "bytes": size, "files": files}


STATS_NUMBERS = {
    "revisions": re.compile(r"revisions:\s*([\d,]+)"),
    "from_snapshots": re.compile(r"\(([\d,]+) from snapshots\)"),
    "file_versions": re.compile(r"file versions:\s*([\d,]+)"),
    "distinct_blobs": re.compile(r"distinct blobs:\s*([\d,]+)"),
    "blobs_analysed": re.compile(r"blobs analy[sz]ed:\s*([\d,]+)"),
}
STATS_CACHE = re.compile(r"cache:\s*([\d.]+)\s*([KMGT]i?B|B|bytes)?")


def parse_stats(stderr: str) -> dict:
    """mlscan's `--stats` line: `revisions: 50 (0 from snapshots) · file
    versions: 123837 · distinct blobs: 18259 · blobs analysed: 18259 · cache:
    73.1 MiB` -> numbers (and the line itself)."""
    line = next((ln for ln in stderr.splitlines() if "revisions:" in ln), "")
    out: dict = {"line": line.strip()}
    for key, rx in STATS_NUMBERS.items():
        m = rx.search(line)
        out[key] = int(m[1].replace(",", "")) if m else None
    m = STATS_CACHE.search(line)
    out["cache"] = f"{m[1]} {m[2] or ''}".strip() if m else None
    return out


# --------------------------------------------------------------------------
# Reading wily's cache and mlscan's JSON
# --------------------------------------------------------------------------


def as_function(entry) -> dict | None:
    """A radon function record: a dict (wily's detailed entries) or the list
    json.dumps makes of radon's Function namedtuple (its closures)."""
    if isinstance(entry, dict):
        return entry
    if isinstance(entry, (list, tuple)) and len(entry) == len(RADON_FUNCTION_FIELDS):
        return dict(zip(RADON_FUNCTION_FIELDS, entry))
    return None


def is_class_entry(entry: dict) -> bool:
    return "real_complexity" in entry or "inner_classes" in entry


def wily_functions(cyclomatic: dict) -> tuple[FuncMap, dict]:
    """wily's cyclomatic operator data of one revision -> {(path, lineno):
    (name, complexity)} over functions, methods and closures (recursively),
    plus totals. Directory aggregates (no "detailed") and classes are skipped."""
    funcs: FuncMap = {}
    info = {"functions": 0, "cyclomatic_total": 0, "files": 0, "closures": 0, "classes_skipped": 0}

    def visit(path: str, fn: dict, name: str, closure: bool) -> None:
        cc = int(fn.get("complexity", 0) or 0)
        info["functions"] += 1
        info["cyclomatic_total"] += cc
        info["closures"] += closure
        funcs.setdefault((path, int(fn.get("lineno", 0) or 0)), (name, cc))
        for c in fn.get("closures") or []:
            cf = as_function(c)
            if cf is not None:
                visit(path, cf, f"{name}.{cf.get('name', '?')}", True)

    for path, data in cyclomatic.items():
        if not isinstance(data, dict) or "detailed" not in data:
            continue
        info["files"] += 1
        rp = PurePosixPath(Path(path).as_posix()).as_posix()
        for fullname, entry in (data.get("detailed") or {}).items():
            if not isinstance(entry, dict):
                continue
            if is_class_entry(entry):
                info["classes_skipped"] += 1
                continue
            visit(rp, entry, fullname, False)
    return funcs, info


def find_wily_revisions(home: Path) -> dict[str, Path]:
    """commit sha -> HOME/.wily/<hash>/git/<sha>.json"""
    out: dict[str, Path] = {}
    for p in (home / ".wily").glob("*/git/*.json"):
        if re.fullmatch(r"[0-9a-f]{7,64}", p.stem):
            out[p.stem] = p
    return out


def load_mlscan_scan(path: Path, root: Path) -> tuple[FuncMap, dict, dict]:
    """mlscan scan JSON -> ({(path, line): (name, cc)} over .py files,
    {(path, line): kind}, totals by language and suffix)."""
    data = json.loads(path.read_bytes())
    files = data.get("files", []) if isinstance(data, dict) else data
    funcs: FuncMap = {}
    kinds: dict = {}
    totals: Counter = Counter()
    names_per_file: Counter = Counter()
    for f in files:
        facts = f.get("facts") or {}
        lang = f.get("language") or facts.get("language") or "?"
        p = f.get("path", "")
        fl = f.get("functions")
        if fl is None:
            fl = facts.get("functions") or []
        py = lang == "python" and p.endswith(".py")
        group = "py" if py else (f"{lang} {PurePosixPath(p).suffix}".strip())
        for fn in fl:
            cc = int(fn.get("cyclomatic", 0) or 0)
            totals[f"{group} functions"] += 1
            totals[f"{group} cyclomatic"] += cc
            totals["all functions"] += 1
            totals["all cyclomatic"] += cc
            if not py:
                continue
            key = (rel(p, root), int(fn.get("line", 0) or 0))
            name = fn.get("name", "?")
            names_per_file[(key[0], name)] += 1
            if key not in funcs:
                funcs[key] = (name, cc)
                kinds[key] = fn.get("kind", "?")
    return funcs, kinds, {"totals": dict(totals), "names_per_file": names_per_file}


def count_asserts(src_root: Path, keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """`assert` statements directly in each function (not in nested defs,
    classes or lambdas), read with Python's ast: what radon 6 and mlscan count
    and wily's radon call (no_assert=True) does not."""
    by_file: dict[str, list[int]] = {}
    for p, line in keys:
        by_file.setdefault(p, []).append(line)
    out: dict[tuple[str, int], int] = {}
    scope = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    for p, lines in by_file.items():
        try:
            tree = ast.parse((src_root / p).read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        wanted = set(lines)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno in wanted:
                n = 0
                stack = list(node.body)
                while stack:
                    x = stack.pop()
                    if isinstance(x, ast.Assert):
                        n += 1
                    if isinstance(x, scope):
                        continue
                    stack.extend(ast.iter_child_nodes(x))
                out[(p, node.lineno)] = n
    return out


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------


def compare_functions(wily: FuncMap, ours: FuncMap, kinds: dict, names_per_file: Counter, src: Path) -> dict:
    matched = sorted(set(wily) & set(ours))
    equal = [k for k in matched if wily[k][1] == ours[k][1]]
    within1 = [k for k in matched if abs(wily[k][1] - ours[k][1]) <= 1]
    differ = [k for k in matched if wily[k][1] != ours[k][1]]
    deltas = Counter(ours[k][1] - wily[k][1] for k in differ)
    pairs = Counter((wily[k][1], ours[k][1]) for k in differ)
    asserts = count_asserts(src, differ)
    by_assert = [k for k in differ if asserts.get(k, 0) and ours[k][1] - wily[k][1] == asserts[k]]
    wily_only = sorted(k for k in wily if k not in ours)
    ours_only = sorted(k for k in ours if k not in wily)
    wily_files = {k[0] for k in wily}
    our_files = {k[0] for k in ours}
    # Why mlscan has functions wily does not: wily keys its entries by
    # qualified name (a second `def` of the same name in a file replaces the
    # first), and radon drops methods of classes defined inside functions.
    dup_name = [k for k in ours_only if names_per_file[(k[0], ours[k][0])] > 1]
    unparsable = set()
    for p in {k[0] for k in ours_only}:
        try:
            ast.parse((src / p).read_bytes())
        except (SyntaxError, ValueError):
            unparsable.add(p)
        except OSError:
            pass
    ours_only_kinds = Counter(kinds.get(k, "?") for k in ours_only)
    unexplained = [k for k in differ if k not in set(by_assert)]
    return {
        "wily_functions": len(wily),
        "mlscan_functions": len(ours),
        "matched": len(matched),
        "equal": len(equal),
        "equal_share": len(equal) / len(matched) if matched else None,
        "within_1_share": len(within1) / len(matched) if matched else None,
        "disagreements_total": len(differ),
        "explained_by_assert": len(by_assert),
        "diff_histogram": {f"{d:+d}": n for d, n in deltas.most_common(MAX_SHOWN)},
        "pairs": [{"wily": w, "mlscan": m, "count": n} for (w, m), n in pairs.most_common(MAX_SHOWN)],
        "disagreements": [
            f"{k[0]}:{k[1]} {ours[k][0]} wily={wily[k][1]} mlscan={ours[k][1]}"
            + (f" (asserts: {asserts[k]})" if asserts.get(k) else "")
            for k in (unexplained + by_assert)[:MAX_SHOWN]
        ],
        "wily_only": len(wily_only),
        "wily_only_in_files_mlscan_lacks": sum(1 for k in wily_only if k[0] not in our_files),
        "mlscan_only": len(ours_only),
        "mlscan_only_in_files_wily_lacks": sum(1 for k in ours_only if k[0] not in wily_files),
        "mlscan_only_in_files_python_cannot_parse": sum(1 for k in ours_only if k[0] in unparsable),
        "mlscan_only_name_repeated_in_file": len(dup_name),
        "mlscan_only_kinds": dict(ours_only_kinds.most_common()),
        "reconciliation": {
            "matched_diff": sum(ours[k][1] - wily[k][1] for k in matched),
            "mlscan_only_cc": sum(ours[k][1] for k in ours_only),
            "wily_only_cc": sum(wily[k][1] for k in wily_only),
        },
        "wily_only_examples": [f"{k[0]}:{k[1]} {wily[k][0]}" for k in wily_only[:5]],
        "mlscan_only_repeated_name_examples": [
            f"{k[0]}:{k[1]} {ours[k][0]} ({kinds.get(k, '?')})" for k in dup_name[:5]
        ],
        "mlscan_only_examples": [
            f"{k[0]}:{k[1]} {ours[k][0]} ({kinds.get(k, '?')})" for k in [k for k in ours_only if k not in dup_name][:5]
        ],
    }


def compare_revisions(trend: dict, wily_revs: dict[str, dict]) -> dict:
    rows = []
    for r in trend.get("revisions", []):
        sha = r.get("commit", "")
        w = wily_revs.get(sha)
        if w is None:
            continue
        mt, wt = int(r.get("cyclomatic_total", 0) or 0), w["cyclomatic_total"]
        rows.append(
            {
                "commit": sha,
                "date": r.get("date", ""),
                "summary": r.get("summary", ""),
                "mlscan_functions": int(r.get("functions", 0) or 0),
                "wily_functions": w["functions"],
                "mlscan_cyclomatic_total": mt,
                "wily_cyclomatic_total": wt,
                "diff": mt - wt,
                "relative_diff": (mt - wt) / wt if wt else None,
                "wily_files": w["files"],
            }
        )
    trend_shas = {r.get("commit") for r in trend.get("revisions", [])}
    rel_diffs = [r["relative_diff"] for r in rows if r["relative_diff"] is not None]
    sum_m = sum(r["mlscan_cyclomatic_total"] for r in rows)
    sum_w = sum(r["wily_cyclomatic_total"] for r in rows)
    fm = sum(r["mlscan_functions"] for r in rows)
    fw = sum(r["wily_functions"] for r in rows)
    # Does the growth agree? first -> last change of each tool.
    growth = None
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        growth = {
            "mlscan": b["mlscan_cyclomatic_total"] - a["mlscan_cyclomatic_total"],
            "wily": b["wily_cyclomatic_total"] - a["wily_cyclomatic_total"],
        }
    return {
        "rows": rows,
        "both": len(rows),
        "mlscan_only": len(trend_shas - set(wily_revs)),
        "wily_only": len(set(wily_revs) - trend_shas),
        "relative_diff_min": min(rel_diffs) if rel_diffs else None,
        "relative_diff_median": statistics.median(rel_diffs) if rel_diffs else None,
        "relative_diff_max": max(rel_diffs) if rel_diffs else None,
        "totals_equal": sum(1 for r in rows if r["diff"] == 0),
        "functions_equal": sum(1 for r in rows if r["mlscan_functions"] == r["wily_functions"]),
        "sum_mlscan": sum_m,
        "sum_wily": sum_w,
        "overall_ratio": sum_m / sum_w if sum_w else None,
        "functions_ratio": fm / fw if fw else None,
        "growth": growth,
    }


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def fmt_pct(x, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{100 * x:+.2f}%" if signed else f"{100 * x:.1f}%"


def mib(n: float) -> str:
    return f"{n / 1048576:.1f} MiB"


def ratio(a, b) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "–"


def print_revision_table(c: dict) -> None:
    rows = c["rows"]

    def line(r: dict) -> str:
        return (
            f"| {r['commit'][:10]} | {r['date'][:10]} | {r['summary'][:28]} | {r['wily_functions']:,} | "
            f"{r['mlscan_functions']:,} | {r['wily_cyclomatic_total']:,} | {r['mlscan_cyclomatic_total']:,} | "
            f"{r['diff']:+,} | {fmt_pct(r['relative_diff'], True)} |"
        )

    print(
        "| commit | date | summary | wily functions | mlscan functions | wily CC total | "
        "mlscan CC total | mlscan − wily | relative |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    if len(rows) <= FULL_TABLE_UP_TO:
        for r in rows:
            print(line(r))
    else:
        for r in rows[:2]:
            print(line(r))
        print(f"| … {len(rows) - 4} more | | | | | | | | |")
        for r in rows[-2:]:
            print(line(r))


def print_function_comparison(c: dict) -> None:
    print(
        f"- functions: wily {c['wily_functions']:,}, mlscan {c['mlscan_functions']:,}, "
        f"matched on (path, def line) {c['matched']:,}"
    )
    print(
        f"- **equal CC: {c['equal']:,} / {c['matched']:,} matched = {fmt_pct(c['equal_share'])}** "
        f"(within ±1: {fmt_pct(c['within_1_share'])})"
    )
    if c["disagreements_total"]:
        print(
            f"- disagreements: {c['disagreements_total']:,}; mlscan − wily = the function's own `assert` "
            f"statements (wily runs radon with no_assert=True) in {c['explained_by_assert']:,} of them"
        )
    print(
        f"- unmatched: {c['wily_only']:,} only in wily "
        f"({c['wily_only_in_files_mlscan_lacks']:,} in files mlscan did not report), "
        f"{c['mlscan_only']:,} only in mlscan "
        f"({c['mlscan_only_in_files_wily_lacks']:,} in files wily did not report, "
        f"{c['mlscan_only_in_files_python_cannot_parse']:,} in files Python {sys.version_info[0]}.{sys.version_info[1]}'s "
        f"parser rejects (templates…: radon skips them, tree-sitter recovers); "
        f"{c['mlscan_only_name_repeated_in_file']:,} share their qualified name with another def of the file, "
        f"which wily's per-name entries keep only once)"
    )
    if c["mlscan_only_kinds"]:
        print("- mlscan-only by kind: " + ", ".join(f"{k} {n:,}" for k, n in c["mlscan_only_kinds"].items()))
    if c["diff_histogram"]:
        print(
            "- mlscan − wily (most common differences): "
            + ", ".join(f"{d}: {n:,}" for d, n in c["diff_histogram"].items())
        )
    if c["pairs"]:
        print(
            "- most common (wily, mlscan) pairs among disagreements: "
            + ", ".join(f"({p['wily']}, {p['mlscan']}): {p['count']:,}" for p in c["pairs"])
        )
    r = c["reconciliation"]
    print(
        f"- the tip's total, mlscan − wily = {r['matched_diff'] + r['mlscan_only_cc'] - r['wily_only_cc']:+,}: "
        f"{r['matched_diff']:+,} on matched functions, {r['mlscan_only_cc']:+,} from mlscan-only ones, "
        f"{-r['wily_only_cc']:+,} from wily-only ones"
    )
    for label, key in (
        ("only in wily", "wily_only_examples"),
        ("only in mlscan", "mlscan_only_examples"),
        ("only in mlscan, name repeated in the file", "mlscan_only_repeated_name_examples"),
    ):
        if c[key]:
            print(f"- e.g. {label}: " + "; ".join(c[key]))
    if c["disagreements"]:
        print(f"\n{len(c['disagreements'])} of {c['disagreements_total']:,} disagreements (unexplained first):\n")
        print("```")
        for d in c["disagreements"]:
            print(d)
        print("```")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def fail(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time `mlscan trend` (cold and warm) against `wily build` on the same revisions "
        "of a git history, and compare their cyclomatic complexity per revision and per function."
    )
    ap.add_argument("repo", type=Path, help="git repository with a linear history (never modified)")
    ap.add_argument("--last", type=int, default=50, help="newest N revisions (default 50)")
    ap.add_argument(
        "--cold-runs", type=int, default=3, help="cold mlscan runs, each on an empty cache; the median counts (default 3)"
    )
    ap.add_argument("--mlscan", default=None, help="mlscan binary (default: target/release/mlscan of this checkout)")
    ap.add_argument("--json", type=Path, help="write every measurement and comparison to this file")
    ap.add_argument("--skip-wily", action="store_true", help="run only mlscan (a quick test of the script)")
    ap.add_argument("--keep", type=Path, help="use DIR as the work folder and keep it (must be empty or absent)")
    args = ap.parse_args(argv)

    if args.cold_runs < 1:
        ap.error("--cold-runs must be >= 1")
    if args.last < 1:
        ap.error("--last must be >= 1")
    if args.json and not args.json.resolve().parent.is_dir():
        ap.error(f"--json: folder {args.json.parent} does not exist")
    repo = args.repo.resolve()
    if not repo.is_dir():
        return fail(f"{args.repo} is not a folder")
    if shutil.which("git") is None:
        return fail("git not found on PATH")
    try:
        top = git("rev-parse", "--show-toplevel", cwd=repo)
    except RuntimeError:
        return fail(f"{args.repo} is not a git repository")

    # --- tools ----------------------------------------------------------
    mlscan = args.mlscan or str(REPO_ROOT / "target" / "release" / "mlscan")
    if os.sep not in mlscan and shutil.which(mlscan):
        mlscan = shutil.which(mlscan)
    if not (os.path.isfile(mlscan) and os.access(mlscan, os.X_OK)):
        return fail(f"mlscan binary not found or not executable: {mlscan} (build it or pass --mlscan BIN)")
    mlscan = str(Path(mlscan).resolve())
    wily = None
    versions = {"mlscan": first_line([mlscan, "--version"]).removeprefix("mlscan ")}
    if not args.skip_wily:
        wily = resolve_exe("wily")
        if wily is None:
            return fail("wily not found on PATH (pip install wily), or pass --skip-wily")
        wv = first_line([wily, "--version"])
        m = re.search(r"version\s+(\S+)", wv)
        versions["wily"] = m[1] if m else wv
        interp = script_interpreter(wily) or "python3"
        versions["wily_python"] = interp
        versions["radon"] = first_line([interp, "-c", "import radon; print(radon.__version__)"])

    # --- work folder and clone ------------------------------------------
    if args.keep:
        work = args.keep.resolve()
        if work == repo or repo in work.parents or work in repo.parents:
            return fail("--keep DIR must be outside REPO")
        if work.exists() and any(work.iterdir()):
            return fail(f"--keep {args.keep}: folder is not empty")
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="mlscan-wily-"))
    clone = work / "clone"
    home = work / "home"
    cache = work / "mlscan-cache"
    try:
        return run(args, repo, top, work, clone, home, cache, mlscan, wily, versions)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}", file=sys.stderr)


def run(args, repo, top, work, clone, home, cache, mlscan, wily, versions) -> int:
    n = args.last
    print(f"cloning {repo} ...", file=sys.stderr, flush=True)
    git("clone", "--quiet", str(repo), str(clone))
    tip = git("rev-parse", "HEAD", cwd=clone)
    commits = int(git("rev-list", "--count", "HEAD", cwd=clone) or 0)
    merges = int(git("rev-list", "--merges", "--count", "HEAD", cwd=clone) or 0)
    print(
        f"# {repo.name}: {commits:,} commits ({merges} merges), newest {min(n, commits)} compared; tip {tip[:12]}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), flush=True)
    if merges:
        print(f"note: {merges} merge commits: mlscan follows first parents, wily every commit (git log order)")
    if str(repo) != top:
        print(f"note: {repo} is inside the repository {top}; the whole repository is cloned")

    results: dict = {
        "repo": str(repo),
        "last": n,
        "tip": tip,
        "commits": commits,
        "versions": versions,
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg()[0],
        "commands": {},
        "runs": {},
    }
    rc = 0

    # --- mlscan trend, cold then warm -------------------------------------
    stats: dict = {}
    trend_outputs = {}
    cold_runs = []
    # A cold run lasts seconds, wily's build minutes: the cold figure is the
    # median of --cold-runs runs, each on an empty cache, so one slow moment
    # of the machine does not decide the ratio. The warm run reuses the last
    # cold run's cache.
    for phase in ["cold"] * args.cold_runs + ["warm"]:
        if phase == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        out_json = work / f"trend-{phase}.json"
        argv = [mlscan, "trend", str(clone), "--last", str(n), "--cache-dir", str(cache)]
        argv += ["--format", "json", "-o", str(out_json), "--stats", "-q"]
        print(f"mlscan trend ({phase}) ...", end="", file=sys.stderr, flush=True)
        s = run_once(argv, work / f"mlscan-{phase}.out", work / f"mlscan-{phase}.err")
        print(f" {s.wall:.2f} s wall, {s.cpu:.2f} s CPU, rc {s.rc}", file=sys.stderr, flush=True)
        err = (work / f"mlscan-{phase}.err").read_text(errors="replace")
        if s.rc != 0 or not out_json.exists():
            print(f"error: mlscan trend ({phase}) failed (exit {s.rc}):\n{err.strip()[-1500:]}", file=sys.stderr)
            return 1
        run = {**asdict(s), "stats": parse_stats(err)}
        if phase == "cold":
            cold_runs.append(run)
            run = sorted(cold_runs, key=lambda r: r["wall"])[(len(cold_runs) - 1) // 2]
            if len(cold_runs) > 1:
                results["runs"]["mlscan_cold_all"] = cold_runs
        stats[phase] = run["stats"]
        results["runs"][f"mlscan_{phase}"] = run
        results["commands"][f"mlscan_{phase}"] = shlex.join(argv)
        trend_outputs[phase] = out_json
    trend = json.loads(trend_outputs["cold"].read_bytes())
    same = trend_outputs["cold"].read_bytes() == trend_outputs["warm"].read_bytes()
    results["trend_cold_equals_warm"] = same
    mlscan_cache = disk_usage(cache)
    results["mlscan_cache"] = mlscan_cache

    # --- wily build, cold, HOME isolated ----------------------------------
    wily_sample = None
    wily_cache = None
    wily_revs: dict[str, dict] = {}
    wily_tip: FuncMap | None = None
    if wily:
        home.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, HOME=str(home))
        env.pop("XDG_CACHE_HOME", None)
        env.pop("XDG_CONFIG_HOME", None)
        argv = [wily, "build", "-n", str(n), "."]
        results["commands"]["wily"] = f"cd {shlex.quote(str(clone))} && HOME={shlex.quote(str(home))} " + shlex.join(
            argv
        )
        print(f"wily build -n {n} (cold; log: {work / 'wily-build.log'}) ...", end="", file=sys.stderr, flush=True)
        s = run_once(argv, work / "wily-build.out", work / "wily-build.log", cwd=clone, env=env)
        print(f" {s.wall:.2f} s wall, {s.cpu:.2f} s CPU, rc {s.rc}", file=sys.stderr, flush=True)
        results["runs"]["wily"] = asdict(s)
        if s.rc != 0:
            tail = (work / "wily-build.log").read_text(errors="replace").strip()[-1500:]
            print(f"error: wily build failed (exit {s.rc}):\n{tail}", file=sys.stderr)
            rc = 1
        else:
            wily_sample = s
        wily_cache = disk_usage(home / ".wily")
        results["wily_cache"] = wily_cache
        files = find_wily_revisions(home)
        for sha, path in files.items():
            try:
                data = json.loads(path.read_bytes())
            except (OSError, json.JSONDecodeError) as e:
                print(f"warning: cannot read {path}: {e}", file=sys.stderr)
                continue
            cyc = (data.get("operator_data") or {}).get("cyclomatic") or {}
            funcs, info = wily_functions(cyc)
            wily_revs[sha] = info
            if sha == tip:
                wily_tip = funcs
        results["wily_revisions"] = len(wily_revs)

    # --- the clone back at the tip, clean ---------------------------------
    head = git("rev-parse", "HEAD", cwd=clone)
    dirty = git("status", "--porcelain", cwd=clone)
    if head != tip or dirty:
        print(f"note: the clone is at {head[:12]} (dirty: {bool(dirty)}); checking out the tip", file=sys.stderr)
        git("checkout", "-q", "--force", tip, cwd=clone)
    scan_json = work / "scan.json"
    argv = [mlscan, "scan", str(clone), "--format", "json", "-q", "--no-cache", "-o", str(scan_json)]
    results["commands"]["mlscan_scan"] = shlex.join(argv)
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    scan = None
    if proc.returncode != 0 or not scan_json.exists():
        print(f"warning: mlscan scan failed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}", file=sys.stderr)
    else:
        scan = load_mlscan_scan(scan_json, clone)

    # --- report: speed ------------------------------------------------------
    load_end = os.getloadavg()[0]
    results["load_average_end"] = load_end
    revs_done = stats["cold"]["revisions"] or len(trend.get("revisions", []))
    cold = results["runs"]["mlscan_cold"]
    warm = results["runs"]["mlscan_warm"]
    print(f"\n## Speed ({repo.name}, --last {n}; load average {load_end:.2f} at end)\n")
    print("| run | wall | CPU user+sys | peak RSS | wall / revision | CPU / revision |")
    print("|---|---|---|---|---|---|")
    all_cold = results["runs"].get("mlscan_cold_all", [])
    cold_label = f"mlscan trend, cold (median of {len(all_cold)})" if all_cold else "mlscan trend, cold"
    table = [(cold_label, cold, revs_done), ("mlscan trend, warm", warm, revs_done)]
    if wily_sample:
        table.append(("wily build, cold", results["runs"]["wily"], len(wily_revs) or n))
    for label, r, nrev in table:
        print(
            f"| {label} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['rss_kib'] / 1024:.0f} MiB | "
            f"{1000 * r['wall'] / max(nrev, 1):.0f} ms | {1000 * r['cpu'] / max(nrev, 1):.0f} ms |"
        )
    speed = {
        "cold_over_warm_wall": cold["wall"] / warm["wall"] if warm["wall"] else None,
        "cold_over_warm_cpu": cold["cpu"] / warm["cpu"] if warm["cpu"] else None,
    }
    print()
    if all_cold:
        runs = ", ".join(f"{r['wall']:.2f} s ({r['cpu']:.2f} s CPU)" for r in all_cold)
        print(f"- mlscan cold runs, in order: {runs}")
    if wily_sample:
        w = results["runs"]["wily"]
        speed["wily_over_mlscan_cold_wall"] = w["wall"] / cold["wall"] if cold["wall"] else None
        speed["wily_over_mlscan_cold_cpu"] = w["cpu"] / cold["cpu"] if cold["cpu"] else None
        print(
            f"- **wily ÷ mlscan cold: wall {ratio(w['wall'], cold['wall'])}, CPU {ratio(w['cpu'], cold['cpu'])}** "
            f"(wily ÷ mlscan warm: wall {ratio(w['wall'], warm['wall'])}, CPU {ratio(w['cpu'], warm['cpu'])})"
        )
    print(f"- mlscan cold ÷ warm: wall {ratio(cold['wall'], warm['wall'])}, CPU {ratio(cold['cpu'], warm['cpu'])}")
    results["speed"] = speed

    def num(x) -> str:
        return "?" if x is None else f"{x:,}"

    print("\n| | mlscan cold | mlscan warm | wily |")
    print("|---|---|---|---|")
    sc, sw = stats["cold"], stats["warm"]
    wrevs = f"{len(wily_revs):,}" if wily else "–"
    print(
        f"| revisions | {num(sc['revisions'])} ({num(sc['from_snapshots'])} from snapshots) | "
        f"{num(sw['revisions'])} ({num(sw['from_snapshots'])} from snapshots) | {wrevs} |"
    )
    print(f"| file versions | {num(sc['file_versions'])} | {num(sw['file_versions'])} | |")
    print(f"| distinct blobs | {num(sc['distinct_blobs'])} | {num(sw['distinct_blobs'])} | |")
    print(f"| blobs analysed | {num(sc['blobs_analysed'])} | {num(sw['blobs_analysed'])} | |")
    wc = f"{mib(wily_cache['disk_bytes'])} ({wily_cache['files']:,} files)" if wily_cache else "–"
    print(
        f"| cache on disk | {mib(mlscan_cache['disk_bytes'])} ({mlscan_cache['files']:,} files; "
        f"--stats: {sc['cache']}) | (same) | {wc} |"
    )
    print(f"\nmlscan's trend JSON cold and warm: {'byte-identical' if same else '**DIFFERENT**'}.")
    print(f"\n`--stats` cold: `{sc['line']}`\n`--stats` warm: `{sw['line']}`")

    # --- report: per-revision CC ----------------------------------------------
    if wily:
        print(f"\n## Cyclomatic complexity per revision (wily: radon {versions.get('radon')}; mlscan: radon 6 rules)\n")
        if not wily_revs:
            print("wily stored no revisions: nothing to compare.")
        else:
            c = compare_revisions(trend, wily_revs)
            results["revisions"] = c
            print_revision_table(c)
            print()
            print(
                f"- revisions in both: {c['both']:,} (only mlscan: {c['mlscan_only']}, only wily: {c['wily_only']}); "
                f"equal totals in {c['totals_equal']:,}, equal function counts in {c['functions_equal']:,}"
            )
            print(
                f"- relative difference of the totals, (mlscan − wily) ÷ wily: min {fmt_pct(c['relative_diff_min'], True)}, "
                f"median {fmt_pct(c['relative_diff_median'], True)}, max {fmt_pct(c['relative_diff_max'], True)}"
            )
            print(
                f"- **overall: Σ mlscan ÷ Σ wily = {c['overall_ratio']:.4f}** "
                f"({c['sum_mlscan']:,} / {c['sum_wily']:,}); functions {c['functions_ratio']:.4f}"
                if c["overall_ratio"]
                else "- overall: n/a"
            )
            if c["growth"]:
                g = c["growth"]
                print(f"- growth first → last revision: mlscan {g['mlscan']:+,}, wily {g['wily']:+,}")

    # --- report: per-function at the tip ----------------------------------
    if scan is not None:
        ours, kinds, extra = scan
        t = extra["totals"]
        tip_rev = next((r for r in trend.get("revisions", []) if r.get("commit") == tip), None)
        print(f"\n## Per function at the tip ({tip[:12]})\n")
        parts = ", ".join(
            f"{k.removesuffix(' cyclomatic')} {v:,}" for k, v in sorted(t.items()) if k.endswith("cyclomatic")
        )
        print(f"mlscan scan: CC total {parts}", end="")
        if tip_rev is not None:
            tr = tip_rev.get("cyclomatic_total")
            same_tip = tr == t.get("all cyclomatic", 0)
            print(f"; trend's tip total {tr:,} ({'equal' if same_tip else '**differs**'})")
            results["tip_scan_equals_trend"] = same_tip
        else:
            print()
        results["tip_scan_totals"] = t
        if wily_tip is not None:
            c = compare_functions(wily_tip, ours, kinds, extra["names_per_file"], clone)
            results["functions"] = c
            print(
                f"\nwily {versions.get('wily')} runs radon {versions.get('radon')} "
                f"({versions.get('wily_python')}) without counting `assert`; mlscan follows radon 6 (asserts count).\n"
            )
            print_function_comparison(c)
        elif wily:
            print("\nwily has no entry for the tip: no per-function comparison.")

    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nresults written to {args.json}", file=sys.stderr)
    print("\nCommands:\n\n```")
    for cmd in results["commands"].values():
        print(cmd)
    print("```")
    return rc


if __name__ == "__main__":
    sys.exit(main())
