"""A creative's content of one kind as written -> :class:`ManagedContent` with its files read.

Each file field is looked up in the :class:`AssetStore` (confined to the project, read and hashed
once), judged against the ad specs of its use (:mod:`reconciler.manifest.adspecs`), and replaced in
the spec by its path from the project root. A conversation's tree is checked here too. Every problem
is cited at the field (file:line:column) and all are returned; content with any problem is not built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest.adspecs import FILE_SPECS, conversation_problems, file_problems
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
    """``content`` (its spec as written, at ``loc``: the kind's body) with its files read; or None
    and every problem found. Fields at paths ``clean`` says the schema rejected are left alone."""
    problems: list[Problem] = []
    problems_left = False
    spec = _plain(content.spec)
    files: dict[str, AssetFile] = {}
    for path, media in file_fields(content.kind, content.spec):
        written = _at(content.spec, path)
        where = loc.child(*path)
        if not isinstance(written, str) or not clean(where.path):
            problems_left = True  # the schema reported it
            continue
        found = context.store.get(written, context.manifest_dir, context.root, media)
        if isinstance(found, str):
            problems.append(where.problem(found))
            continue
        problems.extend(where.problem(message) for message in _spec_problems(content.kind, path, found))
        _put(spec, path, found.file.path)
        files.setdefault(found.file.path, found.file)
    if content.kind == "conversation":
        problems.extend(loc.child(*path).problem(message) for path, message in conversation_problems(spec))
    if problems or problems_left:
        return None, problems
    return ManagedContent(content.kind, spec, tuple(files.values())), []


def _spec_problems(kind: str, path: tuple[str | int, ...], asset: Asset) -> list[str]:
    spec = FILE_SPECS.get((kind, str(path[-1])))
    return file_problems(spec, asset.file.size, asset.info) if spec is not None else []


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _put(data: Any, path: tuple[str | int, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
