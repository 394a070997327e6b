"""``POST /oauth/v2/introspectToken``: what a token may do and until when (LinkedIn's "Token
Introspection" page; on LinkedIn the endpoint lives on ``www.linkedin.com``, here on the emulator's
own origin, beside ``/rest/``).

The request is form-encoded: ``client_id``, ``client_secret`` and ``token``, all required. The
answer (200) follows the page's sample: ``active``, ``client_id``, ``authorized_at``,
``created_at``, ``status`` (``active``/``expired``/``revoked``), ``expires_at`` (epoch seconds),
``scope`` (a comma-separated list) and ``auth_type`` (``3L``: every emulator token stands for a
member). The scopes are ``Settings.scopes`` (``emulator serve --scopes``), else every permission of
the Advertising API product. A token is first seen at its first introspection and lives 60 days from
then (the documented default life of a 3-legged token); no bearer token is needed.

Refusals, by the page's status table: 400 for a missing client id or token, or a token the emulator
does not accept (``--tokens``); 401 for a missing client secret. Client ids and secrets are not
checked further: the emulator has no developer applications. Their bodies are a GUESS in the OAuth
style of LinkedIn's token endpoint (``error``, ``error_description``), see docs/emulator.md.
Nothing here echoes the token or the secret; the store keeps only a hash of the token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from urllib.parse import parse_qs

from reconciler.emulator.rules.common import Settings
from reconciler.emulator.store import Store
from reconciler.emulator.wire import Reply

PATH = "/oauth/v2/introspectToken"
TOKEN_LIFE_S = 60 * 24 * 3600
# The permissions of the Advertising API product ("Increasing Access" page): a token of the
# emulator holds them all unless ``--scopes`` says otherwise.
ALL_SCOPES = (
    "r_1st_connections_size",
    "r_ads",
    "r_ads_reporting",
    "r_basicprofile",
    "r_organization_admin",
    "r_organization_social",
    "rw_ads",
    "rw_organization_admin",
    "w_member_social",
    "w_organization_social",
)


def _refusal(status: int, error: str, description: str) -> Reply:
    return Reply(status, {"error": error, "error_description": description})


def introspect(
    store: Store,
    settings: Settings,
    accepted: Collection[str] | None,
    method: str,
    body: bytes,
    now_ms: int,
) -> Reply:
    """Answer one introspection request (``accepted`` None: any non-empty token is one)."""
    if method != "POST":
        return _refusal(405, "invalid_request", f"{method} is not supported; use POST")
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        form = {}
    client_id, secret, token = (form.get(k, [""])[0].strip() for k in ("client_id", "client_secret", "token"))
    if not client_id:
        return _refusal(400, "invalid_request", 'A required parameter "client_id" is missing')
    if not token:
        return _refusal(400, "invalid_request", 'A required parameter "token" is missing')
    if not secret:
        return _refusal(401, "invalid_client", "Client authentication failed")
    if accepted is not None and token not in accepted:
        return _refusal(400, "invalid_request", "The token is not valid")
    created = _first_seen(store, token, now_ms // 1000)
    expires = created + TOKEN_LIFE_S
    active = now_ms // 1000 < expires
    scopes = sorted(settings.scopes) if settings.scopes is not None else list(ALL_SCOPES)
    return Reply(
        200,
        {
            "active": active,
            "client_id": client_id,
            "authorized_at": created,
            "created_at": created,
            "status": "active" if active else "expired",
            "expires_at": expires,
            "scope": ",".join(scopes),
            "auth_type": "3L",
        },
    )


def _first_seen(store: Store, token: str, now_s: int) -> int:
    """When the emulator first introspected ``token`` (epoch seconds), remembered by its hash."""
    key = "token-created:" + hashlib.sha256(token.encode()).hexdigest()
    with store.transaction(write=True):
        seen = store.get_meta(key)
        if seen is None:
            store.set_meta(key, str(now_s))
            return now_s
        return int(seen)
