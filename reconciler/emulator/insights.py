"""Routing of the read-only, top-level helper resources: targeting discovery, audience counts,
budget pricing and ad analytics (``/rest/<resource>?q=…``).

Owns: recognising their paths, the verbs and Rest.li methods they allow (GET: FINDER, and GET_ALL
for ``adTargetingFacets``), the finder name each needs, and who may call them:

* ``adTargetingFacets`` / ``adTargetingEntities``: any token ("Any application approved for the
  LinkedIn Marketing API Program can make these API calls using any 3-legged access token. No
  additional permissions need to be requested", ad-targeting page);
* ``audienceCounts``: any token ("Any application approved for the LinkedIn Marketing API Program
  can make these API calls using any 3-legged access token", audience-counts page);
* ``adBudgetPricing``: ``r_ads`` or ``rw_ads`` and a role on the account (ad-budget-pricing page;
  any role, VIEWER included);
* ``adAnalytics``: ``r_ads_reporting`` (ads-reporting page).

A ``fields=`` projection applies to every element (adAnalytics reads ``fields`` as its metric
list instead). Errors render in the classic envelope. Must not: compute any answer (the resource modules do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.emulator import access, analytics, audience, discovery, pricing
from reconciler.emulator.errors import classic, missing_param, param_invalid
from reconciler.emulator.restli import Params, RestliSyntaxError, parse_projection, parse_query, project
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.wire import Call, Reply

REPORTING_SCOPE = "r_ads_reporting"
Handler = Callable[[Ctx, Params], dict[str, Any]]


def _facets(ctx: Ctx, params: Params) -> dict[str, Any]:
    return discovery.facets(params)


def _entities(ctx: Ctx, params: Params) -> dict[str, Any]:
    return discovery.entities(params)


def _audience(ctx: Ctx, params: Params) -> dict[str, Any]:
    return audience.counts(params, ctx.settings.audience_scale)


def _pricing(ctx: Ctx, params: Params) -> dict[str, Any]:
    return pricing.pricing(ctx, params)


def _analytics(ctx: Ctx, params: Params) -> dict[str, Any]:
    return analytics.analytics(ctx, params)


# resource -> (finder name or None for GET_ALL, scope rule, handler)
RESOURCES: dict[str, tuple[str | None, str, Handler]] = {
    "adTargetingFacets": (None, "any", _facets),
    "adTargetingEntities": ("*", "any", _entities),
    "audienceCounts": ("targetingCriteriaV2", "any", _audience),
    "adBudgetPricing": ("criteriaV2", "ads", _pricing),
    "adAnalytics": ("*", "reporting", _analytics),  # q=analytics or q=statistics (analytics.py)
}


def handles(path: str) -> bool:
    """Whether ``path`` (``/rest/...``) names one of these resources."""
    return path.split("/")[2] in RESOURCES if path.count("/") >= 2 else False


def answer(ctx: Ctx, call: Call) -> Reply:
    """Answer one call to a resource :func:`handles` (errors raise ``ApiError``)."""
    segments = call.path.split("/")[2:]
    name = segments[0]
    if len(segments) != 1:
        raise classic(404, f"No resource found for {call.path}")
    finder, scope, handler = RESOURCES[name]
    if call.method != "GET":
        raise classic(405, f"{call.method} is not supported by the {name} resource")
    params = _params(call)
    header = call.headers.get("x-restli-method", "").strip().upper()
    allowed = {"FINDER"} if finder is not None else {"GET_ALL"}
    if header and header not in allowed:
        raise classic(400, f"X-RestLi-Method {header} is not supported by the {name} resource")
    if finder is not None and finder != "*":
        q = params.get("q")
        if q is None:
            raise missing_param("q")
        if q != finder:
            raise param_invalid("q", q if isinstance(q, str) else None)
    _check_scope(ctx, scope, name)
    answer = handler(ctx, params)
    if name != "adAnalytics" and "elements" in answer:  # adAnalytics: ``fields`` are its metrics
        answer["elements"] = [_project(element, params) for element in answer["elements"]]
    return Reply(200, answer)


def _project(element: dict[str, Any], params: Params) -> dict[str, Any]:
    """The Rest.li projection ``fields=a,b:(c)`` of one element (every field without one)."""
    raw = params.get("fields")
    if raw is None:
        return element
    try:
        if not isinstance(raw, str):
            raise RestliSyntaxError("fields", "not a projection")
        return dict(project(element, parse_projection(raw)))
    except RestliSyntaxError:
        raise param_invalid("fields") from None


def _params(call: Call) -> Params:
    v2 = call.headers.get("x-restli-protocol-version", "").strip().startswith("2.")
    try:
        return parse_query(call.query, v2=v2)
    except RestliSyntaxError as exc:
        raise param_invalid(exc.param or "query") from None


def _check_scope(ctx: Ctx, rule: str, name: str) -> None:
    if rule == "ads":
        access.check_scope(ctx, "GET", f"/{name}", False)
    elif rule == "reporting":
        scopes = ctx.settings.scopes
        if scopes is not None and REPORTING_SCOPE not in scopes:
            raise classic(403, f"Not enough permissions to access: GET /{name}", service_code=100)
