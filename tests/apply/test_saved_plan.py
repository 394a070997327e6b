"""A saved plan is checked, not trusted (issue 12 item 6): ``apply --plan FILE`` reads the file
bounded, validates it against schemas/plan.schema.json, refuses a plan whose changes differ from a
fresh plan of the manifests, and guards it by limits and thresholds recomputed from its own changes.
Every tampered plan here is sealed again with a correct checksum, and refused before any write."""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import tree, write_manifests
from tests.apply.test_apply_cli import _in_a_fresh_directory, cli, logged_server, save_edited_plan, writes_in

__all__ = ["_in_a_fresh_directory", "logged_server"]

Edit = Callable[[dict[str, Any]], None]


def _updates(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in data["changes"] if c["action"] == "update" and c["kind"] == "campaign"]


def amount_changed(data: dict[str, Any]) -> None:
    change = _updates(data)[0]
    change["body"]["dailyBudget"]["amount"] = "74"
    next(f for f in change["fields"] if f["field"] == "dailyBudget")["new"]["amount"] = "74"


def target_id_swapped(data: dict[str, Any]) -> None:
    first, second = _updates(data)
    first["id"], second["id"] = second["id"], first["id"]
    first["version_tag"], second["version_tag"] = second["version_tag"], first["version_tag"]


def status_injected(data: dict[str, Any]) -> None:
    change = _updates(data)[0]
    change["body"]["status"] = "PAUSED"
    change["fields"].append({"field": "status", "old": "ACTIVE", "new": "PAUSED", "ignored": False})


def _shown(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of a create, as the planner shows its body."""
    return [{"field": k, "ignored": False, "new": v, "old": None} for k, v in sorted(body.items())]


def create_appended(data: dict[str, Any]) -> None:
    body = {
        "name": "Big spender",
        "status": "ACTIVE",
        "dailyBudget": {"amount": "999999", "currencyCode": "USD"},
    }
    data["changes"].append(
        {
            "action": "create",
            "activate": False,
            "body": body,
            "delete_fields": [],
            "fields": _shown(body),
            "id": None,
            "kind": "campaign",
            "last_modified": None,
            "parent_id": _updates(data)[0]["parent_id"],
            "path": [*_updates(data)[0]["path"][:2], "Big spender"],
            "reason": "",
            "version_tag": None,
        }
    )
    data["summary"]["create"] += 1


def unknown_key(data: dict[str, Any]) -> None:
    data["changes"][0]["run_this_too"] = True


def changes_null(data: dict[str, Any]) -> None:
    data["changes"] = None


def account_not_a_number(data: dict[str, Any]) -> None:
    _updates(data)[0]["path"][0] = "five hundred million and one"


TAMPERED: dict[str, tuple[Edit, str]] = {
    "account not a number": (account_not_a_number, "its path does not start with a numeric ad account id"),
    "amount changed": (amount_changed, "differ from what a fresh plan of the manifests would do"),
    "target id swapped": (target_id_swapped, "differ from what a fresh plan of the manifests would do"),
    "status injected": (status_injected, "fields, body differ from a fresh plan of the manifests"),
    "create appended": (create_appended, "a fresh plan of the manifests does not create it"),
    "unknown key": (unknown_key, "Additional properties are not allowed ('run_this_too' was unexpected)"),
    "changes null": (changes_null, 'changes: null is not of type "array"'),
}


@pytest.fixture
def reviewed(tmp_path: Path, logged_server: tuple[str, io.StringIO]) -> tuple[str, io.StringIO, Path]:
    """A live account, manifests that raise two campaigns' budgets, and their saved plan."""
    base, log = logged_server
    spec = tree(1, 2, 1)
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    manifests = write_manifests(tmp_path / "v2", spec, budget=lambda c: 60 if c.endswith("000") else 70)
    assert cli("plan", str(manifests), "--out", "plan.json", target=base).exit_code == 0
    log.truncate(0)
    log.seek(0)
    return base, log, manifests


def refused(result: Any, log: io.StringIO, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert writes_in(log) == 0


@pytest.mark.parametrize("name", sorted(TAMPERED))
def test_a_tampered_plan_is_refused_before_any_write(
    name: str, reviewed: tuple[str, io.StringIO, Path]
) -> None:
    base, log, manifests = reviewed
    edit, message = TAMPERED[name]
    save_edited_plan(Path("plan.json"), edit)
    refused(cli("apply", "--plan", "plan.json", str(manifests), "--auto-approve", target=base), log, message)


def test_the_untampered_plan_applies(reviewed: tuple[str, io.StringIO, Path]) -> None:
    base, log, manifests = reviewed
    result = cli("apply", "--plan", "plan.json", str(manifests), "--auto-approve", target=base)
    assert result.exit_code == 0, result.output
    assert writes_in(log) == 1  # the two budget updates, in one batch


def test_without_manifests_an_appended_create_is_judged_by_recomputed_guardrails(
    reviewed: tuple[str, io.StringIO, Path],
) -> None:
    base, log, _manifests = reviewed
    save_edited_plan(Path("plan.json"), create_appended)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", target=base)
    refused(
        result,
        log,
        "plan needs --force: account 500000001: raises total daily budget from 100 to 1000129 USD",
    )


def test_a_limit_hidden_by_the_file_is_found_again(reviewed: tuple[str, io.StringIO, Path]) -> None:
    base, log, _manifests = reviewed

    def many_creatives(data: dict[str, Any]) -> None:
        campaign = _updates(data)[0]
        for n in range(20):  # 1 live + 20 ACTIVE creatives: over the 15 active per campaign
            data["changes"].append(
                {
                    "action": "create",
                    "activate": False,
                    "delete_fields": [],
                    "fields": _shown(
                        ad := {
                            "name": f"Ad {n}",
                            "intendedStatus": "ACTIVE",
                            "content": {"reference": "urn:li:share:1"},
                        }
                    ),
                    "id": None,
                    "body": ad,
                    "kind": "creative",
                    "last_modified": None,
                    "parent_id": campaign["id"],
                    "path": [*campaign["path"], f"Ad {n}"],
                    "reason": "",
                    "version_tag": None,
                }
            )
        data["summary"]["create"] += 20
        data["violations"] = []
        data["headroom"] = []

    save_edited_plan(Path("plan.json"), many_creatives)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", "--force", target=base)
    refused(result, log, "active creatives per campaign in Group 00 / Campaign 00-00")


def test_deep_nesting_is_refused(reviewed: tuple[str, io.StringIO, Path]) -> None:
    base, log, manifests = reviewed
    Path("plan.json").write_text('{"changes": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    refused(
        cli("apply", "--plan", "plan.json", str(manifests), "--auto-approve", target=base), log, "not JSON"
    )
    shallow = {"changes": [{"body": _nested(100)}]}
    Path("plan.json").write_text(json.dumps(shallow), encoding="utf-8")
    result = cli("apply", "--plan", "plan.json", str(manifests), "--auto-approve", target=base)
    refused(result, log, "nested more than 64 levels deep")


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize("kind", ["1 GB file", "/dev/zero", "FIFO", "directory"])
def test_what_is_not_a_plan_file_is_refused_at_once(
    kind: str, reviewed: tuple[str, io.StringIO, Path]
) -> None:
    base, log, manifests = reviewed
    path = "/dev/zero" if kind == "/dev/zero" else f"odd-{kind.replace(' ', '-')}"
    if kind == "1 GB file":
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)  # sparse: takes no disk
    elif kind == "FIFO":
        os.mkfifo(path)  # nobody ever writes to it: reading it would wait for ever
    elif kind == "directory":
        os.mkdir(path)
    began = time.monotonic()
    result = cli("apply", "--plan", path, str(manifests), "--auto-approve", target=base)
    assert time.monotonic() - began < 2
    message = "over the 134,217,728 a plan can have" if kind == "1 GB file" else "not a regular file"
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output and writes_in(log) == 0


def test_without_manifests_a_body_edited_behind_its_fields_is_refused(
    reviewed: tuple[str, io.StringIO, Path],
) -> None:
    base, log, _manifests = reviewed

    def hidden_status(data: dict[str, Any]) -> None:
        _updates(data)[0]["body"]["status"] = "PAUSED"  # the views show fields, not the body

    save_edited_plan(Path("plan.json"), hidden_status)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", target=base)
    refused(result, log, "what it would write is not what it shows (the file was edited)")


def test_with_manifests_removals_count_against_what_they_manage(
    tmp_path: Path, logged_server: tuple[str, io.StringIO]
) -> None:
    base, log = logged_server
    spec = {
        "Group 00": {f"Campaign 00-{n:03d}": [] for n in range(10)},
        "Group 01": {f"Other {n}": [] for n in range(30)},
    }
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    # Group 01 and its 30 campaigns leave the manifests (unmanaged); 4 of the 10 managed are archived.
    archived = {f"Campaign 00-{n:03d}": {"status": "ARCHIVED"} for n in range(4)}
    v2 = write_manifests(tmp_path / "v2", {"Group 00": spec["Group 00"]}, overrides=archived)
    assert cli("plan", str(v2), "--out", "plan.json", target=base).exit_code == 0
    save_edited_plan(Path("plan.json"), lambda d: d.update(violations=[]))  # the file hides its threshold
    log.truncate(0)
    log.seek(0)
    result = cli("apply", "--plan", "plan.json", str(v2), "--auto-approve", target=base)
    refused(result, log, "archives, deletes or replaces 4 of 10 managed campaigns (40%, more than 30%)")


def test_a_run_starts_from_the_recomputed_budgets_not_from_what_the_file_says(
    reviewed: tuple[str, io.StringIO, Path],
) -> None:
    # An edited "before" would become the baseline an interrupted run is later judged from (a rise
    # from 100 to 100,000 USD would then look like a cut), and is what the user would approve.
    base, _log, manifests = reviewed

    def claims_a_big_account(data: dict[str, Any]) -> None:
        data["budgets"][0]["daily_before"] = "100000"

    save_edited_plan(Path("plan.json"), claims_a_big_account)
    result = cli("apply", "--plan", "plan.json", str(manifests), "--auto-approve", target=base)
    assert result.exit_code == 0, result.output
    assert "USD daily     100 → 130  (+30)" in result.stdout  # shown as recomputed
    journals = sorted(Path(".reconciler", "journal").glob("*.jsonl"))
    header = json.loads(journals[-1].read_text(encoding="utf-8").splitlines()[0])
    assert header["baselines"]["500000001"]["daily_before"] == "100"
