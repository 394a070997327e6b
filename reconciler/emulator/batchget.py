"""The answer of a content resource's BATCH_GET: one read per id, keyed by the reduced-encoded URN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.emulator.errors import ApiError, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.restli import Params, reduced_encode


def plain(error: ApiError) -> dict[str, Any]:
    """An id's error as the content resources answer it: its documented body, else message and status."""
    return error.body or {"message": error.message, "status": error.status}


def batch_get_body(
    params: Params,
    read: Callable[[str], dict[str, Any]],
    rendered: Callable[[ApiError], dict[str, Any]] = plain,
) -> dict[str, Any]:
    """``{results, statuses, errors}`` for ``ids=List(…)``: ``read`` each URN; an ApiError it
    raises is that id's error (rendered by ``rendered``). PARAM_INVALID when ``ids`` is empty."""
    urns = list_param(params, "ids")
    if not urns:
        raise param_invalid("ids")
    results, statuses, errors = {}, {}, {}
    for urn in urns:
        key = reduced_encode(urn)
        try:
            results[key] = read(urn)
            statuses[key] = 200
        except ApiError as error:
            errors[key] = rendered(error)
    return {"results": results, "statuses": statuses, "errors": errors}
