"""Administer a team store: schema and privileges, officers (database roles), teams, assignments.

These run as the store's administrator: the role that owns the database and may create roles
(``CREATEROLE``). Officers are PostgreSQL login roles, members of the group role
``casecoord_officer``, which holds the privileges; what each officer sees is decided by the
row-level security policies of the schema (migration 0009), never by this client.

Passwords are turned into a SCRAM-SHA-256 verifier by libpq on this machine before they are
sent, so the server (and its statement log) never holds an officer's password in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from casecoord.domain.errors import DuplicateError, NotFoundError, ValidationError
from casecoord.store.postgres import TeamStore

OFFICER_GROUP = "casecoord_officer"
PURGER_GROUP = "casecoord_purger"  # may run retention purges (casecoord_purge_case)
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_RESERVED = ("pg_", "casecoord_")

# Tables an officer reads and writes (row-level security decides which rows).
_READ_WRITE = (
    "case_file",
    "case_link",
    "person",
    "contact",
    "identity",
    "setting",
    "note",
    "request",
    "request_person",
    "attachment",
    "attachment_chunk",
    "deadline",
    "authority",
)
# Tables an officer only reads: the indexes and the chain are written by the server's triggers
# and functions; teams and members by the administrator.
_READ_ONLY = (
    "audit_entry",
    "alembic_version",
    "team",
    "team_member",
)
# The search and list indexes: their text, not their readers' keys (0015, 0016), which name
# every team and officer a case is shared with, where an officer sees only her own teams and her
# own naming.
INDEX_READABLE = {
    "case_filter": ("rowid", "doc"),
    "search_index": ("rowid", "kind", "ref", "case_id", "title", "body", "doc"),
}
# Sharing: an officer may give a case she sees to one of her teams, or name a colleague on it.
_SHARE = ("case_team", "need_to_know")
# Written once, by 'team import', never changed: an imported vault's audit segment.
_APPEND_ONLY = ("imported_audit",)


def officer_name(value: str) -> str:
    """A role name an officer logs in with: lower-case letters, digits and underscores."""
    name = value.strip()
    if not _NAME.fullmatch(name) or name.startswith(_RESERVED):
        raise ValidationError(
            "officer",
            f"'{name}' is not usable: 1–63 lower-case letters, digits or _, not starting with a "
            "digit, pg_ or casecoord_",
        )
    return name


def team_name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 63 or not all(ch.isalnum() or ch in "-_ ." for ch in name):
        raise ValidationError(
            "team", f"'{name}' is not usable: 1–63 letters, digits, - _ . or spaces"
        )
    return name


@dataclass(frozen=True)
class InitReport:
    database: str
    schema: str
    revision: str
    group: str


def _execute(connection: Connection, statement: sql.Composable) -> None:
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(statement)


def grant_privileges(store: TeamStore) -> InitReport:
    """Create the officers' group role if needed and give it exactly the rights above."""
    from casecoord.vault import migrate

    group = sql.Identifier(OFFICER_GROUP)
    with store.engine.begin() as connection:
        database = str(connection.execute(text("SELECT current_database()")).scalar_one())
        schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OFFICER_GROUP}
        ).first()
        if exists is None:
            _execute(connection, sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
        db, sch = sql.Identifier(database), sql.Identifier(schema)
        statements = [
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db),
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, group),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(sch),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sch, group),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM PUBLIC").format(sch),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in _READ_WRITE), group
            ),
            sql.SQL("GRANT SELECT ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in _READ_ONLY), group
            ),
            *(
                statement
                for table, columns in INDEX_READABLE.items()
                for statement in (
                    sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), group),
                    sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(
                        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                        sql.Identifier(table),
                        group,
                    ),
                )
            ),
            sql.SQL("GRANT SELECT, INSERT, DELETE ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in _SHARE), group
            ),
            sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in _APPEND_ONLY), group
            ),
            # UPDATE for setval() after a bulk load with explicit ids (demo, benchmarks)
            sql.SQL("GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(sch, group),
        ]
        purger = sql.Identifier(PURGER_GROUP)
        if (
            connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PURGER_GROUP}
            ).first()
            is None
        ):
            statements.append(sql.SQL("CREATE ROLE {} NOLOGIN").format(purger))
        # the retention purge, the one way to delete a case with its audit details (0012)
        statements.append(
            sql.SQL("GRANT EXECUTE ON FUNCTION casecoord_purge_case(text) TO {}").format(purger)
        )
        for statement in statements:
            _execute(connection, statement)
    missing = {t for t in _READ_WRITE if t not in SQLModel.metadata.tables}
    assert not missing, missing  # a renamed table must be renamed here too
    return InitReport(database, schema, migrate.SCHEMA_HEAD, OFFICER_GROUP)


def _require_officer(connection: Connection, name: str) -> None:
    """``name`` is an officer of this store: a login role in the officers' group."""
    found = connection.execute(
        text("SELECT pg_has_role(r.rolname, :g, 'MEMBER') FROM pg_roles AS r WHERE r.rolname = :r"),
        {"r": name, "g": OFFICER_GROUP},
    ).first()
    if found is None:
        raise NotFoundError(f"no officer (database role) named '{name}'")
    if not found[0]:
        raise ValidationError("officer", f"'{name}' is not in the officers' group {OFFICER_GROUP}")


def set_purge_right(store: TeamStore, officer: str, allowed: bool) -> bool:
    """Let ``officer`` run retention purges (membership of ``casecoord_purger``), or take that
    back; False when she already had (or had not) the right, and nothing changed."""
    name = officer_name(officer)
    with store.engine.begin() as connection:
        _require_officer(connection, name)
        if _is_purger(connection, name) == allowed:
            return False
        statement = "GRANT {} TO {}" if allowed else "REVOKE {} FROM {}"
        _execute(
            connection,
            sql.SQL(statement).format(sql.Identifier(PURGER_GROUP), sql.Identifier(name)),
        )
    return True


def _is_purger(connection: Connection, name: str) -> bool:
    """A direct member of the purger group (what GRANT gives and REVOKE takes)."""
    return (
        connection.execute(
            text(
                "SELECT 1 FROM pg_auth_members AS m JOIN pg_roles AS g ON g.oid = m.roleid "
                "JOIN pg_roles AS r ON r.oid = m.member WHERE g.rolname = :g AND r.rolname = :r"
            ),
            {"g": PURGER_GROUP, "r": name},
        ).first()
        is not None
    )


def init_store(store: TeamStore) -> InitReport:
    """``team init``: the schema is migrated when the store is opened for it; add the rights."""
    return grant_privileges(store)


def create_team(store: TeamStore, name: str) -> str:
    team = team_name(name)
    with store.transaction() as session:
        session.connection().execute(
            text("INSERT INTO team(name) VALUES (:t) ON CONFLICT DO NOTHING"), {"t": team}
        )
    return team


def add_officer(store: TeamStore, name: str, password: str, teams: list[str]) -> str:
    """Create the officer's login role (SCRAM verifier made here), in the officers' group and the
    given teams (created when new)."""
    officer = officer_name(name)
    if len(password) < 12:
        raise ValidationError("password", "must be at least 12 characters")
    wanted = [team_name(t) for t in teams]
    with store.engine.begin() as connection:
        taken = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": officer}
        ).first()
        if taken is not None:
            raise DuplicateError(f"a database role named '{officer}' already exists")
        raw = connection.connection.driver_connection
        assert raw is not None
        verifier = raw.pgconn.encrypt_password(
            password.encode("utf-8"), officer.encode("utf-8"), b"scram-sha-256"
        )
        _execute(
            connection,
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(officer),
                sql.Literal(verifier.decode("ascii")),
                sql.Identifier(OFFICER_GROUP),
            ),
        )
        for team in wanted:
            connection.execute(
                text("INSERT INTO team(name) VALUES (:t) ON CONFLICT DO NOTHING"), {"t": team}
            )
            connection.execute(
                text(
                    "INSERT INTO team_member(team, officer) VALUES (:t, :o) ON CONFLICT DO NOTHING"
                ),
                {"t": team, "o": officer},
            )
    return officer


def join_team(store: TeamStore, officer: str, team: str) -> None:
    name, group = officer_name(officer), team_name(team)
    with store.transaction() as session:
        connection = session.connection()
        if (
            connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}
            ).first()
            is None
        ):
            raise NotFoundError(f"no officer (database role) named '{name}'")
        connection.execute(
            text("INSERT INTO team(name) VALUES (:t) ON CONFLICT DO NOTHING"), {"t": group}
        )
        connection.execute(
            text("INSERT INTO team_member(team, officer) VALUES (:t, :o) ON CONFLICT DO NOTHING"),
            {"t": group, "o": name},
        )


def assign_case(store: TeamStore, case_ref: str, team: str) -> None:
    """``team assign CASE TEAM``: the team's officers see the case (unless it is restricted)."""
    group = team_name(team)
    with store.transaction() as session:
        connection = session.connection()
        case_id = connection.execute(
            text("SELECT id FROM case_file WHERE reference = :r"), {"r": case_ref.strip()}
        ).scalar()
        if case_id is None:
            raise NotFoundError(f"no case '{case_ref.strip()}' that you can see")
        if (
            connection.execute(text("SELECT 1 FROM team WHERE name = :t"), {"t": group}).first()
            is None
        ):
            raise NotFoundError(f"no team '{group}'")
        connection.execute(
            text("INSERT INTO case_team(case_id, team) VALUES (:c, :t) ON CONFLICT DO NOTHING"),
            {"c": case_id, "t": group},
        )


def unassign_case(store: TeamStore, case_ref: str, team: str) -> int:
    group = team_name(team)
    with store.transaction() as session:
        removed = session.connection().execute(
            text(
                "DELETE FROM case_team WHERE team = :t AND case_id = "
                "(SELECT id FROM case_file WHERE reference = :r)"
            ),
            {"t": group, "r": case_ref.strip()},
        )
        return int(removed.rowcount or 0)


def name_officer(store: TeamStore, ref: str, officer: str) -> str:
    """Name an officer on a case or request: she then sees it even when it is marked TLP:RED or
    H3. Only someone who sees the item can name a colleague on it."""
    name = officer_name(officer)
    key = ref.strip()
    with store.transaction() as session:
        connection = session.connection()
        for entity, table in (("case", "case_file"), ("request", "request")):
            found = connection.execute(
                text(f"SELECT id FROM {table} WHERE reference = :r"),  # noqa: S608 (ours)
                {"r": key},
            ).scalar()
            if found is not None:
                connection.execute(
                    text(
                        "INSERT INTO need_to_know(entity, entity_id, officer) "
                        "VALUES (:e, :i, :o) ON CONFLICT DO NOTHING"
                    ),
                    {"e": entity, "i": found, "o": name},
                )
                return entity
    raise NotFoundError(f"no case or request '{key}' that you can see")


@dataclass(frozen=True)
class TeamRow:
    name: str
    members: list[str]
    cases: int


def list_teams(store: TeamStore) -> list[TeamRow]:
    with store.session() as session:
        rows = (
            session.connection()
            .execute(
                text(
                    "SELECT t.name, coalesce(array_agg(DISTINCT m.officer) FILTER (WHERE m.officer "
                    "IS NOT NULL), '{}'), (SELECT count(*) FROM case_team AS ct WHERE ct.team = t.name) "
                    "FROM team AS t LEFT JOIN team_member AS m ON m.team = t.name "
                    "GROUP BY t.name ORDER BY t.name"
                )
            )
            .all()
        )
    return [TeamRow(str(n), sorted(str(m) for m in members), int(c)) for n, members, c in rows]
