"""A live entity read from an answer holds what its model declares, or the answer is bad.

The model copies plain fields (names, flags, texts, times) as the answer gives them, and nested
ones through their own readers. :func:`checked` wraps a ``from_api`` so that an entity whose plain
fields hold an object or a list (where a text, number or flag belongs), or whose parent is not a URN
with a numeric id, raises TypeError, which the collection turns into one BadAnswer line, instead of
the planner or a renderer failing later on a value it could not expect. A scalar of another kind (a
text where a flag belongs) is left to the comparison, which shows it as a change.
"""

from __future__ import annotations

import dataclasses
import operator
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

E = TypeVar("E")

_SCALARS = (bool, int, float, str)
_PLAIN = frozenset({type(None), bool, int, float, str})
_PARENT = re.compile(r"urn:li:[A-Za-z]+:\d+")


def checked(parse: Callable[[Mapping[str, Any]], E]) -> Callable[[Mapping[str, Any]], E]:
    """``parse``, then :func:`check` of what it made (planned once per class it makes)."""
    plans: dict[type, Callable[[Any], None]] = {}

    def read(data: Mapping[str, Any]) -> E:
        entity = parse(data)
        kind = type(entity)
        plan = plans.get(kind)
        if plan is None:
            plan = plans[kind] = _plan(kind)
        plan(entity)
        return entity

    read.__doc__ = parse.__doc__
    return read


def check(entity: Any) -> None:
    """TypeError naming the first plain field of ``entity`` (or of its ``meta``) that holds an object
    or a list, or its parent when that is not a URN."""
    _plan(type(entity))(entity)


def _plan(cls: type) -> Callable[[Any], None]:
    """The check of one entity class. The types of all its plain values are tested at once (C-level,
    about a microsecond an entity); only a failure looks at them one by one to name the field."""
    own = _plain_fields(cls)
    meta_hint = typing.get_type_hints(cls).get("meta") if dataclasses.is_dataclass(cls) else None
    meta_cls = next((a for a in typing.get_args(meta_hint) if a is not type(None)), None)
    meta = _plain_fields(meta_cls) if meta_cls is not None else ()
    get_own = _getter(own)
    get_meta = _getter(meta)

    def run(entity: Any) -> None:
        values = get_own(entity)
        if not _PLAIN.issuperset(map(type, values)):
            _name_the_field(values, own)
        found = getattr(entity, "meta", None)
        if found is None or not meta:
            return
        values = get_meta(found)
        if not _PLAIN.issuperset(map(type, values)):
            _name_the_field(values, meta)
        parent = found.parent
        if parent is not None and not (type(parent) is str and _PARENT.fullmatch(parent)):
            raise TypeError(f"its parent reference is {_kind(parent)}, not a URN")

    return run


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        return lambda entity: (getattr(entity, names[0]),)
    return lambda _entity: ()


def _name_the_field(values: tuple[Any, ...], names: tuple[str, ...]) -> None:
    for value, name in zip(values, names, strict=True):
        if type(value) not in _PLAIN and not isinstance(value, str):  # a StrEnum's value is text
            raise TypeError(f"{name} is {_kind(value)}")


def _plain_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass ``cls`` declared as plain scalars (``bool | None``, ``str``, …)."""
    if not dataclasses.is_dataclass(cls):
        return ()
    hints = typing.get_type_hints(cls)
    out = []
    for field in dataclasses.fields(cls):
        hint = hints.get(field.name)
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        args = tuple(getattr(a, "__supertype__", a) for a in args if a is not type(None))  # NewType
        if args and all(a in _SCALARS for a in args):
            out.append(field.name)
    return tuple(out)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a text"
