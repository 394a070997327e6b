"""One live ad account -> the text of its manifests: ``account.yaml`` and ``groups/<slug>.yaml``.

``account.yaml`` holds the account, the campaign settings every imported campaign shares (as
``defaults.campaign``) and the audiences extracted from repeated targeting; each campaign group gets
a file of its own. Every group, campaign and creative is pinned by ``id``. Entities LinkedIn has
removed (REMOVED, CANCELED, PENDING_DELETION) are skipped with their children and counted; the
default campaign group is written only when it holds campaigns (or is asked for by ``--group``).

Pure: takes a :class:`~reconciler.live.LiveAccount`, returns an :class:`ImportResult`; writing the
files is ``files.write_files``'s job.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.errors import ConfigError
from reconciler.importer import documents as docs
from reconciler.importer.audiences import description, shared_targeting
from reconciler.importer.naming import MAX_GROUP_NAME, group_file_stems, manifest_name, unique_names
from reconciler.importer.targeting_names import FacetNames, pins_of, targeting_names
from reconciler.importer.yamlout import dump
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    Campaign,
    CampaignGroup,
    Creative,
    Targeting,
    campaign_urn,
    group_urn,
    unknown_values,
)

SCHEMA_FILE = "manifest.schema.json"  # the schema, beside account.yaml unless the repository has one
ACCOUNT_FILE = "account.yaml"
GROUPS_DIR = "groups"
# Campaign settings moved to defaults.campaign when every imported campaign has the same value.
DEFAULTABLE = (
    "costType",
    "locale",
    "offsiteDeliveryEnabled",
    "audienceExpansionEnabled",
    "creativeSelection",
    "pacingStrategy",
    "politicalIntent",
    "connectedTelevisionOnly",
)


@dataclass(frozen=True)
class ImportOptions:
    """What to import and how to point at the schema.

    ``groups``: campaign group names (or ids) to import; empty means all. ``schema``: the schema
    reference for the ``yaml-language-server`` line: a path relative to the output directory (a file
    the user's repository holds, never a URL someone else could serve). ``names``: targeting URN ->
    the name LinkedIn gives it; such URNs are written by name (see :mod:`.targeting_names`).
    """

    groups: tuple[str, ...] = ()
    schema: str = SCHEMA_FILE
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportedFile:
    """One manifest file: its path relative to the output directory (``/``-separated) and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class ImportResult:
    """The manifests of one account, and what the import counted, skipped and changed."""

    account: int
    currency: str
    files: tuple[ImportedFile, ...]
    counts: Mapping[str, int]
    skipped: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    pins: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass
class _Selection:
    """The live entities to import, each kind by id, and what was passed over."""

    groups: list[CampaignGroup] = field(default_factory=list)
    campaigns: dict[int, list[Campaign]] = field(default_factory=dict)
    creatives: dict[int, list[Creative]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def all_campaigns(self) -> list[Campaign]:
        return [c for g in self.groups for c in self.campaigns[_id(g)]]


def build_manifests(live: LiveAccount, options: ImportOptions | None = None) -> ImportResult:
    """The manifests of ``live``; raises ConfigError when ``options.groups`` names an unknown group."""
    opts = options or ImportOptions()
    chosen = _select(live, opts.groups)
    campaigns = chosen.all_campaigns()
    targeted = [c.targeting for c in campaigns if c.targeting is not None and not docs.is_empty(c.targeting)]
    audiences = shared_targeting(targeted)
    names = targeting_names(targeted, opts.names)
    fields = {_id(c): docs.campaign_fields(c) for c in campaigns}
    defaults = _defaults(list(fields.values()))
    for values in fields.values():
        for key in defaults:
            values.pop(key)
    # Stems over every group of the account, so a subset import names files as a full one does.
    stems = group_file_stems([(_id(g), g.name) for g in sorted(live.groups, key=_id) if not _gone(g)])
    files = [_account_file(live, opts, defaults, audiences, campaigns, names)]
    group_names = _names(chosen.groups, "Campaign group", chosen.notes, limit=MAX_GROUP_NAME)
    for group in chosen.groups:
        body = _group_doc(group, group_names[_id(group)], chosen, fields, (audiences, names))
        path = f"{GROUPS_DIR}/{stems[_id(group)]}.yaml"
        files.append(ImportedFile(path, _group_text(live, opts, path, group, body)))
    _note_statuses(chosen)
    _note_unnamed(chosen)
    _note_unknown(chosen)
    counts = {
        "groups": len(chosen.groups),
        "campaigns": len(campaigns),
        "creatives": sum(len(v) for v in chosen.creatives.values()),
        "audiences": len(audiences),
    }
    return ImportResult(
        live.id,
        live.currency,
        tuple(files),
        counts,
        {k: n for k, n in chosen.skipped.items() if n},
        tuple(chosen.notes),
        pins_of(names),
    )


# -- choosing what to import -------------------------------------------------------------------


def _select(live: LiveAccount, wanted: Sequence[str]) -> _Selection:
    chosen = _Selection()
    groups = sorted(live.groups, key=_id)
    picked = _pick(live, groups, wanted)
    for group in groups:
        if _gone(group):
            chosen.skipped["campaign groups"] += 1
            _skip_children(live, group, chosen)
            continue
        if _id(group) not in picked:
            continue
        campaigns = _campaigns(live, group, chosen)
        explicit = bool(wanted)
        if group.is_default and not campaigns and not explicit:
            continue
        chosen.groups.append(group)
        chosen.campaigns[_id(group)] = campaigns
    return chosen


def _pick(live: LiveAccount, groups: list[CampaignGroup], wanted: Sequence[str]) -> set[int]:
    """Ids of the groups asked for (all when none is named); ConfigError for an unknown name."""
    usable = [g for g in groups if not _gone(g)]
    if not wanted:
        return {_id(g) for g in usable}
    picked: set[int] = set()
    for name in wanted:
        found = [g for g in usable if g.name == name or str(g.id) == name.strip()]
        if not found:
            raise ConfigError(_unknown_group(live.id, name, [g.name for g in usable]))
        picked.update(_id(g) for g in found)
    return picked


def _unknown_group(account: int, name: str, names: list[str]) -> str:
    message = f"--group {name!r}: ad account {account} has no campaign group of that name or id"
    guess = difflib.get_close_matches(name, names, n=1)
    if guess:
        return f"{message} — did you mean {guess[0]!r}?"
    shown = ", ".join(repr(n) for n in sorted(names)[:10])
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return f"{message}; its groups: {shown}{more}" if names else f"{message}; it has no campaign groups"


def _campaigns(live: LiveAccount, group: CampaignGroup, chosen: _Selection) -> list[Campaign]:
    kept: list[Campaign] = []
    for campaign in sorted(live.campaigns_of(group_urn(_id(group))), key=_id):
        if _gone(campaign):
            chosen.skipped["campaigns"] += 1
            chosen.skipped["creatives"] += len(live.creatives_of(campaign_urn(_id(campaign))))
            continue
        creatives = sorted(live.creatives_of(campaign_urn(_id(campaign))), key=_id)
        chosen.skipped["creatives"] += sum(_gone(r) for r in creatives)
        chosen.creatives[_id(campaign)] = [r for r in creatives if not _gone(r)]
        kept.append(campaign)
    return kept


def _skip_children(live: LiveAccount, group: CampaignGroup, chosen: _Selection) -> None:
    campaigns = live.campaigns_of(group_urn(_id(group)))
    chosen.skipped["campaigns"] += len(campaigns)
    chosen.skipped["creatives"] += sum(len(live.creatives_of(campaign_urn(_id(c)))) for c in campaigns)


def _note_statuses(chosen: _Selection) -> None:
    """Say which live statuses could not be written (a manifest cannot ask for them)."""
    entities: list[tuple[str, Any]] = [("campaign group", g.status) for g in chosen.groups]
    entities += [("campaign", c.status) for c in chosen.all_campaigns()]
    entities += [("creative", r.intended_status) for rs in chosen.creatives.values() for r in rs]
    left_out = Counter(
        (kind, str(status))
        for kind, status in entities
        if status is not None and str(status) not in docs.SETTABLE_STATUSES
    )
    for (kind, status), count in sorted(left_out.items()):
        plural = "s" if count != 1 else ""
        chosen.notes.append(
            f"{count} {kind}{plural} {status}: a status only LinkedIn sets, so written without one "
            "(status is not managed for them)"
        )


def _note_unknown(chosen: _Selection) -> None:
    """Name each entity holding a value this model does not know: written without it, not managed."""
    entities: list[tuple[str, Any]] = [("campaign group", g) for g in chosen.groups]
    entities += [("campaign", c) for c in chosen.all_campaigns()]
    entities += [("creative", r) for rs in chosen.creatives.values() for r in rs]
    for kind, entity in entities:
        unknown = unknown_values(entity)
        if unknown:
            chosen.notes.append(
                f"{kind} {entity.id}: unknown {unknown}: written without it, and not managed (plans "
                "leave it as it is)"
            )


def _note_unnamed(chosen: _Selection) -> None:
    unnamed = sum(not r.name for rs in chosen.creatives.values() for r in rs)
    if unnamed:
        chosen.notes.append(
            f"{unnamed} creative{'s' if unnamed != 1 else ''} without a name at LinkedIn (made before "
            "creatives had names, API version 202410): written with a local label (localName: true), "
            "never sent"
        )


# -- documents ---------------------------------------------------------------------------------


def _defaults(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The settings every campaign has, with the same value (when there are two campaigns or more)."""
    if len(fields) < 2:
        return {}
    out: dict[str, Any] = {}
    for key in DEFAULTABLE:
        values = [f.get(key) for f in fields]
        if values[0] is not None and all(v == values[0] for v in values):
            out[key] = values[0]
    return docs.ordered(out, docs.CAMPAIGN_KEYS)


def _account_file(
    live: LiveAccount,
    opts: ImportOptions,
    defaults: dict[str, Any],
    audiences: dict[Targeting, str],
    campaigns: list[Campaign],
    names: FacetNames,
) -> ImportedFile:
    uses = Counter(c.targeting for c in campaigns)
    account = docs.ordered(
        {"id": live.id, "currency": live.currency, "name": live.name or None}, docs.ACCOUNT_KEYS
    )
    body: dict[str, Any] = {"version": 1, "account": account}
    if defaults:
        body["defaults"] = {"campaign": defaults}
    if audiences:
        body["audiences"] = {
            name: docs.ordered(
                {"description": description(uses[targeting]), **docs.targeting_doc(targeting, names)},
                docs.AUDIENCE_KEYS,
            )
            for targeting, name in audiences.items()
        }
    header = [
        _schema_line(opts, ACCOUNT_FILE),
        "",
        f"Ad account {live.id}, imported by `reconciler import --account {live.id}`.",
        f"Its campaign groups are in {GROUPS_DIR}/*.yaml, one file each; every resource is pinned by id.",
    ]
    return ImportedFile(ACCOUNT_FILE, dump(body, header))


def _group_doc(
    group: CampaignGroup,
    name: str,
    chosen: _Selection,
    fields: Mapping[int, dict[str, Any]],
    targetings: tuple[Mapping[Targeting, str], FacetNames],
) -> dict[str, Any]:
    campaigns = chosen.campaigns[_id(group)]
    names = _names(campaigns, "Campaign", chosen.notes)
    out = []
    for campaign in campaigns:
        creatives = chosen.creatives[_id(campaign)]
        creative_names = _names(creatives, "Creative", chosen.notes)
        targeting = _targeting(campaign.targeting, *targetings)
        out.append(
            docs.campaign_doc(
                campaign,
                names[_id(campaign)],
                fields[_id(campaign)],
                targeting,
                [docs.creative_doc(r, creative_names[_id(r)]) for r in creatives],
            )
        )
    return docs.group_doc(group, name, out)


def _targeting(targeting: Targeting | None, audiences: Mapping[Targeting, str], names: FacetNames) -> Any:
    if targeting is None or docs.is_empty(targeting):
        return None
    return audiences.get(targeting) or docs.targeting_doc(targeting, names)


def _group_text(
    live: LiveAccount, opts: ImportOptions, path: str, group: CampaignGroup, body: dict[str, Any]
) -> str:
    document = {
        "version": 1,
        "account": {"id": live.id, "currency": live.currency},
        "campaignGroups": [body],
    }
    header = [
        _schema_line(opts, path),
        "",
        f"Campaign group {group.id}, imported from ad account {live.id} by `reconciler import`.",
    ]
    return dump(document, header)


def _schema_line(opts: ImportOptions, path: str) -> str:
    ref = opts.schema
    if "://" not in ref:
        ref = "../" * path.count("/") + ref
    return f"yaml-language-server: $schema={ref}"


def _names(
    entities: Sequence[Any], kind: str, notes: list[str], *, limit: int | None = None
) -> dict[int, str]:
    """Manifest-valid, sibling-unique names; a note for every name that had to change."""
    cleaned = [(_id(e), manifest_name(e.name, _id(e), kind, limit=limit)) for e in entities]
    final = unique_names(cleaned, limit=limit)
    for entity in entities:
        new = final[_id(entity)]
        if isinstance(entity, Creative) and not entity.name:
            continue  # a local label (localName: true): never sent, so nothing is renamed
        if new != entity.name:
            notes.append(
                f"{kind.lower()} {entity.id}: live name {entity.name!r} written as {new!r} "
                "(names must be unique among siblings, on one line, non-empty); the next apply renames it"
            )
    return final


def _id(entity: Any) -> int:
    assert entity.id is not None, "live entities have ids"
    return int(entity.id)


def _gone(entity: CampaignGroup | Campaign | Creative) -> bool:
    status = entity.intended_status if isinstance(entity, Creative) else entity.status
    return status is not None and str(status) in GONE
