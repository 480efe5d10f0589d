"""The casecoord Textual app: factory, global navigation, idle lock and error routing.

``make_app`` builds the app for the CLI, the tests and the screenshot script alike (Posting's
factory pattern). The app owns the only reference to the open :class:`~casecoord.store.Store`
(``app.vault``): the officer's :class:`UnlockedVault`, or a team store on PostgreSQL opened by the
CLI (``--store``). Screens read it on demand so that a lock/unlock cycle can swap it under them
without losing the screen stack, and with it the officer's unsaved form input; every screen works
through the services, so the same screens serve both stores.

Failures never reach the terminal as a traceback (unless ``CASECOORD_DEBUG=1``): worker errors go
to one ``Worker.StateChanged`` handler that shows an :class:`ErrorDialog`; anything else that
escapes ends the app with one line, as the CLI does.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from casecoord.domain.errors import CasecoordError, VaultError
from casecoord.domain.text import shown
from casecoord.store import Store
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.vault.location import VaultPaths
from casecoord.vault.vault import UnlockedVault

if TYPE_CHECKING:
    from casecoord.store.locate import TeamStoreURL

T = TypeVar("T")

DEBUG_ENV = "CASECOORD_DEBUG"
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
EXIT_UNEXPECTED = 70


@dataclass(frozen=True)
class Area:
    """A top-level place reachable with a number key; its screen is imported when first shown."""

    key: str
    mode: str
    label: str
    module: str
    cls: str


_SCREENS = "casecoord.tui.screens."
AREAS: tuple[Area, ...] = (
    Area("1", "dashboard", "Dashboard", _SCREENS + "dashboard", "DashboardScreen"),
    Area("2", "cases", "Cases", _SCREENS + "case_list", "CaseListScreen"),
    Area("3", "deadlines", "Deadlines", _SCREENS + "deadlines", "DeadlinesScreen"),
    Area("4", "contacts", "Contacts", _SCREENS + "contacts", "ContactsScreen"),
    Area("5", "treaties", "Treaties", _SCREENS + "treaties", "TreatyScreen"),
    Area("6", "exchange", "Exchange", _SCREENS + "exchange", "ExchangeScreen"),
    Area("7", "reports", "Reports", _SCREENS + "reports", "ReportsScreen"),
    Area("8", "authorities", "Authorities", _SCREENS + "authorities", "AuthoritiesScreen"),
    Area("9", "settings", "Settings", _SCREENS + "settings", "SettingsScreen"),
)
AREA_BY_MODE = {area.mode: area for area in AREAS}


def freeze_long_lived() -> None:
    """Move every object alive now to the collector's permanent generation (``gc.freeze``).

    With its area screens up the app holds some 400,000 objects, nearly all for its whole life
    (Textual's widgets and stylesheets, SQLAlchemy's metadata, the treaty catalogue). Python's
    full collection walked them all: 67-168 ms pauses, 8 in 18 area switches at 100,000 cases,
    each landing in whatever the officer was doing; frozen, they are no longer walked. Called
    once an area's screen is up (area screens are never closed); not for a case or request
    screen, whose widgets go when it closes and must stay collectable. Garbage is collected
    first, so nothing dead is frozen; the first call walks everything once, later ones only
    what was allocated since.
    """
    gc.collect()
    gc.freeze()


def describe_error(error: BaseException) -> str:
    """The officer-facing text of a failure: our messages as they are, others by type only."""
    if isinstance(error, WorkerFailed):
        error = error.error
    if isinstance(error, CasecoordError):
        return error.message
    return f"unexpected error ({type(error).__name__}); nothing further was changed"


class CasecoordApp(App[int]):
    """The app. Build it with :func:`make_app`."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "casecoord"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        lambda: _commands_provider()
    }

    BINDINGS = [
        *[
            Binding(a.key, f"go('{a.mode}')", a.label, id=f"go.{a.mode}", tooltip=a.label)
            for a in AREAS
        ],
        Binding("ctrl+l", "lock", "Lock", id="vault.lock", tooltip="Lock the vault now"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme.toggle", tooltip="Light/dark"),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys of this screen"),
        Binding("question_mark", "help", "Help", show=False, id="app.help-alt"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            tooltip="Quit (asks first if anything is unsaved)",
        ),
    ]

    def __init__(
        self,
        vault_root: Path,
        vault: Store | None = None,
        *,
        idle_minutes: float | None = None,
        now: Callable[[], float] | None = None,
        debug: bool = False,
    ) -> None:
        super().__init__()
        self.vault_root = vault_root
        self.vault: Store | None = vault
        self.team = _team_of(vault)
        self.idle_override = idle_minutes
        self.idle_minutes = idle_minutes if idle_minutes is not None else 5.0
        self.clock: Callable[[], float] = now or time.monotonic
        self.last_activity = self.clock()
        self.debug_mode = debug or os.environ.get(DEBUG_ENV) == "1"
        self.failure: str | None = None
        self.entered = False
        self.first_run = False
        self._available: dict[str, bool] = {}
        self.open_screens: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        for area in AREAS:
            self.add_mode(area.mode, self._area_factory(area))

    # -- start, unlock, lock -----------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(self._idle_poll_seconds(), self.check_idle_lock, name="idle-lock")
        if self.vault is not None:
            self.run_service(self, self._preferences_call(self.vault), self._enter)
            return
        if VaultPaths(self.vault_root).exists():
            from casecoord.tui.screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(self.vault_root), self._on_unlocked)
        else:
            from casecoord.tui.screens.create_vault import CreateVaultScreen

            self.push_screen(CreateVaultScreen(self.vault_root), self._on_created)

    def _idle_poll_seconds(self) -> float:
        return max(0.05, min(1.0, self.idle_minutes * 60 / 4))

    @staticmethod
    def _preferences_call(vault: Store) -> Callable[[], Any]:
        from casecoord.services.tui_queries import ui_preferences

        return lambda: ui_preferences(vault)

    def _on_created(self, vault: Store | None) -> None:
        """A new vault: once entered, the short set-up asks who the officer is."""
        self.first_run = vault is not None
        self._on_unlocked(vault)

    def _on_unlocked(self, vault: Store | None) -> None:
        if vault is None:
            return
        self.vault = vault
        self.last_activity = self.clock()
        self.run_service(self, self._preferences_call(vault), self._enter)

    def _enter(self, preferences: Any) -> None:
        """Apply the stored preferences; on the first unlock, open the dashboard."""
        if self.idle_override is None:
            self.idle_minutes = float(preferences.idle_minutes)
        if preferences.theme in self.available_themes:
            self.theme = preferences.theme
        self.last_activity = self.clock()
        if not self.entered:
            self.entered = True
            self.switch_mode("dashboard")
            if self.first_run:
                from casecoord.tui.screens.settings import SettingsScreen

                self.first_run = False
                self.push_screen(SettingsScreen(first_run=True))
        self.refresh_bindings()

    def require_vault(self) -> Store:
        """The open store (vault or team store), or an officer-facing error when it is locked."""
        if self.vault is None:
            raise VaultError("the vault is locked; unlock it first")
        return self.vault

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.last_activity = self.clock()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock when no key or mouse event came for ``idle_minutes``."""
        if self.vault is None:
            return
        if self.clock() - self.last_activity >= self.idle_minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        """Close the store and cover the screen stack with the unlock screen; input stays.

        A team store's connections are closed too: the unlock screen asks for the officer's
        database password and connects again (docs/ARCHITECTURE.md, "Team mode").
        """
        if self.vault is None:
            return
        from casecoord.tui.screens.unlock import TeamUnlockScreen, UnlockScreen

        vault, self.vault = self.vault, None
        vault.close()
        if self.team is not None:
            self.push_screen(TeamUnlockScreen(self.team, relock=True), self._on_unlocked)
        else:
            self.push_screen(UnlockScreen(self.vault_root, relock=True), self._on_unlocked)
        self.refresh_bindings()

    @property
    def locked(self) -> bool:
        return self.vault is None

    # -- navigation --------------------------------------------------------------------------

    def _area_factory(self, area: Area) -> Callable[[], Screen[Any]]:
        def build() -> Screen[Any]:
            module = importlib.import_module(area.module)
            screen: Screen[Any] = getattr(module, area.cls)()
            # an area's screen lives as long as the app: once it is up, freeze what is alive
            self.call_after_refresh(freeze_long_lived)
            return screen

        return build

    def area_available(self, mode: str) -> bool:
        """Whether an area's screen module can be imported (Exchange may not exist yet)."""
        if mode not in self._available:
            area = AREA_BY_MODE[mode]
            try:
                importlib.import_module(area.module)
            except ImportError:
                self._available[mode] = False
            else:
                self._available[mode] = True
        return self._available[mode]

    def editing(self) -> bool:
        """Whether the officer is typing: a text field has focus, or a form screen is shown.

        Single-key shortcuts (the area numbers) stay off then, so a digit typed in a form never
        switches screens (docs/ARCHITECTURE.md, "Keys").
        """
        from textual.widgets import Input, TextArea

        if isinstance(self.focused, (Input, TextArea)):
            return True
        return bool(getattr(self.screen, "FORM_SCREEN", False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            mode = str(parameters[0]) if parameters else ""
            if not self.area_available(mode) or self.editing():
                return False
            return None if self.locked else True
        if action in {"lock", "toggle_theme"}:
            return None if self.locked else True
        return True

    def action_go(self, mode: str) -> None:
        if self.locked or not self.area_available(mode):
            return
        if self.current_mode == mode:
            if isinstance(self.screen, _modal_types()):
                return
            covering = list(self.screen_stack[1:])
            self.confirm_leave(covering, self._back_to_root)
            return
        self.switch_mode(mode)

    def _back_to_root(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, _modal_types()):
            self.pop_screen()

    # -- unsaved work --------------------------------------------------------------------------

    def unsaved_screens(self, screens: list[Screen[Any]] | None = None) -> list[Any]:
        """The screens (of ``screens``, else every open one) holding unsaved input."""
        from casecoord.tui.screens.base import AreaScreen

        candidates = screens if screens is not None else list(self.open_screens)
        return [
            s
            for s in candidates
            if isinstance(s, AreaScreen) and s.is_attached and s.has_unsaved_changes()
        ]

    def confirm_leave(self, screens: list[Screen[Any]], go: Callable[[], Any]) -> None:
        """Run ``go`` at once if none of ``screens`` holds unsaved input; else ask first.

        Save saves each (a refusal shows by its field and nothing further happens), Discard
        forgets the input, Stay does nothing.
        """
        from casecoord.tui.dialogs.unsaved import Choice, UnsavedChangesDialog

        dirty = self.unsaved_screens(screens)
        if not dirty:
            go()
            return

        def answered(choice: Choice | None) -> None:
            if choice == "discard":
                for screen in dirty:
                    screen.discard_changes()
                go()
            elif choice == "save":
                self._save_each(dirty, go)

        names = [screen.sub_title or screen.title or type(screen).__name__ for screen in dirty]
        self.push_screen(UnsavedChangesDialog(names), answered)

    def _save_each(self, screens: list[Any], go: Callable[[], Any]) -> None:
        if not screens:
            go()
            return
        first, rest = screens[0], screens[1:]
        first.save_changes(lambda: self._save_each(rest, go))

    async def action_quit(self) -> None:
        """Quit; asks Save / Discard / Stay first when any screen holds unsaved input."""
        self.confirm_leave(list(self.open_screens), self.exit)

    def action_toggle_theme(self) -> None:
        if self.locked:
            return
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
        theme = self.theme

        def persist() -> None:
            from casecoord.services.settings import set_setting

            set_setting(self.require_vault(), "ui.theme", theme)

        self.run_service(self, persist, lambda _: None)

    def action_help(self) -> None:
        from casecoord.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    # -- background work and errors ----------------------------------------------------------

    def run_service(
        self,
        node: DOMNode,
        call: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[CasecoordError], None] | None = None,
        *,
        group: str = "service",
        exclusive: bool = False,
        description: str = "",
    ) -> Worker[None]:
        """Run a blocking service call in a thread worker owned by ``node``.

        ``on_done`` gets the result on the UI thread. A :class:`CasecoordError` goes to
        ``on_error`` when given (a form shows it next to the field); any other failure reaches
        :meth:`on_worker_state_changed` and its error dialog.
        """

        from casecoord.tui.background import run_in_thread

        return run_in_thread(
            node,
            call,
            on_done,
            on_error,
            group=group,
            exclusive=exclusive,
            description=description,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens and widgets call this one) shows plain text.

        Messages quote stored and received text (a vCard name, a case title), so markup is never
        parsed, whatever the caller asks, and control characters are escaped.
        """
        del markup
        super().notify(
            shown(message, one_line=True),
            title=shown(title, one_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    @on(Worker.StateChanged)
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app's own failed (Textual posts this to the worker's node only, so
        screens' and widgets' workers report through :meth:`worker_failed` instead)."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None:
            self.worker_failed(error)

    def worker_failed(self, error: BaseException) -> None:
        """The one place where a failed worker becomes something the officer reads: every
        thread worker (:func:`casecoord.tui.background.run_in_thread`) hands its failure here."""
        if self.debug_mode:
            self.log.error(repr(error))
        if self.locked and not isinstance(error, CasecoordError):
            self.notify(describe_error(error), severity="warning")
            return
        self.push_screen(ErrorDialog(describe_error(error)))

    def wall_clock(self) -> datetime:
        """The time every screen calls "now" (UTC); snapshot tests override it with a fixed one."""
        return datetime.now(UTC)

    def _handle_exception(self, error: Exception) -> None:
        """Unexpected failure outside a worker: end the app with one line, not a traceback."""
        if self.debug_mode:
            super()._handle_exception(error)
            return
        self.failure = describe_error(error)
        self._keep_first_exception(error)
        self.exit(EXIT_UNEXPECTED)

    def _keep_first_exception(self, error: Exception) -> None:
        """Do what Textual's own handler does with the error, less the traceback on screen.

        Textual keeps the first unhandled exception so ``run_test`` re-raises it: a Pilot test
        must still fail on a crash the officer would see as one line. These are Textual's private
        attributes (``App._handle_exception`` in 8.x); tests/tui/app/test_unexpected_failure.py
        pins them, so a Textual release that renames them fails the tests, not the officer.
        """
        if self._exception is None:
            self._exception = error
            self._exception_event.set()

    def close_vault(self) -> None:
        if self.vault is not None:
            self.vault.close()
            self.vault = None


def _team_of(store: Store | None) -> TeamStoreURL | None:
    """The URL of a team store (what the unlock screen reconnects to), None for a vault."""
    if store is None or isinstance(store, UnlockedVault):
        return None  # the common case: no need to import the PostgreSQL store
    from casecoord.store.postgres import TeamStore

    return store.url if isinstance(store, TeamStore) else None


def _commands_provider() -> type[Provider]:
    from casecoord.tui.commands import CasecoordCommands

    return CasecoordCommands


def _modal_types() -> tuple[type[Screen[Any]], ...]:
    from textual.screen import ModalScreen

    return (ModalScreen,)


def make_app(
    vault_root: Path,
    vault: Store | None = None,
    *,
    idle_minutes: float | None = None,
    now: Callable[[], float] | None = None,
    debug: bool = False,
) -> CasecoordApp:
    """Build the app; ``idle_minutes`` and ``now`` (a monotonic clock) let tests drive the lock;
    ``debug`` (the CLI's ``--debug``) shows tracebacks instead of the one-line failure."""
    return CasecoordApp(vault_root, vault, idle_minutes=idle_minutes, now=now, debug=debug)


def run_app(vault_root: Path, vault: Store | None, *, debug: bool = False) -> int:
    """Run the TUI until the officer quits, on ``vault`` when one is open (a team store the CLI
    connected to, or an unlocked vault), else on the vault in ``vault_root`` (unlock or create
    it first); the store is closed on the way out."""
    app = make_app(vault_root, vault, debug=debug)
    try:
        result = app.run()
    finally:
        app.close_vault()
    if app.failure:
        print(f"casecoord: {app.failure}. Run again with --debug for details", file=sys.stderr)
        return EXIT_UNEXPECTED
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 0)
