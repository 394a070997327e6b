"""What earlier runs made of the InMail contents and conversations of creatives they did not finish.

LinkedIn documents no finder for ``inMailContents`` or ``conversationAds`` (only create, get, batch
get, update and, for InMail, ``sendTestInMail``), so what a killed run made of them can be found
again only from its journal. Each of those creates is announced there (fsync'd) before it is sent,
and its URN recorded (fsync'd) the moment its 201 is read:

- ``{"type": "inmail" | "conversation" | "opening" | "messages", "address", "mark"[, "keys"]}``:
  about to create the message ad's InMail content, the conversation, its opening InMail content, or
  the messages ``keys`` of one level of its tree;
- ``{"type": "made", "address", "mark", "step", "urn"}``: that create was answered; ``step`` is
  ``inmail``, ``conversation``, ``opening`` or ``message:<key>``.

``(address, mark)`` names one creative's content as the manifests give it now (the mark changes with
its text), so a changed manifest never reuses what an earlier version made. An announced step with no
URN after it is *lost*: the create was sent and its answer never recorded, so an unreferenced copy
may exist at LinkedIn that nothing can look up. It never serves nor spends: only a creative serves,
and none references it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.apply.journal import read_records

INTENTS = frozenset({"inmail", "conversation", "opening", "messages"})
STEPS = ("inmail", "conversation", "opening")
WHAT = {"inmail": "InMail content", "conversation": "conversation", "opening": "opening InMail content"}


@dataclass
class Made:
    """One creative's content as earlier runs left it: the URN of each step they made, and the
    steps they sent whose answer was never recorded (with the run that sent them)."""

    urns: dict[str, str] = field(default_factory=dict)
    lost: dict[str, str] = field(default_factory=dict)

    def messages(self) -> dict[str, str]:
        """The conversation's messages made, by their key in the manifest."""
        return {s.partition(":")[2]: u for s, u in self.urns.items() if s.startswith("message:")}

    def keep(self, alive: Iterable[str]) -> list[str]:
        """Forget the InMail contents and conversation LinkedIn no longer has (with what was made in
        a conversation that is gone); the steps forgotten."""
        have = set(alive)
        gone: list[str] = [s for s in STEPS if s in self.urns and self.urns[s] not in have]
        if "conversation" in gone:
            gone += [s for s in self.urns if s.startswith("message:") or s == "opening"]
        for step in dict.fromkeys(gone):
            self.urns.pop(step, None)
        return list(dict.fromkeys(gone))

    def unanswered(self) -> list[str]:
        """The lost steps this run makes again, in words (``InMail content``, ``messages a, b``)."""
        words = [WHAT[s] for s in STEPS if s in self.lost and s not in self.urns]
        keys = [s.partition(":")[2] for s in self.lost if s.startswith("message:") and s not in self.urns]
        if keys:
            words.append("message" + ("s " if len(keys) > 1 else " ") + ", ".join(sorted(keys)))
        return words


def recall(directory: Path, target: str) -> dict[tuple[str, str], Made]:
    """Per ``(address, mark)``: what the journals in ``directory`` of runs against ``target`` say was
    made, oldest run first, so the latest record of a step wins."""
    out: dict[tuple[str, str], Made] = {}
    if not directory.is_dir():
        return out
    for path in sorted(directory.glob("*.jsonl")):
        records = _records(path)
        if not records or records[0].get("target") != target:
            continue
        run = str(records[0].get("run") or path.stem)
        for record in records[1:]:
            _take(out, record, run)
    return out


def _take(out: dict[tuple[str, str], Made], record: dict[str, Any], run: str) -> None:
    kind = record.get("type")
    key = (str(record.get("address") or ""), str(record.get("mark") or ""))
    if kind == "conversation":  # a new conversation: what an earlier one held is not its own
        out[key] = Made(lost={"conversation": run})
    elif kind in INTENTS:
        made = out.setdefault(key, Made())
        keys = record.get("keys") if kind == "messages" else None
        for step in [f"message:{k}" for k in keys] if isinstance(keys, list) else [str(kind)]:
            made.urns.pop(step, None)
            made.lost[step] = run
    elif kind == "made" and record.get("urn"):
        made = out.setdefault(key, Made())
        step = str(record.get("step"))
        made.urns[step] = str(record["urn"])
        made.lost.pop(step, None)


def _records(path: Path) -> list[dict[str, Any]]:
    """The header and the content records of a journal (other lines are not parsed)."""
    return read_records(path, _header_or_content)


def _header_or_content(number: int, line: str) -> bool:
    # Posts carry a mark too, and are found by it at LinkedIn.
    return not number or ('"mark"' in line and '"type": "post' not in line)
