"""The request log: one JSON line per request, with credentials redacted.

Each line holds the sequence number, wall-clock time, method, raw path and query, request headers
(``Authorization`` reduced to its scheme), status, the injected fault, and the duration; a PUT to an
upload URL adds ``upload: {bytes, sha256}`` (what was uploaded, never the bytes). Tokens
never reach the log: the Authorization value is replaced and an ``oauth2_access_token`` query
parameter is masked too.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

REDACTED = "[REDACTED]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_TOKEN_PARAM = re.compile(r"((?:^|[?&])oauth2_access_token=)[^&]*", re.IGNORECASE)


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers safe to log: secret values replaced, keeping the auth scheme for debugging."""
    out = {}
    for name, value in headers:
        if name.lower() in _SECRET_HEADERS:
            scheme = value.strip().split(" ", 1)[0] if name.lower().endswith("authorization") else ""
            value = f"{scheme} {REDACTED}".strip() if scheme and " " in value.strip() else REDACTED
        out[name] = value
    return out


def redact_target(target: str) -> str:
    """The raw path and query with any ``oauth2_access_token`` value masked."""
    return _TOKEN_PARAM.sub(lambda m: m.group(1) + REDACTED, target)


class RequestLog:
    """Appends JSON lines to a file path or an open text stream; thread-safe."""

    def __init__(self, sink: str | Path | IO[str]) -> None:
        self._lock = threading.Lock()
        if isinstance(sink, (str, Path)):
            Path(sink).parent.mkdir(parents=True, exist_ok=True)
            self._stream: IO[str] = open(sink, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self._owned = True
        else:
            self._stream = sink
            self._owned = False

    def write(self, entry: dict[str, Any]) -> None:
        """Write one entry (the caller has already redacted it)."""
        line = json.dumps({"time": round(time.time(), 3), **entry}, sort_keys=True)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close(self) -> None:
        """Close the file if this log opened it."""
        with self._lock:
            if self._owned:
                self._stream.close()
