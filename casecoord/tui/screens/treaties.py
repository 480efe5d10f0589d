"""The treaty catalogue: search instruments, read their parties and articles, ask for a basis.

Read-only: the catalogue ships with casecoord. The "which legal basis" tab runs the same resolver
the request editor uses, for any pair of states, kind and date, and shows the rejected candidates
with why not, so an officer preparing a call can see what the catalogue is unsure about.

The instruments and the parties of the one highlighted are two :class:`VirtualTable` lists over the
catalogue in memory (:class:`RowsInMemory`): the catalogue is parsed in the tables' first worker,
never on the UI thread, and a screen shown again draws one screenful, not two filled tables.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from casecoord.domain.enums import RequestKind
from casecoord.domain.errors import ValidationError
from casecoord.domain.values import comma_separated, country_code, iso_date, penalty_years
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, app_now
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import Cell, Column, RowsInMemory, VirtualTable

if TYPE_CHECKING:
    from casecoord.treaties.model import Catalogue, Instrument, Party

STATUS_STYLES = {
    "in-force": "green",
    "uncertain": "bold yellow",
    "signed": "yellow",
    "negotiated": "red",
    "terminated": "red",
    "not-party": "red",
}

INSTRUMENT_COLUMNS = (
    Column("instrument", "Instrument", 0),  # the rest: the name gives way on a narrow screen
    Column("type", "Type", 9),
    Column("status", "Status", 9),
    Column("parties", "Parties", 7),
)
PARTY_COLUMNS = (
    Column("state", "State", 5),
    Column("status", "Status", 10),
    Column("signed", "Signed", 10),
    Column("ratified", "Ratified", 10),
    Column("in_force", "In force", 10),
    Column("note", "Note", 0),
)


def _catalogue() -> Catalogue:
    from casecoord.treaties.catalogue import default_catalogue  # deferred: parses the file

    return default_catalogue()


def matching_instruments(query: str) -> list[Instrument]:
    """The catalogue's instruments that ``query`` matches, in catalogue order."""
    return [i for i in _catalogue().instruments if instrument_matches(i, query)]


def parties_of(instrument_id: str) -> tuple[Party, ...]:
    """The parties of one instrument (none for an empty id: nothing highlighted)."""
    return tuple(_catalogue().instrument(instrument_id).parties) if instrument_id else ()


def instrument_cells(instrument: Instrument, _previous: Instrument | None) -> list[Cell]:
    status = instrument.status.value
    return [
        (instrument.short_name, ""),
        (instrument.type.value, ""),
        (status, STATUS_STYLES.get(status, "")),
        (str(len(instrument.parties)), ""),
    ]


def party_cells(party: Party, _previous: Party | None) -> list[Cell]:
    status = party.status.value
    return [
        (party.country, ""),
        (status, STATUS_STYLES.get(status, "")),
        (_date(party.signed_on), ""),
        (_date(party.ratified_on), ""),
        (_date(party.in_force_on), ""),
        (party.note or "", ""),
    ]


def instrument_matches(instrument: Instrument, query: str) -> bool:
    """Every word of ``query`` in the id, title, short name or type; 2 letters also a party."""
    for word in query.lower().split():
        haystack = " ".join(
            (instrument.id, instrument.title, instrument.short_name, instrument.type.value)
        ).lower()
        if word in haystack:
            continue
        if len(word) == 2 and instrument.party(word.upper()) is not None:
            continue
        return False
    return True


class TreatyScreen(AreaScreen):
    """Instruments of the catalogue and the legal-basis question "from X to Y"."""

    FILTER_SELECTOR = "#treaty-search"

    DEFAULT_CSS = """
    TreatyScreen #instruments-pane { height: 1fr; }
    TreatyScreen #instrument-list { width: 2fr; height: 1fr; }
    TreatyScreen #instruments { height: 1fr; }
    TreatyScreen #instrument-detail-box { width: 3fr; height: 1fr; padding-left: 1; }
    TreatyScreen #parties { height: auto; max-height: 20; }
    TreatyScreen .basis-form { height: auto; }
    TreatyScreen .basis-form Input { width: 14; }
    TreatyScreen .basis-form Select { width: 30; }
    TreatyScreen #basis-date { width: 16; }
    TreatyScreen #basis-offences { width: 40; }
    TreatyScreen #basis-penalty { width: 30; }
    TreatyScreen #basis-message { color: $error; height: auto; }
    TreatyScreen #basis-scroll { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_search", "Search", id="treaty.search", tooltip="Search the instruments"
        ),
        Binding(
            "b",
            "basis_tab",
            "Which basis?",
            id="treaty.basis",
            tooltip="Ask which legal basis applies from one state to another",
        ),
        Binding("i", "instruments_tab", "Instruments", id="treaty.instruments", tooltip="Browse"),
        Binding(
            "ctrl+r",
            "resolve",
            "Resolve",
            id="treaty.resolve",
            tooltip="Run the legal-basis question with the values typed",
        ),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("treaty: search", "focus_search", "Search the instruments of the catalogue"),
        ("treaty: browse instruments", "instruments_tab", "Show the list of instruments"),
        ("treaty: which legal basis", "basis_tab", "Ask which basis applies from X to Y"),
        ("treaty: resolve", "resolve", "Run the legal-basis question with the values typed"),
    )

    def _today(self) -> date:
        """The officer's date on the app's clock (the default "in force on" date)."""
        return app_now(self.app).astimezone().date()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="instruments-tab", id="treaty-tabs"):
            with TabPane("Instruments", id="instruments-tab"):
                with Horizontal(id="instruments-pane"):
                    with Vertical(id="instrument-list"):
                        yield Input(
                            placeholder="search: title, id, type or a party (CO)",
                            id="treaty-search",
                        )
                        yield VirtualTable[str, "Instrument"](
                            RowsInMemory(matching_instruments),
                            INSTRUMENT_COLUMNS,
                            instrument_cells,
                            lambda instrument: instrument.id,
                            "",
                            id="instruments",
                        )
                    with VerticalScroll(id="instrument-detail-box"):
                        yield Static("", id="instrument-detail")
                        yield Label("Parties", classes="heading")
                        yield VirtualTable[str, "Party"](
                            RowsInMemory(parties_of),
                            PARTY_COLUMNS,
                            party_cells,
                            lambda party: party.country,
                            "",
                            id="parties",
                        )
                        yield Static("", id="instrument-articles")
            with TabPane("Which legal basis?", id="basis-tab"):
                with Horizontal(classes="basis-form"):
                    yield Input(placeholder="from (NL)", id="basis-from", max_length=3)
                    yield Input(placeholder="to (CO)", id="basis-to", max_length=3)
                    yield Select(
                        [(k.value, k.value) for k in RequestKind],
                        value=RequestKind.MLA.value,
                        allow_blank=False,
                        id="basis-kind",
                    )
                    yield Input(
                        self._today().isoformat(), placeholder="YYYY-MM-DD", id="basis-date"
                    )
                    yield Button("Resolve", variant="primary", id="basis-run")
                # the offence scope, as `basis` takes it: without it a UN convention is listed
                # with the questions that settle it
                with Horizontal(classes="basis-form"):
                    yield Input(placeholder="offences (drugs, fraud, …)", id="basis-offences")
                    yield Select(
                        [("organised group: yes", "yes"), ("organised group: no", "no")],
                        allow_blank=True,
                        prompt="organised group: ?",
                        id="basis-group",
                    )
                    yield Input(placeholder="max penalty (years)", id="basis-penalty")
                yield Static("", id="basis-message", markup=False)
                with VerticalScroll(id="basis-scroll"):
                    yield BasisView(
                        id="basis-result",
                        answer_where={
                            "offence": "type them in the offences field above",
                            "organised-group": "choose 'organised group' above",
                            "max-penalty": "type it in 'max penalty (years)' above",
                        },
                    )
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Treaties"
        self.query_one("#basis-result", BasisView).hint(
            "Type the requesting and requested state, pick the kind, then Resolve (ctrl+r)."
        )
        self.instruments.set_query("")
        self.reload()

    @property
    def instruments(self) -> VirtualTable[str, Instrument]:
        return self.query_one("#instruments", VirtualTable)

    @property
    def parties(self) -> VirtualTable[str, Party]:
        return self.query_one("#parties", VirtualTable)

    def reload(self) -> None:
        """The officer's country as the default requesting state (until she types another)."""
        from casecoord.services.settings import get_setting

        vault = self.vault
        field = self.query_one("#basis-from", Input)

        def show(country: str) -> None:
            if not field.value.strip():
                field.value = country

        self.work(lambda: get_setting(vault, "officer.country"), show, group="settings")

    # -- instruments -------------------------------------------------------------------------

    @on(Input.Changed, "#treaty-search")
    def _search(self, event: Input.Changed) -> None:
        self.instruments.set_query_later(lambda: self.query_one("#treaty-search", Input).value)

    @on(Input.Submitted, "#treaty-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.instruments.apply_now()
        self.instruments.focus()

    @on(VirtualTable.Counted, "#instruments")
    def _counted(self, event: VirtualTable.Counted) -> None:
        if not event.total:
            self.query_one("#instrument-detail", Static).update(
                Text("No instrument matches.", style="dim")
            )
            self.parties.set_query("")
            self.query_one("#instrument-articles", Static).update("")

    @on(VirtualTable.Highlighted, "#instruments")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        instrument = self.instruments.current
        if instrument is not None and self.parties.query_spec != instrument.id:
            self.show_instrument(instrument.id)

    def show_instrument(self, instrument_id: str) -> None:
        from casecoord.treaties.deadlines import rules_for_instrument

        cat = _catalogue()
        inst = cat.instrument(instrument_id)
        detail = Text()
        detail.append(f"{inst.title}\n", style="bold")
        detail.append(f"{inst.id} · {inst.type.value} · ")
        detail.append_text(_status_text(inst.status.value))
        detail.append("\n")
        dates = [
            ("signed", inst.signed_on),
            ("in force", inst.in_force_on),
            ("applies from", inst.applies_from),
        ]
        detail.append(
            " · ".join(f"{label} {d.isoformat() if d else '?'}" for label, d in dates) + "\n"
        )
        if inst.supplements:
            detail.append(f"supplements {inst.supplements}\n")
        if inst.offence_scope:
            detail.append(f"offence scope: {', '.join(sorted(inst.offence_scope))}\n")
        if inst.language_rule:
            detail.append(f"languages: {inst.language_rule}\n")
        if not inst.parties_complete:
            detail.append("the catalogue lists only some parties\n", style="yellow")
        for note in inst.notes:
            detail.append(f"note: {note}\n", style="italic")
        if inst.sources:
            detail.append(
                "sources: " + "; ".join(cat.source_text(s) for s in inst.sources) + "\n",
                style="dim",
            )
        self.query_one("#instrument-detail", Static).update(detail)

        self.parties.set_query(inst.id)

        articles = Text()
        articles.append("Articles by kind of request\n", style="bold")
        for coverage in inst.kinds:
            articles.append(f"  {coverage.kind.value}: ", style="bold")
            articles.append(", ".join(coverage.articles) or "—")
            if not coverage.articles_certain:
                articles.append(" (article numbers uncertain)", style="yellow")
            if str(coverage.coverage) != "confirmed":
                articles.append(f" [coverage {coverage.coverage}]", style="yellow")
            channels = ", ".join(c.value for c in coverage.channels)
            if channels:
                articles.append(f" · channels: {channels}", style="dim")
            if coverage.note:
                articles.append(f"\n      {coverage.note}", style="dim")
            articles.append("\n")
        rules = rules_for_instrument(inst.id, cat)
        if rules:
            articles.append("Time limits\n", style="bold")
            for rule in rules:
                start = rule.event.value if rule.event else "extension"
                articles.append(
                    f"  {rule.title}: {rule.amount} {rule.counting.value} from {start} "
                    f"({rule.article})"
                )
                if str(rule.status) != "confirmed":
                    articles.append(f" [{rule.status}]", style="yellow")
                articles.append("\n")
        self.query_one("#instrument-articles", Static).update(articles)

    # -- legal basis -------------------------------------------------------------------------

    @on(Button.Pressed, "#basis-run")
    def _run(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_resolve()

    @on(Input.Submitted, ".basis-form Input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_resolve()

    def action_resolve(self) -> None:
        from casecoord.treaties.resolver import resolve_basis

        message = self.query_one("#basis-message", Static)
        message.update("")
        kind = self.query_one("#basis-kind", Select).value
        try:
            requesting = country_code(self.query_one("#basis-from", Input).value, "from")
            requested = country_code(self.query_one("#basis-to", Input).value, "to")
            if requesting == requested:
                raise ValidationError("to", "must differ from the requesting state")
            on_date = iso_date(self.query_one("#basis-date", Input).value, "date") or self._today()
            years = penalty_years(self.query_one("#basis-penalty", Input).value)
        except ValidationError as exc:
            message.update(exc.message)
            return
        typed = self.query_one("#basis-offences", Input).value
        offences = comma_separated(typed)
        group = self.query_one("#basis-group", Select).value
        resolution = resolve_basis(
            requesting,
            requested,
            str(kind),
            on_date,
            offences or None,
            organised_group={"yes": True, "no": False}.get(str(group)),
            max_penalty_years=years,
        )
        self.query_one("#basis-result", BasisView).show(resolution)
        self.query_one("#treaty-tabs", TabbedContent).active = "basis-tab"

    def action_focus_search(self) -> None:
        self.query_one("#treaty-tabs", TabbedContent).active = "instruments-tab"
        self.query_one("#treaty-search", Input).focus()

    def action_basis_tab(self) -> None:
        self.query_one("#treaty-tabs", TabbedContent).active = "basis-tab"
        self.query_one("#basis-to", Input).focus()

    def action_instruments_tab(self) -> None:
        self.query_one("#treaty-tabs", TabbedContent).active = "instruments-tab"
        self.instruments.focus()


def _date(value: date | None) -> str:
    return value.isoformat() if value else "?"


def _status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLES.get(status, ""))
