"""The request editor's completeness parts: live checklist, ready gate, addressee, handling, follow-up."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select, Static, TextArea

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.services.families import FOLLOW_UP_NOTE, follow_ups
from casecoord.services.requests import RequestInput, add_request, get_request
from casecoord.services.settings import set_setting
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.widgets.checklist import CompletenessChecklist
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until

CASE = "NL-2026-0042"
REF = "NL-2026-0042-R01"


@pytest.fixture
def draft_vault(vault: UnlockedVault) -> UnlockedVault:
    """An outgoing MLA draft NL → CO with nothing filled in but its basis (Vienna 1988)."""
    set_setting(vault, "officer.name", "Insp. M. de Vries, KLPD liaison Bogotá")
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Harbour",
            countries=["NL", "CO"],
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )
    add_request(
        vault,
        RequestInput(
            reference=REF,
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    return vault


def _editor(vault: UnlockedVault, ref: str | None = REF) -> HostApp:
    return HostApp(vault, lambda: RequestEditorScreen(CASE, ref))


async def test_incomplete_draft_lists_its_gaps_and_ready_refuses(
    draft_vault: UnlockedVault,
) -> None:
    app = _editor(draft_vault)
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        checklist = screen.query_one("#checklist", CompletenessChecklist)
        shown = checklist.plain
        assert "missing for Vienna Convention 1988" in shown
        assert "✗ Summary of the relevant facts (Art. 7(10)(c)" in shown
        assert "the facts are empty" in shown
        assert "✗ Description of the assistance sought" in shown
        assert "✓ In Spanish" in shown  # satisfied items are ticked
        assert "advice, does not block" in shown  # persons: "where possible"
        ready = screen.query_one("#move-ready", Button)
        assert "missing" in str(ready.label)

        ready.press()
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "is not complete" in app.screen.message
        await pilot.press("escape")
        await settle(pilot)
        assert screen.focused is checklist  # the refusal points at the gaps
    assert get_request(draft_vault, REF).request.status == "draft"


async def test_filling_the_form_completes_the_checklist_and_ready_succeeds(
    draft_vault: UnlockedVault,
) -> None:
    app = _editor(draft_vault)
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        checklist = screen.query_one("#checklist", CompletenessChecklist)
        screen.query_one(
            "#f-facts", TextArea
        ).text = "Cocaine in banana containers Guayaquil → Rotterdam; purpose: trace the proceeds."
        await settle(pilot)
        assert "the facts are empty" not in checklist.plain  # live, before any save
        assert "✓ Summary of the relevant facts" in checklist.plain
        assert not checklist.complete

        screen.query_one("#f-measures", TextArea).text = "Bank records of account 123"
        screen.query_one("#f-qualification", TextArea).text = "Art. 10 Opiumwet (drug trafficking)"
        await settle(pilot)
        assert checklist.complete, checklist.plain
        assert "Complete for Vienna Convention 1988" in checklist.plain
        assert str(screen.query_one("#move-ready", Button).label) == "→ ready"

        screen.query_one("#move-ready", Button).press()  # saves the form, then moves
        await wait_until(pilot, lambda: get_request(draft_vault, REF).request.status == "ready")
    stored = get_request(draft_vault, REF).request
    assert stored.facts.startswith("Cocaine in banana containers")
    assert stored.measures == ["Bank records of account 123"]


async def test_suggested_addressee_shows_its_last_verified_day(draft_vault: UnlockedVault) -> None:
    app = _editor(draft_vault, None)  # a new request: the form suggests as the states change
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#f-requested Input", Input).value = "EC"
        await wait_until(
            pilot, lambda: "Fiscalía General del Estado" in _plain(screen, "#addressee")
        )
        assert "last verified 20" in _plain(screen, "#addressee")

        screen.query_one("#f-requested Input", Input).value = "DE"
        screen.query_one("#f-kind", Select).value = "eaw"
        await wait_until(pilot, lambda: "no entry for DE" in _plain(screen, "#addressee"))


async def test_handling_codes_explain_the_export_and_are_saved(
    draft_vault: UnlockedVault,
) -> None:
    app = _editor(draft_vault)
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        assert "no release confirmation" in _plain(screen, "#handling-note")
        screen.query_one("#f-handling", Select).value = "H2"
        screen.query_one("#f-tlp", Select).value = "RED"
        await settle(pilot)
        note = _plain(screen, "#handling-note")
        assert "TLP:RED: the named recipients only" in note
        assert "H2: not to be disseminated without the provider's permission" in note
        assert "confirm the release with a reason" in note
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = get_request(draft_vault, REF).request
    assert (stored.tlp, stored.handling_code) == ("RED", "H2")


async def test_follow_up_in_n_days_creates_a_deadline_of_the_request(
    draft_vault: UnlockedVault,
) -> None:
    app = _editor(draft_vault)
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#followup-days", Input).value = "10"
        screen.query_one("#followup-title", Input).value = "Chase Fiscalía on bank records"
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: "due" in _plain(screen, "#followup-result"))
        assert "Chase Fiscalía on bank records" in _plain(screen, "#followup-result")
    (reminder,) = follow_ups(draft_vault, REF)
    assert reminder.title == "Chase Fiscalía on bank records"
    assert reminder.note == FOLLOW_UP_NOTE
    stored = [
        d for d in list_deadlines(draft_vault, DeadlineQuery(case_ref=CASE)) if d.request_ref == REF
    ]
    assert [d.title for d in stored] == ["Chase Fiscalía on bank records"]


async def test_a_bad_follow_up_period_is_explained_not_saved(draft_vault: UnlockedVault) -> None:
    app = _editor(draft_vault)
    async with app.run_test(size=(150, 80)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#followup-days", Input).value = "0"
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert "number of days" in _plain(screen, "#followup-result")
    assert follow_ups(draft_vault, REF) == []


def _plain(screen: RequestEditorScreen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))
