"""Campaign group rules (reference §3.2): fields, budgets, schedule, lifecycle, delete."""

from __future__ import annotations

from typing import Any

from reconciler.emulator.errors import Problems, refusal
from reconciler.emulator.rules import status as st
from reconciler.emulator.rules.common import (
    Ctx,
    apply_patch,
    changed,
    check_enum,
    check_fields,
    check_money,
    check_passed_start,
    check_schedule,
    check_start_not_past,
    check_text,
    require,
)
from reconciler.emulator.rules.enums import (
    BID_STRATEGIES,
    BUDGET_OPTIMIZATION,
    OBJECTIVES,
    singular_objective,
)
from reconciler.emulator.store import Entity

WRITABLE = frozenset(
    {
        "account",
        "name",
        "runSchedule",
        "status",
        "totalBudget",
        "dailyBudget",
        "budgetOptimization",
        "objectiveType",
    }
)
READ_ONLY = frozenset(
    {
        "id",
        "accountInfo",
        "allowedCampaignTypes",
        "servingStatuses",
        "backfilled",
        "test",
        "changeAuditStamps",
        "version",
    }
)
NAME_MAX = 100


def build(ctx: Ctx, account: Entity, body: Entity) -> Entity:
    """Validate a create body for ``account``; the group to store (no id or stamps yet)."""
    problems = Problems()
    check_fields(problems, body.keys(), WRITABLE, READ_ONLY)
    entity = {k: v for k, v in body.items() if k in WRITABLE}
    entity["objectiveType"] = singular_objective(entity.get("objectiveType"))
    if entity["objectiveType"] is None:
        del entity["objectiveType"]
    _validate(problems, ctx, account, entity, None)
    if entity.get("status") in st.GROUP_STATUSES - {"ACTIVE", "DRAFT"}:
        problems.add("INVALID_VALUE_FOR_FIELD", "status", "a campaign group is created ACTIVE or DRAFT")
    problems.raise_if_any()
    return entity


def merge(ctx: Ctx, account: Entity, current: Entity, patch: Any) -> Entity:
    """Validate a patch against ``current``; the group to store."""
    problems = Problems()
    if st.check_frozen(problems, current.get("status"), "Campaign group", current.get("id")):
        problems.raise_if_any()
    if current.get("backfilled"):
        message = "Backfilled campaign groups can't be updated"
        raise refusal("CANNOT_UPDATE_BACKFILLED_CAMPAIGN_GROUPS", "backfilled", message)
    after, touched = apply_patch(current, patch)
    check_fields(problems, touched, WRITABLE, READ_ONLY)
    if "objectiveType" in after:
        after["objectiveType"] = singular_objective(after["objectiveType"])
    _validate(problems, ctx, account, after, current)
    if changed(current, after, "account"):
        problems.add("FIELD_NOT_ALLOWED", "account", "account can only be set at creation")
    if changed(current, after, "objectiveType"):
        problems.add("IMMUTABLE_CAMPAIGN_OBJECTIVE_TYPE", "objectiveType", "objectiveType can't be changed")
    st.check_move(problems, st.GROUP, current.get("status"), after.get("status"))
    check_passed_start(problems, ctx, current, after)
    problems.raise_if_any()
    return after


def check_delete(current: Entity) -> None:
    """Only DRAFT groups can be deleted."""
    if current.get("status") != "DRAFT":
        raise refusal(
            "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS", "status", "Delete is allowed only in draft state"
        )


def _validate(problems: Problems, ctx: Ctx, account: Entity, entity: Entity, before: Entity | None) -> None:
    currency = str(account.get("currency", "USD"))
    if (
        require(problems, entity, "account")
        and entity["account"] != f"urn:li:sponsoredAccount:{account['id']}"
    ):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "account", "account must be the ad account of the request path"
        )
    if require(problems, entity, "name"):
        check_text(problems, entity["name"], "name", NAME_MAX)
    status = (
        check_enum(problems, entity.get("status"), "status", st.GROUP_STATUSES)
        if require(problems, entity, "status")
        else None
    )
    start, end = check_schedule(problems, entity.get("runSchedule"))
    check_money(problems, entity.get("totalBudget"), "totalBudget", currency)
    check_money(problems, entity.get("dailyBudget"), "dailyBudget", currency)
    if entity.get("totalBudget") is not None and end is None:
        problems.add(
            "CONDITIONAL_MISSING_FIELD",
            "runSchedule/end",
            "runSchedule/end is required when totalBudget is set",
        )
    _check_optimization(problems, entity)
    check_enum(problems, entity.get("objectiveType"), "objectiveType", OBJECTIVES)
    if status is not None and status != "DRAFT":
        require(problems, entity, "runSchedule")
        if before is None or before.get("status") == "DRAFT":
            check_start_not_past(problems, ctx, start, "CampaignGroup")


def _check_optimization(problems: Problems, entity: Entity) -> None:
    optimization = entity.get("budgetOptimization")
    if optimization is not None:
        if not isinstance(optimization, dict) or not set(optimization) <= {
            "bidStrategy",
            "budgetOptimizationStrategy",
        }:
            problems.add(
                "INVALID_VALUE_FOR_FIELD", "budgetOptimization", "budgetOptimization has unknown fields"
            )
            return
        check_enum(
            problems, optimization.get("bidStrategy"), "budgetOptimization/bidStrategy", BID_STRATEGIES
        )
        check_enum(
            problems,
            optimization.get("budgetOptimizationStrategy"),
            "budgetOptimization/budgetOptimizationStrategy",
            BUDGET_OPTIMIZATION,
        )
    dynamic = isinstance(optimization, dict) and optimization.get("budgetOptimizationStrategy") == "DYNAMIC"
    if entity.get("dailyBudget") is not None and not dynamic:
        problems.add(
            "CONDITIONAL_FIELD_NOT_ALLOWED",
            "dailyBudget",
            "dailyBudget is allowed only with budgetOptimization/budgetOptimizationStrategy DYNAMIC",
        )
