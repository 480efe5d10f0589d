"""The formal request document (request.pdf), rendered from the same document as request.json.

The letter is what the requested state's authorities file and read; request.json is what their
software imports. Both come from one dict so they cannot disagree. Text is set in DejaVu Sans,
embedded from ``casecoord/bundle/fonts`` (see the LICENSE there), because names in these cases
are Turkish, Spanish, Polish, German... and the PDF core fonts only cover Latin-1.

The handling marking (TLP, handling code, grading) is repeated in the header and footer of every
page, as handling rules require for each page that may be separated from the rest. Output is
deterministic for a given document: the PDF creation date is the request's ``created_at``.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from casecoord.bundle.errors import LetterError
from casecoord.bundle.forms import Block, build_blocks
from casecoord.bundle.vocabulary import LANGUAGES, Vocabulary, vocabulary

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
SUPPORTED_LANGUAGES = LANGUAGES


def letter_language(required: str | None) -> str:
    """The letter language to use for a requested state needing ``required`` (ISO 639-1).

    Falls back to English when no vocabulary exists; the service should then mark the request
    as needing translation.
    """
    return required if required in LANGUAGES else "en"


def _country(code: str, language: str) -> str:
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return code
        name = str(getattr(country, "common_name", None) or country.name)
        if language == "en":
            return name
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        return translation.gettext(str(country.name))
    except (ImportError, OSError):
        return code


class _LetterPdf(FPDF):
    def __init__(self, marking: str, page_label: str, reference: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.marking = marking
        self.page_label = page_label
        self.reference = reference
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(auto=True, margin=22)

    def header(self) -> None:
        self.set_font(FONT_FAMILY, "B", 9)
        self.cell(0, 5, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        self.cell(0, 4, self.reference, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT_FAMILY, "B", 9)
        self.cell(0, 5, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        label = self.page_label.format(n=self.page_no(), nb=self.str_alias_nb_pages)
        self.cell(0, 4, label, align="C")


class _Layout:
    """Draws blocks left-aligned (never justified: stretched word gaps read as gaps in the text)."""

    def __init__(self, pdf: _LetterPdf) -> None:
        self.pdf = pdf

    def text(self, value: str, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        self.pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.pdf.multi_cell(
            0, size * 0.5, value, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.pdf.ln(gap)

    def field(self, label: str, value: str) -> None:
        """``label: value``; a label too long for the label column gets a line of its own."""
        self.pdf.set_font(FONT_FAMILY, "B", 10)
        if self.pdf.get_string_width(f"{label}:") > 46:
            self.pdf.multi_cell(
                0, 5, f"{label}:", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        else:
            self.pdf.cell(48, 5, f"{label}:")
        self.pdf.set_font(FONT_FAMILY, "", 10)
        self.pdf.multi_cell(0, 5, value, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(0.5)

    def block(self, block: Block) -> None:
        if block.kind == "title":
            self.pdf.ln(2)
            self.text(block.text, size=14, bold=True, gap=2)
        elif block.kind == "heading":
            if self.pdf.will_page_break(24):  # a heading never ends a page on its own
                self.pdf.add_page()
            self.pdf.ln(2)
            self.text(block.text, size=11, bold=True, gap=1)
        elif block.kind == "field":
            self.field(block.label, block.text)
        elif block.kind == "small":
            self.text(block.text, size=8, gap=1.5)
        elif block.kind == "gap":
            self.pdf.ln(4)
        elif block.kind == "keep":
            # the closing paragraph and the signature block on one page, never split or orphaned
            # (drawn through the proxy fpdf2 yields, which replays it after a page break)
            page = self.pdf
            with page.unbreakable() as proxy:
                self.pdf = cast(_LetterPdf, proxy)  # records, then replays on one page
                try:
                    proxy.ln(4)
                    self.text(block.text)
                    proxy.ln(6)
                    for line in block.lines:
                        if line.startswith("**"):
                            self.text(line[2:], bold=True, gap=0.5)
                        elif line.startswith("~"):
                            self.text(line[1:], size=8, gap=0.5)
                        else:
                            self.text(line, gap=0.5)
                finally:
                    self.pdf = page
        else:
            self.text(block.text, bold=block.bold)


def render_letter(
    doc: Mapping[str, Any], language: str, *, signer_fingerprint: str | None = None
) -> bytes:
    """The request document as PDF bytes, in ``language`` (one of :data:`SUPPORTED_LANGUAGES`).

    ``doc`` is the request.json document (version 1 or 2). Pass it as
    :data:`~casecoord.bundle.writer.Letter` through ``functools.partial`` so the document lists
    the attachments with their digests.
    """
    words = vocabulary(language)
    try:
        return _render(doc, language, words, signer_fingerprint)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise LetterError(f"the request letter could not be produced: {exc}") from None


def _render(
    doc: Mapping[str, Any], language: str, words: Vocabulary, signer_fingerprint: str | None
) -> bytes:
    request = doc["request"]
    handling = doc["handling"]
    sender = doc["sender"]
    grading = f" · {handling['grading']}" if handling.get("grading") else ""
    marking = words.phrase(
        "marking", tlp=handling["tlp"], code=handling["handling_code"], grading=grading
    )
    pdf = _LetterPdf(marking, words.phrase("page"), str(request["reference"]))
    created = dt.datetime.fromisoformat(str(doc["created_at"]))
    pdf.set_creation_date(created)
    pdf.set_lang(language)
    title = words.term("titles", str(request["kind"]))
    pdf.set_title(f"{title} {request['reference']}")
    pdf.set_author(str(sender["name"]))
    pdf.set_subject(str(doc["case"]["title"]))
    pdf.add_page()
    layout = _Layout(pdf)
    for block in build_blocks(doc, words, _country, signer_fingerprint):
        layout.block(block)
    return bytes(pdf.output())
