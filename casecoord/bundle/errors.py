"""Why a bundle was refused, in words an officer can act on.

Every failure of the bundle layer is a :class:`BundleError`, itself a
:class:`~casecoord.domain.errors.CasecoordError`, so the CLI prints its one-line message and the TUI
shows it without a traceback. Subclasses exist so services and tests can tell the families apart;
their messages never leak library internals (an attacker-made file must not be able to print
whatever it likes through an exception from a parser).
"""

from __future__ import annotations

from pathlib import Path

from casecoord.domain.errors import CasecoordError


class BundleError(CasecoordError):
    """Base of every refusal by the bundle layer."""


class BundleExistsError(BundleError):
    """The export's file exists and replacing it was not asked for (CLI ``--force``; the TUI
    asks the officer and retries with it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} already exists; choose another name or allow overwriting")
        self.path = path


class IdentityError(BundleError):
    """A key, certificate or PKCS#12 file could not be read or does not fit its purpose."""


class SignatureError(BundleError):
    """The CMS signature is malformed, does not match, or is not the single one expected."""


class UntrustedSignerError(SignatureError):
    """The signature is valid but made by a certificate the officer has not pinned."""


class EncryptionError(BundleError):
    """A bundle could not be encrypted or decrypted (wrong key, not for us, too large)."""


class ContainerError(BundleError):
    """The file is not a well-formed ASiC-E container (not a ZIP, truncated, bad mimetype...)."""


class UnsafeEntryError(ContainerError):
    """An entry name could escape the extraction folder or collide with another entry."""


class ZipBombError(ContainerError):
    """An entry or the whole container inflates beyond the configured limits."""


class ManifestError(BundleError):
    """The ASiC manifest is malformed or does not list exactly the container's data objects."""


class DigestMismatchError(BundleError):
    """An entry's content differs from the SHA-256 recorded in the signed manifest."""


class RequestDocumentError(BundleError):
    """request.json is not valid JSON or does not follow schemas/request.schema.json."""


class LetterError(BundleError):
    """The request letter (PDF) could not be produced from the request document."""
