"""Creates, for the executor: journalled, never re-sent blindly, and one entity per name.

A mixin of :class:`~reconciler.apply.executor.Executor`. A create is journalled before it is sent.
Its outcome, when unknown (timeout, dropped connection, 5xx, a temporary per-item error), is
resolved by looking the entity up by name under its parent (:mod:`reconciler.apply.lookup`): found
means adopted, absent means created again; never re-sent blindly. Once a create phase has answered,
the new entities' live siblings of the same name are checked, and the earliest kept
(:mod:`reconciler.apply.siblings`), before anything is created below them or activated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.api.collection import Collection, ItemResult
from reconciler.apply.content import ContentMaker
from reconciler.apply.events import ChangeResult, Listener, Notice
from reconciler.apply.journal import Journal
from reconciler.apply.lookup import find_by_name
from reconciler.apply.messages import Item
from reconciler.apply.siblings import remove as remove_duplicates
from reconciler.apply.siblings import settle
from reconciler.errors import ApiError, NotSent, QuotaExhausted, TemporaryApiError, UnknownOutcome
from reconciler.model import account_urn, campaign_urn, group_urn
from reconciler.plan import Action, Kind, ResourceChange

MAX_CREATE_ROUNDS = 3


@dataclass
class ChangeState:
    """What the executor knows of one change while it runs."""

    parent: int | None = None  # the parent's live id, once resolved (creates)
    created: int | None = None  # the new entity's id (creates and replaces)
    result: ChangeResult | None = None
    note: str = ""


class Creates:
    """The create steps of the executor."""

    client: LinkedInClient
    changes: Sequence[ResourceChange]
    state: dict[int, ChangeState]
    journal: Journal
    listener: Listener
    content: ContentMaker | None
    contents: dict[int, dict[str, Any]]  # change index -> the creative content made for it

    def _fail(self, index: int, error: ApiError, *, note: str = "") -> None:
        raise NotImplementedError  # the executor's

    def _succeeded(self, index: int) -> None:
        raise NotImplementedError  # the executor's

    def _create(self, kind: Kind, account: int, indexes: list[int]) -> None:
        collection = self._collection(kind, account)
        bodies = {i: self._create_body(i, account) for i in indexes}
        if kind is Kind.CREATIVE:
            indexes = self._make_content(account, indexes, bodies)
            if not indexes:
                return
        pending = list(indexes)
        errors: dict[int, ApiError] = {}
        for _round in range(MAX_CREATE_ROUNDS):
            self.journal.intents((self.changes[i], self.state[i].parent or 0) for i in pending)
            results = collection.batch_create([bodies[i] for i in pending])
            unknown = self._take_created(pending, results, errors)
            pending = self._resolve_unknown(kind, account, unknown, errors) if unknown else []
            if not pending:
                break
        for index in pending:
            note = f"not created after {MAX_CREATE_ROUNDS} attempts; run apply again"
            self._fail(index, errors[index], note=" ".join(filter(None, (note, self._replace_note(index)))))
        made = [i for i in indexes if self.state[i].created is not None and self.state[i].result is None]
        self._settle_siblings(kind, account, made)
        for index in made:
            self._succeeded(index)

    def _make_content(self, account: int, indexes: list[int], bodies: dict[int, dict[str, Any]]) -> list[int]:
        """Put in each managed creative's body the content made for it before the run's first write
        (see :meth:`make_contents`); the creatives whose content could not be made have failed."""
        for index in indexes:
            made = self.contents.get(index)
            if made is not None:
                bodies[index] = {**bodies[index], "content": made}
        return [i for i in indexes if self.state[i].result is None]

    def make_contents(self) -> None:
        """Make what every managed creative of the plan references (uploads, posts, …), per account,
        before anything else is written: a creative whose content cannot be made fails here, so it
        is never created half-built, and the old creative of its replace is not retired."""
        by_account: dict[int, list[Item]] = {}
        for index in sorted(self.state):
            change = self.changes[index]
            managed = (
                (change.body.get("content") or {}).get("managed") if change.kind is Kind.CREATIVE else None
            )
            if change.action in (Action.CREATE, Action.REPLACE) and isinstance(managed, dict):
                item = Item(index, change.address, change.name, managed)
                by_account.setdefault(int(change.path[0]), []).append(item)
        for account, items in by_account.items():
            if self.content is None:
                for item in items:
                    self._fail(
                        item.index,
                        ApiError("its content is made from files, and no project directory was given"),
                    )
                continue
            made = self.content.make(account, items, journal=self.journal, listener=self.listener)
            for item in items:
                result = made.get(item.index) or ApiError("its content was not made")
                if isinstance(result, ApiError):
                    self._fail(
                        item.index, result, note="its content could not be made; nothing was changed for it"
                    )
                else:
                    self.contents[item.index] = result["content"]

    def _settle_siblings(self, kind: Kind, account: int, made: list[int]) -> None:
        """Keep one entity of each name this run created: the earliest live one (see siblings.py)."""
        if not made:
            return
        created = {
            i: ((self.state[i].parent or 0, self.changes[i].name), self.state[i].created or 0) for i in made
        }
        try:
            found = find_by_name(self.client, account, kind, (pair for pair, _ in created.values()))
        except ApiError as error:
            self._tell(f"could not check the new {kind.value}s for duplicates ({error}); the next plan does")
            return
        verdict = settle(created, found)
        for index, keep in verdict.adopt.items():
            address, ours = self.changes[index].address, self.state[index].created
            self._tell(
                f"{address}: another apply created it too; kept the earliest (id {keep}), removed {ours}"
            )
            state = self.state[index]
            state.created = keep
            state.note = f"another apply created it at the same time: kept the earliest (id {keep})"
            self.journal.outcome("adopted", address, keep)
        try:
            problems = remove_duplicates(self._collection(kind, account), kind, verdict.remove)
        except ApiError as error:
            problems = [str(error)]
        for problem in problems:
            self._tell(f"a duplicate could not be removed: {problem}; the next plan removes it")

    def _tell(self, message: str) -> None:
        self.listener(Notice(message))

    def _take_created(
        self, pending: list[int], results: Sequence[ItemResult], errors: dict[int, ApiError]
    ) -> list[int]:
        unknown = []
        for index, result in zip(pending, results, strict=True):
            if result.ok and result.id is not None:
                self._created(index, result.id, "created")
            elif unsent(result.error):
                self.journal.outcome("unsent", self.changes[index].address)
            elif isinstance(result.error, UnknownOutcome | TemporaryApiError):
                errors[index] = result.error
                self.journal.outcome("unknown", self.changes[index].address, detail=result.error.message)
                unknown.append(index)
            else:
                error = result.error or ApiError("no result for this item")
                self._fail(index, error, note=self._replace_note(index))
        return unknown

    def _replace_note(self, index: int) -> str:
        """For a replace whose new entity failed: the old one is already retired, say so."""
        change = self.changes[index]
        if change.action is not Action.REPLACE:
            return ""
        return (
            f"the old {change.kind.value} (id {change.id}) was already renamed and archived (deleted if it "
            "was a DRAFT), so nothing serves in its place: fix the manifest and run apply again to create it"
        )

    def _resolve_unknown(
        self, kind: Kind, account: int, unknown: list[int], errors: dict[int, ApiError]
    ) -> list[int]:
        """Look for each unknown create by name under its parent; adopt what exists, return the rest."""
        wanted = {i: (self.state[i].parent or 0, self.changes[i].name) for i in unknown}
        try:
            found = find_by_name(self.client, account, kind, wanted.values())
        except ApiError as error:
            for index in unknown:
                note = "the create's outcome is unknown and looking it up failed; run apply again"
                self._fail(index, UnknownOutcome(f"{errors[index].message}; lookup: {error}"), note=note)
            return []
        absent = []
        for index in unknown:
            ids = found.get(wanted[index])
            address = self.changes[index].address
            if ids:
                self.listener(Notice(f"{address}: create outcome unknown; found it (id {ids[0]}), adopted"))
                self.state[index].note = "adopted: the create's answer was lost, the entity was found by name"
                self._created(index, ids[0], "adopted")
            else:
                self.journal.outcome("absent", address)
                self.listener(Notice(f"{address}: create outcome unknown; not found, creating it again"))
                absent.append(index)
        return absent

    def _created(self, index: int, entity_id: int, how: str) -> None:
        """Record a new entity; its result waits for the sibling check of its phase."""
        self.state[index].created = entity_id
        self.journal.outcome(how, self.changes[index].address, entity_id)

    def _create_body(self, index: int, account: int) -> dict[str, Any]:
        change = self.changes[index]
        parent = self.state[index].parent or 0
        body = dict(change.body)
        if change.kind is Kind.GROUP:
            return {**body, "account": account_urn(account)}
        if change.kind is Kind.CAMPAIGN:
            return {**body, "account": account_urn(account), "campaignGroup": group_urn(parent)}
        return {**body, "campaign": campaign_urn(parent)}

    def _collection(self, kind: Kind, account: int) -> Collection[Any]:
        if kind is Kind.GROUP:
            return self.client.groups(account)
        if kind is Kind.CAMPAIGN:
            return self.client.campaigns(account)
        return self.client.creatives(account)


def unsent(error: ApiError | None) -> bool:
    """Whether an item's error proves it was not written: never sent, or refused by the quota."""
    return isinstance(error, NotSent | QuotaExhausted)
