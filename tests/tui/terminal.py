"""The real ``casecoord`` program in a real terminal: one tmux session per test.

Every tmux test starts the program the same way (a clean environment, the pane's size also in
COLUMNS/LINES, because a tmux server started from a shell may carry COLUMNS=80 LINES=24 and
Textual obeys them), polls ``capture-pane`` until the expected text appears (generous timeout;
no fixed sleeps stand in for assertions), and kills the session at the end. After the program
exits the pane shows ``EXIT=<code>``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

TIMEOUT = 60.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen_text(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, timeout: float = TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen_text(session)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")


def casecoord_command() -> list[str]:
    script = Path(sys.executable).with_name("casecoord")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "casecoord.cli"]


@contextmanager
def casecoord_in_tmux(
    args: Sequence[str],
    *,
    size: tuple[int, int] = (140, 45),
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run ``casecoord ARGS`` in a new detached tmux session of ``size``; yield its name."""
    session = f"casecoord-{uuid.uuid4().hex[:8]}"
    width, height = size
    variables = {
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ.get("XDG_DATA_HOME", ""),
        "XDG_CONFIG_HOME": os.environ.get("XDG_CONFIG_HOME", ""),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", ""),
        "COLUMNS": str(width),
        "LINES": str(height),
        **(env or {}),
    }
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in variables.items())
    command = shlex.join([*casecoord_command(), *args])
    shell = f"env {exports} {command}; echo EXIT=$?; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), shell)
    try:
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
