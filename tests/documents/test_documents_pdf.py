"""Every kind of request document in every language, read back with pdftotext.

The checks are what a central authority's clerk would notice: the document is in the requested
state's language (title, fixed text, dates, offence categories, measures, document types and the
official title of the treaty), it has the sections its instrument requires (the EAW form's
(a)-(i), the EIO Annex A's sections A-L, the MLA items of Vienna Art. 7(10) / UNTOC Art. 18(15),
the extradition content of ETS 024 Art. 12), the signature block is on the page of the closing
paragraph, and no line is stretched to the margin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casecoord.bundle.letter import render_letter
from casecoord.bundle.specimens import KINDS, PAIRS, specimen
from casecoord.bundle.vocabulary import LANGUAGES, sources, vocabulary
from tests.documents.pdf_text import content_streams, flat, pdf_pages

FINGERPRINT = ":".join(["5E"] * 32)
CASES = [(kind, language) for kind in KINDS for language in LANGUAGES]
# fixed English phrases that must not leak into another language's document
ENGLISH_ONLY = ("Legal basis", "Summary of the facts", "Our reference", "not stated", "Page 1 of")


def _render(kind: str, language: str, tmp_path: Path) -> tuple[list[str], bytes]:
    pdf = render_letter(specimen(kind, language), language, signer_fingerprint=FINGERPRINT)
    return pdf_pages(pdf, tmp_path), pdf


def _body(pages: list[str], kind: str, language: str) -> str:
    """The pages joined without the running header and footer (marking, reference, page n)."""
    words = vocabulary(language)
    doc = specimen(kind, language)
    marking = words.phrase("marking", tlp="AMBER", code="H1", grading="")
    out = []
    for number, page in enumerate(pages, start=1):
        page = page.replace(words.phrase("page", n=number, nb=len(pages)), "")
        page = page.replace(marking, "").replace(doc["request"]["reference"], "", 1)
        out.append(page.strip())
    return " ".join(out)


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_document_is_in_the_letter_language(kind: str, language: str, tmp_path: Path) -> None:
    pages, _ = _render(kind, language, tmp_path)
    text = _body(pages, kind, language)
    words = vocabulary(language)
    assert words.term("titles", kind) in text
    assert words.date("2026-12-01") in text
    for key in ("illicit-trafficking-narcotic-drugs", "laundering-of-proceeds"):
        assert flat(words.term("offences", key)) in text
    for measure in specimen(kind, language)["request"]["measures"]:
        if kind == "eaw" and measure == "arrest-and-surrender":
            continue  # the form's certification asks for arrest and surrender; (g) the property
        assert flat(words.term("measures", measure)) in text
    assert words.term("document_types", "passport") in text
    instrument = specimen(kind, language)["request"]["legal_basis"]["instrument_id"]
    official = sources()["instruments"][instrument]["titles"][language]
    if kind not in ("eaw", "eio"):
        assert flat(official) in text
    assert words.phrase("page", n=1, nb=len(pages)) in pages[0]
    if language != "en":
        for phrase in ENGLISH_ONLY:
            assert phrase not in text, f"English {phrase!r} in the {language} document"


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_document_has_the_sections_of_its_instrument(
    kind: str, language: str, tmp_path: Path
) -> None:
    pages, _ = _render(kind, language, tmp_path)
    text = _body(pages, kind, language)
    words = vocabulary(language)
    doc = specimen(kind, language)["request"]
    if kind == "eaw":
        assert flat(str(words.group("eaw")["certification"])) in text
        headings = words.group("eaw")["sections"]
        assert list(headings) == sources()["forms"]["eaw"]["sections"]
        positions = [text.index(f"({letter}) {flat(headings[letter])}") for letter in headings]
        assert positions == sorted(positions), "EAW sections out of the Annex's order"
    elif kind == "eio":
        headings = words.group("eio")["sections"]
        assert list(headings) == sources()["forms"]["eio"]["sections"]
        section = words.phrase("section")
        positions = [text.index(f"{section} {key}: {flat(headings[key])}") for key in headings]
        assert positions == sorted(positions), "EIO sections out of Annex A's order"
        validating = doc["validating_authority"]
        section_l = (
            flat(validating) if validating else vocabulary(language).phrase("not_applicable")
        )
        assert section_l in text.split(f"{section} L:")[1]
    else:
        sections = words.group("sections")
        wanted = (
            ["legal_basis", "requesting_authority", "proceedings", "facts", "assistance"]
            + ["persons", "purpose"]
            if kind == "mla"
            else ["legal_basis", "person_sought", "decision", "offence"]
            + ["qualification_provisions", "penalty", "request"]
        )
        for key in wanted:
            assert flat(sections[key]) in text, f"section {key} missing"
    if kind == "mla":  # Vienna 1988 Art. 7(10)(a)-(f), each item cited
        for letter in "abcdef":
            assert f"Art. 7(10)({letter})" in text
        assert flat(doc["purpose"]) in text
        assert flat(doc["procedure"]) in text
    if kind in ("extradition", "provisional-arrest", "eaw"):
        decision = doc["decision"]
        assert decision["reference"] in text and decision["authority"] in text
        assert words.date(decision["date"]) in text
        assert flat(doc["offence"]["max_penalty"]) in text
        assert flat(doc["offence"]["time"]) in text and flat(doc["offence"]["place"]) in text
        assert flat(doc["offence"]["provisions_text"]) in text
    if kind == "extradition":
        assert flat(doc["offence"]["limitation"]) in text
        assert flat(doc["assurances"]) in text
    person = doc["persons"][0]
    assert flat(person["whereabouts"]) in text
    assert "RESTREPO ÁLVAREZ" in text


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_signature_block_stays_with_the_closing_paragraph(
    kind: str, language: str, tmp_path: Path
) -> None:
    doc = specimen(kind, language)
    words = vocabulary(language)
    closing = flat(words.phrase("closing"))
    # push the closing towards a page end with ever longer facts: it must never be orphaned
    for extra in range(0, 42, 3):
        doc["request"]["facts"] = specimen(kind, language)["request"]["facts"] + (
            " " + specimen(kind, language)["request"]["facts"]
        ) * (extra // 3)
        pdf = render_letter(doc, language, signer_fingerprint=FINGERPRINT)
        pages = pdf_pages(pdf, tmp_path)
        holding = [page for page in pages if closing in page]
        assert len(holding) == 1, f"closing paragraph split or missing ({extra})"
        assert doc["sender"]["name"] in holding[0]
        assert flat(words.phrase("signed")) in holding[0]
        assert FINGERPRINT in holding[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_line_is_stretched(language: str) -> None:
    """Justified text comes out as TJ arrays with spacing; left-aligned text as plain Tj."""
    for kind in KINDS:
        pdf = render_letter(specimen(kind, language), language)
        streams = [s for s in content_streams(pdf) if b" Tf" in s]
        assert streams
        assert not any(b"] TJ" in s or b"]TJ" in s for s in streams)
        assert not any(b" Tw" in s for s in streams)


def test_version_1_document_still_renders(tmp_path: Path) -> None:
    """A document without the version 2 fields prints "not stated", never a made-up value."""
    doc = specimen("extradition", "es")
    for key in ("decision", "offence", "proceedings", "purpose", "procedure", "assurances"):
        doc["request"].pop(key)
    doc["request"].pop("validating_authority")
    doc["request"]["persons"][0].pop("whereabouts")
    doc["schema_version"] = 1
    text = " ".join(pdf_pages(render_letter(doc, "es"), tmp_path))
    words = vocabulary("es")
    assert words.phrase("not_stated") in text
    assert f"{words.phrase('whereabouts')}: {words.phrase('not_stated')}" in text


def test_unknown_instrument_title_falls_back_to_english_and_says_so(tmp_path: Path) -> None:
    doc = specimen("mla", "nl")
    doc["request"]["legal_basis"] = {
        "instrument_id": "nl-pe-transfer-2011",
        "title": "Treaty between the Netherlands and Peru on the transfer of sentenced persons",
        "articles": [],
        "override_reason": None,
    }
    text = " ".join(pdf_pages(render_letter(doc, "nl"), tmp_path))
    assert "Treaty between the Netherlands and Peru" in text
    assert flat(vocabulary("nl").phrase("title_in_english")) in text


def test_specimen_pairs_cover_the_demo_languages() -> None:
    assert {"en", "es", "nl"} <= set(PAIRS)
