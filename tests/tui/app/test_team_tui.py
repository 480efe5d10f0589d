"""The TUI on a team store (PostgreSQL, tests/pgcluster.py): the same screens through the same
services, as an officer under row-level security; two sessions saving the same record get the
conflict line next to the form and keep their text."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from casecoord.services.cases import CaseInput, add_case, get_case, update_case
from casecoord.services.requests import RequestInput, add_request, get_request
from casecoord.store.postgres import TeamStore
from casecoord.tui.app import CasecoordApp, make_app
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.screens.unlock import TeamUnlockScreen
from casecoord.tui.widgets.field import ValidatedField
from tests.conftest import OFFICER_PASSWORD
from tests.pgcluster import Cluster
from tests.tui.conftest import HostApp, settle, wait_until
from tests.tui.terminal import casecoord_in_tmux, tmux, wait_for

CASE, REQUEST = "NL-TEAM-1", "NL-TEAM-1-R1"
CONFLICT = "changed by another officer since you opened it: reload"

OfficerStore = Callable[[str], TeamStore]


@pytest.fixture
def team(officer_store: OfficerStore) -> OfficerStore:
    """ada's case with one draft request (team alpha: ada and cy see it, bo does not), and a
    case of bo's team."""
    ada = officer_store("ada")
    add_case(ada, CaseInput(reference=CASE, title="Harbour ledger", countries=["NL", "CO"]))
    add_request(
        ada,
        RequestInput(
            reference=REQUEST, case_ref=CASE, kind="mla", direction="outgoing",
            requesting_state="NL", requested_state="CO", facts="Ledger of the front company.",
        ),
    )  # fmt: skip
    add_case(officer_store("bo"), CaseInput(reference="NL-BRAVO-1", title="Not alpha's"))
    return officer_store


def _app(store: TeamStore, tmp_path: Path) -> CasecoordApp:
    return make_app(tmp_path / "no-vault", store, idle_minutes=60)


async def test_an_officer_lists_opens_edits_and_saves_on_the_team_store(
    team: OfficerStore, tmp_path: Path
) -> None:
    ada = team("ada")
    app = _app(ada, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_until(pilot, lambda: app.entered)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.table
        await wait_until(pilot, lambda: table.total == 1)
        assert screen.visible_references() == [CASE]  # bo's case is not hers to see

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        detail.query_one("#f-europol_ref", ValidatedField).value = "EP-TEAM-7"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: get_case(ada, CASE).case.europol_ref == "EP-TEAM-7")
        assert get_case(team("cy"), CASE).case.europol_ref == "EP-TEAM-7"  # her team sees it

        app.push_screen(RequestEditorScreen(CASE, REQUEST))
        await wait_until(pilot, lambda: isinstance(app.screen, RequestEditorScreen))
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        await wait_until(pilot, lambda: editor.loaded)
        editor.query_one("#f-facts", TextArea).text = "Ledger and the shipping manifests."
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: get_request(ada, REQUEST).request.facts == "Ledger and the shipping manifests.",
        )
        assert CONFLICT not in str(editor.query_one("#form-message", Static).render())


async def test_two_sessions_on_one_request_the_second_is_told_and_keeps_its_text(
    team: OfficerStore, tmp_path: Path
) -> None:
    ada, cy = team("ada"), team("cy")
    first = HostApp(ada, lambda: RequestEditorScreen(CASE, REQUEST))
    second = HostApp(cy, lambda: RequestEditorScreen(CASE, REQUEST))
    async with first.run_test(size=(150, 60)) as one, second.run_test(size=(150, 60)) as two:
        editors: list[RequestEditorScreen] = []
        for pilot in (one, two):
            await wait_until(pilot, lambda p=pilot: isinstance(p.app.screen, RequestEditorScreen))
            editor = pilot.app.screen
            assert isinstance(editor, RequestEditorScreen)
            await wait_until(pilot, lambda e=editor: e.loaded)
            editors.append(editor)
        mine, theirs = editors
        mine.query_one("#f-facts", TextArea).text = "ada: the ledger and two bank accounts."
        theirs.query_one("#f-facts", TextArea).text = "cy: the ledger only."

        loaded = get_request(ada, REQUEST).request.version
        assert mine.version == theirs.version == loaded
        mine.save()
        await wait_until(
            one, lambda: get_request(ada, REQUEST).request.facts.startswith("ada:"), attempts=50
        )
        saved = get_request(ada, REQUEST).request.version
        assert saved > loaded
        theirs.save()
        message = theirs.query_one("#form-message", Static)
        await wait_until(two, lambda: CONFLICT in str(message.render()))
        assert "\n" not in str(message.render())  # one line, no traceback, no dialog
        assert not isinstance(second.screen, ConfirmDialog)
        assert theirs.query_one("#f-facts", TextArea).text == "cy: the ledger only."
        assert theirs.has_unsaved_changes()
        stored = get_request(cy, REQUEST).request
        assert stored.facts == "ada: the ledger and two bank accounts." and stored.version == saved

        # F5 reads the stored version, after asking; "keep my text" keeps it
        await two.press("f5")
        await wait_until(two, lambda: isinstance(second.screen, ConfirmDialog))
        await two.press("n")
        await settle(two)
        assert theirs.query_one("#f-facts", TextArea).text == "cy: the ledger only."
        await two.press("f5")
        await wait_until(two, lambda: isinstance(second.screen, ConfirmDialog))
        await two.press("y")
        await wait_until(two, lambda: theirs.loaded and theirs.version == saved)
        reread = theirs.query_one("#f-facts", TextArea)
        assert reread.text == "ada: the ledger and two bank accounts."
        reread.text = "cy: the ledger and two bank accounts, and the manifests."
        await two.press("ctrl+s")
        await wait_until(two, lambda: get_request(cy, REQUEST).request.facts.endswith("manifests."))


async def test_the_case_overview_refuses_a_stale_save_and_keeps_the_text(
    team: OfficerStore,
) -> None:
    ada, cy = team("ada"), team("cy")
    app = HostApp(cy, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        title = detail.query_one("#f-title", ValidatedField)
        title.value = "Harbour ledger (cy)"
        update_case(ada, CASE, {"title": "Harbour ledger (ada)"})  # ada saves first
        await pilot.press("ctrl+s")
        hint = detail.query_one("#overview-hint", Static)
        await wait_until(pilot, lambda: CONFLICT in str(hint.render()))
        assert title.value == "Harbour ledger (cy)"
        assert get_case(cy, CASE).case.title == "Harbour ledger (ada)"

        # the reload that the screen does when shown again keeps the text and the old version
        detail.reload()
        await settle(pilot)
        assert title.value == "Harbour ledger (cy)"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: CONFLICT in str(hint.render()))
        assert get_case(cy, CASE).case.title == "Harbour ledger (ada)"


async def test_a_lock_on_the_team_store_asks_for_the_database_password(
    team: OfficerStore, tmp_path: Path
) -> None:
    ada = team("ada")
    app = _app(ada, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_until(pilot, lambda: app.entered)
        await pilot.press("ctrl+l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamUnlockScreen) and app.vault is None
        field = screen.query_one("#passphrase-input", Input)
        field.value = "not the password"
        await field.action_submit()
        message = screen.query_one("#passphrase", ValidatedField)
        await wait_until(pilot, lambda: "password is wrong" in message.message)
        assert app.vault is None
        field.value = OFFICER_PASSWORD
        await field.action_submit()
        await wait_until(pilot, lambda: app.vault is not None)
        store = app.require_vault()
        assert isinstance(store, TeamStore) and store.officer == "ada"
        assert get_case(store, CASE).case.title == "Harbour ledger"
        app.close_vault()


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_real_program_opens_the_tui_on_the_team_store(
    team: OfficerStore, pg_cluster: Cluster, pg_database: str
) -> None:
    """``casecoord --store postgresql://… tui`` in a real terminal: the password prompt, then the
    dashboard and the officer's cases, and a clean quit."""
    url = f"postgresql://ada@/{pg_database}?host={pg_cluster.socket_dir}"
    with casecoord_in_tmux(["--store", url, "tui"]) as session:
        wait_for(session, "Password for ada")
        tmux("send-keys", "-t", session, "-l", OFFICER_PASSWORD)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Open requests by status")
        tmux("send-keys", "-t", session, "2")
        shown = wait_for(session, CASE)
        assert "NL-BRAVO-1" not in shown and "Traceback" not in shown
        tmux("send-keys", "-t", session, "C-q")
        final = wait_for(session, "EXIT=")
        assert "EXIT=0" in final and "Traceback" not in final
