"""Entry names inside a bundle: made safe when writing, refused when dangerous on reading.

An attachment's original file name comes from an officer's laptop, a counterpart or a seized
device, so it may hold separators, control characters or names Windows reserves. The writer keeps
what it can of it (Unicode letters are fine; the manifest percent-encodes URIs). The reader trusts
nothing: a name that could escape the extraction folder or collide with another is refused, not
repaired, because a repaired name would no longer be the one that was signed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from casecoord.bundle.errors import UnsafeEntryError
from casecoord.domain.text import unsafe_reason

ATTACHMENTS_DIR = "attachments/"
MAX_NAME_CHARS = 150
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _fold(name: str) -> str:
    """Key under which two names collide on a case-insensitive, normalising file system."""
    return unicodedata.normalize("NFC", name).casefold()


def safe_attachment_name(original: str, taken: Iterable[str] = ()) -> str:
    """A file name for ``attachments/`` derived from ``original``, unique among ``taken``.

    Keeps the last path component, drops characters that are unsafe on any common file system,
    avoids Windows device names, trims to 150 characters keeping the extension, and appends
    `` (2)``, `` (3)``… when the name (compared case-insensitively) is already taken.
    """
    name = unicodedata.normalize("NFC", original)
    name = re.split(r"[/\\]", name)[-1]
    name = _FORBIDDEN.sub("_", name)
    # C1 controls, bidi overrides, lone surrogates: what verification refuses in request.json
    name = "".join("_" if unsafe_reason(ch) else ch for ch in name).strip(" .")
    if not name:
        name = "attachment"
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = name, ""
    ext_part = f".{ext}" if ext else ""
    stem = stem[: MAX_NAME_CHARS - len(ext_part)]
    used = {_fold(t) for t in taken}
    candidate = stem + ext_part
    counter = 2
    while _fold(candidate) in used:
        suffix = f" ({counter})"
        candidate = stem[: MAX_NAME_CHARS - len(ext_part) - len(suffix)] + suffix + ext_part
        counter += 1
    return candidate


def check_entry_name(name: str) -> None:
    """Refuse a ZIP entry name that is absolute, climbs out, or is not plainly portable."""
    shown = name.encode("unicode_escape").decode("ascii")[:120]
    if not name or len(name) > 1024:
        raise UnsafeEntryError(f"the bundle holds an entry with an unusable name: {shown!r}")
    if "\\" in name:
        raise UnsafeEntryError(f"the bundle holds an entry name with a backslash: {shown!r}")
    if name.startswith("/") or _DRIVE.match(name):
        raise UnsafeEntryError(f"the bundle holds an absolute entry name: {shown!r}")
    if re.search(r"[\x00-\x1f\x7f]", name):
        raise UnsafeEntryError(f"the bundle holds an entry name with control characters: {shown!r}")
    parts = name.removesuffix("/").split("/")
    if any(part in ("..", ".") for part in parts):
        raise UnsafeEntryError(f"the bundle holds an entry name that climbs folders: {shown!r}")
    if any(part == "" for part in parts):
        raise UnsafeEntryError(f"the bundle holds an entry name with an empty folder: {shown!r}")


def check_unique(names: Iterable[str]) -> None:
    """Refuse duplicate names, including names that only differ by case or Unicode form."""
    seen: dict[str, str] = {}
    for name in names:
        key = _fold(name)
        if key in seen:
            first = seen[key]
            detail = repr(name) if first == name else f"{first!r} and {name!r}"
            raise UnsafeEntryError(f"the bundle holds the same entry name twice: {detail}")
        seen[key] = name
