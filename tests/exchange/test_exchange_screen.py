"""The Exchange screen with Pilot: export with a release reason, verify, import an unknown signer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import select
from textual.widgets import Input

from casecoord.domain.models import AuditEntry
from casecoord.services import requests
from casecoord.services.exchange import export_bundle, find_imported
from casecoord.services.identity_store import create_identity
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.dialogs.prompt import PromptDialog
from casecoord.tui.screens.exchange import ExchangeScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import REQUEST_REF, Officers
from tests.tui.conftest import HostApp, settle


async def _choose(app: HostApp, pilot: object, path: Path) -> None:
    picker = app.screen
    assert isinstance(picker, FilePickerDialog)
    picker.query_one("#picker-path", Input).value = str(path)
    picker.action_choose()


async def test_export_asks_for_a_release_reason_then_writes_the_bundle(
    officers: Officers, tmp_path: Path
) -> None:
    requests.update_request(officers.a, REQUEST_REF, {"handling_code": "H2"})
    app = HostApp(officers.a, ExchangeScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        assert screen.table.total == 1
        assert screen.query_one("#exchange-ref", Input).value == REQUEST_REF
        await pilot.press("e")
        await pilot.pause()
        out = tmp_path / "out.asice"
        await _choose(app, pilot, out)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert "H2" in dialog.title_text
        dialog.query_one("#prompt-reason", ValidatedField).value = "provider agreed by phone"
        dialog.action_ok()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        assert any("Bundle written" in line for line in screen.last_report)
    with officers.a.session() as session:
        actions = [e.action for e in session.exec(select(AuditEntry))]
    assert "handling.release-confirmed" in actions and "bundle.export" in actions


async def test_verify_then_import_an_unknown_signer_after_accepting_it(
    officers: Officers, tmp_path: Path
) -> None:
    bundle = tmp_path / "b.asice"
    exported = export_bundle(officers.a, REQUEST_REF, bundle)
    stranger, _ = create_vault(tmp_path / "c", PASSPHRASE, FAST_TEST_PARAMS)
    try:
        create_identity(stranger, "Nobody", "Elsewhere", "PE")
        app = HostApp(stranger, ExchangeScreen)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()
            screen = app.screen
            assert isinstance(screen, ExchangeScreen)
            await pilot.press("v")
            await pilot.pause()
            await _choose(app, pilot, bundle)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.last_report[-1] == "NOT VERIFIED"
            assert any("unknown signer" in line for line in screen.last_report)

            await pilot.press("i")
            await pilot.pause()
            await _choose(app, pilot, bundle)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            confirm = app.screen
            assert isinstance(confirm, ConfirmDialog)
            assert find_imported(stranger, exported.bundle_id) is None
            await pilot.press("y")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert find_imported(stranger, exported.bundle_id) is not None
            assert "Imported as incoming request" in screen.last_report[-1]
    finally:
        stranger.close()


async def test_screen_commands_reach_the_palette(officers: Officers) -> None:
    app = HostApp(officers.a, ExchangeScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        titles = [title for title, _help, _call in screen.palette_commands()]
        assert titles == ["bundle: export", "bundle: verify", "bundle: import"]


async def test_key_6_opens_the_exchange_screen_in_the_real_app(
    officers: Officers, tmp_path: Path
) -> None:
    from casecoord.tui.app import make_app

    app = make_app(officers.a_dir, officers.a)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.area_available("exchange")
        await pilot.press("6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExchangeScreen)
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        assert screen.table.total == 1
        assert screen.table.cell_texts(0)[0] == REQUEST_REF


async def test_typing_on_the_list_filters_the_outgoing_requests(officers: Officers) -> None:
    """Letters typed on the list go to its filter (no shortcut fires); the list narrows to
    the requests whose reference, case, requested state or status match each word."""
    app = HostApp(officers.a, ExchangeScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        assert screen.focused is screen.table
        field = screen.query_one("#exchange-filter", Input)
        for text, expected in (("mla", 1), (" co", 1), (" zz", 0)):
            await pilot.press(*text)
            screen.table.apply_now()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.table.total == expected, field.value
        assert field.value == "mla co zz"
        assert "0 outgoing requests" in str(screen.query_one("#exchange-count").render())
        assert screen.last_result is None  # no "e"xport, "v"erify or "i"mport was typed


async def _export_over_existing(officers: Officers, out: Path, replace: bool) -> ExchangeScreen:
    app = HostApp(officers.a, ExchangeScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        await pilot.press("e")
        await pilot.pause()
        await _choose(app, pilot, out)
        for _ in range(200):
            await pilot.pause()
            if isinstance(app.screen, ConfirmDialog):
                break
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog), screen.last_report
        assert f"{out} already exists. Replace it?" in dialog.question
        assert out.read_bytes() == b"my own file"
        await pilot.press("y" if replace else "n")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        return screen


async def test_bundle_export_over_an_existing_file_keeps_it_when_told_no(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "out.asice"
    out.write_bytes(b"my own file")
    await _export_over_existing(officers, out, replace=False)
    assert out.read_bytes() == b"my own file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


async def test_bundle_export_over_an_existing_file_replaces_it_when_told_yes(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "out.asice"
    out.write_bytes(b"my own file")
    screen = await _export_over_existing(officers, out, replace=True)
    assert out.read_bytes()[:2] == b"PK"  # the ASiC container now
    assert any("Bundle written" in line for line in screen.last_report)


async def test_progress_reaches_the_screen_and_an_unexpected_failure_leaves_it_usable(
    officers: Officers,
) -> None:
    """The exchange worker is the app's worker helper: progress lines arrive while the call
    runs, and a failure that is not a refusal reaches the app's error dialog and ends the busy
    state, so the officer can try again."""
    from casecoord.tui.dialogs.error import ErrorDialog

    app = HostApp(officers.a, ExchangeScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExchangeScreen)
        results: list[int] = []

        def counted(say: Callable[[str], None]) -> int:
            say("hashing evidence-1.pdf")
            return 5

        screen._start("Working…")
        screen._run(counted, results.append)
        await settle(pilot)
        assert results == [5] and not screen.busy
        assert "hashing evidence-1.pdf" in str(screen.query_one("#exchange-progress").render())

        def broken(say: Callable[[str], None]) -> int:
            say("signing")
            raise RuntimeError("the token was pulled out")

        screen._start("Working…")
        screen._run(broken, results.append)
        for _ in range(400):  # not settle(): waiting on a failed worker re-raises its error
            await pilot.pause()
            if isinstance(app.screen, ErrorDialog):
                break
        assert isinstance(app.screen, ErrorDialog)
        assert not screen.busy and not screen.has_class("-busy")
        assert results == [5]
