"""``GET /rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(...)``: the audience model.

The emulator has no members, so it answers a documented, deterministic model of the targeting
(docs/emulator.md, "Audience counts"):

* every catalog value has a member share (``catalog``); a URN the catalog does not hold gets a
  share between 0.001 % and 0.1 % drawn from a hash of the URN (stable across runs);
* an include clause (one ``or`` map) covers the sum of its values' shares, capped at 1; a value
  inside another value of the same clause (Seattle inside the United States, an industry inside
  its group) adds nothing more;
* clauses are ANDed as independent: their fractions multiply, times :data:`geo.MEMBERS`;
* an excluded value inside an included one is subtracted from that clause (exclude California from
  the United States); one enclosing included values removes them (exclude the United States from
  Seattle); one of a single-valued facet (seniorities, age ranges …) against a clause of only that
  facet removes nothing (a Director is never also Entry); every other exclusion removes its share
  of everyone (exclusions are independent of the include clauses);
* the result is multiplied by ``Settings.audience_scale`` (``serve --audience-scale F``), rounded to
  the nearest 100 (the docs: "a rounded approximation"), and answered as 0 below 300 members;
  ``active`` (members likely to visit LinkedIn) is 30 % of ``total`` (GUESS).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from reconciler.emulator import catalog
from reconciler.emulator.catalog import geo
from reconciler.emulator.errors import Problems, missing_param, param_invalid
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.targeting import check_targeting

MINIMUM = 300  # "Since 300 is the minimum audience size in order to run a campaign" (docs)
ACTIVE_SHARE = 0.3
ROUND_TO = 100


@dataclass
class _Value:
    facet: str
    urn: str
    share: float
    ancestors: frozenset[str]


@dataclass
class _Clause:
    values: list[_Value]
    minus: float = 0.0
    facets: set[str] = field(default_factory=set)

    def fraction(self) -> float:
        return max(0.0, min(1.0, sum(v.share for v in self.values)) - self.minus)


def targeting_param(params: Params, name: str = "targetingCriteria") -> dict[str, Any]:
    """The Rest.li 2.0 record of ``name``, checked as campaign targeting is (400 when it is not)."""
    value = params.get(name)
    if value is None:
        raise missing_param(name)
    if not isinstance(value, dict):
        raise param_invalid(name)
    problems = Problems()
    check_targeting(problems, value, name)
    problems.raise_if_any()
    return value


def counts(params: Params, scale: float) -> dict[str, Any]:
    """The finder's answer: one element with ``total`` and ``active``."""
    total = audience_size(targeting_param(params), scale)
    element = {"active": int(round(total * ACTIVE_SHARE, -2)), "total": total}
    return {"elements": [element], "paging": {"start": 0, "count": 10, "links": []}}


def audience_size(criteria: dict[str, Any], scale: float = 1.0) -> int:
    """Members matching ``criteria`` (already checked by ``check_targeting``), per the model above."""
    clauses = [_clause(item["or"]) for item in criteria["include"]["and"]]
    excluded = criteria.get("exclude", {}).get("or", {})
    pool = 0.0
    for facet_urn, urns in excluded.items():
        for urn in urns:
            pool += _exclude(clauses, _value(facet_urn, urn))
    fraction = 1.0
    for clause in clauses:
        fraction *= clause.fraction()
    raw = geo.MEMBERS * fraction * (1.0 - min(1.0, pool)) * scale
    total = int(round(raw / ROUND_TO) * ROUND_TO)
    return total if raw >= MINIMUM else 0


def _clause(or_map: dict[str, list[str]]) -> _Clause:
    values = [_value(facet_urn, urn) for facet_urn, urns in or_map.items() for urn in urns]
    held = {(v.facet, v.urn) for v in values}
    kept = [v for v in values if not any((v.facet, a) in held for a in v.ancestors)]
    return _Clause(kept, facets={v.facet for v in values})


def _value(facet_urn: str, urn: str) -> _Value:
    facet = facet_urn.removeprefix(catalog.FACET_PREFIX)
    entity = catalog.find(facet, urn)
    if entity is None:
        return _Value(facet, urn, _unknown_share(urn), frozenset())
    ancestors: set[str] = set()
    parent = entity.parent
    while parent is not None and parent not in ancestors:
        ancestors.add(parent)
        above = catalog.find(facet, parent)
        parent = None if above is None else above.parent
    return _Value(facet, urn, entity.share, frozenset(ancestors))


def _unknown_share(urn: str) -> float:
    """A stable share in [1e-5, 1e-3) for a URN the catalog lacks (a segment, an unlisted title)."""
    draw = int.from_bytes(hashlib.blake2b(urn.encode(), digest_size=8).digest(), "big") / 2**64
    return float(10 ** (-5 + 2 * draw))


def _exclude(clauses: list[_Clause], value: _Value) -> float:
    """Apply one excluded value to the clauses it overlaps; the share it removes from everyone else."""
    absorbed = False
    single = catalog.FACET_BY_NAME.get(value.facet)
    for clause in clauses:
        same = [v for v in clause.values if v.facet == value.facet]
        inside = [v for v in same if value.urn in v.ancestors]
        if inside:
            clause.values = [v for v in clause.values if v not in inside]
            absorbed = True
        if any(v.urn in value.ancestors for v in same):
            clause.minus += value.share
            absorbed = True
        if single is not None and single.single_valued and clause.facets == {value.facet}:
            absorbed = True
    return 0.0 if absorbed else value.share
