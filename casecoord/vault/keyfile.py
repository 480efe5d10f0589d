"""``vault.json``: the data key, wrapped under keys derived from the passphrase and recovery key.

As LUKS and KeePassXC do it, a random 256-bit data key opens the database, and each way in (the
passphrase, the recovery key) is a *slot* holding that key encrypted with AES-256-GCM under an
Argon2id-derived key. The slot's id and the vault id are the GCM associated data, so a slot cannot
be moved to another vault or role unnoticed. Changing the passphrase rewrites one slot; the
database is never re-encrypted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casecoord.domain.errors import VaultError, WrongPassphraseError
from casecoord.vault.files import atomic_write_bytes
from casecoord.vault.kdf import KEY_BYTES, Argon2Params, derive_key, new_salt

FORMAT = "casecoord-vault"
VERSION = 1
PASSPHRASE_SLOT = "passphrase"  # noqa: S105 (a slot name, not a secret)
RECOVERY_SLOT = "recovery"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _digest(fields: dict[str, Any]) -> str:
    """SHA-256 over canonical JSON: tells a damaged file from a wrong passphrase (the GCM tag
    alone cannot: both fail it). It protects against bit rot, not an attacker."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class KeySlot:
    slot_id: str
    params: Argon2Params
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    damaged: bool = False

    def _fields(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "kdf": self.params.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }

    def to_json(self) -> dict[str, Any]:
        fields = self._fields()
        return {**fields, "digest": _digest(fields)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeySlot:
        slot = cls(
            slot_id=str(data["id"]),
            params=Argon2Params.from_json(data["kdf"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped_key=_unb64(data["wrapped_key"]),
        )
        stored = data.get("digest")
        if stored is not None and stored != _digest(slot._fields()):
            return replace(slot, damaged=True)
        return slot


@dataclass(frozen=True)
class KeyFile:
    vault_id: str
    created_at: str
    slots: tuple[KeySlot, ...]
    cipher_page_size: int = 4096
    extra: dict[str, Any] = field(default_factory=dict)

    # -- creation and wrapping ------------------------------------------------------------
    @classmethod
    def create(
        cls, data_key: bytes, passphrase: str, recovery_secret: bytes, params: Argon2Params
    ) -> KeyFile:
        vault_id = str(uuid4())
        slots = (
            wrap_slot(vault_id, PASSPHRASE_SLOT, data_key, passphrase.encode("utf-8"), params),
            wrap_slot(vault_id, RECOVERY_SLOT, data_key, recovery_secret, params),
        )
        return cls(
            vault_id=vault_id,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            slots=slots,
        )

    def slot(self, slot_id: str) -> KeySlot:
        for slot in self.slots:
            if slot.slot_id == slot_id:
                return slot
        raise VaultError(f"vault.json has no {slot_id} slot; use the other way in or a backup")

    def unwrap(self, slot_id: str, secret: bytes) -> bytes:
        slot = self.slot(slot_id)
        if slot.damaged:
            other = "recovery key" if slot_id == PASSPHRASE_SLOT else "passphrase"
            raise VaultError(
                f"vault.json is damaged: its {slot_id} slot does not match its checksum. Open "
                f"with the {other} instead, or restore vault.json from a backup"
            )
        key = derive_key(secret, slot.salt, slot.params)
        try:
            data_key = AESGCM(key).decrypt(slot.nonce, slot.wrapped_key, self._aad(slot_id))
        except InvalidTag:
            what = "passphrase" if slot_id == PASSPHRASE_SLOT else "recovery key"
            raise WrongPassphraseError(f"wrong {what}: the vault stays locked") from None
        if len(data_key) != KEY_BYTES:
            raise VaultError("vault.json holds a data key of the wrong size")
        return data_key

    def rewrap(self, slot_id: str, data_key: bytes, secret: bytes, params: Argon2Params) -> KeyFile:
        new_slot = wrap_slot(self.vault_id, slot_id, data_key, secret, params)
        slots = tuple(new_slot if s.slot_id == slot_id else s for s in self.slots)
        if slot_id not in {s.slot_id for s in self.slots}:
            slots = (*slots, new_slot)
        return replace(self, slots=slots)

    def _aad(self, slot_id: str) -> bytes:
        return f"{FORMAT}:{self.vault_id}:{slot_id}".encode()

    # -- serialisation --------------------------------------------------------------------
    def _header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "cipher": {"name": "sqlcipher4", "page_size": self.cipher_page_size},
        }

    def to_bytes(self) -> bytes:
        header = self._header()
        document = {
            **header,
            "header_digest": _digest(header),
            "slots": [slot.to_json() for slot in self.slots],
            **self.extra,
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes, origin: str = "vault.json") -> KeyFile:
        try:
            document = json.loads(raw.decode("utf-8"))
            if document.get("format") != FORMAT:
                raise ValueError("not a casecoord key file")
            if int(document["version"]) > VERSION:
                raise VaultError(
                    f"{origin} was written by a newer casecoord (format {document['version']}); "
                    "upgrade casecoord to open it"
                )
            keyfile = cls(
                vault_id=str(document["vault_id"]),
                created_at=str(document["created_at"]),
                slots=tuple(KeySlot.from_json(s) for s in document["slots"]),
                cipher_page_size=int(document.get("cipher", {}).get("page_size", 4096)),
            )
            stored = document.get("header_digest")
            if stored is not None and stored != _digest(keyfile._header()):
                raise ValueError("header does not match its checksum")
            return keyfile
        except VaultError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise VaultError(
                f"{origin} is damaged and cannot be read. Restore it from a backup "
                "(casecoord restore), or, if only the passphrase slot is lost, use the recovery key"
            ) from None

    @classmethod
    def read(cls, path: Path) -> KeyFile:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise VaultError(
                f"{path} is missing: this folder holds no casecoord vault "
                "(create one with 'casecoord init', or restore a backup)"
            ) from None
        except OSError as exc:
            raise VaultError(f"cannot read {path}: {exc.strerror}") from None
        return cls.from_bytes(raw, str(path))

    def write(self, path: Path) -> None:
        atomic_write_bytes(path, self.to_bytes(), overwrite=True)


def wrap_slot(
    vault_id: str, slot_id: str, data_key: bytes, secret: bytes, params: Argon2Params
) -> KeySlot:
    salt = new_salt()
    key = derive_key(secret, salt, params)
    nonce = os.urandom(12)
    aad = f"{FORMAT}:{vault_id}:{slot_id}".encode()
    wrapped = AESGCM(key).encrypt(nonce, data_key, aad)
    return KeySlot(slot_id, params, salt, nonce, wrapped)
