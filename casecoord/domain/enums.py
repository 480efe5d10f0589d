"""The closed vocabularies of the officer's world.

Values are the strings stored in the database, written into bundles (``request.json``) and typed on
the command line, so they are lowercase with hyphens and must never be renamed without a migration.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    INTAKE = "intake"
    ACTIVE = "active"
    DORMANT = "dormant"
    CLOSED = "closed"


class RequestKind(StrEnum):
    MLA = "mla"
    EXTRADITION = "extradition"
    PROVISIONAL_ARREST = "provisional-arrest"
    EIO = "eio"
    EAW = "eaw"
    FREEZING = "freezing"
    CONFISCATION = "confiscation"
    TRANSFER_OF_PROCEEDINGS = "transfer-of-proceedings"
    JIT = "jit"


class Direction(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class RequestStatus(StrEnum):
    # outgoing
    DRAFT = "draft"
    READY = "ready"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    IN_EXECUTION = "in-execution"
    EXECUTED = "executed"
    PARTIALLY_EXECUTED = "partially-executed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    # incoming
    RECEIVED = "received"
    REGISTERED = "registered"
    COMPLETED = "completed"


class Channel(StrEnum):
    CENTRAL_AUTHORITY = "central-authority"
    DIPLOMATIC = "diplomatic"
    DIRECT_JUDICIAL = "direct-judicial"
    INTERPOL = "interpol"
    EUROJUST = "eurojust"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    VERY_URGENT = "very-urgent"


class TranslationState(StrEnum):
    NOT_NEEDED = "not-needed"
    NEEDED = "needed"
    ORDERED = "ordered"
    DONE = "done"


class PersonRole(StrEnum):
    SUSPECT = "suspect"
    WITNESS = "witness"
    VICTIM = "victim"
    OTHER = "other"


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 labels (FIRST)."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"


class HandlingCode(StrEnum):
    """Europol SIENA handling codes."""

    H0 = "H0"
    H1 = "H1"
    H2 = "H2"
    H3 = "H3"


class DeadlineState(StrEnum):
    OPEN = "open"
    MET = "met"
    WAIVED = "waived"
    MISSED = "missed"


class DeadlineOrigin(StrEnum):
    STATUTORY = "statutory"
    MANUAL = "manual"


class CountingMethod(StrEnum):
    CALENDAR_DAYS = "calendar-days"
    WORKING_DAYS = "working-days"
    HOURS = "hours"


class LegalEvent(StrEnum):
    """Events that start statutory time limits (the deadline engine keys its rules on them)."""

    RECEIPT = "receipt"
    ARREST = "arrest"
    PROVISIONAL_ARREST = "provisional-arrest"
    CONSENT = "consent"
    FINAL_DECISION = "final-decision"
    RECOGNITION_DECISION = "recognition-decision"
    NEW_SURRENDER_DATE = "new-surrender-date"
    SENT = "sent"
    PLACED_AT_DISPOSAL = (
        "placed-at-disposal"  # the person is put at the requesting state's disposal
    )


class EuListOffence(StrEnum):
    """The 32 list offences of Art. 2(2) of Framework Decision 2002/584/JHA (short keys)."""

    ORGANISED_CRIME = "participation-in-criminal-organisation"
    TERRORISM = "terrorism"
    TRAFFICKING_HUMAN_BEINGS = "trafficking-in-human-beings"
    SEXUAL_EXPLOITATION_CHILDREN = "sexual-exploitation-of-children"
    DRUG_TRAFFICKING = "illicit-trafficking-narcotic-drugs"
    ARMS_TRAFFICKING = "illicit-trafficking-weapons"
    CORRUPTION = "corruption"
    FRAUD = "fraud"
    MONEY_LAUNDERING = "laundering-of-proceeds"
    COUNTERFEITING_CURRENCY = "counterfeiting-currency"
    COMPUTER_CRIME = "computer-related-crime"
    ENVIRONMENTAL_CRIME = "environmental-crime"
    FACILITATION_ILLEGAL_ENTRY = "facilitation-of-unauthorised-entry"
    MURDER = "murder-grievous-bodily-injury"
    ORGAN_TRAFFICKING = "illicit-trade-human-organs"
    KIDNAPPING = "kidnapping-hostage-taking"
    RACISM_XENOPHOBIA = "racism-xenophobia"
    ORGANISED_ROBBERY = "organised-armed-robbery"
    CULTURAL_GOODS = "illicit-trafficking-cultural-goods"
    SWINDLING = "swindling"
    RACKETEERING_EXTORTION = "racketeering-extortion"
    COUNTERFEITING_PRODUCTS = "counterfeiting-piracy-products"
    FORGERY_DOCUMENTS = "forgery-administrative-documents"
    FORGERY_PAYMENT = "forgery-means-of-payment"
    HORMONAL_SUBSTANCES = "illicit-trafficking-hormonal-substances"
    NUCLEAR_MATERIALS = "illicit-trafficking-nuclear-materials"
    STOLEN_VEHICLES = "trafficking-stolen-vehicles"
    RAPE = "rape"
    ARSON = "arson"
    ICC_CRIMES = "crimes-within-icc-jurisdiction"
    UNLAWFUL_SEIZURE_AIRCRAFT = "unlawful-seizure-aircraft-ships"
    SABOTAGE = "sabotage"
