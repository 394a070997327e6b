"""What a 403 means: scope, role or access tier, judged from LinkedIn's code and message."""

from __future__ import annotations

from reconciler.api.errors import error_from_response
from reconciler.api.refusals import PAGE, POST_SCOPE, ROLE, SCOPE, TIER, explain, meaning
from reconciler.errors import PermissionDenied


def denied(body: bytes, path: str = "/adAccounts/1/adCampaigns") -> PermissionDenied:
    error = error_from_response(403, body, method="POST", path=path, version="202601")
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


def test_a_page_role_and_the_posting_scope_are_told_apart_from_the_account_role_and_rw_ads() -> None:
    page = (
        b'{"serviceErrorCode":100,"status":403,"message":"Not enough permissions to sponsor content of '
        b'urn:li:organization:2414183"}'
    )
    assert meaning(denied(page, "/adAccounts/1/creatives")) == PAGE
    assert "DIRECT_SPONSORED_CONTENT_POSTER" in PAGE and "ask a page administrator" in PAGE
    scope = b'{"serviceErrorCode":100,"message":"Not enough permissions to access: POST /posts","status":403}'
    assert meaning(denied(scope, "/posts")) == POST_SCOPE and "w_organization_social" in POST_SCOPE
    assert meaning(denied(scope, "/images?action=initializeUpload")) == POST_SCOPE
    assert meaning(denied(scope, "/adAccounts/1/creatives")) == SCOPE
