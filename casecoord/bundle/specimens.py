"""Specimen request documents: one per kind of document and language, clearly fictional.

``scripts/make_document_screens.py`` renders them into the pictures of screens/ and the tests
render every one of them through ``pdftotext``. Everything here is invented (people, references,
accounts); the free text of each specimen is written in the document's language, as a request
ready to be signed would be. The legal bases are real instruments with the articles they name.
"""

from __future__ import annotations

import copy
from typing import Any

KINDS = ("mla", "extradition", "provisional-arrest", "eaw", "eio")

# requested state and letter language: (treaty kinds, EU kinds)
PAIRS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "en": (("NL", "US"), ("NL", "MT")),
    "es": (("NL", "CO"), ("NL", "ES")),
    "nl": (("CO", "NL"), ("ES", "NL")),
    "pt": (("NL", "BR"), ("NL", "PT")),
    "fr": (("NL", "CH"), ("NL", "FR")),
}

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "facts": "Between 3 March and 17 June 2026 the suspect, acting with others, organised the "
        "shipment of 960 kg of cocaine hidden behind the cooling units of reefer containers of "
        "bananas from Guayaquil to the port of Rotterdam, where the drugs were found on 18 June "
        "2026. The proceeds were transferred through accounts of a front company.",
        "qualification": "Importation of cocaine in an organised group and laundering of the "
        "proceeds of crime.",
        "provisions": "Opium Act, Article 10(5): the intentional importation of a substance on "
        "List I is punishable by imprisonment of up to twelve years. Criminal Code, Article "
        "420bis: money laundering is punishable by imprisonment of up to six years.",
        "max_penalty": "Twelve years' imprisonment (Opium Act, Article 10(5)).",
        "limitation": "Twenty years from the day after the offence (Criminal Code, Article 70); "
        "the prosecution is not time-barred.",
        "assurances": "The requested person will not be prosecuted, sentenced or detained for any "
        "offence committed before surrender other than that for which extradition is granted.",
        "proceedings": "Criminal investigation by the National Public Prosecutor's Office into an "
        "organised group importing cocaine through the port of Rotterdam.",
        "purpose": "The bank records will show how the proceeds reached the front company and who "
        "controlled its accounts.",
        "procedure": "Please certify the bank records as true copies and let the prosecutor "
        "attend the hearing by videoconference.",
        "in_absentia": "The decision was not rendered after a trial: the person is sought for "
        "prosecution.",
        "time": "3 March to 17 June 2026",
        "place": "Guayaquil (Ecuador) and Rotterdam (Netherlands)",
        "whereabouts": "believed to live at a rented flat in the city centre; last seen there on "
        "20 November 2026",
    },
    "es": {
        "facts": "Entre el 3 de marzo y el 17 de junio de 2026 el investigado, actuando con otras "
        "personas, organizó el envío de 960 kg de cocaína ocultos tras los equipos de frío de "
        "contenedores refrigerados de banano desde Guayaquil hasta el puerto de Rotterdam, donde "
        "la droga fue hallada el 18 de junio de 2026. Las ganancias se transfirieron a través de "
        "cuentas de una sociedad pantalla.",
        "qualification": "Importación de cocaína en grupo organizado y blanqueo del producto del "
        "delito.",
        "provisions": "Ley del Opio, artículo 10, apartado 5: la importación intencionada de una "
        "sustancia de la Lista I se castiga con pena de prisión de hasta doce años. Código Penal, "
        "artículo 420 bis: el blanqueo de capitales se castiga con pena de prisión de hasta seis "
        "años.",
        "max_penalty": "Doce años de prisión (Ley del Opio, artículo 10, apartado 5).",
        "limitation": "Veinte años a partir del día siguiente a la comisión del delito (Código "
        "Penal, artículo 70); la acción penal no ha prescrito.",
        "assurances": "La persona reclamada no será perseguida, condenada ni detenida por hechos "
        "anteriores a la entrega distintos de los que motivan la extradición.",
        "proceedings": "Investigación penal de la Fiscalía Nacional sobre un grupo organizado que "
        "importa cocaína a través del puerto de Rotterdam.",
        "purpose": "Los registros bancarios mostrarán cómo llegaron las ganancias a la sociedad "
        "pantalla y quién controlaba sus cuentas.",
        "procedure": "Se ruega certificar los registros bancarios como copias fieles y permitir "
        "que el fiscal asista a la declaración por videoconferencia.",
        "in_absentia": "La resolución no se dictó tras un juicio: la persona es reclamada para el "
        "ejercicio de acciones penales.",
        "time": "del 3 de marzo al 17 de junio de 2026",
        "place": "Guayaquil (Ecuador) y Rotterdam (Países Bajos)",
        "whereabouts": "se cree que reside en un apartamento alquilado en el centro de la ciudad; "
        "visto allí por última vez el 20 de noviembre de 2026",
    },
    "nl": {
        "facts": "Tussen 3 maart en 17 juni 2026 heeft de verdachte samen met anderen de verzending "
        "georganiseerd van 960 kg cocaïne, verborgen achter de koelunits van koelcontainers met "
        "bananen, van Guayaquil naar de haven van Rotterdam, waar de drugs op 18 juni 2026 werden "
        "aangetroffen. De opbrengsten zijn via rekeningen van een dekmantelbedrijf overgemaakt.",
        "qualification": "Invoer van cocaïne in georganiseerd verband en witwassen van de "
        "opbrengsten van misdrijven.",
        "provisions": "Wetboek van strafrecht, artikel 376: de handel in en de invoer van "
        "verdovende middelen worden gestraft met een gevangenisstraf van ten hoogste twaalf jaar. "
        "Wetboek van strafrecht, artikel 323: witwassen wordt gestraft met een gevangenisstraf "
        "van ten hoogste zes jaar.",
        "max_penalty": "Twaalf jaar gevangenisstraf.",
        "limitation": "De verjaringstermijn bedraagt twintig jaar vanaf de dag na het feit; het "
        "recht tot strafvordering is niet verjaard.",
        "assurances": "De opgeëiste persoon zal niet worden vervolgd, gestraft of van zijn vrijheid "
        "beroofd voor feiten van vóór de overlevering, andere dan die waarvoor de uitlevering is "
        "toegestaan.",
        "proceedings": "Strafrechtelijk onderzoek van het openbaar ministerie naar een "
        "georganiseerde groep die cocaïne invoert via de haven van Rotterdam.",
        "purpose": "De bankgegevens tonen aan hoe de opbrengsten bij het dekmantelbedrijf zijn "
        "gekomen en wie de rekeningen beheerde.",
        "procedure": "Wij verzoeken de bankgegevens als eensluidende afschriften te waarmerken en "
        "de officier van justitie het verhoor per videoconferentie te laten bijwonen.",
        "in_absentia": "De beslissing is niet na een proces gegeven: de persoon wordt gezocht met "
        "het oog op strafvervolging.",
        "time": "3 maart tot en met 17 juni 2026",
        "place": "Guayaquil (Ecuador) en Rotterdam (Nederland)",
        "whereabouts": "verblijft vermoedelijk in een gehuurd appartement in het centrum; daar "
        "voor het laatst gezien op 20 november 2026",
    },
    "pt": {
        "facts": "Entre 3 de março e 17 de junho de 2026 o suspeito, agindo com outras pessoas, "
        "organizou o envio de 960 kg de cocaína escondidos atrás das unidades de refrigeração de "
        "contentores de bananas de Guayaquil para o porto de Roterdão, onde a droga foi "
        "encontrada em 18 de junho de 2026. Os lucros foram transferidos através de contas de uma "
        "sociedade de fachada.",
        "qualification": "Importação de cocaína em grupo organizado e branqueamento dos produtos "
        "do crime.",
        "provisions": "Lei do Ópio, artigo 10.º, n.º 5: a importação intencional de uma substância "
        "da Lista I é punível com pena de prisão até doze anos. Código Penal, artigo 420.º-A: o "
        "branqueamento de capitais é punível com pena de prisão até seis anos.",
        "max_penalty": "Doze anos de prisão (Lei do Ópio, artigo 10.º, n.º 5).",
        "limitation": "Vinte anos a contar do dia seguinte ao da prática do crime (Código Penal, "
        "artigo 70.º); o procedimento penal não prescreveu.",
        "assurances": "A pessoa reclamada não será perseguida, condenada nem detida por factos "
        "anteriores à entrega diferentes daqueles que motivam a extradição.",
        "proceedings": "Inquérito penal do Ministério Público nacional sobre um grupo organizado "
        "que importa cocaína através do porto de Roterdão.",
        "purpose": "Os registos bancários mostrarão como os lucros chegaram à sociedade de fachada "
        "e quem controlava as suas contas.",
        "procedure": "Solicita-se que os registos bancários sejam certificados como cópias fiéis e "
        "que o procurador possa assistir à inquirição por videoconferência.",
        "in_absentia": "A decisão não foi proferida após julgamento: a pessoa é procurada para "
        "efeitos de procedimento penal.",
        "time": "de 3 de março a 17 de junho de 2026",
        "place": "Guayaquil (Equador) e Roterdão (Países Baixos)",
        "whereabouts": "julga-se que reside num apartamento arrendado no centro da cidade; visto "
        "ali pela última vez em 20 de novembro de 2026",
    },
    "fr": {
        "facts": "Entre le 3 mars et le 17 juin 2026, le suspect, agissant avec d'autres personnes, "
        "a organisé l'expédition de 960 kg de cocaïne dissimulés derrière les groupes frigorifiques "
        "de conteneurs réfrigérés de bananes de Guayaquil vers le port de Rotterdam, où la drogue "
        "a été découverte le 18 juin 2026. Les profits ont été transférés par les comptes d'une "
        "société écran.",
        "qualification": "Importation de cocaïne en bande organisée et blanchiment du produit du "
        "crime.",
        "provisions": "Loi sur l'opium, article 10, paragraphe 5 : l'importation intentionnelle "
        "d'une substance de la liste I est punie d'une peine d'emprisonnement de douze ans au "
        "plus. Code pénal, article 420bis : le blanchiment est puni d'une peine d'emprisonnement "
        "de six ans au plus.",
        "max_penalty": "Douze ans d'emprisonnement (loi sur l'opium, article 10, paragraphe 5).",
        "limitation": "Vingt ans à compter du lendemain des faits (code pénal, article 70) ; "
        "l'action publique n'est pas prescrite.",
        "assurances": "La personne réclamée ne sera ni poursuivie, ni jugée, ni détenue pour des "
        "faits antérieurs à la remise autres que ceux ayant motivé l'extradition.",
        "proceedings": "Enquête pénale du parquet national sur une bande organisée qui importe de "
        "la cocaïne par le port de Rotterdam.",
        "purpose": "Les relevés bancaires montreront comment les profits sont parvenus à la "
        "société écran et qui contrôlait ses comptes.",
        "procedure": "Nous vous prions de certifier les relevés bancaires conformes et de "
        "permettre au procureur d'assister à l'audition par vidéoconférence.",
        "in_absentia": "La décision n'a pas été rendue à l'issue d'un procès : la personne est "
        "recherchée aux fins de poursuites.",
        "time": "du 3 mars au 17 juin 2026",
        "place": "Guayaquil (Équateur) et Rotterdam (Pays-Bas)",
        "whereabouts": "réside probablement dans un appartement loué au centre-ville ; vue pour la "
        "dernière fois le 20 novembre 2026",
    },
}

_AUTHORITY = {
    "NL": "Landelijk Parket, Openbaar Ministerie",
    "CO": "Fiscalía General de la Nación",
    "ES": "Fiscalía Especial Antidroga",
}

_BASIS = {
    "mla": (
        "un-vienna-1988",
        "United Nations Convention against Illicit Traffic in Narcotic "
        "Drugs and Psychotropic Substances",
        ["7"],
    ),
    "extradition": (
        "untoc",
        "United Nations Convention against Transnational Organized Crime",
        ["16"],
    ),
    "provisional-arrest": (
        "untoc",
        "United Nations Convention against Transnational Organized Crime",
        ["16(9)"],
    ),
    "eaw": ("eaw-fd", "Council Framework Decision 2002/584/JHA", ["8"]),
    "eio": ("eio-directive", "Directive 2014/41/EU", ["5"]),
}

_MEASURES = {
    "mla": ["bank-accounts", "hear-witness", "search-seizure"],
    "extradition": ["extradition-for-prosecution"],
    "provisional-arrest": ["arrest-and-surrender"],
    "eaw": ["arrest-and-surrender", "search-seizure"],
    "eio": ["bank-accounts", "hear-witness", "telecom-data"],
}


def specimen(kind: str, language: str) -> dict[str, Any]:
    """A complete request.json (version 2) document of ``kind`` in ``language``."""
    text = _TEXT[language]
    treaty, eu = PAIRS[language]
    requesting, requested = eu if kind in ("eaw", "eio") else treaty
    instrument, title, articles = _BASIS[kind]
    decision = None
    if kind in ("extradition", "provisional-arrest", "eaw"):
        decision = {
            "kind": "arrest-warrant",
            "authority": "Rechter-commissaris, Rechtbank Rotterdam"
            if requesting == "NL"
            else _AUTHORITY.get(requesting, "Juzgado Central de Instrucción"),
            "date": "2026-11-24",
            "reference": "RC 26/4417",
        }
    doc: dict[str, Any] = {
        "schema_version": 2,
        "bundle_id": "6d1f0c2a-8b7e-4c3d-9a51-0f2e4b6c8d10",
        "created_at": "2026-12-01T10:15:00+01:00",
        "request": {
            "reference": f"{requesting}-{kind.upper()[:4]}-2026-0107",
            "kind": kind,
            "direction": "outgoing",
            "requesting_state": requesting,
            "requested_state": requested,
            "requesting_authority": _AUTHORITY.get(requesting, "Ministerio Público"),
            "requested_authority": None,
            "legal_basis": {
                "instrument_id": instrument,
                "title": title,
                "articles": articles,
                "override_reason": None,
            },
            "channel": "central-authority",
            "urgency": "urgent" if kind == "provisional-arrest" else "normal",
            "urgency_reason": None,
            "language": language,
            "measures": list(_MEASURES[kind]),
            "facts": text["facts"],
            "legal_qualification": text["qualification"],
            "offences": ["illicit-trafficking-narcotic-drugs", "laundering-of-proceeds"],
            "persons": [
                {
                    "role": "suspect",
                    "family_name": "Restrepo Álvarez",
                    "given_names": "Joaquín Andrés",
                    "aliases": ["El Ingeniero"],
                    "birth_date": "1984-05-09",
                    "birth_place": "Cali",
                    "nationality": ["CO"],
                    "documents": [
                        {"type": "passport", "number": "AX4471902", "issuing_country": "CO"}
                    ],
                    "whereabouts": text["whereabouts"],
                },
            ],
            "counterpart_reference": None,
            "related_reference": None,
            "respond_by": "2027-01-15" if kind in ("mla", "eio") else None,
            "decision": decision,
            "offence": {
                "time": text["time"],
                "place": text["place"],
                "provisions_text": text["provisions"],
                "max_penalty": text["max_penalty"],
                "sentence_imposed": None,
                "limitation": text["limitation"],
                "in_absentia": text["in_absentia"] if kind == "eaw" else None,
            },
            "proceedings": {
                "description": text["proceedings"],
                "authority": _AUTHORITY.get(requesting, "Ministerio Público"),
            },
            "purpose": text["purpose"] if kind in ("mla", "eio") else None,
            "procedure": text["procedure"] if kind in ("mla", "eio") else None,
            "assurances": text["assurances"] if kind == "extradition" else None,
            "validating_authority": "Rechter-commissaris, Rechtbank Rotterdam"
            if kind == "eio" and requesting == "NL"
            else None,
        },
        "case": {"reference": f"{requesting}-2026-0107", "title": "Op. Reefer (specimen)"},
        "sender": {
            "name": "Marit de Wilde" if requesting == "NL" else "Lucía Ortega Pardo",
            "organisation": _AUTHORITY.get(requesting, "Ministerio Público"),
            "country": requesting,
            "email": "liaison@specimen.example",
            "phone": "+31701234567",
            "role": None,
        },
        "handling": {"tlp": "AMBER", "handling_code": "H1", "grading": None},
        "attachments": [
            {
                "name": "specimen-warrant.pdf",
                "media_type": "application/pdf",
                "sha256": "0" * 63 + "1",
                "size": 48213,
                "description": None,
            }
        ],
    }
    return copy.deepcopy(doc)
