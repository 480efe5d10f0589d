"""Translated vocabularies for request documents: fixed text, kinds, offences, measures, titles.

The words a letter prints are data (``casecoord/bundle/vocabularies/<language>.json``), one file per
language with the same keys, so a language is added by translating a file rather than by editing
code; a test checks every file has every key of the English one. ``sources.json`` holds the
official titles of the instruments in each language and the annex forms the letters lay out, each
with the publication it comes from (EUR-Lex CELEX numbers, the UN and Council of Europe treaty
offices, national treaty series).

Values a request stores as keys (EU list-offence keys, measure keys such as ``hear-witness``,
document types such as ``passport``) are printed in the letter's language; anything else is the
officer's own free text and is printed as written (the completeness check says when that text is
not in the letter's language).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from casecoord.bundle.errors import LetterError

LANGUAGES = ("en", "es", "nl", "pt", "fr")
"""Languages with a complete vocabulary file, hence letters and forms."""


def _load(name: str) -> dict[str, Any]:
    text = resources.files("casecoord.bundle").joinpath("vocabularies", name).read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise LetterError(f"vocabulary file {name} does not hold an object")
    return data


@cache
def sources() -> Mapping[str, Any]:
    """The official titles and annex forms with their sources (``sources.json``)."""
    return _load("sources.json")


@dataclass(frozen=True)
class InstrumentTitle:
    """An instrument's title as printed: ``official`` is False when it fell back to English."""

    text: str
    official: bool
    source: str | None


@dataclass(frozen=True)
class Vocabulary:
    """Every word of request documents in one language."""

    language: str
    data: Mapping[str, Any]

    def phrase(self, key: str, **values: object) -> str:
        text = str(self.data["phrases"][key])
        return text.format(**values) if values else text

    def group(self, name: str) -> Mapping[str, str]:
        return self.data[name]  # type: ignore[no-any-return]

    def term(self, group: str, key: str) -> str:
        """``key`` of ``group`` in this language, or ``key`` itself when it is free text."""
        return str(self.data[group].get(key, key))

    def is_term(self, group: str, key: str) -> bool:
        return key in self.data[group]

    def date(self, value: str | None) -> str:
        """An ISO date (or date-time) written out, e.g. "3 de marzo de 2026"."""
        import datetime as dt

        if not value:
            return self.phrase("not_stated")
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
        month = self.data["months"][day.month - 1]
        return str(self.data["date_format"]).format(d=day.day, m=month, y=day.year)

    def instrument_title(self, instrument_id: str, fallback: str) -> InstrumentTitle:
        """The official title of ``instrument_id`` in this language, or ``fallback`` (English)."""
        entry = sources()["instruments"].get(instrument_id)
        if entry is not None:
            titles = entry["titles"]
            if self.language in titles:
                return InstrumentTitle(str(titles[self.language]), True, str(entry["source"]))
            if "en" in titles and not fallback:
                fallback = str(titles["en"])
        return InstrumentTitle(fallback, self.language == "en", None)


@cache
def vocabulary(language: str) -> Vocabulary:
    """The vocabulary of ``language`` (ISO 639-1); a clear :class:`LetterError` for others."""
    if language not in LANGUAGES:
        raise LetterError(
            f"no letter template in language {language!r}; available: {', '.join(LANGUAGES)}"
        )
    data = _load(f"{language}.json")
    return Vocabulary(language, data)


def measure_keys() -> tuple[str, ...]:
    """The measure keys every vocabulary translates (what ``--measure`` may name)."""
    return tuple(vocabulary("en").group("measures"))


def document_type_keys() -> tuple[str, ...]:
    return tuple(vocabulary("en").group("document_types"))
