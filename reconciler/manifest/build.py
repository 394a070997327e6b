"""One schema-checked document -> records: model values plus where each was written.

A record is the builder's view of one account part, audience, group, campaign or creative: the
converted field values (``fields``, keyed by manifest field name) and their places (``locs``), so
the rules can judge values and cite file:line:column. Values the schema rejected are left out
(``fields`` lacks them), so no rule reports a mistake the schema already reported.

Nothing here raises for a user mistake: conversion problems are collected in ``problems``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest import convert
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.document import Document, JsonPath, Loc
from reconciler.manifest.managed import AssetContext, build_managed
from reconciler.model import KINDS, ManagedContent


class Fields:
    """Converted values by manifest field name, and where each was written.

    A value converted from the mapping at ``base`` was written at ``base.child(name)``; that place
    is made only when asked for (``locs``), as rules ask for few of the 100,000 fields at the
    limits. :meth:`put` gives a value with a place of its own (an account default, say).

    ``get(name)`` is the value of a field, None when unset (or rejected): the values' own ``get``,
    as the rules ask ~20 fields of each of 20,000 entities at the limits (a method would add a
    Python call to each).
    """

    __slots__ = ("_placed", "base", "get", "values")

    def __init__(self, base: Loc | None = None) -> None:
        self.values: dict[str, Any] = {}
        self.get: Callable[[str], Any] = self.values.get
        self.base = base
        self._placed: dict[str, Loc] = {}

    def put(self, name: str, value: Any, loc: Loc) -> None:
        """Set a field's value and place."""
        self.values[name] = value
        self._placed[name] = loc

    def put_here(self, name: str, value: Any) -> None:
        """Set a field's value, written at ``base.child(name)``."""
        self.values[name] = value
        self._placed.pop(name, None)

    @property
    def locs(self) -> Mapping[str, Loc]:
        """Where each field with a value was written, by name."""
        return _FieldLocs(self)


class _FieldLocs(Mapping[str, Loc]):
    __slots__ = ("_fields",)

    def __init__(self, fields: Fields) -> None:
        self._fields = fields

    def __getitem__(self, name: str) -> Loc:
        fields = self._fields
        placed = fields._placed.get(name)
        if placed is not None:
            return placed
        if name not in fields.values or fields.base is None:
            raise KeyError(name)
        return fields.base.child(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields.values)

    def __len__(self) -> int:
        return len(self._fields.values)


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
    kind: str | None = None  # the content kind made from files and text, as written (see model.KINDS)


@dataclass
class CampaignRec:
    """A campaign as written; ``fields`` gains the account defaults when parts are merged."""

    loc: Loc
    name: str | None
    fields: Fields
    targeting: TargetingRefs | None
    creatives: list[CreativeRec]
    written: Mapping[str, Any] = field(default_factory=dict)  # the campaign as written, rejected parts too


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

    def __init__(
        self, doc: Document, rejected: Iterable[JsonPath], assets: AssetContext | None = None
    ) -> None:
        self.doc = doc
        self.assets = assets
        self.rejected = set(rejected)
        self.tainted = {p[:i] for p in self.rejected for i in range(len(p) + 1)}
        self.problems: list[Problem] = []
        # Each text converted once per converter: the same few statuses, types and amounts recur on
        # thousands of entities (every converter is pure and its values immutable).
        self._converted: dict[tuple[convert.Converter, str], Any] = {}

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
            groups=[
                self.group(loc, raw) for loc, raw in self.items(Loc(self.doc, ()), data, "campaignGroups")
            ],
        )

    def items(self, parent: Loc, raw: Any, key: str) -> list[tuple[Loc, dict[str, Any]]]:
        """The places and values of the mapping items of the list field ``key`` of ``raw`` (the
        value at ``parent``); items the schema rejected as a whole are skipped."""
        value = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(value, list) or not self.clean_container((*parent.path, key)):
            return []
        found = [(parent.child(key, i), item) for i, item in enumerate(value) if isinstance(item, dict)]
        if not self.rejected:
            return found
        return [(loc, item) for loc, item in found if loc.path not in self.rejected]

    def clean_container(self, path: JsonPath) -> bool:
        """Whether neither ``path`` nor an ancestor was rejected (descendants may be)."""
        if not self.rejected:
            return True
        return not any(path[:i] in self.rejected for i in range(len(path) + 1))

    def fields(self, loc: Loc, converters: Mapping[str, convert.Converter], raw: Any = None) -> Fields:
        """Convert the clean fields of the mapping at ``loc`` (``raw``, when the caller has it)."""
        out = Fields(loc)
        if raw is None:
            raw = self.doc.get(loc.path)
        if not isinstance(raw, dict) or not self.clean_container(loc.path):
            return out
        path, values, rejected, converted = loc.path, out.values, self.rejected, self._converted
        for name, value in raw.items():  # in the file's order
            converter = converters.get(name)
            if converter is None or value is None or (rejected and not self.clean((*path, name))):
                continue
            try:  # out is new: its values are written at base.child(name) (see Fields.put_here)
                if type(value) is str:
                    key = (converter, value)
                    found = converted.get(key)
                    if found is None:
                        found = converted[key] = converter(value)
                    values[name] = found
                else:
                    values[name] = converter(value)
            except (ValueError, KeyError, TypeError) as err:
                self._invalid(name, err, loc)
        return out

    def _invalid(self, name: str, err: Exception, parent: Loc) -> None:
        if isinstance(err, convert.Invalid):
            self.problems.append(parent.child(name, *err.at).problem(err.message))
        else:
            self.problems.append(parent.child(name).problem(f"cannot read this value: {err}"))

    def name(self, loc: Loc, raw: dict[str, Any]) -> str | None:
        """The entity's name (``raw`` is the entity as written), when the schema accepted it."""
        value = raw.get("name")
        clean = not self.rejected or self.clean((*loc.path, "name"))  # most documents have no rejection
        return value if isinstance(value, str) and clean else None

    def group(self, loc: Loc, raw: dict[str, Any]) -> GroupRec:
        """A campaign group and everything below it."""
        campaigns = [self.campaign(c, item) for c, item in self.items(loc, raw, "campaigns")]
        return GroupRec(loc, self.name(loc, raw), self.fields(loc, convert.GROUP_FIELDS, raw), campaigns)

    def campaign(self, loc: Loc, raw: dict[str, Any]) -> CampaignRec:
        """A campaign and its creatives."""
        creatives = [self.creative(c, item) for c, item in self.items(loc, raw, "creatives")]
        fields = self.fields(loc, convert.CAMPAIGN_FIELDS, raw)
        targeting = self.targeting(loc.child("targeting"), raw.get("targeting"))
        return CampaignRec(loc, self.name(loc, raw), fields, targeting, creatives, raw)

    def creative(self, loc: Loc, raw: dict[str, Any]) -> CreativeRec:
        """A creative; content made from files gets them read (see :mod:`reconciler.manifest.managed`)."""
        fields = self.fields(loc, convert.CREATIVE_FIELDS, raw)
        content = raw.get("content")
        kind = next(iter(content), None) if isinstance(content, dict) and len(content) == 1 else None
        if kind not in KINDS:
            return CreativeRec(loc, self.name(loc, raw), fields)
        assert isinstance(content, dict) and kind is not None
        body = content[kind]
        if isinstance(body, dict) and self.clean_container((*loc.path, "content", kind)):
            self._managed(fields, loc, kind, body)
        return CreativeRec(loc, self.name(loc, raw), fields, kind)

    def _managed(self, fields: Fields, loc: Loc, kind: str, body: dict[str, Any]) -> None:
        """Read the files of the content ``body`` of ``kind`` of the creative at ``loc``; the content
        stays set only when it has no problem (it is read even when the schema rejected a text of it,
        so that every problem is reported at once)."""
        converted = fields.values.get("content")  # only when the schema accepted all of it
        kept = isinstance(converted, ManagedContent)
        written = converted if isinstance(converted, ManagedContent) else ManagedContent(kind, body)
        context = self.assets or _context_of(self.doc)
        built, problems = build_managed(written, loc, context, self.clean)
        self.problems.extend(problems)
        if built is not None and kept:
            # Worked out here, once, for content kept (whose texts can be sent, so written in UTF-8):
            # a plan compares every content by it, and while this process builds the model, the
            # account and its posts are still being read.
            built.fingerprint()
            fields.put_here("content", built)
        elif "content" in fields.values:
            del fields.values["content"]

    def targeting(self, loc: Loc, raw: Any) -> TargetingRefs | None:
        """A campaign's targeting (``raw``, as written): a shorthand name, or {audience, include, exclude}."""
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
        return TargetingRefs(loc, names, self.source("the campaign's own targeting", loc, raw))

    def source(self, label: str, loc: Loc, raw: Any) -> Source:
        """Include clauses and exclude facets written at ``loc`` (``raw``; rejected parts left out)."""
        out = Source(label, loc)
        for clause_loc, clause in self.items(loc, raw, "include"):
            if self.clean(clause_loc.path):
                out.include.append((dict(clause), clause_loc))
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
                out[name] = self.source(f"audience '{name}'", loc, value)
        return out


def _context_of(doc: Document) -> AssetContext:
    """Files named by a document read on its own: looked for beside it, its directory the root."""
    folder = os.path.dirname(doc.file) or "."
    return AssetContext(AssetStore(), folder, folder)
