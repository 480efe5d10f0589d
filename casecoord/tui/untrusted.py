"""Stored text on screen: always plain, never markup, never terminal control.

Whatever the vault holds may have come from a counterpart's bundle or vCard. Textual reads a
``str`` given to a DataTable cell, a Label or a notification as markup (``[@click=…]`` links,
styles), and passes escape characters through to the terminal, so every widget that shows stored
text gets it through :func:`plain` (a Rich ``Text``, markup never parsed, controls escaped by the
domain's :func:`~casecoord.domain.text.shown`).
"""

from __future__ import annotations

from rich.text import Text

from casecoord.domain.text import shown


def plain(value: object, style: str = "", *, one_line: bool = False) -> Text:
    """``value`` as inert text for a widget: controls escaped, markup characters kept literally."""
    return Text(shown(value, one_line=one_line), style=style)


def cell(value: object, style: str = "") -> Text:
    """A one-line table cell: newlines shown as ``\\n`` so a row stays one row."""
    return plain(value, style, one_line=True)


__all__ = ["cell", "plain", "shown"]
