"""Timing helpers for the speed benchmark: percentiles, child processes, servers, the table.

``measure(cmd)`` runs a command and returns its wall time and the peak resident memory of its
whole process tree (sampled with psutil); ``Server`` starts a web server as a child process on
a free port, waits until it answers ``/healthz`` and serves keep-alive GETs; ``render_table``
prints the one result table.

>>> summarize([0.010, 0.020, 0.030])["p50_ms"]
20.0
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

MB = 1024 * 1024


def percentile(samples: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0–100) with linear interpolation between ranks."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p95, p99, min, max and mean of timings given in seconds, in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 2),
        "p95_ms": round(percentile(seconds, 95) * 1000, 2),
        "p99_ms": round(percentile(seconds, 99) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
        "mean_ms": round(sum(seconds) / len(seconds) * 1000, 2),
    }


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        whoosh = version("whoosh")
    except Exception:  # pragma: no cover - whoosh is a dependency
        whoosh = "?"
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": whoosh,
        "platform": platform.platform(),
    }


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 once it has gone)."""
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


class PeakRSS:
    """Samples a process tree's resident memory in a thread; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.proc))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / MB, 1)


@dataclass
class Measured:
    """One finished child process: wall time, peak tree RSS, exit code and output."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0
    """User + system CPU of the process and the children it waited for (robust to load)."""

    def check(self, what: str) -> Measured:
        if self.returncode != 0:
            output = self.stderr[-3000:] + self.stdout[-2000:]
            raise RuntimeError(f"{what} failed (exit {self.returncode}):\n{output}")
        return self


def measure(cmd: Sequence[str], *, timeout: float = 3600, env: dict | None = None) -> Measured:
    """Run ``cmd`` to completion; time it from spawn to exit and sample its memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    with PeakRSS(proc.pid) as sampler:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise RuntimeError(f"timed out after {timeout} s: {' '.join(cmd)}") from None
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, sampler.peak_mb, proc.returncode, out, err, round(cpu, 2))


def bin_path(name: str) -> str:
    """A console script of this environment (``ratsarchiv``), beside the running Python."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name!r} not found beside {sys.executable} nor on PATH")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A web server child process on 127.0.0.1; ``get`` reuses one keep-alive connection.

    >>> # with Server(["ratsarchiv", "serve", "--port", "{port}"]) as s: s.get("/healthz")
    """

    def __init__(
        self, cmd: Sequence[str], *, health: str = "/healthz", timeout: float = 120
    ) -> None:
        self.port = free_port()
        self.cmd = [part.replace("{port}", str(self.port)) for part in cmd]
        self.health = health
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.ready_seconds = 0.0
        self._conn: http.client.HTTPConnection | None = None
        self._log = None
        self._sampler: PeakRSS | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        import tempfile

        self._log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in stop()
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        self._sampler = PeakRSS(self.proc.pid, interval=0.05).__enter__()
        deadline = start + self.timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                status, _, _ = self.get(self.health)
                if status == 200:
                    break
            except OSError:
                self._conn = None
            if time.perf_counter() > deadline:
                raise RuntimeError(f"server not healthy after {self.timeout} s:\n{self.log()}")
            time.sleep(0.01)
        self.ready_seconds = time.perf_counter() - start

    def log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-4000:]

    def get(self, path: str) -> tuple[int, bytes, float]:
        """GET ``path``; returns status, body and seconds from request to last byte."""
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        start = time.perf_counter()
        try:
            self._conn.request("GET", path)
            response = self._conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self._conn.close()
            self._conn = None
            raise
        seconds = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close":
            self._conn.close()
            self._conn = None
        return response.status, body, seconds

    def rss_mb(self) -> float:
        assert self.proc is not None
        return round(tree_rss(psutil.Process(self.proc.pid)) / MB, 1)

    @property
    def peak_rss_mb(self) -> float:
        return self._sampler.peak_mb if self._sampler else 0.0

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._sampler is not None:
            self._sampler.__exit__()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def render_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of result rows (``label``, ``ratsarchiv``, ``reference``, ...)."""
    header = ("Measure", "Ratsarchiv", "Reference", "Ratio", "Target", "Status")
    keys = ("label", "ratsarchiv", "reference", "ratio", "target", "status")
    cells = [header, *[tuple(str(row.get(k) or "") for k in keys) for row in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = []
    for n, line in enumerate(cells):
        lines.append(
            "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        )
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
