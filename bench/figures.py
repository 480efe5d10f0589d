"""What a benchmark reports, and the table every benchmark ends up in.

A :class:`Figure` carries raw samples, not a summary, so the runner decides how to summarise and
a reader of ``RESULTS.md`` can see the spread (min and max beside the median). A figure may carry
a *reference* measured in the same run on the same machine (Argon2id alone, the same queries on
plain SQLite, reading and hashing the same bytes): a ratio to something measured minutes apart on
the same hardware means more than an absolute time copied from another laptop.

Benchmark modules written by others (``bench/tui_list.py``, ``bench/export.py``) return a list of
these from ``run(store_dir: Path) -> list[Figure]``; :func:`repeat_count` tells them how many
samples the runner wants, and :class:`PeakRss` measures the memory of one figure.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

REPEAT_VAR = "BENCH_REPEAT"
DEFAULT_REPEAT = 7


@dataclass
class Figure:
    """One measured quantity with its samples, in ``unit`` (``ms``, ``s``, ``MB/s`` …).

    ``limit`` is the target from docs/ARCHITECTURE.md for the median (same unit, lower is better) and
    ``ratio_limit`` the target for median / reference median; either may be absent.
    """

    name: str
    unit: str
    samples: list[float]
    reference_name: str | None = None
    reference_samples: list[float] | None = None
    peak_rss_mb: float | None = None
    limit: float | None = None
    ratio_limit: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def reference_median(self) -> float | None:
        if not self.reference_samples:
            return None
        return statistics.median(self.reference_samples)

    @property
    def ratio(self) -> float | None:
        reference = self.reference_median
        if reference is None or reference == 0:
            return None
        return self.median / reference

    @property
    def met(self) -> bool | None:
        """Whether every stated target holds; None when the figure states none."""
        verdicts: list[bool] = []
        if self.limit is not None:
            verdicts.append(self.median < self.limit)
        if self.ratio_limit is not None and self.ratio is not None:
            verdicts.append(self.ratio < self.ratio_limit)
        return all(verdicts) if verdicts else None

    def target_text(self) -> str:
        parts = []
        if self.limit is not None:
            parts.append(f"< {_number(self.limit)} {self.unit}")
        if self.ratio_limit is not None:
            parts.append(f"ratio < {self.ratio_limit:g}")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        return cls(**data)


def repeat_count(default: int = DEFAULT_REPEAT) -> int:
    """How many samples each figure should take (``python -m bench --repeat N`` sets it)."""
    try:
        return max(1, int(os.environ.get(REPEAT_VAR, default)))
    except ValueError:
        return default


def time_samples(action: Callable[[], object], repeat: int, unit: str = "ms") -> list[float]:
    """Run ``action`` ``repeat`` times and return each wall-clock duration in ``unit``."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * scale)
    return samples


class PeakRss:
    """The peak resident set size reached inside a ``with`` block, in MB.

    On Linux the kernel's high-water mark (VmHWM) is reset on entry by writing ``5`` to
    ``/proc/self/clear_refs``, so each figure gets its own peak even when several are measured in
    one process. Elsewhere it falls back to ``ru_maxrss``, the peak of the whole process so far.
    """

    def __init__(self) -> None:
        self.mb: float | None = None

    def __enter__(self) -> PeakRss:
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            pass
        return self

    def __exit__(self, *_exc: object) -> None:
        self.mb = current_peak_rss_mb()


def current_peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as handle:
            found = re.search(r"VmHWM:\s+(\d+)\s+kB", handle.read())
        if found:
            return int(found.group(1)) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def peak_rss() -> Iterator[PeakRss]:
    with PeakRss() as meter:
        yield meter


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def format_table(figures: Sequence[Figure]) -> str:
    """A Markdown table: figure, median, min, max, reference, ratio, target, peak RSS."""
    header = (
        "| figure | median | min | max | reference (median) | ratio | target | met | "
        "peak RSS |\n|---|---:|---:|---:|---|---:|---|:---:|---:|"
    )
    lines = [header]
    for figure in figures:
        unit = figure.unit
        reference = "—"
        if figure.reference_name is not None:
            ref_median = figure.reference_median
            shown = f"{_number(ref_median)} {unit}" if ref_median is not None else "n/a"
            reference = f"{figure.reference_name} ({shown})"
        ratio = f"{figure.ratio:.2f}×" if figure.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[figure.met]
        rss = f"{figure.peak_rss_mb:,.0f} MB" if figure.peak_rss_mb is not None else "—"
        lines.append(
            f"| {figure.name} | {_number(figure.median)} {unit} | {_number(min(figure.samples))} "
            f"{unit} | {_number(max(figure.samples))} {unit} | {reference} | {ratio} | "
            f"{figure.target_text() or '—'} | {met} | {rss} |"
        )
    return "\n".join(lines)
