"""The request letter: both languages, Unicode names embedded, handling marking on each page."""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from functools import partial
from pathlib import Path

import pytest
from bundle_examples import bytes_source, example_request_doc

from casecoord.bundle.errors import LetterError
from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.letter import letter_language, render_letter
from casecoord.bundle.verify import open_verified
from casecoord.bundle.writer import write_bundle

NAMES_CODEPOINTS = {"ş": "015F", "ñ": "00F1", "ü": "00FC", "ç": "00E7", "ł": "0142", "ı": "0131"}


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _unicode_mapped(pdf: bytes) -> set[str]:
    """Code points the embedded fonts' ToUnicode maps can produce (what text extraction sees)."""
    mapped: set[str] = set()
    for stream in _streams(pdf):
        if b"begincmap" in stream:
            mapped |= {m.decode() for m in re.findall(rb"<[0-9A-F]{4}> <([0-9A-F]{4})>", stream)}
    return mapped


@pytest.mark.parametrize("language", ["en", "es"])
def test_letter_embeds_a_unicode_font_for_every_name(language: str) -> None:
    doc = example_request_doc()
    doc["request"]["persons"][1]["given_names"] = "Ayşe Begoña Müller François Michał Işık"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns about glyphs the font lacks
        pdf = render_letter(doc, language)
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf and b"DejaVuSans" in pdf
    assert f"/Lang ({language})".encode() in pdf
    mapped = _unicode_mapped(pdf)
    for char, codepoint in NAMES_CODEPOINTS.items():
        assert codepoint in mapped, f"{char} is not rendered with the embedded font"


def test_letter_is_deterministic_and_differs_by_language() -> None:
    doc = example_request_doc()
    assert render_letter(doc, "es") == render_letter(doc, "es")
    assert render_letter(doc, "en") != render_letter(doc, "es")


def test_long_letter_repeats_handling_marking_on_every_page() -> None:
    doc = example_request_doc()
    doc["request"]["facts"] = "Los hechos se describen con detalle. " * 600
    pdf = render_letter(doc, "es")
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pages >= 3
    page_streams = [st for st in _streams(pdf) if b" Tf " in st]
    assert len(page_streams) == pages
    # The first glyph run of the first page is the header's marking; header and footer draw
    # that same run on every page.
    found = re.search(rb"Td \((.*?)\) Tj", page_streams[0], re.S)
    assert found is not None
    marking = found.group(1)
    assert all(st.count(marking) == 2 for st in page_streams)


def test_unsupported_language_is_a_clear_refusal() -> None:
    with pytest.raises(LetterError, match="available: en, es, nl, pt, fr"):
        render_letter(example_request_doc(), "de")
    assert letter_language("de") == "en"
    assert letter_language("es") == "es"


def test_letter_in_bundle_lists_attachments_and_verifies(
    tmp_path: Path, officer: OfficerIdentity
) -> None:
    info = write_bundle(
        tmp_path / "b.asice",
        example_request_doc(),
        partial(render_letter, language="es", signer_fingerprint=officer.fingerprint),
        [bytes_source("Declaración Şahin.pdf", b"%PDF witness statement")],
        officer,
    )
    with open_verified(info.path, {officer.fingerprint: officer.name}) as verified:
        letter = verified.letter_pdf()
    with zipfile.ZipFile(info.path) as zf:
        assert zf.read("request.pdf") == letter
    assert letter.startswith(b"%PDF-")
    assert {"015F", "00F3"} <= _unicode_mapped(letter)
