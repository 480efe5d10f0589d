"""Full-text search and filter-as-you-type indexes, kept in sync by triggers.

``search_index`` (FTS5, unicode61 without diacritics) holds case titles and summaries, notes,
request facts and person names, so "Gómez" is found by "gomez". Its rowid encodes the source row
(id * 4 + kind) so triggers update or delete one entry by key rather than by scanning.

``case_filter`` (FTS5, trigram) indexes what the case list filters on — reference, title,
countries, status, offences — so a substring filter over 100,000 cases is an index lookup, and
so is counting the matches.

On PostgreSQL (a team store) the same two tables are plain tables under the same names and key
column (``rowid``), kept by the same triggers: ``search_index.doc`` is a ``tsvector`` of the
accent-folded text (text search configuration ``casecoord``) with a GIN index, and ``case_filter.doc`` has a ``pg_trgm`` GIN index so an
``ILIKE '%…%'`` filter is an index lookup.

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


# PostgreSQL: the trigger functions run as their owner (SECURITY DEFINER), so an officer's role
# needs no write right on the indexes, and row-level security on them cannot stop the index
# from following the rows.
_PG_CASE_FILTER_TEXT = (
    "new.reference || ' ' || new.title || ' ~' || new.status || '~ ' || "
    "coalesce((SELECT string_agg('@' || c, ' ') FROM json_array_elements_text(new.countries) c), '')"
    " || ' ' || "
    "coalesce((SELECT string_agg(o, ' ') FROM json_array_elements_text(new.offences) o), '')"
)
_PG_ALIASES = (
    "coalesce((SELECT string_agg(a, ' ') FROM json_array_elements_text(new.aliases) a), '')"
)
_PG_UPSERT = (
    "INSERT INTO search_index(rowid, kind, ref, case_id, title, body) VALUES ({values}) "
    "ON CONFLICT (rowid) DO UPDATE SET ref = EXCLUDED.ref, case_id = EXCLUDED.case_id, "
    "title = EXCLUDED.title, body = EXCLUDED.body;"
)
_PG_INDEXED = {
    "case_file": (
        _PG_UPSERT.format(
            values=f"new.id * 4 + {CASE}, 'case', new.reference, new.id, new.title, new.summary"
        )
        + f" INSERT INTO case_filter(rowid, doc) VALUES (new.id, {_PG_CASE_FILTER_TEXT}) "
        "ON CONFLICT (rowid) DO UPDATE SET doc = EXCLUDED.doc;",
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {CASE}; "
        "DELETE FROM case_filter WHERE rowid = old.id;",
        "",
    ),
    "note": (
        _PG_UPSERT.format(
            values=f"new.id * 4 + {NOTE}, 'note', new.id::text, new.case_id, '', new.body"
        ),
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {NOTE};",
        "",
    ),
    "request": (
        _PG_UPSERT.format(
            values=f"new.id * 4 + {REQUEST}, 'request', new.reference, new.case_id, "
            "new.legal_qualification, new.facts"
        ),
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {REQUEST};",
        " OF facts, legal_qualification, reference, case_id",
    ),
    "person": (
        _PG_UPSERT.format(
            values=f"new.id * 4 + {PERSON}, 'person', new.id::text, new.case_id, "
            f"new.given_names || ' ' || new.family_name, {_PG_ALIASES}"
        ),
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {PERSON};",
        "",
    ),
}

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # a text search configuration that folds accents and case (unaccent, then simple), so that
    # "quinones" finds "Quiñones" and ts_headline still marks the word as it was written
    "CREATE TEXT SEARCH CONFIGURATION casecoord (COPY = simple)",
    """ALTER TEXT SEARCH CONFIGURATION casecoord
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple""",
    """CREATE TABLE search_index (
        rowid bigint PRIMARY KEY,
        kind text NOT NULL,
        ref text NOT NULL,
        case_id integer NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
        title text NOT NULL,
        body text NOT NULL,
        doc tsvector GENERATED ALWAYS AS
            (to_tsvector('casecoord'::regconfig, title || ' ' || body)) STORED)""",
    "CREATE INDEX ix_search_index_doc ON search_index USING gin (doc)",
    "CREATE INDEX ix_search_index_case ON search_index (case_id)",
    """CREATE TABLE case_filter (
        rowid integer PRIMARY KEY REFERENCES case_file(id) ON DELETE CASCADE,
        doc text NOT NULL)""",
    "CREATE INDEX ix_case_filter_doc ON case_filter USING gin (doc gin_trgm_ops)",
    *(
        statement
        for table, (on_write, on_delete, columns) in _PG_INDEXED.items()
        for statement in (
            f"""CREATE FUNCTION {table}_index_write() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path FROM CURRENT
                AS $$ BEGIN {on_write} RETURN NULL; END $$""",
            f"""CREATE FUNCTION {table}_index_delete() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path FROM CURRENT
                AS $$ BEGIN {on_delete} RETURN NULL; END $$""",
            f"""CREATE TRIGGER {table}_aiu AFTER INSERT OR UPDATE{columns} ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_index_write()""",
            f"""CREATE TRIGGER {table}_ad AFTER DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_index_delete()""",
        )
    ),
    # what already exists is indexed by touching nothing: a fresh team store is empty, and an
    # import goes through the triggers
]

POSTGRES_DOWN = [
    *(
        statement
        for table in _PG_INDEXED
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_aiu ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_ad ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_index_write()",
            f"DROP FUNCTION IF EXISTS {table}_index_delete()",
        )
    ),
    "DROP TABLE IF EXISTS search_index",
    "DROP TABLE IF EXISTS case_filter",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS casecoord",
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for statement in POSTGRES_UP if _postgres() else STATEMENTS_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DOWN if _postgres() else STATEMENTS_DOWN:
        op.execute(statement)
