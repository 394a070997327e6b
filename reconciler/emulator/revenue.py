"""``GET /rest/adAnalytics?q=attributedRevenueMetrics``: revenue attribution, which needs a CRM.

The ads-reporting page: pivots ``List(…)`` of ACCOUNT, CAMPAIGN_GROUP, CAMPAIGN (up to 3), ``account``
(required; the sample sends ``List(urn…)``), optional ``campaigns`` / ``campaignGroups``,
``dateRange`` (required start; "the dateRange must be between 30 and 366 days (inclusive)") and
"the RevenueAttributionMetrics are only available for accounts that have connected their CRM to
LinkedIn". The emulator connects no CRM, so a valid request answers no elements ("An empty
response is returned if there's no activity to report"); the checks are the documented ones and
their refusals the PARAM_INVALID body of the other finders (GUESS).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reconciler.emulator.errors import classic, missing_param, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.restli import Params

PIVOTS = frozenset({"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN"})
MIN_DAYS, MAX_DAYS = 30, 366


def answer(params: Params, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The finder's answer for a request whose ``dateRange`` is ``start``..``end`` (inclusive)."""
    if params.get("pivots") is None:
        raise missing_param("pivots")
    pivots = list_param(params, "pivots") or []
    if not 1 <= len(pivots) <= 3 or any(p not in PIVOTS for p in pivots):
        raise param_invalid("pivots")
    accounts = list_param(params, "account")
    if not accounts:
        raise missing_param("account")
    for urn in accounts:
        tail = urn.removeprefix("urn:li:sponsoredAccount:")
        if tail == urn or not tail.isdigit():
            raise param_invalid("account", urn)
    days = (end - start).days + 1
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise classic(400, f"dateRange must span {MIN_DAYS} to {MAX_DAYS} days, not {days}")
    return {"elements": [], "paging": {"start": 0, "count": 10, "links": []}}
