"""The emulator core: one pure entry point, ``Emulator.handle``, for every front end.

``handle(method, raw_target, headers, body)`` takes the request exactly as on the wire — the raw,
still percent-encoded path and query — and returns an :class:`EmuResponse`. The in-process httpx
transport, the socket server and the CLI all call it; none re-implements any behaviour.

Pipeline (the order of the header gate is INFERRED, see docs/emulator.md): URL limits (414) →
bearer token (401) → daily quota (429) → injected faults (429/5xx) → unknown non-``/rest/`` paths (404) →
``LinkedIn-Version`` (400/426) → tunnelling undone → routing and rules, inside one store
transaction → commit-then-fail → request log.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reconciler.emulator import ids, jsontext, uploads
from reconciler.emulator.errors import ApiError, Envelope, classic
from reconciler.emulator.faults import Fate, FaultConfig, Faults
from reconciler.emulator.gate import Gate, default_active_versions, person_urn
from reconciler.emulator.present import stamp_create
from reconciler.emulator.quota import DailyQuota
from reconciler.emulator.reqlog import RequestLog, redact_headers, redact_target
from reconciler.emulator.resources import create_default_group
from reconciler.emulator.routes import dispatch
from reconciler.emulator.rules.common import Ctx, Settings
from reconciler.emulator.store import Kind, Store
from reconciler.emulator.tunnel import untunnel

if TYPE_CHECKING:
    from reconciler.emulator.transport import EmulatorTransport
from reconciler.emulator.wire import Call, Reply, error_reply

_log = logging.getLogger(__name__)
TEST_ACCOUNT_ID = 500_000_001
TEST_ACCOUNT_NAME = "Reconciler Test Account"
SYSTEM_ACTOR = "urn:li:unknown:0"
MAX_URL = 8 * 1024
MAX_QUERY = 4 * 1024
MAX_SEGMENT = 4 * 1024
MAX_REQUEST_HEAD = 28 * 1024
# The largest request body read. LinkedIn's limit is not documented (a guess): a batch create of
# 1,000 campaigns is about 2 MB. Larger bodies are refused with a 400 (the served socket refuses
# them from Content-Length, before reading them).
MAX_BODY = 16 * 1024 * 1024
# Internal header carrying scheme://host to the routing layer (never from the client: overwritten).
_ORIGIN = "x-emulator-origin"
THROTTLE_MESSAGE = "Resource level throttle limit for calls to this resource is reached."


@dataclass(frozen=True)
class EmuResponse:
    """A response: status, headers and body bytes; ``drop`` means close the connection unanswered."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    drop: bool = False

    def json(self) -> Any:
        """The body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass
class EmulatorConfig:
    """Everything configurable; the defaults are what ``reconciler emulator serve`` uses.

    ``active_versions`` None means the versions released and not yet sunset (sunset table);
    ``tokens`` None accepts any non-empty bearer token; ``clock`` returns epoch milliseconds;
    ``daily_quota`` caps the calls per member token and UTC day (None: no cap).
    """

    seed: int = 0
    active_versions: frozenset[str] | None = None
    tokens: frozenset[str] | None = None
    faults: FaultConfig = field(default_factory=FaultConfig)
    request_log: str | Path | IO[str] | None = None
    clock: Callable[[], int] | None = None
    settings: Settings = field(default_factory=Settings)
    daily_quota: int | None = None


class Emulator:
    """The LinkedIn Advertising API emulator over a :class:`Store` (thread-safe)."""

    def __init__(self, store: Store, config: EmulatorConfig | None = None) -> None:
        self.store = store
        self.config = config or EmulatorConfig()
        self.gate = Gate(self.config.active_versions or default_active_versions(), self.config.tokens)
        self.faults = Faults(self.config.faults, self.config.seed)
        self.quota = DailyQuota(self.config.daily_quota)
        self._log = RequestLog(self.config.request_log) if self.config.request_log is not None else None
        self._seq = 0
        self._seq_lock = threading.Lock()
        self._clock = self.config.clock or (lambda: int(time.time() * 1000))
        ensure_test_account(self.store, self.ctx(SYSTEM_ACTOR))

    def ctx(self, actor: str, origin: str | None = None) -> Ctx:
        """A rules context for one request by ``actor``, at the current clock time; ``origin`` is
        the ``scheme://host`` the request reached (where upload URLs point)."""
        ctx = Ctx(self.store, self._clock(), actor, self.config.seed, self.config.settings)
        if origin:
            ctx.origin = origin
        return ctx

    def transport(self) -> EmulatorTransport:
        """An ``httpx.BaseTransport`` answering from this emulator in process."""
        # Imported here so the core itself never needs httpx (only the adapter does).
        from reconciler.emulator.transport import EmulatorTransport

        return EmulatorTransport(self)

    def close(self) -> None:
        """Close the store and the request log."""
        self.store.close()
        if self._log is not None:
            self._log.close()

    def handle(
        self,
        method: str,
        raw_target: str,
        headers: Mapping[str, str],
        body: bytes = b"",
        *,
        scheme: str = "https",
    ) -> EmuResponse:
        """Answer one request; ``raw_target`` is the raw path and query exactly as sent, ``scheme``
        the one it arrived over (upload URLs point back at the same scheme and ``Host``)."""
        started = time.perf_counter()
        with self._seq_lock:
            self._seq += 1
            seq = self._seq
        lowered = {k.lower(): v for k, v in headers.items()}
        lowered[_ORIGIN] = f"{scheme}://{lowered.get('host') or 'api.linkedin.com'}"
        draw = self.faults.draw()
        self.faults.delay()
        reply, fate = self._answer(method.upper(), raw_target, lowered, body, draw.before, draw.after_write)
        response = _serialise(reply, seq, self.config.seed, drop=fate is Fate.COMMIT_THEN_DROP)
        if self._log is not None:
            entry: dict[str, Any] = {
                "seq": seq,
                "method": method.upper(),
                "target": redact_target(raw_target),
                "headers": redact_headers(headers.items()),
                "status": None if response.drop else response.status,
                "fault": fate.value,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if uploads.is_upload(raw_target) and method.upper() == "PUT":
                # Which bytes were uploaded: a test counts one upload per distinct file by these.
                entry["upload"] = {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            self._log.write(entry)
        return response

    def _answer(
        self, method: str, target: str, headers: dict[str, str], body: bytes, before: Fate, after: Fate
    ) -> tuple[Reply, Fate]:
        path, _, query = target.partition("?")
        if uploads.is_upload(path):
            return self._upload(method, path, query, headers, body, before, after)
        try:
            _check_sizes(path, query, target, headers)
            check_body_size(len(body))
            actor = self.gate.actor(headers)
            if not self.quota.spend(actor, self._clock()):
                # Over the member's daily quota: LinkedIn's 429, with no Retry-After (none documented).
                return error_reply(classic(429, THROTTLE_MESSAGE), Envelope.CLASSIC), Fate.NONE
            if before is not Fate.NONE:
                return _fault_reply(before), before
            if not path.startswith("/rest/"):
                raise classic(404, f"No resource found for {path}")
            self.gate.version(headers)
            plain = untunnel(method, query, headers, body)
        except ApiError as error:
            return error_reply(error, Envelope.CLASSIC), Fate.NONE
        call = Call(plain.method, path, plain.query, headers, plain.body)
        write = plain.method != "GET"
        try:
            with self.store.transaction(write=write):
                reply = dispatch(self.ctx(actor, headers.get(_ORIGIN)), call)
        except RecursionError:
            # Input nested past every parser's own limit: the client's fault, not the emulator's.
            return error_reply(classic(400, "the request nests too deeply"), Envelope.CLASSIC), Fate.NONE
        except Exception:
            # A bug must not kill a serving emulator: answer 500 (the transaction rolled back).
            _log.exception("emulator failure on %s %s", method, redact_target(path))
            return error_reply(classic(500, "Internal Server Error"), Envelope.CLASSIC), Fate.NONE
        if write and 200 <= reply.status < 300 and after is not Fate.NONE:
            if after is Fate.COMMIT_THEN_500:
                return _fault_reply(Fate.ERROR_500), after
            return reply, after
        return reply, Fate.NONE

    def _upload(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        before: Fate,
        after: Fate,
    ) -> tuple[Reply, Fate]:
        """An upload URL: no bearer token or version needed (the signed URL is the credential),
        faults injected as on any write (a kept upload may be answered 500 or dropped)."""
        if before is not Fate.NONE:
            return _fault_reply(before), before
        try:
            with self.store.transaction(write=True):
                ctx = self.ctx(SYSTEM_ACTOR, headers.get(_ORIGIN))
                reply = uploads.receive(ctx, method, path, query, headers, body)
        except ApiError as error:
            return error_reply(error, Envelope.CLASSIC), Fate.NONE
        if after is Fate.COMMIT_THEN_500:
            return _fault_reply(Fate.ERROR_500), after
        return reply, after


def ensure_test_account(store: Store, ctx: Ctx) -> None:
    """Create test ad account 500000001 (USD) and its default group in a fresh store."""
    with store.transaction(write=True):
        if store.get_meta("initialised") is not None:
            return
        if store.get(Kind.ACCOUNT, TEST_ACCOUNT_ID, TEST_ACCOUNT_ID) is None:
            account = {
                "name": TEST_ACCOUNT_NAME,
                "currency": "USD",
                "type": "BUSINESS",
                "status": "ACTIVE",
                "test": True,
                "notifiedOnCampaignOptimization": False,
                "notifiedOnCreativeApproval": False,
                "notifiedOnCreativeRejection": False,
                "notifiedOnEndOfCampaign": False,
                "notifiedOnNewFeaturesEnabled": False,
            }
            stored = stamp_create(Kind.ACCOUNT, account, TEST_ACCOUNT_ID, ctx)
            store.put(Kind.ACCOUNT, TEST_ACCOUNT_ID, TEST_ACCOUNT_ID, stored)
            ids.observe(store, Kind.ACCOUNT, ctx.seed, TEST_ACCOUNT_ID)
            create_default_group(ctx, stored)
        store.set_meta("initialised", "1")


def _check_sizes(path: str, query: str, target: str, headers: Mapping[str, str]) -> None:
    head = len(target) + sum(len(k) + len(v) + 4 for k, v in headers.items())
    too_long = (
        len(target) > MAX_URL
        or len(query) > MAX_QUERY
        or any(len(s) > MAX_SEGMENT for s in path.split("/"))
        or head > MAX_REQUEST_HEAD
    )
    if too_long:
        raise classic(414, "Request-URI Too Long")


def check_body_size(size: int) -> None:
    """A 400 for a body larger than :data:`MAX_BODY`."""
    if size > MAX_BODY:
        raise classic(400, f"the request body is larger than {MAX_BODY // (1024 * 1024)} MB")


def _fault_reply(fate: Fate) -> Reply:
    if fate is Fate.THROTTLE:
        return error_reply(classic(429, THROTTLE_MESSAGE), Envelope.CLASSIC)
    if fate is Fate.ERROR_503:
        return Reply(
            503,
            {"status": 503, "code": "UNDER_MAINTENANCE", "message": "Service Unavailable"},
            {"X-RestLi-Error-Response": "true"},
        )
    return error_reply(classic(500, "Internal Server Error"), Envelope.CLASSIC)


def _serialise(reply: Reply, seq: int, seed: int, *, drop: bool) -> EmuResponse:
    uuid = hashlib.blake2b(f"{seed}:{seq}".encode(), digest_size=12).hexdigest()
    headers = {"X-RestLi-Protocol-Version": "2.0.0", "x-li-uuid": uuid, **reply.headers}
    body = b""
    if reply.body is not None:
        body = jsontext.dumps(reply.body)
        headers["Content-Type"] = "application/json"
    return EmuResponse(reply.status, headers, body, drop)


__all__ = ["TEST_ACCOUNT_ID", "EmuResponse", "Emulator", "EmulatorConfig", "person_urn"]
