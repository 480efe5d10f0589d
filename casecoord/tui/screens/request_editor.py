"""Draft, read and move a request: its legal basis with reasons, content, status, events, family.

A new request gets the legal basis the resolver suggests for its pair of states and kind, with the
reasons and the rejected candidates on screen; choosing another basis is an override that needs a
reason (the service refuses it otherwise, and the message appears by the reason field). An
existing request is editable while it has not left the office (draft/ready; received/registered
for an incoming one); its status buttons are exactly the moves its status machine allows.
Recording a legal event (arrest, consent, decision…) starts the statutory deadlines of its basis,
shown with rule and article. Supplementary requests and execution returns appear as a thread.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
    Tree,
)

from casecoord.domain.enums import (
    Channel,
    Direction,
    LegalEvent,
    RequestKind,
    RequestStatus,
    TranslationState,
    Urgency,
)
from casecoord.domain.errors import CasecoordError, DuplicateError, ValidationError
from casecoord.domain.models import Contact
from casecoord.domain.values import country_code
from casecoord.services.cases import CaseDetail, get_case
from casecoord.services.contacts import list_contacts
from casecoord.services.deadlines import (
    DeadlineQuery,
    DeadlineView,
    list_deadlines,
    officer_zone,
    record_event,
)
from casecoord.services.requests import (
    RELATIONS,
    RequestDetail,
    RequestInput,
    RequestQuery,
    RequestRow,
    add_request,
    change_request_status,
    get_request,
    list_requests,
    update_request,
)
from casecoord.services.settings import get_setting
from casecoord.tui.screens.vault_screen import ScreenCommand, VaultScreen
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

EDITABLE_STATUSES = frozenset(
    {
        RequestStatus.DRAFT.value,
        RequestStatus.READY.value,
        RequestStatus.RECEIVED.value,
        RequestStatus.REGISTERED.value,
    }
)

# ValidationError.field (as the services name it) → the form element that shows it.
# A "legal basis" refusal is about a missing override reason, so it shows by that field.
FIELD_FOR_ERROR = {
    "reference": "reference",
    "kind": "kind",
    "direction": "direction",
    "requesting state": "requesting",
    "requested state": "requested",
    "legal basis": "override",
    "channel": "channel",
    "urgency": "urgency",
    "language": "language",
    "translation": "translation",
    "counterpart": "counterpart",
    "parent": "parent",
    "relation": "parent",
    "persons": "persons",
    "measures": "measures",
}
VALIDATED_FIELDS = frozenset({"reference", "requesting", "requested", "override", "language"})
# fields that cannot change once a request exists (update_request does not take them)
FIXED_ONCE_CREATED = ("kind", "direction", "requesting", "requested", "persons", "counterpart")

NO_BASIS = "__none__"


def _options(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class RequestEditorScreen(VaultScreen):
    """New request for ``case_ref`` (``request_ref`` None) or the request ``request_ref``."""

    DEFAULT_CSS = """
    RequestEditorScreen #editor { height: 1fr; padding: 0 1; }
    RequestEditorScreen #editor-title { text-style: bold; margin-bottom: 1; }
    RequestEditorScreen .section { text-style: bold; color: $primary; margin-top: 1; }
    RequestEditorScreen .pair { height: auto; }
    RequestEditorScreen .pair > * { width: 1fr; margin-right: 1; }
    RequestEditorScreen .row { height: auto; margin-bottom: 1; }
    RequestEditorScreen .row > Label { color: $text-muted; }
    RequestEditorScreen .row-message { color: $error; height: auto; display: none; }
    RequestEditorScreen .row.-invalid > .row-message { display: block; }
    RequestEditorScreen TextArea { height: 5; }
    RequestEditorScreen #f-persons { height: auto; max-height: 8; }
    RequestEditorScreen #form-message { color: $error; height: auto; }
    RequestEditorScreen .buttons { height: auto; }
    RequestEditorScreen .buttons Button { margin-right: 1; }
    RequestEditorScreen #moves { height: auto; }
    RequestEditorScreen #moves Button { margin-right: 1; }
    RequestEditorScreen #request-deadlines { height: auto; max-height: 12; }
    RequestEditorScreen #family { height: auto; max-height: 12; }
    RequestEditorScreen #event-form Select { width: 32; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="request.save", tooltip="Save the request"),
        Binding(
            "ctrl+b",
            "resolve",
            "Legal basis",
            id="request.resolve",
            tooltip="Ask the resolver again for the states and kind typed",
        ),
        Binding(
            "ctrl+e",
            "focus_event",
            "Legal event",
            id="request.event",
            tooltip="Record an arrest, consent, decision… and start its deadlines",
        ),
        Binding("escape", "close", "Back", id="request.back", tooltip="Back to the case"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("request: save", "save", "Save the request (new, or changes while editable)"),
        ("request: legal basis", "resolve", "Ask the resolver again for the basis"),
        ("request: record event", "focus_event", "Record a legal event and start its deadlines"),
        ("request: back", "close", "Back to the case"),
    )

    case_detail: CaseDetail
    contacts: list[Contact]
    case_requests: list[RequestRow]
    officer_country: str

    def __init__(self, vault: UnlockedVault, case_ref: str, request_ref: str | None = None) -> None:
        super().__init__(vault)
        self.case_ref = case_ref
        self.request_ref = request_ref
        self.detail: RequestDetail | None = None
        self.resolution: Resolution | None = None
        self.offences: list[str] = []
        self.zone_name = "UTC"

    # -- loading -----------------------------------------------------------------------------

    def _load(self) -> None:
        """Read the request (when there is one) and what the form offers; errors are shown."""
        vault = self.vault
        case = get_case(vault, self.case_ref)
        self.case_detail = case
        self.offences = list(case.case.offences)
        self.contacts = list_contacts(vault)
        self.case_requests = list_requests(vault, RequestQuery(case_ref=self.case_ref))
        self.officer_country = get_setting(vault, "officer.country") or "NL"
        self.zone_name = str(officer_zone(vault))
        self.detail = get_request(vault, self.request_ref) if self.request_ref else None

    @property
    def is_new(self) -> bool:
        return self.detail is None

    @property
    def editable(self) -> bool:
        return self.detail is None or self.detail.request.status in EDITABLE_STATUSES

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        try:
            self._load()
        except CasecoordError as exc:
            yield Static(exc.message, id="form-message", markup=False)
            yield Footer()
            return
        with VerticalScroll(id="editor"):
            yield Static("", id="editor-title")
            if not self.is_new:
                yield from self._compose_status()
            yield from self._compose_request()
            yield from self._compose_basis()
            yield from self._compose_content()
            yield Static("", id="form-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    "Create request" if self.is_new else "Save changes",
                    variant="primary",
                    id="save",
                )
            if not self.is_new:
                yield from self._compose_events()
                yield from self._compose_family()
        yield Footer()

    def _row(self, key: str, label: str, widget: Widget) -> ComposeResult:
        with Vertical(classes="row", id=f"row-{key}"):
            yield Label(label)
            yield widget
            yield Static("", classes="row-message", markup=False)

    def _compose_request(self) -> ComposeResult:
        request = self.detail.request if self.detail else None
        case_countries = [c for c in self.case_detail.case.countries if c != self.officer_country]
        with Horizontal(classes="pair"):
            yield ValidatedField(
                "Reference",
                request.reference if request else self._next_reference(),
                name="reference",
                id="f-reference",
            )
            yield from self._row(
                "kind",
                "Kind",
                Select(
                    _options([k.value for k in RequestKind]),
                    value=request.kind if request else RequestKind.MLA.value,
                    allow_blank=False,
                    id="f-kind",
                ),
            )
            yield from self._row(
                "direction",
                "Direction",
                Select(
                    _options([d.value for d in Direction]),
                    value=request.direction if request else Direction.OUTGOING.value,
                    allow_blank=False,
                    id="f-direction",
                ),
            )
        with Horizontal(classes="pair"):
            yield ValidatedField(
                "Requesting state",
                request.requesting_state if request else self.officer_country,
                placeholder="NL",
                name="requesting",
                id="f-requesting",
            )
            yield ValidatedField(
                "Requested state",
                request.requested_state if request else (case_countries or [""])[0],
                placeholder="CO",
                name="requested",
                id="f-requested",
            )

    def _compose_basis(self) -> ComposeResult:
        request = self.detail.request if self.detail else None
        yield Label("Legal basis", classes="section")
        yield BasisView(id="basis-view")
        with Horizontal(classes="pair"):
            yield from self._row(
                "basis",
                "Basis used (the suggestion unless you override it)",
                Select[str]([], allow_blank=True, id="f-basis", prompt="no basis"),
            )
            yield ValidatedField(
                "Override reason (required when the basis is not the suggested one)",
                (request.basis_override_reason or "") if request else "",
                name="override",
                id="f-override",
            )

    def _compose_content(self) -> ComposeResult:
        request = self.detail.request if self.detail else None
        yield Label("Content", classes="section")
        with Horizontal(classes="pair"):
            yield from self._row(
                "channel",
                "Channel",
                Select(
                    _options([c.value for c in Channel]),
                    value=request.channel if request else Channel.CENTRAL_AUTHORITY.value,
                    allow_blank=False,
                    id="f-channel",
                ),
            )
            yield from self._row(
                "urgency",
                "Urgency",
                Select(
                    _options([u.value for u in Urgency]),
                    value=request.urgency if request else Urgency.NORMAL.value,
                    allow_blank=False,
                    id="f-urgency",
                ),
            )
            yield ValidatedField(
                "Language required",
                request.language if request else "",
                placeholder="from the basis",
                name="language",
                id="f-language",
            )
            yield from self._row(
                "translation",
                "Translation",
                Select(
                    _options([t.value for t in TranslationState]),
                    value=request.translation_state
                    if request
                    else TranslationState.NOT_NEEDED.value,
                    allow_blank=False,
                    id="f-translation",
                ),
            )
        yield from self._row(
            "measures",
            "Measures requested (one per line)",
            TextArea("\n".join(request.measures) if request else "", id="f-measures"),
        )
        yield from self._row(
            "facts", "Facts", TextArea(request.facts if request else "", id="f-facts")
        )
        yield from self._row(
            "qualification",
            "Legal qualification",
            TextArea(request.legal_qualification if request else "", id="f-qualification"),
        )
        chosen = {p.id for p in self.detail.persons} if self.detail else set()
        persons = [
            (
                f"{p.family_name}, {p.given_names} ({p.role})",
                int(p.id),
                p.id in chosen,
            )
            for p in self.case_detail.persons
            if p.id is not None
        ]
        yield from self._row(
            "persons",
            "Persons concerned" + ("" if persons else " (the case has none yet)"),
            SelectionList[int](*persons, id="f-persons"),
        )
        counterpart = (
            self.detail.counterpart.handle if self.detail and self.detail.counterpart else None
        )
        with Horizontal(classes="pair"):
            yield from self._row(
                "counterpart",
                "Counterpart",
                Select(
                    [
                        (f"{c.name} ({c.country}, {c.organisation})", c.handle)
                        for c in self.contacts
                    ],
                    value=counterpart if counterpart else Select.NULL,
                    allow_blank=True,
                    prompt="none",
                    id="f-counterpart",
                ),
            )
            yield ValidatedField(
                "Counterpart's reference",
                (request.counterpart_reference or "") if request else "",
                name="counterpart_reference",
                id="f-counterpart-ref",
            )
        if self.is_new:
            with Horizontal(classes="pair"):
                yield from self._row(
                    "parent",
                    "Belongs to (family)",
                    Select(
                        [
                            (f"{r.reference} · {r.kind} · {r.status}", r.reference)
                            for r in self.case_requests
                        ],
                        allow_blank=True,
                        prompt="none: a request of its own",
                        id="f-parent",
                    ),
                )
                yield from self._row(
                    "relation",
                    "Relation",
                    Select(
                        _options(list(RELATIONS)),
                        value=RELATIONS[0],
                        allow_blank=False,
                        id="f-relation",
                    ),
                )

    def _compose_status(self) -> ComposeResult:
        yield Label("Status", classes="section")
        yield Static("", id="status-line")
        yield Input(placeholder="reason for the status change (optional)", id="move-reason")
        yield Horizontal(id="moves")

    def _compose_events(self) -> ComposeResult:
        yield Label("Legal events and deadlines", classes="section")
        with Horizontal(id="event-form", classes="pair"):
            yield Select(
                _options([e.value for e in LegalEvent]),
                value=LegalEvent.ARREST.value,
                allow_blank=False,
                id="event-kind",
            )
            yield Input(
                placeholder=f"when (YYYY-MM-DD HH:MM, {self.zone_name}); blank: now", id="event-at"
            )
            yield Button("Record event", id="event-record")
        yield Static("", id="event-result")
        yield DataTable(id="request-deadlines", cursor_type="row", zebra_stripes=True)

    def _compose_family(self) -> ComposeResult:
        yield Label("Family (parent and follow-ups)", classes="section")
        yield Tree[str]("family", id="family")

    def on_mount(self) -> None:
        self.sub_title = "New request" if self.is_new else f"Request {self.request_ref}"
        if not self.query("#editor"):
            return
        self.show_title()
        self.action_resolve()
        self.apply_editable()
        if not self.is_new:
            table = self.query_one("#request-deadlines", DataTable)
            table.add_columns("Deadline", f"Due ({self.zone_name})", "Rule", "Article", "State")
            self.show_status()
            self.show_deadlines()
            self.show_family()
        if self.is_new:
            self.query_one("#f-reference", ValidatedField).focus_input()

    def _next_reference(self) -> str:
        taken = {r.reference for r in self.case_requests}
        number = len(self.case_requests) + 1
        while f"{self.case_ref}-R{number:02d}" in taken:
            number += 1
        return f"{self.case_ref}-R{number:02d}"

    def show_title(self) -> None:
        title = Text()
        if self.detail is None:
            title.append(f"New request in case {self.case_ref}")
        else:
            request = self.detail.request
            title.append(f"Request {request.reference}", style="bold")
            title.append(
                f" · {request.kind} · {request.direction} · "
                f"{request.requesting_state} → {request.requested_state} · case {self.case_ref}"
            )
            if request.basis_title:
                title.append(f"\nbasis: {request.basis_title}")
                if request.basis_articles:
                    title.append(f" ({request.basis_articles})")
                if request.basis_override_reason:
                    title.append(f" — override: {request.basis_override_reason}", style="yellow")
            if not self.editable:
                title.append(
                    f"\n{request.status}: its content can no longer be edited", style="dim"
                )
        self.query_one("#editor-title", Static).update(title)

    def apply_editable(self) -> None:
        editable = self.editable
        for widget_id in (
            "f-basis",
            "f-override",
            "f-channel",
            "f-urgency",
            "f-language",
            "f-translation",
            "f-measures",
            "f-facts",
            "f-qualification",
            "f-counterpart-ref",
        ):
            self.query_one(f"#{widget_id}").disabled = not editable
        if not self.is_new:
            self.query_one("#f-reference").disabled = True
            for key in FIXED_ONCE_CREATED:
                self.query_one(f"#f-{key}").disabled = True
        self.query_one("#save", Button).display = editable
        self.refresh_bindings()

    # -- legal basis -------------------------------------------------------------------------

    def _select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def _states(self) -> tuple[str, str] | None:
        try:
            requesting = country_code(self.query_one("#f-requesting", ValidatedField).value)
            requested = country_code(self.query_one("#f-requested", ValidatedField).value)
        except ValidationError:
            return None
        return (requesting, requested) if requesting != requested else None

    def action_resolve(self) -> None:
        """Run the resolver for the states and kind on screen (fast: no worker needed)."""
        from casecoord.treaties.resolver import resolve_basis

        view = self.query_one("#basis-view", BasisView)
        states = self._states()
        kind = self._select_value("#f-kind")
        if states is None or kind is None:
            self.resolution = None
            view.hint("Type two different ISO country codes (NL, CO…) to see the legal basis.")
            self._fill_basis_options()
            return
        self.resolution = resolve_basis(
            states[0], states[1], kind, date.today(), self.offences or None
        )
        self._fill_basis_options()
        view.show(self.resolution, self._select_value("#f-basis"))

    def _fill_basis_options(self) -> None:
        select: Select[str] = self.query_one("#f-basis", Select)
        current = self._select_value("#f-basis")
        stored = self.detail.request.basis_instrument_id if self.detail else None
        options: list[tuple[str, str]] = []
        if self.resolution is not None:
            for rank, basis in enumerate(self.resolution.bases, start=1):
                mark = " (suggested)" if rank == 1 else ""
                options.append((f"✓ {rank}. {basis.short_name}{mark}", basis.instrument_id))
            for rejected in self.resolution.rejected:
                options.append((f"✗ {rejected.title} (does not apply)", rejected.instrument_id))
        if stored and stored not in {value for _, value in options}:
            options.append((f"{self.detail.request.basis_title or stored} (stored)", stored))  # type: ignore[union-attr]
        values = {value for _, value in options}
        wanted = current if current in values else stored if stored in values else None
        if wanted is None and self.resolution is not None and self.resolution.bases:
            wanted = self.resolution.bases[0].instrument_id
        with select.prevent(Select.Changed):
            select.set_options(options)
            if wanted is not None:
                select.value = wanted

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self) -> None:
        self.action_resolve()

    @on(Input.Changed, "#f-requesting Input")
    @on(Input.Changed, "#f-requested Input")
    def _states_changed(self) -> None:
        self.action_resolve()

    @on(Select.Changed, "#f-basis")
    def _basis_changed(self) -> None:
        if self.resolution is not None:
            self.query_one("#basis-view", BasisView).show(
                self.resolution, self._select_value("#f-basis")
            )

    def suggested_id(self) -> str | None:
        if self.resolution is None or not self.resolution.bases:
            return None
        return self.resolution.bases[0].instrument_id

    def _basis_fields(self, chosen: str | None) -> tuple[str | None, str | None]:
        """Title and articles of ``chosen`` as the resolver or catalogue names them."""
        if chosen is None or self.resolution is None:
            return None, None
        for basis in self.resolution.bases:
            if basis.instrument_id == chosen:
                return basis.title, ", ".join(basis.articles) or None
        for rejected in self.resolution.rejected:
            if rejected.instrument_id == chosen:
                return rejected.title, None
        return None, None

    # -- saving ------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for field in self.query(ValidatedField):
            field.clear_error()
        for row in self.query(".row.-invalid"):
            row.remove_class("-invalid")
            row.query_one(".row-message", Static).update("")
        self.query_one("#form-message", Static).update("")

    def show_field_error(self, error: ValidationError) -> None:
        key = FIELD_FOR_ERROR.get(error.field)
        if key is None:
            self.query_one("#form-message", Static).update(error.message)
            return
        if key in VALIDATED_FIELDS:
            field = self.query_one(f"#f-{key}", ValidatedField)
            field.show_error(error.reason)
            field.focus_input()
            field.scroll_visible()
            return
        row = self.query_one(f"#row-{key}", Vertical)
        row.add_class("-invalid")
        row.query_one(".row-message", Static).update(error.reason)
        row.scroll_visible()

    def _text(self, selector: str) -> str:
        return self.query_one(selector, TextArea).text

    def action_save(self) -> None:
        if not self.query("#editor") or not self.editable:
            return
        self.clear_errors()
        chosen = self._select_value("#f-basis")
        override = self.query_one("#f-override", ValidatedField).value.strip()
        if chosen == self.suggested_id():
            override = ""
        title, articles = self._basis_fields(chosen)
        measures = self._text("#f-measures").splitlines()
        language = self.query_one("#f-language", ValidatedField).value.strip() or None
        try:
            if self.detail is None:
                saved = add_request(
                    self.vault,
                    RequestInput(
                        reference=self.query_one("#f-reference", ValidatedField).value,
                        case_ref=self.case_ref,
                        kind=self._select_value("#f-kind") or "",
                        direction=self._select_value("#f-direction") or "",
                        requesting_state=self.query_one("#f-requesting", ValidatedField).value,
                        requested_state=self.query_one("#f-requested", ValidatedField).value,
                        facts=self._text("#f-facts"),
                        legal_qualification=self._text("#f-qualification"),
                        measures=measures,
                        channel=self._select_value("#f-channel") or Channel.CENTRAL_AUTHORITY,
                        urgency=self._select_value("#f-urgency") or Urgency.NORMAL,
                        language=language,
                        translation_state=self._select_value("#f-translation")
                        or TranslationState.NOT_NEEDED,
                        basis_instrument_id=chosen,
                        basis_title=title,
                        basis_articles=articles,
                        basis_override_reason=override or None,
                        counterpart=self._select_value("#f-counterpart"),
                        counterpart_reference=self.query_one(
                            "#f-counterpart-ref", ValidatedField
                        ).value,
                        parent_ref=self._select_value("#f-parent"),
                        relation=self._select_value("#f-relation")
                        if self._select_value("#f-parent")
                        else None,
                        person_ids=list(self.query_one("#f-persons", SelectionList).selected),
                    ),
                )
                self.notify(f"Request {saved.reference} created", title="Request")
                self.request_ref = saved.reference
                self.call_later(self.reload)
                return
            changes: dict[str, Any] = {
                "facts": self._text("#f-facts"),
                "legal_qualification": self._text("#f-qualification"),
                "measures": measures,
                "channel": self._select_value("#f-channel"),
                "urgency": self._select_value("#f-urgency"),
                "translation_state": self._select_value("#f-translation"),
                "basis_override_reason": override,
                "counterpart_reference": self.query_one("#f-counterpart-ref", ValidatedField).value,
            }
            if language:
                changes["language"] = language
            if chosen is not None and chosen != self.detail.request.basis_instrument_id:
                changes["basis_instrument_id"] = chosen
                changes["basis_title"] = title or chosen
                changes["basis_articles"] = articles or ""
            update_request(self.vault, self.detail.request.reference, changes)
        except ValidationError as exc:
            self.show_field_error(exc)
            return
        except DuplicateError as exc:
            self.query_one("#f-reference", ValidatedField).show_error(exc.message)
            return
        except CasecoordError as exc:
            self.query_one("#form-message", Static).update(exc.message)
            return
        self.notify(f"Request {self.detail.request.reference} saved", title="Request")
        self.call_later(self.reload)

    async def reload(self) -> None:
        """Read the request again and rebuild the screen (after create, save, or a move)."""
        await self.recompose()
        self.on_mount()

    # -- status ------------------------------------------------------------------------------

    def show_status(self) -> None:
        assert self.detail is not None
        request = self.detail.request
        line = Text()
        line.append(f"{request.status}", style="bold")
        if self.detail.allowed_moves:
            line.append(f" — can move to: {', '.join(self.detail.allowed_moves)}")
        else:
            line.append(" — final status", style="dim")
        self.query_one("#status-line", Static).update(line)
        moves = self.query_one("#moves", Horizontal)
        moves.remove_children()
        moves.mount_all(
            Button(f"→ {move}", id=f"move-{move}", name=move, classes="move")
            for move in self.detail.allowed_moves
        )
        self.query_one("#move-reason", Input).display = bool(self.detail.allowed_moves)

    @on(Button.Pressed, ".move")
    def _move_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name:
            self.move_to(event.button.name)

    def move_to(self, status: str) -> None:
        if self.detail is None:
            return
        reason = self.query_one("#move-reason", Input).value
        try:
            change_request_status(self.vault, self.detail.request.reference, status, reason)
        except CasecoordError as exc:
            self.show_error(exc, "Status not changed")
            return
        self.notify(f"{self.detail.request.reference} is now {status}", title="Request")
        self.call_later(self.reload)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        found = super().palette_commands()
        if self.detail is not None:
            for move in self.detail.allowed_moves:
                found.append(
                    (
                        f"request: mark {move}",
                        f"Move {self.detail.request.reference} to {move}",
                        partial(self.move_to, move),
                    )
                )
        return found

    # -- legal events and deadlines ----------------------------------------------------------

    def show_deadlines(self, fresh: set[str] | None = None) -> None:
        assert self.detail is not None
        table = self.query_one("#request-deadlines", DataTable)
        table.clear()
        try:
            views: list[DeadlineView] = [
                v
                for v in list_deadlines(
                    self.vault, DeadlineQuery(case_ref=self.case_ref, open_only=False)
                )
                if v.request_ref == self.detail.request.reference
            ]
        except CasecoordError as exc:
            self.query_one("#event-result", Static).update(exc.message)
            return
        for view in views:
            style = "bold green" if fresh and view.uid in fresh else ""
            table.add_row(
                Text(view.title, style=style),
                f"{view.due_officer:%Y-%m-%d %H:%M}",
                view.rule_id or view.origin,
                view.article or "",
                view.state,
                key=view.uid,
            )

    @on(Button.Pressed, "#event-record")
    def _record_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.record_legal_event()

    def record_legal_event(self) -> None:
        if self.detail is None:
            return
        event_kind = self._select_value("#event-kind") or ""
        at = self.query_one("#event-at", Input).value.strip() or None
        result = self.query_one("#event-result", Static)
        try:
            created = record_event(self.vault, self.detail.request.reference, event_kind, at)
        except CasecoordError as exc:
            result.update(Text(exc.message, style="red"))
            return
        if not created:
            result.update(
                Text(
                    f"{event_kind} recorded; no statutory deadline starts with it under "
                    f"{self.detail.request.basis_title or 'this basis'}",
                    style="dim",
                )
            )
        else:
            lines = Text(f"{event_kind} recorded; deadlines started:\n", style="bold")
            for deadline in created:
                due = deadline.due_at.astimezone(officer_zone(self.vault))
                lines.append(
                    f"  {deadline.title} — due {due:%Y-%m-%d %H:%M %Z} — rule "
                    f"{deadline.rule_id} — {deadline.article}\n",
                    style="",
                )
            lines.rstrip()
            result.update(lines)
        self.notify(f"{event_kind}: {len(created)} deadline(s) started", title="Legal event")
        self.show_deadlines({d.uid for d in created})

    def action_focus_event(self) -> None:
        if self.query("#event-kind"):
            self.query_one("#event-kind", Select).focus()
            self.query_one("#event-kind", Select).scroll_visible()

    # -- family ------------------------------------------------------------------------------

    def show_family(self) -> None:
        assert self.detail is not None
        tree: Tree[str] = self.query_one("#family", Tree)
        tree.clear()
        vault = self.vault
        root_detail = self.detail
        hops = 0
        try:
            while root_detail.parent_ref and hops < 20:
                root_detail = get_request(vault, root_detail.parent_ref)
                hops += 1
            tree.root.set_label(self._family_label(root_detail))
            tree.root.data = root_detail.request.reference
            self._add_family_branch(tree.root, root_detail, 0)
        except CasecoordError as exc:
            tree.root.set_label(exc.message)
        tree.root.expand_all()
        tree.show_root = True

    def _family_label(self, detail: RequestDetail) -> Text:
        request = detail.request
        label = Text()
        if request.relation:
            label.append(f"{request.relation}: ", style="italic")
        label.append(request.reference, style="bold" if request.id == self._own_id() else "")
        label.append(f" · {request.kind} · {request.status}")
        if request.id == self._own_id():
            label.append("  ← this request", style="bold cyan")
        return label

    def _own_id(self) -> int | None:
        return self.detail.request.id if self.detail else None

    def _add_family_branch(self, node: Any, detail: RequestDetail, depth: int) -> None:
        if depth > 10:
            return
        for row in detail.children:
            child = get_request(self.vault, row.reference)
            branch = node.add(self._family_label(child), data=row.reference)
            self._add_family_branch(branch, child, depth + 1)

    @on(Tree.NodeSelected, "#family")
    def _family_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        ref = event.node.data
        if ref and self.detail is not None and ref != self.detail.request.reference:
            self.app.push_screen(RequestEditorScreen(self.vault, self.case_ref, ref))

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return True if self.editable else None
        if action == "focus_event":
            return None if self.is_new else True
        return True

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_close(self) -> None:
        self.app.pop_screen()
