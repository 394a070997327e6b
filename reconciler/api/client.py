"""LinkedInClient: the reconciler's only door to the LinkedIn Marketing API (or the emulator).

It hands out one :class:`~reconciler.api.collection.Collection` per collection (ad accounts, and an
account's groups, campaigns and creatives), all sharing one :class:`~reconciler.api.wire.Wire`
(headers, retries, the in-flight bound, counters) and one thread pool for concurrent reads and
batches. It takes an ``httpx.Client`` whose ``base_url`` is the API root: the transport is the seam,
so tests pass the emulator's in-process transport or an ``httpx.MockTransport``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TypeVar

import httpx

from reconciler.api.auth import Secret
from reconciler.api.collection import DEFAULT_BATCH_SIZE, Collection
from reconciler.api.content import ContentApi
from reconciler.api.insights import Insights
from reconciler.api.introspect import Introspection, TokenInfo, introspect
from reconciler.api.pageroles import read_page_roles
from reconciler.api.resources import ACCOUNTS, CAMPAIGNS, CREATIVES, GROUPS, ResourceSpec
from reconciler.api.retry import RetryPolicy
from reconciler.api.roles import read_roles
from reconciler.api.stats import ClientStats
from reconciler.api.targeting import TargetingCatalog
from reconciler.api.version import DEFAULT_VERSION, parse_version
from reconciler.api.wire import DEFAULT_CONCURRENCY, USER_AGENT, Wire
from reconciler.model import Account, Campaign, CampaignGroup, Creative

T = TypeVar("T")
R = TypeVar("R")
E = TypeVar("E")


class LinkedInClient:
    """Typed access to ad accounts, campaign groups, campaigns and creatives.

    ``concurrency`` bounds the requests in flight across all callers (and sizes the thread pool);
    ``retry`` sets the backoff policy; ``auth`` overrides the httpx client's auth; ``batch_size``
    caps the ids or bodies in one batch request (longer batches are split and sent concurrently);
    ``introspection`` says where and as which application the token can be introspected;
    ``access_tier`` the app's access tier when configured (``development`` or ``standard``; LinkedIn's
    API does not report it).
    Closing the client (or leaving its ``with`` block) closes the httpx client too.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        version: str = DEFAULT_VERSION,
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        auth: httpx.Auth | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        user_agent: str = USER_AGENT,
        introspection: Introspection | None = None,
        access_tier: str | None = None,
    ) -> None:
        self.http = http
        self.introspection = introspection
        self.access_tier = access_tier
        self._token_info: TokenInfo | None = None
        self.version = parse_version(version)
        self.wire = Wire(
            http, version=self.version, concurrency=concurrency, retry=retry, auth=auth, user_agent=user_agent
        )
        if introspection is not None:
            self.wire.also_secret = (introspection.client_secret,)
        self.batch_size = batch_size
        self._roles: dict[int, str] | None = None
        self._page_roles: dict[str, frozenset[str]] | None = None
        self._roles_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="reconciler-api")
        self._local = threading.local()
        # Audience sizes, bid and budget limits and spend: cached for the run.
        self.insights = Insights(self.wire)
        self.targeting = TargetingCatalog(self.wire, parallel=self.parallel)
        """The targeting catalog (facets, entities by facet, typeahead, names of URNs), cached."""

    @property
    def stats(self) -> ClientStats:
        """Call counters (per Rest.li method and resource, retries, throttles)."""
        return self.wire.stats

    # -- collections -------------------------------------------------------------------------

    @property
    def accounts(self) -> Collection[Account]:
        """``/adAccounts``."""
        return self._collection(ACCOUNTS, "/adAccounts")

    def groups(self, account_id: int) -> Collection[CampaignGroup]:
        """``/adAccounts/{account_id}/adCampaignGroups``."""
        return self._collection(GROUPS, f"/adAccounts/{int(account_id)}/adCampaignGroups")

    def campaigns(self, account_id: int) -> Collection[Campaign]:
        """``/adAccounts/{account_id}/adCampaigns``."""
        return self._collection(CAMPAIGNS, f"/adAccounts/{int(account_id)}/adCampaigns")

    def creatives(self, account_id: int) -> Collection[Creative]:
        """``/adAccounts/{account_id}/creatives``."""
        return self._collection(CREATIVES, f"/adAccounts/{int(account_id)}/creatives")

    @property
    def content(self) -> ContentApi:
        """Media uploads, posts, inline creatives, InMail contents and conversation ads."""
        return ContentApi(self.wire, self.parallel, self.batch_size)

    def _collection(self, spec: ResourceSpec[E], path: str) -> Collection[E]:
        return Collection(self.wire, spec, path, self.parallel, self.batch_size)

    # -- the live reader's needs (reconciler.live.AccountReader) -----------------------------

    def get_account_currency(self, account_id: int) -> tuple[str, str]:
        """(currency, name) of the account."""
        account = self.accounts.get(account_id)
        return account.currency, account.name or ""

    def search_groups(self, account_id: int) -> list[CampaignGroup]:
        """Every campaign group of the account, all pages."""
        return self.groups(account_id).search()

    def search_campaigns(self, account_id: int) -> list[Campaign]:
        """Every campaign of the account, all pages."""
        return self.campaigns(account_id).search()

    def campaign_pages(self, account_id: int) -> Iterator[list[Campaign]]:
        """Every campaign of the account, page by page (each page read when asked for)."""
        return self.campaigns(account_id).pages()

    def search_creatives(self, account_id: int, campaigns: Sequence[str] | None = None) -> list[Creative]:
        """Every creative of the account, or of these campaign URNs only, all pages, but the CANCELED
        ones, which LinkedIn hides from a search naming no status (:meth:`search_canceled_creatives`).
        No status is named, so a creative in an intended status of a later version is read too (and
        matched, listed, left alone), never missed and made again."""
        criteria = None if campaigns is None else {"campaigns": list(campaigns)}
        return self.creatives(account_id).search(criteria)

    def search_canceled_creatives(self, account_id: int) -> list[Creative]:
        """The CANCELED creatives of the account, all pages."""
        return self.creatives(account_id).search({"intendedStatuses": ["CANCELED"]})

    # -- the member ------------------------------------------------------------------------------

    def member_roles(self) -> dict[int, str]:
        """Account id -> the token's member's role on it (``adAccountUsers``, read once per client)."""
        with self._roles_lock:
            if self._roles is None:
                self._roles = read_roles(self.wire)
            return dict(self._roles)

    def page_roles(self) -> dict[str, frozenset[str]]:
        """Organization URN -> the member's APPROVED page roles (``organizationAcls``, read once)."""
        with self._roles_lock:
            if self._page_roles is None:
                self._page_roles = read_page_roles(self.wire)
            return dict(self._page_roles)

    def token_info(self) -> TokenInfo | None:
        """The token's scopes and expiry (token introspection, once per client); None when no client
        credentials allow it, or the token is not known yet. Raises what :func:`introspect` raises."""
        if self.introspection is None:
            return None
        with self._roles_lock:
            if self._token_info is None:
                token = self._access_token()
                if token is None:
                    return None
                self._token_info = introspect(
                    self.http, self.introspection, token, stats=self.stats, timeout=self.wire.retry.budget
                )
            return self._token_info

    def _access_token(self) -> Secret | None:
        auth = self.wire.auth_flow
        current = getattr(auth, "access_token", None)
        token = current() if callable(current) else None
        return token if isinstance(token, Secret) and token else None

    # -- concurrency -------------------------------------------------------------------------

    def parallel(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]``, run on the client's pool; results in input order.

        Called from inside the pool it runs inline, so nested use cannot starve the pool. The first
        exception is raised once every started task has finished.
        """
        work = list(items)
        if len(work) <= 1 or getattr(self._local, "in_pool", False):
            return [fn(item) for item in work]
        futures = [self._pool.submit(self._in_pool, fn, item) for item in work]
        errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error
        return [f.result() for f in futures]

    def _in_pool(self, fn: Callable[[T], R], item: T) -> R:
        self._local.in_pool = True
        return fn(item)

    # -- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the pool and close the httpx client."""
        self._pool.shutdown(wait=True)
        self.http.close()

    def __enter__(self) -> LinkedInClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LinkedInClient(base_url={str(self.http.base_url)!r}, version={self.version!r})"
