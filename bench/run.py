"""Shared helpers of the benchmarks: child processes with their peak memory, timing, reports."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT

# The orchestrated run (``bench.all``) points BENCH_RESULTS_DIR at one folder per database size.
RESULTS = Path(os.environ.get("BENCH_RESULTS_DIR") or ROOT / "bench" / "results")


def in_child(module, *args, cwd=None, env=None):
    """Run ``python -m module args`` and return (its JSON answer, its peak RSS in MB).

    Call it from a small parent: Linux counts the memory a child had at fork in its peak.
    ``cwd`` runs another checkout's code (a baseline), ``env`` overrides variables.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd or ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{module} {args} failed with {process.returncode}")
    answer = json.loads(output.strip().splitlines()[-1])
    return answer, usage.ru_maxrss / 1024


def answer(**values):
    """A child's result: one JSON line on stdout."""
    print(json.dumps(values), flush=True)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values):
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "min_ms": round(min(values) * 1000, 1),
        "runs": len(values),
    }


def stamp():
    """When, where and under what load a result was saved: the report shows it with each figure."""
    from datetime import UTC, datetime
    from urllib.parse import urlparse

    url = os.environ.get("DATABASE_URL", "")
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_at_save": [round(x, 2) for x in os.getloadavg()],
        "database": urlparse(url).path.lstrip("/") if url else None,
    }


def save(name, data):
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {**stamp(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return path


def machine():
    """The facts of this machine that the numbers depend on."""
    import platform

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }
