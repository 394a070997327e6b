"""Target selection: emulator by default without credentials, LinkedIn with them, any URL on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.api import BearerAuth, RefreshTokenAuth
from reconciler.api.version import DEFAULT_VERSION
from reconciler.errors import ConfigError
from reconciler.target import LINKEDIN_URL, TargetKind, resolve_target

TOKEN = {"LINKEDIN_ACCESS_TOKEN": "tok"}


def test_no_credentials_means_the_embedded_emulator(tmp_path: Path) -> None:
    target = resolve_target(None, {}, tmp_path)
    assert target.kind is TargetKind.EMULATOR
    assert target.db_path == tmp_path / ".reconciler" / "emulator.sqlite"
    assert (
        target.description == "embedded emulator (.reconciler/emulator.sqlite) — no LinkedIn credentials set"
    )
    assert target.version == DEFAULT_VERSION


def test_credentials_mean_linkedin() -> None:
    target = resolve_target(None, TOKEN)
    assert (target.kind, target.base_url) == (TargetKind.LINKEDIN, LINKEDIN_URL)
    assert target.description == f"LinkedIn ({LINKEDIN_URL})"
    assert isinstance(target.auth, BearerAuth)
    assert "tok" not in repr(target)


def test_explicit_emulator_is_not_called_a_default(tmp_path: Path) -> None:
    target = resolve_target("emulator", TOKEN, tmp_path)
    assert target.kind is TargetKind.EMULATOR
    assert target.description == "embedded emulator (.reconciler/emulator.sqlite)"


def test_option_wins_over_environment(tmp_path: Path) -> None:
    env = {"RECONCILER_TARGET": "http://127.0.0.1:8765/rest"}
    assert resolve_target(None, env).base_url == "http://127.0.0.1:8765/rest"
    assert resolve_target("emulator", env, tmp_path).kind is TargetKind.EMULATOR


def test_served_emulator_on_loopback_needs_no_credentials() -> None:
    target = resolve_target("http://localhost:8765/rest/", {})
    assert (target.kind, target.base_url, target.description) == (
        TargetKind.URL,
        "http://localhost:8765/rest",
        "http://localhost:8765/rest",
    )
    assert isinstance(target.auth, BearerAuth)


def test_refresh_credentials_are_used_for_linkedin() -> None:
    env = {"LINKEDIN_CLIENT_ID": "i", "LINKEDIN_CLIENT_SECRET": "s", "LINKEDIN_REFRESH_TOKEN": "r"}
    assert isinstance(resolve_target(None, env).auth, RefreshTokenAuth)


@pytest.mark.parametrize(
    ("option", "env", "message"),
    [
        ("ftp://x/rest", {}, "use 'emulator' or an http"),
        ("api.linkedin.com", {}, "use 'emulator' or an http"),
        ("https://example.com/rest", {}, "needs LinkedIn credentials"),
        ("http://example.com/rest", TOKEN, "plain http"),
        (None, {"LINKEDIN_VERSION": "2026-10"}, "LINKEDIN_VERSION"),
        (None, {"LINKEDIN_CLIENT_ID": "i"}, "incomplete OAuth"),
        ("http://[::1", {}, "use 'emulator' or an http"),
        ("http://admin:hunter2@127.0.0.1:8765/rest", {}, "user or password in the URL"),
        ("http://127.0.0.1:8765/rest?x=1", {}, "without '\\?' or '#'"),
    ],
)
def test_bad_targets(option: str | None, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        resolve_target(option, env)
    assert "hunter2" not in str(caught.value)


def test_an_old_version_comes_with_a_notice(tmp_path: Path) -> None:
    target = resolve_target(None, {"LINKEDIN_VERSION": "202406"}, tmp_path)
    assert target.version == "202406"
    assert len(target.notices) == 1 and "LINKEDIN_VERSION" in target.notices[0]


def test_client_uses_the_target_version_and_closes() -> None:
    target = resolve_target("http://127.0.0.1:9/rest", {"LINKEDIN_VERSION": "202609"})
    with target.client(concurrency=2) as client:
        assert client.version == "202609"
        assert str(client.http.base_url) == "http://127.0.0.1:9/rest/"
    assert client.http.is_closed
