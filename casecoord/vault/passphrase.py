"""Passphrase rules and the recovery key's spelling.

The passphrase is the only thing between a thief and the case files on a stolen laptop, so short
and common ones are refused with the reason. The recovery key is 160 random bits written in
base32 groups that survive being read over a phone or copied onto paper.
"""

from __future__ import annotations

import base64
import math
import os
import re
import string

from casecoord.domain.errors import ValidationError

MIN_LENGTH = 12

_COMMON = frozenset(
    {
        "password1234",
        "passwordpassword",
        "123456789012",
        "qwertyuiopas",
        "iloveyou1234",
        "welkom123456",
        "wachtwoord12",
        "wachtwoord123",
        "welcome12345",
        "letmein12345",
        "administrator",
        "contrasena123",
        "contraseña123",
        "passw0rd1234",
        "p@ssw0rd1234",
        "correcthorsebatterystaple",
        "trustno1trustno1",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "abc123abc123",
        "000000000000",
        "111111111111",
        "123123123123",
        "policia12345",
        "politie12345",
        "casecoord123",
        "casecoord2026",
        "summer2026!!",
        "winter2026!!",
    }
)

RECOVERY_BYTES = 20


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase under 12 characters, a well-known one, or one repeated character."""
    if len(passphrase) < MIN_LENGTH:
        raise ValidationError(
            "passphrase",
            f"is {len(passphrase)} characters long; use at least {MIN_LENGTH} "
            "(a few unrelated words work well)",
        )
    folded = passphrase.lower()
    if folded in _COMMON or len(set(folded)) <= 2:
        raise ValidationError(
            "passphrase", "is on the list of commonly used passphrases; choose another"
        )


def strength_bits(passphrase: str) -> float:
    """A rough entropy estimate for the strength meter (pool size × length, capped by variety)."""
    if not passphrase:
        return 0.0
    pool = 0
    if any(c in string.ascii_lowercase for c in passphrase):
        pool += 26
    if any(c in string.ascii_uppercase for c in passphrase):
        pool += 26
    if any(c in string.digits for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    distinct = len(set(passphrase))
    return min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))


def strength_label(passphrase: str) -> str:
    try:
        check_passphrase(passphrase)
    except ValidationError as exc:
        return f"refused: {exc.reason}"
    bits = strength_bits(passphrase)
    if bits < 60:
        return f"weak (~{bits:.0f} bits)"
    if bits < 90:
        return f"fair (~{bits:.0f} bits)"
    return f"strong (~{bits:.0f} bits)"


def new_recovery_key() -> str:
    raw = base64.b32encode(os.urandom(RECOVERY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_key(text: str) -> bytes:
    """The canonical bytes of a recovery key however it was typed (case, spaces, dashes)."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if len(compact) != 32 or not re.fullmatch(r"[A-Z2-7]+", compact):
        raise ValidationError(
            "recovery key", "must be 32 letters and digits in groups of four, as shown at creation"
        )
    return compact.encode("ascii")
