"""Exchange: export a request as a signed bundle, verify a bundle, import it as an incoming request.

The outgoing requests are the shared :class:`VirtualTable` over ``count_requests`` and
``list_requests`` (the latest change first, ``ix_request_list``): one page is read, whatever the
register's size, and typing filters it by reference, case, requested state or status.

Everything slow (hashing a gigabyte of evidence, signing, verifying, importing) runs in a thread
worker that posts its progress lines back; the screen shows a loading indicator meanwhile and a
notification when done. Refusals the officer can resolve become dialogs rather than dead ends:
restricted items ask for a release reason (recorded in the audit chain), an unknown signer asks
for an explicit acceptance of the fingerprint after comparing it by phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Header, Input, Label, LoadingIndicator, Static

from casecoord.domain.errors import CasecoordError
from casecoord.services.exchange import (
    ExportResult,
    ImportResult,
    ReleaseNotConfirmedError,
    UnknownSignerError,
    VerifyResult,
    export_bundle,
    import_bundle,
    verify_file,
)
from casecoord.services.requests import RequestQuery, RequestRow, count_requests, list_requests
from casecoord.tui.background import run_with_progress
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.dialogs.prompt import PromptDialog, PromptField
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, VaultRows
from casecoord.tui.untrusted import shown
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import Cell, Column, VirtualTable

BUNDLE_SUFFIXES = (".asice", ".p7m")

OUTGOING = RequestQuery(direction="outgoing")

COLUMNS = (
    Column("reference", "Reference", 18),
    Column("case", "Case", 16),
    Column("to", "To", 3),
    Column("status", "Status", 0),
)


def request_cells(row: RequestRow, _previous: RequestRow | None) -> list[Cell]:
    """One outgoing request (stored text: the table escapes controls when drawn)."""
    return [
        (row.reference, ""),
        (row.case_ref, ""),
        (row.requested_state, ""),
        (row.status, ""),
    ]


class ExchangeScreen(AreaScreen):
    """Outgoing requests to export on the left; the last verification report on the right."""

    FILTER_SELECTOR = "#exchange-filter"

    DEFAULT_CSS = """
    ExchangeScreen #exchange-body { height: 1fr; }
    ExchangeScreen #exchange-left { width: 1fr; padding: 0 1; }
    ExchangeScreen #exchange-right { width: 1fr; padding: 0 1; }
    ExchangeScreen #exchange-requests { height: 1fr; }
    ExchangeScreen .toolbar { height: auto; }
    ExchangeScreen .toolbar Input { width: 1fr; }
    ExchangeScreen #exchange-count { width: auto; padding: 1 1; color: $text-muted; }
    ExchangeScreen .exchange-buttons { height: auto; }
    ExchangeScreen .exchange-buttons Button { margin-right: 1; }
    ExchangeScreen #exchange-busy { height: 3; display: none; }
    ExchangeScreen.-busy #exchange-busy { display: block; }
    ExchangeScreen #exchange-report { height: 1fr; border: round $panel-lighten-2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="bundle.export", tooltip="Export the request"),
        Binding("v", "verify", "Verify", id="bundle.verify", tooltip="Verify a bundle file"),
        Binding("i", "import_bundle", "Import", id="bundle.import", tooltip="Import a bundle"),
        Binding("r", "refresh", "Refresh", id="bundle.refresh", tooltip="Reload the requests"),
    ]
    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("bundle: export", "export", "Export the selected request as a signed bundle (e)"),
        ("bundle: verify", "verify", "Check a bundle's signature, signer and digests (v)"),
        ("bundle: import", "import_bundle", "Verify and import a bundle as incoming (i)"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.last_report: list[str] = []
        self.last_result: ExportResult | ImportResult | VerifyResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exchange-body"):
            with Vertical(id="exchange-left"):
                with Horizontal(classes="toolbar"):
                    yield Input(
                        placeholder="filter: reference, case, CO, sent…",
                        id="exchange-filter",
                    )
                    yield Static("", id="exchange-count")
                yield VirtualTable[RequestQuery, RequestRow](
                    VaultRows(self.app, count_requests, list_requests),
                    COLUMNS,
                    request_cells,
                    lambda row: row.reference,
                    OUTGOING,
                    id="exchange-requests",
                )
                yield Label("Request reference", classes="muted")
                yield Input(placeholder="the selected row, or type one", id="exchange-ref")
                yield Label("Encrypt for contact (optional, needs a pinned RSA certificate)")
                yield Input(placeholder="contact handle", id="exchange-encrypt")
                with Horizontal(classes="exchange-buttons"):
                    yield Button("Export…", variant="primary", id="exchange-export")
                    yield Button("Verify…", id="exchange-verify")
                    yield Button("Import…", id="exchange-import")
            with Vertical(id="exchange-right"):
                yield LoadingIndicator(id="exchange-busy")
                yield Static("", id="exchange-progress", markup=False)
                yield Static(
                    "Verify or import a bundle to see its checks here.",
                    id="exchange-report",
                    markup=False,
                )
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Exchange"
        self.table.set_query(OUTGOING)
        self.table.focus()

    @property
    def table(self) -> VirtualTable[RequestQuery, RequestRow]:
        return self.query_one("#exchange-requests", VirtualTable)

    # -- background work ----------------------------------------------------------------------

    def _start(self, label: str) -> None:
        self.busy = True
        self.add_class("-busy")
        self.query_one("#exchange-progress", Static).update(label)

    def _stop(self) -> None:
        self.busy = False
        self.remove_class("-busy")

    def _progress(self, message: str) -> None:
        self.query_one("#exchange-progress", Static).update(shown(message, one_line=True))

    def _report(self, lines: list[str]) -> None:
        self.last_report = lines
        self.query_one("#exchange-report", Static).update(
            "\n".join(shown(line, one_line=True) for line in lines)
        )

    def _failed(self, error: CasecoordError) -> None:
        self._stop()
        self._progress("")
        self.show_error(error)

    def _run(
        self,
        call: Callable[[Callable[[str], None]], Any],
        done: Callable[[Any], None],
        refused: Callable[[CasecoordError], bool] | None = None,
    ) -> None:
        """Run ``call`` off the UI thread with its progress shown; ``refused`` may turn a refusal
        into a dialog. An unexpected failure ends the busy state and goes on to the app's error
        dialog, so the officer can try again."""

        def guarded(say: Callable[[str], None]) -> Any:
            try:
                return call(say)
            except CasecoordError:
                raise
            except Exception:
                self.app.call_from_thread(self._failed_unexpectedly)
                raise

        run_with_progress(
            self,
            guarded,
            self._progress,
            lambda result: self._finish(done, result),
            lambda error: self._handle_refusal(error, refused),
            group="exchange",
            description="exchange",
        )

    def _failed_unexpectedly(self) -> None:
        self._stop()
        self._progress("")

    def _finish(self, done: Callable[[Any], None], result: Any) -> None:
        self._stop()
        self.last_result = result
        done(result)

    def _handle_refusal(
        self, error: CasecoordError, refused: Callable[[CasecoordError], bool] | None
    ) -> None:
        self._stop()
        if refused is not None and refused(error):
            return
        self._failed(error)

    # -- requests list --------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Count and page again (a request exported, imported or moved elsewhere shows up).
        The table's own worker groups: a running export is never cancelled by it."""
        if self.table.loaded:
            self.table.reload()

    @on(Input.Changed, "#exchange-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_query_later(self.filter_query)

    def filter_query(self) -> RequestQuery:
        text = self.query_one("#exchange-filter", Input).value
        return replace(OUTGOING, text=text.strip())

    @on(Input.Submitted, "#exchange-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.apply_now()
        self.table.focus()

    @on(VirtualTable.Counted, "#exchange-requests")
    def _counted(self, event: VirtualTable.Counted) -> None:
        more = "+" if event.capped else ""
        noun = "outgoing request" if event.total == 1 else "outgoing requests"
        self.query_one("#exchange-count", Static).update(f"{event.total:,}{more} {noun}")

    @on(VirtualTable.Highlighted, "#exchange-requests")
    def _row_highlighted(self, event: VirtualTable.Highlighted) -> None:
        row = self.table.current
        if row is not None:
            self.query_one("#exchange-ref", Input).value = row.reference

    # -- export ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#exchange-export")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        ref = self.query_one("#exchange-ref", Input).value.strip()
        if not ref:
            self.show_error("Choose a request in the list or type its reference first.")
            return
        encrypt = self.query_one("#exchange-encrypt", Input).value.strip() or None
        suffix = ".p7m" if encrypt else ".asice"
        safe = ref.replace("/", "-")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(ref, path, encrypt, None)

        self.app.push_screen(
            FilePickerDialog(
                f"Save the bundle of {ref}",
                save=True,
                default_name=f"{safe}{suffix}",
                suffixes=(suffix,),
            ),
            chosen,
        )

    def _export(
        self,
        ref: str,
        path: Path,
        encrypt: str | None,
        reason: str | None,
        overwrite: bool = False,
    ) -> None:
        self._start(f"exporting {ref}…")

        def call(say: Callable[[str], None]) -> ExportResult:
            return export_bundle(
                self.vault,
                ref,
                path,
                encrypt_for=encrypt,
                confirm_release=reason,
                progress=say,
                overwrite=overwrite,
            )

        def refused(error: CasecoordError) -> bool:
            if isinstance(error, ReleaseNotConfirmedError) and reason is None:
                self._ask_release(ref, path, encrypt, error)
                return True
            if not overwrite:
                return self.offer_replace(
                    error, lambda: self._export(ref, path, encrypt, reason, overwrite=True)
                )
            return False

        self._run(call, self._exported, refused)

    def _ask_release(
        self, ref: str, path: Path, encrypt: str | None, error: ReleaseNotConfirmedError
    ) -> None:
        def answered(values: dict[str, str] | None) -> None:
            if values and values.get("reason", "").strip():
                self._export(ref, path, encrypt, values["reason"].strip())
            else:
                self._progress("export cancelled: nothing restricted was released")

        self.app.push_screen(
            PromptDialog(
                "Release restricted items? " + "; ".join(error.issues),
                [PromptField("reason", "Reason (who allowed it, on what basis; recorded)")],
                ok_label="Release and export",
            ),
            answered,
        )

    def _exported(self, result: ExportResult) -> None:
        lines = [
            f"Bundle written: {result.path}",
            f"bundle id {result.bundle_id}",
            f"SHA-256 {result.sha256}",
            f"{result.attachments} attachment(s), letter in {result.letter_language}",
        ]
        if result.encrypted_for:
            lines.append(f"encrypted for {result.encrypted_for} and you ({result.envelope})")
        if result.translation_needed:
            lines.append("translation needed: no letter template in the requested language")
        self._report(lines)
        self._progress("")
        self.notify(f"{result.request_ref} exported to {result.path.name}", title="Bundle")

    # -- verify and import ----------------------------------------------------------------------

    def _pick(self, title: str, then: Callable[[Path], None]) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                then(path)

        self.app.push_screen(FilePickerDialog(title, suffixes=BUNDLE_SUFFIXES), chosen)

    @on(Button.Pressed, "#exchange-verify")
    def _verify_pressed(self) -> None:
        self.action_verify()

    def action_verify(self) -> None:
        self._pick("Bundle to verify", self.verify_path)

    def verify_path(self, path: Path) -> None:
        self._start(f"verifying {path.name}…")
        self._run(lambda _say: verify_file(self.vault, path), self._verified)

    def _verified(self, result: VerifyResult) -> None:
        verdict = "VERIFIED" if result.ok else "NOT VERIFIED"
        self._report([*result.lines(), verdict])
        self._progress("")
        self.notify(
            f"{result.path.name}: {verdict.lower()}",
            title="Bundle",
            severity="information" if result.ok else "warning",
        )

    @on(Button.Pressed, "#exchange-import")
    def _import_pressed(self) -> None:
        self.action_import_bundle()

    def action_import_bundle(self) -> None:
        self._pick("Bundle to import", lambda path: self.import_path(path, None))

    def import_path(self, path: Path, accept: str | None) -> None:
        self._start(f"importing {path.name}…")

        def call(say: Callable[[str], None]) -> ImportResult:
            return import_bundle(self.vault, path, accept_fingerprint=accept, progress=say)

        def refused(error: CasecoordError) -> bool:
            if isinstance(error, UnknownSignerError) and accept is None:
                self._ask_accept(path, error)
                return True
            return False

        self._run(call, self._imported, refused)

    def _ask_accept(self, path: Path, error: UnknownSignerError) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.import_path(path, error.fingerprint)
            else:
                self._report([error.message, "Not imported."])
                self._progress("")

        self.app.push_screen(
            ConfirmDialog(
                f"{path.name} is signed by an unknown certificate:\n\n{error.fingerprint}\n\n"
                "Accept it only after the sender has read this fingerprint out to you. Import?",
                yes="Accept and import",
                no="Do not import",
            ),
            answered,
        )

    def _imported(self, result: ImportResult) -> None:
        if result.already_imported:
            message = f"Already imported as {result.request_ref}; nothing was changed."
        else:
            message = (
                f"Imported as incoming request {result.request_ref} in case {result.case_ref}: "
                f"{result.persons} person(s), {result.attachments} attachment(s)."
            )
        self._report([*result.lines, message, *result.notes])
        self._progress("")
        self.notify(" ".join([message, *result.notes]), title="Bundle")
