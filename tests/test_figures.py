"""What each figure counts (pipeline/figures.py), on clauses written here; combine's same-sentence rule."""

from __future__ import annotations

import pytest

from rasad.document import Part
from rasad.lang.lexicon import trigger_matcher
from rasad.pipeline.figures import Claim, Speaker, clause_figures, combine
from rasad.pipeline.filters import CASUALTY
from rasad.pipeline.normalise import norm

WHO = Speaker("outlet", "outlet", 1, 0, False)


def figures(text: str) -> tuple[list[tuple[str, int | None, int | None]], set[str], list[str]]:
    """(kind, low, best) of each claim, the victim kinds, and the reasons figures were left out."""
    t = norm(text)
    cas = [h for h in trigger_matcher().findall(t) if h.value in CASUALTY]
    why: list[tuple[int, int, str]] = []
    claims, kinds = clause_figures(t, 0, len(t), cas, WHO, why)
    return [(c.kind, c.low, c.best) for c in claims], kinds, [w[2] for w in why]


@pytest.mark.parametrize(("text", "claims"), [
    ("قتل 5 مدنيين وأصيب 7 آخرون بجروح", [("fatalities", 5, 5), ("wounded", 7, 7)]),
    ("مقتل امرأة وطفلين", [("fatalities", 3, 3)]),  # coordinated: one figure of three
    ("مقتل جندي في الهجوم", [("fatalities", 1, 1)]),  # one person: a singular noun after the word
    ("لقيا مصرعهما في الانفجار", [("fatalities", 2, 2)]),  # the dual pronoun counts two
    ("قتل 10 أشخاص بينهم 3 أطفال", [("fatalities", 10, 10)]),  # a subset is no second figure
    ("سقط عشرات القتلى والجرحى", []),  # one figure for both: no claim of either
])
def test_what_a_figure_counts(text: str, claims: list[tuple[str, int | None, int | None]]) -> None:
    assert figures(text)[0] == claims


def test_a_figure_left_out_says_why() -> None:
    _claims, kinds, why = figures("قتل 10 أشخاص بينهم 3 أطفال")
    assert why == ["a part of the figure before it (among them)"]
    _claims, kinds, why = figures("سقط عشرات القتلى والجرحى")
    assert why == ["one figure for the killed and the wounded together: it names the victims only"]


def claim(best: int, order: tuple[int, int], name: str = "monitor", rising: bool = False) -> Claim:
    return Claim("fatalities", best, best, best, None, True, name, "monitor", order, rising=rising)


def test_a_second_figure_of_one_sentence_is_a_detail() -> None:
    first, second = claim(10, (3, 5)), claim(2, (3, 40))
    assert combine([first, second]) == {"low": 10, "best": 10, "high": 10}
    assert second.superseded and not first.superseded


def test_a_later_sentence_updates_the_toll() -> None:
    first, later = claim(10, (3, 5)), claim(12, (4, 0))
    assert combine([first, later]) == {"low": 12, "best": 12, "high": 12}
    assert first.superseded


def test_a_claim_reads_its_words_from_the_part_it_was_found_in() -> None:
    part = Part("title", "مقتل 5 مدنيين")
    c = Claim("fatalities", 5, 5, 5, None, True, "outlet", "outlet", (1, 5), start=5, end=13)
    out = c.to_json(part)
    assert out["text"] == "5 مدنيين" and out["in"] == "title" and out["best"] == 5


def test_claims_by_start_answer_as_asking_every_claim() -> None:
    """one_person_claims asks, for each casualty word, of the claims near it only; the answers must be
    those of asking every claim (spans drawn at random, with a fixed seed)."""
    import random

    from rasad.pipeline.figures import _ByStart

    rng = random.Random(5)
    for _ in range(200):
        claims = []
        for _ in range(rng.randrange(0, 12)):
            s = rng.randrange(0, 200)
            claims.append(Claim(rng.choice(["fatalities", "wounded"]), 1, 1, 1, None, True, "outlet", "outlet", (0, 0),
                                rising=False, start=s, end=s + rng.randrange(1, 30)))
        found = _ByStart(claims[: len(claims) // 2])
        for c in claims[len(claims) // 2 :]:
            found.add(c)
        for pos in range(0, 240, 7):
            assert found.reaches(pos, 2) == any(c.start <= pos + 2 and c.end >= pos for c in claims)
            assert sorted(map(id, found.starting_in(pos - 20, pos))) == sorted(
                id(c) for c in claims if pos - 20 <= c.start < pos)
