"""Full-text search over case titles and summaries, notes, request facts and person names.

The FTS5 index lives inside the encrypted database (``search_index``) and ignores accents, so
"gomez" finds "Gómez". Queries are turned into quoted prefix terms: the officer types words, not
FTS syntax, and a stray quote or operator can never raise an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from casecoord.vault.vault import UnlockedVault


@dataclass(frozen=True)
class SearchHit:
    kind: str
    ref: str
    case_ref: str
    snippet: str


def fts_query(words: str) -> str | None:
    tokens = re.findall(r"\w+", words, flags=re.UNICODE)
    if not tokens:
        return None
    return " AND ".join(f'"{token}"*' for token in tokens)


def search(vault: UnlockedVault, words: str, limit: int = 50) -> list[SearchHit]:
    match = fts_query(words)
    if match is None:
        return []
    sql = text(
        "SELECT s.kind, s.ref, c.reference, snippet(search_index, -1, '[', ']', '…', 12) "
        "FROM search_index AS s JOIN case_file AS c ON c.id = s.case_id "
        "WHERE search_index MATCH :match ORDER BY rank LIMIT :limit"
    )
    with vault.session() as session:
        rows = session.connection().execute(sql, {"match": match, "limit": limit}).all()
    return [SearchHit(str(k), str(r), str(c), str(s or "")) for k, r, c, s in rows]
