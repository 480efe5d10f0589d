"""The real ``casecoord`` program in a real terminal (tmux): unlock, dashboard, cases, quit.

Polls ``capture-pane`` until the expected text appears (generous timeout); no fixed sleeps
stand in for assertions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.tui.conftest import PASSPHRASE
from tests.tui.terminal import casecoord_in_tmux, tmux, wait_for

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_real_program_unlocks_shows_dashboard_and_cases(demo_vault_dir: Path) -> None:
    with casecoord_in_tmux(
        ["--vault", str(demo_vault_dir)], env={"CASECOORD_KDF_PROFILE": "test"}
    ) as session:
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
