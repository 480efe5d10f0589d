"""One rule for text that came from outside: data, never terminal control or markup.

Bundles, receipts, vCards and CSV files are written by someone else, and whatever the vault stores
may have come from one of them. Two functions enforce the rule at both ends:

* :func:`require_plain_text` / :func:`require_plain_strings` at the **input boundary**: a C0 or C1
  control character other than newline and tab (ESC, CSI, BEL, NUL, DEL…), a bidirectional
  embedding, override or isolate (which make a reader see another order than the bytes say, the
  "Trojan Source" trick) and a lone surrogate (which no file encoding can hold) are refused, with
  a message naming the field, before anything is written;
* :func:`shown` on **output**: every line the CLI prints and every TUI cell that shows stored or
  received text passes through it, so a character that slipped in earlier (an older vault, a
  typed value) is drawn as a visible escape (``\\u001b``, ``\\u202e``) instead of being obeyed by
  the terminal. ``one_line=True`` also makes newlines visible, for table cells and one-line
  messages where a line break could forge a line of output.

The escape form is JSON's (``\\u001b``), so a JSON document printed through :func:`shown` still
parses to the same value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from casecoord.domain.errors import ValidationError

#: Bidirectional embeddings, overrides and isolates (Unicode TR 9 explicit formatting).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The only control characters allowed in free text.
ALLOWED_CONTROLS = frozenset("\n\t")


def unsafe_reason(ch: str) -> str | None:
    """Why ``ch`` may not appear in untrusted text, or None when it may."""
    if ch in ALLOWED_CONTROLS:
        return None
    code = ord(ch)
    if code == 0:
        return "a NUL character"
    if code < 0x20 or code == 0x7F:
        return f"the control character U+{code:04X}"
    if 0x80 <= code <= 0x9F:
        return f"the C1 control character U+{code:04X}"
    if ch in BIDI_CONTROLS:
        return f"the bidirectional override U+{code:04X} ({unicodedata.name(ch)})"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} (not valid Unicode text)"
    return None


def require_plain_text(value: str, field: str, *, one_line: bool = False) -> str:
    """``value`` unchanged, or :class:`ValidationError` naming ``field`` and the first bad character.

    ``one_line`` also refuses newline and tab (names, references, certificate subjects).
    """
    for index, ch in enumerate(value):
        reason = unsafe_reason(ch)
        if reason is None and one_line and ch in ALLOWED_CONTROLS:
            reason = "a line break or tab (this field is one line)"
        if reason is not None:
            raise ValidationError(
                field, f"holds {reason} at position {index + 1}; refused, nothing was written"
            )
    return value


def iter_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON-like document (keys included) with its dotted path.

    Generic on purpose: a field added to a document format is covered without a change here.
    """
    if isinstance(value, str):
        yield path or "value", value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            child = f"{path}.{name}" if path else name
            yield f"{child} (key)", name
            yield from iter_strings(item, child)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{path}[{index}]")


def require_plain_strings(document: Any, where: str) -> None:
    """Refuse ``document`` (a parsed bundle, receipt…) if any string in it breaks the rule.

    The message names the file and the field, e.g. ``request.json: request.persons[0].family_name``.
    """
    for path, text in iter_strings(document):
        require_plain_text(text, f"{where}: {path}")


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}"


def shown(value: object, *, one_line: bool = False) -> str:
    """``value`` as text safe to put on a terminal or a Textual widget.

    Controls, bidi overrides and lone surrogates become visible escapes; with ``one_line``,
    newline and tab do too. Plain text passes unchanged, and applying it twice changes nothing
    more than applying it once, so layers may each apply it without double escaping.
    """
    text = "" if value is None else str(value)
    if text.isprintable() and BIDI_CONTROLS.isdisjoint(text):
        return text
    out = []
    for ch in text:
        if ch in ALLOWED_CONTROLS and not one_line:
            out.append(ch)
        elif unsafe_reason(ch) is not None or (one_line and ch in ALLOWED_CONTROLS):
            out.append({"\n": "\\n", "\t": "\\t"}.get(ch) or _escape(ch))
        else:
            out.append(ch)
    return "".join(out)
