"""``kill -9`` during a plain bundle export leaves no plaintext behind.

Before: the writer streamed the container into a hidden ``.NAME.XXXX.part`` beside the target,
so a kill mid-export left the attachment's plaintext bytes in the officer's export folder. Now the
bundle goes through the vault's atomic writer, whose file has no name until it is complete
(Linux ``O_TMPFILE``): the kernel frees it with the killed process.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.hostile.make_corpus import IDENTITY

MARKER = b"PLAINTEXT-EVIDENCE-"

_KILLED_EXPORT = r"""
import os, signal, sys
from functools import partial
from pathlib import Path
from casecoord.bundle.writer import AttachmentSource, write_bundle
from tests.hostile.make_corpus import IDENTITY, LETTER, load_keys, request_doc

signer = load_keys(IDENTITY)["signer"]
marker = sys.argv[2].encode()

def chunks():
    for n in range(64):  # 64 MiB if it ran to the end
        if n == 24:
            sys.stdout.write("killing\n")
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        yield (marker * 65536)[: 1 << 20]

source = AttachmentSource("intercept.wav", "application/octet-stream", chunks)
write_bundle(Path(sys.argv[1]), request_doc([]), LETTER, [source], (signer.key, signer.cert))
"""


def _holding(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_export_killed_mid_attachment_leaves_no_file_in_the_target_folder(tmp_path: Path) -> None:
    assert (IDENTITY / "signer.cert.pem").exists()
    folder = tmp_path / "exports"
    folder.mkdir()
    completed = subprocess.run(
        [sys.executable, "-c", _KILLED_EXPORT, str(folder / "request.asice"), MARKER.decode()],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    assert "killing" in completed.stdout  # it died with the attachment half written
    assert sorted(p.name for p in folder.iterdir()) == []  # no .part, no hidden temp file
    assert _holding(tmp_path, MARKER) == []
