"""On PostgreSQL: the search index knows who may read each entry, as the case list's does (0015).

At 1,000,000 cases and twenty officers the search was the slowest operation left (p95 958 ms,
bench/RESULTS.md): 0012's ``casecoord_search`` found the word's matches through the GIN index,
then tested each against the visibility rule (the case's, and for a request or a person its own
marking), and a word common in other teams' cases made it test thousands of entries that were
not hers.

Now every ``search_index`` entry carries ``readers``, its case's keys (``case_filter.readers``,
0015), and ``item_readers``: NULL where the entry is as open as its case (a case, a note, an
unrestricted request or person), else the keys of who may read the item itself (its creator and
the officers named on it). An officer may read the entry exactly when ``readers`` meets her keys
and ``item_readers`` is NULL or holds her own key: the rule of 0012's ``_ENTRY_VISIBLE``, as
data. One GIN index over ``readers`` and the ``tsvector`` answers "matches and she may read its
case" in one search. Triggers keep both columns: an entry's own write, a change of its case's
keys, a request re-marked (its index row is rewritten only when its text changes), and a naming
on a request or a person.

The search then reads its matches once through that index, up to the ranking limit (a
materialised step, so a LIMIT does not lure the planner into walking the table), ranks those
few by primary key (0012 searched the index twice, to count and then to rank: a prefix term
such as "1234:*" makes each search cost 25 to 40 ms at a million cases), and for a broad word
walks the newest entries first, as the list does (0015).

SQLite (a vault): nothing changes.

Revision ID: 0016_team_search_readers
Revises: 0015_team_case_readers
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from casecoord.vault.migrate import revision_module

revision: str = "0016_team_search_readers"
down_revision: str | None = "0015_team_case_readers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_0002 = revision_module("0002_search_indexes.py")
_0012 = revision_module("0012_team_search.py")
_0015 = revision_module("0015_team_case_readers.py")
REQUEST, PERSON = _0002.REQUEST, _0002.PERSON

SEARCH_WALK = 20000  # newest entries walked for a broad word before the index's matches

# Who may read a request or a person marked TLP:RED or H3 (its creator, the officers named on
# it); NULL when the item is not restricted, or is no item (a case's or a note's entry).
_ITEM_READERS = f"""CREATE FUNCTION casecoord_item_readers(p_rowid bigint) RETURNS text[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        item integer := (p_rowid / 4)::integer;
        kind integer := (p_rowid % 4)::integer;
        creator text;
        restricted boolean;
    BEGIN
        IF kind = {REQUEST} THEN
            SELECT r.created_by, (r.tlp = 'RED' OR r.handling_code = 'H3') INTO creator, restricted
                FROM request AS r WHERE r.id = item;
        ELSIF kind = {PERSON} THEN
            SELECT p.created_by, (p.tlp = 'RED' OR p.handling_code = 'H3') INTO creator, restricted
                FROM person AS p WHERE p.id = item;
        END IF;
        IF NOT coalesce(restricted, false) THEN
            RETURN NULL;
        END IF;
        RETURN ARRAY(SELECT 'o:' || creator WHERE creator IS NOT NULL
            UNION SELECT 'o:' || n.officer FROM need_to_know AS n
                WHERE n.entity = CASE kind WHEN {REQUEST} THEN 'request' ELSE 'person' END
                AND n.entity_id = item
            ORDER BY 1);
    END $$"""

# The entry takes its keys when its own trigger (0002) writes it: a new entry, or its text
# changed (a person re-marked is written anew, whatever changed); the triggers below set the
# keys themselves.
_ENTRY_KEYS = """CREATE FUNCTION casecoord_search_entry_keys() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
        new.readers := casecoord_case_readers(new.case_id);
        new.item_readers := casecoord_item_readers(new.rowid);
        RETURN new;
    END $$"""

# A case's keys changed (0015's triggers): its entries take them.
_CASE_KEYS_CHANGED = """CREATE FUNCTION casecoord_search_case_keys() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
        UPDATE search_index SET readers = new.readers WHERE case_id = new.rowid;
        RETURN NULL;
    END $$"""

# A request re-marked or re-owned (its entry is written only when its text changes), or a
# request or person named on or no longer: its entry takes its item keys anew.
_ITEM_KEYS_CHANGED = f"""CREATE FUNCTION casecoord_search_item_keys() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        entry bigint;
    BEGIN
        IF TG_TABLE_NAME = 'request' THEN
            entry := new.id::bigint * 4 + {REQUEST};
            UPDATE search_index SET item_readers = casecoord_item_readers(rowid)
                WHERE rowid = entry;
            RETURN NULL;
        END IF;
        FOR entry IN SELECT e.id::bigint * 4 + CASE e.entity WHEN 'request' THEN {REQUEST}
                ELSE {PERSON} END
            FROM (SELECT old.entity, old.entity_id WHERE TG_OP <> 'INSERT'
                  UNION SELECT new.entity, new.entity_id WHERE TG_OP <> 'DELETE') AS e(entity, id)
            WHERE e.entity IN ('request', 'person') LOOP
            UPDATE search_index SET item_readers = casecoord_item_readers(rowid)
                WHERE rowid = entry;
        END LOOP;
        RETURN NULL;
    END $$"""

_SETTINGS: str = _0015._SETTINGS

# The same filter as 0012's rule for one entry, on the two columns.
_MINE = "s.readers && $2 AND s.doc @@ $1 AND (s.item_readers IS NULL OR s.item_readers && $3)"

# The search index's rowids of the entries she may read that match the tsquery: best first when
# at most p_ranked match (ts_rank scores every match), newest first beyond.
SEARCH = f"""CREATE OR REPLACE FUNCTION casecoord_search(p_query text, p_limit integer,
        p_ranked integer)
    RETURNS SETOF bigint LANGUAGE plpgsql STABLE SECURITY DEFINER {_SETTINGS} AS $$
    DECLARE
        q tsquery := to_tsquery('casecoord'::regconfig, p_query);
        keys text[] := casecoord_my_reader_keys();
        me text[] := ARRAY['o:' || session_user];
        found bigint[];
        ids bigint[];
    BEGIN
        -- one index search (a prefix term costs most of it) gives the few to rank, or says
        -- there are too many
        EXECUTE 'WITH m AS MATERIALIZED (SELECT s.rowid FROM search_index AS s WHERE {_MINE}) '
            'SELECT ARRAY(SELECT rowid FROM m LIMIT $4)'
            INTO found USING q, keys, me, p_ranked + 1;
        IF cardinality(found) <= p_ranked THEN
            RETURN QUERY SELECT s.rowid FROM search_index AS s WHERE s.rowid = ANY(found)
                ORDER BY ts_rank(s.doc, q) DESC, s.rowid DESC LIMIT p_limit;
            RETURN;
        END IF;
        EXECUTE 'SELECT ARRAY(SELECT s.rowid FROM (SELECT rowid, readers, item_readers, doc '
            'FROM search_index ORDER BY rowid DESC LIMIT $5) AS s WHERE {_MINE} '
            'ORDER BY s.rowid DESC LIMIT $4)' INTO ids USING q, keys, me, p_limit, {SEARCH_WALK};
        IF cardinality(ids) >= p_limit THEN
            RETURN QUERY SELECT unnest(ids);
            RETURN;
        END IF;
        RETURN QUERY EXECUTE 'WITH m AS MATERIALIZED (SELECT s.rowid FROM search_index AS s '
            'WHERE {_MINE}) SELECT rowid FROM m ORDER BY rowid DESC LIMIT $4'
            USING q, keys, me, p_limit;
    END $$"""

# What an officer reads of the index: everything but the keys.
READABLE = ("rowid", "kind", "ref", "case_id", "title", "body", "doc")

UP = [
    _ITEM_READERS,
    "ALTER TABLE search_index ADD COLUMN readers text[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE search_index ADD COLUMN item_readers text[]",
    "UPDATE search_index SET readers = casecoord_case_readers(case_id), "
    "item_readers = casecoord_item_readers(rowid)",
    _ENTRY_KEYS,
    """CREATE TRIGGER search_index_keys BEFORE INSERT OR UPDATE OF case_id, title, body
        ON search_index
        FOR EACH ROW EXECUTE FUNCTION casecoord_search_entry_keys()""",
    _CASE_KEYS_CHANGED,
    # any update (a case re-marked rewrites its index row, whose own trigger changes the keys
    # without naming them in the statement, so UPDATE OF readers would not fire)
    """CREATE TRIGGER case_filter_search_keys AFTER UPDATE ON case_filter
        FOR EACH ROW WHEN (old.readers IS DISTINCT FROM new.readers)
        EXECUTE FUNCTION casecoord_search_case_keys()""",
    _ITEM_KEYS_CHANGED,
    """CREATE TRIGGER request_search_keys AFTER UPDATE OF tlp, handling_code, created_by
        ON request FOR EACH ROW EXECUTE FUNCTION casecoord_search_item_keys()""",
    """CREATE TRIGGER need_to_know_search_keys AFTER INSERT OR UPDATE OR DELETE ON need_to_know
        FOR EACH ROW EXECUTE FUNCTION casecoord_search_item_keys()""",
    "DROP INDEX ix_search_index_doc",
    "CREATE INDEX ix_search_index_readers_doc ON search_index USING gin (readers, doc)",
    SEARCH,
    f"""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casecoord_officer') THEN
            REVOKE ALL ON search_index FROM casecoord_officer;
            GRANT SELECT ({", ".join(READABLE)}) ON search_index TO casecoord_officer;
        END IF;
    END $$""",
]

DOWN = [
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casecoord_officer') THEN
            GRANT SELECT ON search_index TO casecoord_officer;
        END IF;
    END $$""",
    _0012._SEARCH.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    "DROP INDEX IF EXISTS ix_search_index_readers_doc",
    "CREATE INDEX ix_search_index_doc ON search_index USING gin (doc)",
    "DROP TRIGGER IF EXISTS need_to_know_search_keys ON need_to_know",
    "DROP TRIGGER IF EXISTS request_search_keys ON request",
    "DROP TRIGGER IF EXISTS case_filter_search_keys ON case_filter",
    "DROP TRIGGER IF EXISTS search_index_keys ON search_index",
    "DROP FUNCTION IF EXISTS casecoord_search_item_keys()",
    "DROP FUNCTION IF EXISTS casecoord_search_case_keys()",
    "DROP FUNCTION IF EXISTS casecoord_search_entry_keys()",
    "ALTER TABLE search_index DROP COLUMN IF EXISTS item_readers",
    "ALTER TABLE search_index DROP COLUMN IF EXISTS readers",
    "DROP FUNCTION IF EXISTS casecoord_item_readers(bigint)",
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        for statement in UP:
            op.execute(statement)


def downgrade() -> None:
    if _postgres():
        for statement in DOWN:
            op.execute(statement)
