"""Run the real ``ratsarchiv serve`` in a subprocess on a free port, for HTTP and browser tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_URL = re.compile(r"http://\S+/")


@contextmanager
def served(index_dir: Path, corpus: Path) -> Iterator[str]:
    """``ratsarchiv serve --port 0`` over ``index_dir``; yields the base URL it prints."""
    script = Path(sys.executable).with_name("ratsarchiv")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "archive.cli"]
    command = [
        *program, "serve", "--host", "127.0.0.1", "--port", "0",
        "--threads", "4", "--index", str(index_dir), "--corpus", str(corpus),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield _wait_for_url(process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def _wait_for_url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline() if process.stdout else ""
        seen.append(line)
        match = _URL.search(line)
        if match:
            return match[0]
        if not line and process.poll() is not None:
            break
    raise AssertionError("ratsarchiv serve did not start:\n" + "".join(seen))
