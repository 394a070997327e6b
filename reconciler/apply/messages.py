"""Message and conversation ads, for the content maker: the InMail content a message ad references,
and a conversation (its messages leaves first, its first message, the InMail content that opens it).

Made one creative at a time, in the run's main thread, each create announced in the journal first
and its URN recorded as soon as it is answered: no finder exists for either, so what a killed run
made is found again from the journals (:mod:`reconciler.apply.recall`) and reused or finished.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.adcontent.render import (
    Urns,
    content_mark,
    conversation_body,
    inmail_body,
    marked,
    message_body,
    message_levels,
    opening_body,
)
from reconciler.api.content import ContentApi
from reconciler.apply.journal import Journal
from reconciler.apply.recall import WHAT, Made, recall
from reconciler.errors import ApiError
from reconciler.model import account_urn
from reconciler.plan import Action, Kind, Plan

JSON = dict[str, Any]


@dataclass
class Item:
    """One creative to create whose content is managed; ``body`` is its body without content."""

    index: int
    address: str
    name: str
    managed: Mapping[str, Any]
    body: JSON = field(default_factory=dict)


def token(account: int, item: Item) -> str:
    """The mark of what a creative references (see :func:`~reconciler.adcontent.render.content_mark`)."""
    return content_mark(item.address, str(item.managed["fingerprint"]))


def content_key(account: int, item: Item) -> str:
    """The mark its InMail content or conversation carries in its name (and the journal under it)."""
    if item.managed["kind"] == "conversation":
        return str(item.managed["fingerprint"])[:12]
    return token(account, item)


@dataclass
class MessageMaker:
    """Makes message ads' InMail contents and conversation ads' conversations, reusing what earlier
    runs' journals say they made (:mod:`reconciler.apply.recall`): no finder exists to look one up.
    Each create is announced in ``journal`` (fsync'd) before it is sent, and its URN recorded
    (fsync'd) as soon as its answer is read, before anything else."""

    api: ContentApi
    journal: Journal
    account: int
    note: Callable[[str], None]

    def inmail(self, item: Item, urns: Urns, made: Made) -> JSON | ApiError:
        """The InMail content of a message ad; the creative body referencing it."""
        mark = content_key(self.account, item)
        if urn := made.urns.get("inmail"):
            self.note(f"{item.address}: its InMail content {urn} was made by an earlier run; reused")
            self._carry(item, mark, made)
            return {**item.body, "content": {"reference": urn}}
        try:
            body = inmail_body(
                item.managed["spec"], urns, account=account_urn(self.account), name=marked(item.name, mark)
            )
        except KeyError as error:
            return ApiError(f"a file of it was not uploaded: {error}")
        self._lost(item, made)
        try:
            urn = self._create(item, mark, "inmail", lambda: self.api.create_inmail(body))
        except ApiError as error:
            return error
        return {**item.body, "content": {"reference": urn}}

    def conversation(self, item: Item, made: Made) -> JSON | ApiError:
        """A conversation ad's conversation, messages (leaves first, one batch per level) and opening
        InMail content; the creative body referencing the opening. A conversation an earlier run
        made is completed, never made again. Its name carries the content's fingerprint (what
        plans compare)."""
        spec = item.managed["spec"]
        mark = content_key(self.account, item)
        try:
            levels = message_levels(spec)
        except ValueError as error:
            return ApiError(f"{item.address}: {error}")
        if urn := made.urns.get("opening"):
            self.note(f"{item.address}: its conversation (opening {urn}) was made by an earlier run; reused")
            self._carry(item, mark, made)
            return {**item.body, "content": {"reference": urn}}
        self._lost(item, made)
        name, sponsor, api = marked(item.name, mark), account_urn(self.account), self.api
        try:
            conversation = made.urns.get("conversation")
            if conversation is None:
                body = conversation_body(account=sponsor, name=name)
                conversation = self._create(item, mark, "conversation", lambda: api.create_conversation(body))
            else:
                self.note(
                    f"{item.address}: its conversation {conversation}, made by an earlier run, is finished"
                )
                self._carry(item, mark, made)
            done = made.messages()
            for level in levels:
                failed = self._messages(item, mark, conversation, [k for k in level if k not in done], done)
                if failed is not None:
                    return failed
            self.api.set_first_message(conversation, done[spec["start"]])
            body = opening_body(spec, conversation, account=sponsor, name=name)
            opening = self._create(item, mark, "opening", lambda: self.api.create_inmail(body))
        except ApiError as error:
            return error
        return {**item.body, "content": {"reference": opening}}

    def _messages(
        self, item: Item, mark: str, conversation: str, keys: list[str], done: dict[str, str]
    ) -> ApiError | None:
        """One level of the tree in one BATCH_CREATE; each message made is recorded at once."""
        if not keys:
            return None
        spec = item.managed["spec"]
        bodies = [message_body(spec, key, done) for key in keys]
        self.journal.write({"type": "messages", "address": item.address, "mark": mark, "keys": keys})
        results = self.api.create_messages(conversation, bodies)
        made = [(key, r.urn) for key, r in zip(keys, results, strict=True) if r.urn is not None]
        self.journal.write(
            *(
                {"type": "made", "address": item.address, "mark": mark, "step": f"message:{k}", "urn": u}
                for k, u in made
            )
        )
        done.update(made)
        for key, result in zip(keys, results, strict=True):
            if result.urn is None:
                return result.error or ApiError(f"message {key!r} not created")
        return None

    def _carry(self, item: Item, mark: str, made: Made) -> None:
        """Record in this run's journal what it reuses, so it outlives the earlier journals (which
        are pruned once finished)."""
        self.journal.write(
            *(
                {"type": "made", "address": item.address, "mark": mark, "step": step, "urn": urn}
                for step, urn in made.urns.items()
            )
        )

    def _create(self, item: Item, mark: str, step: str, create: Callable[[], str]) -> str:
        """Announce, create, and record the URN the moment the answer is read."""
        self.journal.write({"type": step, "address": item.address, "mark": mark})
        urn = create()
        self.journal.write({"type": "made", "address": item.address, "mark": mark, "step": step, "urn": urn})
        return urn

    def _lost(self, item: Item, made: Made) -> None:
        """Say once, for this creative, what an earlier run sent and never heard back about."""
        lost = made.unanswered()
        if lost:
            self.note(lost_note(item.address, self.account, lost, "this apply makes another"))


def lost_note(address: str, account: int, lost: Sequence[str], then: str) -> str:
    """The note about a creative's content an earlier apply sent and never heard back about
    (``lost``: :meth:`Made.unanswered`); ``then`` says what is done about it."""
    return (
        f"{address}: an earlier apply was stopped while creating its {' and '.join(lost)}, "
        "before its answer was read, so an unreferenced copy may exist "
        f"in account {account}; it never serves nor spends (no creative references it), "
        f"and LinkedIn offers no way to look it up; {then}"
    )


def unanswered_notes(plan: Plan, directory: Path, target: str) -> list[str]:
    """The note apply gives (:meth:`MessageMaker._lost`) for each creative ``plan`` creates whose
    InMail content or conversation an earlier apply against ``target`` sent and never heard back
    about, as the journals in ``directory`` say. Reads those files only: no API call (apply's check
    that what they name still exists changes nothing of what is said here)."""
    items = [
        (int(change.path[0]), Item(index, change.address, change.name, managed))
        for index, change in enumerate(plan.changes)
        if change.kind is Kind.CREATIVE
        and change.action in (Action.CREATE, Action.REPLACE)
        and isinstance(managed := (change.body.get("content") or {}).get("managed"), dict)
        and managed.get("kind") in REUSED
    ]
    known = recall(directory, target) if items else {}
    notes = []
    for account, item in items:
        made = known.get((item.address, content_key(account, item)))
        if made is None or REUSED[item.managed["kind"]] in made.urns:
            continue  # nothing recorded, or apply reuses what was made whole
        if lost := made.unanswered():
            notes.append(lost_note(item.address, account, lost, "applying this plan makes another"))
    return notes


# Per managed kind, the step whose URN recorded means apply reuses the content whole.
REUSED = {"message": "inmail", "conversation": "opening"}


def recalled_content(
    api: ContentApi, journal: Journal, account: int, items: Sequence[Item], note: Callable[[str], None]
) -> dict[int, Made]:
    """Per item, what earlier runs' journals (beside ``journal``'s file) say they made of its InMail
    content or conversation, less what LinkedIn no longer has (one batch get per kind)."""
    path = journal.path
    if path is None or not items or not journal.records:
        return {}
    known = recall(path.parent, str(journal.records[0].get("target")))
    out = {
        item.index: made
        for item in items
        if (made := known.get((item.address, content_key(account, item)))) is not None
    }
    inmails = {u for m in out.values() for s, u in m.urns.items() if s in ("inmail", "opening")}
    conversations = {m.urns["conversation"] for m in out.values() if "conversation" in m.urns}
    try:
        alive = set(api.inmails(inmails)) if inmails else set()
        alive |= set(api.conversations(conversations)) if conversations else set()
    except ApiError as error:
        # the journal is trusted then: one that is gone fails its creative, never duplicates it
        note(f"the InMail contents and conversations earlier runs made could not be checked ({error})")
        alive = inmails | conversations
    for item in items:
        for step in out[item.index].keep(alive) if item.index in out else ():
            what = WHAT.get(step, step.replace(":", " "))
            note(f"{item.address}: its {what} made by an earlier run is gone; making another")
    return out
