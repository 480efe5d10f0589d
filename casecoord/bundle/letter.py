"""The formal request letter (request.pdf), rendered from the same document as request.json.

The letter is what the requested state's authorities file and read; request.json is what their
software imports. Both come from one dict so they cannot disagree. Text is set in DejaVu Sans,
embedded from ``casecoord/bundle/fonts`` (see the LICENSE there), because names in these cases
are Turkish, Spanish, Polish, German... and the PDF core fonts only cover Latin-1.

The handling marking (TLP, handling code, grading) is repeated in the header and footer of every
page, as handling rules require for each page that may be separated from the rest. Output is
deterministic for a given document: the PDF creation date is the request's ``created_at``.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from casecoord.bundle.errors import LetterError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
SUPPORTED_LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class _Words:
    """Every fixed phrase of the letter in one language."""

    titles: Mapping[str, str]
    months: Sequence[str]
    date_format: str
    marking: str
    page: str
    from_: str
    to: str
    date: str
    our_ref: str
    your_ref: str
    case: str
    urgency: Mapping[str, str]
    respond_by: str
    sections: Sequence[str]
    override: str
    articles: str
    roles: Mapping[str, str]
    born: str
    nationality: str
    aliases: str
    documents: str
    offences: str
    channels: Mapping[str, str]
    channel: str
    attachments_none: str
    opening: str
    closing: str
    signed: str
    fingerprint: str
    not_stated: str


_EN = _Words(
    titles={
        "mla": "Request for mutual legal assistance in criminal matters",
        "extradition": "Request for extradition",
        "provisional-arrest": "Request for provisional arrest with a view to extradition",
        "eio": "European Investigation Order",
        "eaw": "European Arrest Warrant",
        "freezing": "Request for freezing of property",
        "confiscation": "Request for confiscation of property",
        "transfer-of-proceedings": "Request for transfer of criminal proceedings",
        "jit": "Request to set up a joint investigation team",
    },
    months=[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date_format="{d} {m} {y}",
    marking="TLP:{tlp} · Handling code {code}{grading}",
    page="Page {n} of {nb}",
    from_="From",
    to="To",
    date="Date",
    our_ref="Our reference",
    your_ref="Your reference",
    case="Case",
    urgency={"normal": "", "urgent": "URGENT", "very-urgent": "VERY URGENT"},
    respond_by="Reply requested by",
    sections=[
        "Legal basis",
        "Persons concerned",
        "Summary of the facts",
        "Legal qualification",
        "Measures requested",
        "Attachments",
        "Contact",
    ],
    override="Basis chosen by the requesting authority",
    articles="Articles",
    roles={"suspect": "Suspect", "witness": "Witness", "victim": "Victim", "other": "Other"},
    born="born",
    nationality="nationality",
    aliases="also known as",
    documents="documents",
    offences="Offence categories",
    channels={
        "central-authority": "central authority",
        "diplomatic": "diplomatic channel",
        "direct-judicial": "direct judicial contact",
        "interpol": "Interpol",
        "eurojust": "Eurojust",
    },
    channel="Transmitted via",
    attachments_none="None.",
    opening="The {authority} of {state} presents its compliments and respectfully requests the "
    "assistance of the competent authorities of {requested} as set out below.",
    closing="We thank you in advance for your assistance and remain at your disposal for any "
    "further information.",
    signed="Signed electronically; the signature covers this letter and every attachment.",
    fingerprint="Certificate fingerprint (SHA-256)",
    not_stated="not stated",
)

_ES = _Words(
    titles={
        "mla": "Solicitud de asistencia judicial mutua en materia penal",
        "extradition": "Solicitud de extradición",
        "provisional-arrest": "Solicitud de detención preventiva con fines de extradición",
        "eio": "Orden europea de investigación",
        "eaw": "Orden de detención europea",
        "freezing": "Solicitud de embargo preventivo de bienes",
        "confiscation": "Solicitud de decomiso de bienes",
        "transfer-of-proceedings": "Solicitud de remisión de procedimiento penal",
        "jit": "Solicitud de creación de un equipo conjunto de investigación",
    },
    months=[
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date_format="{d} de {m} de {y}",
    marking="TLP:{tlp} · Código de tratamiento {code}{grading}",
    page="Página {n} de {nb}",
    from_="De",
    to="A",
    date="Fecha",
    our_ref="Nuestra referencia",
    your_ref="Su referencia",
    case="Caso",
    urgency={"normal": "", "urgent": "URGENTE", "very-urgent": "MUY URGENTE"},
    respond_by="Se ruega respuesta antes del",
    sections=[
        "Fundamento jurídico",
        "Personas afectadas",
        "Resumen de los hechos",
        "Calificación jurídica",
        "Medidas solicitadas",
        "Anexos",
        "Contacto",
    ],
    override="Fundamento elegido por la autoridad requirente",
    articles="Artículos",
    roles={"suspect": "Sospechoso/a", "witness": "Testigo", "victim": "Víctima", "other": "Otro/a"},
    born="nacido/a el",
    nationality="nacionalidad",
    aliases="alias",
    documents="documentos",
    offences="Categorías de delito",
    channels={
        "central-authority": "autoridad central",
        "diplomatic": "vía diplomática",
        "direct-judicial": "contacto judicial directo",
        "interpol": "Interpol",
        "eurojust": "Eurojust",
    },
    channel="Transmitida por",
    attachments_none="Ninguno.",
    opening="La autoridad {authority} de {state} saluda atentamente y solicita respetuosamente "
    "la asistencia de las autoridades competentes de {requested} en los términos siguientes.",
    closing="Agradecemos de antemano su colaboración y quedamos a su disposición para cualquier "
    "información adicional.",
    signed="Firmado electrónicamente; la firma cubre esta carta y todos los anexos.",
    fingerprint="Huella del certificado (SHA-256)",
    not_stated="no consta",
)

_WORDS = {"en": _EN, "es": _ES}


def letter_language(required: str | None) -> str:
    """The letter language to use for a requested state needing ``required`` (ISO 639-1).

    Falls back to English when no template exists; the service should then mark the request as
    needing translation.
    """
    return required if required in _WORDS else "en"


def _country(code: str, language: str) -> str:
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return code
        name = str(getattr(country, "common_name", None) or country.name)
        if language == "en":
            return name
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        return translation.gettext(str(country.name))
    except (ImportError, OSError):
        return code


def _date(value: str | None, words: _Words) -> str:
    if not value:
        return words.not_stated
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return words.date_format.format(d=day.day, m=words.months[day.month - 1], y=day.year)


class _LetterPdf(FPDF):
    def __init__(self, marking: str, page_label: str, reference: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.marking = marking
        self.page_label = page_label
        self.reference = reference
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(auto=True, margin=22)

    def header(self) -> None:
        self.set_font(FONT_FAMILY, "B", 9)
        self.cell(0, 5, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        self.cell(0, 4, self.reference, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT_FAMILY, "B", 9)
        self.cell(0, 5, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        label = self.page_label.format(n=self.page_no(), nb=self.str_alias_nb_pages)
        self.cell(0, 4, label, align="C")


class _Writer:
    """Lays out the letter's blocks; one method per block keeps the order readable."""

    def __init__(self, pdf: _LetterPdf, words: _Words) -> None:
        self.pdf = pdf
        self.words = words

    def text(self, value: str, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        self.pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(gap)

    def field(self, label: str, value: str) -> None:
        self.pdf.set_font(FONT_FAMILY, "B", 10)
        self.pdf.cell(42, 5, f"{label}:")
        self.pdf.set_font(FONT_FAMILY, "", 10)
        self.pdf.multi_cell(0, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def section(self, number: int, title: str) -> None:
        self.pdf.ln(2)
        self.text(f"{number}. {title}", size=11, bold=True, gap=1)


def _persons(out: _Writer, persons: Sequence[Mapping[str, Any]], words: _Words) -> None:
    if not persons:
        out.text(words.attachments_none)
    for person in persons:
        role = words.roles.get(str(person.get("role")), str(person.get("role")))
        name = f"{str(person['family_name']).upper()}, {person.get('given_names') or ''}".strip(
            ", "
        )
        out.text(f"{role}: {name}", bold=True, gap=0.5)
        details: list[str] = []
        if person.get("birth_date") or person.get("birth_place"):
            place = f", {person['birth_place']}" if person.get("birth_place") else ""
            details.append(f"{words.born} {_date(person.get('birth_date'), words)}{place}")
        if person.get("nationality"):
            details.append(f"{words.nationality}: {', '.join(person['nationality'])}")
        if person.get("aliases"):
            details.append(f"{words.aliases}: {', '.join(person['aliases'])}")
        documents = [
            f"{d['type']} {d['number']}"
            + (f" ({d['issuing_country']})" if d.get("issuing_country") else "")
            for d in person.get("documents") or []
        ]
        if documents:
            details.append(f"{words.documents}: {'; '.join(documents)}")
        if details:
            out.text("; ".join(details), gap=1.5)


def render_letter(
    doc: Mapping[str, Any], language: str, *, signer_fingerprint: str | None = None
) -> bytes:
    """The request letter as PDF bytes, in ``language`` (one of :data:`SUPPORTED_LANGUAGES`).

    ``doc`` is the request.json document. Pass it as :data:`~casecoord.bundle.writer.Letter`
    through ``functools.partial`` so the letter lists the attachments with their digests.
    """
    words = _WORDS.get(language)
    if words is None:
        raise LetterError(
            f"no letter template in language {language!r}; available: "
            f"{', '.join(SUPPORTED_LANGUAGES)}"
        )
    try:
        return _render(doc, language, words, signer_fingerprint)
    except (KeyError, TypeError, ValueError) as exc:
        raise LetterError(f"the request letter could not be produced: {exc}") from None


def _render(
    doc: Mapping[str, Any], language: str, words: _Words, signer_fingerprint: str | None
) -> bytes:
    request = doc["request"]
    handling = doc["handling"]
    sender = doc["sender"]
    grading = f" · {handling['grading']}" if handling.get("grading") else ""
    marking = words.marking.format(
        tlp=handling["tlp"], code=handling["handling_code"], grading=grading
    )
    pdf = _LetterPdf(marking, words.page, str(request["reference"]))
    created = dt.datetime.fromisoformat(str(doc["created_at"]))
    pdf.set_creation_date(created)
    pdf.set_lang(language)
    title = words.titles[str(request["kind"])]
    pdf.set_title(f"{title} {request['reference']}")
    pdf.set_author(str(sender["name"]))
    pdf.set_subject(str(doc["case"]["title"]))
    pdf.add_page()
    out = _Writer(pdf, words)

    requesting = _country(str(request["requesting_state"]), language)
    requested = _country(str(request["requested_state"]), language)
    requesting_authority = request.get("requesting_authority") or sender["organisation"]
    out.field(words.from_, f"{requesting_authority} ({requesting})")
    out.field(words.to, f"{request.get('requested_authority') or requested} ({requested})")
    out.field(words.date, _date(str(doc["created_at"]), words))
    out.field(words.our_ref, str(request["reference"]))
    out.field(words.your_ref, str(request.get("counterpart_reference") or words.not_stated))
    out.field(words.case, f"{doc['case']['reference']} – {doc['case']['title']}")
    pdf.ln(4)

    out.text(title, size=14, bold=True, gap=1)
    urgency = words.urgency.get(str(request["urgency"]), "")
    if urgency:
        reason = f": {request['urgency_reason']}" if request.get("urgency_reason") else ""
        out.text(f"{urgency}{reason}", size=11, bold=True, gap=1)
    if request.get("respond_by"):
        out.text(f"{words.respond_by}: {_date(request['respond_by'], words)}", gap=1)
    pdf.ln(2)
    out.text(
        words.opening.format(authority=requesting_authority, state=requesting, requested=requested)
    )

    sections = iter(enumerate(words.sections, start=1))
    number, name = next(sections)
    out.section(number, name)
    basis = request["legal_basis"]
    out.text(str(basis["title"]), bold=True, gap=0.5)
    if basis.get("articles"):
        out.text(f"{words.articles}: {', '.join(basis['articles'])}", gap=0.5)
    if basis.get("override_reason"):
        out.text(f"{words.override}: {basis['override_reason']}", gap=0.5)

    number, name = next(sections)
    out.section(number, name)
    _persons(out, request.get("persons") or [], words)

    number, name = next(sections)
    out.section(number, name)
    out.text(str(request["facts"]))

    number, name = next(sections)
    out.section(number, name)
    out.text(str(request["legal_qualification"]))
    if request.get("offences"):
        out.text(f"{words.offences}: {', '.join(request['offences'])}")

    number, name = next(sections)
    out.section(number, name)
    for index, measure in enumerate(request["measures"], start=1):
        out.text(f"{number}.{index}  {measure}", gap=1)

    number, name = next(sections)
    out.section(number, name)
    attachments = doc.get("attachments") or []
    if not attachments:
        out.text(words.attachments_none)
    for item in attachments:
        out.text(f"{item['name']} ({item['size']} bytes)", gap=0)
        out.text(f"SHA-256 {item['sha256']}", size=8, gap=1.5)

    number, name = next(sections)
    out.section(number, name)
    contact = [str(sender["name"]), str(sender["organisation"])]
    contact += [str(sender[k]) for k in ("email", "phone") if sender.get(k)]
    out.text(" · ".join(contact))
    out.text(f"{words.channel}: {words.channels.get(str(request['channel']), request['channel'])}")

    pdf.ln(4)
    out.text(words.closing)
    pdf.ln(8)
    out.text(str(sender["name"]), bold=True, gap=0.5)
    if sender.get("role"):
        out.text(str(sender["role"]), gap=0.5)
    out.text(f"{sender['organisation']} ({_country(str(sender['country']), language)})", gap=0.5)
    out.text(_date(str(doc["created_at"]), words), gap=2)
    out.text(words.signed, size=8, gap=0.5)
    if signer_fingerprint:
        out.text(f"{words.fingerprint}: {signer_fingerprint}", size=8)
    return bytes(pdf.output())
