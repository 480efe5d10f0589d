"""Full-text search and filter-as-you-type indexes, kept in sync by triggers.

``search_index`` (FTS5, unicode61 without diacritics) holds case titles and summaries, notes,
request facts and person names, so "Gómez" is found by "gomez". Its rowid encodes the source row
(id * 4 + kind) so triggers update or delete one entry by key rather than by scanning.

``case_filter`` (FTS5, trigram) indexes what the case list filters on — reference, title,
countries, status, offences — so a substring filter over 100,000 cases is an index lookup, and
so is counting the matches.

Revision ID: 0002_search_indexes
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_search_indexes"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# kind codes in the low two bits of search_index rowids
CASE, NOTE, REQUEST, PERSON = 0, 1, 2, 3

# Countries are written "@CO @NL" so a two-letter country code becomes a three-character
# trigram query ("@co"); the status is written "~active~" so a status filter is an index lookup.
_CASE_FILTER_TEXT = (
    "{r}.reference || ' ' || {r}.title || ' ~' || {r}.status || '~ @' || "
    "replace(replace(replace(replace({r}.countries, '[', ''), ']', ''), '\"', ''), ', ', ' @') "
    "|| ' ' || replace(replace(replace({r}.offences, '[', ''), ']', ''), '\"', '')"
)

STATEMENTS_UP = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        kind UNINDEXED, ref UNINDEXED, case_id UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE case_filter USING fts5(doc, tokenize = 'trigram')",
    # cases
    f"""CREATE TRIGGER case_file_ai AFTER INSERT ON case_file BEGIN
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {CASE}, 'case', new.reference, new.id, new.title, new.summary);
        INSERT INTO case_filter(rowid, doc) VALUES (new.id, {_CASE_FILTER_TEXT.format(r="new")});
    END""",
    f"""CREATE TRIGGER case_file_au AFTER UPDATE ON case_file BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {CASE};
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {CASE}, 'case', new.reference, new.id, new.title, new.summary);
        DELETE FROM case_filter WHERE rowid = old.id;
        INSERT INTO case_filter(rowid, doc) VALUES (new.id, {_CASE_FILTER_TEXT.format(r="new")});
    END""",
    f"""CREATE TRIGGER case_file_ad AFTER DELETE ON case_file BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {CASE};
        DELETE FROM case_filter WHERE rowid = old.id;
    END""",
    # notes
    f"""CREATE TRIGGER note_ai AFTER INSERT ON note BEGIN
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {NOTE}, 'note', CAST(new.id AS TEXT), new.case_id, '', new.body);
    END""",
    f"""CREATE TRIGGER note_au AFTER UPDATE ON note BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {NOTE};
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {NOTE}, 'note', CAST(new.id AS TEXT), new.case_id, '', new.body);
    END""",
    f"""CREATE TRIGGER note_ad AFTER DELETE ON note BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {NOTE};
    END""",
    # requests
    f"""CREATE TRIGGER request_ai AFTER INSERT ON request BEGIN
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {REQUEST}, 'request', new.reference, new.case_id,
                new.legal_qualification, new.facts);
    END""",
    f"""CREATE TRIGGER request_au AFTER UPDATE OF facts, legal_qualification, reference
        ON request BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {REQUEST};
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {REQUEST}, 'request', new.reference, new.case_id,
                new.legal_qualification, new.facts);
    END""",
    f"""CREATE TRIGGER request_ad AFTER DELETE ON request BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {REQUEST};
    END""",
    # persons
    f"""CREATE TRIGGER person_ai AFTER INSERT ON person BEGIN
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {PERSON}, 'person', CAST(new.id AS TEXT), new.case_id,
                new.given_names || ' ' || new.family_name, new.aliases);
    END""",
    f"""CREATE TRIGGER person_au AFTER UPDATE ON person BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {PERSON};
        INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        VALUES (new.id * 4 + {PERSON}, 'person', CAST(new.id AS TEXT), new.case_id,
                new.given_names || ' ' || new.family_name, new.aliases);
    END""",
    f"""CREATE TRIGGER person_ad AFTER DELETE ON person BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + {PERSON};
    END""",
    # index what already exists (a vault upgraded from 0001)
    f"""INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        SELECT id * 4 + {CASE}, 'case', reference, id, title, summary FROM case_file""",
    f"""INSERT INTO case_filter(rowid, doc)
        SELECT id, {_CASE_FILTER_TEXT.format(r="case_file")} FROM case_file""",
    f"""INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        SELECT id * 4 + {NOTE}, 'note', CAST(id AS TEXT), case_id, '', body FROM note""",
    f"""INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        SELECT id * 4 + {REQUEST}, 'request', reference, case_id, legal_qualification, facts
        FROM request""",
    f"""INSERT INTO search_index(rowid, kind, ref, case_id, title, body)
        SELECT id * 4 + {PERSON}, 'person', CAST(id AS TEXT), case_id,
               given_names || ' ' || family_name, aliases FROM person""",
]

STATEMENTS_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for table in ("case_file", "note", "request", "person")
        for name in (f"{table}_ai", f"{table}_au", f"{table}_ad")
    ),
    "DROP TABLE IF EXISTS search_index",
    "DROP TABLE IF EXISTS case_filter",
]


def upgrade() -> None:
    for statement in STATEMENTS_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in STATEMENTS_DOWN:
        op.execute(statement)
