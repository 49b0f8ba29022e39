"""What the extractor does that a row of tests/cases/*.tsv cannot say.

The sentence -> expected fields cases live in the tables under tests/cases/ (read by tests/test_cases.py),
so that anyone who reads Arabic can add one without writing Python. Here stay the checks that look inside
a stage rather than at the output record.
"""

from __future__ import annotations


def test_a_place_name_ends_before_the_means_and_an_adjective_is_no_name() -> None:
    from rasad.pipeline.annotate.places import find_places
    from rasad.pipeline.normalise import norm

    def names(s: str) -> list[str]:
        t = norm(s)
        return [p.name for p in find_places(t, 0, len(t))]

    assert names("قصف الطيران بلدة كفرنبل بالصواريخ") == [norm("كفرنبل")]
    assert names("غارات على قرية الحويجة والمزارع المحيطة بها") == [norm("الحويجة")]
    assert norm("التيفور") in names("قصفت إسرائيل قاعدة التيفور بصواريخ من فوق لبنان")
    assert names("قصف استهدف قاعدة جوية قرب حمص") == [norm("حمص")]
    assert names("قصف استهدف قاعدة الضمير الجوية") == [norm("الضمير")]
