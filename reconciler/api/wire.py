"""Sending one Rest.li request: headers, the exact bytes, bounded concurrency, retries, logging.

:class:`Wire` is the only place that calls ``httpx``. It owns the layer between a logical
:class:`~reconciler.api.restli.Request` and an ``httpx.Response``:

    call -> _call_idempotent / _call_create   (retry policy; creates never re-sent blindly)
         -> _attempt                           (one HTTP exchange under the shared semaphore)
         -> _build                             (headers, raw URL, tunnelling)

It raises only :class:`~reconciler.errors.ApiError` subclasses (and ConfigError/AuthError from the
auth flow). It never prints; it logs at DEBUG on the ``reconciler.api`` logger with credentials
redacted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from reconciler import __version__
from reconciler.api.answers import MAX_ANSWER_BYTES, parse_object, read_body, scrub_bytes
from reconciler.api.auth import Secret, redact_headers
from reconciler.api.errors import error_from_response, error_from_transport, retry_hint
from reconciler.api.quota import proves_nothing_written, quota_message
from reconciler.api.restli import Request, wire_form
from reconciler.api.retry import RetryPolicy
from reconciler.api.stats import ClientStats
from reconciler.errors import (
    ApiError,
    ConnectFailed,
    NotSent,
    QuotaExhausted,
    RateLimited,
    TemporaryApiError,
    TransportError,
    UnknownOutcome,
)

log = logging.getLogger("reconciler.api")

PROTOCOL_VERSION = "2.0.0"
USER_AGENT = f"reconciler/{__version__}"


# Requests in flight per client. LinkedIn documents daily quotas, not a concurrency limit (429s are
# retried with backoff); 10 is what Terraform-style tools use by default (-parallelism), so a plan
# spends the same in-flight budget as the per-resource refresh it is compared with. At 50 ms a call,
# reading an account at LinkedIn's limits is latency-bound below that (8: 2.0 s, 10: 1.6 s) and
# CPU-bound above it.
DEFAULT_CONCURRENCY = 10

# One attempt waits at most this long for a connection, and for each read of the answer; the whole
# call (attempts, waits and bodies) is bounded by the retry policy's budget (``--timeout``).
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
# Connection failures (DNS, refused, TLS) are retried for at most this long in all: they say the
# host cannot be reached, which a few seconds may cure (a blip) but thirty will not.
CONNECT_RETRY_BUDGET = 3.0


class Wire:
    """Sends requests to the API root of ``http.base_url`` (e.g. ``https://api.linkedin.com/rest``).

    ``concurrency`` bounds the requests in flight across every thread using this Wire.
    ``auth`` overrides the httpx client's own auth when given.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        version: str,
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        auth: httpx.Auth | None = None,
        user_agent: str = USER_AGENT,
        stats: ClientStats | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.http = http
        self.version = version
        self.retry = retry or RetryPolicy()
        self.stats = stats or ClientStats()
        self._auth = auth
        self._user_agent = user_agent
        self._slots = threading.BoundedSemaphore(concurrency)
        self._root = http.base_url.raw_path.rstrip(b"/").decode("ascii")
        self._halted: str | None = None
        self._quota: QuotaExhausted | None = None
        self.max_answer = MAX_ANSWER_BYTES
        self.on_retry: Callable[[str], None] | None = None
        """Called with a short line before each retry (the CLI shows it on its progress line)."""
        self.also_secret: tuple[Secret, ...] = ()
        """Credentials beyond the auth flow's (the client secret token introspection sends) to
        scrub from answers and errors: a server may echo them anywhere."""

    # -- stopping ------------------------------------------------------------------------------

    def halt(self, reason: str) -> None:
        """Start no more writes (reads go on): each later write raises NotSent naming ``reason``.
        Writes already on the wire finish; the first reason given is kept."""
        if self._halted is None:
            self._halted = reason

    @property
    def halted(self) -> str | None:
        """Why writes stopped (a signal, the daily quota), or None while they may go on."""
        return self._halted

    @property
    def quota(self) -> QuotaExhausted | None:
        """The daily-quota error once one was met (every later call raises it unsent)."""
        return self._quota

    def _check_open(self, request: Request) -> None:
        if self._quota is not None:
            raise QuotaExhausted(
                self._quota.message + "; not sent",
                status=429,
                method=request.method.http_method,
                path=request.path,
            )
        if self._halted is not None and request.method.http_method != "GET":
            raise NotSent(f"not sent: {self._halted}", method=request.method.http_method, path=request.path)

    def _spent(self, request: Request, error: ApiError) -> QuotaExhausted:
        """Record that the daily quota is spent, stop writes, and return the error to raise."""
        # The server's own wait, when it gave one, says more than the midnight reset.
        wait = f" ({retry_hint(error.retry_after)})" if error.retry_after else ""
        quota = QuotaExhausted(
            quota_message() + wait,
            status=429,
            code=error.code,
            method=request.method.http_method,
            path=request.path,
            retry_after=error.retry_after,
        )
        if self._quota is None:
            self._quota = quota
        self.halt("LinkedIn's daily API quota is exhausted")
        return quota

    # -- calls -------------------------------------------------------------------------------

    def call(self, request: Request) -> httpx.Response:
        """Send ``request`` under the retry policy; a 2xx response, or an ApiError.

        Idempotent methods retry temporary failures. A create retries only a 429 that proves it
        was refused unexecuted (see :meth:`_call_create`); any other temporary failure raises
        UnknownOutcome. Once halted, a write raises NotSent without being sent; once the daily
        quota is spent, every call raises QuotaExhausted without being sent.
        """
        self._check_open(request)
        self.stats.record_call(request.method.value, request.resource)
        if request.method.idempotent:
            return self._call_idempotent(request)
        return self._call_create(request)

    def json(self, request: Request, response: httpx.Response) -> dict[str, Any]:
        """The JSON object of an answer to ``request``; BadAnswer when it is anything else."""
        return parse_object(
            response.content,
            self._secrets(),
            method=request.method.http_method,
            path=request.path,
            status=response.status_code,
        )

    def _call_idempotent(self, request: Request) -> httpx.Response:
        started = self.retry.clock()
        deadline = time.monotonic() + self.retry.budget
        first_throttle: float | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(request, deadline)
            except ApiError as error:
                first_throttle = self._throttled_since(request, error, first_throttle)
                delay = self._next_delay(error, attempt, started, first_throttle)
                if delay is None:
                    raise
                self._pause(request, error, delay, attempt)
                self._reopen(request, error)

    def _throttled_since(self, request: Request, error: ApiError, first: float | None) -> float | None:
        """The clock at the first of this call's consecutive 429s; raises QuotaExhausted once they
        outlast a burst."""
        if not isinstance(error, RateLimited):
            return None
        first = self.retry.clock() if first is None else first
        if self.retry.is_quota(error, first):
            raise self._spent(request, error) from error
        return first

    def _next_delay(
        self, error: ApiError, attempt: int, started: float, first_throttle: float | None = None
    ) -> float | None:
        """The policy's wait: a throttle's counted from its first 429, a connection failure's within
        the shorter budget of connection failures."""
        if first_throttle is not None:
            return self.retry.throttle_delay(error, attempt, started, first_throttle)
        delay = self.retry.next_delay(error, attempt, started)
        late = delay is not None and self.retry.clock() + delay - started > CONNECT_RETRY_BUDGET
        return None if late and isinstance(error, ConnectFailed) else delay

    def _reopen(self, request: Request, error: ApiError) -> None:
        """After a wait: a call whose retry may no longer start raises instead (the quota was
        met meanwhile, or writes stopped: the last error stands, its outcome unknown)."""
        if self._quota is not None:
            raise self._spent(request, error) from error
        if self._halted is not None and request.method.http_method != "GET":
            raise error

    def _call_create(self, request: Request) -> httpx.Response:
        """A create is sent again only after a 429 whose answer proves nothing was written.

        Judgement, not documentation: LinkedIn's throttle refuses a call before doing any work (its
        429 says the call limit "is reached"), so a create answered with that envelope did not
        happen and is safe to resend (see :func:`~reconciler.api.quota.proves_nothing_written`).
        Any other 429, a 5xx, 408 or dropped connection may come after the entity was committed,
        so those raise UnknownOutcome for the caller to resolve by looking it up, never by
        re-sending. A quota 429 with that envelope raises QuotaExhausted: nothing was written.
        ``RetryPolicy(retry_throttled_creates=False)`` makes every 429 an unknown outcome.
        """
        started = self.retry.clock()
        deadline = time.monotonic() + self.retry.budget
        first_throttle: float | None = None
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(request, deadline)
            except ConnectFailed as error:  # no connection: nothing was sent, so sending again is safe
                delay = self._next_delay(error, attempt, started)
                if delay is None:
                    raise
                self._pause(request, error, delay, attempt)
                self._reopen_create(request, error)
            except RateLimited as error:
                if not self.retry.retry_throttled_creates or not proves_nothing_written(
                    error.status, error.message
                ):
                    self.stats.record_unknown_outcome()
                    raise _unknown(request, error) from error
                first_throttle = self._throttled_since(request, error, first_throttle)
                delay = self._next_delay(error, attempt, started, first_throttle)
                if delay is None:
                    raise  # throttled every time: the create did not happen
                self._pause(request, error, delay, attempt)
                self._reopen_create(request, error)
            except TemporaryApiError as error:
                self.stats.record_unknown_outcome()
                raise _unknown(request, error) from error

    def _reopen_create(self, request: Request, error: ApiError) -> None:
        """After a throttled create's wait: it was not written, so a stop makes it NotSent."""
        if self._quota is not None:
            raise self._spent(request, error) from error
        if self._halted is not None:
            raise NotSent(f"not sent: {self._halted}", method=request.method.http_method, path=request.path)

    def _pause(self, request: Request, error: ApiError, delay: float, attempt: int) -> None:
        self.stats.record_retry()
        if self.on_retry is not None:
            self.on_retry(
                f"retrying {request.method.http_method} {request.path} in {delay:.1f} s "
                f"({type(error).__name__}, attempt {attempt})"
            )
        log.info(
            "retry %s %s after %s (attempt %d, waiting %.3fs)",
            request.method.value,
            request.path,
            type(error).__name__,
            attempt,
            delay,
        )
        self.retry.sleep(delay)

    def _attempt(self, request: Request, deadline: float) -> httpx.Response:
        """One HTTP exchange, ended by ``deadline`` at the latest; the response (its body read and
        scrubbed of credentials) if 2xx, else the classified ApiError is raised."""
        method = request.method.http_method
        http_request = self._build(request)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _out_of_time(self.retry.budget, method, request.path)
        http_request.extensions["timeout"] = httpx.Timeout(
            min(READ_TIMEOUT, remaining), connect=min(CONNECT_TIMEOUT, remaining)
        ).as_dict()
        began = time.perf_counter()
        with self._slots:
            try:
                streamed = self._send(http_request)
                content = read_body(
                    streamed,
                    deadline=deadline,
                    limit=self.max_answer,
                    method=method,
                    path=request.path,
                    timeout=self.retry.budget,
                )
            except httpx.TransportError as exc:
                self.stats.record_attempt(None)
                log.debug("%s %s failed: %s", http_request.method, request.path, type(exc).__name__)
                raise error_from_transport(
                    exc, method=method, path=request.path, sent_to=http_request.url, secrets=self._secrets()
                ) from exc
        secrets = self._secrets()
        response = _settled(streamed, scrub_bytes(content, secrets), http_request, secrets)
        self.stats.record_attempt(response.status_code)
        self._log(http_request, response, time.perf_counter() - began)
        if response.is_success:
            return response
        raise error_from_response(
            response.status_code,
            response.content,
            method=method,
            path=request.path,
            retry_after=response.headers.get("retry-after"),
            location=response.headers.get("location"),
            version=self.version,
            secrets=self._secrets(),
        )

    @property
    def auth_flow(self) -> httpx.Auth | None:
        """The auth flow requests are sent with."""
        return self._auth or self.http.auth

    def _secrets(self) -> list[Secret]:
        auth = self.auth_flow
        secrets = getattr(auth, "secrets", None)
        return [*(secrets() if callable(secrets) else []), *self.also_secret]

    def _send(self, request: httpx.Request) -> httpx.Response:
        if not self._ours(request.url):
            # An upload URL on a host that is neither the target nor LinkedIn's gets no credentials.
            return self.http.send(request, auth=_NO_AUTH, stream=True)
        if self._auth is None:
            return self.http.send(request, stream=True)
        return self.http.send(request, auth=self._auth, stream=True)

    def _ours(self, url: httpx.URL) -> bool:
        """Whether credentials may go to ``url``: the target's origin (scheme, host and port: not its
        host in plain http, nor another port of it), or LinkedIn's over https (its upload URLs, e.g.
        ``https://www.linkedin.com/dms-uploads/…``, expect the token: docs' curl)."""
        host, base = url.host, self.http.base_url
        if (url.scheme, host, url.port) == (base.scheme, base.host, base.port):
            return True
        return url.scheme == "https" and (host == "linkedin.com" or host.endswith(".linkedin.com"))

    def upload(self, request: Request) -> httpx.Response:
        """PUT ``request.data`` to ``request.url`` (an upload URL LinkedIn handed out), retrying
        temporary failures: a PUT of the same bytes is idempotent. The answer carries the part's
        ``ETag`` (videos) and no JSON."""
        self._check_open(request)
        self.stats.record_call(request.method.value, request.resource)
        return self._call_idempotent(request)

    def _build(self, request: Request) -> httpx.Request:
        """The httpx request with the exact raw path we encoded (httpx must not re-encode it)."""
        if request.url is not None:
            headers = [
                ("User-Agent", self._user_agent),
                ("Content-Type", "application/octet-stream"),
                ("LinkedIn-Version", self.version),
            ]
            return httpx.Request("PUT", request.url, headers=headers, content=request.data or b"")
        form = wire_form(request)
        url = self.http.base_url.copy_with(raw_path=(self._root + form.target).encode("ascii"))
        headers = [
            ("LinkedIn-Version", self.version),
            ("X-Restli-Protocol-Version", PROTOCOL_VERSION),
            ("X-RestLi-Method", request.method.value),
            ("User-Agent", self._user_agent),
            ("Accept", "application/json"),
            *form.headers,
        ]
        return httpx.Request(form.http_method, url, headers=headers, content=form.content)

    def _log(self, request: httpx.Request, response: httpx.Response, seconds: float) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        log.debug(
            "%s %s -> %d in %.1f ms; request headers %s",
            request.method,
            # An upload URL is the server's: it may echo the token.
            scrub_bytes(request.url.raw_path, self._secrets()).decode("ascii", "replace")[:300],
            response.status_code,
            seconds * 1000,
            redact_headers(request.headers.multi_items()),
        )


_NO_AUTH = httpx.Auth()  # the base class sends the request as it is


def _out_of_time(budget: float, method: str, path: str) -> TransportError:
    """The error of a call whose time is up before another attempt could start."""
    return TransportError(f"no answer within {budget:g} s (--timeout)", method=method, path=path)


_BODY_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _settled(
    streamed: httpx.Response, content: bytes, request: httpx.Request, secrets: list[Secret]
) -> httpx.Response:
    """A plain response holding ``content`` (already decoded and scrubbed) in place of the streamed
    one, its headers scrubbed too: an id or Location echoing the token would reach journals."""
    headers = [
        (k, scrub_bytes(v.encode(), secrets).decode())
        for k, v in streamed.headers.multi_items()
        if k.lower() not in _BODY_HEADERS
    ]
    return httpx.Response(streamed.status_code, headers=headers, content=content, request=request)


def _unknown(request: Request, error: ApiError) -> UnknownOutcome:
    return UnknownOutcome(
        f"{request.method.value} outcome unknown after {type(error).__name__} ({error.message}); "
        "look the entity up before trying again",
        status=error.status,
        code=error.code,
        method=request.method.http_method,
        path=request.path,
    )
