"""The basis widget on a real screen: the basis to use on top, the rest folded with counts."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult
from textual.widgets import Collapsible, Static

from casecoord.treaties.resolver import resolve_basis
from casecoord.tui.widgets.basis_view import BasisView


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield BasisView(id="view")


def _static_text(view: BasisView, static_id: str) -> str:
    return str(view.query_one(f"#{static_id}", Static).render())


async def test_basis_to_use_first_and_the_rest_folded() -> None:
    resolution = resolve_basis("NL", "DE", "extradition", date(2026, 12, 1))
    app = _Host()
    async with app.run_test(size=(140, 50)) as pilot:
        view = app.query_one("#view", BasisView)
        view.show(resolution)
        await pilot.pause()
        headline = _static_text(view, "basis-use")
        assert "1. EAW Framework Decision (eaw-fd, eu)" in headline
        assert "← suggested" in headline and "why:" in headline and "Art. 31(1)" in headline
        folds = {fold.id: fold for fold in view.query(Collapsible).results(Collapsible)}
        weaker, rejected = folds["basis-fold-weaker"], folds["basis-fold-rejected"]
        assert weaker.collapsed and rejected.collapsed
        assert (
            weaker.title == f"Also available, weaker or conditional ({len(resolution.bases) - 1})"
        )
        assert rejected.title == f"Not applicable ({len(resolution.rejected)})"
        assert "ets-024" in _static_text(view, "basis-rejected")
        assert "replaced between NL and DE" in _static_text(view, "basis-rejected")
        assert folds["basis-fold-unknown"].has_class("basis-hidden")  # nothing unsettled
        plain = view.plain
        assert plain.index("1. EAW") < plain.index("Also available") < plain.index("Not applicable")


async def test_unsettled_candidates_and_questions_are_shown_and_hint_clears() -> None:
    resolution = resolve_basis("NL", "TW", "mla", date(2026, 12, 1))
    app = _Host()
    async with app.run_test(size=(140, 50)) as pilot:
        view = app.query_one("#view", BasisView)
        view.show(resolution, chosen="reciprocity")
        await pilot.pause()
        unknown = view.query_one("#basis-fold-unknown", Collapsible)
        assert not unknown.has_class("basis-hidden")
        assert "the catalogue does not know whether TW is a party" in _static_text(
            view, "basis-unknown"
        )
        assert "chosen" in _static_text(view, "basis-use")
        view.hint("Type two different ISO country codes")
        await pilot.pause()
        assert view.plain == "Type two different ISO country codes"
        assert unknown.has_class("basis-hidden")
