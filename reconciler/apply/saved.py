"""Reading a saved plan as untrusted input (docs/plan-format.md, "What the checksum is and is not").

A plan file may have been edited by anyone who could write it, and its checksum recomputed: the
checksum only proves the file is the one whose checksum a reviewer quoted. So before it is believed:

- :func:`read_plan` reads it bounded (a regular file, at most :data:`MAX_PLAN_BYTES` by ``stat`` and
  by what is actually read: never a FIFO, a device or ``/dev/zero``), parses it with a nesting limit,
  validates it against ``schemas/plan.schema.json`` and only then checks its checksum and summary;
- :func:`differences` compares its changes with those of a fresh plan of the manifests, for every
  entity it touches (the CLI does this whenever manifest PATHs are given);
- :mod:`reconciler.planner.replay` recomputes limits and guardrails from its changes.

Every refusal is a :class:`~reconciler.errors.PlanError` with one clear line: no traceback.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from reconciler.errors import ConfigError, PlanError
from reconciler.plan import Action, Kind, Plan, ResourceChange, writes

# A plan at LinkedIn's limits (5,000 campaigns and 15,000 creatives created, every field shown once
# as a change and once in the body) is about 40 MB; anything past this is not a plan.
MAX_PLAN_BYTES = 128 * 1024 * 1024
# Nesting of a real plan: plan > changes > change > body > targetingCriteria > include > and > or >
# facet > values, about 12 levels. orjson itself stops at 1,024.
MAX_DEPTH = 64
SHOWN = 10
CHUNK = 1 << 20


def read_plan(path: Path) -> Plan:
    """The plan saved at ``path``, checked as described in the module docstring.

    Raises ConfigError when the file cannot be opened, PlanError when it is not a valid, intact plan.
    """
    data = _parse(path, _read_bounded(path))
    problems = schema_problems(data)
    if problems:
        shown = "; ".join(problems[:SHOWN]) + (
            f"; … and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        )
        raise PlanError(
            f"{path}: refused: not a plan of format version 1 (schemas/plan.schema.json): {shown}"
        )
    try:
        plan = Plan.from_dict(data)
    except (ValueError, TypeError, KeyError) as err:
        raise PlanError(f"{path}: refused: {err}") from None
    wrong = inconsistencies(plan)
    if wrong:
        shown = "\n  ".join(wrong[:SHOWN]) + (
            f"\n  … and {len(wrong) - SHOWN} more" if len(wrong) > SHOWN else ""
        )
        raise PlanError(
            f"{path}: refused: what it would write is not what it shows (the file was edited):\n  {shown}"
        )
    return plan


# -- what it writes is what it shows --------------------------------------------------------------

_PARENTS = frozenset({"campaignGroup", "campaign"})  # a move's field: the parent, never in a body


def inconsistencies(plan: Plan) -> list[str]:
    """One line per change whose ``body`` / ``delete_fields`` (what apply sends) are not what its
    ``fields`` (what the views show a reviewer) say, by the rules the planner builds them with."""
    out = []
    for change in plan.changes:
        wrong = _inconsistent(change)
        if wrong:
            out.append(f"{_label(change)}: {wrong}")
    return out


def _inconsistent(change: ResourceChange) -> str:
    if not change.path[0].isascii() or not change.path[0].isdigit():
        return "its path does not start with a numeric ad account id"
    effective = [f for f in change.fields if not f.ignored]
    status = "intendedStatus" if change.kind is Kind.CREATIVE else "status"
    body = dict(change.body)
    managed = (body.get("content") or {}).get("managed") if isinstance(body.get("content"), dict) else None
    if isinstance(managed, dict):
        # Content made from files: the fields show the manifest's form ({kind: spec}), or per field
        # what differs from the post behind the live creative (content.<field>), not the body's form.
        body["content"] = {managed.get("kind"): managed.get("spec")}
        effective = [f for f in effective if not f.field.startswith("content.")]
    if change.action is Action.DELETE:
        return "a delete sends no body" if body or change.delete_fields else ""
    if change.action is Action.CREATE:
        expected = {f.field: f.new for f in change.fields}
        if change.activate:
            expected[status] = "DRAFT"
        return "" if body == expected and not change.delete_fields else "body differs from its fields"
    if change.action is Action.REPLACE:
        shown = {f.field: f.new for f in effective if f.new is not None and f.field not in _PARENTS}
        if change.activate:
            shown.pop(status, None)
        differ = sorted(k for k, v in shown.items() if body.get(k) != v)
        return f"body differs from its fields ({', '.join(differ)})" if differ else ""
    expected = {f.field: f.new for f in effective if f.new is not None}
    if change.activate and expected.get(status) == "ACTIVE":
        expected.pop(status)  # switched on in the activation step, once its creatives exist
    cleared = {f.field for f in effective if f.new is None}
    if body != expected:
        return "body differs from its fields"
    return "" if set(change.delete_fields) == cleared else "delete_fields differ from its fields"


def _read_bounded(path: Path) -> bytes:
    """At most MAX_PLAN_BYTES of a regular file; never blocks on a FIFO or reads a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PlanError(
                f"{path}: refused: not a regular file (a saved plan is what 'reconciler plan --out' writes)"
            )
        if info.st_size > MAX_PLAN_BYTES:
            raise PlanError(
                f"{path}: refused: {info.st_size:,} bytes, over the {MAX_PLAN_BYTES:,} a plan can have"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_PLAN_BYTES:  # the file may grow after the stat
            chunk = os.read(fd, CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_PLAN_BYTES:
            raise PlanError(f"{path}: refused: over the {MAX_PLAN_BYTES:,} bytes a plan can have")
        return b"".join(chunks)
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror}") from None
    finally:
        os.close(fd)


def _parse(path: Path, raw: bytes) -> Any:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise PlanError(f"{path}: refused: not JSON: {err}") from None
    if _deeper_than(data, MAX_DEPTH):
        raise PlanError(f"{path}: refused: nested more than {MAX_DEPTH} levels deep; no plan is")
    return data


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers more than ``limit`` deep (iteratively: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


@cache
def _validator() -> Any:
    # jsonschema-rs: the pure-Python validator takes 30-40 s over a plan at LinkedIn's limits.
    text = (resources.files("reconciler") / "schemas" / "plan.schema.json").read_text(encoding="utf-8")
    return jsonschema_rs.Draft202012Validator(json.loads(text))


def schema_problems(data: Any) -> list[str]:
    """Every way ``data`` departs from the plan schema, as ``where: what`` (sorted, each short)."""
    validator = _validator()
    if validator.is_valid(data):
        return []
    out = []
    for error in validator.iter_errors(data):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.instance_path)
        message = error.message if len(error.message) <= 160 else error.message[:157] + "…"
        out.append(f"{where.lstrip('.') or '(top level)'}: {message}")
    return sorted(out)


# -- against a fresh plan -------------------------------------------------------------------------

_COMPARED = ("action", "path", "parent_id", "fields", "body", "delete_fields", "activate")


def differences(saved: Plan, fresh: Plan) -> list[str]:
    """One line per change of ``saved`` that writes and that a fresh plan does not make the same way.

    Changes are matched by kind and live id (by kind and path for a create); what they would write
    (action, path, parent, fields, body, cleared fields, activation) must be equal. Changes of the fresh
    plan to entities the saved plan does not touch are not compared (the world may have moved there).
    """
    planned = {_identity(c): c for c in fresh.changes}
    lines = []
    for change in saved.changes:
        if not writes(change):
            continue
        other = planned.get(_identity(change))
        if other is None:
            lines.append(f"{_label(change)}: a fresh plan of the manifests does not {change.action.value} it")
            continue
        wrong = [name for name in _COMPARED if _plain(getattr(change, name)) != _plain(getattr(other, name))]
        if wrong:
            lines.append(f"{_label(change)}: {', '.join(wrong)} differ from a fresh plan of the manifests")
    return lines


def _identity(change: ResourceChange) -> tuple[Kind, int | tuple[str, ...]]:
    return (change.kind, change.id if change.id is not None else change.path)


def _label(change: ResourceChange) -> str:
    where = f" (id {change.id})" if change.id is not None else ""
    return f"{change.action.value} {change.kind.value} {change.address}{where}"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value
