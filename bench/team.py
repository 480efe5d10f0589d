"""Team store under load: a million cases on PostgreSQL, twenty officers at once.

``python -m bench.team [--cases 1000000] [--officers 20] [--seconds 60]`` (run by name only,
not in the default ``python -m bench``; also ``python -m bench --only team``). It starts a
throw-away PostgreSQL cluster (``tests/pgcluster.py``), builds
the schema with ``casecoord``'s own migrations and ``team init``, creates the officers as
database roles in four teams, and fills the store set-based on the server (generate_series; the
row triggers are off during the load and their tables — search index, filter index with its
readers' keys, team assignments — are filled by the same statements in bulk, then the indexes
are built).

Then every officer runs, in her own thread with her own connection, a realistic mix through the
real services and under row-level security: list (first page), filter (a typed word or a country),
open a case of her team, edit a request (optimistic version check), add a deadline, search.
Latency per operation (p50, p95) and throughput are reported; the same mix runs on a local
SQLCipher vault (one officer: a vault has one) for comparison. Targets: p95 < 100 ms for reads,
< 200 ms for writes. Not part of the test run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.figures import Figure

TEAMS = ("alpha", "bravo", "charlie", "delta")
PASSWORD = "bench officer password"
READS = ("list", "filter", "open case", "search")
WRITES = ("edit request", "add deadline")
MIX = (
    ("list", 25),
    ("filter", 20),
    ("open case", 20),
    ("search", 15),
    ("edit request", 10),
    ("add deadline", 10),
)
WORDS = ("ledger", "harbour", "containers", "rotterdam", "guayaquil", "invoice")
_TITLES = "ARRAY['Harbour', 'Ledger', 'Orchid', 'Condor', 'Marlin', 'Andes', 'Tulip', 'Delta']"
_SUMMARIES = (
    "ARRAY['Containers of bananas from Guayaquil hid cocaine bound for Rotterdam', "
    "'Ledger of an underground banker in Bogota names Dutch front companies', "
    "'Invoices for fish meal shipped from Callao did not match the cargo', "
    "'A courier carried cash from Antwerp to Cali in a car with a hidden compartment']"
)


def _load(admin_url: str, cases: int, officers: list[str]) -> None:
    """Fill the team store on the server, in bulk."""
    import psycopg

    from casecoord.store.postgres import engine_url

    conninfo = engine_url(admin_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no row triggers while loading
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("DROP INDEX ix_search_index_readers_doc")
        conn.execute("DROP INDEX ix_case_filter_readers_doc")
        owners = "ARRAY[" + ", ".join(f"'{o}'" for o in officers) + "]"
        conn.execute(
            f"""INSERT INTO case_file (id, reference, title, summary, status, countries, offences,
                tlp, handling_code, created_at, updated_at, created_by, version)
            SELECT g, 'TEAM-' || lpad(g::text, 7, '0'),
                'Op. ' || ({_TITLES})[g % 8 + 1] || ' ' || g,
                ({_SUMMARIES})[g % 4 + 1] || ' (' || (g % 2000 + 50) || ' kg)',
                (ARRAY['intake', 'active', 'active', 'dormant', 'closed'])[g % 5 + 1],
                CAST((ARRAY['["NL","CO"]', '["NL","EC"]', '["BE","PE"]', '["NL","BE","CO"]'])[g % 4 + 1] AS json),
                CAST('["illicit-trafficking-narcotic-drugs"]' AS json),
                CASE WHEN g % 100 = 0 THEN 'RED' ELSE 'AMBER' END, 'H1',
                now() - g * interval '40 seconds', now() - g * interval '40 seconds',
                ({owners})[g % {len(officers)} + 1], 1
            FROM generate_series(1, {cases}) AS g"""  # noqa: S608 (ours)
        )
        conn.execute(
            f"""INSERT INTO request (id, reference, case_id, kind, direction, requesting_state,
                requested_state, status, channel, measures, facts, legal_qualification, urgency,
                language, translation_state, tlp, handling_code, created_at, updated_at,
                created_by, version, provisional_measures)
            SELECT g, 'TEAM-R-' || lpad(g::text, 7, '0'), g, 'mla', 'outgoing', 'NL',
                (ARRAY['CO', 'EC', 'PE', 'BE'])[g % 4 + 1], 'draft', 'central-authority',
                CAST('["hearing of a witness"]' AS json),
                'The shipment of ' || (g % 2000 + 50) || ' kg left the port; the ledger shows '
                    || 'payments to invoice number ' || g,
                'Art. 10 Opiumwet', 'normal', 'es', 'not-needed', 'AMBER', 'H1',
                now() - g * interval '40 seconds', now() - g * interval '40 seconds',
                ({owners})[g % {len(officers)} + 1], 1, false
            FROM generate_series(1, {cases}) AS g"""  # noqa: S608 (ours)
        )
        conn.execute(
            f"""INSERT INTO note (id, case_id, body, created_at)
            SELECT g, g, 'Call with the liaison officer about container ' || (g::bigint * 7919 % 9000000),
                now() - g * interval '40 seconds'
            FROM generate_series(1, {cases}) AS g"""  # noqa: S608 (ours)
        )
        conn.execute(
            f"""INSERT INTO case_team (case_id, team)
            SELECT g, (ARRAY{list(TEAMS)})[g % {len(TEAMS)} + 1] FROM generate_series(1, {cases}) AS g"""  # noqa: S608 (ours)
        )
        conn.execute(
            """INSERT INTO case_filter (rowid, doc, readers)
            SELECT id, reference || ' ' || title || ' ~' || status || '~ '
                || (SELECT string_agg('@' || c, ' ') FROM json_array_elements_text(countries) c)
                || ' illicit-trafficking-narcotic-drugs',
                casecoord_case_readers(id)  -- the server's own rule (0015), not a copy of it
            FROM case_file"""
        )
        conn.execute(  # every entry with its case's keys; no item here is restricted
            """INSERT INTO search_index (rowid, kind, ref, case_id, title, body, readers)
            SELECT e.rowid, e.kind, e.ref, e.case_id, e.title, e.body, f.readers FROM (
                SELECT id * 4 AS rowid, 'case' AS kind, reference AS ref, id AS case_id,
                    title, summary AS body FROM case_file
                UNION ALL SELECT id * 4 + 1, 'note', id::text, case_id, '', body FROM note
                UNION ALL SELECT id * 4 + 2, 'request', reference, case_id,
                    legal_qualification, facts FROM request) AS e
            JOIN case_filter AS f ON f.rowid = e.case_id"""
        )
        conn.execute(
            "CREATE INDEX ix_search_index_readers_doc ON search_index USING gin (readers, doc)"
        )
        conn.execute(
            "CREATE INDEX ix_case_filter_readers_doc ON case_filter "
            "USING gin (readers, doc gin_trgm_ops)"
        )
        for table in ("case_file", "request", "note"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {cases} + 1, false)"
            )
        conn.execute("VACUUM ANALYZE")


@dataclass
class Officer:
    name: str
    team_index: int


def _operations(
    store: object, rng: random.Random, cases: int, team: int | None
) -> dict[str, Callable[[], object]]:
    from casecoord.services.cases import CaseQuery, get_case, list_cases
    from casecoord.services.deadlines import add_deadline
    from casecoord.services.requests import get_request, update_request
    from casecoord.services.search import search

    def number() -> int:
        while True:
            n = rng.randint(1, cases)
            if n % 100 and (team is None or n % len(TEAMS) == team):
                return n

    def edit() -> None:
        ref = f"TEAM-R-{number():07d}" if team is not None else f"BULK-R-{number() * 3:07d}"
        version = get_request(store, ref).request.version  # type: ignore[arg-type]
        update_request(
            store, ref, {"facts": f"Edited at {time.time():.6f}"}, expected_version=version
        )  # type: ignore[arg-type]

    prefix = "TEAM" if team is not None else "BULK"
    return {
        "list": lambda: list_cases(store, CaseQuery(), 0, 50),  # type: ignore[arg-type]
        "filter": lambda: list_cases(
            store, CaseQuery(text=rng.choice(("ledger", "harbour", "CO", "orchid"))), 0, 50
        ),  # type: ignore[arg-type]
        "open case": lambda: get_case(store, f"{prefix}-{number():07d}"),  # type: ignore[arg-type]
        "search": lambda: search(store, rng.choice(WORDS) + " " + str(rng.randint(50, 2049)), 20),  # type: ignore[arg-type]
        "edit request": edit,
        "add deadline": lambda: add_deadline(
            store,  # type: ignore[arg-type]
            f"{prefix}-{number():07d}",
            "Chase the reply",
            datetime.now(UTC) + timedelta(days=rng.randint(5, 60)),
        ),
    }


def _drive(
    stores: list[tuple[object, int | None]], cases: int, seconds: float, think: float = 0.0
) -> tuple[dict[str, list[float]], float, int]:
    """Every store in its own thread for ``seconds``; latencies (ms) per operation.

    ``think`` is the officer's mean pause between two operations (seconds, exponentially
    distributed, not timed): 0 runs each officer flat out (a closed loop, which measures what
    the machine can serve), a second or more is an officer reading what she asked for.
    """
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    names = [n for n, _ in MIX]
    weights = [w for _, w in MIX]
    # every officer runs each operation once, untimed, before the clock starts: the first call
    # in a process loads the treaty catalogue and warms the connection (about 2 s here), which
    # at a few operations per officer would otherwise be most of what is measured
    window: list[float] = []  # the end of the timed window, set once all are warm
    ready = threading.Barrier(
        len(stores) + 1, action=lambda: window.append(time.perf_counter() + seconds)
    )

    def worker(index: int, store: object, team: int | None) -> None:
        rng = random.Random(index)  # noqa: S311
        ops = _operations(store, rng, cases, team)
        for op in names:
            try:
                ops[op]()
            except Exception as exc:  # noqa: BLE001 (counted below if it happens again)
                print(f"  warm-up {op}: {type(exc).__name__}")
        ready.wait()
        stop = window[0]
        mine: dict[str, list[float]] = defaultdict(list)
        while time.perf_counter() < stop:
            op = rng.choices(names, weights)[0]
            started = time.perf_counter()
            try:
                ops[op]()
            except Exception as exc:  # a conflict or any failure is counted, not hidden
                with lock:
                    errors.append(f"{op}: {type(exc).__name__}: {exc}"[:200])
                continue
            mine[op].append((time.perf_counter() - started) * 1000)
            if think > 0:
                time.sleep(min(rng.expovariate(1 / think), max(0.0, stop - time.perf_counter())))
        with lock:
            for op, values in mine.items():
                latencies[op].extend(values)

    threads = [threading.Thread(target=worker, args=(i, s, t)) for i, (s, t) in enumerate(stores)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = window[0] - seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for line in errors[:5]:
        print("  error:", line)
    return latencies, elapsed, len(errors)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _figures(
    label: str, latencies: dict[str, list[float]], elapsed: float, errors: int, note: str
) -> list[Figure]:
    figures = []
    total = sum(len(v) for v in latencies.values())
    for op, _ in MIX:
        values = latencies.get(op, [])
        if not values:
            continue
        limit = 100.0 if op in READS else 200.0
        p95 = _p(values, 0.95)
        figures.append(
            Figure(
                f"{label}: {op} p95",
                "ms",
                [p95],
                limit=limit,
                note=f"p50 {statistics.median(values):.1f} ms, {len(values)} ops",
                extra={"p50": statistics.median(values), "p95": p95, "count": len(values)},
            )
        )
    figures.append(
        Figure(
            f"{label}: throughput",
            "ops/s",
            [total / elapsed],
            note=f"{total} operations in {elapsed:.0f} s, {errors} failed; {note}",
        )
    )
    return figures


def measure(
    cases: int, officers: int, seconds: float, vault_cases: int, think: float = 0.0
) -> list[Figure]:
    # every module the workers use, imported before the long load
    import casecoord.services.cases
    import casecoord.services.deadlines
    import casecoord.services.demo
    import casecoord.services.requests
    import casecoord.services.search  # noqa: F401
    from casecoord.services.team import add_officer, init_store
    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import start_cluster

    figures: list[Figure] = []
    cluster = start_cluster()
    try:
        import psycopg

        with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
        names = [f"officer_{i:02d}" for i in range(officers)]
        with open_team_store(cluster.url("bench"), upgrade=True) as admin:
            init_store(admin)
            for i, name in enumerate(names):
                add_officer(admin, name, PASSWORD, [TEAMS[i % len(TEAMS)]])
        started = time.perf_counter()
        _load(cluster.url("bench"), cases, names)
        print(
            f"team store: {cases:,} cases, requests and notes loaded in {time.perf_counter() - started:.0f} s"
        )
        stores = [
            (open_team_store(cluster.url("bench", name, PASSWORD), pool_size=1), i % len(TEAMS))
            for i, name in enumerate(names)
        ]
        try:
            latencies, elapsed, errors = _drive(stores, cases, seconds, think)  # type: ignore[arg-type]
        finally:
            for store, _ in stores:
                store.close()  # type: ignore[attr-defined]
        figures += _figures(
            f"team store, {cases:,} cases, {officers} officers",
            latencies,
            elapsed,
            errors,
            "threads of one client process, server on the same 2 cores"
            + (f", {think:g} s mean think time" if think else ", no think time"),
        )
    finally:
        cluster.stop()

    from casecoord.services.demo import bulk_load
    from casecoord.vault.kdf import FAST_TEST_PARAMS
    from casecoord.vault.vault import create_vault

    with tempfile.TemporaryDirectory() as tmp:
        vault, _ = create_vault(Path(tmp) / "vault", "bench vault passphrase", FAST_TEST_PARAMS)
        with vault:
            bulk_load(vault, vault_cases)
            with vault.transaction() as session:  # every request editable, as on the server
                from sqlalchemy import text

                session.connection().execute(text("UPDATE request SET status = 'draft'"))
            latencies, elapsed, errors = _drive([(vault, None)], vault_cases, seconds, think)
        figures += _figures(
            f"local vault, {vault_cases:,} cases, 1 officer",
            latencies,
            elapsed,
            errors,
            "SQLCipher",
        )
    return figures


def run(store_dir: Path) -> list[Figure]:
    """The runner's hook (``python -m bench``): the full-size suite."""
    return measure(1_000_000, 20, 60.0, 100_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--vault-cases", type=int, default=100_000)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="an officer's mean pause between operations, in seconds (0: flat out)",
    )
    parser.add_argument(
        "--write", action="store_true", help="put the figures in bench/RESULTS.md's team section"
    )
    args = parser.parse_args()
    import signal
    import sys

    # a terminated run still stops its PostgreSQL cluster (the finally blocks run)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    lines = []
    for figure in measure(args.cases, args.officers, args.seconds, args.vault_cases, args.think):
        verdict = "—" if figure.met is None else ("yes" if figure.met else "**no**")
        target = f"< {figure.limit:g} {figure.unit}" if figure.limit else "—"
        row = f"| {figure.name} | {figure.median:.1f} {figure.unit} | {target} | {verdict} | {figure.note} |"
        print(row)
        lines.append(row)
    if args.write:
        _write_section(args, lines)


SECTION = "## Team store (bench.team)"


def _write_section(args: argparse.Namespace, rows: list[str]) -> None:
    """Replace the team section of RESULTS.md (everything from its heading to the next one)."""
    import os
    import re

    results = Path(__file__).resolve().parent / "RESULTS.md"
    load = os.getloadavg()[0]
    section = "\n".join(
        [
            SECTION,
            "",
            f"Command: `python -m bench.team --cases {args.cases} --officers {args.officers} "
            f"--seconds {args.seconds:g} --vault-cases {args.vault_cases} --think {args.think:g} "
            "--write`, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average at the end {load:.1f} on 2 cores "
            "(the machine was shared with other work; figures are upper bounds).",
            "",
            "| figure | value | target | met | detail |",
            "|---|---:|---|:---:|---|",
            *rows,
            "",
        ]
    )
    text = results.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(SECTION) + r"\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(section.rstrip("\n"), text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
