"""The request editor's receipt moment, provisional measures, document fields, basis flags and
unknown checklist items: typed on the real screen, read back from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Checkbox, Select, Static, TextArea

from casecoord.services.audit_log import list_entries
from casecoord.services.cases import CaseInput, PersonInput, add_case, add_person
from casecoord.services.deadlines import officer_zone
from casecoord.services.requests import (
    RequestInput,
    RequestQuery,
    add_request,
    get_request,
    list_requests,
)
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.widgets.checklist import CompletenessChecklist
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle

CASE = "NL-2026-0077"
SIZE = (150, 60)


def _case(vault: UnlockedVault, *countries: str) -> UnlockedVault:
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Delta: laundering through car dealers",
            countries=list(countries),
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )
    add_person(
        vault, CASE, PersonInput(family_name="Restrepo", given_names="Iván", nationality="CO")
    )
    return vault


def _editor(vault: UnlockedVault, request_ref: str | None = None) -> HostApp:
    return HostApp(vault, lambda: RequestEditorScreen(CASE, request_ref))


def _screen(app: HostApp) -> RequestEditorScreen:
    screen = app.screen
    assert isinstance(screen, RequestEditorScreen)
    return screen


def _typed(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def test_a_new_incoming_request_takes_its_receipt_moment_and_refuses_a_bad_one(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "CO")
    zone = officer_zone(vault)
    arrived = (datetime.now(zone) - timedelta(days=3)).replace(second=0, microsecond=0)
    app = _editor(vault)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        received = screen.query_one("#f-received", ValidatedField)
        assert not received.display  # an outgoing request has no receipt date
        # the default is now, in the officer's zone
        assert received.value[:10] == datetime.now(zone).strftime("%Y-%m-%d")
        screen.query_one("#f-direction", Select).value = "incoming"
        await settle(pilot)
        assert received.display
        screen.query_one("#f-requesting", ValidatedField).value = "CO"
        screen.query_one("#f-requested", ValidatedField).value = "NL"
        received.value = "28/11/2026 9.30"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a date/time" in received.message
        assert list_requests(vault, RequestQuery(case_ref=CASE)) == []

        received.value = _typed(arrived)
        screen.query_one("#f-provisional", Checkbox).value = True
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        # saved and reloaded: the stored request shows the moment as typed
        assert screen.query_one("#f-received", ValidatedField).value == _typed(arrived)

    (row,) = list_requests(vault, RequestQuery(case_ref=CASE))
    stored = get_request(vault, row.reference).request
    assert stored.direction == "incoming"
    assert _utc(stored.received_at) == arrived.astimezone(UTC)
    assert stored.provisional_measures is True


async def test_correcting_the_receipt_moment_of_a_stored_request_saves_it_with_an_audit_entry(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "CO")
    zone = officer_zone(vault)
    first = (datetime.now(zone) - timedelta(days=2)).replace(second=0, microsecond=0)
    earlier = first - timedelta(days=5, hours=3)
    ref = add_request(
        vault,
        RequestInput(
            reference="CO-IN-1",
            case_ref=CASE,
            kind="mla",
            direction="incoming",
            requesting_state="CO",
            requested_state="NL",
            received_at=_typed(first),
        ),
    ).reference
    app = _editor(vault, ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        received = screen.query_one("#f-received", ValidatedField)
        assert received.display and received.value == _typed(first)
        assert not screen.has_unsaved_changes()  # shown as stored, nothing to save
        received.value = "2099-01-01 10:00"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "in the future" in received.message
        assert _utc(get_request(vault, ref).request.received_at) == first.astimezone(UTC)

        received.value = _typed(earlier)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#f-received", ValidatedField).value == _typed(earlier)

    assert _utc(get_request(vault, ref).request.received_at) == earlier.astimezone(UTC)
    updates = [
        e
        for e in list_entries(vault, CASE)
        if e.action == "request.update"
        and e.entity_ref == ref
        and "received_at" in (e.payload or {})
    ]
    assert len(updates) == 1


async def test_provisional_measures_are_set_and_cleared_on_a_stored_request(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "CO")
    ref = add_request(
        vault,
        RequestInput(
            reference="NL-OUT-1",
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    ).reference
    app = _editor(vault, ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert not screen.query_one("#f-received", ValidatedField).display
        box = screen.query_one("#f-provisional", Checkbox)
        assert box.value is False
        box.value = True
        await settle(pilot)
        assert screen.has_unsaved_changes()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get_request(vault, ref).request.provisional_measures is True
        box = screen.query_one("#f-provisional", Checkbox)  # the panels are rebuilt on reload
        assert box.value is True
        box.value = False
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert get_request(vault, ref).request.provisional_measures is False


async def test_the_document_section_shows_the_fields_of_the_kind_and_saves_them(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "CO")
    app = _editor(vault)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        # an MLA document: proceedings and purpose, no warrant
        assert screen.query_one("#row-doc-purpose").display
        assert not screen.query_one("#row-doc-decision-kind").display
        screen.query_one("#f-kind", Select).value = "eio"
        await settle(pilot)
        assert screen.query_one("#f-doc-validating-authority", ValidatedField).display
        screen.query_one("#f-doc-validating-authority", ValidatedField).value = "OM Rotterdam"
        screen.query_one("#f-kind", Select).value = "extradition"
        await settle(pilot)
        assert not screen.query_one("#f-doc-validating-authority", ValidatedField).display
        assert not screen.query_one("#row-doc-purpose").display
        assert screen.query_one("#row-doc-decision-kind").display
        assert screen.query_one("#row-doc-assurances").display

        screen.query_one("#f-doc-decision-kind", Select).value = "arrest-warrant"
        screen.query_one("#f-doc-decision-authority", ValidatedField).value = "Rechtbank Rotterdam"
        screen.query_one("#f-doc-decision-reference", ValidatedField).value = "RB-2026-118"
        screen.query_one("#f-doc-offence-place", ValidatedField).value = "Port of Rotterdam"
        screen.query_one("#f-doc-max-penalty", ValidatedField).value = "12 years"
        screen.query_one("#f-doc-assurances", TextArea).text = "Speciality will be respected."
        date_field = screen.query_one("#f-doc-decision-date", ValidatedField)
        date_field.value = "31-12-2025"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a date; write it as YYYY-MM-DD" in date_field.message
        assert list_requests(vault, RequestQuery(case_ref=CASE)) == []

        date_field.value = "2025-12-31"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    (row,) = list_requests(vault, RequestQuery(case_ref=CASE))
    stored = get_request(vault, row.reference).request
    assert stored.kind == "extradition"
    assert stored.decision_kind == "arrest-warrant"
    assert stored.decision_authority == "Rechtbank Rotterdam"
    assert stored.decision_reference == "RB-2026-118"
    assert stored.decision_date is not None and stored.decision_date.isoformat() == "2025-12-31"
    assert stored.offence_place == "Port of Rotterdam"
    assert stored.max_penalty == "12 years"
    assert stored.assurances == "Speciality will be respected."
    # typed under another kind and hidden since: kept, not lost
    assert stored.validating_authority == "OM Rotterdam"


async def test_stored_document_text_is_shown_literally_and_edited(vault: UnlockedVault) -> None:
    _case(vault, "NL", "CO")
    ref = add_request(
        vault,
        RequestInput(
            reference="NL-EXT-1",
            case_ref=CASE,
            kind="extradition",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            document={"decision_authority": "[@click=app.quit]Court[/]", "limitation": "none"},
        ),
    ).reference
    app = _editor(vault, ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        authority = screen.query_one("#f-doc-decision-authority", ValidatedField)
        assert authority.value == "[@click=app.quit]Court[/]"
        assert not screen.has_unsaved_changes()
        screen.query_one("#f-doc-limitation", TextArea).text = "20 years from 2024-03-01 (Art. 70)"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    stored = get_request(vault, ref).request
    assert stored.limitation == "20 years from 2024-03-01 (Art. 70)"
    assert stored.decision_authority == "[@click=app.quit]Court[/]"


async def test_an_mla_between_eio_states_is_flagged_by_the_basis_panel(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "BE")
    ref = add_request(
        vault,
        RequestInput(
            reference="NL-BE-1",
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="BE",
            basis_instrument_id="eu-mla-2000",
            basis_override_reason="drafted before the EIO",
        ),
    ).reference
    flags = get_request(vault, ref).basis_flags
    assert flags and flags[0].suggested_kind == "eio"
    app = _editor(vault, ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = _screen(app).query_one("#basis-flags", Static)
        assert box.display
        shown = str(box.render())
        assert "should be an EIO" in shown
        assert "Art. 34" in shown
        assert "make it eio" in shown


async def test_a_basis_without_flags_shows_no_warning(vault: UnlockedVault) -> None:
    _case(vault, "NL", "CO")
    app = _editor(vault)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not _screen(app).query_one("#basis-flags", Static).display


async def test_an_item_the_catalogue_cannot_check_is_unknown_never_ticked(
    vault: UnlockedVault,
) -> None:
    _case(vault, "NL", "BR")
    ref = add_request(
        vault,
        RequestInput(
            reference="NL-BR-1",
            case_ref=CASE,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="BR",
            basis_instrument_id="untoc",
            basis_title="UNTOC",
            basis_articles="Art. 18",
            basis_override_reason="the prosecutor relies on UNTOC",
            measures=["bank records"],
            language="pt",
        ),
    ).reference
    app = _editor(vault, ref)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        checklist = _screen(app).query_one("#checklist", CompletenessChecklist)
        assert checklist.report is not None and checklist.report.unknown
        item = checklist.report.unknown[0]
        lines = checklist.plain.splitlines()
        unknown = [line for line in lines if item.label in line and "unknown — check:" in line]
        assert len(unknown) == 1 and unknown[0].lstrip().startswith("?")
        assert "EJN" in unknown[0]
        assert not any(line.lstrip().startswith("✓") and item.label in line for line in lines)
        assert "cannot check" in checklist.plain


async def test_the_eaw_document_asks_for_the_appearance_at_trial(vault: UnlockedVault) -> None:
    _case(vault, "NL", "DE")
    app = _editor(vault)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert not screen.query_one("#f-doc-in-absentia", ValidatedField).display
        screen.query_one("#f-kind", Select).value = "eaw"
        await settle(pilot)
        assert screen.query_one("#f-doc-in-absentia", ValidatedField).display
        assert screen.query_one("#row-doc-decision-kind").display


# -- the mapping, without a terminal ----------------------------------------------------------


def test_the_mapping_sends_a_receipt_moment_only_for_incoming_and_only_when_corrected(
    vault: UnlockedVault,
) -> None:
    from casecoord.tui.screens.request_editor.form import (
        FormContext,
        RequestForm,
        to_changes,
        to_input,
        to_request,
    )

    case = add_case(vault, CaseInput(reference=CASE, title="Op. Delta", countries=["NL", "CO"]))
    zone = officer_zone(vault)
    outgoing = RequestForm.for_new("X-R01", "NL", ["NL", "CO"], zone).with_values(
        {"provisional_measures": True, "document": {"purpose": "trace the proceeds"}}
    )
    context = FormContext(CASE, case.id or 0, zone=zone)
    made = to_input(outgoing, context)
    assert made.received_at is None  # an outgoing request has no receipt date
    assert made.provisional_measures is True
    assert made.document == {"purpose": "trace the proceeds"}
    checked = to_request(outgoing, context)
    assert checked is not None and checked.purpose == "trace the proceeds"
    assert checked.provisional_measures is True

    arrived = (datetime.now(zone) - timedelta(days=1)).replace(second=0, microsecond=0)
    ref = add_request(
        vault,
        RequestInput(
            reference="CO-IN-2",
            case_ref=CASE,
            kind="mla",
            direction="incoming",
            requesting_state="CO",
            requested_state="NL",
            received_at=_typed(arrived),
        ),
    ).reference
    stored = get_request(vault, ref)
    edit = FormContext(CASE, case.id or 0, stored=stored, zone=zone)
    form = RequestForm.for_request(stored, zone)
    assert form.received_at == _typed(arrived)
    assert "received_at" not in to_changes(form, edit)
    corrected = form.with_values({"received_at": _typed(arrived - timedelta(hours=6))})
    assert to_changes(corrected, edit)["received_at"] == _typed(arrived - timedelta(hours=6))
