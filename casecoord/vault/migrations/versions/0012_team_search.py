"""On PostgreSQL, the case-list filter, its count and the search through their indexes.

Under row-level security PostgreSQL applies a table's policy before any condition whose operator
is not leakproof; ``ILIKE`` (the filter, pg_trgm) and ``@@`` (the search, GIN) are not, so with
the policies of 0009 every filter and search first built the officer's visible set over the whole
table and only then matched the words: 375 ms and 761 ms at 20,000 cases, minutes at 1,000,000.

These SECURITY DEFINER functions read the index tables without row-level security, match the
words with the index first, and then apply the same visibility rule as the policies of 0009 to
each candidate, written out here (the officer is ``session_user``, the role she connected as,
which a SECURITY DEFINER function does not change). They return only ids the officer may see;
the services then read those rows through the ordinary tables, where the policies apply again
(an ``id IN (…)`` probe uses the leakproof integer equality, so the index comes first there).

A retention purge on the server: ``casecoord_purge_case``, SECURITY DEFINER, granted to the
role ``casecoord_purger`` only, audited. The server's chain walk gains the vault's rule that a NULL payload is a break unless a purge
entry explains it.

Counts are capped: the case list asks for "how many, up to N" and shows "N+" beyond, instead of
a ``count(*)`` that checks visibility for every one of a million rows.

SQLite (a vault): nothing changes.

Revision ID: 0012_team_search
Revises: 0010_request_scope
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_team_search"
down_revision: str | None = "0010_request_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The read rule of case_file (0009's policy), over the alias c.
_CASE_VISIBLE = (
    "(c.created_by = session_user "
    "OR EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = ''case'' "
    "AND n.entity_id = c.id AND n.officer = session_user) "
    "OR (NOT (c.tlp = ''RED'' OR c.handling_code = ''H3'') AND EXISTS ("
    "SELECT 1 FROM case_team AS ct JOIN team_member AS tm ON tm.team = ct.team "
    "WHERE ct.case_id = c.id AND tm.officer = session_user)))"
)

# The read rule of search_index (0009's policy), over the alias s: its case, and for a request or
# a person entry that item's own marking.
_ENTRY_VISIBLE = (
    "EXISTS (SELECT 1 FROM case_file AS c WHERE c.id = s.case_id AND " + _CASE_VISIBLE + ") "
    "AND (s.kind <> ''request'' OR EXISTS (SELECT 1 FROM request AS r WHERE r.id = s.rowid / 4 "
    "AND (r.created_by = session_user OR NOT (r.tlp = ''RED'' OR r.handling_code = ''H3'') "
    "OR EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = ''request'' "
    "AND n.entity_id = r.id AND n.officer = session_user)))) "
    "AND (s.kind <> ''person'' OR EXISTS (SELECT 1 FROM person AS p WHERE p.id = s.rowid / 4 "
    "AND (p.created_by = session_user OR NOT (p.tlp = ''RED'' OR p.handling_code = ''H3'') "
    "OR EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = ''person'' "
    "AND n.entity_id = p.id AND n.officer = session_user))))"
)

_MATCHES = """CREATE FUNCTION casecoord_filter_condition(p_patterns text[]) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(string_agg('f.doc ILIKE ' || quote_literal(p), ' AND '), 'true')
    FROM unnest(p_patterns) AS p $$"""

# Ids of the visible cases matching every pattern, one page in the list's order. The patterns
# are put into the statement as literals (quote_literal), so the planner sees them and picks the
# trigram index for a rare word or the sort column's index for a common one.
_CASE_PAGE = f"""CREATE FUNCTION casecoord_case_page(p_patterns text[], p_sort text,
        p_descending boolean, p_limit integer, p_offset integer)
    RETURNS SETOF integer LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    DECLARE
        sort_column text := CASE p_sort WHEN 'reference' THEN 'reference'
            WHEN 'title' THEN 'title' WHEN 'status' THEN 'status'
            WHEN 'created' THEN 'created_at' ELSE 'updated_at' END;
    BEGIN
        RETURN QUERY EXECUTE format(
            'SELECT c.id FROM case_file AS c WHERE c.id IN (SELECT f.rowid FROM case_filter AS f '
            'WHERE %s) AND {_CASE_VISIBLE} ORDER BY c.%I %s LIMIT %s OFFSET %s',
            casecoord_filter_condition(p_patterns), sort_column,
            CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END,
            greatest(p_limit, 0), greatest(p_offset, 0));
    END $$"""

# How many visible cases match, counting no further than p_cap.
_CASE_COUNT = f"""CREATE FUNCTION casecoord_case_count(p_patterns text[], p_cap integer)
    RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        found bigint;
    BEGIN
        IF coalesce(cardinality(p_patterns), 0) = 0 THEN
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM case_file AS c '
                'WHERE {_CASE_VISIBLE} LIMIT %s) AS v', greatest(p_cap, 0)) INTO found;
        ELSE
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM case_filter AS f '
                'JOIN case_file AS c ON c.id = f.rowid WHERE %s AND {_CASE_VISIBLE} '
                'LIMIT %s) AS v', casecoord_filter_condition(p_patterns), greatest(p_cap, 0))
                INTO found;
        END IF;
        RETURN found;
    END $$"""

# The search index's rowids of the visible entries matching the tsquery, best first when at most
# p_ranked match (ts_rank scores every match), newest first beyond.
_SEARCH = f"""CREATE FUNCTION casecoord_search(p_query text, p_limit integer, p_ranked integer)
    RETURNS SETOF bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    DECLARE
        q tsquery := to_tsquery('casecoord'::regconfig, p_query);
        matches bigint;
    BEGIN
        EXECUTE 'SELECT count(*) FROM (SELECT 1 FROM search_index AS s WHERE s.doc @@ $1 '
            'AND {_ENTRY_VISIBLE} LIMIT $2) AS m' INTO matches USING q, p_ranked + 1;
        IF matches > p_ranked THEN
            RETURN QUERY EXECUTE 'SELECT s.rowid FROM search_index AS s WHERE s.doc @@ $1 '
                'AND {_ENTRY_VISIBLE} ORDER BY s.rowid DESC LIMIT $2' USING q, p_limit;
        ELSE
            RETURN QUERY EXECUTE 'SELECT s.rowid FROM search_index AS s WHERE s.doc @@ $1 '
                'AND {_ENTRY_VISIBLE} ORDER BY ts_rank(s.doc, $1) DESC, s.rowid DESC LIMIT $2'
                USING q, p_limit;
        END IF;
    END $$"""

# The index tables' policies of 0009 built the officer's whole visible set as a hashed subplan
# (right while ILIKE and @@ ran under them, since then every row was checked); now the services
# reach these tables by primary key only (the functions above find the ids), so a key probe per
# row read is the cheaper rule: reading 20 search hits no longer hashes every visible case.
POLICIES = {
    "case_filter": "EXISTS (SELECT 1 FROM case_file AS c WHERE c.id = case_filter.rowid)",
    "search_index": (
        "EXISTS (SELECT 1 FROM case_file AS c WHERE c.id = search_index.case_id) "
        "AND (kind <> 'request' OR EXISTS (SELECT 1 FROM request AS r "
        "WHERE r.id = search_index.rowid / 4)) "
        "AND (kind <> 'person' OR EXISTS (SELECT 1 FROM person AS p "
        "WHERE p.id = search_index.rowid / 4))"
    ),
}
OLD_POLICIES = {
    "case_filter": "rowid IN (SELECT c.id FROM case_file AS c)",
    "search_index": (
        "case_id IN (SELECT c.id FROM case_file AS c) "
        "AND (kind <> 'request' OR rowid / 4 IN (SELECT r.id FROM request AS r)) "
        "AND (kind <> 'person' OR rowid / 4 IN (SELECT p.id FROM person AS p))"
    ),
}


def _set_policies(rules: dict[str, str]) -> None:
    for table, using in rules.items():
        op.execute(f"ALTER POLICY {table}_read ON {table} USING ({using})")
        op.execute(f"ALTER POLICY {table}_insert ON {table} WITH CHECK ({using})")
        op.execute(f"ALTER POLICY {table}_update ON {table} USING ({using}) WITH CHECK ({using})")
        op.execute(f"ALTER POLICY {table}_delete ON {table} USING ({using})")


# The server's chain walk (0009's casecoord_audit_verify) with the rule the vault's walk has: an
# entry whose payload is NULL is a break unless a "case.purged" entry names its case (by the
# SHA-256 of the reference, as casecoord.services.retention writes it).
_VERIFY = """CREATE OR REPLACE FUNCTION casecoord_audit_verify(OUT entries bigint,
        OUT broken_at integer, OUT reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        e audit_entry;
        expected_prev text := repeat('0', 64);
        expected_seq integer := 1;
    BEGIN
        entries := 0;
        FOR e IN SELECT * FROM audit_entry ORDER BY seq LOOP
            entries := entries + 1;
            IF e.seq <> expected_seq THEN
                broken_at := expected_seq;
                reason := format('entry %s is missing (next is %s)', expected_seq, e.seq);
                RETURN;
            END IF;
            IF e.prev_hash <> expected_prev THEN
                broken_at := e.seq;
                reason := 'it does not follow the entry before it (reordered or replaced)';
                RETURN;
            END IF;
            IF e.payload IS NULL THEN
                IF e.case_ref IS NULL OR NOT EXISTS (SELECT 1 FROM audit_entry AS p
                        WHERE p.action = 'case.purged' AND p.entity_ref
                            = encode(sha256(convert_to(btrim(e.case_ref), 'UTF8')), 'hex')) THEN
                    broken_at := e.seq;
                    reason := 'its recorded details were erased, and no purge explains it';
                    RETURN;
                END IF;
            ELSIF e.payload_digest
                    <> encode(sha256(convert_to(e.payload::text, 'UTF8')), 'hex') THEN
                broken_at := e.seq;
                reason := 'its recorded details were edited';
                RETURN;
            END IF;
            IF e.entry_hash <> casecoord_audit_link(e.prev_hash, e.seq, e.at, e.actor,
                    e.action, e.entity, e.entity_ref, e.case_ref, e.payload_digest) THEN
                broken_at := e.seq;
                reason := 'its time, actor, action or subject was edited';
                RETURN;
            END IF;
            expected_prev := e.entry_hash;
            expected_seq := expected_seq + 1;
        END LOOP;
    END $$"""

# A retention purge on the server: deleting a case and blanking its audit payloads needs rights
# no officer has (audit_entry is append-only for her), so the purge is this one function, run
# with the owner's rights, granted by 'team init' only to the role casecoord_purger. It checks
# the rule itself (closed, retention lapsed by the server's date, visible to the caller), and
# appends the "case.purged" entry that explains the blanked payloads (the reference as SHA-256,
# the payload in canonical JSON, as casecoord.services.retention writes it in a vault).
_PURGE = """CREATE FUNCTION casecoord_purge_case(p_reference text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
        c case_file;
        blanked integer;
    BEGIN
        SELECT * INTO c FROM case_file WHERE reference = p_reference FOR UPDATE;
        IF NOT FOUND OR NOT casecoord_sees_case(c.id) THEN
            RAISE EXCEPTION 'no case %', p_reference USING ERRCODE = 'no_data_found';
        END IF;
        IF c.status <> 'closed' OR c.retention_until IS NULL
                OR c.retention_until >= current_date THEN
            RAISE EXCEPTION 'case % is not closed with its retention lapsed', p_reference
                USING ERRCODE = 'check_violation';
        END IF;
        DELETE FROM case_file WHERE id = c.id;
        DELETE FROM search_index WHERE case_id = c.id;
        DELETE FROM case_filter WHERE rowid = c.id;
        UPDATE audit_entry SET payload = NULL WHERE case_ref = c.reference AND payload IS NOT NULL;
        GET DIAGNOSTICS blanked = ROW_COUNT;
        PERFORM casecoord_audit_append('case.purged', 'case',
            encode(sha256(convert_to(btrim(c.reference), 'UTF8')), 'hex'), NULL,
            format('{"purged_on":"%s","retention_until":"%s"}',
                to_char(current_date, 'YYYY-MM-DD'), to_char(c.retention_until, 'YYYY-MM-DD')));
        RETURN blanked;
    END $$"""

FUNCTIONS = {
    "casecoord_filter_condition(text[])": _MATCHES,
    "casecoord_case_page(text[], text, boolean, integer, integer)": _CASE_PAGE,
    "casecoord_case_count(text[], integer)": _CASE_COUNT,
    "casecoord_search(text, integer, integer)": _SEARCH,
    "casecoord_purge_case(text)": _PURGE,
}


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        for statement in FUNCTIONS.values():
            op.execute(statement)
        _set_policies(POLICIES)
        op.execute(_VERIFY)
        op.execute("REVOKE EXECUTE ON FUNCTION casecoord_purge_case(text) FROM PUBLIC")


def downgrade() -> None:
    if _postgres():
        # 0009's walk, without the NULL-payload rule
        op.execute(
            _VERIFY.replace(
                "IF e.payload IS NULL THEN",
                "IF e.payload IS NULL AND false THEN",
            )
        )
        _set_policies(OLD_POLICIES)
        for signature in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
