"""Version counters on cases, requests and deadlines; on PostgreSQL, team mode.

Both backends: a ``version`` column (optimistic concurrency: two officers saving the same record
cannot overwrite each other unnoticed). Plain ``add_column``, not batch mode: a batch "recreate"
on SQLite would drop the search triggers of 0002.

PostgreSQL only (a team store), what the server must enforce because a client cannot be trusted:

- teams and their members (officers are database roles), the cases assigned to each team, and
  the officers named on restricted items (``need_to_know``);
- row-level security: an officer sees a case she created, or one assigned to one of her teams,
  but a case marked TLP:RED or handling code H3 only if she created it or is named on it; a
  request, person or attachment carries its own marking and the same rule; every other row
  follows its case (or request, or attachment); the search and filter indexes and the audit
  entries follow what they describe;
- the audit chain appended by the server: ``casecoord_audit_append`` (SECURITY DEFINER) is the
  only way in, the actor is ``session_user`` (the officer's database role, not a name the client
  chose), and a trigger on every recorded table appends an entry for each row written, in the
  same transaction, so a change made with hand-written SQL is in the chain too;
  ``casecoord_audit_verify`` walks the whole chain on the server, where an officer's role could
  not (row-level security hides other teams' entries from her).

The roles and their privileges are created by ``casecoord team init``, not here: roles belong to
the whole server, not to one database.

Revision ID: 0009_team_mode
Revises: 0008_request_document_fields
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_team_mode"
down_revision: str | None = "0008_request_document_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("case_file", "request", "deadline")

# Items that carry their own marking (TLP, SIENA handling code) and a creator.
MARKED = ("case_file", "request", "person", "attachment")
# Rows written by officers, each recorded by the audit trigger: how the entry names the row and
# which case it belongs to, as expressions over the row ($1).
RECORDED = {
    "case_file": ("($1).reference", "($1).id"),
    "request": ("($1).reference", "($1).case_id"),
    "deadline": ("($1).uid", "($1).case_id"),
    "person": ("($1).id::text", "($1).case_id"),
    "note": ("($1).id::text", "($1).case_id"),
    "attachment": ("($1).id::text", "($1).case_id"),
    "contact": ("($1).handle", "NULL::integer"),
    "case_team": ("($1).case_id::text || ':' || ($1).team", "($1).case_id"),
    "need_to_know": (
        "($1).entity || ':' || ($1).entity_id::text || ':' || ($1).officer",
        "CASE WHEN ($1).entity = 'case' THEN ($1).entity_id END",
    ),
}


def _quote(expression: str) -> str:
    return "'" + expression.replace("'", "''") + "'"


_MINE = "created_by = session_user"
_MY_TEAMS = "(SELECT tm.team FROM team_member AS tm WHERE tm.officer = session_user)"
_RESTRICTED = "(tlp = 'RED' OR handling_code = 'H3')"


# Every rule is a correlated EXISTS probing a primary key, evaluated only for the rows a query
# actually reads: a page of 50 cases costs 50 probes, whatever the size of the store, where an
# "id IN (SELECT …)" would build the officer's whole visible set for every statement.


def _named(entity: str, table: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = '{entity}' "
        f"AND n.entity_id = {table}.id AND n.officer = session_user)"
    )


def _case_of(column: str) -> str:
    return f"EXISTS (SELECT 1 FROM case_file AS c WHERE c.id = {column})"


_CASE_VISIBLE = (
    f"{_MINE} OR {_named('case', 'case_file')} OR (NOT {_RESTRICTED} AND EXISTS "
    "(SELECT 1 FROM case_team AS ct JOIN team_member AS tm ON tm.team = ct.team "
    "WHERE ct.case_id = case_file.id AND tm.officer = session_user))"
)


def _item_visible(entity: str, table: str) -> str:
    return (
        f"{_case_of(table + '.case_id')} AND "
        f"({_MINE} OR {_named(entity, table)} OR NOT {_RESTRICTED})"
    )


# Who sees a row: the USING clause of every table's policy.
VISIBLE = {
    "case_file": _CASE_VISIBLE,
    "request": _item_visible("request", "request"),
    "person": _item_visible("person", "person"),
    "attachment": _item_visible("attachment", "attachment"),
    "note": _case_of("note.case_id"),
    "deadline": _case_of("deadline.case_id"),
    "case_link": _case_of("case_link.case_id"),
    "request_person": "EXISTS (SELECT 1 FROM request AS r WHERE r.id = request_person.request_id)",
    "attachment_chunk": (
        "EXISTS (SELECT 1 FROM attachment AS a WHERE a.id = attachment_chunk.attachment_id)"
    ),
    # the search and filter indexes are matched with operators PostgreSQL does not call
    # leakproof (@@, ILIKE), so the policy runs on every row before them: a hashed set of the
    # visible ids is cheaper there than a probe per row
    "case_filter": "rowid IN (SELECT c.id FROM case_file AS c)",
    "search_index": (
        "case_id IN (SELECT c.id FROM case_file AS c) "
        "AND (kind <> 'request' OR rowid / 4 IN (SELECT r.id FROM request AS r)) "
        "AND (kind <> 'person' OR rowid / 4 IN (SELECT p.id FROM person AS p))"
    ),
    "audit_entry": (
        "(case_ref IS NULL OR EXISTS (SELECT 1 FROM case_file AS c "
        "WHERE c.reference = audit_entry.case_ref)) "
        "AND (entity <> 'request' OR EXISTS (SELECT 1 FROM request AS r "
        "WHERE r.reference = audit_entry.entity_ref))"
    ),
    "imported_audit": (
        "case_ref IS NULL OR EXISTS (SELECT 1 FROM case_file AS c "
        "WHERE c.reference = imported_audit.case_ref)"
    ),
    "team_member": "officer = session_user",
    # these two are read by the case policy, so theirs must not read cases (no recursion)
    "case_team": f"team IN {_MY_TEAMS}",
    "need_to_know": "officer = session_user",
    "identity": "owner = session_user",
}
# What an officer may write: rows she can see, and new rows that name her as their creator.
WRITABLE = {
    **dict.fromkeys(MARKED, _MINE),
    # the case's policy reads these two tables, so their write checks ask SECURITY DEFINER
    # functions (the same rule, read without row-level security) rather than the case table
    "case_team": f"team IN {_MY_TEAMS} AND casecoord_sees_case(case_id)",
    "need_to_know": (
        "(entity = 'case' AND casecoord_sees_case(entity_id)) "
        "OR (entity = 'request' AND casecoord_sees_request(entity_id))"
    ),
    "identity": "owner = session_user",
}

_CANON_ROW_PAYLOAD = (
    # the row entry's payload, written as canonical JSON (sorted keys, no spaces): the text the
    # Python verifier produces for {"op": …, "table": …}
    'format(\'{"op":"%s","table":"%s"}\', lower(TG_OP), TG_TABLE_NAME)'
)

POSTGRES_UP = [
    """CREATE TABLE team (
        name text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE team_member (
        team text NOT NULL REFERENCES team(name) ON DELETE CASCADE,
        officer text NOT NULL,
        PRIMARY KEY (team, officer))""",
    "CREATE INDEX ix_team_member_officer ON team_member (officer)",
    """CREATE TABLE case_team (
        case_id integer NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
        team text NOT NULL REFERENCES team(name) ON DELETE CASCADE,
        PRIMARY KEY (case_id, team))""",
    "CREATE INDEX ix_case_team_team ON case_team (team, case_id)",
    """CREATE TABLE need_to_know (
        entity text NOT NULL CHECK (entity IN ('case', 'request', 'person', 'attachment')),
        entity_id integer NOT NULL,
        officer text NOT NULL,
        PRIMARY KEY (entity, entity_id, officer))""",
    "CREATE INDEX ix_need_to_know_officer ON need_to_know (officer, entity)",
    # a vault's own chain, brought in by 'team import': kept entry by entry as it was, anchored
    # by one entry of the server's chain (its length and last hash)
    """CREATE TABLE imported_audit (
        segment text NOT NULL,
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_ref text NOT NULL,
        case_ref text,
        payload json,
        payload_digest text NOT NULL,
        prev_hash text NOT NULL,
        entry_hash text NOT NULL,
        PRIMARY KEY (segment, seq))""",
    *(
        f"ALTER TABLE {table} ADD COLUMN created_by text NOT NULL DEFAULT session_user"
        for table in MARKED
    ),
    "ALTER TABLE identity ADD COLUMN owner text NOT NULL DEFAULT session_user",
    # the read rule of case_file and request, for one row, as SECURITY DEFINER functions
    """CREATE FUNCTION casecoord_sees_case(p_case integer) RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT EXISTS (SELECT 1 FROM case_file AS c WHERE c.id = p_case AND (
            c.created_by = session_user
            OR EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = 'case'
                       AND n.entity_id = c.id AND n.officer = session_user)
            OR (NOT (c.tlp = 'RED' OR c.handling_code = 'H3') AND EXISTS (
                SELECT 1 FROM case_team AS ct JOIN team_member AS tm ON tm.team = ct.team
                WHERE ct.case_id = c.id AND tm.officer = session_user)))) $$""",
    """CREATE FUNCTION casecoord_sees_request(p_request integer) RETURNS boolean LANGUAGE sql
        STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT EXISTS (SELECT 1 FROM request AS r WHERE r.id = p_request
            AND casecoord_sees_case(r.case_id) AND (
            r.created_by = session_user
            OR EXISTS (SELECT 1 FROM need_to_know AS n WHERE n.entity = 'request'
                       AND n.entity_id = r.id AND n.officer = session_user)
            OR NOT (r.tlp = 'RED' OR r.handling_code = 'H3'))) $$""",
    # a new case belongs to its creator's teams, so her colleagues see it
    """CREATE FUNCTION casecoord_case_to_teams() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            INSERT INTO case_team(case_id, team)
                SELECT new.id, tm.team FROM team_member AS tm WHERE tm.officer = session_user
                ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER case_file_teams AFTER INSERT ON case_file
        FOR EACH ROW EXECUTE FUNCTION casecoord_case_to_teams()""",
    # -- the audit chain, kept by the server --
    """CREATE FUNCTION casecoord_audit_link(prev text, seq integer, at timestamptz, actor text,
            action text, entity text, entity_ref text, case_ref text, digest text)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws(chr(31), prev, seq::text,
            to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor, action, entity,
            entity_ref, coalesce(case_ref, ''), digest), 'UTF8')), 'hex') $$""",
    """CREATE FUNCTION casecoord_audit_append(p_action text, p_entity text, p_entity_ref text,
            p_case_ref text, p_payload text)
        RETURNS audit_entry LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            last audit_entry;
            entry audit_entry;
        BEGIN
            -- one writer of the chain at a time, until this transaction ends
            PERFORM pg_advisory_xact_lock(7316540213);
            SELECT * INTO last FROM audit_entry ORDER BY seq DESC LIMIT 1;
            entry.seq := coalesce(last.seq, 0) + 1;
            entry.prev_hash := coalesce(last.entry_hash, repeat('0', 64));
            entry.at := date_trunc('microseconds', clock_timestamp());
            entry.actor := session_user;
            entry.action := p_action;
            entry.entity := p_entity;
            entry.entity_ref := p_entity_ref;
            entry.case_ref := p_case_ref;
            entry.payload := p_payload::json;
            entry.payload_digest := encode(sha256(convert_to(p_payload, 'UTF8')), 'hex');
            entry.entry_hash := casecoord_audit_link(entry.prev_hash, entry.seq, entry.at,
                entry.actor, entry.action, entry.entity, entry.entity_ref, entry.case_ref,
                entry.payload_digest);
            INSERT INTO audit_entry SELECT entry.*;
            RETURN entry;
        END $$""",
    f"""CREATE FUNCTION casecoord_audit_row() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            ref text;
            case_id integer;
            case_ref text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                EXECUTE format('SELECT %s, %s', TG_ARGV[0], TG_ARGV[1]) INTO ref, case_id USING old;
            ELSE
                EXECUTE format('SELECT %s, %s', TG_ARGV[0], TG_ARGV[1]) INTO ref, case_id USING new;
            END IF;
            IF case_id IS NOT NULL THEN
                SELECT c.reference INTO case_ref FROM case_file AS c WHERE c.id = case_id;
            END IF;
            PERFORM casecoord_audit_append('row.' || lower(TG_OP), TG_TABLE_NAME,
                coalesce(ref, ''), case_ref,
                {_CANON_ROW_PAYLOAD});
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION casecoord_audit_verify(OUT entries bigint, OUT broken_at integer,
            OUT reason text)
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
                IF e.payload IS NOT NULL AND e.payload_digest
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
        END $$""",
    *(
        f"""CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION casecoord_audit_row({_quote(ref)}, {_quote(case_id)})"""
        for table, (ref, case_id) in RECORDED.items()
    ),
    # -- need-to-know, enforced by row-level security --
    *(
        statement
        for table, using in VISIBLE.items()
        for statement in (
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({using})",
            f"CREATE POLICY {table}_insert ON {table} FOR INSERT "
            f"WITH CHECK ({WRITABLE.get(table, using)})",
            f"CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({using}) "
            f"WITH CHECK ({using})",
            f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({using})",
        )
    ),
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(
            table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    if _postgres():
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if _postgres():
        for table in VISIBLE:
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            for action in ("read", "insert", "update", "delete"):
                op.execute(f"DROP POLICY IF EXISTS {table}_{action} ON {table}")
        for table in RECORDED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
        op.execute("DROP TRIGGER IF EXISTS case_file_teams ON case_file")
        for function in (
            "casecoord_audit_verify()",
            "casecoord_audit_row()",
            "casecoord_audit_append(text, text, text, text, text)",
            "casecoord_audit_link(text, integer, timestamptz, text, text, text, text, text, text)",
            "casecoord_case_to_teams()",
            "casecoord_sees_request(integer)",
            "casecoord_sees_case(integer)",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute("ALTER TABLE identity DROP COLUMN owner")
        for table in MARKED:
            op.execute(f"ALTER TABLE {table} DROP COLUMN created_by")
        for table in ("imported_audit", "need_to_know", "case_team", "team_member", "team"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    for table in VERSIONED:
        op.drop_column(table, "version")
