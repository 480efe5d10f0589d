"""Is a request complete for its legal basis? The check behind the move to "ready" and the export.

docs/ARCHITECTURE.md lets a request become ready "only when complete for its legal basis". What "complete"
means is data, not code: each instrument of the treaty catalogue lists, per kind of request, the
content its requests must hold (EAW Art. 8(1), EIO Annex A, UNTOC Art. 18(15), Vienna Art. 7(10),
ETS 024 Art. 12(2)…); the requested state may add its own (a Spanish translation for CO, PE, EC);
and a short baseline covers what any request needs whatever its basis (a named legal basis, the
facts, the language). This module maps each item's ``check`` onto the stored request and says,
item by item, what is there and what is missing, citing the article so the officer knows why.

How the three lists combine (most specific first):

* the instrument's list for the request's kind (an EAW filed under ETS 024 uses its extradition
  list, as the resolver's kind families do);
* the requested state's items; a state's *language* item replaces the instrument's language item,
  because it is the concrete form of "a language acceptable to the requested state";
* baseline items, only for checks the two lists above do not already cover.

Items marked non-blocking (what the law asks "where possible") are reported as advice and never
stop the move to ready. What the law makes mandatory (EAW Art. 8(1)(c), ETS 024 Art. 12(2)(a) and
(c)) is blocking in the catalogue. A check the catalogue cannot make, such as the language of a
state whose language rule it does not know, is reported as *unknown* with where to look it up:
under advice, never among the satisfied items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from casecoord.domain.enums import Direction, RequestKind, TranslationState
from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Attachment, Identity, Person, Request, RequestPerson
from casecoord.services.requests import require_request
from casecoord.services.settings import read_setting
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import Catalogue, ContentCheck, ContentItem, FactStatus
from casecoord.vault.vault import UnlockedVault

RECIPROCITY_ID = "reciprocity"  # the resolver's id for "no instrument: reciprocity"
# Where the accepted languages of a Member State's authorities are published (Fiches Belges).
EJN_FICHES = "https://www.ejn-crimjust.europa.eu/ejn/EJN_FichesBelges"


@dataclass(frozen=True, slots=True)
class CheckedItem:
    """One item of required content, checked against the request.

    ``origin`` says whose list asked for it ("UNTOC", "requested state CO", "baseline") and
    ``why`` says what was found or what is lacking, in the officer's words.
    """

    id: str
    label: str
    article: str | None
    origin: str
    check: str
    blocking: bool
    certain: bool
    satisfied: bool
    why: str
    note: str | None = None
    unknown: bool = False  # the catalogue cannot tell (no language rule): never shown as a pass

    def describe(self) -> str:
        """``label (article, origin) [uncertain]: why`` on one line."""
        where = ", ".join(part for part in (self.article, self.origin) if part)
        flag = " [unknown]" if self.unknown else ("" if self.certain else " [uncertain]")
        return f"{self.label} ({where}){flag}: {self.why}"


@dataclass(frozen=True, slots=True)
class CompletenessReport:
    """What the request holds and lacks for its legal basis.

    ``missing`` blocks the move to ready; ``advice`` lists unsatisfied non-blocking items;
    ``satisfied`` is what is already there (the TUI shows it as a ticked checklist).
    """

    request_ref: str
    kind: str
    instrument_id: str | None
    instrument_title: str | None
    instrument_name: str | None
    missing: tuple[CheckedItem, ...]
    advice: tuple[CheckedItem, ...]
    satisfied: tuple[CheckedItem, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def unknown(self) -> tuple[CheckedItem, ...]:
        """Items the catalogue cannot check (listed under advice, never as satisfied)."""
        return tuple(item for item in self.advice if item.unknown)

    def summary(self) -> str:
        """One line naming the gaps (for error messages and the CLI's last line)."""
        basis = self.instrument_name or self.instrument_title or "no legal basis"
        if self.complete:
            return f"{self.request_ref} is complete for {basis}"
        gaps = "; ".join(
            f"{item.label}" + (f" ({item.article})" if item.article else "")
            for item in self.missing
        )
        return f"{self.request_ref} is not complete for {basis}: missing {gaps}"


class IncompleteRequestError(ValidationError):
    """A request lacks content its legal basis requires; ``report`` says which."""

    def __init__(self, report: CompletenessReport) -> None:
        super().__init__(
            "request",
            f"{report.summary()}. See 'casecoord request check {report.request_ref}'",
        )
        self.report = report


# -- which items apply ----------------------------------------------------------------------


def _kind_family(kind: RequestKind) -> tuple[RequestKind, ...]:
    from casecoord.treaties.resolver import KIND_FAMILIES

    return KIND_FAMILIES.get(kind, (kind,))


def required_items(
    request: Request, catalogue: Catalogue | None = None
) -> tuple[tuple[str, ContentItem], ...]:
    """The items that apply to ``request``, each with the name of the list it comes from."""
    cat = catalogue or default_catalogue()
    kind = RequestKind(request.kind)
    instrument_items: list[tuple[str, ContentItem]] = []
    if request.basis_instrument_id and request.basis_instrument_id != RECIPROCITY_ID:
        try:
            instrument = cat.instrument(request.basis_instrument_id)
        except KeyError:
            instrument = None
        if instrument is not None:
            for family_kind in _kind_family(kind):
                coverage = instrument.coverage_for(family_kind)
                if coverage is not None and coverage.required_content:
                    instrument_items = [
                        (instrument.short_name, item) for item in coverage.required_content
                    ]
                    break
    profile = cat.state(request.requested_state)
    state_items = [
        (f"requested state {request.requested_state}", item)
        for item in (profile.required_content if profile is not None else ())
        if item.applies_to(kind)
    ]
    replaced = {item.check for _, item in state_items if item.check is ContentCheck.LANGUAGE}
    chosen = [pair for pair in instrument_items if pair[1].check not in replaced]
    chosen.extend(state_items)
    covered = {item.check for _, item in chosen}
    chosen.extend(
        ("baseline", item)
        for item in cat.baseline_content
        if item.applies_to(kind) and item.check not in covered
    )
    return tuple(chosen)


# -- the checks -----------------------------------------------------------------------------


def _filled(text: str | None) -> bool:
    return bool((text or "").strip())


def _identified(person: Person) -> bool:
    return bool(person.nationality) and (person.birth_date is not None or bool(person.documents))


def _accepted_languages(
    item: ContentItem, request: Request, catalogue: Catalogue
) -> tuple[tuple[str, ...], str | None]:
    """The languages the requested state accepts, and what the catalogue says of its rule."""
    if item.languages:
        return item.languages, None
    from casecoord.treaties.languages import language_for

    instrument = request.basis_instrument_id
    if instrument is not None and instrument != RECIPROCITY_ID:
        try:
            catalogue.instrument(instrument)
        except KeyError:
            instrument = None
    else:
        instrument = None
    answer = language_for(request.requested_state, request.kind, instrument, catalogue)
    return answer.languages, answer.text


def _evaluate(
    item: ContentItem,
    request: Request,
    persons: Sequence[Person],
    attachments: Sequence[Attachment],
    sender: str | None,
    catalogue: Catalogue,
) -> tuple[bool, str]:
    check = item.check
    if check is ContentCheck.FACTS:
        return (True, "facts given") if _filled(request.facts) else (False, "the facts are empty")
    if check is ContentCheck.LEGAL_QUALIFICATION:
        if _filled(request.legal_qualification):
            return True, "legal qualification given"
        return False, "the legal qualification is empty"
    if check is ContentCheck.MEASURES:
        if any(_filled(m) for m in request.measures):
            return True, f"{len(request.measures)} measure(s) named"
        return False, "no measure is named"
    if check is ContentCheck.PERSONS:
        if persons:
            return True, f"{len(persons)} person(s) linked"
        return False, "no person of the case is linked to the request"
    if check is ContentCheck.PERSON_IDENTITY:
        if not persons:
            return False, "no person of the case is linked to the request"
        lacking = [p for p in persons if not _identified(p)]
        if lacking:
            names = ", ".join(f"{p.given_names} {p.family_name}".strip() for p in lacking)
            return False, f"nationality and birth date or identity document lacking for {names}"
        return True, f"{len(persons)} person(s) identified"
    if check is ContentCheck.REQUESTING_AUTHORITY:
        if request.direction == Direction.INCOMING.value:
            if request.counterpart_id is not None:
                return True, "the requesting counterpart is recorded"
            return False, "no counterpart (requesting authority) is recorded"
        if _filled(sender):
            return True, f"sent by {sender}"
        return (
            False,
            "your name and authority are not set (casecoord settings officer.name '…')",
        )
    if check is ContentCheck.LANGUAGE:
        state = request.translation_state
        if state in (TranslationState.NEEDED.value, TranslationState.ORDERED.value):
            return False, f"the translation into {request.language} is {state}, not done"
        accepted, rule_text = _accepted_languages(item, request, catalogue)
        if not accepted:
            said = f" ({rule_text})" if rule_text else ""
            return False, (
                f"unknown: the catalogue lists no accepted language for "
                f"{request.requested_state}{said}; check the EJN fiche ({EJN_FICHES}) "
                "or ask its central authority"
            )
        if request.language in accepted:
            return free_text_language(request)
        if state == TranslationState.DONE.value:
            return True, "translation done"
        return False, (
            f"the request is in {request.language}; {request.requested_state} accepts "
            f"{', '.join(accepted)} (set the language, or record the translation as done)"
        )
    if check is ContentCheck.LEGAL_BASIS:
        if not request.basis_instrument_id:
            return False, "no legal basis is chosen"
        if request.basis_instrument_id == RECIPROCITY_ID:
            return True, "reciprocity (no instrument to cite)"
        if _filled(request.basis_articles):
            return (
                True,
                f"{request.basis_title or request.basis_instrument_id}, {request.basis_articles}",
            )
        return (
            False,
            f"{request.basis_title or request.basis_instrument_id} is named without articles",
        )
    if check is ContentCheck.ATTACHMENT:
        for attachment in attachments:
            name = attachment.name.lower()
            if any(word in name for word in item.name_contains):
                return True, f"attached: {attachment.name}"
        return False, f"no attachment named like {', '.join(item.name_contains[:4])}…"
    raise AssertionError(f"unhandled content check {check}")  # pragma: no cover


# -- the language of the free text ------------------------------------------------------------

_PROSE_FIELDS = (
    ("facts", "facts"),
    ("legal_qualification", "legal qualification"),
    ("offence_time", "time of the offence"),
    ("provisions_text", "text of the provisions"),
    ("max_penalty", "maximum penalty"),
    ("sentence_imposed", "sentence imposed"),
    ("limitation", "limitation"),
    ("in_absentia", "appearance at the trial"),
    ("proceedings", "proceedings"),
    ("purpose", "purpose"),
    ("procedure", "procedure"),
    ("assurances", "assurances"),
)
"""Free-text fields whose language is checked (names and references are not prose)."""

_MIN_LETTERS = 40  # shorter text (an article number, a place) cannot be told apart reliably
_MIN_CONFIDENCE = 0.9
_DETECTABLE = ("en", "es", "nl", "pt", "fr", "de", "it")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_DETECTABLE))
    return identifier


def text_language(text: str) -> str | None:
    """The language of ``text`` (ISO 639-1) when it is long enough to tell, else None."""
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(text)
    return str(language) if confidence >= _MIN_CONFIDENCE else None


def free_text_language(request: Request) -> tuple[bool, str]:
    """Is the request's free text in its language (``request.language``)?

    The language tag alone says nothing about the text the officer typed: facts written in
    English under a Spanish tag would give the requested state a Spanish frame around English.
    Each prose field long enough to judge is identified (py3langid); measures that are
    vocabulary keys are translated by the document and are not checked. A translation recorded
    as done is trusted: the officer attaches or pastes the translated text.
    """
    from casecoord.bundle.vocabulary import vocabulary

    if request.translation_state == TranslationState.DONE.value:
        return True, f"translation into {request.language} done"
    texts = [(label, str(getattr(request, name) or "")) for name, label in _PROSE_FIELDS]
    terms = vocabulary("en").group("measures")
    texts += [("a measure", m) for m in request.measures if m not in terms]
    wrong: dict[str, list[str]] = {}
    for label, text in texts:
        found = text_language(text)
        if found is not None and found != request.language:
            wrong.setdefault(found, []).append(label)
    if not wrong:
        return True, f"in {request.language} (free text checked)"
    said = "; ".join(f"{', '.join(labels)} in {lang}" for lang, labels in sorted(wrong.items()))
    return False, (
        f"the document is in {request.language} but {said}: translate them, or record the "
        "translation as done"
    )


def assess(
    request: Request,
    persons: Sequence[Person],
    attachments: Sequence[Attachment],
    sender: str | None = None,
    catalogue: Catalogue | None = None,
) -> CompletenessReport:
    """Check ``request`` against its required content; pure (no vault), so the TUI can call it
    on an unsaved form and tests need no database.

    ``persons`` and ``attachments`` are the request's own (the caller filters them to the
    request's case); ``sender`` names the officer's authority for outgoing requests.
    """
    cat = catalogue or default_catalogue()
    missing: list[CheckedItem] = []
    advice: list[CheckedItem] = []
    satisfied: list[CheckedItem] = []
    for origin, item in required_items(request, cat):
        ok, why = _evaluate(item, request, persons, attachments, sender, cat)
        unknown = not ok and why.startswith("unknown:")
        checked = CheckedItem(
            id=item.id,
            label=item.label,
            article=item.article,
            origin=origin,
            check=item.check.value,
            blocking=item.blocking,
            certain=item.status is FactStatus.CONFIRMED,
            satisfied=ok,
            why=why,
            note=item.note,
            unknown=unknown,
        )
        if ok:
            satisfied.append(checked)
        elif item.blocking and not unknown:
            missing.append(checked)
        else:
            advice.append(checked)
    title = request.basis_title
    name: str | None = None
    if request.basis_instrument_id == RECIPROCITY_ID:
        title = name = title or "reciprocity"
    elif request.basis_instrument_id:
        try:
            name = cat.instrument(request.basis_instrument_id).short_name
        except KeyError:
            name = request.basis_instrument_id
    return CompletenessReport(
        request_ref=request.reference,
        kind=request.kind,
        instrument_id=request.basis_instrument_id,
        instrument_title=title,
        instrument_name=name,
        missing=tuple(missing),
        advice=tuple(advice),
        satisfied=tuple(satisfied),
    )


# -- against the vault ----------------------------------------------------------------------


def request_persons(session: Session, request: Request) -> list[Person]:
    """The persons linked to the request, never one of another case."""
    return list(
        session.exec(
            select(Person)
            .join(RequestPerson, col(RequestPerson.person_id) == col(Person.id))
            .where(RequestPerson.request_id == request.id, Person.case_id == request.case_id)
            .order_by(col(Person.id))
        )
    )


def request_attachments(session: Session, request: Request) -> list[Attachment]:
    """The request's attachments, never one of another case."""
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.request_id == request.id, Attachment.case_id == request.case_id)
            .order_by(col(Attachment.id))
        )
    )


def sender_of(session: Session) -> str | None:
    """The officer's name (settings) or, failing that, the first identity's name and office."""
    name = read_setting(session, "officer.name").strip()
    if name:
        return name
    identity = session.exec(select(Identity).order_by(col(Identity.id))).first()
    if identity is not None:
        return f"{identity.name}, {identity.organisation}".strip(", ")
    return None


def assess_in_session(session: Session, request: Request) -> CompletenessReport:
    return assess(
        request,
        request_persons(session, request),
        request_attachments(session, request),
        sender_of(session),
    )


def require_complete(session: Session, request: Request) -> CompletenessReport:
    """Raise :class:`IncompleteRequestError` naming the gaps; used before "ready" and export."""
    report = assess_in_session(session, request)
    if not report.complete:
        raise IncompleteRequestError(report)
    return report


def check_request(vault: UnlockedVault, ref: str) -> CompletenessReport:
    """The completeness report of request ``ref`` (read-only)."""
    with vault.session() as session:
        return assess_in_session(session, require_request(session, ref))
