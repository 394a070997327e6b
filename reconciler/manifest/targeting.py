"""Audiences and campaign targeting: resolve references, check facets, build the model's Targeting.

A campaign's targeting is the AND of the include clauses of the audiences it names and of its own
``include``, and the OR (union) of their excludes. Checks are made once where a mistake is written:
an audience (or a campaign's own clauses) that alone breaks a rule is reported there; a campaign is
reported only for what combining its sources breaks, so one bad audience is not reported once per
campaign that uses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.errors import Problem
from reconciler.manifest.build import CampaignRec, Source
from reconciler.manifest.merge import AccountRec
from reconciler.manifest.names import Pins
from reconciler.manifest.schema import suggest
from reconciler.model import CampaignStatus, Targeting, facet_limit

LOCATION_FACETS = ("locations", "profileLocations")
RUNNING = (CampaignStatus.ACTIVE, CampaignStatus.PAUSED)


def resolve_targeting(account: AccountRec, pins: Pins) -> list[Problem]:
    """Check every audience and campaign targeting of ``account``; set each campaign's ``targeting``.

    Names are first replaced by the URNs ``pins`` holds for them (each unpinned name a problem), so
    every check below, and the model, sees URNs only.
    """
    problems = [p for source in account.audiences.values() for p in pins.translate(source)]
    problems.extend(p for source in account.audiences.values() for p in check_source(source))
    combined: dict[tuple[str, ...], _Combined] = {}
    for _, campaign in account.campaigns():
        if campaign.targeting is not None:
            problems.extend(pins.translate(campaign.targeting.own))
        problems.extend(_campaign(account, campaign, combined))
    return problems


# A combination of targeting sources: its Targeting, whether it names a location, and what only the
# combination breaks (messages, cited at the campaign's targeting).
_Combined = tuple[Targeting, bool, list[str]]


def check_source(source: Source) -> list[Problem]:
    """Facet limits and include/exclude overlap within one place where targeting is written."""
    problems: list[Problem] = []
    included = _included(source)
    for facet, values in included.items():
        clauses = [loc for clause, loc in source.include if facet in clause]
        if len(values) > facet_limit(facet):
            where = clauses[0].child(facet) if len(clauses) == 1 else source.loc
            problems.append(where.problem(_too_many(facet, len(values))))
    for facet, excluded in source.exclude.items():
        assert source.exclude_loc is not None
        if len(set(excluded)) > facet_limit(facet):
            problems.append(source.exclude_loc.child(facet).problem(_too_many(facet, len(set(excluded)))))
        for index, value in enumerate(excluded):
            if value in included.get(facet, ()):
                message = f"'{value}' is both included and excluded"
                problems.append(source.exclude_loc.child(facet, index).problem(message))
    return problems


def _included(source: Source) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for clause, _ in source.include:
        for facet, values in clause.items():
            out.setdefault(facet, set()).update(values)
    return out


def _too_many(facet: str, count: int) -> str:
    return f"{count} values for facet {facet}; LinkedIn allows at most {facet_limit(facet)}"


def _campaign(
    account: AccountRec, campaign: CampaignRec, combined: dict[tuple[str, ...], _Combined]
) -> list[Problem]:
    """Check a campaign's targeting and set its ``targeting``. Campaigns that only name audiences
    share the combination of the same names (``combined``): thousands of campaigns name one."""
    refs = campaign.targeting
    if refs is None:
        return []
    problems = check_source(refs.own)
    sources: list[Source] = []
    for name, loc in refs.audiences:
        source = account.audiences.get(name)
        if source is None:
            problems.append(loc.problem(_unknown_audience(name, account.audiences)))
        else:
            sources.append(source)
    if len(sources) < len(refs.audiences):
        return problems
    sources.append(refs.own)
    shared = None if refs.own.include or refs.own.exclude else tuple(name for name, _ in refs.audiences)
    found = combined.get(shared) if shared is not None else None
    if found is None:
        found = _combine(sources)
        if shared is not None:
            combined[shared] = found
    targeting, located, messages = found
    problems.extend(refs.loc.problem(message) for message in messages)
    campaign.fields.put("targeting", targeting, refs.loc)
    if campaign.fields.get("status") in RUNNING and not located:
        message = "targeting names no location; include a locations or profileLocations facet to run"
        problems.append(refs.loc.problem(message))
    return problems


def _combine(sources: list[Source]) -> _Combined:
    targeting = Targeting.build(
        [clause for source in sources for clause, _ in source.include],
        _union(source.exclude for source in sources),
    )
    return targeting, _has_location(targeting), _combined(sources)


def _unknown_audience(name: str, audiences: dict[str, Source]) -> str:
    message = f"unknown audience '{name}'"
    guess = suggest(name, sorted(audiences))
    if guess:
        return f"{message} — did you mean '{guess}'?"
    known = ", ".join(sorted(audiences))
    return (
        f"{message}; defined audiences: {known}" if known else f"{message}; this account defines no audiences"
    )


def _combined(sources: list[Source]) -> list[str]:
    """What only the combination of sources breaks (each source alone was checked already)."""
    problems: list[str] = []
    alone = [_included(source) for source in sources]
    merged = _union(alone)
    for facet, values in sorted(merged.items()):
        if len(values) > facet_limit(facet) and all(
            len(a.get(facet, ())) <= facet_limit(facet) for a in alone
        ):
            problems.append(_too_many(facet, len(values)) + " once the audiences are combined")
    for facet, values in sorted(_union(source.exclude for source in sources).items()):
        both = sorted(set(values) & merged.get(facet, set()))
        solo = {
            value
            for included, source in zip(alone, sources, strict=True)
            for value in source.exclude.get(facet, ())
            if value in included.get(facet, ())
        }
        for value in both:
            if value not in solo:
                message = f"'{value}' is both included and excluded once the audiences are combined"
                problems.append(message)
    return problems


def _union(maps: Iterable[dict[str, list[str]] | dict[str, set[str]]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mapping in maps:
        for facet, values in mapping.items():
            out.setdefault(facet, set()).update(values)
    return out


def _has_location(targeting: Targeting) -> bool:
    facets = targeting.facets()
    return any(key.endswith(":" + name) for key in facets for name in LOCATION_FACETS)
