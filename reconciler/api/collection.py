"""The operations on one collection (ad accounts, or one account's groups, campaigns or creatives).

:class:`Collection` turns typed calls into :class:`~reconciler.api.restli.Request` values, hands them
to the :class:`~reconciler.api.wire.Wire`, and turns answers into model entities and
:class:`ItemResult` values. Reads raise on failure. Batch writes never raise for an API failure:
each item gets its own result, so a half-done batch is never mistaken for a failed one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from reconciler.api.errors import error_from_item
from reconciler.api.resources import E, ResourceSpec
from reconciler.api.restli import (
    Method,
    Request,
    body_key,
    created_id,
    encode_key,
    encode_params,
    encode_query,
    join_query,
    patch_body,
    reduced_decode,
)
from reconciler.api.wire import Wire
from reconciler.errors import ApiError, BadAnswer, TemporaryApiError, UnknownOutcome, clip

T = TypeVar("T")
R = TypeVar("R")
Mapper = Callable[[Callable[[T], R], Iterable[T]], list[R]]

DEFAULT_BATCH_SIZE = 200

# Python's own errors that reading a wrongly shaped answer raises (a list where an object belongs,
# a missing field, a text where a number belongs, absurd nesting): each becomes one BadAnswer.
_SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError, RecursionError)


@contextmanager
def reading(method: str, path: str, what: str = "the answer") -> Iterator[None]:
    """Turn a shape error raised while reading an answer into BadAnswer naming the request."""
    try:
        yield
    except _SHAPE_ERRORS as error:
        message = f"{what} has the wrong shape: {_shape(error)}"
        raise BadAnswer(message, status=200, method=method, path=path) from None


def unanswered(asked: Sequence[Any], answered: Iterable[Any], *, path: str) -> None:
    """BadAnswer when a batch get's answer holds some of the ``asked`` keys neither in its
    ``results`` nor in its ``errors`` (``answered``: the keys of both, decoded). Rest.li 2.0 answers
    every key of a BATCH_GET, and LinkedIn puts a key that does not exist in ``errors`` with status
    404; a key left out of both is a bad or partial answer, never an entity that is gone (which
    would plan a replace, or count an old creative as retired while it still runs)."""
    missing = set(asked).difference(answered)
    if missing:
        raise BadAnswer(
            f"the batch answer left out {len(missing)} of the {len(set(asked))} keys asked for "
            "(in neither its results nor its errors)",
            status=200,
            method="GET",
            path=path,
        )


def _shape(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {clip(str(error), 100)}"
    if isinstance(error, RecursionError):
        return "it nests too deeply"
    return clip(f"{type(error).__name__}: {error}", 200)


@dataclass(frozen=True)
class ItemResult:
    """The result of one item of a batch write.

    ``key`` is the entity id (batch update/delete) or the item's index in the input (batch create);
    ``id`` is the created entity's id (batch create); ``error`` is set exactly when ``ok`` is false.
    """

    key: int
    ok: bool
    id: int | None = None
    error: ApiError | None = None


@dataclass(frozen=True)
class Patch:
    """A partial update: whole top-level fields to set, and top-level fields to remove."""

    set: Mapping[str, Any] = field(default_factory=dict)
    delete: Sequence[str] = ()

    def to_api(self) -> dict[str, Any]:
        """``{"patch": {"$set": {...}, "$delete": [...]}}``."""
        return patch_body(self.set, self.delete)


def _unsure(error: ApiError, index: int, path: str) -> ApiError:
    """A batch create's error for one item: an unreadable answer leaves its outcome unknown."""
    if isinstance(error, BadAnswer):
        return UnknownOutcome(f"batch create item {index}: {error.message}", path=path, method="POST")
    return error


class _Ahead:
    """One call made on a thread of its own, its result (or exception) taken later. A read only:
    if nobody takes it, it is simply dropped."""

    def __init__(self, call: Callable[[str], dict[str, Any]], token: str) -> None:
        self._result: dict[str, Any] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call, token), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[str], dict[str, Any]], token: str) -> None:
        try:
            self._result = call(token)
        except BaseException as error:  # handed to the reader in result()
            self._error = error

    def result(self) -> dict[str, Any]:
        """The call's result, once it has ended; its exception if it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


class Collection(Generic[E]):
    """One collection at ``path`` (``/adAccounts/1/adCampaigns``), described by ``spec``.

    ``parallel`` maps a function over items concurrently (the client's shared pool).
    """

    def __init__(
        self,
        wire: Wire,
        spec: ResourceSpec[E],
        path: str,
        parallel: Mapper[Any, Any],
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.wire = wire
        self.spec = spec
        self.path = path
        self._parallel = parallel
        self._batch_size = batch_size

    # -- reads -------------------------------------------------------------------------------

    def get(self, entity_id: int) -> E:
        """The entity with ``entity_id``; NotFound if there is none."""
        path = self._entity_path(entity_id)
        data = self._call_json(Method.GET, path, entity_id=entity_id)
        with reading("GET", self.path):
            return self.spec.parse(data)

    def batch_get(self, ids: Iterable[int]) -> dict[int, E]:
        """The entities with these ids, by id; ids that do not exist (404 in the answer's
        ``errors``) are left out. BadAnswer when the answer holds an id in neither its ``results``
        nor its ``errors`` (see :func:`unanswered`)."""
        found: dict[int, E] = {}
        for chunk in self._parallel(self._batch_get_chunk, self._chunks(ids)):
            found.update(chunk)
        return found

    def search(self, criteria: Mapping[str, Any] | None = None, *, sort_order: str | None = None) -> list[E]:
        """Every entity matching ``criteria``, all pages (see :meth:`pages`)."""
        return [entity for page in self.pages(criteria, sort_order=sort_order) for entity in page]

    def pages(
        self, criteria: Mapping[str, Any] | None = None, *, sort_order: str | None = None
    ) -> Iterator[list[E]]:
        """Pages of a finder, following ``metadata.nextPageToken`` until it is absent.

        The page size is the largest allowed and stays the same on every page, as LinkedIn requires.
        ``criteria`` are finder fields: for ``q=search`` collections a list means "any of", e.g.
        ``{"status": ["ACTIVE"], "test": False}``; for creatives (``q=criteria``) they are parameters,
        e.g. ``{"campaigns": [urn, ...]}``. ``sort_order`` is ``ASCENDING`` or ``DESCENDING`` (by id).
        """
        base = {**self.spec.finder_params(criteria), "pageSize": self.spec.page_size, "sortOrder": sort_order}
        fixed = encode_params(base)  # the criteria, encoded once for every page

        def fetch(token: str | None) -> dict[str, Any]:
            query = join_query({**fixed, **encode_params({"pageToken": token})})
            return self._call_json(Method.FINDER, self.path, query=query)

        seen: set[str] = set()
        data = fetch(None)
        while True:
            token = self._next_token(data, seen)
            # The next page is asked for before this one is turned into entities (and handed on):
            # the pages of one search come one after the other, so the time spent on each one here
            # (12 ms for 1,000 campaigns) would otherwise add up on the critical path of a read.
            ahead = _Ahead(fetch, token) if token else None
            with reading("GET", self.path):
                elements = data.get("elements") or []
                if not isinstance(elements, list):
                    raise TypeError("its elements are not a list")
                page = [self.spec.parse(element) for element in elements]
            yield page
            if ahead is None:
                return
            seen.add(token or "")
            data = ahead.result()

    def _next_token(self, data: Mapping[str, Any], seen: set[str]) -> str | None:
        """The page token to ask for next, if any; BadAnswer when paging repeats a token, or goes on
        for more pages than an account at LinkedIn's limits could fill (:attr:`ResourceSpec.max_pages`)."""
        with reading("GET", self.path):
            metadata = data.get("metadata") or {}
            token = metadata.get("nextPageToken")
        if token is None or token == "":
            return None
        if not isinstance(token, (str, int)):
            raise BadAnswer(
                "the answer's nextPageToken is not a text", status=200, method="GET", path=self.path
            )
        token = str(token)
        if token in seen:
            raise BadAnswer(
                f"paging did not advance (page token {clip(token, 40)!r} repeated)",
                status=200,
                method="GET",
                path=self.path,
            )
        if len(seen) + 1 >= self.spec.max_pages:
            raise BadAnswer(
                f"paging did not end after {self.spec.max_pages:,} pages of {self.spec.page_size:,}, more "
                f"than an account at LinkedIn's limits holds ({self.spec.max_entities:,} {self.spec.name})",
                status=200,
                method="GET",
                path=self.path,
            )
        return token

    def search_partitions(self, partitions: Sequence[Mapping[str, Any]]) -> list[E]:
        """Every entity of several finder queries read concurrently, each with its own cursor.

        Results follow the order of ``partitions``; make them disjoint (e.g. creatives of disjoint
        campaign sets) or an entity comes back once per partition that matches it.
        """
        pages = self._parallel(self.search, partitions)
        return [entity for page in pages for entity in page]

    # -- writes ------------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any]) -> int:
        """Create one entity from its API body (the model's ``to_api(...)``); its new id.

        Raises UnknownOutcome when it cannot be known whether the entity was created.
        """
        response = self._call(Method.CREATE, self.path, body=dict(body))
        try:
            new_id = created_id(response.headers)
            if new_id is not None:
                return self.spec.entity_id(new_id)
        except ValueError:
            pass
        raise UnknownOutcome(
            "created, but the answer named no usable id; look the entity up",
            status=response.status_code,
            method="POST",
            path=self.path,
        )

    def batch_create(self, bodies: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
        """Create several entities; one result per body, ``key`` = its index, in input order."""
        chunks = self._split(list(enumerate(bodies)))
        return [r for chunk in self._parallel(self._batch_create_chunk, chunks) for r in chunk]

    def partial_update(
        self, entity_id: int, set_fields: Mapping[str, Any] | None = None, delete: Sequence[str] = ()
    ) -> None:
        """Set whole top-level fields and remove others (``$set`` / ``$delete``) on one entity."""
        body = patch_body(set_fields or {}, delete)
        self._call(Method.PARTIAL_UPDATE, self._entity_path(entity_id), body=body, entity_id=entity_id)

    def batch_partial_update(self, patches: Mapping[int, Patch]) -> list[ItemResult]:
        """Patch several entities; one result per id, in input order."""
        return self._batch_write(Method.BATCH_PARTIAL_UPDATE, list(patches), patches)

    def delete(self, entity_id: int) -> None:
        """Delete one entity (LinkedIn allows it only in DRAFT)."""
        self._call(Method.DELETE, self._entity_path(entity_id), entity_id=entity_id)

    def batch_delete(self, ids: Iterable[int]) -> list[ItemResult]:
        """Delete several entities; one result per id, in input order."""
        return self._batch_write(Method.BATCH_DELETE, list(ids), None)

    # -- helpers -----------------------------------------------------------------------------

    def _call(
        self,
        method: Method,
        path: str,
        *,
        query: str = "",
        body: Any = None,
        entity_id: int | None = None,
    ) -> httpx.Response:
        request = Request(method, self.spec.name, path, query, body)
        try:
            return self.wire.call(request)
        except ApiError as error:
            if entity_id is None:
                raise
            raise error.with_resource(self._label(entity_id)) from error

    def _call_json(
        self,
        method: Method,
        path: str,
        *,
        query: str = "",
        body: Any = None,
        entity_id: int | None = None,
    ) -> dict[str, Any]:
        """:meth:`_call`, the answer read as a JSON object (BadAnswer when it is not one)."""
        response = self._call(method, path, query=query, body=body, entity_id=entity_id)
        try:
            return self.wire.json(Request(method, self.spec.name, path, query, body), response)
        except ApiError as error:
            if entity_id is None:
                raise
            raise error.with_resource(self._label(entity_id)) from None

    def _entity_path(self, entity_id: int) -> str:
        return f"{self.path}/{encode_key(self.spec.key(entity_id))}"

    def _ids_query(self, ids: Sequence[int]) -> str:
        return encode_query({"ids": [self.spec.key(i) for i in ids]})

    def _chunks(self, ids: Iterable[int]) -> list[list[int]]:
        return self._split(list(dict.fromkeys(ids)))

    def _split(self, items: list[T]) -> list[list[T]]:
        size = self._batch_size
        return [items[i : i + size] for i in range(0, len(items), size)]

    def _batch_get_chunk(self, ids: list[int]) -> dict[int, E]:
        data = self._call_json(Method.BATCH_GET, self.path, query=self._ids_query(ids))
        with reading("GET", self.path):
            errors = {self._id_of(k): v for k, v in (data.get("errors") or {}).items()}
            for key, error in errors.items():
                item = error_from_item(None, error, method="GET", path=self.path)
                if item.status != 404:
                    raise item.with_resource(self._label(key))
            found = {self._id_of(k): self.spec.parse(v) for k, v in (data.get("results") or {}).items()}
        unanswered(ids, found.keys() | errors.keys(), path=self.path)
        return found

    def _batch_create_chunk(self, items: list[tuple[int, Mapping[str, Any]]]) -> list[ItemResult]:
        body = {"elements": [dict(b) for _, b in items]}
        try:
            data = self._call_json(Method.BATCH_CREATE, self.path, body=body)
            with reading("POST", self.path):
                elements = data.get("elements") or []
                if not isinstance(elements, list):
                    raise TypeError("elements is not a list")
                return [self._created_item(index, elements, pos) for pos, (index, _) in enumerate(items)]
        except ApiError as error:
            # The batch may have created some (or all) of them: an answer we cannot read proves nothing.
            return [ItemResult(index, False, error=_unsure(error, index, self.path)) for index, _ in items]

    def _created_item(self, index: int, elements: list[Any], pos: int) -> ItemResult:
        element = elements[pos] if pos < len(elements) and isinstance(elements[pos], Mapping) else {}
        status = element.get("status")
        if isinstance(status, int) and 200 <= status < 300 and element.get("id") is not None:
            return ItemResult(index, True, id=self.spec.entity_id(reduced_decode(str(element["id"]))))
        error = error_from_item(status, element.get("error"), method="POST", path=self.path)
        if isinstance(error, TemporaryApiError) or not element:
            error = UnknownOutcome(f"batch create item {index}: {error.message}", path=self.path)
        return ItemResult(index, False, error=error)

    def _batch_write(
        self, method: Method, ids: list[int], patches: Mapping[int, Patch] | None
    ) -> list[ItemResult]:
        def one_chunk(chunk: list[int]) -> list[ItemResult]:
            body = None
            if patches is not None:
                body = {"entities": {body_key(self.spec.key(i)): patches[i].to_api() for i in chunk}}
            try:
                data = self._call_json(method, self.path, query=self._ids_query(chunk), body=body)
                with reading(method.http_method, self.path):
                    return self._write_results(chunk, data, method)
            except ApiError as error:
                return [ItemResult(i, False, error=error) for i in chunk]

        return [r for chunk in self._parallel(one_chunk, self._chunks(ids)) for r in chunk]

    def _write_results(self, ids: list[int], data: Mapping[str, Any], method: Method) -> list[ItemResult]:
        results = {self._id_of(k): v for k, v in (data.get("results") or {}).items()}
        errors = {self._id_of(k): v for k, v in (data.get("errors") or {}).items()}
        out = []
        for entity_id in ids:
            status = (results.get(entity_id) or {}).get("status")
            if entity_id not in errors and isinstance(status, int) and 200 <= status < 300:
                out.append(ItemResult(entity_id, True))
                continue
            if entity_id in errors or status is not None:
                error = error_from_item(
                    status, errors.get(entity_id), method=method.http_method, path=self.path
                )
            else:
                error = ApiError("the batch answer has no result for this id", path=self.path)
            out.append(ItemResult(entity_id, False, error=error.with_resource(self._label(entity_id))))
        return out

    def _label(self, entity_id: int) -> str:
        return f"{self.spec.label} {entity_id}"

    def _id_of(self, key: str) -> int:
        return self.spec.entity_id(reduced_decode(key))
