"""Choose a file to open or a path to save to: a folder tree beside a path input.

The tree is for browsing; the input is the answer, so a path can always be typed or pasted (a
USB stick mounted somewhere the tree does not start from). The dialog only returns a path: the
service that reads or writes it says when it is missing, a folder or not writable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static


class FilteredDirectoryTree(DirectoryTree):
    """Folders and the files with one of ``suffixes`` (all files when empty); no hidden ones."""

    def __init__(self, path: Path, suffixes: Sequence[str] = (), id: str | None = None) -> None:  # noqa: A002
        super().__init__(path, id=id)
        self.suffixes = tuple(s.lower() for s in suffixes)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            if not self.suffixes or path.suffix.lower() in self.suffixes or _is_dir(path):
                shown.append(path)
        return shown


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


class FilePickerDialog(ModalScreen[Path | None]):
    """Return the chosen :class:`Path`, or ``None`` on escape/cancel.

    ``save=True``: picking a folder fills in ``default_name`` inside it, and a name without one
    of ``suffixes`` gets the first one appended. Without ``start`` it opens in the folder of the
    last file chosen in this session, else the working folder (where the officer started
    casecoord); the folder is remembered in memory only, never written to disk.
    """

    last_folder: ClassVar[Path | None] = None

    DEFAULT_CSS = """
    FilePickerDialog { align: center middle; }
    FilePickerDialog > Vertical {
        width: 90; max-width: 100%; height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    FilePickerDialog #picker-title { text-style: bold; margin-bottom: 1; }
    FilePickerDialog DirectoryTree { height: 1fr; border: round $panel-lighten-2; }
    FilePickerDialog #picker-message { color: $error; height: auto; }
    FilePickerDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    FilePickerDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without a file"),
        Binding("ctrl+o", "choose", "Choose", id="picker.choose", tooltip="Use the typed path"),
    ]

    def __init__(
        self,
        title: str,
        *,
        start: Path | None = None,
        save: bool = False,
        default_name: str = "",
        suffixes: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.start = (start or FilePickerDialog.last_folder or Path.cwd()).expanduser()
        self.save = save
        self.default_name = default_name
        self.suffixes = tuple(suffixes)

    def compose(self) -> ComposeResult:
        initial = str(self.start / self.default_name) if self.save and self.default_name else ""
        with Vertical():
            yield Label(self.title_text, id="picker-title")
            yield FilteredDirectoryTree(self.start, self.suffixes, id="picker-tree")
            yield Label("Path", classes="muted")
            yield Input(initial, placeholder=str(self.start / "…"), id="picker-path")
            yield Static("", id="picker-message", markup=False)
            with Horizontal():
                yield Button("Cancel", id="picker-cancel")
                yield Button("Save" if self.save else "Open", variant="primary", id="picker-ok")

    def on_mount(self) -> None:
        self.query_one("#picker-path", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#picker-path", Input).value = str(event.path)

    @on(DirectoryTree.DirectorySelected)
    def _directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        if self.save:
            self.query_one("#picker-path", Input).value = str(event.path / self.default_name)

    @on(Input.Submitted, "#picker-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(Button.Pressed, "#picker-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose()

    @on(Button.Pressed, "#picker-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_choose(self) -> None:
        text = self.query_one("#picker-path", Input).value.strip()
        if not text:
            self.query_one("#picker-message", Static).update("Type or pick a path first.")
            return
        path = Path(text).expanduser()
        if self.save and self.suffixes and path.suffix.lower() not in self.suffixes:
            path = path.with_name(path.name + self.suffixes[0])
        FilePickerDialog.last_folder = path.parent if not _is_dir(path) else path
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
