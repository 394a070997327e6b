"""JSON Schema validation of one document, with errors put in manifest terms.

The schema (``reconciler/schemas/manifest.schema.json``) is the single description of the format;
editors use it through the ``# yaml-language-server: $schema=...`` line. One validator runs it:
``jsonschema-rs`` (compiled once), whose yes/no check takes about 0.02 s for the 5 MB of manifests of
an account at LinkedIn's limits, and whose errors carry the instance path, the schema path and the
keyword's own values. Each error becomes a :class:`Problem` at the file:line:column of the offending
key or value, with a message a person can act on: unknown fields suggest the closest valid name,
enums list the allowed values, and the schema's own ``errorMessage`` / ``patternErrorMessage`` (the
keywords VS Code's YAML support also shows) are used where the schema gives them.

It also returns the paths the schema rejected, so the semantic rules can leave those values alone
instead of reporting the same mistake twice.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import jsonschema_rs

from reconciler.errors import Problem
from reconciler.manifest.document import Document, JsonPath, format_path
from reconciler.model.enums import FACET_URN

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def schema_text(name: str = "manifest") -> str:
    """The text of a JSON Schema shipped inside the package: ``manifest`` (one manifest file) or
    ``plan`` (a saved plan, ``plan.json``)."""
    return resources.files("reconciler").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")


@functools.cache
def manifest_schema() -> dict[str, Any]:
    """The manifest JSON Schema, as shipped inside the package."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


@functools.cache
def _validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(manifest_schema())


def schema_problems(doc: Document, reported: Iterable[JsonPath] = ()) -> tuple[list[Problem], set[JsonPath]]:
    """Every schema violation in ``doc`` as Problems, and the set of paths they reject.

    Errors at or below a path in ``reported`` (already reported by the loader) are dropped.
    """
    validator = _validator()
    data = doc.data
    try:
        if validator.is_valid(data):
            return [], set()
    except UnicodeEncodeError:
        # A lone surrogate cannot cross into the Rust validator. The sendable-text rule reports it
        # at its place; the schema judges the rest with it replaced.
        data = _without_surrogates(data)
        if validator.is_valid(data):
            return [], set()
    already = set(reported)
    problems: list[Problem] = []
    rejected: set[JsonPath] = set()
    for error in validator.iter_errors(data):
        for path, problem in _translate(doc, error):
            if not any(path[: len(p)] == p for p in already):
                problems.append(problem)
                rejected.add(path)
    return problems, rejected


def _translate(doc: Document, error: jsonschema_rs.ValidationError) -> list[tuple[JsonPath, Problem]]:
    path: JsonPath = tuple(error.instance_path)
    keyword = error.kind.name
    found = error.kind.as_dict()
    schema = _subschema(error.schema_path[:-1])
    value = _value_at(doc.data, path)
    if keyword == "propertyNames":
        key = found["error"].instance  # the inner error is about the name, a string
        key_path = (*path, str(key))
        message = _pattern_message(schema, key)
        return [(key_path, Problem(doc.key_position(key_path), format_path(key_path), message))]
    if keyword == "additionalProperties":
        known = schema.get("properties", {})
        return [_unknown_field(doc, path, key, sorted(known)) for key in found["unexpected"]]
    if keyword == "required":
        return [_missing_field(doc, path, found["property"])]
    if keyword == "uniqueItems":
        return [_duplicate_item(doc, path, value)]
    message = _message(keyword, schema, value, schema.get(keyword), path)
    where = doc.key_position(path) if value is None else doc.position(path)
    return [(path, Problem(where, format_path(path), message))]


def _without_surrogates(value: Any) -> Any:
    """``value`` with every unpaired surrogate in its strings (keys included) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def _subschema(location: Sequence[str | int]) -> dict[str, Any]:
    """The (sub)schema at ``location`` in the manifest schema (the keyword's own schema object)."""
    node: Any = manifest_schema()
    for part in location:
        node = node[part]
    return node if isinstance(node, dict) else {}


def _value_at(data: Any, path: JsonPath) -> Any:
    """The value at ``path`` in the document as loaded (not as converted for the validator, which
    reads a NaN as null)."""
    for part in path:
        data = data[part]
    return data


def _unknown_field(doc: Document, parent: JsonPath, key: str, known: list[str]) -> tuple[JsonPath, Problem]:
    path = (*parent, key)
    message = f"unknown field '{key}'"
    suggestion = suggest(key, known)
    if key.startswith(FACET_URN) and key.removeprefix(FACET_URN) in known:
        message += f" — write the facet by its short name '{key.removeprefix(FACET_URN)}'"
    elif suggestion:
        message += f" — did you mean '{suggestion}'?"
    elif known:
        message += f"; expected one of: {', '.join(known)}"
    return path, Problem(doc.key_position(path), format_path(path), message)


def _missing_field(doc: Document, parent: JsonPath, name: str) -> tuple[JsonPath, Problem]:
    where = doc.position(parent)
    return (*parent, name), Problem(where, format_path(parent), f"missing required field '{name}'")


def _duplicate_item(doc: Document, path: JsonPath, items: Sequence[Any]) -> tuple[JsonPath, Problem]:
    seen: list[Any] = []
    for index, item in enumerate(items):
        if item in seen:
            item_path = (*path, index)
            return item_path, Problem(
                doc.position(item_path), format_path(item_path), f"{_show(item)} is listed twice"
            )
        seen.append(item)
    return path, Problem(doc.position(path), format_path(path), "values must be unique")


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (case-insensitive match first), or None."""
    by_fold = {choice.casefold(): choice for choice in choices}
    if word.casefold() in by_fold:
        return by_fold[word.casefold()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _message(keyword: str, schema: dict[str, Any], value: Any, limit: Any, path: JsonPath) -> str:
    if keyword == "type":
        return _type_message(schema, value)
    if keyword == "enum":
        return _enum_message(value, [str(v) for v in limit])
    if keyword == "const":
        if path == ("version",):
            return f"unsupported manifest version {_show(value)}; this reconciler reads version {limit}"
        return f"must be {_show(limit)}, got {_show(value)}"
    if keyword == "pattern":
        return _pattern_message(schema, value)
    return _size_message(keyword, schema, value, limit)


def _size_message(keyword: str, schema: dict[str, Any], value: Any, limit: Any) -> str:
    if keyword == "minLength":
        return "must not be empty"
    if keyword == "maxLength":
        return f"is {len(value)} characters long; at most {limit} are allowed"
    if keyword == "minItems":
        if limit == 1 or not value:
            return "must not be an empty list" if limit == 1 else f"must list at least {limit} items"
        return f"lists {len(value)} item{'s' if len(value) != 1 else ''}; at least {limit} are needed"
    if keyword == "maxItems":
        return f"lists {len(value)} items; at most {limit} are allowed"
    if keyword == "minimum":
        return f"must be at least {limit}, got {_show(value)}"
    fields = sorted(schema.get("properties", {}))
    if keyword in ("minProperties", "maxProperties") and schema.get("errorMessage"):
        return str(schema["errorMessage"])
    if keyword == "minProperties" and not fields:
        return "must not be empty"
    if keyword == "minProperties":
        hint = f"give at least one of: {', '.join(fields)}" if len(fields) <= 6 else "give at least one facet"
        return f"must not be empty; {hint}"
    if keyword == "maxProperties":
        choices = ", ".join(fields) if len(fields) <= 6 else "them"
        return f"give only one of {choices}, not {' and '.join(sorted(value))}"
    return f"{_show(value)} is not valid here ({keyword} {_show(limit)})"


def _type_message(schema: dict[str, Any], value: Any) -> str:
    types = schema.get("type")
    names = [_TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types or [])]
    base = schema.get("errorMessage") or f"expected {' or '.join(names)}"
    got = f"got {_describe(value)}"
    if types == "boolean" and isinstance(value, str):
        got += " (only true and false are booleans)"
    return f"{base}; {got}"


def _enum_message(value: Any, allowed: list[str]) -> str:
    message = f"{_show(value)} is not one of {', '.join(allowed)}"
    guess = suggest(value, allowed) if isinstance(value, str) else None
    return f"{message} — did you mean '{guess}'?" if guess else message


def _pattern_message(schema: dict[str, Any], value: Any) -> str:
    hint = schema.get("patternErrorMessage") or f"must match {schema.get('pattern')}"
    return f"{hint}; got {_show(value)}"


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    return "a mapping" if isinstance(value, dict) else "a list"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else str(value)
