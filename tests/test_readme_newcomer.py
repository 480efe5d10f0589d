"""Follow the README exactly as a newcomer would, in a fresh folder and a fresh virtual environment.

The README's contract with this test: its first ```bash block installs casecoord and opens the
demo (``… && casecoord demo``), its second installs the test dependencies and runs the tests.
The test copies the working tree (what a clone holds), runs the first block's install commands,
then its ``casecoord demo`` in a real terminal (tmux) until the dashboard shows, and quits with
``q``; then the second block's install commands, with the test run itself replaced by
``pytest --collect-only`` (the suite is already running: this proves a fresh install collects it).
Slow (two ``pip install``s) but in the default run: a README that stops working is a broken
product for the next officer or engineer who reads it.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    ".stores",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".mypy_cache",
    ".ruff_cache",
    "*.egg-info",
    ".import_linter_cache",
    "dist",
    "build",
)
INSTALL_TIMEOUT = 600.0
DASHBOARD_WORDS = ("Dashboard", "Deadlines")

pytestmark = [pytest.mark.slow, pytest.mark.tmux]


def bash_blocks(markdown: str) -> list[str]:
    """The bodies of the ```bash fenced blocks, in order."""
    return re.findall(r"^```bash[ \t]*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def commands(block: str) -> list[str]:
    """One block's commands, split on new lines and ``&&`` (comments and blanks dropped)."""
    found = []
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        found += [part.strip() for part in line.split("&&") if part.strip()]
    return found


def is_activation(command: str) -> bool:
    words = shlex.split(command)
    return len(words) >= 2 and words[0] in {".", "source"} and words[1].endswith("activate")


def is_test_run(command: str) -> bool:
    words = shlex.split(command)
    return "pytest" in words[:3] or words[:2] == ["make", "test"]


def newcomer_env(home: Path) -> dict[str, str]:
    """A clean environment: a fresh HOME, no casecoord variables from the running suite, and the
    same Python on PATH that runs this suite (standing in for the newcomer's ``python3``)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CASECOORD_", "VIRTUAL_ENV", "PYTEST", "XDG_"))
    }
    base_bin = Path(getattr(sys, "_base_executable", sys.executable)).parent
    path = [
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != Path(sys.executable).parent
    ]
    env["PATH"] = os.pathsep.join([str(base_bin), *path])
    env["HOME"] = str(home)
    env["TERM"] = "xterm-256color"
    real_cache = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "pip"
    if real_cache.is_dir():
        env["PIP_CACHE_DIR"] = str(real_cache)  # a warm wheel cache: same result, less waiting
    return env


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    target = tmp_path / "casecoord"
    shutil.copytree(REPO, target, ignore=COPY_IGNORE)
    return target


def tmux(socket: Path, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-S", str(socket), *args], check=True, capture_output=True, text=True
    ).stdout


def test_readme_install_demo_and_tests_work_for_a_newcomer(checkout: Path, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; the demo step needs a real terminal")
    blocks = bash_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2, (
        "README.md must hold two ```bash blocks: first install + 'casecoord demo', "
        "second the test commands"
    )
    first, second = commands(blocks[0]), commands(blocks[1])
    demo = [c for c in first if shlex.split(c)[0] == "casecoord"]
    assert demo and shlex.split(demo[-1])[:2] == ["casecoord", "demo"], first
    install = [c for c in first if c not in demo]
    assert any("pip install" in c for c in install), "the first block must install casecoord"

    home = tmp_path / "newcomer-home"
    home.mkdir()
    env = newcomer_env(home)
    log, rc = tmp_path / "install.log", tmp_path / "demo.rc"
    script = tmp_path / "newcomer.sh"
    script.write_text(
        f"cd {shlex.quote(str(checkout))}\n"
        f"{{ {' && '.join(install)} ; }} > {shlex.quote(str(log))} 2>&1 "
        f"|| {{ echo INSTALL-FAILED; sleep 60; exit 1; }}\n"
        f"{' && '.join(demo)}\n"
        f"echo $? > {shlex.quote(str(rc))}\n"
    )
    socket = tmp_path / "tmux.sock"
    session = f"newcomer-{uuid.uuid4().hex[:8]}"
    env_args = [f"{k}={v}" for k, v in env.items()]
    tmux(
        socket,
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "40",
        "env",
        "-i",
        *env_args,
        "bash",
        str(script),
    )
    try:
        deadline = time.monotonic() + INSTALL_TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = tmux(socket, "capture-pane", "-p", "-t", session)
            if "INSTALL-FAILED" in screen:
                pytest.fail("the README's install failed:\n" + log.read_text()[-3000:])
            if all(word in screen for word in DASHBOARD_WORDS):
                break
            time.sleep(1.0)
        else:
            pytest.fail(f"the dashboard never appeared; the terminal shows:\n{screen}")
        tmux(socket, "send-keys", "-t", session, "C-q")
        quit_deadline = time.monotonic() + 30
        while not rc.exists() and time.monotonic() < quit_deadline:
            time.sleep(0.5)
        assert rc.exists(), "ctrl+q did not quit the demo"
        assert rc.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "-S", str(socket), "kill-server"], check=False, capture_output=True)

    # the second block, in the same checkout and environment; the test run only collects
    activation = [c for c in first if is_activation(c)]
    steps = activation + [
        "python -m pytest --collect-only -q" if is_test_run(c) else c for c in second
    ]
    assert any(is_test_run(c) for c in second), "the second block must run the tests"
    collected = subprocess.run(
        ["bash", "-c", " && ".join(steps)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    tail = (collected.stdout + collected.stderr)[-3000:]
    assert collected.returncode == 0, tail
    counted = re.search(r"(\d+) tests? collected", collected.stdout)
    assert counted and int(counted.group(1)) > 0, tail
    assert " error" not in collected.stdout.splitlines()[-1], tail
