"""On PostgreSQL: settings belong to the officer who made them (the retention default to the
team), and the audit chain's lock is taken at commit instead of at the first change.

Until now a team store held one row per setting for everybody: one officer's name, time zone or
theme was every officer's. Each officer now has her own rows (``owner``, the role she connected
as, part of the key), seen and written by her only; the ``retention.*`` settings are the team's
(``owner`` empty), seen by every officer and written only by the administrator (the database
owner, whom row-level security does not restrict). Rows already there are the administrator's
after the upgrade, except ``retention.*``, which become the team's.

The audit chain: see ``AUDIT_UP`` below.

SQLite (a vault): nothing changes; a vault has one officer and one writer.

Revision ID: 0014_team_settings_audit
Revises: 0013_list_indexes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_team_settings_audit"
down_revision: str | None = "0013_list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_KEYS = "key LIKE 'retention.%'"
_MINE = f"owner = session_user AND NOT {TEAM_KEYS}"
_TEAMS = f"owner = '' AND {TEAM_KEYS}"

UP = [
    "ALTER TABLE setting ADD COLUMN owner text NOT NULL DEFAULT session_user",
    f"UPDATE setting SET owner = '' WHERE {TEAM_KEYS}",
    "ALTER TABLE setting DROP CONSTRAINT IF EXISTS setting_pkey",
    "ALTER TABLE setting ADD CONSTRAINT setting_pkey PRIMARY KEY (owner, key)",
    "ALTER TABLE setting ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY setting_read ON setting FOR SELECT USING (({_MINE}) OR ({_TEAMS}))",
    f"CREATE POLICY setting_insert ON setting FOR INSERT WITH CHECK ({_MINE})",
    f"CREATE POLICY setting_update ON setting FOR UPDATE USING ({_MINE}) WITH CHECK ({_MINE})",
    f"CREATE POLICY setting_delete ON setting FOR DELETE USING ({_MINE})",
]

DOWN = [
    *(
        f"DROP POLICY IF EXISTS setting_{verb} ON setting"
        for verb in ("read", "insert", "update", "delete")
    ),
    "ALTER TABLE setting DISABLE ROW LEVEL SECURITY",
    # one row per key again: the team's, else the first owner's
    "DELETE FROM setting WHERE ctid NOT IN (SELECT DISTINCT ON (key) ctid FROM setting "
    "ORDER BY key, owner <> '', owner)",
    "ALTER TABLE setting DROP CONSTRAINT setting_pkey",
    "ALTER TABLE setting DROP COLUMN owner",
    "ALTER TABLE setting ADD CONSTRAINT setting_pkey PRIMARY KEY (key)",
]

# -- the audit chain: its lock taken at commit, not at the first change --------------------
# 0009 took the chain's lock at the first entry of a transaction and held it to the commit, so
# every writer waited for the slowest transaction in front of it, round trips included. Entries
# now wait in audit_pending (this transaction's own rows: no other transaction sees them, and
# none is left after a commit), and one deferred constraint trigger, fired at COMMIT, takes the
# lock, links them onto the chain in the order they were made, and empties the table: the lock
# is held only from that moment to the end of the commit. The chain stays strictly ordered: seq,
# the previous hash and the time are given under the lock.

_LINK_ENTRY = """
            entry.seq := coalesce(last.seq, 0) + 1;
            entry.prev_hash := coalesce(last.entry_hash, repeat('0', 64));
            entry.at := date_trunc('microseconds', clock_timestamp());
            entry.actor := session_user;"""

AUDIT_UP = [
    """CREATE TABLE audit_pending (
        ord bigserial PRIMARY KEY,
        action text NOT NULL,
        entity text NOT NULL,
        entity_ref text NOT NULL,
        case_ref text,
        payload text NOT NULL)""",
    # one row per writing transaction: its insert queues the one flush at commit (a flag no
    # officer can set or clear; she has no right on either table)
    "CREATE TABLE audit_tx (tx bigint PRIMARY KEY)",
    "REVOKE ALL ON audit_pending, audit_tx FROM PUBLIC",
    """CREATE OR REPLACE FUNCTION casecoord_audit_append(p_action text, p_entity text,
            p_entity_ref text, p_case_ref text, p_payload text)
        RETURNS audit_entry LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            entry audit_entry;
        BEGIN
            INSERT INTO audit_tx (tx) VALUES (txid_current()) ON CONFLICT DO NOTHING;
            INSERT INTO audit_pending (action, entity, entity_ref, case_ref, payload)
                VALUES (p_action, p_entity, p_entity_ref, p_case_ref, p_payload);
            -- what the entry will say; its seq, time and hashes are given at commit (seq 0 and
            -- empty hashes until then)
            entry.seq := 0;
            entry.at := date_trunc('microseconds', clock_timestamp());
            entry.prev_hash := '';
            entry.entry_hash := '';
            entry.actor := session_user;
            entry.action := p_action;
            entry.entity := p_entity;
            entry.entity_ref := p_entity_ref;
            entry.case_ref := p_case_ref;
            entry.payload := p_payload::json;
            entry.payload_digest := encode(sha256(convert_to(p_payload, 'UTF8')), 'hex');
            RETURN entry;
        END $$""",
    """CREATE FUNCTION casecoord_audit_flush() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            pending audit_pending;
            last audit_entry;
            entry audit_entry;
        BEGIN
            -- one writer of the chain at a time, from here to the end of this commit
            PERFORM pg_advisory_xact_lock(7316540213);
            SELECT * INTO last FROM audit_entry ORDER BY seq DESC LIMIT 1;
            FOR pending IN SELECT * FROM audit_pending ORDER BY ord LOOP"""
    + _LINK_ENTRY
    + """
                entry.action := pending.action;
                entry.entity := pending.entity;
                entry.entity_ref := pending.entity_ref;
                entry.case_ref := pending.case_ref;
                entry.payload := pending.payload::json;
                entry.payload_digest := encode(sha256(convert_to(pending.payload, 'UTF8')), 'hex');
                entry.entry_hash := casecoord_audit_link(entry.prev_hash, entry.seq, entry.at,
                    entry.actor, entry.action, entry.entity, entry.entity_ref, entry.case_ref,
                    entry.payload_digest);
                INSERT INTO audit_entry SELECT entry.*;
                last := entry;
            END LOOP;
            DELETE FROM audit_pending;
            DELETE FROM audit_tx WHERE tx = txid_current();  -- a later entry queues a new flush
            RETURN NULL;
        END $$""",
    """CREATE CONSTRAINT TRIGGER audit_tx_flush AFTER INSERT ON audit_tx
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casecoord_audit_flush()""",
]

AUDIT_DOWN = [
    "DROP TRIGGER IF EXISTS audit_tx_flush ON audit_tx",
    "DROP FUNCTION IF EXISTS casecoord_audit_flush()",
    # 0009's append: the lock from the first entry to the commit
    """CREATE OR REPLACE FUNCTION casecoord_audit_append(p_action text, p_entity text,
            p_entity_ref text, p_case_ref text, p_payload text)
        RETURNS audit_entry LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
        DECLARE
            last audit_entry;
            entry audit_entry;
        BEGIN
            PERFORM pg_advisory_xact_lock(7316540213);
            SELECT * INTO last FROM audit_entry ORDER BY seq DESC LIMIT 1;"""
    + _LINK_ENTRY
    + """
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
    "DROP TABLE IF EXISTS audit_pending",
    "DROP TABLE IF EXISTS audit_tx",
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        for statement in (*UP, *AUDIT_UP):
            op.execute(statement)


def downgrade() -> None:
    if _postgres():
        for statement in (*AUDIT_DOWN, *DOWN):
            op.execute(statement)
