"""Full-text search over case titles and summaries, notes, request facts and person names.

The FTS5 index lives inside the encrypted database (``search_index``) and ignores accents, so
"gomez" finds "Gómez". Queries are turned into quoted prefix terms: the officer types words, not
FTS syntax, and a stray quote or operator can never raise an error.

On a team store (PostgreSQL) the same table holds a ``tsvector`` of the accent-folded text with a
GIN index; the words become prefix terms of a ``tsquery`` and the snippet is ``ts_headline``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from casecoord.store import Store, is_postgres


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


RANKED_MAX = 1000


def search(vault: Store, words: str, limit: int = 50) -> list[SearchHit]:
    """Best matches first when there are at most a thousand; newest first beyond that.

    Ranking (bm25) scores every match, which costs 280 ms for a word found in 300,000 request
    facts; a word that common says little about relevance anyway. A cheap probe (stops at
    1,001 rowids) decides, so a focused search is ranked and a broad one stays under 20 ms.
    """
    match = fts_query(words)
    if match is None:
        return []
    params = {"match": match, "limit": limit, "probe": RANKED_MAX + 1}
    probe = text(
        "SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH :match "
        "LIMIT :probe)"
    )
    with vault.session() as session:
        if is_postgres(session):
            return _search_postgres(session, words, limit)
        connection = session.connection()
        broad = int(connection.execute(probe, params).scalar_one()) > RANKED_MAX
        order = "s.rowid DESC" if broad else "rank"
        sql = text(
            "SELECT s.kind, s.ref, c.reference, snippet(search_index, -1, '[', ']', '…', 12) "  # noqa: S608 (order is ours)
            "FROM search_index AS s JOIN case_file AS c ON c.id = s.case_id "
            f"WHERE search_index MATCH :match ORDER BY {order} LIMIT :limit"
        )
        rows = connection.execute(sql, params).all()
    return [SearchHit(str(k), str(r), str(c), str(snip or "")) for k, r, c, snip in rows]


def tsquery_text(words: str) -> str | None:
    """The words as a PostgreSQL ``tsquery`` of prefix terms; only word characters survive, so
    no operator of the query language can come from what the officer typed."""
    tokens = re.findall(r"\w+", words, flags=re.UNICODE)
    if not tokens:
        return None
    return " & ".join(f"{token}:*" for token in tokens)


def _search_postgres(session: Session, words: str, limit: int) -> list[SearchHit]:
    query = tsquery_text(words)
    if query is None:
        return []
    # the visible matches, found by the GIN index first and then checked against the same rule
    # as the policies (0012_team_search), in the order the function chose; the rows are then
    # read by primary key through search_index's own policy (integer equality is leakproof, so
    # the key comes before the policy: a handful of probes, not the whole table)
    connection = session.connection()
    ids = [
        int(i)
        for i in connection.execute(
            text("SELECT casecoord_search(:query, :limit, :ranked)"),
            {"query": query, "limit": limit, "ranked": RANKED_MAX},
        ).scalars()
    ]
    if not ids:
        return []
    sql = text(
        "SELECT s.rowid, s.kind, s.ref, c.reference, "
        "ts_headline('casecoord'::regconfig, s.title || ' ' || s.body, "
        "to_tsquery('casecoord'::regconfig, :query), "
        "'StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=1') "
        "FROM search_index AS s JOIN case_file AS c ON c.id = s.case_id "
        "WHERE s.rowid = ANY(:ids)"
    )
    found = {
        int(rowid): SearchHit(str(k), str(r), str(c), str(snip or ""))
        for rowid, k, r, c, snip in connection.execute(sql, {"query": query, "ids": ids}).all()
    }
    return [found[i] for i in ids if i in found]
