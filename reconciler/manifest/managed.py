"""A creative's content of one kind as written -> :class:`ManagedContent` with its files read.

Each file field is looked up in the :class:`AssetStore` (confined to the project, read and hashed
once), judged against the ad specs of its use (:mod:`reconciler.manifest.adspecs`), and replaced in
the spec by its path from the project root. A conversation's tree is checked here too. Every problem
is cited at the field (file:line:column) and all are returned; content with any problem is not built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest.adspecs import FILE_SPECS, body_problems, file_problems
from reconciler.manifest.assets import Asset, AssetStore
from reconciler.manifest.document import JsonPath, Loc
from reconciler.model import AssetFile, ManagedContent, file_fields


@dataclass(frozen=True)
class AssetContext:
    """Where the files a document names are looked for: the manifest's directory and the project
    root, and the store that reads them for the whole load."""

    store: AssetStore
    manifest_dir: str
    root: str


def build_managed(
    content: ManagedContent, loc: Loc, context: AssetContext, clean: Callable[[JsonPath], bool]
) -> tuple[ManagedContent | None, list[Problem]]:
    """``content`` (its spec as written, the body at ``content.<kind>`` of the creative at ``loc``)
    with its files read; or None and every problem found. Fields at paths ``clean`` says the schema
    rejected are left alone.

    The spec shares what it does not change with the document's data (only the containers on the
    way to a file field are copied): at the limits, 15,000 creatives are built in one load. Places
    are made only for problems."""
    problems: list[Problem] = []
    problems_left = False
    spec: Any = content.spec
    files: dict[str, AssetFile] = {}
    at = ("content", content.kind)  # the body, below the creative
    base = (*loc.path, *at)
    for path, media in file_fields(content.kind, content.spec):
        written = _at(content.spec, path)
        if not isinstance(written, str) or not clean((*base, *path)):
            problems_left = True  # the schema reported it
            continue
        found = context.store.get(written, context.manifest_dir, context.root, media)
        if isinstance(found, str):
            problems.append(loc.child(*at, *path).problem(found))
            continue
        for message in _spec_problems(content.kind, path, found):
            problems.append(loc.child(*at, *path).problem(message))
        if found.file.path != written:
            spec = _replaced(spec, path, found.file.path)
        files.setdefault(found.file.path, found.file)
    for path, message in body_problems(content.kind, spec):
        if clean((*base, *path)):  # a value the schema rejected is its business
            problems.append(loc.child(*at, *path).problem(message, at_key=path[-1] not in _AT_VALUE))
    if problems or problems_left:
        return None, problems
    return ManagedContent(content.kind, spec, tuple(files.values())), []


_AT_VALUE = frozenset({"next", "callToAction", "body", "label", "subject"})  # problems of the value
_SPEC_PROBLEMS: dict[tuple[str, str, str, int], list[str]] = {}


def _spec_problems(kind: str, path: tuple[str | int, ...], asset: Asset) -> list[str]:
    """The ad-spec problems of a file in one use; the same file in the same use is judged once."""
    field = str(path[-1])
    key = (kind, field, asset.file.sha256, asset.file.size)
    found = _SPEC_PROBLEMS.get(key)
    if found is None:
        spec = FILE_SPECS.get((kind, field))
        found = file_problems(spec, asset.file.size, asset.info) if spec is not None else []
        if len(_SPEC_PROBLEMS) < 100_000:  # bounded: distinct files x uses
            _SPEC_PROBLEMS[key] = found
    return found


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _replaced(data: Any, path: tuple[str | int, ...], value: str) -> Any:
    """A copy of ``data`` with ``value`` at ``path``; only the containers on the path are copied."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, list):
        out = list(data)
        out[int(head)] = _replaced(data[int(head)], rest, value)
        return out
    return {**data, str(head): _replaced(data[head], rest, value)}
