"""Draft, read and move a request: its legal basis with reasons, content, status, events, family.

A new request gets the legal basis the resolver suggests for its pair of states and kind, with the
reasons and the rejected candidates on screen; choosing another basis is an override that needs a
reason (the service refuses it otherwise, and the message appears by the reason field). An
existing request is editable while it has not left the office (draft/ready; received/registered
for an incoming one); its status buttons are exactly the moves its status machine allows.
Recording a legal event (arrest, consent, decision…) starts the statutory deadlines of its basis,
shown with rule and article. Supplementary requests and execution returns appear as a thread, with
a "follow up in N days" reminder that becomes an ordinary deadline of the request.

Issue 7 adds what no other tool tells the officer while she drafts: the completeness checklist of
the legal basis, recomputed with the pure :func:`assess` on the form as typed (so it follows each
keystroke and never writes); the move to "ready" is disabled while something blocking is missing,
and refused with the checklist focused if asked for all the same (the service checks again). The
directory's suggested addressee is shown with the day it was last verified, and the handling
codes (TLP 2.0, SIENA H0–H3) are edited here with a line saying what they mean for an export.
"""

from __future__ import annotations

from datetime import UTC, date
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

from casecoord.domain.authority import Authority
from casecoord.domain.enums import (
    Channel,
    Direction,
    HandlingCode,
    LegalEvent,
    RequestKind,
    RequestStatus,
    Tlp,
    TranslationState,
    Urgency,
)
from casecoord.domain.errors import CasecoordError, DuplicateError, ValidationError
from casecoord.domain.models import Attachment, Contact, Deadline, Person, Request
from casecoord.domain.text import shown as shown_text
from casecoord.domain.values import country_code
from casecoord.services.attachments import attachments_of_request
from casecoord.services.authorities import suggest_addressee, suggest_for_request
from casecoord.services.cases import CaseDetail, get_case
from casecoord.services.completeness import CompletenessReport, assess
from casecoord.services.contacts import list_contacts
from casecoord.services.deadlines import (
    DeadlineQuery,
    DeadlineView,
    list_deadlines,
    officer_zone,
    record_event,
)
from casecoord.services.families import RequestFamily, add_follow_up, family
from casecoord.services.handling import RESTRICTED_CODES, RESTRICTED_TLP
from casecoord.services.identity_store import NoIdentityError, show_identity
from casecoord.services.requests import (
    RELATIONS,
    RequestDetail,
    RequestInput,
    RequestQuery,
    RequestRow,
    add_request,
    change_request_status,
    get_request,
    link_persons,
    list_requests,
    update_request,
)
from casecoord.services.settings import get_setting
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.screens.vault_screen import ScreenCommand, VaultScreen
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.checklist import CompletenessChecklist
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
    "tlp": "tlp",
    "handling code": "handling",
}
VALIDATED_FIELDS = frozenset({"reference", "requesting", "requested", "override", "language"})
# fields that cannot change once a request exists (update_request does not take them)
FIXED_ONCE_CREATED = ("kind", "direction", "requesting", "requested", "counterpart")

NO_BASIS = "__none__"
STALE_AFTER_DAYS = 365  # a directory entry older than this is flagged for re-checking

TLP_MEANING = {
    Tlp.CLEAR.value: "TLP:CLEAR: no limit on disclosure",
    Tlp.GREEN.value: "TLP:GREEN: the recipient's community, not public channels",
    Tlp.AMBER.value: "TLP:AMBER: the recipient's organisation and its clients, need-to-know",
    Tlp.AMBER_STRICT.value: "TLP:AMBER+STRICT: the recipient's organisation only",
    Tlp.RED.value: "TLP:RED: the named recipients only, nobody further",
}
CODE_MEANING = {
    HandlingCode.H0.value: "H0: for preventing and combating crime",
    HandlingCode.H1.value: "H1: not evidence in court without the provider's permission",
    HandlingCode.H2.value: "H2: not to be disseminated without the provider's permission",
    HandlingCode.H3.value: "H3: other restrictions of the provider apply",
}


def handling_explanation(tlp: str, code: str) -> Text:
    """What the markings mean, and whether an export of the request will stop for a release."""
    text = Text()
    text.append(f"{TLP_MEANING.get(tlp, tlp)} · {CODE_MEANING.get(code, code)}\n")
    if tlp in RESTRICTED_TLP or code in RESTRICTED_CODES:
        text.append("Export: ", style="bold yellow")
        text.append(
            "a bundle holding this request leaves only after you confirm the release with a "
            "reason (who permitted it); the audit chain keeps that confirmation.",
            style="yellow",
        )
    else:
        text.append("Export: ", style="bold")
        text.append(
            "no release confirmation for this marking (linked persons and attachments carry "
            "their own).",
            style="dim",
        )
    return text


def addressee_line(authority: Authority | None, state: str, kind: str, today: date) -> Text:
    """The suggested addressee with its "last verified" day; stale or missing entries say so."""
    text = Text()
    if authority is None:
        text.append("Addressee: ", style="bold")
        text.append(
            f"the authority directory has no entry for {state or '?'} and {kind}: check the EJN "
            "Fiches Belges, then add it (Authorities, key 8, CSV import).",
            style="yellow",
        )
        return text
    text.append("Suggested addressee: ", style="bold")
    text.append(f"{authority.name} ({authority.role}, {authority.country})")
    if authority.email:
        text.append(f" · {authority.email}")
    verified = authority.last_verified
    if verified is None:
        text.append(" · never verified", style="bold yellow")
    else:
        age = (today - verified).days
        style = "bold yellow" if age > STALE_AFTER_DAYS else "dim"
        text.append(f" · last verified {verified.isoformat()}", style=style)
        if age > STALE_AFTER_DAYS:
            text.append(" (over a year ago: confirm it before sending)", style="yellow")
    if authority.status != "confirmed":
        text.append(f" · {authority.status}", style="yellow")
    return text


def _choice(values: list[str], value: str, widget_id: str) -> Select[str]:
    """A required drop-down over ``values`` (the editor's enums), preset to ``value``."""
    return Select(_options(values), value=value, allow_blank=False, id=widget_id)


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
    RequestEditorScreen #handling-note { height: auto; margin-bottom: 1; }
    RequestEditorScreen #addressee { height: auto; margin-top: 1; }
    RequestEditorScreen #followup-form { height: auto; }
    RequestEditorScreen #followup-days { width: 12; }
    RequestEditorScreen #followup-result { height: auto; }
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
        Binding(
            "ctrl+g",
            "focus_checklist",
            "Checklist",
            id="request.checklist",
            tooltip="What the legal basis still requires before ready",
        ),
        Binding(
            "ctrl+r",
            "ready",
            "Ready",
            id="request.ready",
            tooltip="Save and move to ready (refused while the checklist shows gaps)",
        ),
        Binding(
            "ctrl+f",
            "follow_up",
            "Follow-up",
            id="request.follow-up",
            tooltip="Add a reminder to chase this request in N days (a deadline)",
        ),
        Binding("escape", "close", "Back", id="request.back", tooltip="Back to the case"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("request: save", "save", "Save the request (new, or changes while editable)"),
        ("request: legal basis", "resolve", "Ask the resolver again for the basis"),
        ("request: record event", "focus_event", "Record a legal event and start its deadlines"),
        ("request: check completeness", "focus_checklist", "Show what the basis still requires"),
        ("request: follow up", "follow_up", "Add a follow-up reminder in N days (ctrl+f)"),
        ("request: back", "close", "Back to the case"),
    )

    case_detail: CaseDetail
    contacts: list[Contact]
    case_requests: list[RequestRow]
    officer_country: str
    sender: str | None
    attachments: list[Attachment]

    def __init__(self, vault: UnlockedVault, case_ref: str, request_ref: str | None = None) -> None:
        super().__init__(vault)
        self.case_ref = case_ref
        self.request_ref = request_ref
        self.detail: RequestDetail | None = None
        self.resolution: Resolution | None = None
        self.offences: list[str] = []
        self.zone_name = "UTC"
        self.sender = None
        self.attachments = []
        self._checklist_pending = False
        self._addressee_key: tuple[str, str] | None = None

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
        self.sender = self._sender(vault)
        request_id = self.detail.request.id if self.detail else None
        self.attachments = attachments_of_request(vault, request_id) if request_id else []

    @staticmethod
    def _sender(vault: UnlockedVault) -> str | None:
        """Who sends, as the completeness service names it: the setting, else the identity."""
        name = get_setting(vault, "officer.name").strip()
        if name:
            return name
        try:
            identity = show_identity(vault)
        except NoIdentityError:
            return None
        return f"{identity.name}, {identity.organisation}".strip(", ")

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
            yield from self._compose_handling()
            yield from self._compose_checklist()
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
                _choice(
                    [k.value for k in RequestKind],
                    request.kind if request else RequestKind.MLA.value,
                    "f-kind",
                ),
            )
            yield from self._row(
                "direction",
                "Direction",
                _choice(
                    [d.value for d in Direction],
                    request.direction if request else Direction.OUTGOING.value,
                    "f-direction",
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
                _choice(
                    [c.value for c in Channel],
                    request.channel if request else Channel.CENTRAL_AUTHORITY.value,
                    "f-channel",
                ),
            )
            yield from self._row(
                "urgency",
                "Urgency",
                _choice(
                    [u.value for u in Urgency],
                    request.urgency if request else Urgency.NORMAL.value,
                    "f-urgency",
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
                _choice(
                    [t.value for t in TranslationState],
                    request.translation_state if request else TranslationState.NOT_NEEDED.value,
                    "f-translation",
                ),
            )
        yield from self._row(
            "measures",
            "Measures requested (one per line)",
            TextArea(shown_text("\n".join(request.measures)) if request else "", id="f-measures"),
        )
        yield from self._row(
            "facts", "Facts", TextArea(shown_text(request.facts) if request else "", id="f-facts")
        )
        yield from self._row(
            "qualification",
            "Legal qualification",
            TextArea(
                shown_text(request.legal_qualification) if request else "", id="f-qualification"
            ),
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
                    _choice(list(RELATIONS), RELATIONS[0], "f-relation"),
                )

    def _compose_handling(self) -> ComposeResult:
        request = self.detail.request if self.detail else None
        yield Label("Handling", classes="section")
        with Horizontal(classes="pair"):
            yield from self._row(
                "tlp",
                "TLP 2.0",
                _choice(
                    [t.value for t in Tlp], request.tlp if request else Tlp.AMBER.value, "f-tlp"
                ),
            )
            yield from self._row(
                "handling",
                "SIENA handling code",
                _choice(
                    [h.value for h in HandlingCode],
                    request.handling_code if request else HandlingCode.H1.value,
                    "f-handling",
                ),
            )
        yield Static("", id="handling-note")

    def _compose_checklist(self) -> ComposeResult:
        yield Label("Completeness for the legal basis", classes="section")
        yield CompletenessChecklist(id="checklist")
        yield Static("", id="addressee")

    def _compose_status(self) -> ComposeResult:
        yield Label("Status", classes="section")
        yield Static("", id="status-line")
        yield Input(placeholder="reason for the status change (optional)", id="move-reason")
        yield Horizontal(id="moves")

    def _compose_events(self) -> ComposeResult:
        yield Label("Legal events and deadlines", classes="section")
        with Horizontal(id="event-form", classes="pair"):
            yield _choice([e.value for e in LegalEvent], LegalEvent.ARREST.value, "event-kind")
            yield Input(
                placeholder=f"when (YYYY-MM-DD HH:MM, {self.zone_name}); blank: now", id="event-at"
            )
            yield Button("Record event", id="event-record")
        yield Static("", id="event-result")
        yield DataTable(id="request-deadlines", cursor_type="row", zebra_stripes=True)

    def _compose_family(self) -> ComposeResult:
        yield Label("Family (parent and follow-ups)", classes="section")
        yield Tree[str]("family", id="family")
        with Horizontal(id="followup-form", classes="pair"):
            yield Input("14", placeholder="days", id="followup-days", type="integer")
            yield Input(placeholder="reminder title (blank: Follow up on …)", id="followup-title")
            yield Button("Add follow-up", id="followup-add")
        yield Static("", id="followup-result")

    def on_mount(self) -> None:
        self.sub_title = "New request" if self.is_new else f"Request {self.request_ref}"
        if not self.query("#editor"):
            return
        self.show_title()
        self.action_resolve()
        self.apply_editable()
        self.show_handling()
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
            title.append(shown_text(f"Request {request.reference}", one_line=True), style="bold")
            title.append(
                shown_text(
                    f" · {request.kind} · {request.direction} · "
                    f"{request.requesting_state} → {request.requested_state} · "
                    f"case {self.case_ref}",
                    one_line=True,
                )
            )
            if request.basis_title:
                title.append("\nbasis: ")
                title.append(shown_text(request.basis_title, one_line=True))
                if request.basis_articles:
                    title.append(shown_text(f" ({request.basis_articles})", one_line=True))
                if request.basis_override_reason:
                    title.append(
                        shown_text(f" — override: {request.basis_override_reason}", one_line=True),
                        style="yellow",
                    )
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
            "f-persons",
            "f-tlp",
            "f-handling",
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
            self.schedule_checklist()
            return
        self.resolution = resolve_basis(
            states[0], states[1], kind, date.today(), self.offences or None
        )
        self._fill_basis_options()
        view.show(self.resolution, self._select_value("#f-basis"))
        self.schedule_checklist()
        self.refresh_addressee()

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
        if stored and stored not in {value for _, value in options} and self.detail is not None:
            label = f"{self.detail.request.basis_title or stored} (stored)"
            options.append((shown_text(label, one_line=True), stored))
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
        if self.save_form():
            self.call_later(self.reload)

    def save_form(self) -> bool:
        """Create or update the request from the form; False (with the message shown) if refused.

        The writes are a handful of rows, quick enough for the UI thread, and a refusal must land
        next to its field before the officer types on.
        """
        if not self.query("#editor") or not self.editable:
            return False
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
                        tlp=self._select_value("#f-tlp") or Tlp.AMBER.value,
                        handling_code=self._select_value("#f-handling") or HandlingCode.H1.value,
                    ),
                )
                self.notify(f"Request {saved.reference} created", title="Request")
                self.request_ref = saved.reference
                return True
            changes: dict[str, Any] = {
                "facts": self._text("#f-facts"),
                "legal_qualification": self._text("#f-qualification"),
                "measures": measures,
                "channel": self._select_value("#f-channel"),
                "urgency": self._select_value("#f-urgency"),
                "translation_state": self._select_value("#f-translation"),
                "basis_override_reason": override,
                "counterpart_reference": self.query_one("#f-counterpart-ref", ValidatedField).value,
                "tlp": self._select_value("#f-tlp"),
                "handling_code": self._select_value("#f-handling"),
            }
            if language:
                changes["language"] = language
            if chosen is not None and chosen != self.detail.request.basis_instrument_id:
                changes["basis_instrument_id"] = chosen
                changes["basis_title"] = title or chosen
                changes["basis_articles"] = articles or ""
            update_request(self.vault, self.detail.request.reference, changes)
            chosen_persons = sorted(self.query_one("#f-persons", SelectionList).selected)
            if chosen_persons != sorted(p.id for p in self.detail.persons if p.id is not None):
                link_persons(self.vault, self.detail.request.reference, chosen_persons)
        except ValidationError as exc:
            self.show_field_error(exc)
            return False
        except DuplicateError as exc:
            self.query_one("#f-reference", ValidatedField).show_error(exc.message)
            return False
        except CasecoordError as exc:
            self.query_one("#form-message", Static).update(exc.message)
            return False
        self.notify(f"Request {self.detail.request.reference} saved", title="Request")
        return True

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
        self.gate_ready(self.live_report())
        self.query_one("#move-reason", Input).display = bool(self.detail.allowed_moves)

    @on(Button.Pressed, ".move")
    def _move_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name:
            self.move_to(event.button.name)

    def move_to(self, status: str) -> None:
        if self.detail is None:
            return
        if status == RequestStatus.READY.value:
            report = self.live_report()
            if report is None or not report.complete:
                self.refuse_ready(report)
                return
            if self.editable and not self.save_form():
                return
        reason = self.query_one("#move-reason", Input).value
        try:
            change_request_status(self.vault, self.detail.request.reference, status, reason)
        except CasecoordError as exc:
            self.show_error(exc, "Status not changed")
            return
        self.notify(f"{self.detail.request.reference} is now {status}", title="Request")
        self.call_later(self.reload)

    def refuse_ready(self, report: CompletenessReport | None) -> None:
        """Say why ready is refused (a dialog naming the gaps), then focus the checklist."""
        message = (
            f"{report.summary()}. The checklist lists each gap with its article."
            if report is not None
            else "Choose the states, the kind and a legal basis first."
        )

        def focus_checklist(_: None) -> None:
            self.action_focus_checklist()

        self.app.push_screen(ErrorDialog(message, title="Not ready"), focus_checklist)

    def action_ready(self) -> None:
        if self.detail is not None and RequestStatus.READY.value in self.detail.allowed_moves:
            self.move_to(RequestStatus.READY.value)

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
                cell(view.title, style),
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
        """The whole thread (root first) from :func:`families.family`, as a tree."""
        assert self.detail is not None
        tree: Tree[str] = self.query_one("#family", Tree)
        tree.clear()
        try:
            thread = family(self.vault, self.detail.request.reference)
        except CasecoordError as exc:
            tree.root.set_label(exc.message)
            return
        self._fill_family(tree, thread)
        tree.root.expand_all()
        tree.show_root = True

    def _fill_family(self, tree: Tree[str], thread: RequestFamily) -> None:
        own = thread.focus_ref
        nodes: dict[str, Any] = {}
        for member in thread.members:
            label = Text()
            if member.relation:
                label.append(f"{member.relation}: ", style="italic")
            label.append(
                shown_text(member.reference), style="bold" if member.reference == own else ""
            )
            label.append(f" · {member.kind} · {member.direction} · {member.status}")
            if member.reference == own:
                label.append("  ← this request", style="bold cyan")
            if member.parent_ref is None or member.parent_ref not in nodes:
                tree.root.set_label(label)
                tree.root.data = member.reference
                nodes[member.reference] = tree.root
            else:
                nodes[member.reference] = nodes[member.parent_ref].add(label, data=member.reference)

    def action_follow_up(self) -> None:
        """Add the follow-up reminder typed in the family section (focus it if it is empty)."""
        if self.detail is None or not self.query("#followup-days"):
            return
        days_input = self.query_one("#followup-days", Input)
        result = self.query_one("#followup-result", Static)
        text = days_input.value.strip()
        if not text.isdigit() or int(text) < 1:
            result.update(Text("give the number of days, 1 or more (e.g. 14)", style="red"))
            days_input.focus()
            days_input.scroll_visible()
            return
        days = int(text)
        title = self.query_one("#followup-title", Input).value.strip() or None
        vault = self.vault
        ref = self.detail.request.reference

        def added(deadline: Deadline) -> None:
            due = deadline.due_at
            due = due if due.tzinfo is not None else due.replace(tzinfo=UTC)
            shown = due.astimezone(officer_zone(vault))
            result.update(
                Text(f"follow-up '{deadline.title}' due {shown:%Y-%m-%d %H:%M %Z}", style="green")
            )
            self.query_one("#followup-title", Input).value = ""
            self.notify(f"follow-up in {days} days added", title="Deadline")
            self.show_deadlines({deadline.uid})

        run_in_thread(
            self,
            lambda: add_follow_up(vault, ref, f"{days}d", title),
            added,
            lambda error: result.update(Text(error.message, style="red")),
            group="follow-up",
            description="add follow-up",
        )

    @on(Button.Pressed, "#followup-add")
    def _follow_up_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_follow_up()

    # -- completeness, handling, addressee ---------------------------------------------------

    def form_request(self) -> Request | None:
        """The request as the form now describes it (unsaved); None without states and kind."""
        states = self._states()
        kind = self._select_value("#f-kind")
        direction = self._select_value("#f-direction")
        if states is None or kind is None or direction is None:
            return None
        stored = self.detail.request if self.detail else None
        chosen = self._select_value("#f-basis")
        title, articles = self._basis_fields(chosen)
        if stored is not None and chosen == stored.basis_instrument_id:
            title = stored.basis_title or title
            articles = stored.basis_articles or articles
        language = self.query_one("#f-language", ValidatedField).value.strip().lower()
        if not language:
            suggested = (
                self.resolution.bases[0] if self.resolution and self.resolution.bases else None
            )
            language = (
                stored.language
                if stored is not None
                else suggested.languages[0]
                if suggested is not None and suggested.languages
                else "en"
            )
        handle = self._select_value("#f-counterpart")
        counterpart = next((c for c in self.contacts if c.handle == handle), None)
        return Request(
            reference=stored.reference
            if stored
            else self.query_one("#f-reference", ValidatedField).value.strip(),
            case_id=self.case_detail.case.id or 0,
            kind=kind,
            direction=direction,
            requesting_state=states[0],
            requested_state=states[1],
            status=stored.status if stored else RequestStatus.DRAFT.value,
            basis_instrument_id=chosen,
            basis_title=title,
            basis_articles=articles,
            measures=[m.strip() for m in self._text("#f-measures").splitlines() if m.strip()],
            facts=self._text("#f-facts").strip(),
            legal_qualification=self._text("#f-qualification").strip(),
            language=language,
            translation_state=self._select_value("#f-translation")
            or TranslationState.NOT_NEEDED.value,
            counterpart_id=counterpart.id if counterpart else None,
            tlp=self._select_value("#f-tlp") or Tlp.AMBER.value,
            handling_code=self._select_value("#f-handling") or HandlingCode.H1.value,
        )

    def form_persons(self) -> list[Person]:
        chosen = set(self.query_one("#f-persons", SelectionList).selected)
        return [p for p in self.case_detail.persons if p.id in chosen]

    def live_report(self) -> CompletenessReport | None:
        """:func:`assess` on the form as typed: pure, so it runs on every change."""
        request = self.form_request()
        if request is None:
            return None
        return assess(request, self.form_persons(), self.attachments, self.sender)

    def checklist_complete(self) -> bool:
        report = self.live_report()
        return report is not None and report.complete

    def schedule_checklist(self) -> None:
        """Refresh once after the current burst of change messages (not once per message)."""
        if self._checklist_pending:
            return
        self._checklist_pending = True
        self.call_later(self.refresh_checklist)

    def refresh_checklist(self) -> None:
        self._checklist_pending = False
        if not self.query("#checklist"):
            return
        checklist = self.query_one("#checklist", CompletenessChecklist)
        report = self.live_report()
        if report is None:
            checklist.hint("Type two different states and choose the kind to see the checklist.")
        else:
            checklist.show(report)
        self.gate_ready(report)

    def gate_ready(self, report: CompletenessReport | None) -> None:
        """Mark the "ready" button while gaps remain; pressing it then explains, never moves.

        It stays pressable (rather than disabled) so that the refusal can say what is missing:
        a greyed-out button would leave the officer guessing why.
        """
        complete = report is not None and report.complete
        for button in self.query("#move-ready").results(Button):
            button.variant = "success" if complete else "warning"
            missing = len(report.missing) if report is not None else 0
            button.label = "→ ready" if complete else f"→ ready ({missing} missing)"
            button.tooltip = None if complete else "Fill what the checklist lists as missing first"

    def show_handling(self) -> None:
        if self.query("#handling-note"):
            self.query_one("#handling-note", Static).update(
                handling_explanation(
                    self._select_value("#f-tlp") or "", self._select_value("#f-handling") or ""
                )
            )

    def refresh_addressee(self) -> None:
        """Ask the directory, in a worker, who receives this kind of request in that state."""
        states = self._states()
        kind = self._select_value("#f-kind")
        if states is None or kind is None or not self.query("#addressee"):
            return
        key = (states[1], kind)
        if key == self._addressee_key:
            return
        self._addressee_key = key
        vault = self.vault
        ref = self.detail.request.reference if self.detail else None
        line = self.query_one("#addressee", Static)

        def ask() -> Authority | None:
            if ref is not None:
                return suggest_for_request(vault, ref)
            return suggest_addressee(vault, key[0], key[1])

        run_in_thread(
            self,
            ask,
            lambda found: line.update(addressee_line(found, key[0], key[1], date.today())),
            lambda error: line.update(Text(error.message, style="red")),
            group="addressee",
            description="suggest addressee",
        )

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    def _form_changed(self) -> None:
        self.schedule_checklist()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id in {"f-tlp", "f-handling"}:
            self.show_handling()
        self.schedule_checklist()

    def action_focus_checklist(self) -> None:
        if self.query("#checklist"):
            checklist = self.query_one("#checklist", CompletenessChecklist)
            checklist.focus()
            checklist.scroll_visible()

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
        if action in {"focus_event", "follow_up"}:
            return None if self.is_new else True
        if action == "ready":
            if self.detail is None or RequestStatus.READY.value not in self.detail.allowed_moves:
                return None
            return True
        if action == "focus_checklist":
            return True if self.query("#checklist") else None
        return True

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_close(self) -> None:
        self.app.pop_screen()
