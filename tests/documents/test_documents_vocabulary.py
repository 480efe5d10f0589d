"""The translated vocabularies are complete and every official title carries its source."""

from __future__ import annotations

from typing import Any

import pytest

from casecoord.bundle.forms import EAW_SECTIONS, EIO_SECTIONS
from casecoord.bundle.vocabulary import LANGUAGES, sources, vocabulary
from casecoord.domain.enums import EuListOffence, RequestKind
from casecoord.treaties.catalogue import default_catalogue


def _keys(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        out: set[str] = set()
        for key, value in data.items():
            out |= {f"{prefix}{key}"} | _keys(value, f"{prefix}{key}.")
        return out
    return set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_translates_every_english_key(language: str) -> None:
    english = _keys(vocabulary("en").data)
    other = _keys(vocabulary(language).data)
    assert english - other == set(), f"{language} lacks keys"
    assert other - english == set(), f"{language} has keys English lacks"
    words = vocabulary(language)
    assert len(words.data["months"]) == 12
    for key in ("offences", "measures", "document_types", "titles"):
        assert all(str(v).strip() for v in words.group(key).values())


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_are_not_english_copies(language: str) -> None:
    english, other = vocabulary("en"), vocabulary(language)
    same = [k for k, v in other.group("sections").items() if v == english.group("sections")[k]]
    assert set(same) <= {"contact"}  # "Contact" is Dutch and French too
    assert other.phrase("closing") != english.phrase("closing")


def test_vocabularies_cover_every_list_offence_and_kind() -> None:
    words = vocabulary("en")
    assert set(words.group("offences")) == {o.value for o in EuListOffence}
    assert set(words.group("titles")) == {k.value for k in RequestKind}


def test_form_sections_match_the_annexes_and_carry_sources() -> None:
    forms = sources()["forms"]
    assert tuple(forms["eaw"]["sections"]) == EAW_SECTIONS
    assert tuple(forms["eio"]["sections"]) == EIO_SECTIONS
    assert "CELEX:32002F0584" in forms["eaw"]["source"]
    assert "CELEX:32014L0041" in forms["eio"]["source"]
    for language in LANGUAGES:
        words = vocabulary(language)
        assert tuple(words.group("eaw")["sections"]) == EAW_SECTIONS
        assert tuple(words.group("eio")["sections"]) == EIO_SECTIONS


def test_every_official_title_names_its_source_and_a_catalogue_instrument() -> None:
    catalogue = default_catalogue()
    instruments = sources()["instruments"]
    for instrument_id, entry in instruments.items():
        catalogue.instrument(instrument_id)  # raises for an id the catalogue does not know
        assert entry["source"].strip()
        assert entry["status"] in {"confirmed", "uncertain"}
        assert set(entry["titles"]) <= set(LANGUAGES)
    for instrument_id in ("un-vienna-1988", "untoc", "uncac", "eaw-fd", "eio-directive"):
        assert set(instruments[instrument_id]["titles"]) == set(LANGUAGES)


def test_instrument_title_falls_back_to_english_only_without_an_official_one() -> None:
    title = vocabulary("es").instrument_title("untoc", "ignored")
    assert title.official and "Delincuencia Organizada Transnacional" in title.text
    missing = vocabulary("pt").instrument_title("benelux-1962", "")
    assert not missing.official and missing.text.startswith("Treaty on Extradition")
