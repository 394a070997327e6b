"""File parts -> accounts: an account may be split across files that repeat its id.

Owns the rules about splitting: the currency (and name, prune and safety, when given) must agree between
files, ``defaults`` may be written once per account, and an audience name once per account. It also
applies the account's campaign defaults to every campaign that leaves a field out, recording that
the value came from ``defaults`` so problems cite the place it was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.errors import Problem
from reconciler.manifest.build import CampaignRec, CreativeRec, Fields, FilePart, GroupRec, Source
from reconciler.manifest.document import Loc


@dataclass
class AccountRec:
    """One ad account gathered from every file that mentions it."""

    id: int
    loc: Loc
    account: Fields = field(default_factory=Fields)
    defaults: Fields = field(default_factory=Fields)
    defaults_loc: Loc | None = None
    ignore_all: Fields = field(default_factory=Fields)
    audiences: dict[str, Source] = field(default_factory=dict)
    groups: list[GroupRec] = field(default_factory=list)

    @property
    def currency(self) -> str | None:
        """The account currency, when given validly."""
        value = self.account.get("currency")
        return value if isinstance(value, str) else None

    def campaigns(self) -> list[tuple[GroupRec, CampaignRec]]:
        """Every campaign with its group."""
        return [(g, c) for g in self.groups for c in g.campaigns]

    def creatives(self) -> list[tuple[CampaignRec, CreativeRec]]:
        """Every creative with its campaign."""
        return [(c, r) for _, c in self.campaigns() for r in c.creatives]


def merge_parts(parts: Sequence[FilePart]) -> tuple[list[AccountRec], list[Problem]]:
    """Gather parts by account id (in file order) and report disagreements between them."""
    accounts: dict[int, AccountRec] = {}
    problems: list[Problem] = []
    for part in parts:
        account_id = int(part.account.get("id"))
        account = accounts.get(account_id)
        if account is None:
            account = accounts[account_id] = AccountRec(account_id, part.account_loc)
        problems.extend(_merge(account, part))
    for account in accounts.values():
        _apply_defaults(account)
    return sorted(accounts.values(), key=lambda a: a.id), problems


def _merge(account: AccountRec, part: FilePart) -> list[Problem]:
    problems = [*_agree(account, part.account), *_merge_defaults(account, part)]
    for name, source in part.audiences.items():
        first = account.audiences.get(name)
        if first is None:
            account.audiences[name] = source
        else:
            message = f"audience '{name}' is already defined at {first.loc.key_position}"
            problems.append(source.loc.problem(message, at_key=True))
    account.groups.extend(part.groups)
    return problems


def _agree(account: AccountRec, given: Fields) -> list[Problem]:
    """Account settings repeated in another file must match the first file that gave them."""
    problems = []
    for name in ("currency", "name", "prune", "safety"):
        if name not in given.values:
            continue
        if name not in account.account.values:
            account.account.put(name, given.values[name], given.locs[name])
            continue
        first, value = account.account.values[name], given.values[name]
        if first != value:
            where = account.account.locs[name].position
            given_first = f"{_show(first)} given for account {account.id} at {where}"
            message = f"{name} {_show(value)} disagrees with {given_first}"
            problems.append(given.locs[name].problem(message))
    return problems


def _merge_defaults(account: AccountRec, part: FilePart) -> list[Problem]:
    if part.defaults_loc is None:
        return []
    if account.defaults_loc is not None:
        message = (
            f"account {account.id} already has defaults at {account.defaults_loc.key_position}; "
            "write them once per account"
        )
        return [part.defaults_loc.problem(message, at_key=True)]
    account.defaults_loc, account.defaults, account.ignore_all = (
        part.defaults_loc,
        part.defaults,
        part.ignore_all,
    )
    return []


def _apply_defaults(account: AccountRec) -> None:
    defaults = [(name, value, account.defaults.locs[name]) for name, value in account.defaults.values.items()]
    for _, campaign in account.campaigns():
        written = campaign.written
        for name, value, loc in defaults:
            # A field the campaign writes, even one the schema rejected, is never defaulted.
            if written.get(name) is None:
                campaign.fields.put(name, value, loc)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"'{value}'" if isinstance(value, str) else str(value)
