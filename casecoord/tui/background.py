"""The one way the TUI runs a blocking vault or service call: a thread worker.

Screens reach it through :meth:`AreaScreen.work`, the app through :meth:`CasecoordApp.run_service`
(docs/ARCHITECTURE.md, "Screens"). The contract: a thread worker with ``exit_on_error=False``, the
result handed back on the UI thread (dropped when the call was superseded or its screen closed),
a :class:`CasecoordError` routed to ``on_error`` when one is given, anything else left to fail
the worker so the app's one ``Worker.StateChanged`` handler shows it in an error dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from casecoord.domain.errors import CasecoordError

T = TypeVar("T")


def run_in_thread(
    node: DOMNode,
    call: Callable[[], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[CasecoordError], Any] | None = None,
    *,
    group: str = "service",
    description: str = "",
    exclusive: bool = True,
) -> Worker[None]:
    """Start ``call`` in a thread worker owned by ``node``; a superseded result is dropped."""
    app = node.app

    def deliver(worker: Worker[None], callback: Callable[[Any], Any], value: Any) -> Any:
        # a superseded call, or a screen closed meanwhile, has nobody to show the result to
        if worker.is_cancelled or not node.is_attached:
            return None
        return callback(value)

    def job() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except CasecoordError as exc:
            if on_error is None:
                raise
            app.call_from_thread(deliver, worker, on_error, exc)
            return
        app.call_from_thread(deliver, worker, on_done, result)

    return node.run_worker(
        job,
        thread=True,
        exclusive=exclusive,
        exit_on_error=False,
        group=group,
        description=description or group,
    )
