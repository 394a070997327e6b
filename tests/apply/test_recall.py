"""What earlier runs' journals say was made of InMail contents and conversations (apply/recall.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reconciler.apply.recall import Made, recall

A = "500000001 / G / C / Ad"


def journal(directory: Path, run: str, *records: dict[str, Any], target: str = "test") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [{"type": "run", "run": run, "target": target}, *records]
    (directory / f"{run}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))


def test_a_urn_recorded_after_its_intent_is_made_and_one_without_is_lost(tmp_path: Path) -> None:
    journal(
        tmp_path,
        "20270101T000000000000Z-1",
        {"type": "conversation", "address": A, "mark": "m1"},
        {
            "type": "made",
            "address": A,
            "mark": "m1",
            "step": "conversation",
            "urn": "urn:li:sponsoredConversation:7",
        },
        {"type": "messages", "address": A, "mark": "m1", "keys": ["leaf"]},
        {"type": "made", "address": A, "mark": "m1", "step": "message:leaf", "urn": "urn:m:1"},
        {"type": "messages", "address": A, "mark": "m1", "keys": ["root"]},
    )
    made = recall(tmp_path, "test")[(A, "m1")]
    assert made.urns == {"conversation": "urn:li:sponsoredConversation:7", "message:leaf": "urn:m:1"}
    assert made.messages() == {"leaf": "urn:m:1"}
    assert made.unanswered() == ["message root"]


def test_later_runs_win_a_new_conversation_starts_afresh_and_other_targets_and_marks_are_apart(
    tmp_path: Path,
) -> None:
    made = {"type": "made", "address": A, "mark": "m1", "step": "conversation", "urn": "urn:c:1"}
    message = {"type": "made", "address": A, "mark": "m1", "step": "message:leaf", "urn": "urn:m:1"}
    journal(tmp_path, "20270101T000000000000Z-1", made, message)
    journal(tmp_path, "20270102T000000000000Z-1", {"type": "conversation", "address": A, "mark": "m1"})
    journal(tmp_path, "20270103T000000000000Z-1", {**made, "urn": "urn:c:9"}, target="other")
    journal(tmp_path, "20270104T000000000000Z-1", {"type": "inmail", "address": A, "mark": "m2"})
    found = recall(tmp_path, "test")
    # the second run announced another conversation and never heard back: the first one's messages
    # are not the new one's
    assert found[(A, "m1")].urns == {}
    assert found[(A, "m1")].unanswered() == ["conversation"]
    assert found[(A, "m2")].unanswered() == ["InMail content"]


def test_a_torn_line_is_skipped_and_a_missing_directory_recalls_nothing(tmp_path: Path) -> None:
    journal(tmp_path, "20270101T000000000000Z-1", {"type": "inmail", "address": A, "mark": "m1"})
    with (tmp_path / "20270101T000000000000Z-1.jsonl").open("a") as handle:
        handle.write('{"type": "made", "address": "' + A + '", "mark": "m1", "step": "inm')
    assert recall(tmp_path, "test")[(A, "m1")].unanswered() == ["InMail content"]
    assert recall(tmp_path / "nowhere", "test") == {}


def test_what_linkedin_no_longer_has_is_forgotten_with_what_was_made_inside_it() -> None:
    made = Made(
        urns={"conversation": "urn:c:1", "message:a": "urn:m:1", "opening": "urn:i:2", "inmail": "urn:i:3"}
    )
    assert made.keep({"urn:i:2", "urn:i:3"}) == ["conversation", "message:a", "opening"]
    assert made.urns == {"inmail": "urn:i:3"}
    assert made.unanswered() == []  # gone is not lost: nothing unreferenced is left by it
