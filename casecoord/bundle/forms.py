"""What each kind of request document says, section by section, in the letter's language.

A request document is a list of :class:`Block` values built here from the request.json document
and a :class:`~casecoord.bundle.vocabulary.Vocabulary`; ``letter.py`` only lays them out. Each kind
carries the content its instrument requires (``sources.json`` names the articles and annexes):

* mutual legal assistance (and freezing, confiscation, transfer of proceedings, JIT requests): the
  items (a)-(f) of Vienna 1988 Art. 7(10), UNTOC Art. 18(15) and UNCAC Art. 46(15), each heading
  citing its item when the request rests on one of those conventions;
* extradition (ETS 024 Art. 12(2), UNTOC Art. 16): the warrant or judgment with issuing authority,
  date and reference; the offence with time and place; the legal qualification and the text of the
  provisions; maximum penalty or sentence imposed; limitation; identity, nationality and
  whereabouts of the person; assurances;
* provisional arrest (ETS 024 Art. 16(2)): the same, announcing the extradition request to follow;
* the European arrest warrant laid out as the Annex to Framework Decision 2002/584/JHA, sections
  (a)-(i), and the European Investigation Order as Annex A to Directive 2014/41/EU, sections A-L.

request.json version 1 documents (without the fields of version 2) render too: what they lack is
printed as "not stated", never invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casecoord.bundle.vocabulary import Vocabulary, sources

EAW_SECTIONS = ("a", "b", "c", "d", "e", "f", "g", "h", "i")
EIO_SECTIONS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L")
MLA_LIKE = ("mla", "freezing", "confiscation", "transfer-of-proceedings", "jit")
_PROPERTY_MEASURES = {"search-seizure", "freezing"}


@dataclass(frozen=True)
class Block:
    """One piece of a document: ``kind`` is heading, text, field, small or keep (the closing,
    which the layout keeps on one page with the signature block that follows it)."""

    kind: str
    text: str
    label: str = ""
    bold: bool = False
    lines: tuple[str, ...] = field(default_factory=tuple)


def _s(value: object) -> str:
    return "" if value is None else str(value).strip()


class _Builder:
    def __init__(self, doc: Mapping[str, Any], words: Vocabulary, country: Any) -> None:
        self.doc = doc
        self.request: Mapping[str, Any] = doc["request"]
        self.words = words
        self.country = country
        self.blocks: list[Block] = []
        self.number = 0

    # -- primitives ---------------------------------------------------------------------------

    def heading(self, title: str, article: str | None = None) -> None:
        self.number += 1
        suffix = f" ({article})" if article else ""
        self.blocks.append(Block("heading", f"{self.number}. {title}{suffix}"))

    def letter_heading(self, letter: str, title: str, *, section: bool = False) -> None:
        if section:
            text = f"{self.words.phrase('section')} {letter}: {title}"
        else:
            text = f"({letter}) {title}"
        self.blocks.append(Block("heading", text))

    def text(self, value: str, bold: bool = False) -> None:
        if value:
            self.blocks.append(Block("text", value, bold=bold))

    def field(self, label: str, value: str) -> None:
        self.blocks.append(Block("field", value or self.words.phrase("not_stated"), label=label))

    def optional_field(self, label: str, value: str) -> None:
        if value:
            self.field(label, value)

    def or_not_stated(self, value: str) -> None:
        self.text(value or self.words.phrase("not_stated"))

    def or_not_applicable(self, value: str) -> None:
        self.text(value or self.words.phrase("not_applicable"))

    def get(self, key: str) -> str:
        return _s(self.request.get(key))

    def part(self, group: str, key: str) -> str:
        value = self.request.get(group)
        return _s(value.get(key)) if isinstance(value, Mapping) else ""

    # -- shared pieces ------------------------------------------------------------------------

    def requesting_authority(self) -> str:
        return self.get("requesting_authority") or _s(self.doc["sender"]["organisation"])

    def states(self) -> tuple[str, str]:
        return (
            self.country(self.get("requesting_state"), self.words.language),
            self.country(self.get("requested_state"), self.words.language),
        )

    def letterhead(self) -> None:
        words = self.words
        requesting, requested = self.states()
        self.field(words.phrase("from"), f"{self.requesting_authority()} ({requesting})")
        authority = self.get("requested_authority")
        self.field(words.phrase("to"), f"{authority} ({requested})" if authority else requested)
        self.field(words.phrase("date"), words.date(_s(self.doc["created_at"])))
        self.field(words.phrase("our_ref"), self.get("reference"))
        self.field(words.phrase("your_ref"), self.get("counterpart_reference"))
        case = self.doc["case"]
        self.field(words.phrase("case"), f"{case['reference']} – {case['title']}")
        self.blocks.append(Block("gap", ""))

    def title(self) -> None:
        words = self.words
        self.blocks.append(Block("title", words.term("titles", self.get("kind"))))
        urgency = words.term("urgency", self.get("urgency"))
        if urgency:
            reason = self.get("urgency_reason")
            self.text(f"{urgency}: {reason}" if reason else urgency, bold=True)
        if self.get("respond_by"):
            self.text(f"{words.phrase('respond_by')}: {words.date(self.get('respond_by'))}")

    def legal_basis(self) -> None:
        basis = self.request["legal_basis"]
        words = self.words
        title = words.instrument_title(_s(basis.get("instrument_id")), _s(basis.get("title")))
        text = title.text
        if not title.official:
            text = f"{text} ({words.phrase('title_in_english')})"
        self.text(text, bold=True)
        if basis.get("articles"):
            self.text(f"{words.phrase('articles')}: {', '.join(basis['articles'])}")
        if basis.get("override_reason"):
            self.text(f"{words.phrase('override')}: {basis['override_reason']}")

    def person_lines(self, person: Mapping[str, Any]) -> None:
        words = self.words
        role = words.term("roles", _s(person.get("role")))
        name = f"{_s(person['family_name']).upper()}, {_s(person.get('given_names'))}".strip(", ")
        self.text(f"{role}: {name}", bold=True)
        details: list[str] = []
        if person.get("birth_date") or person.get("birth_place"):
            place = f", {person['birth_place']}" if person.get("birth_place") else ""
            details.append(f"{words.phrase('born')} {words.date(person.get('birth_date'))}{place}")
        nationality = [self.country(c, words.language) for c in person.get("nationality") or []]
        if nationality:
            details.append(f"{words.phrase('nationality')}: {', '.join(nationality)}")
        if person.get("aliases"):
            details.append(f"{words.phrase('aliases')}: {', '.join(person['aliases'])}")
        documents = [
            f"{words.term('document_types', _s(d.get('type')))} {_s(d.get('number'))}"
            + (
                f" ({self.country(d['issuing_country'], words.language)})"
                if d.get("issuing_country")
                else ""
            )
            for d in person.get("documents") or []
        ]
        if documents:
            details.append(f"{words.phrase('documents')}: {'; '.join(documents)}")
        details.append(
            f"{words.phrase('whereabouts')}: {_s(person.get('whereabouts')) or words.phrase('not_stated')}"
        )
        self.text("; ".join(details))

    def persons(self, only_sought: bool = False) -> None:
        people: Sequence[Mapping[str, Any]] = self.request.get("persons") or []
        if only_sought:
            people = [p for p in people if p.get("role") == "suspect"] or list(people)
        if not people:
            self.text(self.words.phrase("none"))
        for person in people:
            self.person_lines(person)

    def offence_categories(self) -> None:
        offences = self.request.get("offences") or []
        if offences:
            names = [self.words.term("offences", str(o)) for o in offences]
            self.text(f"{self.words.phrase('offences')}: {'; '.join(names)}")

    def measures(self, prefix: str = "") -> None:
        measures = self.request.get("measures") or []
        for index, measure in enumerate(measures, start=1):
            label = f"{prefix}{index}" if prefix else f"{index}."
            self.text(f"{label}  {self.words.term('measures', str(measure))}")

    def time_and_place(self) -> None:
        self.optional_field(self.words.phrase("offence_time"), self.part("offence", "time"))
        self.optional_field(self.words.phrase("offence_place"), self.part("offence", "place"))

    def provisions(self) -> None:
        text = self.part("offence", "provisions_text")
        if text:
            self.text(f"{self.words.phrase('provisions')}:", bold=True)
            self.text(text)

    def decision(self) -> None:
        words = self.words
        kind = self.part("decision", "kind")
        self.field(
            words.phrase("decision_kind"), words.term("decision_kinds", kind) if kind else ""
        )
        self.field(words.phrase("decision_authority"), self.part("decision", "authority"))
        date = self.part("decision", "date")
        self.field(words.phrase("decision_date"), words.date(date) if date else "")
        self.field(words.phrase("decision_reference"), self.part("decision", "reference"))

    def penalty(self) -> None:
        words = self.words
        self.field(words.phrase("max_penalty"), self.part("offence", "max_penalty"))
        self.field(
            words.phrase("sentence_imposed"),
            self.part("offence", "sentence_imposed") or words.phrase("not_applicable"),
        )

    def attachments(self) -> None:
        attachments = self.doc.get("attachments") or []
        if not attachments:
            self.text(self.words.phrase("none"))
        for item in attachments:
            self.text(f"{item['name']} ({item['size']} {self.words.phrase('bytes')})")
            self.blocks.append(Block("small", f"SHA-256 {item['sha256']}"))

    def contact(self) -> None:
        sender = self.doc["sender"]
        contact = [_s(sender["name"]), _s(sender["organisation"])]
        contact += [_s(sender[k]) for k in ("email", "phone") if sender.get(k)]
        self.text(" · ".join(contact))
        channel = self.words.term("channels", self.get("channel"))
        self.text(f"{self.words.phrase('channel')}: {channel}")

    def closing(self, signer_fingerprint: str | None, form: str | None = None) -> None:
        """The last paragraph and the signature block: one ``keep`` block, never split."""
        words = self.words
        sender = self.doc["sender"]
        lines = [f"**{_s(sender['name'])}"]
        if sender.get("role"):
            lines.append(_s(sender["role"]))
        country = self.country(_s(sender["country"]), words.language)
        lines.append(f"{_s(sender['organisation'])} ({country})")
        lines.append(words.date(_s(self.doc["created_at"])))
        if form:
            lines.append(f"~{words.group(form)['signature']}")
        lines.append(f"~{words.phrase('signed')}")
        if signer_fingerprint:
            lines.append(f"~{words.phrase('fingerprint')}: {signer_fingerprint}")
        self.blocks.append(Block("keep", words.phrase("closing"), lines=tuple(lines)))


def _mla_article(builder: _Builder) -> str | None:
    instrument = _s(builder.request["legal_basis"].get("instrument_id"))
    return sources()["forms"]["mla"]["articles"].get(instrument)  # type: ignore[no-any-return]


def _mla(b: _Builder, signer: str | None) -> None:
    words = b.words
    requesting, requested = b.states()
    b.letterhead()
    b.title()
    b.text(
        words.phrase(
            "opening_mla", authority=b.requesting_authority(), state=requesting, requested=requested
        )
    )
    article = _mla_article(b)

    def item(letter: str) -> str | None:
        return f"{article}({letter})" if article else None

    b.heading(words.group("sections")["legal_basis"])
    b.legal_basis()
    b.heading(words.group("sections")["requesting_authority"], item("a"))
    b.text(b.requesting_authority())
    b.heading(words.group("sections")["proceedings"], item("b"))
    b.or_not_stated(b.part("proceedings", "description"))
    b.optional_field(words.phrase("proceedings_authority"), b.part("proceedings", "authority"))
    b.heading(words.group("sections")["facts"], item("c"))
    b.text(b.get("facts"))
    b.time_and_place()
    b.heading(words.group("sections")["qualification"])
    b.text(b.get("legal_qualification"))
    b.provisions()
    b.offence_categories()
    b.heading(words.group("sections")["assistance"], item("d"))
    b.measures()
    b.optional_field(words.phrase("procedure"), b.get("procedure"))
    b.heading(words.group("sections")["persons"], item("e"))
    b.persons()
    b.heading(words.group("sections")["purpose"], item("f"))
    b.or_not_stated(b.get("purpose"))
    b.heading(words.group("sections")["attachments"])
    b.attachments()
    b.heading(words.group("sections")["contact"])
    b.contact()
    b.closing(signer)


def _extradition(b: _Builder, signer: str | None, provisional: bool) -> None:
    words = b.words
    sections = words.group("sections")
    requesting, requested = b.states()
    b.letterhead()
    b.title()
    opening = "opening_provisional_arrest" if provisional else "opening_extradition"
    b.text(
        words.phrase(
            opening, authority=b.requesting_authority(), state=requesting, requested=requested
        )
    )
    b.heading(sections["legal_basis"])
    b.legal_basis()
    b.heading(sections["person_sought"])
    b.persons(only_sought=True)
    b.heading(sections["decision"])
    b.decision()
    b.heading(sections["offence"])
    b.text(b.get("facts"))
    b.field(words.phrase("offence_time"), b.part("offence", "time"))
    b.field(words.phrase("offence_place"), b.part("offence", "place"))
    b.heading(sections["qualification_provisions"])
    b.text(b.get("legal_qualification"))
    b.offence_categories()
    if provisional:
        b.provisions()
    else:
        b.text(f"{words.phrase('provisions')}:", bold=True)
        b.or_not_stated(b.part("offence", "provisions_text"))
    b.heading(sections["penalty"])
    b.penalty()
    if not provisional or b.part("offence", "limitation"):
        b.heading(sections["limitation"])
        b.or_not_stated(b.part("offence", "limitation"))
    if not provisional or b.get("assurances"):
        b.heading(sections["assurances"])
        b.or_not_stated(b.get("assurances"))
    b.heading(sections["request"])
    b.measures()
    b.heading(sections["attachments"])
    b.attachments()
    b.heading(sections["contact"])
    b.contact()
    b.closing(signer)


def _eaw(b: _Builder, signer: str | None) -> None:
    words = b.words
    form = words.group("eaw")
    headings: Mapping[str, str] = form["sections"]  # type: ignore[assignment]
    b.blocks.append(Block("title", words.term("titles", "eaw")))
    b.text(str(form["certification"]))
    b.field(words.phrase("our_ref"), b.get("reference"))
    b.field(words.phrase("your_ref"), b.get("counterpart_reference"))
    b.letter_heading("a", headings["a"])
    b.persons(only_sought=True)
    b.letter_heading("b", headings["b"])
    b.decision()
    b.letter_heading("c", headings["c"])
    b.penalty()
    b.letter_heading("d", headings["d"])
    if b.part("decision", "kind") == "judgment":
        b.or_not_stated(b.part("offence", "in_absentia"))
    else:
        b.or_not_applicable(b.part("offence", "in_absentia"))
    b.letter_heading("e", headings["e"])
    offences = b.request.get("offences") or []
    b.text(words.phrase("offence_count", n=max(1, len(offences))))
    b.text(b.get("facts"))
    b.time_and_place()
    b.text(b.get("legal_qualification"))
    b.provisions()
    b.text(f"I. {words.phrase('list_offences')}:", bold=True)
    if offences:
        for key in offences:
            b.text(f"[x] {words.term('offences', str(key))}")
    else:
        b.text(words.phrase("none"))
    b.text(f"II. {words.phrase('other_offences')}:", bold=True)
    b.text(b.get("legal_qualification") if not offences else words.phrase("not_applicable"))
    b.letter_heading("f", headings["f"])
    other = [
        text
        for text in (
            f"{words.group('sections')['limitation']}: {b.part('offence', 'limitation')}"
            if b.part("offence", "limitation")
            else "",
            f"{words.group('sections')['assurances']}: {b.get('assurances')}"
            if b.get("assurances")
            else "",
        )
        if text
    ]
    b.or_not_stated("\n".join(other))
    b.letter_heading("g", headings["g"])
    property_measures = [m for m in b.request.get("measures") or [] if str(m) in _PROPERTY_MEASURES]
    if property_measures:
        for measure in property_measures:
            b.text(words.term("measures", str(measure)))
    else:
        b.text(words.phrase("not_applicable"))
    b.letter_heading("h", headings["h"])
    b.text(words.phrase("not_stated"))
    b.letter_heading("i", headings["i"])
    sender = b.doc["sender"]
    b.field(
        words.phrase("organisation"), b.part("decision", "authority") or b.requesting_authority()
    )
    role = f", {_s(sender['role'])}" if sender.get("role") else ""
    b.field(words.phrase("name"), f"{_s(sender['name'])}{role}")
    b.field(
        words.phrase("decision_reference"), b.part("decision", "reference") or b.get("reference")
    )
    contact = " · ".join(_s(sender[k]) for k in ("email", "phone") if sender.get(k))
    b.optional_field(words.phrase("contact"), contact)
    b.blocks.append(Block("heading", words.group("sections")["attachments"]))
    b.attachments()
    b.closing(signer, form="eaw")


def _eio(b: _Builder, signer: str | None) -> None:
    words = b.words
    form = words.group("eio")
    headings: Mapping[str, str] = form["sections"]  # type: ignore[assignment]
    requesting, requested = b.states()
    b.blocks.append(Block("title", words.term("titles", "eio")))
    b.text(str(form["certification"]))
    b.field(words.phrase("our_ref"), b.get("reference"))
    b.field(words.phrase("your_ref"), b.get("counterpart_reference"))
    b.letter_heading("A", headings["A"], section=True)
    b.field(words.phrase("issuing_state"), requesting)
    b.field(words.phrase("executing_state"), requested)
    b.letter_heading("B", headings["B"], section=True)
    urgency = words.term("urgency", b.get("urgency"))
    reason = b.get("urgency_reason")
    b.or_not_applicable(f"{urgency}: {reason}" if urgency and reason else urgency)
    if b.get("respond_by"):
        b.text(f"{words.phrase('respond_by')}: {words.date(b.get('respond_by'))}")
    b.letter_heading("C", headings["C"], section=True)
    b.measures(prefix="C.")
    b.letter_heading("D", headings["D"], section=True)
    b.or_not_applicable(b.get("related_reference"))
    b.letter_heading("E", headings["E"], section=True)
    b.persons()
    b.letter_heading("F", headings["F"], section=True)
    b.or_not_stated(b.part("proceedings", "description"))
    b.optional_field(words.phrase("proceedings_authority"), b.part("proceedings", "authority"))
    b.letter_heading("G", headings["G"], section=True)
    b.text(b.get("facts"))
    b.time_and_place()
    b.text(b.get("legal_qualification"))
    b.provisions()
    b.offence_categories()
    b.letter_heading("H", headings["H"], section=True)
    b.or_not_applicable(b.get("purpose"))
    b.letter_heading("I", headings["I"], section=True)
    b.or_not_applicable(b.get("procedure"))
    b.letter_heading("J", headings["J"], section=True)
    b.text(words.phrase("not_stated"))
    b.letter_heading("K", headings["K"], section=True)
    sender = b.doc["sender"]
    b.field(words.phrase("organisation"), b.requesting_authority())
    b.field(words.phrase("name"), _s(sender["name"]))
    contact = " · ".join(_s(sender[k]) for k in ("email", "phone") if sender.get(k))
    b.optional_field(words.phrase("contact"), contact)
    b.letter_heading("L", headings["L"], section=True)
    b.or_not_applicable(b.get("validating_authority"))
    b.blocks.append(Block("heading", words.group("sections")["attachments"]))
    b.attachments()
    b.closing(signer, form="eio")


def build_blocks(
    doc: Mapping[str, Any], words: Vocabulary, country: Any, signer_fingerprint: str | None
) -> list[Block]:
    """The document for ``doc`` in ``words``' language, as blocks for the layout.

    ``country(code, language)`` names a country in a language (the letter passes its
    pycountry-backed helper).
    """
    builder = _Builder(doc, words, country)
    kind = str(doc["request"]["kind"])
    if kind == "eaw":
        _eaw(builder, signer_fingerprint)
    elif kind == "eio":
        _eio(builder, signer_fingerprint)
    elif kind in ("extradition", "provisional-arrest"):
        _extradition(builder, signer_fingerprint, provisional=kind == "provisional-arrest")
    else:
        _mla(builder, signer_fingerprint)
    return builder.blocks
