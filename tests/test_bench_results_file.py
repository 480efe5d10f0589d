"""A whole ``python -m bench`` run rewrites only its own sections of bench/RESULTS.md.

The team suite and the TUI screen bench keep their figures in sections of the same file; a run
that measured neither must leave them as they were.
"""

from __future__ import annotations

from bench.run import with_other_sections

PREVIOUS = """# Benchmark results

## Machine

- CPU: old

## Figures

| old | table |

## Suites

- `bench.unlock`: 3 figures

## Team store (bench.team)

| edit p95 | 692 ms |

### 12 officers

## TUI suite (bench/tui_screens.py)

Deadlines first paint 897 ms
"""

REPORT = """# Benchmark results

## Machine

- CPU: new

## Figures

| new | table |

## Suites

- `bench.unlock`: 4 figures
"""


def test_the_sections_other_suites_wrote_are_kept_after_the_new_report() -> None:
    written = with_other_sections(REPORT, PREVIOUS)
    assert written.startswith(REPORT.rstrip("\n"))
    assert "CPU: old" not in written and "| old | table |" not in written
    assert written.count("## Machine") == 1 and written.count("## Suites") == 1
    team = written.index("## Team store (bench.team)")
    tui = written.index("## TUI suite (bench/tui_screens.py)")
    assert written.index("## Suites") < team < written.index("### 12 officers") < tui
    assert "| edit p95 | 692 ms |" in written and "Deadlines first paint 897 ms" in written


def test_a_first_run_writes_the_report_alone() -> None:
    assert with_other_sections(REPORT, "") == REPORT
