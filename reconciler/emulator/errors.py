"""Error values of the emulator and the JSON envelopes LinkedIn wraps them in.

Owns: the exceptions the emulator's rules and routes raise, and their rendering into the two
envelopes LinkedIn uses (reference §7.1):

* the *new* envelope (``code``, ``errorDetailType``, ``errorDetails.inputErrors[].input.inputPath``)
  answered by ``adAccounts``, ``adCampaignGroups`` and ``adCampaigns``;
* the *classic* envelope (``message``, ``serviceErrorCode``, ``status``) answered by ``creatives``
  and by the protocol layer (routing, auth, throttling).

Must not: know about HTTP transports or the store. Rendering never includes request headers, so
an access token can never leak into a response body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JsonObj = dict[str, Any]

BAD_REQUEST_TYPE = "com.linkedin.common.error.BadRequest"
MULTIPLE = "MULTIPLE_VALIDATIONS_FAILED"
# serviceErrorCode of LinkedIn's classic validation failures (reference §4.1 sample).
CLASSIC_VALIDATION_CODE = 10007


class Envelope(StrEnum):
    """Which error body shape a resource answers with."""

    NEW = "new"
    CLASSIC = "classic"


@dataclass(frozen=True)
class InputError:
    """One problem with one input field; ``conditional`` when it depends on another entity."""

    code: str
    field_path: str
    description: str
    conditional: bool = False

    def to_json(self) -> JsonObj:
        return {
            "code": self.code,
            "description": self.description,
            "input": {"inputPath": {"fieldPath": self.field_path}},
        }


class EmulatorError(Exception):
    """Root of the emulator's own exceptions: an API answer other than success."""


@dataclass
class ApiError(EmulatorError):
    """An error answer: status, constant code, message and the field problems behind it.

    Rendered per resource envelope by :func:`render`; ``body`` overrides rendering when the
    reference documents an exact body (401, 426, PARAM_INVALID, "too many entities").
    """

    status: int
    code: str
    message: str
    inputs: list[InputError] = field(default_factory=list)
    body: JsonObj | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


class Problems:
    """Collects every validation problem of one write, then raises them all at once."""

    def __init__(self) -> None:
        self.items: list[InputError] = []

    def add(self, code: str, path: str, description: str, *, conditional: bool = False) -> None:
        self.items.append(InputError(code, path, description, conditional))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise one 400 carrying every collected problem; do nothing when there is none."""
        if not self.items:
            return
        if len(self.items) == 1:
            only = self.items[0]
            raise ApiError(400, only.code, only.description, list(self.items))
        raise ApiError(
            400,
            MULTIPLE,
            "Multiple errors occurred during the input validation. "
            "Please see errorDetails for more information.",
            list(self.items),
        )


def refusal(code: str, path: str, message: str) -> ApiError:
    """A 400 for one problem with one field (renders in either envelope with its code)."""
    return ApiError(400, code, message, [InputError(code, path, message)])


def not_found(what: str) -> ApiError:
    """404 for a missing entity (``NOT_FOUND`` is in LinkedIn's registry)."""
    return ApiError(404, "NOT_FOUND", f"{what} does not exist")


def param_invalid(param: str, value: str | None = None) -> ApiError:
    """The documented 400 for a query parameter with a wrong type or a syntax error (§2.1).

    ``value``: the offending value of a typed parameter (an enum symbol or URN that does not fit);
    the description names it and the input carries it as ``input.value`` (GUESS: the docs show the
    ``inputErrors`` shape but no sample for an enum criterion).
    """
    description = "Invalid value for param; wrong type or other syntax error"
    source: dict[str, Any] = {"inputPath": {"fieldPath": param}}
    if value is not None:
        description = f"Invalid value {value!r} for param {param}; not a symbol of its type"
        source["value"] = value
    body = {
        "errorDetailType": BAD_REQUEST_TYPE,
        "message": "Invalid param. Please see errorDetails for more information.",
        "errorDetails": {
            "inputErrors": [{"description": description, "input": source, "code": "PARAM_INVALID"}]
        },
        # A bug report quotes the body without it; a connector's test of a real answer has it.
        "status": 400,
    }
    return ApiError(
        400, "PARAM_INVALID", "Invalid param", [InputError("PARAM_INVALID", param, description)], body=body
    )


def missing_param(name: str) -> ApiError:
    """400 for a required query parameter that is absent (classic envelope; GUESS: the wording)."""
    return classic(400, f"Parameter '{name}' is required")


def classic(status: int, message: str, service_code: int | None = None, code: str = "") -> ApiError:
    """An error that always renders as the classic envelope (protocol-level failures)."""
    body = {
        "message": message,
        "serviceErrorCode": status if service_code is None else service_code,
        "status": status,
    }
    return ApiError(status, code or str(status), message, body=body)


def render(error: ApiError, envelope: Envelope) -> JsonObj:
    """The JSON body LinkedIn would send for ``error`` from a resource using ``envelope``."""
    if error.body is not None:
        return error.body
    if envelope is Envelope.CLASSIC:
        return _render_classic(error)
    return _render_new(error)


def _render_new(error: ApiError) -> JsonObj:
    body: JsonObj = {"status": error.status, "code": error.code, "message": error.message}
    if error.inputs:
        plain = [e.to_json() for e in error.inputs if not e.conditional]
        cond = [e.to_json() for e in error.inputs if e.conditional]
        body["errorDetailType"] = BAD_REQUEST_TYPE
        body["errorDetails"] = {"inputErrors": plain, "conditionalInputErrors": cond}
    return body


def _render_classic(error: ApiError) -> JsonObj:
    if not error.inputs:
        return {"message": error.message, "serviceErrorCode": error.status, "status": error.status}
    # The classic validation message lists every reason in Java's map notation (reference §4.1).
    reasons = ", ".join(
        f"{{reason={e.code}, field={e.field_path}, type=INVALID_VALUE, message={e.description}}}"
        for e in error.inputs
    )
    return {
        "message": f"Validation failed because [{reasons}]",
        "serviceErrorCode": CLASSIC_VALIDATION_CODE,
        "status": error.status,
    }
