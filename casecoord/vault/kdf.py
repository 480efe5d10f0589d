"""Key derivation: Argon2id from `cryptography`, with its parameters stored beside the salt.

Defaults follow RFC 9106 section 4's second recommended option (t=3, p=4) with the memory raised
to 256 MiB, which takes about half a second on the reference laptop; the parameters travel in
``vault.json`` so a vault made with other costs (tests lower them explicitly) still opens.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from casecoord.domain.errors import VaultError

KEY_BYTES = 32
SALT_BYTES = 16


MAX_MEMORY_KIB = 1024 * 1024
"""1 GiB: four times the default. A key file asking for more (a tampered one can ask for 4 GiB
and 64 passes, hanging or exhausting a laptop before any passphrase is checked) is damaged."""
MAX_ITERATIONS = 12
MAX_LANES = 16


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int = 262_144
    iterations: int = 3
    lanes: int = 4

    def to_json(self) -> dict[str, Any]:
        return {"name": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Argon2Params:
        if data.get("name") != "argon2id":
            raise VaultError(f"vault.json names an unknown key derivation '{data.get('name')}'")
        try:
            params = cls(int(data["memory_kib"]), int(data["iterations"]), int(data["lanes"]))
        except (KeyError, TypeError, ValueError):
            raise VaultError("vault.json has damaged key-derivation parameters") from None
        if not (
            8 * params.lanes <= params.memory_kib <= MAX_MEMORY_KIB
            and 1 <= params.iterations <= MAX_ITERATIONS
            and 1 <= params.lanes <= MAX_LANES
        ):
            raise VaultError(
                f"vault.json is damaged: its key-derivation cost (memory {params.memory_kib} KiB, "
                f"{params.iterations} iterations, {params.lanes} lanes) is beyond anything "
                f"casecoord writes (at most {MAX_MEMORY_KIB} KiB, {MAX_ITERATIONS} iterations, "
                f"{MAX_LANES} lanes); the passphrase was not tried. Restore vault.json from a "
                "backup"
            )
        return params


DEFAULT_PARAMS = Argon2Params()
# Only for tests and benchmarks that must create many vaults; never the default.
FAST_TEST_PARAMS = Argon2Params(memory_kib=1024, iterations=1, lanes=1)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


PROFILE_VAR = "CASECOORD_KDF_PROFILE"


def creation_params() -> Argon2Params:
    """The cost for a new vault: RFC 9106 parameters, unless a test run explicitly asks for
    cheap ones with ``CASECOORD_KDF_PROFILE=test`` (the parameters are stored in vault.json, so
    such a vault stays cheap to open and is never mistaken for a real one)."""
    if os.environ.get(PROFILE_VAR) == "test":
        return FAST_TEST_PARAMS
    return DEFAULT_PARAMS
