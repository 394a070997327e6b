"""Which API the reconciler talks to: the embedded emulator, LinkedIn, or any other URL.

:func:`resolve_target` turns ``--target`` / ``RECONCILER_TARGET`` and the environment into a
:class:`Target`; :meth:`Target.client` opens a :class:`~reconciler.api.LinkedInClient` on it.

- ``emulator``: the emulator in-process, persisted at ``.reconciler/emulator.sqlite`` under the
  working directory. The default when no LinkedIn credentials are set (and the description says so,
  for the CLI to announce). This module is the one place outside the emulator that imports it.
- ``https://api.linkedin.com/rest``: the default when credentials are set.
- any other ``http(s)`` URL, e.g. a served emulator ``http://127.0.0.1:8765/rest``.

Credentials are sent only over https or to a loopback address; a loopback target without
credentials gets a placeholder token (the emulator accepts any). The token is introspected
(:mod:`reconciler.api.introspect`) where ``LINKEDIN_CLIENT_ID`` and ``LINKEDIN_CLIENT_SECRET`` are
set (at ``www.linkedin.com`` for LinkedIn, at the target's origin otherwise), and on the emulator
(embedded, or loopback without credentials) with placeholder client credentials. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from reconciler.api import (
    BearerAuth,
    LinkedInClient,
    RetryPolicy,
    Secret,
    auth_from_env,
    parse_version,
    version_notice,
)
from reconciler.api.auth import client_credentials, has_credentials
from reconciler.api.introspect import LINKEDIN_URL as INTROSPECT_URL
from reconciler.api.introspect import Introspection, origin_url
from reconciler.api.wire import CONNECT_TIMEOUT, DEFAULT_CONCURRENCY, READ_TIMEOUT
from reconciler.errors import ConfigError

if TYPE_CHECKING:
    from reconciler.emulator import Emulator

LINKEDIN_URL = "https://api.linkedin.com/rest"
EMULATOR = "emulator"
EMULATOR_DB = Path(".reconciler") / "emulator.sqlite"
EMULATOR_BASE_URL = "http://emulator.local/rest"
PLACEHOLDER_TOKEN = "emulator-placeholder-token"
TIMEOUT = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
DEFAULT_TIMEOUT = 120.0
"""Seconds one API request may take in all, retries and the whole answer included (``--timeout``)."""
TIMEOUT_VAR = "RECONCILER_TIMEOUT"


class TargetKind(StrEnum):
    """What kind of server a target is."""

    EMULATOR = "emulator"
    LINKEDIN = "linkedin"
    URL = "url"


@dataclass(frozen=True)
class Target:
    """A resolved target. ``description`` is for the user (the CLI announces it); ``notices`` are
    warnings for the CLI to print (e.g. the pinned LinkedIn-Version nears its sunset)."""

    kind: TargetKind
    base_url: str
    description: str
    version: str
    notices: tuple[str, ...] = ()
    db_path: Path | None = None
    auth: httpx.Auth = field(default_factory=lambda: BearerAuth(Secret(PLACEHOLDER_TOKEN)), repr=False)
    timeout: float = DEFAULT_TIMEOUT
    introspection: Introspection | None = field(default=None, repr=False)
    access_tier: str | None = None

    def client(self, **options: Any) -> LinkedInClient:
        """A client on this target (use it as a context manager: leaving it closes the connection).

        ``options`` go to :class:`~reconciler.api.LinkedInClient` (``concurrency``, ``retry``, …);
        without ``retry``, each request is bounded by the target's ``timeout``, retries included.
        """
        concurrency = int(options.get("concurrency", DEFAULT_CONCURRENCY))
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        http = httpx.Client(
            base_url=self.base_url,
            transport=self._transport(),
            auth=self.auth,
            timeout=TIMEOUT,
            limits=limits,
        )
        options.setdefault("version", self.version)
        options.setdefault("retry", RetryPolicy(budget=self.timeout))
        options.setdefault("introspection", self.introspection)
        options.setdefault("access_tier", self.access_tier)
        return LinkedInClient(http, **options)

    def _transport(self) -> httpx.BaseTransport | None:
        if self.kind is not TargetKind.EMULATOR:
            return None
        assert self.db_path is not None
        return embedded_transport(self.db_path)


def resolve_target(
    option: str | None, env: Mapping[str, str], cwd: Path | None = None, *, timeout: float | None = None
) -> Target:
    """The target named by ``option`` (``--target``), else ``RECONCILER_TARGET``, else the default;
    each request bounded by ``timeout`` (``--timeout``), else ``RECONCILER_TIMEOUT``, else 120 s.

    Raises ConfigError for a malformed target, version, timeout or credential set.
    """
    seconds = resolve_timeout(timeout, env)
    return dataclasses.replace(_resolve(option, env, cwd), timeout=seconds, access_tier=access_tier(env))


TIER_VAR = "LINKEDIN_ACCESS_TIER"


def access_tier(env: Mapping[str, str]) -> str | None:
    """The app's access tier as ``LINKEDIN_ACCESS_TIER`` states it (``development`` or ``standard``),
    None when unset: LinkedIn's API reports no tier, so only configuration can say it before a write.
    ConfigError for another value."""
    value = env.get(TIER_VAR, "").strip().lower()
    if not value:
        return None
    if value not in ("development", "standard"):
        raise ConfigError(
            f"{TIER_VAR}: give development or standard (the app's tier in the Developer Portal)"
        )
    return value


def resolve_timeout(option: float | None, env: Mapping[str, str]) -> float:
    """``--timeout`` if given, else ``RECONCILER_TIMEOUT``, else the default; ConfigError if not > 0."""
    if option is not None:
        value, source = option, "--timeout"
    elif env.get(TIMEOUT_VAR, "").strip():
        source = TIMEOUT_VAR
        try:
            value = float(env[TIMEOUT_VAR].strip())
        except ValueError:
            raise ConfigError(f"{TIMEOUT_VAR}: give a number of seconds, e.g. 60") from None
    else:
        return DEFAULT_TIMEOUT
    if not 0 < value < 86_400:
        raise ConfigError(f"{source}: give a number of seconds above 0 (and below a day)")
    return value


def _resolve(option: str | None, env: Mapping[str, str], cwd: Path | None) -> Target:
    version = parse_version(env.get("LINKEDIN_VERSION"))
    notice = version_notice(version)
    notices = (notice,) if notice else ()
    named = (option or env.get("RECONCILER_TARGET") or "").strip()
    credentials = has_credentials(env)
    if not named:
        named = LINKEDIN_URL if credentials else EMULATOR
        why = "" if credentials else " — no LinkedIn credentials set"
    else:
        why = ""
    if named.lower() == EMULATOR:
        return _embedded(cwd or Path.cwd(), version, notices, why)
    return _remote(named, env, version, notices, credentials)


def _embedded(cwd: Path, version: str, notices: tuple[str, ...], why: str) -> Target:
    return Target(
        TargetKind.EMULATOR,
        EMULATOR_BASE_URL,
        f"embedded emulator ({EMULATOR_DB}){why}",
        version,
        notices,
        db_path=cwd / EMULATOR_DB,
        introspection=_placeholder_client(EMULATOR_BASE_URL),
    )


def _remote(
    url: str, env: Mapping[str, str], version: str, notices: tuple[str, ...], credentials: bool
) -> Target:
    try:
        parsed = httpx.URL(url) if "://" in url else None
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigError(f"--target {url!r}: use 'emulator' or an http(s) URL such as {LINKEDIN_URL}")
    if parsed.userinfo:
        # A password in the URL would be printed, saved in plans and journals: credentials go in
        # the environment only. The message leaves the URL out for the same reason.
        raise ConfigError(
            "--target: a user or password in the URL is not accepted; set credentials in the environment"
        )
    if parsed.query or parsed.fragment:
        raise ConfigError(f"--target {url}: give the API root without '?' or '#', e.g. {LINKEDIN_URL}")
    loopback = _is_loopback(parsed.host)
    if credentials and parsed.scheme != "https" and not loopback:
        raise ConfigError(f"--target {url}: refusing to send LinkedIn credentials over plain http")
    client = client_credentials(env)
    introspection = None
    if client is not None:
        where = INTROSPECT_URL if url.rstrip("/") == LINKEDIN_URL else origin_url(url)
        introspection = Introspection(where, client[0], client[1])
    if credentials:
        auth = auth_from_env(env)
    elif loopback:
        auth = BearerAuth(Secret(PLACEHOLDER_TOKEN))
        introspection = _placeholder_client(url)
    else:
        raise ConfigError(
            f"--target {url} needs LinkedIn credentials: set LINKEDIN_ACCESS_TOKEN, or "
            "LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET and LINKEDIN_REFRESH_TOKEN"
        )
    base = url.rstrip("/")
    kind = TargetKind.LINKEDIN if base == LINKEDIN_URL else TargetKind.URL
    label = f"LinkedIn ({base})" if kind is TargetKind.LINKEDIN else base
    return Target(kind, base, label, version, notices, auth=auth, introspection=introspection)


def _placeholder_client(api_root: str) -> Introspection:
    """Client credentials for an emulator that holds no applications (it accepts any)."""
    return Introspection(origin_url(api_root), "emulator-client", Secret(PLACEHOLDER_TOKEN))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def embedded_transport(db_path: Path) -> httpx.BaseTransport:
    """The emulator's in-process transport over the database at ``db_path`` (created if absent)."""
    # The only import of the emulator outside it; late, so other targets never load it.
    from reconciler.emulator import open_emulator

    db_path.parent.mkdir(parents=True, exist_ok=True)
    instance = open_emulator(db_path)
    return _OwningTransport(instance.transport(), instance)


class _OwningTransport(httpx.BaseTransport):
    """A transport that also closes what it was made from (the emulator and its database)."""

    def __init__(self, inner: httpx.BaseTransport, owner: Emulator) -> None:
        self._inner = inner
        self._owner = owner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
        self._owner.close()
