"""The apply journal: what a run meant to do and what it did, durable before and after each write.

One JSON-lines file per run under ``.reconciler/journal/`` (``<UTC time>-<pid>.jsonl``). Every
record is one line with a ``type``; each group of records is flushed and fsync'd before the
applier sends the request it announces, so a run killed at any instant leaves a journal that says
what may have happened. A torn last line (killed mid-write) is ignored on reading. See
docs/apply.md for the record types.

The journal is not what makes apply converge: the planner matches live entities by name, so a
new run finds whatever the killed one created. The journal lets ``apply`` say what the last run
left unfinished and check each of those against the new plan. This module does no API I/O.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from reconciler.apply.events import ApplyReport, ChangeResult
from reconciler.guardrails import Baseline
from reconciler.plan import Plan, ResourceChange, writes

JOURNAL_DIR = Path(".reconciler") / "journal"
JOURNAL_FORMAT = 1
KEEP = 50  # finished journals kept; older ones are removed when a run starts


class Journal:
    """The journal of one run. ``directory`` None keeps the records in memory only (tests, dry use)."""

    def __init__(self, directory: Path | None, run_id: str) -> None:
        self.run_id = run_id
        self.records: list[dict[str, Any]] = []
        self.path = directory / f"{run_id}.jsonl" if directory is not None else None
        self._file: IO[str] | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
            _fsync_dir(self.path.parent)

    @classmethod
    def start(
        cls,
        directory: Path | None,
        plan: Plan,
        *,
        target: str,
        clock: float | None = None,
        baselines: Mapping[int, Baseline | None] | None = None,
    ) -> Journal:
        """Open a new journal for applying ``plan`` and record the run header (every change planned).

        ``baselines``: per account, where the run began (None: this run starts it), so a rerun that
        finishes it is judged from there (see :class:`~reconciler.guardrails.Baseline`).
        """
        now = time.time() if clock is None else clock
        stamp = datetime.fromtimestamp(now, UTC)
        run_id = f"{stamp:%Y%m%dT%H%M%S%fZ}-{os.getpid()}"
        if directory is not None:
            prune(directory, KEEP)
        journal = cls(directory, run_id)
        journal.write(
            {
                "type": "run",
                "format": JOURNAL_FORMAT,
                "run": run_id,
                "started": stamp.isoformat().replace("+00:00", "Z"),
                "target": target,
                "api_version": plan.api_version,
                "plan": plan.checksum,
                "changes": [[c.action.value, c.address] for c in plan.changes if writes(c)],
                "baselines": {
                    str(account): _baseline_record(baseline, run_id)
                    for account, baseline in (baselines or {}).items()
                    if baseline is not None
                },
            }
        )
        return journal

    # -- writing ---------------------------------------------------------------------------------

    def write(self, *records: Mapping[str, Any], durable: bool = True) -> None:
        """Append records and hand them to the OS (a killed process loses none of them).

        ``durable`` also fsyncs, so they survive a machine crash too: intents and sends are durable
        before the request they announce; outcomes are not (a lost outcome only makes the next run
        check that change against its fresh plan).
        """
        if not records:
            return
        stamped = [{**r, "at": int(time.time() * 1000)} for r in records]
        self.records.extend(stamped)
        if self._file is None:
            return
        self._file.write("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in stamped))
        self._file.flush()
        if durable:
            os.fsync(self._file.fileno())

    def intents(self, items: Iterable[tuple[ResourceChange, int]]) -> None:
        """Before a create: kind, path, parent id and name of each entity about to be created."""
        self.write(
            *(
                {
                    "type": "intent",
                    "address": change.address,
                    "kind": change.kind.value,
                    "action": change.action.value,
                    "path": list(change.path),
                    "parent_id": parent,
                    "name": change.name,
                }
                for change, parent in items
            )
        )

    def sent(self, step: str, items: Iterable[tuple[ResourceChange, int]]) -> None:
        """Before a partial update or delete: which entity, for which step."""
        self.write(*({"type": "sent", "address": c.address, "step": step, "id": i} for c, i in items))

    def outcome(self, kind: str, address: str, entity_id: int | None = None, detail: str = "") -> None:
        """``created`` / ``adopted`` (with the id), ``unknown`` / ``absent`` after a create."""
        record: dict[str, Any] = {"type": kind, "address": address}
        if entity_id is not None:
            record["id"] = entity_id
        if detail:
            record["detail"] = detail
        self.write(record, durable=False)

    def done(self, result: ChangeResult) -> None:
        """A change reached its final result."""
        self.write(
            {
                "type": "done",
                "address": result.address,
                "status": result.status.value,
                "id": result.id,
                "error": result.error.message if result.error else None,
            },
            durable=False,
        )

    def end(self, report: ApplyReport) -> None:
        """The run finished (whatever its results) and closes the file."""
        self.write({"type": "end", **{k: v for k, v in report.summary().items() if k != "event"}})
        self.close()

    def close(self) -> None:
        """Close the file (records already written stay)."""
        if self._file is not None:
            self._file.close()
            self._file = None


# -- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A change an earlier run did not finish: its address, action, and how far it got."""

    address: str
    action: str
    state: str
    id: int | None = None

    @property
    def started(self) -> bool:
        """Whether anything was sent for it."""
        return self.state != NOT_STARTED


NOT_STARTED = "not started"


@dataclass(frozen=True)
class Unfinished:
    """An earlier run that left changes unfinished (killed, or stopped by failures)."""

    path: Path
    run: str
    started: str
    ended: bool
    planned: int
    pending: tuple[Pending, ...]
    interrupted: str = ""
    baselines: Mapping[int, Baseline] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many changes it left unfinished."""
        return len(self.pending)

    def describe(self, limit: int = 10) -> str:
        """``the last run (…) left N changes unfinished: a (create sent; outcome not recorded), …``."""
        how = "was interrupted and " if not self.ended else ""
        if self.interrupted:
            how = f"was stopped ({self.interrupted}) and "
        started = [p for p in self.pending if p.started]
        parts = [f"{p.action} {p.address} ({p.state})" for p in started[:limit]]
        if len(started) > limit:
            parts.append(f"{len(started) - limit} more in flight")
        waiting = self.count - len(started)
        if waiting:
            parts.append(f"{waiting} not started")
        noun = "change" if self.count == 1 else "changes"
        return f"the last run ({self.run}) {how}left {self.count} {noun} unfinished: " + "; ".join(parts)


def read_records(path: Path, keep: Callable[[int, str], bool] | None = None) -> list[dict[str, Any]]:
    """Every whole record of a journal file; a torn or damaged line is skipped. ``keep(number,
    line)``, when given, says which lines to parse at all (a large apply's journal holds many
    thousands of lines, and a reader may need only a few kinds)."""
    out: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                if keep is not None and not keep(number, line):
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    out.append(record)
    except OSError:
        return []
    return out


def unfinished_runs(directory: Path, target: str) -> list[Unfinished]:
    """Earlier runs against ``target`` that left changes unfinished and were not reported yet,
    newest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.jsonl"), reverse=True):
        run = _unfinished(path, read_records(path), target)
        if run is not None:
            found.append(run)
    return found


def _unfinished(path: Path, records: list[dict[str, Any]], target: str) -> Unfinished | None:
    if not records or records[0].get("type") != "run" or records[0].get("target") != target:
        return None
    if any(r.get("type") == "reviewed" for r in records):
        return None
    header = records[0]
    planned = [(str(a), str(addr)) for a, addr in header.get("changes") or []]
    states: dict[str, tuple[str, int | None]] = {}
    finished: set[str] = set()
    for record in records[1:]:
        address = str(record.get("address", ""))
        kind = record.get("type")
        if kind == "done" and record.get("status") == "applied":
            finished.add(address)
        elif kind == "done":
            states[address] = _not_done(record, states.get(address))
        elif kind in _STATE:
            entity_id = record.get("id")
            states[address] = (_STATE[str(kind)](record), entity_id if isinstance(entity_id, int) else None)
    pending = tuple(
        Pending(address, action, *states.get(address, (NOT_STARTED, None)))
        for action, address in planned
        if address not in finished
    )
    ends = [r for r in records if r.get("type") == "end"]
    if not pending:
        return None
    why = str(ends[-1].get("interrupted") or "") if ends else ""
    return Unfinished(
        path,
        str(header.get("run")),
        str(header.get("started")),
        bool(ends),
        len(planned),
        pending,
        why,
        _baselines(header.get("baselines")),
    )


def _baseline_record(baseline: Baseline, run_id: str) -> dict[str, Any]:
    return {
        "run": baseline.run or run_id,
        "daily_before": str(baseline.daily_before),
        "forced": baseline.forced,
        "daily_after": None if baseline.daily_after is None else str(baseline.daily_after),
        "removed": None if baseline.removed is None else dict(baseline.removed),
    }


def _baselines(records: Any) -> dict[int, Baseline]:
    """The ``baselines`` of a run header; a damaged entry is left out (the rerun then judges from
    the live state, the stricter choice)."""
    out: dict[int, Baseline] = {}
    for account, record in (records or {}).items() if isinstance(records, dict) else ():
        try:
            after = record.get("daily_after")
            removed = record.get("removed")
            out[int(account)] = Baseline(
                str(record["run"]),
                Decimal(str(record["daily_before"])),
                record.get("forced") is True,
                None if after is None else Decimal(str(after)),
                _removed(removed),
            )
        except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation):
            continue
    return out


def _removed(record: Any) -> dict[str, int] | None:
    """Per kind, what a forced run was approved to remove; None for anything else (a count of
    every kind in one, as earlier journals wrote it, approves no removal: the stricter choice)."""
    if not isinstance(record, dict):
        return None
    if not all(isinstance(k, str) and type(v) is int for k, v in record.items()):
        return None
    return dict(record)


def _not_done(record: dict[str, Any], before: tuple[str, int | None] | None) -> tuple[str, int | None]:
    """A change that ended failed or skipped: how far it got, as the records before it say."""
    if record.get("status") == "failed":
        return f"failed: {record.get('error')}", before[1] if before else None
    return before or (NOT_STARTED, None)


_STATE: dict[str, Callable[[dict[str, Any]], str]] = {
    "intent": lambda r: "create sent; outcome not recorded",
    "unknown": lambda r: "create outcome unknown",
    "absent": lambda r: "create not found after an unknown outcome",
    "created": lambda r: f"created as id {r.get('id')}; later steps not finished",
    "adopted": lambda r: f"found as id {r.get('id')}; later steps not finished",
    "sent": lambda r: f"{r.get('step')} sent; outcome not recorded",
    "unsent": lambda r: NOT_STARTED,
    # ad content made before its creative (apply/content.py): found again by its mark, never made twice
    "post": lambda r: "post sent; outcome not recorded",
    "posted": lambda r: f"post {r.get('urn')} made; the creative not yet",
    # InMail contents and conversations have no finder: their URNs are found again only here
    # (apply/recall.py); a create sent and never answered may have left an unreferenced copy
    "inmail": lambda r: "InMail content sent; its answer not recorded",
    "conversation": lambda r: "conversation sent; its answer not recorded",
    "messages": lambda r: "conversation messages sent; their answer not recorded",
    "opening": lambda r: "opening InMail content sent; its answer not recorded",
    "made": lambda r: f"{r.get('step')} {r.get('urn')} made; the creative not yet",
}


CONTENT_STATES = ("its answer not recorded", "their answer not recorded", "the creative not yet")


def verify(run: Unfinished, plan: Plan) -> list[str]:
    """Check each change the run left unfinished against a fresh plan, one line each.

    A change still in the plan is done by this apply; one the plan no longer needs was completed
    (the planner found the entity live, by name, as the manifests want it).
    """
    still = {c.address: c for c in plan.changes if writes(c)}
    lines = []
    for pending in run.pending:
        if not pending.started:
            continue
        change = still.get(pending.address)
        if change is None:
            lines.append(f"{pending.address}: done (found live as the manifests want it)")
        elif pending.action in ("create", "replace") and change.action.value == "create":
            # what was made of an InMail content or conversation is reused (apply/recall.py)
            made = f" ({pending.state})" if pending.state.endswith(CONTENT_STATES) else ""
            lines.append(f"{pending.address}: not created; this apply creates it{made}")
        elif pending.action in ("create", "replace"):
            step = "activate" if change.activate and not change.body else change.action.value
            lines.append(f"{pending.address}: created (found live by name); this apply finishes it ({step})")
        else:
            lines.append(f"{pending.address}: still to do; this apply does it ({change.action.value})")
    return lines


def mark_reviewed(runs: Sequence[Unfinished], by: str) -> None:
    """Record in each earlier journal that run ``by`` reported it and took over (so it is told once)."""
    for run in runs:
        try:
            with run.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"type": "reviewed", "by": by, "at": int(time.time() * 1000)}) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            continue


def prune(directory: Path, keep: int) -> None:
    """Remove all but the newest ``keep`` journals that are finished or were reported."""
    if not directory.is_dir():
        return
    paths = sorted(directory.glob("*.jsonl"), reverse=True)
    for path in paths[keep:]:
        records = read_records(path)
        if any(r.get("type") in ("end", "reviewed") for r in records):
            path.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
