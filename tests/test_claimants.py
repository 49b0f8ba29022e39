"""Unit tests for the counting rules: how the figures of several claimants become low / best / high."""

from __future__ import annotations

from rasad.pipeline.figures import Claim, combine

# -- counting rules ----------------------------------------------------------------------------------


def claim(best: int | None, low: int | None, high: int | None, ctype: str, order: int, precise: bool = True,
          rising: bool = False, name: str | None = None) -> Claim:
    return Claim("fatalities", low, best, high, None, precise, name or ctype, ctype, divmod(order, 1000), rising=rising)


def test_exact_figure() -> None:
    assert combine([claim(5, 5, 5, "outlet", 1)]) == {"low": 5, "best": 5, "high": 5}


def test_at_least() -> None:
    assert combine([claim(20, 20, None, "activist", 1)]) == {"low": 20, "best": 20, "high": None}


def test_monitor_over_party_claim() -> None:
    got = combine([claim(40, 40, 40, "party", 1), claim(39, 39, 39, "monitor", 2)])
    assert got == {"low": 39, "best": 39, "high": 40}


def test_latest_figure_of_a_claimant_wins() -> None:
    got = combine([claim(12, 12, 12, "monitor", 1), claim(15, 15, 15, "monitor", 2, rising=True)])
    assert got == {"low": 15, "best": 15, "high": 15}


def test_vague_figures_count_only_without_a_precise_one() -> None:
    vague = claim(None, 20, None, "outlet", 1, precise=False)
    assert combine([vague]) == {"low": 20, "best": None, "high": None}
    assert combine([vague, claim(7, 7, 7, "monitor", 2)]) == {"low": 7, "best": 7, "high": 7}
