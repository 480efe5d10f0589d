"""On PostgreSQL: the case list's index knows who may read each case, and a page of a common word
walks the list's order.

At 1,000,000 cases (bench/RESULTS.md, team store) a filter took seconds whenever its word was
common in other teams' cases and rare in the officer's own: "CO" matches half a million cases,
none of them a case of hers, so 0012's ``casecoord_case_page`` read every match through the
trigram index and tested each against the visibility rule to return nothing (1.2 s for the page,
1.3 s for its count, 1.7 to 4 s for the list, one officer alone on the server). Neither the
words nor the visibility rule was selective; only the two together were, and no index held both.

Now ``case_filter`` carries ``readers``: the keys of everyone case_file's read rule (0009) lets
in, ``o:<officer>`` for the case's creator and for each officer named on it (need-to-know), and
``t:<team>`` for each team it is assigned to unless it is marked TLP:RED or H3 (then only the
named read it). An officer's own keys are ``o:<her>`` and ``t:<each of her teams>``, so "she may
read the case" is exactly "its readers and her keys overlap", and one GIN index over ``readers``
and the trigram ``doc`` answers "matches the words AND she may read it" in one search. Triggers
keep the keys with what they are made of: the index row's own write (a case created, re-marked),
``case_team`` and ``need_to_know`` (entity ``case``) on every insert, update and delete, all in
the transaction of the change. Officers read the index's text, not its keys: those name teams
and colleagues she is not told about.

The functions only choose ids: the services read the rows through case_file's own policy, which
still decides. A page is first looked for in a prefix of the list's own order (the sort column's
index walked from its start, ``WALK_FACTOR`` entries per wanted row, at least ``WALK_MIN``, at
most ``WALK_MAX``): when that prefix holds the whole page, those rows are the page, since the
first N matches of a prefix of an order are its first N matches; otherwise the matches come from
the index and are sorted. The list with no filter goes the same way, so an officer who sees 30
cases of a million no longer walks the million to fill her first page. The capped count walks
the ids the same way before it asks the index.

SQLite (a vault): nothing changes; a vault has one reader.

Revision ID: 0015_team_case_readers
Revises: 0014_team_settings_audit
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from casecoord.vault.migrate import revision_module

revision: str = "0015_team_case_readers"
down_revision: str | None = "0014_team_settings_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_0012 = revision_module("0012_team_search.py")

WALK_FACTOR = 40
WALK_MIN = 4000
WALK_MAX = 50000
COUNT_WALK = (4, 40)  # ids walked per case counted: a first walk, and a longer one when dense

# Everyone case_file's read rule (0009) lets read case p_case, as keys; and the caller's keys.
_READERS = """CREATE FUNCTION casecoord_case_readers(p_case integer) RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT ARRAY(
        SELECT 'o:' || c.created_by FROM case_file AS c
            WHERE c.id = p_case AND c.created_by IS NOT NULL
        UNION SELECT 'o:' || n.officer FROM need_to_know AS n
            WHERE n.entity = 'case' AND n.entity_id = p_case
        UNION SELECT 't:' || ct.team FROM case_team AS ct JOIN case_file AS c ON c.id = ct.case_id
            WHERE ct.case_id = p_case AND NOT (c.tlp = 'RED' OR c.handling_code = 'H3')
        ORDER BY 1) $$"""

_MY_KEYS = """CREATE FUNCTION casecoord_my_reader_keys() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT ARRAY['o:' || session_user] || ARRAY(
        SELECT 't:' || tm.team FROM team_member AS tm WHERE tm.officer = session_user) $$"""

# The index row takes its keys when case_file's trigger (0002) writes it, for every new or
# changed case, so a case re-marked TLP:RED loses its teams' keys at once; the triggers below
# set the keys themselves.
_FILTER_ROW_KEYS = """CREATE FUNCTION casecoord_case_filter_keys() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
        new.readers := casecoord_case_readers(new.rowid);
        RETURN new;
    END $$"""

# A change to who may read a case (a team assigned or withdrawn, an officer named or no longer
# named) takes that case's keys anew.
_KEYS_FOLLOW = """CREATE FUNCTION casecoord_case_keys_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
        IF TG_TABLE_NAME = 'case_team' THEN
            UPDATE case_filter SET readers = casecoord_case_readers(rowid) WHERE rowid IN (
                SELECT (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE old.case_id END)
                UNION SELECT (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE new.case_id END));
        ELSE
            UPDATE case_filter SET readers = casecoord_case_readers(rowid) WHERE rowid IN (
                SELECT (CASE WHEN TG_OP <> 'INSERT' AND old.entity = 'case'
                    THEN old.entity_id END)
                UNION SELECT (CASE WHEN TG_OP <> 'DELETE' AND new.entity = 'case'
                    THEN new.entity_id END));
        END IF;
        RETURN NULL;
    END $$"""

# Both functions plan each statement for the values at hand (EXECUTE), never scan a table whole
# (enable_seqscan off: the indexes are always there, and a whole scan is what a LIMIT tempts the
# planner into when it guesses thousands of matches that are not hers), and skip JIT (compiling
# costs more than these statements run).
_SETTINGS = "SET search_path FROM CURRENT SET enable_seqscan = off SET jit = off"

_MATCHES = (
    "EXECUTE format('SELECT ARRAY(SELECT f.rowid FROM case_filter AS f "
    "WHERE f.readers && $1 AND %s)', casecoord_filter_condition(p_patterns)) "
    "INTO matches USING keys;"
)

# Ids of the cases she may read that match every pattern (none: all she may read), one page
# in the list's order.
PAGE = f"""CREATE OR REPLACE FUNCTION casecoord_case_page(p_patterns text[], p_sort text,
        p_descending boolean, p_limit integer, p_offset integer)
    RETURNS SETOF integer LANGUAGE plpgsql STABLE SECURITY DEFINER {_SETTINGS} AS $$
    DECLARE
        sort_column text := CASE p_sort WHEN 'reference' THEN 'reference'
            WHEN 'title' THEN 'title' WHEN 'status' THEN 'status'
            WHEN 'created' THEN 'created_at' ELSE 'updated_at' END;
        direction text := CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END;
        wanted integer := greatest(p_limit, 0);
        skipped integer := greatest(p_offset, 0);
        keys text[] := casecoord_my_reader_keys();
        ids integer[];
        matches integer[];
    BEGIN
        IF wanted = 0 THEN
            RETURN;
        END IF;
        EXECUTE format(
            'SELECT ARRAY(SELECT w.id FROM (SELECT id, %I AS k FROM case_file '
            'ORDER BY %I %s LIMIT %s) AS w JOIN case_filter AS f ON f.rowid = w.id '
            'WHERE f.readers && $1 AND %s ORDER BY w.k %s LIMIT %s OFFSET %s)',
            sort_column, sort_column, direction,
            least(greatest((skipped + wanted) * {WALK_FACTOR}, {WALK_MIN}), {WALK_MAX}),
            casecoord_filter_condition(p_patterns), direction, wanted, skipped)
            INTO ids USING keys;
        IF cardinality(ids) = wanted THEN
            RETURN QUERY SELECT unnest(ids);
            RETURN;
        END IF;
        {_MATCHES}
        RETURN QUERY EXECUTE format('SELECT c.id FROM case_file AS c WHERE c.id = ANY($1) '
            'ORDER BY c.%I %s LIMIT %s OFFSET %s', sort_column, direction, wanted, skipped)
            USING matches;
    END $$"""

# How many cases she may read match (none: how many she may read), counting no further than
# p_cap: the ids walked first, a longer walk when the first found them dense, then the index.
COUNT = f"""CREATE OR REPLACE FUNCTION casecoord_case_count(p_patterns text[], p_cap integer)
    RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER {_SETTINGS} AS $$
    DECLARE
        cap integer := greatest(p_cap, 0);
        keys text[] := casecoord_my_reader_keys();
        walked integer := least(cap * {COUNT_WALK[0]}, {WALK_MAX});
        found bigint;
        matches integer[];
    BEGIN
        IF cap = 0 THEN
            RETURN 0;
        END IF;
        FOR pass IN 1..2 LOOP
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid, readers, doc '
                'FROM case_filter ORDER BY rowid LIMIT %s) AS f WHERE f.readers && $1 AND %s '
                'LIMIT %s) AS v', walked, casecoord_filter_condition(p_patterns), cap)
                INTO found USING keys;
            IF found >= cap THEN
                RETURN found;
            END IF;
            EXIT WHEN pass = 2 OR found * {COUNT_WALK[1]} < cap * {COUNT_WALK[0]}
                OR walked >= {WALK_MAX};
            walked := least(cap * {COUNT_WALK[1]}, {WALK_MAX});
        END LOOP;
        {_MATCHES}
        RETURN least(cardinality(matches), cap);
    END $$"""

UP = [
    _READERS,
    _MY_KEYS,
    "ALTER TABLE case_filter ADD COLUMN readers text[] NOT NULL DEFAULT '{}'",
    "UPDATE case_filter SET readers = casecoord_case_readers(rowid)",
    _FILTER_ROW_KEYS,
    """CREATE TRIGGER case_filter_keys BEFORE INSERT OR UPDATE OF doc ON case_filter
        FOR EACH ROW EXECUTE FUNCTION casecoord_case_filter_keys()""",
    _KEYS_FOLLOW,
    """CREATE TRIGGER case_team_keys AFTER INSERT OR UPDATE OR DELETE ON case_team
        FOR EACH ROW EXECUTE FUNCTION casecoord_case_keys_follow()""",
    """CREATE TRIGGER need_to_know_keys AFTER INSERT OR UPDATE OR DELETE ON need_to_know
        FOR EACH ROW EXECUTE FUNCTION casecoord_case_keys_follow()""",
    "DROP INDEX ix_case_filter_doc",
    "CREATE INDEX ix_case_filter_readers_doc ON case_filter USING gin (readers, doc gin_trgm_ops)",
    PAGE,
    COUNT,
    # the keys name every team and officer a case is shared with: officers read the index's
    # text only (casecoord.services.team grants the same on 'team init')
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casecoord_officer') THEN
            REVOKE ALL ON case_filter FROM casecoord_officer;
            GRANT SELECT (rowid, doc) ON case_filter TO casecoord_officer;
        END IF;
    END $$""",
]

DOWN = [
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casecoord_officer') THEN
            GRANT SELECT ON case_filter TO casecoord_officer;
        END IF;
    END $$""",
    _0012._CASE_PAGE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    _0012._CASE_COUNT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    "DROP INDEX IF EXISTS ix_case_filter_readers_doc",
    "CREATE INDEX ix_case_filter_doc ON case_filter USING gin (doc gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS need_to_know_keys ON need_to_know",
    "DROP TRIGGER IF EXISTS case_team_keys ON case_team",
    "DROP TRIGGER IF EXISTS case_filter_keys ON case_filter",
    "DROP FUNCTION IF EXISTS casecoord_case_keys_follow()",
    "DROP FUNCTION IF EXISTS casecoord_case_filter_keys()",
    "ALTER TABLE case_filter DROP COLUMN IF EXISTS readers",
    "DROP FUNCTION IF EXISTS casecoord_my_reader_keys()",
    "DROP FUNCTION IF EXISTS casecoord_case_readers(integer)",
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
