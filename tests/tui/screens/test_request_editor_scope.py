"""The request editor's offence-scope answers (organised group? maximum penalty?): typed on the
real screen, fed to the basis answer as typed, stored and shown again (UNTOC Arts. 2, 3)."""

from __future__ import annotations

from textual.widgets import Select

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.requests import RequestQuery, get_request, list_requests
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle

CASE = "NL-2026-0090"
SIZE = (150, 60)


def _screen(app: HostApp) -> RequestEditorScreen:
    screen = app.screen
    assert isinstance(screen, RequestEditorScreen)
    return screen


def _ids(screen: RequestEditorScreen) -> tuple[list[str], list[str]]:
    resolution = screen.resolution
    assert resolution is not None
    return (
        [b.instrument_id for b in resolution.bases],
        [r.instrument_id for r in resolution.rejected],
    )


async def test_scope_answers_drive_the_basis_answer_and_are_stored(vault: UnlockedVault) -> None:
    add_case(
        vault,
        CaseInput(reference=CASE, title="Op. Ring", countries=["NL", "BR"], offences=["fraud"]),
    )
    app = HostApp(vault, lambda: RequestEditorScreen(CASE, None))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        screen.query_one("#f-reference", ValidatedField).value = "NL-MLA-90"
        screen.query_one("#f-requesting", ValidatedField).value = "NL"
        screen.query_one("#f-requested", ValidatedField).value = "BR"
        await settle(pilot)
        resolution = screen.resolution
        assert resolution is not None
        assert any(q.topic == "organised-group" for q in resolution.questions)
        # the question says where in this editor to answer it, not a CLI flag
        shown = screen.query_one("#basis-view", BasisView).plain
        assert "answer 'Organised criminal group involved?' below" in shown
        assert "--organised-group" not in shown
        bases, _ = _ids(screen)
        assert "untoc" in bases  # listed, with the questions to settle its scope

        screen.query_one("#f-organised-group", Select).value = "no"
        screen.query_one("#f-max-penalty", ValidatedField).value = "8"
        await settle(pilot)
        bases, rejected = _ids(screen)
        assert "untoc" not in bases and "untoc" in rejected  # no organised group: Art. 3(1)

        screen.query_one("#f-max-penalty", ValidatedField).value = "lots"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not a number of years" in screen.query_one("#f-max-penalty", ValidatedField).message
        assert list_requests(vault, RequestQuery(case_ref=CASE)) == []

        screen.query_one("#f-organised-group", Select).value = "yes"
        screen.query_one("#f-max-penalty", ValidatedField).value = "8"
        await settle(pilot)
        bases, _ = _ids(screen)
        assert "untoc" in bases
        assert screen.resolution is not None and screen.resolution.questions == ()
        await pilot.press("ctrl+s")
        await settle(pilot)

    stored = get_request(vault, "NL-MLA-90").request
    assert stored.organised_group is True
    assert stored.max_penalty_years == 8

    # reopened: the answers are on screen, and the basis answer uses them
    app = HostApp(vault, lambda: RequestEditorScreen(CASE, "NL-MLA-90"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert screen.query_one("#f-organised-group", Select).value == "yes"
        assert screen.query_one("#f-max-penalty", ValidatedField).value == "8"
        assert screen.resolution is not None and screen.resolution.questions == ()
        screen.query_one("#f-organised-group", Select).value = Select.NULL
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert get_request(vault, "NL-MLA-90").request.organised_group is None
