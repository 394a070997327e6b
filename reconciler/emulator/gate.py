"""The header gate every ``/rest/`` request passes: bearer token, then ``LinkedIn-Version``.

Owns: the documented 401 and 426 bodies, the default set of active versions (the twelve monthly
versions up to the current month, reference §8.2), and the deterministic mapping from a token to
the member (``urn:li:person:…``) recorded as the actor of every write.

Must not: log or echo a token. Only a one-way hash of it leaves this module.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from reconciler.emulator.errors import ApiError, classic

_VERSION = re.compile(r"^(?P<base>\d{4}(?:0[1-9]|1[0-2]))(?:\.(?P<rev>\d{2}))?$")
_ALPHABET = string.ascii_letters + string.digits


def default_active_versions(today: date | None = None) -> frozenset[str]:
    """The twelve ``YYYYMM`` versions ending with the month of ``today`` (UTC now by default)."""
    day = today or datetime.now(UTC).date()
    year, month = day.year, day.month
    out = []
    for _ in range(12):
        out.append(f"{year:04d}{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return frozenset(out)


def person_urn(token: str) -> str:
    """The member a token stands for: ``urn:li:person:`` + 10 characters of a SHA-256 of it."""
    number = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "big")
    chars = []
    for _ in range(10):
        number, rem = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[rem])
    return "urn:li:person:" + "".join(chars)


@dataclass(frozen=True)
class Gate:
    """Checks ``Authorization`` and ``LinkedIn-Version`` (header names are case-insensitive).

    ``tokens``: when set, only these bearer tokens are accepted; otherwise any non-empty one.
    """

    active_versions: frozenset[str]
    tokens: frozenset[str] | None = None

    def actor(self, headers: Mapping[str, str]) -> str:
        """The person URN of the caller; raises the documented 401 when the token is unusable."""
        value = headers.get("authorization")
        if value is None or not value.strip():
            raise classic(401, "Empty oauth2_access_token")
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise classic(401, "Unknown authentication schema")
        token = token.strip()
        if not token:
            raise classic(401, "Empty oauth2_access_token")
        if self.tokens is not None and token not in self.tokens:
            # 65600 is the serviceErrorCode LinkedIn uses for an invalid token (INFERRED, see docs).
            raise classic(401, "Invalid access token", service_code=65600)
        return person_urn(token)

    def version(self, headers: Mapping[str, str]) -> str:
        """The ``YYYYMM`` base of an active version; 400 when missing or malformed, 426 when inactive."""
        value = headers.get("linkedin-version")
        if value is None or not value.strip():
            raise ApiError(400, "VERSION_MISSING", _MISSING, body=_body(400, "VERSION_MISSING", _MISSING))
        match = _VERSION.match(value.strip())
        if match is None:
            message = "Invalid version format. Use YYYYMM or YYYYMM.RR, e.g. 202601."
            raise ApiError(400, "INVALID_VERSION", message, body=_body(400, "INVALID_VERSION", message))
        base = match["base"]
        if base not in self.active_versions:
            message = f"Requested version {base}01 is not active"
            raise ApiError(
                426, "NONEXISTENT_VERSION", message, body=_body(426, "NONEXISTENT_VERSION", message)
            )
        return base


_MISSING = "A version must be present. Please specify a version by adding the LinkedIn-Version header."


def _body(status: int, code: str, message: str) -> dict[str, object]:
    return {"status": status, "code": code, "message": message}


def parse_versions(values: Collection[str]) -> frozenset[str]:
    """Validate a user-given list of active versions (``YYYYMM``); raises ValueError on a bad one."""
    out = set()
    for value in values:
        match = _VERSION.match(value.strip())
        if match is None or match["rev"]:
            raise ValueError(f"not a YYYYMM version: {value!r}")
        out.add(match["base"])
    return frozenset(out)
