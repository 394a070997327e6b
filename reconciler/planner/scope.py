"""``--only``: the part of the manifests a partial plan covers.

An address is a resource path as plans print it, ``500000001 / Brand / Brand — US``: an ad account
id, a campaign group, a campaign, a creative, separated by `` / ``. The account id may be left out
(``Brand / Brand — US``). An address covers its resource and everything below it; a resource
above a covered one is *needed* by it (a campaign cannot be created in a group that does not
exist), so it is planned only as far as creating or replacing it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Path = tuple[str, ...]
SEPARATOR = " / "


def parse_address(text: str) -> Path:
    """``"1 / Brand / US"`` -> ``("1", "Brand", "US")``; ValueError for an empty address or part."""
    parts = tuple(part.strip() for part in text.split(SEPARATOR.strip()))
    if not text.strip() or not all(parts):
        raise ValueError(
            f"--only {text!r}: not an address; write it as the plan prints it, "
            "e.g. '500000001 / Brand / Brand — US'"
        )
    return parts


@dataclass(frozen=True)
class Scope:
    """The addresses a partial plan covers (none: the whole of the manifests)."""

    addresses: tuple[Path, ...] = ()

    @classmethod
    def parse(cls, texts: Iterable[str]) -> Scope:
        """A scope from ``--only`` values; ValueError for one that is not an address."""
        return cls(tuple(parse_address(t) for t in texts))

    @property
    def partial(self) -> bool:
        """Whether this is a partial plan."""
        return bool(self.addresses)

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is an addressed resource or below one (always, for a whole plan)."""
        if not self.addresses:
            return True
        return any(_under(path, a) or _under(path[1:], a) for a in self.addresses)

    def needs(self, path: Path) -> bool:
        """Whether ``path`` is covered, or above a covered resource (so must exist for it)."""
        if self.covers(path):
            return True
        return any(_under(a, path) or _under(a, path[1:]) for a in self.addresses if len(a) > 0)

    def names(self, path: Path) -> bool:
        """Whether an address names ``path`` itself."""
        return any(a in (path, path[1:]) for a in self.addresses)

    def describe(self) -> str:
        """The addresses as the plan prints them, comma-separated."""
        return ", ".join(SEPARATOR.join(a) for a in self.addresses)


def _under(path: Path, prefix: Path) -> bool:
    return len(path) >= len(prefix) and path[: len(prefix)] == prefix
