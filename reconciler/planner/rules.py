"""Planning rules that need no walking state: identity matching, pins, immutability, thresholds.

Pure functions over model entities and diffs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any

from reconciler.diff import Difference
from reconciler.errors import AmbiguousLiveState, PlanError
from reconciler.guardrails import Thresholds
from reconciler.live import GONE
from reconciler.model import (
    CAMPAIGN_FIELDS,
    CREATIVE_FIELDS,
    GROUP_FIELDS,
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    status_of,
)
from reconciler.plan import (
    Kind,
)

# Campaign fields LinkedIn lets change only while the campaign is a DRAFT (reference §3.3; the
# exact list is not published, this is our reading of it). Changing one later means a new campaign.
DRAFT_ONLY_CAMPAIGN_FIELDS = frozenset(
    {"type", "costType", "format", "objectiveType", "pacingStrategy", "associatedEntity"}
)
# "Dynamic, Carousel, and Video Ad Campaigns must have their format set during creation"
# (campaigns page): a campaign live without a format can't be given one of these, even as a DRAFT.
FORMATS_SET_AT_CREATION = frozenset({"SINGLE_VIDEO", "CAROUSEL", "FOLLOW_COMPANY", "JOBS", "SPOTLIGHT"})
# Fields whose absence from a manifest means "none": cleared with $delete when set live.
CLEARABLE = {
    "campaign": ("dailyBudget", "totalBudget"),
    "campaignGroup": ("totalBudget", "dailyBudget"),
    "creative": (),
}
ARCHIVED = "ARCHIVED"
# The name apply gives the old entity of a replace as it archives it: ``<name> (replaced YYYY-MM-DD)``.
RETIRED_NAME = re.compile(r" \(replaced \d{4}-\d{2}-\d{2}\)$")
# Per kind: (model attribute of every compared API field, attributes of the CLEARABLE fields,
# a getter of the name and all of them at once).
_Compared = tuple[tuple[str, ...], tuple[str, ...], Callable[[Any], Any]]


def _compared(kind: str, fields: Mapping[str, str]) -> _Compared:
    return (
        tuple(fields.values()),
        tuple(fields[name] for name in CLEARABLE[kind]),
        attrgetter("name", *fields.values()),
    )


_COMPARED = {
    kind: _compared(kind, fields)
    for kind, fields in (
        ("campaign", CAMPAIGN_FIELDS),
        ("campaignGroup", GROUP_FIELDS),
        ("creative", CREATIVE_FIELDS),
    )
}
# A creative whose content is managed: its content is compared with what LinkedIn shows for it (see
# reconciler.adcontent.plandata), the rest of its fields here.
_BUT_CONTENT = _compared("creative", {k: v for k, v in CREATIVE_FIELDS.items() if k != "content"})


_KINDS: dict[type, str] = {CampaignGroup: "campaignGroup", Campaign: "campaign", Creative: "creative"}


def _kind(entity: Campaign | CampaignGroup | Creative) -> str:
    return _KINDS[type(entity)]


def unchanged(kind: str, desired: Any, current: Any, *, but_content: bool = False) -> bool:
    """Whether no compared field differs, judged on the model: the fast path of a no-op plan.

    True only when the name and every field the desired side sets are equal as model values, and
    no clearable field it leaves unset is set live. Equal model values have equal API forms (they
    are canonical, and ``to_api`` is a function of them), so :func:`reconciler.diff.compare` would
    find nothing either; on False the caller compares the API forms, which has the last word.
    Spares building and comparing two API maps per unchanged resource (20,000 at the limits).

    ``but_content`` (a creative): the content is left out, as if ``desired`` had ``current``'s.
    """
    attrs, clearable, every = _BUT_CONTENT if but_content else _COMPARED[kind]
    if every(desired) == every(current):  # the common case, in one step: nothing differs at all
        return True
    if desired.name != current.name and not getattr(desired, "local_name", False):
        return False
    for attr in attrs:
        want = getattr(desired, attr)
        if want is None:
            if attr in clearable and getattr(current, attr) is not None:
                return False
        elif want != getattr(current, attr):
            return False
    return True


def retired(entity: Any) -> bool:
    """Whether a live entity is the old side of an applied replace: ARCHIVED and renamed so."""
    return (
        entity is not None and status_of(entity) == ARCHIVED and RETIRED_NAME.search(entity.name) is not None
    )


def thresholds_for(account: Account, base: Thresholds | None = None) -> Thresholds:
    """The thresholds of ``account``: ``base`` (the defaults) overridden by its ``safety``."""
    return _thresholds(base or Thresholds(), account)


def _thresholds(base: Thresholds, account: Account) -> Thresholds:
    """The project's thresholds, overridden by what the account's manifests set."""
    own = account.safety
    if own is None:
        return base
    return Thresholds(
        own.max_removal_fraction if own.max_removal_fraction is not None else base.max_removal_fraction,
        own.max_daily_budget_increase
        if own.max_daily_budget_increase is not None
        else base.max_daily_budget_increase,
        own.min_managed_entities if own.min_managed_entities is not None else base.min_entities,
        own.max_daily_budget_decrease
        if own.max_daily_budget_decrease is not None
        else base.max_daily_budget_decrease,
    )


def _as_applied(desired: Campaign, current: Campaign) -> Campaign:
    """The campaign as an apply leaves it: ignored fields keep their live values."""
    keep = {
        CAMPAIGN_FIELDS[f.split(".", 1)[0]]
        for f in desired.ignore_changes
        if f.split(".", 1)[0] in CAMPAIGN_FIELDS
    }
    return replace(desired, **{attr: getattr(current, attr) for attr in keep}) if keep else desired


def _pins(entity: Any) -> list[str]:
    """The ``id`` pins of an entity and of the creatives under it (a replace moves them all)."""
    children = entity.creatives if isinstance(entity, Campaign) else ()
    return [f"{e.name!r}: {e.id}" for e in (entity, *children) if e.id is not None]


def _kind_enum(entity: Any) -> Kind:
    return Kind(_kind(entity))


def late_format(desired: Campaign, current: Campaign) -> str:
    """Why a DRAFT campaign must be replaced to get its format ("" when it need not): one live
    without a format can't be given a video, carousel or dynamic format later."""
    fmt = desired.format
    if "format" in desired.ignore_changes or fmt not in FORMATS_SET_AT_CREATION:
        return ""
    if status_of(current) != "DRAFT" or current.format is not None:
        return ""
    return f"format {fmt} can only be set when a campaign is created"


def _frozen_creative(desired: Creative, current: Creative, diff: Difference) -> str:
    """Why a creative must be replaced rather than updated ("" when it need not)."""
    if not diff.changes:
        return ""
    changed = {c.field for c in diff.effective}
    if "content" in changed:
        return "creative content can't change after creation"
    old, new = current.leadgen_call_to_action, desired.leadgen_call_to_action
    if old and new and old.destination != new.destination and status_of(current) != "DRAFT":
        return "a lead form can't change once the creative left DRAFT"
    return ""


def _match(
    desired: Sequence[Any],
    siblings: Sequence[Any],
    by_id: Mapping[Any, Any],
    path: tuple[str, ...],
    claimed: set[int],
    spare: Callable[[Any, Any], bool] | None = None,
    spares: list[tuple[Any, Any]] | None = None,
) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Pair desired resources with live ones: ``id`` pin first, then name among live siblings.

    Returns the pairs (live side None for a create) and the live siblings left unmatched and not
    pinned elsewhere in the manifests (``claimed``). Several live siblings of one name are
    ambiguous, unless every one but the earliest is a ``spare(earliest, other)``: a duplicate left by
    two applies at once (see :mod:`reconciler.apply.siblings`); then the earliest is matched and
    each (spare, earliest) is added to ``spares`` for removal.
    """
    # What this call takes, apart from ``claimed``: copying ``claimed`` (every pin of the account) for
    # each of the account's 5,000 campaigns would make planning quadratic.
    taken: set[int | None] = set()
    pairs: list[tuple[Any, Any]] = []
    pending: list[Any] = []
    for item in desired:
        if item.id is None:
            pending.append(item)
            continue
        found = by_id.get(item.id)
        if found is None:
            raise PlanError(
                f"{' / '.join((*path, item.name))}: pinned id {item.id} does not exist in the account; "
                "remove the id to create it anew"
            )
        taken.add(item.id)
        pairs.append((item, found))
    named: dict[str, list[Any]] = {}
    for live in siblings:
        if live.id not in claimed and live.id not in taken and status_of(live) not in GONE:
            named.setdefault(live.name, []).append(live)
    for item in pending:
        candidates = named.get(item.name, [])
        if len(candidates) > 1:
            candidates = sorted(candidates, key=lambda c: c.id or 0)
        later = candidates[1:]
        if later and spare is not None and spares is not None and all(spare(candidates[0], c) for c in later):
            spares.extend((c, candidates[0]) for c in later)
            taken.update(c.id for c in later)
            candidates = candidates[:1]
        if len(candidates) > 1:
            ids = ", ".join(str(c.id) for c in candidates)
            raise AmbiguousLiveState(
                f"{' / '.join((*path, item.name))}: {len(candidates)} live entities share this name "
                f"(ids {ids}); "
                "pin the right one with `id:` or rename the others"
            )
        match = candidates[0] if candidates else None
        if match is not None:
            taken.add(match.id)
        pairs.append((item, match))
    leftovers = [s for s in siblings if s.id not in claimed and s.id not in taken]
    return pairs, leftovers
