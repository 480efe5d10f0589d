"""The case list, filter-as-you-type and full-text search on 100,000 cases, encrypted and plain.

Every query goes through the real services (``count_cases`` + ``page_cases`` as the virtual case
list calls them with its 100-row pages, ``search`` as the search screen calls it with limit 100)
against two engines: the vault's SQLCipher engine, and the same SQLite build over a plaintext
copy of the same database (:func:`bench.stores.plain_copy`). Encrypted and plain samples are
interleaved, one round of each at a time, so drift on the machine hits both alike; one warm-up
round each comes first, since an officer types into a list that is already open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.figures import Figure, peak_rss, repeat_count, time_samples
from bench.stores import PASSPHRASE, demo_vault, plain_copy, plain_engine
from casecoord.services.cases import CaseQuery, count_cases, page_cases, recent_cases
from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.services.requests import open_requests_by_pair, open_requests_by_status
from casecoord.services.search import search
from casecoord.vault.vault import UnlockedVault, open_vault

CASES = 100_000
PAGE = 100  # casecoord.tui.widgets.virtual_table.PAGE_SIZE
TYPED_WORDS = ("Guayaquil", "BULK-0099")
SEARCHES = {
    "selective name 'Quiñones'": "Quiñones",
    "two words 'Guayaquil container'": "Guayaquil container",
    "common word 'cocaine'": "cocaine",
    "very common word 'shipment' (300k request facts)": "shipment",
}

Action = Callable[[UnlockedVault], object]


def first_page(vault: UnlockedVault, text: str = "") -> object:
    query = CaseQuery(text=text)
    with vault.session() as session:
        return count_cases(session, query), page_cases(session, query, 0, PAGE)


def count_only(vault: UnlockedVault, text: str) -> object:
    with vault.session() as session:
        return count_cases(session, CaseQuery(text=text))


def page_only(vault: UnlockedVault, text: str) -> object:
    with vault.session() as session:
        return page_cases(session, CaseQuery(text=text), 0, PAGE)


def keystrokes(word: str) -> list[str]:
    """What the filter box holds after each key press while ``word`` is typed."""
    return [word[:n] for n in range(1, len(word) + 1)]


def dashboard(vault: UnlockedVault) -> object:
    now = datetime.now(UTC)
    return (
        list_deadlines(vault, DeadlineQuery(within=timedelta(days=14)), now=now),
        open_requests_by_status(vault),
        open_requests_by_pair(vault, limit=8),
        recent_cases(vault, limit=8),
    )


def _compare(
    name: str,
    actions: list[Action],
    encrypted: UnlockedVault,
    plain: UnlockedVault,
    repeat: int,
    limit: float | None = None,
    ratio_limit: float | None = None,
    note: str = "",
) -> Figure:
    """Time each action once per round on both engines; one sample per action per round."""
    for action in actions:  # warm-up
        action(encrypted)
        action(plain)
    samples: list[float] = []
    reference: list[float] = []
    with peak_rss() as rss:
        for _ in range(repeat):
            for action in actions:
                samples += time_samples(lambda a=action: a(encrypted), 1)  # type: ignore[misc]
                reference += time_samples(lambda a=action: a(plain), 1)  # type: ignore[misc]
    return Figure(
        name=name,
        unit="ms",
        samples=samples,
        reference_name="plain SQLite",
        reference_samples=reference,
        peak_rss_mb=rss.mb,
        limit=limit,
        ratio_limit=ratio_limit,
        note=note,
    )


def _workload() -> list[Action]:
    """Everything above in one list: the "same workload" of the SQLCipher-overhead target."""
    actions: list[Action] = [first_page, dashboard]
    for word in TYPED_WORDS:
        actions += [lambda v, t=text: first_page(v, t) for text in keystrokes(word)]
    actions += [lambda v, q=words: search(v, q, limit=100) for words in SEARCHES.values()]
    return actions


def run(store_dir: Path) -> list[Figure]:
    repeat = repeat_count()
    root = demo_vault(store_dir, CASES)
    plain_db = plain_copy(root)
    encrypted = open_vault(root, PASSPHRASE)
    plain = UnlockedVault(encrypted.paths, encrypted.keyfile, plain_engine(plain_db), b"")
    figures: list[Figure] = []
    try:
        figures.append(
            _compare(
                "case list opens: count + first page of 100 (100k cases)",
                [first_page],
                encrypted,
                plain,
                repeat,
                limit=50,
            )
        )
        for word in TYPED_WORDS:
            figures.append(
                _compare(
                    f"filter keystroke: typing '{word}' (count + first page)",
                    [lambda v, t=text: first_page(v, t) for text in keystrokes(word)],
                    encrypted,
                    plain,
                    repeat,
                    limit=50,
                    note="one sample per keystroke",
                )
            )
        word = TYPED_WORDS[0]
        figures.append(
            _compare(
                f"  of which count_cases only ('{word}')",
                [lambda v, t=text: count_only(v, t) for text in keystrokes(word)],
                encrypted,
                plain,
                repeat,
            )
        )
        figures.append(
            _compare(
                f"  of which page_cases only ('{word}')",
                [lambda v, t=text: page_only(v, t) for text in keystrokes(word)],
                encrypted,
                plain,
                repeat,
            )
        )
        for label, words in SEARCHES.items():
            figures.append(
                _compare(
                    f"FTS search: {label}",
                    [lambda v, q=words: search(v, q, limit=100)],
                    encrypted,
                    plain,
                    repeat,
                    limit=20,
                )
            )
        figures.append(
            _compare(
                "FTS search: all four queries above",
                [lambda v, q=words: search(v, q, limit=100) for words in SEARCHES.values()],
                encrypted,
                plain,
                repeat,
                limit=20,
                note="the median over every query",
            )
        )
        figures.append(
            _compare(
                "dashboard queries (warm)",
                [dashboard],
                encrypted,
                plain,
                repeat,
            )
        )
        figures.append(
            _compare(
                "SQLCipher overhead: the whole workload above",
                [lambda v: [action(v) for action in _workload()]],
                encrypted,
                plain,
                max(3, repeat // 2),
                ratio_limit=1.3,
                note="one sample = every query above once",
            )
        )
    finally:
        encrypted.close()
        plain.engine.dispose()
    return figures
