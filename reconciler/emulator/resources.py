"""The four ad resources: keys, envelopes, paging limits, and their operations on the store.

Owns: what CREATE, GET, PARTIAL_UPDATE, DELETE and FINDER mean for each entity kind — run the
kind's rules, add server-owned fields, write, cascade — independent of Rest.li framing (batching,
headers, projections), which is ``routes``' job.

Must not: parse URLs or build HTTP responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.emulator import ids, jsontext
from reconciler.emulator.errors import ApiError, Envelope, not_found, param_invalid
from reconciler.emulator.finders import criteria, search, too_many
from reconciler.emulator.paging import Limits, count_too_large
from reconciler.emulator.present import (
    account_urn,
    apply_defaults,
    present,
    stamp_create,
    stamp_update,
    strip_computed,
)
from reconciler.emulator.restli import Params, reduced_encode
from reconciler.emulator.rules import accounts, campaigns, creatives, groups
from reconciler.emulator.rules import content as content_rules
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.serving import Lineage
from reconciler.emulator.store import Entity, Kind, urn_id

CREATIVE_PREFIX = "urn:li:sponsoredCreative:"
DEFAULT_GROUP_NAME = "Default Campaign Group"


@dataclass(frozen=True)
class Resource:
    """One collection: its name, entity kind, error envelope, finder name and paging limits."""

    name: str
    kind: Kind
    envelope: Envelope
    finder: str
    limits: Limits
    label: str

    def parse_key(self, text: str) -> int:
        """The numeric key of a path or batch key (creatives: a sponsoredCreative URN)."""
        if self.kind is Kind.CREATIVE:
            if text.startswith(CREATIVE_PREFIX) and text[len(CREATIVE_PREFIX) :].isdigit():
                return int(text[len(CREATIVE_PREFIX) :])
        elif text.isdigit():
            return int(text)
        raise param_invalid("ids" if "," in text else "key")

    def key_text(self, key: int) -> str:
        """The key as the API shows it: a number, or the creative URN."""
        return f"{CREATIVE_PREFIX}{key}" if self.kind is Kind.CREATIVE else str(key)

    def map_key(self, key: int) -> str:
        """The key of batch maps: reduced-encoded (``urn%3Ali%3AsponsoredCreative%3A1``)."""
        return reduced_encode(self.key_text(key))


ACCOUNTS = Resource(
    "adAccounts", Kind.ACCOUNT, Envelope.NEW, "search", Limits(1000, 100, count_too_large()), "Ad account"
)
GROUPS = Resource(
    "adCampaignGroups",
    Kind.GROUP,
    Envelope.NEW,
    "search",
    Limits(1000, 100, count_too_large()),
    "Campaign group",
)
CAMPAIGNS = Resource(
    "adCampaigns", Kind.CAMPAIGN, Envelope.NEW, "search", Limits(1000, 1000, too_many()), "Campaign"
)
CREATIVES = Resource(
    "creatives", Kind.CREATIVE, Envelope.CLASSIC, "criteria", Limits(100, None, None), "Creative"
)
SCOPED = {r.name: r for r in (GROUPS, CAMPAIGNS, CREATIVES)}


@dataclass
class Scope:
    """One request's view: the rules context, the resource, and the account of the path (if any)."""

    ctx: Ctx
    resource: Resource
    account: Entity | None

    @property
    def account_id(self) -> int:
        assert self.account is not None
        return int(self.account["id"])

    @property
    def kind(self) -> Kind:
        return self.resource.kind

    def _bucket(self, key: int) -> int:
        return key if self.kind is Kind.ACCOUNT else self.account_id

    def load(self, key: int) -> Entity:
        """The stored entity, or 404."""
        entity = self.ctx.store.get(self.kind, self._bucket(key), key)
        if entity is None:
            raise not_found(f"{self.resource.label} {self.resource.key_text(key)}")
        return entity

    def get(self, key: int) -> Entity:
        """The entity as GET returns it."""
        lineage = Lineage(self.ctx.store, self.ctx.now_ms)
        return present(self.kind, self.load(key), lineage, (self._bucket(key), key))

    def create(self, body: Any) -> int:
        """Validate and store a new entity; its key."""
        body = _object(body)
        ctx = self.ctx
        if self.kind is Kind.ACCOUNT:
            entity = accounts.build(ctx, body)
        else:
            assert self.account is not None
            builder = {
                Kind.GROUP: groups.build,
                Kind.CAMPAIGN: campaigns.build,
                Kind.CREATIVE: creatives.build,
            }
            entity = apply_defaults(self.kind, builder[self.kind](ctx, self.account, body), self.account)
        key = ids.allocate(ctx.store, self.kind, ctx.seed)[0]
        stored = stamp_create(self.kind, entity, key, ctx)
        ctx.store.put(self.kind, self._bucket(key), key, stored)
        if self.kind is Kind.ACCOUNT:
            create_default_group(ctx, stored)
        elif self.kind is Kind.CREATIVE:
            self._fix_campaign_format(stored)
        return key

    def update(self, key: int, patch: Any) -> None:
        """Apply a PARTIAL_UPDATE body (``{"patch": …}``)."""
        body = _object(patch)
        if set(body) != {"patch"}:
            raise ApiError(400, "INVALID_VALUE_FOR_FIELD", 'a partial update body is {"patch": {...}}')
        current = strip_computed(self.load(key))
        if self.kind is Kind.ACCOUNT:
            after = accounts.merge(self.ctx, current, body["patch"])
        else:
            assert self.account is not None
            merger = {
                Kind.GROUP: groups.merge,
                Kind.CAMPAIGN: campaigns.merge,
                Kind.CREATIVE: creatives.merge,
            }
            after = merger[self.kind](self.ctx, self.account, current, body["patch"])
        self.ctx.store.put(self.kind, self._bucket(key), key, stamp_update(self.kind, after, self.ctx))

    def delete(self, key: int) -> None:
        """DELETE: allowed in DRAFT only; deleting a parent deletes what it holds."""
        current = self.load(key)
        if self.kind is Kind.ACCOUNT:
            accounts.check_delete(current)
        elif self.kind is Kind.GROUP:
            groups.check_delete(current)
        elif self.kind is Kind.CAMPAIGN:
            campaigns.check_delete(current)
        else:
            creatives.check_delete(self.ctx, self.account_id, current)
        _cascade(self.ctx, self.kind, self._bucket(key), key)

    def find(self, params: Params) -> dict[str, Any]:
        """The FINDER response body (``q`` already checked against ``resource.finder``)."""
        store, now = self.ctx.store, self.ctx.now_ms
        if self.kind is Kind.ACCOUNT:
            return search(store, Kind.ACCOUNT, None, params, now, self.resource.limits)
        if self.kind is Kind.CREATIVE:
            return criteria(store, self.account_id, params, now, self.resource.limits)
        return search(store, self.kind, self.account_id, params, now, self.resource.limits)

    def _fix_campaign_format(self, creative: Entity) -> None:
        # An unset campaign format is fixed by its first creative (reference §3.3 "format").
        campaign_id = urn_id(creative.get("campaign"))
        campaign = (
            None if campaign_id is None else self.ctx.store.get(Kind.CAMPAIGN, self.account_id, campaign_id)
        )
        if campaign is None or campaign.get("format"):
            return
        fmt = content_rules.implied_format(self.ctx, creative.get("content"))
        if fmt is not None and campaign_id is not None:
            self.ctx.store.put(Kind.CAMPAIGN, self.account_id, campaign_id, {**campaign, "format": fmt})


def create_default_group(ctx: Ctx, account: Entity) -> int:
    """Create and remember the default campaign group every new account gets."""
    account_id = int(account["id"])
    body = {
        "account": account_urn(account_id),
        "name": DEFAULT_GROUP_NAME,
        "status": "ACTIVE",
        "runSchedule": {"start": ctx.now_ms},
    }
    key = ids.allocate(ctx.store, Kind.GROUP, ctx.seed)[0]
    ctx.store.put(
        Kind.GROUP,
        account_id,
        key,
        stamp_create(Kind.GROUP, apply_defaults(Kind.GROUP, body, account), key, ctx),
    )
    accounts.set_default_group(ctx.store, account_id, key)
    return key


def _cascade(ctx: Ctx, kind: Kind, bucket: int, key: int) -> None:
    store = ctx.store
    if kind is Kind.ACCOUNT:
        for child in (Kind.CREATIVE, Kind.CAMPAIGN, Kind.GROUP):
            for child_key, _ in store.scan(child, key):
                store.delete(child, key, child_key)
    elif kind is Kind.GROUP:
        for campaign_key, _ in store.scan(Kind.CAMPAIGN, bucket, parents=[key]):
            _cascade(ctx, Kind.CAMPAIGN, bucket, campaign_key)
    elif kind is Kind.CAMPAIGN:
        for creative_key, _ in store.scan(Kind.CREATIVE, bucket, parents=[key]):
            store.delete(Kind.CREATIVE, bucket, creative_key)
    store.delete(kind, bucket, key)


def _object(body: Any) -> dict[str, Any]:
    if isinstance(body, (bytes, str)):
        try:
            body = jsontext.parse_body(body)
        except jsontext.Unrepresentable as error:
            raise ApiError(400, "INVALID_VALUE_FOR_FIELD", f"the request body holds {error}") from None
        except ValueError:
            raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body must be a JSON object")
    return body
