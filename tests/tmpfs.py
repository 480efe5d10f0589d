"""A throw-away tmpfs for the tests that need a small or read-only disk (root only).

Root ignores folder permissions, so a read-only folder needs a read-only mount, and a full disk
needs a small one. Where mounting is not allowed the test is skipped, saying why.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def mounted_tmpfs(mount_point: Path, options: str, why_skipped: str = "") -> Iterator[Path]:
    """A tmpfs mounted at ``mount_point`` (created) with ``options`` (``ro,size=1m``…)."""
    mount_point.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root){why_skipped}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
