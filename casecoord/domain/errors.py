"""Errors written for the officer.

Every failure a user can cause or meet is one of these. Their message is shown as is (one line in
the CLI, a notification or a field message in the TUI), so it says what is wrong and, where it can,
what to do. Tracebacks are for ``--debug`` only.
"""

from __future__ import annotations

from collections.abc import Iterable


class CasecoordError(Exception):
    """Base of every expected failure; ``exit_code`` is what the CLI returns for it."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(CasecoordError):
    """A field holds a value the domain refuses; ``field`` lets a form show it next to the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFoundError(CasecoordError):
    """A reference names nothing in this vault."""


class DuplicateError(CasecoordError):
    """A unique reference is already taken."""


class IllegalTransitionError(CasecoordError):
    """A status change that the status machine does not allow."""

    def __init__(self, what: str, current: str, wanted: str, allowed: Iterable[str]) -> None:
        allowed_list = sorted(allowed)
        allowed_text = ", ".join(allowed_list) if allowed_list else "none (final status)"
        super().__init__(
            f"{what} cannot go from '{current}' to '{wanted}'; allowed from '{current}': "
            f"{allowed_text}"
        )
        self.current = current
        self.wanted = wanted
        self.allowed = allowed_list


class WrongPassphraseError(CasecoordError):
    """The passphrase (or recovery key) does not open the vault. Nothing was changed."""

    exit_code = 2


class VaultError(CasecoordError):
    """The vault is missing, damaged, locked by another process or cannot be written."""

    exit_code = 3


class StorageFullError(VaultError):
    """The disk is full: the write was rolled back and nothing acknowledged was lost."""


class StoreError(VaultError):
    """A team store (PostgreSQL) cannot be reached, refused the officer, or has another schema."""


class ConflictError(CasecoordError):
    """Another officer saved the same record first; nothing of this change was saved."""
