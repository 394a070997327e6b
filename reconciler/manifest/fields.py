"""The manageable fields of each entity in manifest terms, and ``ignoreChanges`` over them.

``ignoreChanges`` lists field paths whose live drift is reported but never written back. A path
starts with a field of the entity it is on (``dailyBudget``, ``runSchedule.end``); the model keeps
paths in API terms, so ``targeting`` becomes ``targetingCriteria`` there. ``defaults.ignoreChanges``
applies to every group, campaign and creative of the account that has the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reconciler.errors import Problem
from reconciler.manifest.build import Fields
from reconciler.manifest.convert import CAMPAIGN_SETTINGS
from reconciler.manifest.merge import AccountRec
from reconciler.manifest.schema import suggest

# Statuses a manifest may ask for. LinkedIn sets COMPLETED, CANCELED and REMOVED itself, and a
# manifest asking for PENDING_DELETION would recreate the entity once it is gone: to remove an
# entity, archive it or delete it from the manifest (with prune on).
SETTABLE_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT")
GROUP_FIELDS = ("name", "status", "runSchedule", "totalBudget", "dailyBudget", "budgetOptimization")
CAMPAIGN_FIELDS = ("name", *CAMPAIGN_SETTINGS, "targeting")
CREATIVE_FIELDS = ("name", "intendedStatus", "content", "leadgenCallToAction")
ANY_FIELDS = tuple(sorted({*GROUP_FIELDS, *CAMPAIGN_FIELDS, *CREATIVE_FIELDS}))
API_NAMES = {"targeting": "targetingCriteria"}


def check_ignore_changes(account: AccountRec) -> Iterable[Problem]:
    """Each ignoreChanges path must start with a field of the entity it is written on."""
    yield from _check(account.ignore_all, ANY_FIELDS, "group, campaign or creative")
    for group in account.groups:
        yield from _check(group.fields, GROUP_FIELDS, "campaign group")
        for campaign in group.campaigns:
            yield from _check(campaign.fields, CAMPAIGN_FIELDS, "campaign")
            for creative in campaign.creatives:
                if "ignoreChanges" in creative.fields.values:  # few have any (15,000 at the limits)
                    yield from _check(creative.fields, CREATIVE_FIELDS, "creative")


def _check(fields: Fields, allowed: Sequence[str], kind: str) -> Iterable[Problem]:
    entries = fields.get("ignoreChanges") or ()
    for index, entry in enumerate(entries):
        top = entry.split(".", 1)[0]
        loc = None if top in allowed else fields.locs.get("ignoreChanges")
        if loc is None:
            continue
        message = f"'{top}' is not a {kind} field"
        guess = suggest(top, allowed)
        message += f" — did you mean '{guess}'?" if guess else f"; expected one of: {', '.join(allowed)}"
        yield loc.child(index).problem(message)


def api_ignore(own: Sequence[str], inherited: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """An entity's ignoreChanges in API terms: its own paths plus the account-wide ones that apply."""
    paths = [*own, *(p for p in inherited if p.split(".", 1)[0] in allowed)]
    return tuple(sorted({_to_api(p) for p in paths}))


def _to_api(path: str) -> str:
    top, dot, rest = path.partition(".")
    return API_NAMES.get(top, top) + dot + rest
