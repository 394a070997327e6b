"""The header gate every ``/rest/`` request passes: bearer token, then ``LinkedIn-Version``.

Owns: the documented 401 and 426 bodies, the default set of active versions (every monthly version
released and not yet sunset per LinkedIn's sunset table, reference §8.2 and §12.3), and the
deterministic mapping from a token to the member (``urn:li:person:…``) recorded as the actor of every write.

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


# LinkedIn's sunset table ("migrations" page of the Marketing docs: en-us view of 2025 for the 2024
# releases, it-it view of 2026-03 for the later ones): the first day each version answers 426.
SUNSETS: dict[str, date] = {
    "202407": date(2025, 7, 22),
    "202408": date(2025, 8, 18),
    "202409": date(2025, 9, 15),
    "202410": date(2025, 10, 15),
    "202411": date(2025, 11, 17),
    "202510": date(2026, 10, 15),
    "202511": date(2026, 11, 16),
    "202601": date(2027, 1, 15),
    "202602": date(2027, 2, 15),
    "202603": date(2027, 3, 16),
}
_FALLBACK_SUNSET_DAY = 15  # GUESS for a version the table does not list: the 15th, one year on


def sunset_of(year: int, month: int) -> date:
    """The day version ``YYYYMM`` starts answering 426."""
    return SUNSETS.get(f"{year:04d}{month:02d}") or date(year + 1, month, _FALLBACK_SUNSET_DAY)


def default_active_versions(today: date | None = None) -> frozenset[str]:
    """Every ``YYYYMM`` version live on ``today`` (UTC now by default): its month has begun and its
    sunset day has not come. Versions live at least a year, so no more than ~14 months back count."""
    day = today or datetime.now(UTC).date()
    year, month = day.year, day.month
    out = []
    for _ in range(24):
        if day < sunset_of(year, month):
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
        """The ``YYYYMM`` base of an active version; 400 when missing or malformed, 426 when inactive.

        GUESS: a missing header is answered 400 ``VERSION_MISSING`` (the body developers quote for
        it; the docs show no sample), an inactive one 426 ``NONEXISTENT_VERSION`` (documented).
        """
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
