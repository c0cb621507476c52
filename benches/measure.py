"""Running a tool and measuring it, for the comparison scripts of this
folder (compare.py, wily_compare.py): wall time, CPU seconds and peak
memory from ``os.wait4``, and executables found through pyenv's shims."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + sys seconds, the child and its waited-for children
    rss_kib: int  # peak resident set size (ru_maxrss, KiB on Linux)
    rc: int


def run_once(
    argv: list[str], out_path: Path, err_path: Path, cwd: Path | None = None, env: dict | None = None
) -> Sample:
    """Runs argv with stdout/stderr to files and measures it with wait4."""
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc  # already reaped: keep Popen from waiting again
    return Sample(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, rc)


def resolve_exe(name: str) -> str | None:
    """Finds an executable, looking through pyenv shims (a bash script that
    would add ~50-100 ms of start-up to every timed run, and needs pyenv's
    HOME)."""
    path = shutil.which(name)
    if path is None:
        return None
    if "/.pyenv/shims/" in path and shutil.which("pyenv"):
        try:
            real = subprocess.run(
                ["pyenv", "which", name], capture_output=True, text=True, timeout=30, check=False
            ).stdout.strip()
            if real and os.access(real, os.X_OK):
                return real
        except (OSError, subprocess.SubprocessError):
            pass
    return path


def rel(path: str, root: Path) -> str:
    """A tool's file name -> POSIX path relative to root."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(root)
        except ValueError:
            p = Path(os.path.relpath(p, root))
    return PurePosixPath(*p.parts).as_posix() if p.parts else "."
