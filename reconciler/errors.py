"""The one exception tree of the reconciler.

Every error the reconciler raises on purpose derives from :class:`ReconcilerError`; the CLI maps the
branches to exit codes and messages, so a user never sees a traceback for a problem of their own.

    ReconcilerError
    ├── ManifestError                 the manifests cannot be read or are invalid (carries every Problem)
    ├── ConfigError                   bad options, environment or target
    ├── ApiError                      the LinkedIn API (or the emulator) answered with an error
    │   ├── TemporaryApiError         worth retrying later: throttling, outages, timeouts
    │   │   ├── RateLimited           429
    │   │   │   └── QuotaExhausted    429 that outlasts a burst: the daily quota is spent until 00:00 UTC
    │   │   ├── ServerError           5xx
    │   │   └── TransportError        timeout, refused or dropped connection
    │   │       └── ConnectFailed     no connection at all (DNS, refused, TLS): nothing was sent
    │   ├── PermanentApiError         retrying the same request will fail the same way
    │   │   ├── BadAnswer             an answer the client cannot use (not JSON, wrong shape, too big)
    │   │   ├── BadRequest            400 (validation; carries LinkedIn's field paths)
    │   │   ├── AuthError             401 (missing, invalid or expired token)
    │   │   ├── PermissionDenied      403
    │   │   ├── NotFound              404
    │   │   ├── Conflict              409 / 412
    │   │   └── VersionSunset         426 (the pinned LinkedIn-Version is no longer active)
    │   ├── UnknownOutcome            a write whose result is unknown: resolve by looking, never by re-sending
    │   └── NotSent                   a write the client did not start: the run is stopping
    ├── PlanError                     a plan cannot be made or must not be applied
    │   ├── AmbiguousLiveState        two live siblings share a name
    │   ├── LimitExceeded             the plan would break an account limit
    │   ├── AccessDenied              the member's ad-account role forbids a change of the plan
    │   ├── UnsafePlan                the plan crosses a safety threshold and needs --force
    │   └── StalePlan                 a saved plan no longer matches the manifests or the live state
    ├── ApplyError                    an apply finished with failures (carries the per-change results)
    └── AccountBusy                   another apply on this machine holds the account's lock

Messages never contain an access token: API errors are built from LinkedIn's response body (scrubbed
of credentials as it arrives) and the request's method and path, never from its headers. Long values
in a message are cut to a readable length (:func:`clip`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_SHOWN = 300  # characters of a message, or of one value quoted in it, that a user is shown


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out (a 100 KB page token or an
    HTML body is no use in an error line)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Position:
    """A place in a manifest file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the manifests, in manifest terms."""

    position: Position | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.position}: " if self.position else ""
        field = f"{self.path}: " if self.path else ""
        return printable(f"{where}{field}{self.message}")

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly form for ``--format json``."""
        pos = self.position
        return {
            "file": printable(pos.file) if pos else None,
            "line": pos.line if pos else None,
            "column": pos.column if pos else None,
            "path": printable(self.path),
            "message": printable(self.message),
        }


def printable(text: str) -> str:
    """``text`` that can always be printed: an unpaired surrogate (a YAML ``\ud800`` escape, or a
    file name that is not UTF-8) becomes a backslash escape instead of failing the output."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class ReconcilerError(Exception):
    """Root of every error the reconciler raises on purpose."""


class ManifestError(ReconcilerError):
    """The manifests cannot be loaded or are invalid; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = str(self.problems[0]) if self.problems else "invalid manifests"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class ConfigError(ReconcilerError):
    """Bad command-line options, environment variables or target."""


class ApiError(ReconcilerError):
    """The API answered with an error, or could not be reached.

    ``resource`` names what was being worked on in user terms (``campaign "Q1 Brand — US"``);
    ``code`` is LinkedIn's error code when the body had one; ``field_paths`` the input paths it named.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        method: str | None = None,
        path: str | None = None,
        field_paths: Sequence[str] = (),
        resource: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = clip(printable(message), 2 * MAX_SHOWN)
        self.status = status
        self.code = clip(printable(code), 100) if code is not None else None
        self.method = method
        self.path = path
        self.field_paths = tuple(field_paths)
        self.resource = resource
        self.retry_after = retry_after
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.resource:
            parts.append(self.resource)
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code and self.code != str(self.status):
            parts.append(self.code)
        if self.field_paths:
            parts.append("field " + ", ".join(self.field_paths))
        head = ": ".join([" ".join(parts)] if parts else [])
        tail = f" ({self.method} {self.path})" if self.method and self.path else ""
        return f"{head}: {self.message}{tail}" if head else f"{self.message}{tail}"

    def with_resource(self, resource: str) -> ApiError:
        """A copy of this error that names the resource it concerned."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.resource = resource
        Exception.__init__(clone, clone._render())
        return clone


class TemporaryApiError(ApiError):
    """A failure that may pass: retry later (reads and idempotent writes only)."""


class RateLimited(TemporaryApiError):
    """HTTP 429: LinkedIn's throttle (or infrastructure protection) refused the call."""


class QuotaExhausted(RateLimited):
    """HTTP 429 that is not a burst: LinkedIn's daily quota is spent until 00:00 UTC.

    Raised for a long ``Retry-After``, or 429s that persist past the short throttle budget. Once
    raised, the client starts no request until it is made anew (the quota resets at midnight UTC).
    """


class ServerError(TemporaryApiError):
    """HTTP 5xx: the API failed on its side."""


class TransportError(TemporaryApiError):
    """The request timed out, or the connection was refused or dropped."""


class ConnectFailed(TransportError):
    """No connection could be made (name resolution, refused, TLS handshake): nothing was sent, so
    even a create may be tried again."""


class PermanentApiError(ApiError):
    """A failure that the same request will meet again."""


class BadAnswer(PermanentApiError):
    """The server answered with something the client cannot use: not JSON, the wrong shape, missing
    or mistyped fields, too big, too slow, or paging that never ends. ``message`` says what was wrong."""


class BadRequest(PermanentApiError):
    """HTTP 400: the API rejected the input; ``field_paths`` names the fields it blamed."""


class AuthError(PermanentApiError):
    """HTTP 401: the access token is missing, invalid, expired or revoked."""


class PermissionDenied(PermanentApiError):
    """HTTP 403: the token's member lacks the scope or the ad-account role."""


class NotFound(PermanentApiError):
    """HTTP 404: no such entity (or, for Ads, an API the app may not use)."""


class Conflict(PermanentApiError):
    """HTTP 409 or 412: a write conflicted with another."""


class VersionSunset(PermanentApiError):
    """HTTP 426: the pinned LinkedIn-Version is not active; raise it."""


class UnknownOutcome(ApiError):
    """A create (or other non-idempotent write) whose result is unknown.

    It may or may not have happened. The caller must look for the entity before doing anything else.
    """


class NotSent(ApiError):
    """A write the client refused to start because the run is stopping (a signal, the quota):
    nothing was sent, so nothing was written."""


class PlanError(ReconcilerError):
    """A plan cannot be made, or must not be applied as it stands."""


class AmbiguousLiveState(PlanError):
    """Two live siblings share one name, so identity by name cannot decide."""


class LimitExceeded(PlanError):
    """Applying the plan would break one of LinkedIn's account limits."""


class AccessDenied(PlanError):
    """The token or its member may not make a change the plan holds (a scope, an account or page role)."""


class BelowMinimum(PlanError):
    """A campaign of the plan would run under one of LinkedIn's minimums: an audience under 300
    members, a bid under the bid floor, a daily budget under the minimum daily budget."""


class UnsafePlan(PlanError):
    """The plan crosses a safety threshold; it needs ``--force``."""


class StalePlan(PlanError):
    """A saved plan no longer matches the manifests or the live entities it touches."""


class ApplyError(ReconcilerError):
    """An apply finished, but some changes failed or were skipped."""


class AccountBusy(ReconcilerError):
    """Another apply on this machine is writing the account (it holds the account's lock)."""
