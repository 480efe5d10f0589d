"""The one way the TUI runs a blocking vault or service call: a thread worker.

Screens reach it through :meth:`AreaScreen.work`, widgets (the virtual table) call it directly,
the app through :meth:`CasecoordApp.run_service` (docs/ARCHITECTURE.md, "Screens"). The contract:
a thread worker with ``exit_on_error=False``, the result handed back on the UI thread (dropped
when the call was superseded or its node closed), a :class:`CasecoordError` routed to
``on_error`` when one is given, and any other failure handed to the app's one error route,
``worker_failed`` (an error dialog). Textual posts ``Worker.StateChanged`` to the worker's own
node and does not bubble it, so a failed worker of a screen or a widget would otherwise fail
silently.
:func:`run_with_progress` is the same worker for a call that reports its progress (hashing,
signing, verifying a bundle): each message reaches the UI thread while the call runs.
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
    on_failure: Callable[[BaseException], Any] | None = None,
) -> Worker[None]:
    """Start ``call`` in a thread worker owned by ``node``; a superseded result is dropped.

    ``on_failure`` lets the node undo what it did for the call (a busy indicator, a disabled
    field) after any other failure, which the app reports: without it a screen that waits for
    the call waits for ever.
    """
    app = node.app

    def deliver(worker: Worker[None], callback: Callable[[Any], Any], value: Any) -> Any:
        # a superseded call, or a screen closed meanwhile, has nobody to show the result to
        if worker.is_cancelled or not node.is_attached:
            return None
        return callback(value)

    def report(worker: Worker[None], error: BaseException) -> None:
        # a superseded call's failure is as stale as its result; a closed node's is not
        if not worker.is_cancelled:
            app.worker_failed(error)  # type: ignore[attr-defined]
            if on_failure is not None and node.is_attached:
                on_failure(error)

    def job() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except CasecoordError as exc:
            if on_error is not None:
                app.call_from_thread(deliver, worker, on_error, exc)
                return
            failure: BaseException = exc
        except Exception as exc:  # every failure reaches the officer, as one line of text
            failure = exc
        else:
            app.call_from_thread(deliver, worker, on_done, result)
            return
        if getattr(app, "worker_failed", None) is None:
            raise failure
        app.call_from_thread(report, worker, failure)

    return node.run_worker(
        job,
        thread=True,
        exclusive=exclusive,
        exit_on_error=False,
        group=group,
        description=description or group,
    )


def run_with_progress(
    node: DOMNode,
    call: Callable[[Callable[[str], None]], T],
    on_progress: Callable[[str], Any],
    on_done: Callable[[T], Any],
    on_error: Callable[[CasecoordError], Any] | None = None,
    *,
    group: str = "service",
    description: str = "",
    exclusive: bool = True,
) -> Worker[None]:
    """:func:`run_in_thread` for a ``call`` that takes a ``say(message)`` progress callback."""
    app = node.app

    def show(message: str) -> None:
        if node.is_attached:
            on_progress(message)

    def say(message: str) -> None:
        if not get_current_worker().is_cancelled:
            app.call_from_thread(show, message)

    return run_in_thread(
        node,
        lambda: call(say),
        on_done,
        on_error,
        group=group,
        description=description,
        exclusive=exclusive,
    )
