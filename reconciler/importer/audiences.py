"""Named audiences from repeated targeting: identical targeting on two or more campaigns.

Only exact repeats are named (the model's Targeting is canonical, so set-equal targeting is equal);
a campaign whose targeting is its own keeps it inline. Names are ``audience-01`` … in the order of
first use (groups, then campaigns, by id), so importing the same account gives the same names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from reconciler.importer.naming import audience_names
from reconciler.model import Targeting

MIN_USES = 2


def shared_targeting(targetings: Iterable[Targeting]) -> dict[Targeting, str]:
    """A name for every targeting used at least ``MIN_USES`` times, in order of first use."""
    seen = list(targetings)
    uses = Counter(seen)
    shared = [t for t in dict.fromkeys(seen) if uses[t] >= MIN_USES]
    return dict(zip(shared, audience_names(len(shared)), strict=True))


def description(uses: int) -> str:
    """What an extracted audience is, for the manifest's ``description``."""
    return f"The targeting {uses} campaigns share (found by reconciler import)."
