"""What the handling codes and the suggested addressee mean, as lines of text for the editor.

Plain Rich text from domain values (no widgets), so the wording is tested on its own.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from casecoord.domain.authority import Authority
from casecoord.domain.enums import HandlingCode, Tlp
from casecoord.services.handling import RESTRICTED_CODES, RESTRICTED_TLP

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
