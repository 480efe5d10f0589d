"""The editing panels of the request editor: each owns some fields of the :class:`RequestForm`.

A panel is built from the form (and the options the read model offers), reads its widgets back
into form values (:meth:`FormPanel.values`), and posts :class:`FormPanel.Changed` whenever one of
its fields changes, naming the field. The screen never reads a widget of a panel itself: it asks
every panel for its values and builds one form.

Where a new field goes: docs/ARCHITECTURE.md, "Request editor".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from casecoord.domain.enums import (
    Channel,
    Direction,
    HandlingCode,
    RequestKind,
    Tlp,
    TranslationState,
    Urgency,
)
from casecoord.domain.models import DECISION_KINDS, Contact, Person
from casecoord.domain.text import shown as shown_text
from casecoord.services.completeness import CompletenessReport
from casecoord.services.handling import stricter_code, stricter_tlp
from casecoord.services.requests import DOCUMENT_FIELDS, RELATIONS, BasisFlag, RequestRow
from casecoord.tui.screens.request_editor.form import (
    RECEIVED_FORMAT,
    RequestForm,
    document_fields_for,
)
from casecoord.tui.screens.request_editor.texts import handling_explanation
from casecoord.tui.untrusted import plain
from casecoord.tui.widgets.basis_view import BasisView
from casecoord.tui.widgets.checklist import CompletenessChecklist
from casecoord.tui.widgets.field import ValidatedField

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution


def choice(values: list[str], value: str, widget_id: str) -> Select[str]:
    """A required drop-down over ``values`` (the editor's enums), preset to ``value``."""
    return Select([(v, v) for v in values], value=value, allow_blank=False, id=widget_id)


def row(key: str, label: str, widget: Widget) -> Vertical:
    """A labelled field with its message line beneath (``#row-<key>`` gets ``-invalid``)."""
    return Vertical(
        Label(label),
        widget,
        Static("", classes="row-message", markup=False),
        classes="row",
        id=f"row-{key}",
    )


def field_id(widget: Widget | None) -> str:
    """The ``f-…`` id of the form field ``widget`` belongs to ("" for none)."""
    node: Any = widget
    while node is not None and isinstance(node, Widget):
        if node.id and node.id.startswith("f-"):
            return str(node.id)
        node = node.parent
    return ""


class FormPanel(Vertical):
    """A group of form fields; posts :class:`Changed` with the field that changed."""

    class Changed(Message):
        """A field of the form changed (``field`` is its ``f-…`` id)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def values(self) -> dict[str, Any]:
        """This panel's fields as :class:`RequestForm` keyword arguments."""
        return {}

    def select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def text(self, selector: str) -> str:
        return self.query_one(selector, TextArea).text

    def field(self, selector: str) -> str:
        return self.query_one(selector, ValidatedField).value

    @on(Checkbox.Changed)
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Message) -> None:
        event.stop()
        changed = field_id(getattr(event, "control", None))
        self.field_changed(changed)
        self.post_message(self.Changed(changed))

    def field_changed(self, field: str) -> None:
        """A hook for a panel that reacts to its own fields (before the screen hears of it)."""


class IdentityPanel(FormPanel):
    """Reference, kind, direction and the two states: what the legal basis depends on."""

    def __init__(self, form: RequestForm, zone_name: str = "your time zone") -> None:
        super().__init__(id="identity-panel", classes="panel-group")
        self.form = form
        self.zone_name = zone_name

    def on_mount(self) -> None:
        self.show_received()

    def show_received(self) -> None:
        """The receipt moment is asked only of an incoming request."""
        incoming = self.select_value("#f-direction") == Direction.INCOMING.value
        self.query_one("#f-received", ValidatedField).display = incoming

    def field_changed(self, field: str) -> None:
        if field == "f-direction":
            self.show_received()

    def compose(self) -> ComposeResult:
        form = self.form
        with Horizontal(classes="pair"):
            yield ValidatedField("Reference", form.reference, name="reference", id="f-reference")
            yield row("kind", "Kind", choice([k.value for k in RequestKind], form.kind, "f-kind"))
            yield row(
                "direction",
                "Direction",
                choice([d.value for d in Direction], form.direction, "f-direction"),
            )
        with Horizontal(classes="pair"):
            yield ValidatedField(
                "Requesting state",
                form.requesting_state,
                placeholder="NL",
                name="requesting",
                id="f-requesting",
            )
            yield ValidatedField(
                "Requested state",
                form.requested_state,
                placeholder="CO",
                name="requested",
                id="f-requested",
            )
            yield ValidatedField(
                f"Received ({self.zone_name}; its deadlines run from it)",
                form.received_at,
                placeholder=RECEIVED_FORMAT.replace("%Y", "YYYY")
                .replace("%m", "MM")
                .replace("%d", "DD")
                .replace("%H", "HH")
                .replace("%M", "MM"),
                name="received",
                id="f-received",
            )

    def values(self) -> dict[str, Any]:
        return {
            "reference": self.field("#f-reference"),
            "kind": self.select_value("#f-kind") or self.form.kind,
            "direction": self.select_value("#f-direction") or self.form.direction,
            "requesting_state": self.field("#f-requesting"),
            "requested_state": self.field("#f-requested"),
            "received_at": self.field("#f-received"),
        }


# where the request editor answers each scope question (by ScopeTopic value): the fields below
# the basis, and the case's own offences
SCOPE_ANSWER_FIELDS = {
    "offence": "set the case's Offences (case Overview tab)",
    "organised-group": "answer 'Organised criminal group involved?' below",
    "max-penalty": "fill 'Maximum penalty in years' below",
}


class BasisPanel(FormPanel):
    """The resolver's view, the basis used, and the reason for overriding the suggestion."""

    def __init__(self, form: RequestForm, stored_title: str | None) -> None:
        super().__init__(id="basis-panel", classes="panel-group")
        self.form = form
        self.stored_title = stored_title
        self.resolution: Resolution | None = None

    def compose(self) -> ComposeResult:
        yield Label("Legal basis", classes="section")
        yield Static("", id="basis-flags", markup=False)
        yield BasisView(id="basis-view", answer_where=SCOPE_ANSWER_FIELDS)
        with Horizontal(classes="pair"):
            yield row(
                "basis",
                "Basis used (the suggestion unless you override it)",
                Select[str]([], allow_blank=True, id="f-basis", prompt="no basis"),
            )
            yield ValidatedField(
                "Override reason (required when the basis is not the suggested one)",
                self.form.override_reason,
                name="override",
                id="f-override",
            )
        with Horizontal(classes="pair"):
            yield row(
                "organised-group",
                "Organised criminal group involved? (UNTOC Arts. 2(a), 3(1))",
                Select[str](
                    [("yes", "yes"), ("no", "no")],
                    value=self.form.organised_group or Select.NULL,
                    allow_blank=True,
                    prompt="not answered",
                    id="f-organised-group",
                ),
            )
            yield ValidatedField(
                "Maximum penalty in years (UNTOC serious crime: at least 4, Art. 2(b))",
                self.form.max_penalty_years,
                placeholder="not answered",
                name="max_penalty_years",
                id="f-max-penalty",
            )

    def values(self) -> dict[str, Any]:
        return {
            "basis_instrument_id": self.select_value("#f-basis"),
            "override_reason": self.field("#f-override"),
            "organised_group": self.select_value("#f-organised-group") or "",
            "max_penalty_years": self.field("#f-max-penalty"),
        }

    def on_mount(self) -> None:
        self.show_flags([])

    def show_flags(self, flags: list[BasisFlag]) -> None:
        """The stored basis the rules would now change (an MLA between EIO states should be an
        EIO…): a warning above the resolver's answer, hidden when there is none."""
        box = self.query_one("#basis-flags", Static)
        box.display = bool(flags)
        text = Text()
        for flag in flags:
            text.append("⚠ ", style="bold yellow")
            text.append_text(plain(flag.message, "yellow"))
            advice = []
            if flag.suggested_kind:
                advice.append(f"make it {flag.suggested_kind}")
            if flag.suggested:
                advice.append(f"basis {flag.suggested}")
            if flag.article:
                advice.append(flag.article)
            if advice:
                text.append_text(plain(f" (suggested: {'; '.join(advice)})", "bold"))
            text.append("\n")
        text.rstrip()
        box.update(text)

    def hint(self, message: str) -> None:
        self.resolution = None
        self.query_one("#basis-view", BasisView).hint(message)
        self._fill_options()

    def show(self, resolution: Resolution) -> None:
        """The resolver's answer for the states and kind typed; keeps the officer's choice."""
        self.resolution = resolution
        self._fill_options()
        self.query_one("#basis-view", BasisView).show(resolution, self.select_value("#f-basis"))

    def _fill_options(self) -> None:
        select: Select[str] = self.query_one("#f-basis", Select)
        current = self.select_value("#f-basis")
        stored = self.form.basis_instrument_id if self.stored_title is not None else None
        options: list[tuple[str, str]] = []
        if self.resolution is not None:
            for rank, basis in enumerate(self.resolution.bases, start=1):
                mark = " (suggested)" if rank == 1 else ""
                options.append((f"✓ {rank}. {basis.short_name}{mark}", basis.instrument_id))
            for rejected in self.resolution.rejected:
                options.append((f"✗ {rejected.title} (does not apply)", rejected.instrument_id))
        if stored and stored not in {value for _, value in options}:
            label = f"{self.stored_title or stored} (stored)"
            options.append((shown_text(label, one_line=True), stored))
        values = {value for _, value in options}
        wanted = current if current in values else stored if stored in values else None
        if wanted is None and self.resolution is not None and self.resolution.bases:
            wanted = self.resolution.bases[0].instrument_id
        with select.prevent(Select.Changed):
            select.set_options(options)
            if wanted is not None:
                select.value = wanted

    def field_changed(self, field: str) -> None:
        if field == "f-basis" and self.resolution is not None:
            self.query_one("#basis-view", BasisView).show(
                self.resolution, self.select_value("#f-basis")
            )


class ContentPanel(FormPanel):
    """Channel, urgency, language, measures, facts, persons, counterpart and family link."""

    def __init__(
        self,
        form: RequestForm,
        persons: list[Person],
        contacts: list[Contact],
        case_requests: list[RequestRow] | None,
    ) -> None:
        super().__init__(id="content-panel", classes="panel-group")
        self.form = form
        self.persons = persons
        self.contacts = contacts
        self.case_requests = case_requests  # None for a stored request: no family choice

    def compose(self) -> ComposeResult:
        form = self.form
        yield Label("Content", classes="section")
        with Horizontal(classes="pair"):
            yield row(
                "channel",
                "Channel",
                choice([c.value for c in Channel], form.channel, "f-channel"),
            )
            yield row(
                "urgency", "Urgency", choice([u.value for u in Urgency], form.urgency, "f-urgency")
            )
            yield ValidatedField(
                "Language required",
                form.language,
                placeholder="from the basis",
                name="language",
                id="f-language",
            )
            yield row(
                "translation",
                "Translation",
                choice(
                    [t.value for t in TranslationState], form.translation_state, "f-translation"
                ),
            )
        yield Checkbox(
            "Provisional measures asked (freezing, preserving evidence; an incoming EIO's "
            "24-hour decision, Art. 32(2), runs only when this is set)",
            form.provisional_measures,
            id="f-provisional",
        )
        yield row(
            "measures",
            "Measures requested (one per line)",
            TextArea(shown_text(form.measures), id="f-measures"),
        )
        yield row("facts", "Facts", TextArea(shown_text(form.facts), id="f-facts"))
        yield row(
            "qualification",
            "Legal qualification",
            TextArea(shown_text(form.legal_qualification), id="f-qualification"),
        )
        chosen = set(form.person_ids)
        persons = [
            (f"{p.family_name}, {p.given_names} ({p.role})", int(p.id), p.id in chosen)
            for p in self.persons
            if p.id is not None
        ]
        yield row(
            "persons",
            "Persons concerned" + ("" if persons else " (the case has none yet)"),
            SelectionList[int](*persons, id="f-persons"),
        )
        with Horizontal(classes="pair"):
            yield row(
                "counterpart",
                "Counterpart",
                Select(
                    [
                        (f"{c.name} ({c.country}, {c.organisation})", c.handle)
                        for c in self.contacts
                    ],
                    value=form.counterpart if form.counterpart else Select.NULL,
                    allow_blank=True,
                    prompt="none",
                    id="f-counterpart",
                ),
            )
            yield ValidatedField(
                "Counterpart's reference",
                form.counterpart_reference,
                name="counterpart_reference",
                id="f-counterpart-ref",
            )
        if self.case_requests is not None:
            with Horizontal(classes="pair"):
                yield row(
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
                yield row(
                    "relation", "Relation", choice(list(RELATIONS), form.relation, "f-relation")
                )

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "channel": self.select_value("#f-channel") or self.form.channel,
            "urgency": self.select_value("#f-urgency") or self.form.urgency,
            "language": self.field("#f-language"),
            "translation_state": self.select_value("#f-translation") or self.form.translation_state,
            "measures": self.text("#f-measures"),
            "facts": self.text("#f-facts"),
            "legal_qualification": self.text("#f-qualification"),
            "person_ids": tuple(sorted(self.query_one("#f-persons", SelectionList).selected)),
            "counterpart": self.select_value("#f-counterpart"),
            "counterpart_reference": self.field("#f-counterpart-ref"),
            "provisional_measures": self.query_one("#f-provisional", Checkbox).value,
        }
        if self.case_requests is not None:
            found["parent_ref"] = self.select_value("#f-parent")
            found["relation"] = self.select_value("#f-relation") or self.form.relation
        return found


DOCUMENT_LABELS = {
    "decision_kind": "Warrant or judgment",
    "decision_authority": "Authority that issued the warrant or judgment",
    "decision_date": "Date of the warrant or judgment (YYYY-MM-DD)",
    "decision_reference": "Reference of the warrant or judgment",
    "offence_time": "When the offence was committed",
    "offence_place": "Where the offence was committed",
    "provisions_text": "Text of the legal provisions (law of the requesting state)",
    "max_penalty": "Maximum penalty for the offence",
    "sentence_imposed": "Sentence imposed and remaining to be served",
    "limitation": "Limitation period, and why the offence is not time-barred",
    "in_absentia": "Whether the person appeared in person at the trial (EAW section (d))",
    "proceedings": "Subject and nature of the investigation or proceedings",
    "proceedings_authority": "Authority conducting the proceedings",
    "purpose": "Purpose of the evidence or action sought",
    "procedure": "Particular procedure or formalities to follow",
    "assurances": "Assurances given (speciality, penalties, return…)",
    "validating_authority": "Validating judicial authority (EIO section L)",
}
"""The label of each document field (services/requests.py ``DOCUMENT_FIELDS``)."""
_DECISION_ORDER = ("decision_kind", "decision_authority", "decision_date", "decision_reference")
DOCUMENT_ORDER = (
    *_DECISION_ORDER,
    *(name for name in DOCUMENT_FIELDS if name not in _DECISION_ORDER),
)
"""The section's order: the warrant or judgment first, as the documents print it."""
LONG_DOCUMENT_FIELDS = frozenset(
    {"provisions_text", "proceedings", "purpose", "procedure", "assurances", "limitation"}
)


def document_key(name: str) -> str:
    """The form key (``f-<key>``, ``row-<key>``) of document field ``name``."""
    return "doc-" + name.replace("_", "-")


class DocumentPanel(FormPanel):
    """What the instrument's request document needs beyond the facts: the warrant or judgment,
    the offence's time, place, provisions, penalty and limitation, the proceedings, purpose,
    procedure, assurances, the validating authority. Only the fields of the kind typed are
    shown; a field hidden by a change of kind keeps its text (nothing typed is lost)."""

    def __init__(self, form: RequestForm) -> None:
        super().__init__(id="document-panel", classes="panel-group")
        self.form = form

    def compose(self) -> ComposeResult:
        values = self.form.document_values()
        yield Label("Document", classes="section")
        yield Static("", id="document-note")
        for name in DOCUMENT_ORDER:
            key = document_key(name)
            label = DOCUMENT_LABELS.get(name, name.replace("_", " "))
            if name == "decision_kind":
                yield row(
                    key,
                    label,
                    Select(
                        [(k, k) for k in DECISION_KINDS],
                        value=values[name] if values[name] in DECISION_KINDS else Select.NULL,
                        allow_blank=True,
                        prompt="not stated",
                        id=f"f-{key}",
                    ),
                )
            elif name in LONG_DOCUMENT_FIELDS:
                yield row(key, label, TextArea(shown_text(values[name]), id=f"f-{key}"))
            else:
                yield ValidatedField(label, values[name], name=name, id=f"f-{key}")

    def on_mount(self) -> None:
        self.show_kind(self.form.kind)

    def show_kind(self, kind: str) -> None:
        """Show the fields the document of ``kind`` prints; hide the rest (keeping their text)."""
        wanted = set(document_fields_for(kind))
        for name in DOCUMENT_FIELDS:
            key = document_key(name)
            in_row = name == "decision_kind" or name in LONG_DOCUMENT_FIELDS
            self.query_one(f"#row-{key}" if in_row else f"#f-{key}").display = name in wanted
        self.query_one("#document-note", Static).update(
            Text(f"The fields the {kind} document prints beyond the facts.", style="dim")
        )

    def values(self) -> dict[str, Any]:
        found: dict[str, str] = {}
        for name in DOCUMENT_FIELDS:
            selector = f"#f-{document_key(name)}"
            if name == "decision_kind":
                found[name] = self.select_value(selector) or ""
            elif name in LONG_DOCUMENT_FIELDS:
                found[name] = self.text(selector)
            else:
                found[name] = self.field(selector)
        return {"document": found}


class HandlingPanel(FormPanel):
    """TLP 2.0 and the SIENA handling code, with what they mean for an export, and the request's
    effective marking: the stricter of its case's and its own (what export enforces and the
    bundle carries), recomputed as the officer changes either choice."""

    def __init__(self, form: RequestForm, case_marking: tuple[str, str] | None = None) -> None:
        super().__init__(id="handling-panel", classes="panel-group")
        self.form = form
        self.case_marking = case_marking

    def compose(self) -> ComposeResult:
        yield Label("Handling", classes="section")
        with Horizontal(classes="pair"):
            yield row("tlp", "TLP 2.0", choice([t.value for t in Tlp], self.form.tlp, "f-tlp"))
            yield row(
                "handling",
                "SIENA handling code",
                choice([h.value for h in HandlingCode], self.form.handling_code, "f-handling"),
            )
        yield Static("", id="effective-marking", markup=False)
        yield Static("", id="handling-note")

    def on_mount(self) -> None:
        self.explain()

    def effective(self) -> tuple[str, str, bool]:
        """The effective TLP and code of the form as it stands, and whether the case set them."""
        values = self.values()
        own = (values["tlp"], values["handling_code"])
        if self.case_marking is None:
            return own[0], own[1], False
        tlp = stricter_tlp(own[0], self.case_marking[0])
        code = stricter_code(own[1], self.case_marking[1])
        return tlp, code, (tlp, code) != own

    def values(self) -> dict[str, Any]:
        return {
            "tlp": self.select_value("#f-tlp") or self.form.tlp,
            "handling_code": self.select_value("#f-handling") or self.form.handling_code,
        }

    def explain(self) -> None:
        tlp, code, from_case = self.effective()
        line = Text("Effective marking: ", style="bold")
        line.append(f"TLP:{tlp} {code}")
        if from_case and self.case_marking is not None:
            line.append(
                f" (from its case, TLP:{self.case_marking[0]} {self.case_marking[1]}: a request "
                "is never less restricted than its case)",
                style="yellow",
            )
        self.query_one("#effective-marking", Static).update(line)
        self.query_one("#handling-note", Static).update(handling_explanation(tlp, code))

    def field_changed(self, field: str) -> None:
        if field in {"f-tlp", "f-handling"}:
            self.explain()


class ChecklistPanel(Vertical):
    """The completeness checklist of the form as typed, and the suggested addressee."""

    def __init__(self) -> None:
        super().__init__(id="checklist-panel", classes="panel-group")

    def compose(self) -> ComposeResult:
        yield Label("Completeness for the legal basis", classes="section")
        yield CompletenessChecklist(id="checklist")
        yield Static("", id="addressee")

    def show(self, report: CompletenessReport | None) -> None:
        checklist = self.query_one("#checklist", CompletenessChecklist)
        if report is None:
            checklist.hint("Type two different states and choose the kind to see the checklist.")
        else:
            checklist.show(report)

    def show_addressee(self, line: Text) -> None:
        self.query_one("#addressee", Static).update(line)
