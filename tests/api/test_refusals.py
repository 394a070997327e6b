"""What a 403 means: scope, role or access tier, judged from LinkedIn's code and message."""

from __future__ import annotations

from reconciler.api.errors import error_from_response
from reconciler.api.refusals import ROLE, SCOPE, TIER, explain, meaning
from reconciler.errors import PermissionDenied


def denied(body: bytes) -> PermissionDenied:
    error = error_from_response(403, body, method="POST", path="/adAccounts/1/adCampaigns", version="202601")
    assert isinstance(error, PermissionDenied)
    return error


def test_a_missing_scope_role_and_tier_are_told_apart() -> None:
    scope = b'{"serviceErrorCode":100,"message":"Not enough permissions to access: POST /x","status":403}'
    role = b'{"status":403,"code":"NO_PERMISSION_ON_ENTITY","message":"Viewer may not have permission"}'
    tier = b'{"serviceErrorCode":100,"message":"The application is in the Development tier","status":403}'
    assert meaning(denied(scope)) == SCOPE
    assert meaning(denied(role)) == ROLE
    assert meaning(denied(tier)) == TIER
    assert meaning(denied(b"")) == ROLE  # a bare 403 on a write: most often the role


def test_the_explanation_names_the_call_and_quotes_linkedin() -> None:
    line = explain(denied(b'{"status":403,"code":"NO_PERMISSION_ON_ENTITY","message":"no"}'))
    assert line.startswith('LinkedIn refused POST /adAccounts/1/adCampaigns with 403 "no": ')
