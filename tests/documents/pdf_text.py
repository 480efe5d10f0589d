"""Text of generated PDFs as a reader's tool sees it: poppler's ``pdftotext``, page by page."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext, whitespace collapsed to single spaces)."""
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext (poppler-utils) is needed: apt-get install poppler-utils"
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(
        [tool, "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def content_streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out
