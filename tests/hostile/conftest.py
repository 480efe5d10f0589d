"""Strategies for hostile input: anything a keyboard, a paste or a script can put in a field.

``hostile_text`` mixes arbitrary Unicode (controls, NUL, combining marks, right-to-left, emoji)
with strings chosen to break parsers: SQL and FTS5 syntax, LIKE wildcards, format specifiers,
path tricks, ISO-looking dates and numbers just outside their ranges.
"""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = [
    "",
    " ",
    "\t\n",
    "\x00",
    "'",
    '"',
    '""',
    "\\",
    "%",
    "_",
    "*",
    "-",
    "^",
    ":",
    "(",
    ")",
    "' OR 1=1 --",
    '"; DROP TABLE case_file; --',
    "NEAR(a b)",
    "a AND",
    "OR",
    "NOT x",
    "a:b",
    '"unterminated',
    "col:value",
    "{0}",
    "%s%n",
    "../../etc/passwd",
    "C:\\x",
    "\u202eevil",
    "Z\u0301\u0302\u0303",
    "😀" * 3,
    "\ufeff",
    "\udcff" if False else "\uffff",
    "x" * 5000,
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "2026-1-1",
    "24:00",
    "2026-06-01T25:61",
    "+00",
    "+999999999999999999999",
    "+31 6 1234 5678",
    "+57 300 1234567",
    "Europe/Amsterdam",
    "Etc/GMT+14",
    "../UTC",
    "/etc/localtime",
    "UTC\x00",
    "NL",
    "nl",
    "NLD",
    "XX",
    "EU",
    "14d",
    "-1d",
    "0w",
    "999999999999d",
    "1e9h",
    "d",
    "ABCD-EFGH",
    "a" * 64,
]

hostile_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.from_regex(r"[A-Za-z0-9 ._/+:-]{0,30}", fullmatch=True),
)

# argv cannot carry NUL or lone surrogates; everything else goes to the real CLI
argv_text = (
    hostile_text.filter(lambda s: "\x00" not in s)
    .map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))
    .filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
)


def or_valid(*valid: str) -> st.SearchStrategy[str]:
    """A known-good value half the time, so a hostile value in one field is not always masked by
    the validation of the field before it."""
    return st.one_of(st.sampled_from(valid), hostile_text)


fresh_reference = st.from_regex(r"NL-[0-9]{4}-[A-Z0-9]{6}", fullmatch=True)
