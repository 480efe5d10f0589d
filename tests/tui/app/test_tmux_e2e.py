"""The real ``casecoord`` program in a real terminal (tmux): unlock, dashboard, cases, quit.

Polls ``capture-pane`` until the expected text appears (generous timeout); no fixed sleeps
stand in for assertions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.tui.conftest import PASSPHRASE

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
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


def test_real_program_unlocks_shows_dashboard_and_cases(demo_vault_dir: Path) -> None:
    session = f"casecoord-{uuid.uuid4().hex[:8]}"
    env_vars = {
        "CASECOORD_KDF_PROFILE": "test",
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ.get("XDG_DATA_HOME", ""),
        "XDG_CONFIG_HOME": os.environ.get("XDG_CONFIG_HOME", ""),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", ""),
    }
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env_vars.items())
    command = " ".join(_quote(part) for part in casecoord_command())
    shell = f"env {exports} {command} --vault {_quote(str(demo_vault_dir))}; echo EXIT=$?; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "45", shell)
    try:
        wait_for(session, "Unlock your vault")
        tmux("send-keys", "-t", session, "-l", PASSPHRASE)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Open requests by status")
        wait_for(session, "Recently changed cases")
        tmux("send-keys", "-t", session, "2")
        shown = wait_for(session, "Reference")
        wait_for(session, "40 cases")
        assert "Traceback" not in shown
        tmux("send-keys", "-t", session, "C-q")
        final = wait_for(session, "EXIT=")
        assert "EXIT=0" in final
        assert "Traceback" not in final
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
