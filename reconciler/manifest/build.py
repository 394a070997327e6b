"""One schema-checked document -> records: model values plus where each was written.

A record is the builder's view of one account part, audience, group, campaign or creative: the
converted field values (``fields``, keyed by manifest field name) and their places (``locs``), so
the rules can judge values and cite file:line:column. Values the schema rejected are left out
(``fields`` lacks them), so no rule reports a mistake the schema already reported.

Nothing here raises for a user mistake: conversion problems are collected in ``problems``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest import convert
from reconciler.manifest.document import Document, JsonPath, Loc


@dataclass
class Fields:
    """Converted values by manifest field name, and where each was written."""

    values: dict[str, Any] = field(default_factory=dict)
    locs: dict[str, Loc] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """The value of a field, None when unset (or rejected)."""
        return self.values.get(name)

    def put(self, name: str, value: Any, loc: Loc) -> None:
        """Set a field's value and place."""
        self.values[name] = value
        self.locs[name] = loc


@dataclass
class Source:
    """Targeting as written in one place: an audience, or a campaign's own include/exclude."""

    label: str
    loc: Loc
    include: list[tuple[dict[str, list[str]], Loc]] = field(default_factory=list)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    exclude_loc: Loc | None = None


@dataclass
class TargetingRefs:
    """A campaign's ``targeting``: audiences it names (with places) and its own clauses."""

    loc: Loc
    audiences: list[tuple[str, Loc]]
    own: Source


@dataclass
class CreativeRec:
    """A creative as written."""

    loc: Loc
    name: str | None
    fields: Fields


@dataclass
class CampaignRec:
    """A campaign as written; ``fields`` gains the account defaults when parts are merged."""

    loc: Loc
    name: str | None
    fields: Fields
    targeting: TargetingRefs | None
    creatives: list[CreativeRec]


@dataclass
class GroupRec:
    """A campaign group as written."""

    loc: Loc
    name: str | None
    fields: Fields
    campaigns: list[CampaignRec]


@dataclass
class FilePart:
    """What one file says about one account."""

    doc: Document
    account_loc: Loc
    account: Fields
    defaults_loc: Loc | None
    defaults: Fields
    ignore_all: Fields
    audiences: dict[str, Source]
    groups: list[GroupRec]


class Builder:
    """Builds a FilePart from a document, skipping the paths the schema rejected."""

    def __init__(self, doc: Document, rejected: Iterable[JsonPath]) -> None:
        self.doc = doc
        self.rejected = set(rejected)
        self.tainted = {p[:i] for p in self.rejected for i in range(len(p) + 1)}
        self.problems: list[Problem] = []

    def clean(self, path: JsonPath) -> bool:
        """Whether nothing at, above or below ``path`` was rejected."""
        if not self.rejected:  # a valid document: nothing to look for (~1 million calls at the limits)
            return True
        if path in self.tainted:
            return False
        return not any(path[:i] in self.rejected for i in range(len(path)))

    def part(self) -> FilePart | None:
        """The account part of this document, or None when its account cannot be known."""
        data = self.doc.data
        if not isinstance(data, dict) or not self.clean(("account", "id")) or not self.clean(("version",)):
            return None
        account_loc = Loc(self.doc, ("account",))
        account = self.fields(
            account_loc,
            {
                "id": convert.same,
                "currency": convert.same,
                "name": convert.same,
                "prune": convert.same,
                "safety": convert.same,
            },
        )
        if account.get("id") is None:
            return None
        defaults = data.get("defaults")
        defaults_loc = Loc(self.doc, ("defaults",)) if isinstance(defaults, dict) else None
        campaign_defaults = (
            self.fields(defaults_loc.child("campaign"), convert.CAMPAIGN_SETTINGS)
            if defaults_loc
            else Fields()
        )
        ignore_all = self.fields(defaults_loc, {"ignoreChanges": tuple}) if defaults_loc else Fields()
        return FilePart(
            doc=self.doc,
            account_loc=account_loc,
            account=account,
            defaults_loc=defaults_loc,
            defaults=campaign_defaults,
            ignore_all=ignore_all,
            audiences=self.audiences(),
            groups=[self.group(loc) for loc in self.items(Loc(self.doc, ()), "campaignGroups")],
        )

    def items(self, parent: Loc, key: str) -> list[Loc]:
        """The places of the mapping items of a list field (items the schema rejected as a whole skipped)."""
        value = self.doc.get((*parent.path, key))
        if not isinstance(value, list) or not self.clean_container((*parent.path, key)):
            return []
        locs = [parent.child(key, i) for i, item in enumerate(value) if isinstance(item, dict)]
        return [loc for loc in locs if loc.path not in self.rejected]

    def clean_container(self, path: JsonPath) -> bool:
        """Whether neither ``path`` nor an ancestor was rejected (descendants may be)."""
        if not self.rejected:
            return True
        return not any(path[:i] in self.rejected for i in range(len(path) + 1))

    def fields(self, loc: Loc, converters: Mapping[str, convert.Converter]) -> Fields:
        """Convert the clean fields of the mapping at ``loc``."""
        out = Fields()
        raw = self.doc.get(loc.path)
        if not isinstance(raw, dict) or not self.clean_container(loc.path):
            return out
        for name, converter in converters.items():
            if name in raw and raw[name] is not None and self.clean((*loc.path, name)):
                self._convert(out, name, converter, raw[name], loc.child(name))
        return out

    def _convert(self, out: Fields, name: str, converter: convert.Converter, raw: Any, loc: Loc) -> None:
        try:
            out.put(name, converter(raw), loc)
        except convert.Invalid as err:
            self.problems.append(loc.child(*err.at).problem(err.message))
        except (ValueError, KeyError, TypeError) as err:
            self.problems.append(loc.problem(f"cannot read this value: {err}"))

    def name(self, loc: Loc) -> str | None:
        """The entity's name, when the schema accepted it."""
        value = self.doc.get((*loc.path, "name"))
        return value if isinstance(value, str) and self.clean((*loc.path, "name")) else None

    def group(self, loc: Loc) -> GroupRec:
        """A campaign group and everything below it."""
        campaigns = [self.campaign(c) for c in self.items(loc, "campaigns")]
        return GroupRec(loc, self.name(loc), self.fields(loc, convert.GROUP_FIELDS), campaigns)

    def campaign(self, loc: Loc) -> CampaignRec:
        """A campaign and its creatives."""
        creatives = [
            CreativeRec(c, self.name(c), self.fields(c, convert.CREATIVE_FIELDS))
            for c in self.items(loc, "creatives")
        ]
        fields = self.fields(loc, convert.CAMPAIGN_FIELDS)
        return CampaignRec(loc, self.name(loc), fields, self.targeting(loc.child("targeting")), creatives)

    def targeting(self, loc: Loc) -> TargetingRefs | None:
        """A campaign's targeting: the shorthand name, or {audience, include, exclude}."""
        raw = self.doc.get(loc.path)
        if raw is None or not self.clean_container(loc.path):
            return None
        if isinstance(raw, str):
            return TargetingRefs(loc, [(raw, loc)] if self.clean(loc.path) else [], Source("inline", loc))
        refs = raw.get("audience")
        names: list[tuple[str, Loc]] = []
        if isinstance(refs, str) and self.clean((*loc.path, "audience")):
            names = [(refs, loc.child("audience"))]
        elif isinstance(refs, list) and self.clean((*loc.path, "audience")):
            names = [(name, loc.child("audience", i)) for i, name in enumerate(refs)]
        return TargetingRefs(loc, names, self.source("the campaign's own targeting", loc))

    def source(self, label: str, loc: Loc) -> Source:
        """Include clauses and exclude facets written at ``loc`` (rejected parts left out)."""
        out = Source(label, loc)
        raw = self.doc.get(loc.path)
        for clause_loc in self.items(loc, "include"):
            if self.clean(clause_loc.path):
                out.include.append((dict(self.doc.get(clause_loc.path)), clause_loc))
        exclude = raw.get("exclude") if isinstance(raw, dict) else None
        if isinstance(exclude, dict) and self.clean((*loc.path, "exclude")):
            out.exclude, out.exclude_loc = dict(exclude), loc.child("exclude")
        return out

    def audiences(self) -> dict[str, Source]:
        """The named audiences of this document."""
        raw = self.doc.get(("audiences",))
        if not isinstance(raw, dict) or not self.clean_container(("audiences",)):
            return {}
        out = {}
        for name, value in raw.items():
            loc = Loc(self.doc, ("audiences", name))
            if isinstance(value, dict) and loc.path not in self.rejected:
                out[name] = self.source(f"audience '{name}'", loc)
        return out
