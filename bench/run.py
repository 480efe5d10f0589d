"""The one benchmark runner: ``python -m bench`` (or ``python -m bench.run``).

It builds or reuses the stores in ``bench/.stores/``, runs every suite, prints the table and
writes it to ``bench/RESULTS.md`` with the machine it ran on, keeping the sections that other
benches wrote there (team store, TUI screens). A suite is a module with
``run(store_dir: Path) -> list[Figure]`` (see :mod:`bench.figures`):

- ``bench.unlock``   Argon2id alone; unlock to the first query and the dashboard;
- ``bench.queries``  case list, filter keystrokes, FTS search; SQLCipher against plain SQLite;
- ``bench.tui_list`` the virtual case list in the real Textual app (if the module exists);
- ``bench.export``   bundle export and verification (if the module exists);
- ``bench.team``     the team store on PostgreSQL (a million cases, twenty officers at once):
  by name only, ``python -m bench --only team`` or ``python -m bench.team``, not in the default run.

Each suite runs in its own interpreter so one suite's memory and caches do not colour the next
one's figures, and a suite that fails is reported in the results instead of hiding the others.
Benchmarks are never part of the pytest run: wall-clock limits make tests flaky, so targets are
printed here (the "met" column) instead of asserted.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import DEFAULT_REPEAT, REPEAT_VAR, Figure, format_table
from bench.stores import STORES

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
NO_HOOK = 3  # exit status of a child whose module has no run() hook
SUITES = (
    "bench.unlock",
    "bench.queries",
    "bench.tui_list",
    "bench.tui_screens",
    "bench.export",
)
# Run by name only (it takes many minutes): ``python -m bench.team`` or ``python -m bench --only team``.
BY_NAME = ("bench.team",)


@dataclass
class SuiteOutcome:
    module: str
    figures: list[Figure] = field(default_factory=list)
    status: str = "ran"  # ran | absent | failed
    detail: str = ""
    seconds: float = 0.0


def run_suite(module: str, store_dir: Path, repeat: int) -> SuiteOutcome:
    """Run one suite in a child interpreter and collect its figures."""
    if importlib.util.find_spec(module) is None:
        return SuiteOutcome(module, status="absent", detail=f"{module} does not exist yet")
    env = {**os.environ, REPEAT_VAR: str(repeat), "PYTHONPATH": str(REPO)}
    env.pop("CASECOORD_KDF_PROFILE", None)  # benchmarks measure the production cost
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--suite", module, "--store-dir", str(store_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    seconds = time.perf_counter() - started
    sys.stderr.write(completed.stderr)
    if completed.returncode == NO_HOOK:
        return SuiteOutcome(module, status="absent", detail=completed.stdout.strip())
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return SuiteOutcome(module, status="failed", detail=last, seconds=seconds)
    payload = json.loads(completed.stdout.strip().splitlines()[-1])
    figures = [Figure.from_json(item) for item in payload]
    return SuiteOutcome(module, figures=figures, seconds=seconds)


def _suite_main(module: str, store_dir: Path) -> int:
    """Child side of :func:`run_suite`: the figures as one JSON line on stdout."""
    suite = importlib.import_module(module)
    if not callable(getattr(suite, "run", None)):
        print(f"{module} has no run(store_dir) -> list[Figure] hook yet")
        return NO_HOOK
    figures = suite.run(store_dir)
    print(json.dumps([f.to_json() for f in figures]))
    return 0


# -- the machine ------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> list[tuple[str, str]]:
    import sqlcipher3

    connection = sqlcipher3.dbapi2.connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()[0]
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()[0]
        connection.execute("PRAGMA key = 'x'")
        provider = connection.execute("PRAGMA cipher_provider_version").fetchone()[0]
    finally:
        connection.close()
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("platform", platform.platform()),
        ("CPU", _cpu_model()),
        ("cores", str(os.cpu_count())),
        ("memory", _memory()),
        ("Python", platform.python_version()),
        ("SQLCipher", f"{cipher} (SQLite {sqlite}, {provider})"),
    ]


def render(outcomes: list[SuiteOutcome], command: str, repeat: int) -> str:
    figures = [f for o in outcomes for f in o.figures]
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (bench/run.py); do not edit by hand. Targets come from",
        'docs/ARCHITECTURE.md, "Performance targets". Times are wall clock; *reference* is measured in the',
        "same run on the same machine and *ratio* is median / reference median.",
        "",
        "The team suite (PostgreSQL, many minutes) is not in the default run: run it by name with",
        "`python -m bench.team --write` (its own section below) or `python -m bench --only team`.",
        "",
        f"Command: `{command}` ({repeat} samples per figure unless noted)",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in machine()]
    lines += ["", "## Figures", "", format_table(figures), ""]
    notes = [f for f in figures if f.note]
    if notes:
        lines += ["Notes:", ""]
        lines += [f"- {f.name.strip()}: {f.note}" for f in notes]
        lines.append("")
    lines += ["## Suites", ""]
    for outcome in outcomes:
        if outcome.status == "ran":
            lines.append(
                f"- `{outcome.module}`: {len(outcome.figures)} figures in {outcome.seconds:.0f} s"
            )
        else:
            lines.append(f"- `{outcome.module}`: {outcome.status} ({outcome.detail})")
    lines.append("")
    return "\n".join(lines)


OWN_SECTIONS = ("## Machine", "## Figures", "## Suites")


def with_other_sections(report: str, previous: str) -> str:
    """The new report followed by the sections of the previous file that this runner did not write.

    The team suite and the TUI screen bench write their own sections into the same file (each
    replaces only its own heading): a whole run must not erase figures it did not measure.
    """
    kept = [
        section.rstrip("\n")
        for section in ("\n" + previous).split("\n## ")[1:]
        if not ("## " + section).startswith(OWN_SECTIONS)
    ]
    if not kept:
        return report
    return report.rstrip("\n") + "\n\n" + "\n\n".join("## " + s for s in kept) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="samples per figure")
    parser.add_argument("--store-dir", type=Path, default=STORES, help="where stores are kept")
    parser.add_argument("--only", action="append", help="run only this suite (repeatable)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    parser.add_argument("--suite", help=argparse.SUPPRESS)  # child mode, see run_suite
    args = parser.parse_args(argv)
    if args.suite:
        return _suite_main(args.suite, args.store_dir)

    from bench.stores import demo_vault, plain_copy

    plain_copy(demo_vault(args.store_dir, 100_000))  # build once, before any suite times anything
    known = SUITES + BY_NAME if args.only else SUITES
    wanted = [s for s in known if not args.only or s in args.only or s.split(".")[-1] in args.only]
    outcomes = []
    for module in wanted:
        print(f"bench: {module}…", file=sys.stderr, flush=True)
        outcomes.append(run_suite(module, args.store_dir, args.repeat))
    command = "python -m bench" + (
        f" --repeat {args.repeat}" if args.repeat != DEFAULT_REPEAT else ""
    )
    report = render(outcomes, command, args.repeat)
    print(report)
    if not args.no_write:
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        RESULTS.write_text(with_other_sections(report, previous), encoding="utf-8")
        print(f"bench: written to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0 if all(o.status != "failed" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
