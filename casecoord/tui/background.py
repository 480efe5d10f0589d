"""Run a blocking service call off the UI thread from any screen, hosted by any app.

The real app has :meth:`CasecoordApp.run_service`; the screens of this package are also pushed by
small host apps in the tests, which do not. This helper gives both the same contract: a thread
worker with ``exit_on_error=False``, the result handed back on the UI thread, a
:class:`CasecoordError` routed to ``on_error`` when one is given, anything else left to fail the
worker so the app's one ``Worker.StateChanged`` handler shows it in an error dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from casecoord.domain.errors import CasecoordError

T = TypeVar("T")


def run_in_thread(
    node: DOMNode,
    call: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[CasecoordError], None] | None = None,
    *,
    group: str = "service",
    description: str = "",
    exclusive: bool = True,
) -> Worker[None]:
    """Start ``call`` in a thread worker owned by ``node``; a superseded result is dropped."""
    app = node.app

    def job() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except CasecoordError as exc:
            if on_error is None:
                raise
            if not worker.is_cancelled:
                app.call_from_thread(on_error, exc)
            return
        if not worker.is_cancelled:
            app.call_from_thread(on_done, result)

    return node.run_worker(
        job,
        thread=True,
        exclusive=exclusive,
        exit_on_error=False,
        group=group,
        description=description or group,
    )
