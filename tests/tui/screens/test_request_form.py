"""The request form's one mapping: the checklist and the save read the same defaults."""

from __future__ import annotations

from datetime import date

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.requests import get_request
from casecoord.treaties.resolver import resolve_basis
from casecoord.tui.screens.request_editor.form import (
    FormContext,
    RequestForm,
    save_form,
    to_input,
    to_request,
)
from casecoord.vault.vault import UnlockedVault

CASE = "NL-2026-0042"


def _context(vault: UnlockedVault) -> tuple[RequestForm, FormContext]:
    case = add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL", "CO"]))
    form = RequestForm.for_new(f"{CASE}-R01", "NL", ["NL", "CO"])
    resolution = resolve_basis("NL", "CO", form.kind, date.today(), None)
    form = form.with_values({"basis_instrument_id": resolution.bases[0].instrument_id})
    return form, FormContext(CASE, case.id or 0, resolution=resolution)


def test_a_new_form_goes_from_the_officers_state_to_the_cases_other_state() -> None:
    form = RequestForm.for_new("X-R01", "NL", ["NL", "CO"])
    assert (form.requesting_state, form.requested_state) == ("NL", "CO")
    assert form.states() == ("NL", "CO")
    assert RequestForm.for_new("X-R01", "NL", ["NL"]).states() is None


def test_blank_language_is_the_same_for_the_checklist_and_the_saved_request(
    vault: UnlockedVault,
) -> None:
    form, context = _context(vault)
    checked = to_request(form, context)
    assert checked is not None
    expected = context.resolution.bases[0].languages[0]  # type: ignore[union-attr]
    assert checked.language == expected
    assert to_input(form, context).language == expected
    ref = save_form(vault, form, context)
    assert get_request(vault, ref).request.language == expected


def test_the_suggested_basis_needs_no_override_reason(vault: UnlockedVault) -> None:
    form, context = _context(vault)
    form = form.with_values({"override_reason": "left over from an earlier choice"})
    assert to_input(form, context).basis_override_reason is None
    ref = save_form(vault, form, context)
    stored = get_request(vault, ref)
    assert RequestForm.for_request(stored).basis_instrument_id == form.basis_instrument_id
    assert stored.request.basis_override_reason is None


def test_an_unchanged_stored_request_compares_equal_to_its_form(vault: UnlockedVault) -> None:
    form, context = _context(vault)
    ref = save_form(vault, form.with_values({"facts": "Containers in Rotterdam."}), context)
    stored = RequestForm.for_request(get_request(vault, ref))
    assert stored == RequestForm.for_request(get_request(vault, ref))
    assert stored.with_values({"facts": "changed"}) != stored
