"""Text from a counterpart's bundle on screen: drawn as data, never obeyed as markup or control.

A signed bundle from a pinned counterpart carries Textual markup in its case title, person names,
facts and legal basis (an ``[@click=app.quit]`` action link among them); it imports, since
brackets are ordinary characters, and every screen that shows it (case list, case detail,
request editor, the notification of the import) must show the brackets literally. A second
bundle carries terminal escape sequences (window title, clear screen, cursor moves) and is refused
at the door, naming the field. A case whose title already holds such sequences (an older vault,
or text typed before the rule), and a request in it whose facts hold them with a right-to-left
override, are shown with the controls escaped: the real program in tmux, driven from the case
list through the case tabs (ctrl+pagedown / alt+right, from the overview's text field) into the
request editor, keeps its pane title and its screen, and ``capture-pane`` reads every escape as
visible text.
"""

from __future__ import annotations

import copy
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import DataTable, Label, Static, TabbedContent

from casecoord.bundle.identity import fingerprint
from casecoord.domain.errors import CasecoordError
from casecoord.services import cases, contacts, requests
from casecoord.services.exchange import import_bundle
from casecoord.services.identity_store import create_identity, pin_counterpart
from casecoord.tui.app import make_app
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.hostile.make_corpus import ATTACHMENTS, IDENTITY, load_keys, request_doc, with_doc
from tests.tui.conftest import PASSPHRASE, Notice, settle, unlock, wait_until
from tests.tui.terminal import casecoord_in_tmux, screen_text, tmux, wait_for

MARKUP_TITLE = "[@click=app.quit]Open[/] [bold red]URGENT[/]"
MARKUP_NAME = "[reverse]Testperson[/reverse]"
MARKUP_FACTS = "Facts [link=https://evil.example]click here[/link] end"
MARKUP_BASIS = "Convention [blink]1988[/blink]"
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[1;1HFAKE"
STORED_ESCAPED = "Stored \x1b]2;OWNED\x07title \x1b[31mred\x1b[0m"
STORED_REQUEST = "XX-OLD-REQ-1"
REQUESTS_TAB_HINT = "enter: open the request"
# Facts kept by an older vault: a window title, a screen clear, a cursor move and a
# right-to-left override (U+202E) that would show "exe.txt" reversed.
STORED_FACTS = "Facts \x1b]0;PWNED\x07\x1b[2J\x1b[1;1HFAKE \u202etxt.exe\u202c end"


def markup_doc() -> dict[str, Any]:
    doc = request_doc(ATTACHMENTS)
    doc["bundle_id"] = str(uuid.uuid4())
    doc["case"]["title"] = MARKUP_TITLE
    doc["request"]["persons"][0]["family_name"] = MARKUP_NAME
    doc["request"]["facts"] = MARKUP_FACTS
    doc["request"]["legal_basis"]["title"] = MARKUP_BASIS
    return doc


def escape_doc() -> dict[str, Any]:
    doc = copy.deepcopy(markup_doc())
    doc["bundle_id"] = str(uuid.uuid4())
    doc["case"]["reference"] = "NL-2025-ESCAPES"
    doc["case"]["title"] = f"Title {ESCAPES}"
    return doc


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    """A receiving officer's vault holding one imported markup bundle and one case whose title
    carries escape sequences; the escape-sequence bundle was refused."""
    root = tmp_path / "vault"
    keys = load_keys(IDENTITY)
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        create_identity(vault, "Camilo Restrepo", "Fiscalía General de la Nación", "CO")
        contacts.add_contact(
            vault, contacts.ContactInput(name="TEST signer", country="NL", handle="corpus-signer")
        )
        pin_counterpart(vault, "corpus-signer", (IDENTITY / "signer.cert.pem").read_bytes())
        assert fingerprint(keys["signer"].cert)
        markup = tmp_path / "markup.asice"
        markup.write_bytes(with_doc(markup_doc(), keys["signer"]))
        imported = import_bundle(vault, markup)
        assert imported.case_created
        escapes = tmp_path / "escapes.asice"
        escapes.write_bytes(with_doc(escape_doc(), keys["signer"]))
        with pytest.raises(CasecoordError) as refused:
            import_bundle(vault, escapes)
        assert "case.title" in refused.value.message
        cases.add_case(
            vault,
            cases.CaseInput(reference="XX-OLD-0001", title=STORED_ESCAPED, countries=["NL"]),
        )
        requests.add_request(
            vault,
            requests.RequestInput(
                reference=STORED_REQUEST,
                case_ref="XX-OLD-0001",
                kind="mla",
                direction="outgoing",
                requesting_state="NL",
                requested_state="CO",
                facts=STORED_FACTS,
            ),
        )
    finally:
        vault.close()
    return root


def plain_of(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


async def test_markup_and_escapes_stay_text_in_list_detail_and_editor(
    hostile_vault: Path, notices: list[Notice]
) -> None:
    app = make_app(hostile_vault)
    async with app.run_test(size=(160, 50)) as pilot:
        await unlock(pilot)
        app.notify(f"imported {MARKUP_TITLE}")
        await settle(pilot)
        shown = [n.message for n in notices]
        assert f"imported {MARKUP_TITLE}" in shown  # literal brackets, no action link
        assert all(not n.markup for n in notices)

        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.table
        await wait_until(pilot, lambda: table.total == 2)
        drawn = [table.render_line(y).text for y in range(1, 3)]
        assert any(MARKUP_TITLE in line for line in drawn)
        assert any("\\u001b]2;OWNED\\u0007" in line for line in drawn)
        assert not any("\x1b" in line or "\x07" in line for line in drawn)

        references = screen.visible_references()
        table.cursor = references.index("NL-2025-CORPUS")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        title = detail.query_one("#detail-title", Label)
        assert MARKUP_TITLE in plain_of(title.render())
        detail.query_one("#case-tabs", TabbedContent).active = "tab-persons"
        await settle(pilot)
        persons = detail.query_one("#persons", DataTable)
        names = [plain_of(c) for c in persons.get_row_at(0)]
        assert any(MARKUP_NAME in name for name in names)

        detail.query_one("#case-tabs", TabbedContent).active = "tab-requests"
        await settle(pilot)
        requests = detail.query_one("#requests", DataTable)
        request_ref = plain_of(requests.get_row_at(0)[0])
        detail.open_request(request_ref)
        await wait_until(pilot, lambda: isinstance(app.screen, RequestEditorScreen))
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        await wait_until(pilot, lambda: editor.detail is not None)
        await settle(pilot)
        heading = plain_of(editor.query_one("#editor-title", Static).render())
        assert MARKUP_BASIS in heading
        assert editor.detail is not None and editor.detail.request.facts == MARKUP_FACTS


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_real_terminal_keeps_its_title_and_shows_the_escapes(hostile_vault: Path) -> None:
    with casecoord_in_tmux(
        ["--vault", str(hostile_vault)],
        size=(160, 120),  # the editor in full
        env={"CASECOORD_KDF_PROFILE": "test"},
    ) as session:
        tmux("select-pane", "-t", session, "-T", "casecoord-test-pane")
        wait_for(session, "Unlock your vault")
        tmux("send-keys", "-t", session, "-l", PASSPHRASE)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Recently changed cases")
        tmux("send-keys", "-t", session, "2")
        wait_for(session, "2 cases")
        wait_for(session, "[@click=app.quit]Op")
        listed = wait_for(session, "Stored \\u001b]2;OWN")
        assert "Traceback" not in listed
        tmux("send-keys", "-t", session, "Down")  # the imported case, below the older one
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "NL-2025-CORPUS · [@click=app.quit]Open[/] [bold red]URGENT[/]")
        # Focus is in the overview's title field: `]` would type there; these keys switch.
        tmux("send-keys", "-t", session, "C-NPage")
        wait_for(session, MARKUP_NAME)
        tmux("send-keys", "-t", session, "M-Right")
        wait_for(session, "NL-MLA-2025-0666")
        tmux("send-keys", "-t", session, "Enter")  # the requests table has focus: opens the row
        editor = wait_for(session, MARKUP_BASIS)
        editor = wait_for(session, MARKUP_FACTS)
        assert "Request NL-MLA-2025-0666" in editor
        assert_pane_intact(session)
        tmux("send-keys", "-t", session, "Escape")
        wait_for(session, REQUESTS_TAB_HINT)  # back on the case, on the tab it was left on
        tmux("send-keys", "-t", session, "Escape")
        wait_for(session, "2 cases")
        tmux("send-keys", "-t", session, "Up")  # the case that already held escape sequences
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "XX-OLD-0001 · Stored \\u001b]2;OWNED\\u0007title \\u001b[31mred")
        assert_pane_intact(session)
        tmux("send-keys", "-t", session, "C-NPage")
        tmux("send-keys", "-t", session, "C-NPage")
        wait_for(session, STORED_REQUEST)
        tmux("send-keys", "-t", session, "Enter")
        editor = wait_for(session, f"Request {STORED_REQUEST}")
        editor = wait_for(session, "Facts \\u001b]0;PWNED\\u0007\\u001b[2J\\u001b[1;1HFAKE")
        assert "\\u202etxt.exe\\u202c end" in editor  # the override shown, not applied
        assert "\u202e" not in editor  # the raw override never reached the terminal
        assert_pane_intact(session)
        tmux("send-keys", "-t", session, "Escape")
        wait_for(session, REQUESTS_TAB_HINT)
        tmux("send-keys", "-t", session, "Escape")
        back = wait_for(session, "2 cases")
        assert "Traceback" not in back
        assert_pane_intact(session)
        tmux("send-keys", "-t", session, "C-q")  # the app ran on, and quits when asked
        final = wait_for(session, "EXIT=")
        assert "EXIT=0" in final


def assert_pane_intact(session: str) -> None:
    """The pane title is the test's own, the screen still has its header (nothing cleared it or
    moved the cursor home to write over it), and no traceback is on screen."""
    title = tmux("display-message", "-p", "-t", session, "#{pane_title}").strip()
    assert title == "casecoord-test-pane", f"the pane title changed to {title!r}"
    screen = screen_text(session)
    assert "Traceback" not in screen
    assert "casecoord" in screen.splitlines()[0], f"the header is gone:\n{screen}"
    assert not screen.startswith("FAKE"), f"an escape sequence wrote over the screen:\n{screen}"
