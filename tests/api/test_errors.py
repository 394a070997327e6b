"""The one map from (status, body) to the exception tree."""

from __future__ import annotations

import json

import httpx
import pytest

from reconciler.api.errors import error_from_item, error_from_response, error_from_transport, parse_error_body
from reconciler.errors import (
    ApiError,
    AuthError,
    BadRequest,
    Conflict,
    NotFound,
    PermanentApiError,
    PermissionDenied,
    RateLimited,
    ServerError,
    TemporaryApiError,
    TransportError,
    VersionSunset,
)

NEW_ENVELOPE = {
    "errorDetailType": "com.linkedin.common.error.BadRequest",
    "code": "MULTIPLE_VALIDATIONS_FAILED",
    "message": "Multiple errors occurred during the input validation.",
    "errorDetails": {
        "inputErrors": [
            {
                "description": "Invalid value for param",
                "input": {"inputPath": {"fieldPath": "search"}},
                "code": "PARAM_INVALID",
            },
            {"description": "/Campaign/runSchedule/start value 1 must be no earlier than 2"},
        ],
        "conditionalInputErrors": [
            {
                "description": "/Campaign/status cannot be set to ARCHIVED if /CampaignGroup/status is DRAFT",
                "input": {"inputPath": {"fieldPath": "status"}},
            }
        ],
    },
    "status": 400,
}
CLASSIC = {"message": "Empty oauth2_access_token", "serviceErrorCode": 401, "status": 401}


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequest),
        (401, AuthError),
        (403, PermissionDenied),
        (404, NotFound),
        (405, PermanentApiError),
        (408, TransportError),
        (409, Conflict),
        (411, PermanentApiError),
        (412, Conflict),
        (414, BadRequest),
        (422, BadRequest),
        (426, VersionSunset),
        (429, RateLimited),
        (500, ServerError),
        (501, ServerError),
        (503, ServerError),
        (504, ServerError),
    ],
)
def test_status_classes(status: int, cls: type[ApiError]) -> None:
    error = error_from_response(status, b"", method="GET", path="/adAccounts/1")
    assert type(error) is cls
    assert error.status == status
    assert f"HTTP {status}" in str(error)


def test_temporary_and_permanent_split() -> None:
    assert all(isinstance(error_from_response(s, None), TemporaryApiError) for s in (408, 429, 500, 503))
    assert all(isinstance(error_from_response(s, None), PermanentApiError) for s in (400, 401, 403, 404, 426))


def test_new_envelope_gives_code_field_paths_and_details() -> None:
    error = error_from_response(
        400, json.dumps(NEW_ENVELOPE).encode(), method="POST", path="/adAccounts/1/adCampaigns"
    )
    assert isinstance(error, BadRequest)
    assert error.code == "MULTIPLE_VALIDATIONS_FAILED"
    assert error.field_paths == ("search", "status")
    assert "must be no earlier than 2" in error.message
    assert "cannot be set to ARCHIVED" in error.message
    assert str(error).startswith("HTTP 400 MULTIPLE_VALIDATIONS_FAILED field search, status: Multiple errors")
    assert str(error).endswith("(POST /adAccounts/1/adCampaigns)")


def test_classic_envelope_gives_message_and_service_code() -> None:
    error = error_from_response(401, json.dumps(CLASSIC))
    assert isinstance(error, AuthError)
    assert error.message == "Empty oauth2_access_token"
    assert error.code == "401"


def test_unreadable_bodies_fall_back_to_the_status() -> None:
    for body in (b"<html>oops</html>", b"[1,2]", b"\xff\xfe", None):
        assert parse_error_body(body).message == ""
        assert error_from_response(502, body).message == "HTTP 502"


def test_version_sunset_tells_the_user_what_to_raise() -> None:
    body = {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20240601 is not active",
    }
    error = error_from_response(426, json.dumps(body), version="202406")
    assert isinstance(error, VersionSunset)
    assert error.code == "NONEXISTENT_VERSION"
    assert "LinkedIn-Version 202406 is no longer active" in str(error)
    assert "LINKEDIN_VERSION" in str(error)


@pytest.mark.parametrize(
    ("header", "seconds"), [("7", 7.0), ("0.5", 0.5), ("-3", 0.0), ("Wed, 21 Oct", None), (None, None)]
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    assert error_from_response(429, None, retry_after=header).retry_after == seconds


def test_batch_item_errors() -> None:
    item = error_from_item(None, {"status": 404, "message": "Not found"}, method="GET", path="/x")
    assert isinstance(item, NotFound)
    assert isinstance(
        error_from_item(400, {"message": "bad", "code": "FIELD_INVALID"}, method="POST", path="/x"),
        BadRequest,
    )
    assert isinstance(error_from_item(500, None, method="POST", path="/x"), ServerError)


def test_transport_errors() -> None:
    error = error_from_transport(httpx.ReadTimeout("timed out"), method="GET", path="/adAccounts/1")
    assert isinstance(error, TransportError)
    assert "ReadTimeout" in str(error)


def test_classic_validation_message_yields_code_and_field() -> None:
    body = (
        b'{"message":"Validation failed because [{reason=FIELD_VALUE_CONDITIONAL_TOO_LOW, field=totalBudget, '
        b'type=INVALID_VALUE, message=/totalBudget/amount cannot be set to 10}]",'
        b'"serviceErrorCode":10007,"status":400}'
    )
    parsed = parse_error_body(body)
    assert parsed.code == "FIELD_VALUE_CONDITIONAL_TOO_LOW"
    assert parsed.field_paths == ("totalBudget",)
