"""The request editor: suggested basis with reasons, override with reason, statuses, events."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select, SelectionList, Static, Tree

from casecoord.services.cases import CaseInput, PersonInput, add_case, add_person
from casecoord.services.contacts import ContactInput, add_contact
from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.services.requests import (
    RequestInput,
    RequestQuery,
    add_request,
    get_request,
    list_requests,
)
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle

CASE = "NL-2026-0042"


@pytest.fixture
def case_vault(vault: UnlockedVault) -> UnlockedVault:
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Harbour: cocaine in banana containers",
            countries=["NL", "CO"],
            offences=[
                "illicit-trafficking-narcotic-drugs",
                "participation-in-criminal-organisation",
            ],
        ),
    )
    add_person(
        vault, CASE, PersonInput(family_name="Restrepo", given_names="Iván", nationality="CO")
    )
    add_contact(
        vault,
        ContactInput(
            name="Ana Pérez",
            handle="ana-perez",
            country="CO",
            organisation="Fiscalía",
            languages=["es"],
        ),
    )
    return vault


def _editor(vault: UnlockedVault, request_ref: str | None = None) -> HostApp:
    return HostApp(vault, lambda: RequestEditorScreen(CASE, request_ref))


def _move_buttons(screen: RequestEditorScreen) -> set[str]:
    return {str(b.name) for b in screen.query("#moves Button").results(Button)}


async def test_new_extradition_nl_to_co_suggests_a_un_convention_and_saves_it(
    case_vault: UnlockedVault,
) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#f-kind", Select).value = "extradition"
        await settle(pilot)
        assert screen.query_one("#f-requesting", ValidatedField).value == "NL"
        assert screen.query_one("#f-requested", ValidatedField).value == "CO"
        shown = screen.query_one("#basis-view", BasisView).plain
        bases, _, rejected = shown.partition("Not applicable")
        assert "Vienna Convention 1988" in bases and "UNTOC" in bases
        assert "why: UN convention to which NL and CO are parties" in bases
        # the case is about drug trafficking: UNCAC is out of its scope, as the convention says
        assert "uncac" in rejected and "outside its scope" in rejected
        assert "nl-co-extradition" in rejected and "not in force" in rejected
        assert screen.query_one("#f-basis", Select).value == "un-vienna-1988"

        screen.query_one("#f-persons", SelectionList).select_all()
        screen.query_one("#f-counterpart", Select).value = "ana-perez"
        await pilot.press("ctrl+s")
        await settle(pilot)

    (row,) = list_requests(case_vault, RequestQuery(case_ref=CASE))
    stored = get_request(case_vault, row.reference)
    assert stored.request.kind == "extradition"
    assert stored.request.basis_instrument_id == "un-vienna-1988"
    assert stored.request.basis_override_reason is None
    assert [p.family_name for p in stored.persons] == ["Restrepo"]
    assert stored.counterpart is not None and stored.counterpart.handle == "ana-perez"


async def test_overriding_the_basis_without_a_reason_is_refused_next_to_the_field(
    case_vault: UnlockedVault,
) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#f-kind", Select).value = "extradition"
        await settle(pilot)
        screen.query_one("#f-basis", Select).value = "untoc"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        override = screen.query_one("#f-override", ValidatedField)
        assert "give a reason for the override" in override.message
        assert list_requests(case_vault, RequestQuery(case_ref=CASE)) == []

        override.value = "prosecutor prefers UNTOC: organised-crime charges lead"
        await pilot.press("ctrl+s")
        await settle(pilot)
    (row,) = list_requests(case_vault, RequestQuery(case_ref=CASE))
    stored = get_request(case_vault, row.reference).request
    assert stored.basis_instrument_id == "untoc"
    assert stored.basis_override_reason == "prosecutor prefers UNTOC: organised-crime charges lead"


async def test_status_buttons_are_only_the_allowed_moves(case_vault: UnlockedVault) -> None:
    add_request(
        case_vault,
        RequestInput(
            reference="CO-FGN-2026-77",
            case_ref=CASE,
            kind="mla",
            direction="incoming",
            requesting_state="CO",
            requested_state="NL",
            facts="Bank records of the front company in Rotterdam.",
        ),
    )
    app = _editor(case_vault, "CO-FGN-2026-77")
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        assert _move_buttons(screen) == {"registered", "refused"}
        assert screen.query_one("#save", Button).display

        await pilot.click("#move-registered")
        await settle(pilot)
        assert get_request(case_vault, "CO-FGN-2026-77").request.status == "registered"
        assert _move_buttons(screen) == {"in-execution", "refused"}

        screen.query_one("#move-reason", Input).value = "prosecutor assigned"
        screen.query_one("#move-in-execution", Button).press()
        await settle(pilot)
        assert get_request(case_vault, "CO-FGN-2026-77").request.status == "in-execution"
        assert _move_buttons(screen) == {"completed", "refused"}
        assert not screen.query_one("#save", Button).display  # in execution: no more editing
        assert "in-execution" in str(screen.query_one("#status-line", Static).render())


async def test_an_incomplete_draft_cannot_become_ready_and_says_why(
    case_vault: UnlockedVault,
) -> None:
    add_request(
        case_vault,
        RequestInput(
            reference="NL-2026-0042-R01",
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    app = _editor(case_vault, "NL-2026-0042-R01")
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        assert _move_buttons(screen) == {"ready", "withdrawn"}
        await pilot.click("#move-ready")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "is not complete" in app.screen.message
        assert get_request(case_vault, "NL-2026-0042-R01").request.status == "draft"


async def test_recording_a_provisional_arrest_shows_the_deadline_with_rule_and_article(
    case_vault: UnlockedVault,
) -> None:
    add_request(
        case_vault,
        RequestInput(
            reference="NL-2026-0042-X1",
            case_ref=CASE,
            kind="extradition",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    app = _editor(case_vault, "NL-2026-0042-X1")
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        screen.query_one("#event-kind", Select).value = "provisional-arrest"
        screen.query_one("#event-record", Button).press()
        await settle(pilot)
        result = str(screen.query_one("#event-result", Static).render())
        assert "co-domestic-formalise" in result
        assert "Colombian domestic law" in result
    stored = [
        d
        for d in list_deadlines(case_vault, DeadlineQuery(case_ref=CASE))
        if d.request_ref == "NL-2026-0042-X1"
    ]
    assert [d.rule_id for d in stored] == ["co-domestic-formalise"]


async def test_the_family_is_shown_as_a_thread(case_vault: UnlockedVault) -> None:
    for ref, parent in (("NL-2026-0042-R01", None), ("NL-2026-0042-R02", "NL-2026-0042-R01")):
        add_request(
            case_vault,
            RequestInput(
                reference=ref,
                case_ref=CASE,
                kind="mla",
                direction="outgoing",
                requesting_state="NL",
                requested_state="CO",
                parent_ref=parent,
            ),
        )
    app = _editor(case_vault, "NL-2026-0042-R02")
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        await settle(pilot)
        tree = screen.query_one("#family", Tree)
        assert tree.root.data == "NL-2026-0042-R01"
        (child,) = tree.root.children
        assert child.data == "NL-2026-0042-R02"
        assert "this request" in str(child.label)
        assert "supplementary" in str(child.label)


async def test_the_editor_shows_the_effective_marking_the_stricter_of_case_and_request(
    vault: UnlockedVault,
) -> None:
    """Before: the editor showed the request's own AMBER/H1 in a TLP:RED, H3 case, so the
    officer saw a marking that export (and the bundle) do not use."""
    add_case(
        vault,
        CaseInput(
            reference=CASE, title="Red case", countries=["NL", "CO"], tlp="RED", handling_code="H3"
        ),
    )
    add_request(
        vault,
        RequestInput(
            reference="NL-MLA-2026-0042",
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    app = _editor(vault, "NL-MLA-2026-0042")
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestEditorScreen)
        effective = screen.query_one("#effective-marking", Static)
        drawn = str(effective.render())
        assert "Effective marking: TLP:RED H3 (from its case, TLP:RED H3" in drawn
        assert screen.query_one("#f-tlp", Select).value == "AMBER"  # its own, still editable
        note = str(screen.query_one("#handling-note", Static).render())
        assert "TLP:RED" in note and "confirm the release" in note
        # the request marked as strictly as its case: its own marking, the case adds nothing
        screen.query_one("#f-tlp", Select).value = "RED"
        screen.query_one("#f-handling", Select).value = "H3"
        await settle(pilot)
        assert "Effective marking: TLP:RED H3" in str(effective.render())
        assert "from its case" not in str(effective.render())
        # lowering the request's own marking cannot lower the effective one
        screen.query_one("#f-tlp", Select).value = "CLEAR"
        await settle(pilot)
        assert "Effective marking: TLP:RED H3" in str(effective.render())
