"""Valid account records -> the desired model (Account, CampaignGroup, Campaign, Creative).

Called only once every rule passed, so every value it reads is present and converted; it makes
no judgement of its own. It also records where each resource was written (``positions``) and each
account's audiences as model Targeting, for later stages (plan output, import, explain).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from reconciler.errors import Position
from reconciler.manifest.build import CampaignRec, CreativeRec, GroupRec, Source
from reconciler.manifest.document import Loc, place_of
from reconciler.manifest.fields import CAMPAIGN_FIELDS, CREATIVE_FIELDS, GROUP_FIELDS, api_ignore
from reconciler.manifest.merge import AccountRec
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    Safety,
    Targeting,
)
from reconciler.model.entities import CAMPAIGN_FIELDS as API_CAMPAIGN_FIELDS
from reconciler.model.entities import GROUP_FIELDS as API_GROUP_FIELDS

# Manifest field -> model attribute: the manifest uses the API's names, except ``targeting``.
CAMPAIGN_ATTRS = {("targeting" if k == "targetingCriteria" else k): v for k, v in API_CAMPAIGN_FIELDS.items()}
GROUP_ATTRS = dict(API_GROUP_FIELDS)

ResourcePath = tuple[str, ...]


@dataclass
class Built:
    """The model of every account, with where each resource was written (its place, made into a
    file:line:column only when asked for: see :class:`ResourcePositions`) and the audiences."""

    accounts: list[Account] = field(default_factory=list)
    positions: dict[ResourcePath, Loc] = field(default_factory=dict)
    audiences: dict[int, Mapping[str, Targeting]] = field(default_factory=dict)


class ResourcePositions(Mapping[ResourcePath, Position]):
    """Where each resource was written, by resource path; a Position is made when looked up, as
    finding one may mean reading its file again (see :func:`reconciler.manifest.fastload.parse_plain`).

    It keeps each file's places (and so, until they are found, its text), not its data: the parsed
    manifests are freed once the model is built.
    """

    __slots__ = ("_locs",)

    def __init__(self, locs: Mapping[ResourcePath, Loc]) -> None:
        self._locs = {path: (loc.doc.values, loc.doc.file, loc.path) for path, loc in locs.items()}

    def __getitem__(self, path: ResourcePath) -> Position:
        return place_of(*self._locs[path])

    def __iter__(self) -> Iterator[ResourcePath]:
        return iter(self._locs)

    def __len__(self) -> int:
        return len(self._locs)


def build_model(records: list[AccountRec]) -> Built:
    """The desired model of valid account records."""
    out = Built()
    for record in records:
        out.accounts.append(_account(record, out.positions))
        out.audiences[record.id] = MappingProxyType(
            {name: _audience(source) for name, source in sorted(record.audiences.items())}
        )
    return out


def _account(record: AccountRec, positions: dict[ResourcePath, Loc]) -> Account:
    root = (str(record.id),)
    positions[root] = record.loc
    inherited = record.ignore_all.get("ignoreChanges") or ()
    groups = []
    for group in record.groups:
        groups.append(_group(group, inherited, root, positions))
    currency = record.currency
    assert currency is not None
    return Account(
        id=record.id,
        currency=currency,
        name=record.account.get("name"),
        groups=tuple(groups),
        prune=bool(record.account.get("prune")),
        safety=_safety(record.account.get("safety")),
    )


def _safety(raw: Any) -> Safety | None:
    """The account's safety thresholds, when the manifests set any."""
    if not isinstance(raw, dict):
        return None
    return Safety(
        max_removal_fraction=raw.get("maxRemovalFraction"),
        max_daily_budget_increase=raw.get("maxDailyBudgetIncrease"),
        min_managed_entities=raw.get("minManagedEntities"),
        max_daily_budget_decrease=raw.get("maxDailyBudgetDecrease"),
    )


def _group(
    group: GroupRec, inherited: tuple[str, ...], root: ResourcePath, positions: dict[ResourcePath, Loc]
) -> CampaignGroup:
    assert group.name is not None
    path = (*root, group.name)
    positions[path] = group.loc
    values = {attr: group.fields.get(name) for name, attr in GROUP_ATTRS.items()}
    return CampaignGroup(
        name=group.name,
        campaigns=tuple(_campaign(c, inherited, path, positions) for c in group.campaigns),
        id=group.fields.get("id"),
        prune=bool(group.fields.get("prune")),
        ignore_changes=api_ignore(group.fields.get("ignoreChanges") or (), inherited, GROUP_FIELDS),
        **values,
    )


def _campaign(
    campaign: CampaignRec,
    inherited: tuple[str, ...],
    parent: ResourcePath,
    positions: dict[ResourcePath, Loc],
) -> Campaign:
    assert campaign.name is not None
    path = (*parent, campaign.name)
    positions[path] = campaign.loc
    given = campaign.fields.values
    values = {attr: given.get(name) for name, attr in CAMPAIGN_ATTRS.items()}
    values["name"] = campaign.name
    values["creatives"] = tuple([_creative(r, inherited, path, positions) for r in campaign.creatives])
    values["id"] = given.get("id")
    ignore = given.get("ignoreChanges")
    if ignore or inherited:
        values["ignore_changes"] = api_ignore(ignore or (), inherited, CAMPAIGN_FIELDS)
    else:
        values["ignore_changes"] = ()
    return Campaign.of_values(values)


def _creative(
    creative: CreativeRec,
    inherited: tuple[str, ...],
    parent: ResourcePath,
    positions: dict[ResourcePath, Loc],
) -> Creative:
    assert creative.name is not None
    positions[(*parent, creative.name)] = creative.loc
    given = creative.fields.values
    ignore = given.get("ignoreChanges")
    return Creative.of_values(
        {
            "name": creative.name,
            "content": given.get("content"),
            "intended_status": given.get("intendedStatus"),
            "leadgen_call_to_action": given.get("leadgenCallToAction"),
            "id": given.get("id"),
            "ignore_changes": (
                api_ignore(ignore or (), inherited, CREATIVE_FIELDS) if ignore or inherited else ()
            ),
            "local_name": bool(given.get("localName", False)),
        }
    )


def _audience(source: Source) -> Targeting:
    return Targeting.build([clause for clause, _ in source.include], source.exclude)
