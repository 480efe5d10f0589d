"""Harness for the reliability suite: the real ``casecoord`` program, killed or starved on purpose.

Two ways to crash a child, because each finds what the other misses:

- :func:`crash_at` SIGKILLs the child just before its n-th file-system state change (``os.replace``,
  ``fsync``, ``unlink``, ``chmod``, ``rmdir``, ``rename``), for n = 1, 2, … until the command runs
  to the end: every step of a passphrase change, backup or restore is hit exactly once, which
  random timing alone would hit only by luck;
- :func:`kill_after` SIGKILLs it after a random delay, which also lands inside SQLite's and
  OpenSSL's C code, where the Python hooks cannot reach.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PASSPHRASE

KILLED = -signal.SIGKILL

_CRASHER = r"""
import os, signal, sys
target = int(os.environ["CASECOORD_CRASH_AT"])
calls = 0
def hook(name):
    real = getattr(os, name)
    def crashing(*args, **kwargs):
        global calls
        calls += 1
        if calls == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(os, name, crashing)
for name in ("replace", "rename", "fsync", "unlink", "rmdir", "chmod"):
    hook(name)
from casecoord.cli import main
sys.argv = ["casecoord", *sys.argv[1:]]
sys.exit(main())
"""


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def killed(self) -> bool:
        return self.code == KILLED


def cli(*args: str, stdin: str = PASSPHRASE + "\n", env: dict[str, str] | None = None) -> Outcome:
    """Run ``casecoord ARGS`` to the end, secrets on stdin."""
    completed = subprocess.run(
        [sys.executable, "-m", "casecoord.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def crash_at(step: int, *args: str, stdin: str = PASSPHRASE + "\n") -> Outcome:
    """Run ``casecoord ARGS`` and SIGKILL it just before its ``step``-th file-system change."""
    completed = subprocess.run(
        [sys.executable, "-c", _CRASHER, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "CASECOORD_CRASH_AT": str(step)},
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def kill_after(delay: float, *args: str, stdin: str = PASSPHRASE + "\n") -> Outcome:
    """Start ``casecoord ARGS`` and SIGKILL it after ``delay`` seconds (if still running)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "casecoord.cli", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    child.stdin.write(stdin)
    child.stdin.close()
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()  # small outputs: no pipe can fill up
    child.wait(timeout=60)
    return Outcome(child.returncode, out, err)


def timed(*args: str, stdin: str = PASSPHRASE + "\n") -> float:
    """How long ``casecoord ARGS`` takes when left alone: the window random kills aim at."""
    start = time.perf_counter()
    outcome = cli(*args, stdin=stdin)
    assert outcome.code == 0, outcome.err
    return time.perf_counter() - start


def private(path: Path) -> bool:
    """Only the owner may read or write ``path`` (0600 files, 0700 folders)."""
    return path.stat().st_mode & 0o077 == 0
