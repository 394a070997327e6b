"""``POST /oauth/v2/introspectToken``: scopes and expiry of a token, on client credentials."""

from __future__ import annotations

from urllib.parse import urlencode

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore
from reconciler.emulator.oauth import ALL_SCOPES, TOKEN_LIFE_S
from tests.emulator.helpers import NOW

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SECRET = "the-client-secret-42"


def introspect(emu: Emulator, **form: str) -> tuple[int, dict[str, object]]:
    response = emu.handle("POST", "/oauth/v2/introspectToken", FORM, urlencode(form).encode())
    return response.status, response.json()


def test_an_active_token_has_the_configured_scopes_and_a_60_day_life(emu: Emulator) -> None:
    emu.config.settings.scopes = frozenset({"r_ads"})
    status, body = introspect(emu, client_id="app", client_secret=SECRET, token="member-token")
    assert status == 200
    assert body == {
        "active": True,
        "client_id": "app",
        "authorized_at": NOW // 1000,
        "created_at": NOW // 1000,
        "status": "active",
        "expires_at": NOW // 1000 + TOKEN_LIFE_S,
        "scope": "r_ads",
        "auth_type": "3L",
    }


def test_without_scopes_configured_every_advertising_permission_is_granted(emu: Emulator) -> None:
    _, body = introspect(emu, client_id="app", client_secret=SECRET, token="member-token")
    assert body["scope"] == ",".join(ALL_SCOPES) and "rw_ads" in ALL_SCOPES


def test_a_token_expires_60_days_after_it_was_first_seen() -> None:
    now = [NOW]
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: now[0]))
    introspect(emu, client_id="app", client_secret=SECRET, token="member-token")
    now[0] += TOKEN_LIFE_S * 1000
    _, body = introspect(emu, client_id="app", client_secret=SECRET, token="member-token")
    assert (body["active"], body["status"], body["created_at"]) == (False, "expired", NOW // 1000)
    emu.close()


def test_refusals_follow_the_documented_status_codes_and_echo_no_credential() -> None:
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW, tokens=frozenset({"good-token-1"})))
    assert introspect(emu, client_secret=SECRET, token="good-token-1")[0] == 400
    assert introspect(emu, client_id="app", client_secret=SECRET)[0] == 400
    assert introspect(emu, client_id="app", token="good-token-1")[0] == 401
    status, body = introspect(emu, client_id="app", client_secret=SECRET, token="wrong-token-9")
    assert status == 400 and set(body) == {"error", "error_description"}
    assert "wrong-token-9" not in str(body) and SECRET not in str(body)
    assert introspect(emu, client_id="app", client_secret=SECRET, token="good-token-1")[0] == 200
    assert emu.handle("GET", "/oauth/v2/introspectToken", {}).status == 405
    emu.close()


def test_no_bearer_token_or_version_header_is_needed_and_the_store_keeps_no_token(emu: Emulator) -> None:
    status, _ = introspect(emu, client_id="app", client_secret=SECRET, token="member-token-7")
    assert status == 200
    assert emu.store.get_meta("token-created:member-token-7") is None
