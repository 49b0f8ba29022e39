"""The review queue: why an event needs an analyst's look, from the warnings its reports carry and from
the merged record as analysts see it (corrections applied).

`reasons` is computed by `merge.recompute` whenever an event is (re)built, and stored one row per reason
in `event_reasons`, so that the queue, its counts per reason and the `reason=` filter are index reads.
The warnings are the extraction's own words (pipeline/record.py, pipeline/geocode.py); each reason names
the start of the warning it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# every reason, in the order the explorer lists them
REASONS = ("hedged", "attacker_elsewhere", "governorate_inferred", "admin1_level", "no_admin1", "place_ambiguous",
           "no_coordinates", "undated", "no_figure", "recalled", "outside_syria")

# reason -> how its warning starts
_WARNINGS = {
    "hedged": "reported with hedging",
    "attacker_elsewhere": "actor1 not named for this",
    "governorate_inferred": "governorate not named in the sentence",
    "no_figure": "fatalities given without a figure",
}


def reasons(reports: Iterable[Mapping[str, Any]], shown: Mapping[str, Any]) -> list[str]:
    """Why an event needs a look: its reports' records (as extracted) and its merged record with the
    analysts' corrections applied. In REASONS order; empty when nothing calls for a look."""
    recs = list(reports)
    warnings = [w for r in recs for w in (r.get("warnings") or []) if isinstance(w, str)]
    found = {name for name, start in _WARNINGS.items() if any(w.startswith(start) for w in warnings)}
    if any(w.startswith("place ") and " is ambiguous" in w for w in warnings):
        found.add("place_ambiguous")
    if not shown.get("admin1"):
        found.add("no_admin1")
    elif shown.get("geo_precision") == 3:
        found.add("admin1_level")
    if shown.get("lat") is None or shown.get("lon") is None:
        found.add("no_coordinates")
    if not shown.get("date"):
        found.add("undated")
    if recs and all(r.get("retold") for r in recs):
        found.add("recalled")  # every report recalls it ("وكانت دمشق قد اتهمت ..."): an older event told again
    if any(r.get("country") not in (None, "Syria") for r in recs):
        found.add("outside_syria")
    return [r for r in REASONS if r in found]
