"""A compiled yes/no check of the manifest schema: the fast path for documents that are valid.

``jsonschema`` finds every error and says where, which the messages need, but it costs about 35 µs
per value: 3.6 s for the 5 MB of manifests of an account at LinkedIn's limits. Most documents are
valid, and for those a yes is all that is needed. :func:`compile_gate` turns the schema into nested
closures once; a document the gate accepts is valid, anything else goes to ``jsonschema`` for the
full list of errors.

The gate must never accept what ``jsonschema`` refuses, so it is conservative: it implements the
keywords the schema uses, each as ``jsonschema`` does, or stricter where ``jsonschema`` has subtler
rules (``1.0`` is not an integer here, ``enum``/``const``/``uniqueItems`` compare only plain
strings, numbers, booleans and null). A stricter no only costs time. A schema with any other
validating keyword compiles to no gate at all (``None``): every document then goes to
``jsonschema``, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only annotate (the editor's hover text, messages) and never fail a document.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
    | {"errorMessage", "patternErrorMessage", "markdownDescription", "deprecated"}
)
_PLAIN = (str, int, float, bool, type(None))


class Unsupported(Exception):
    """The schema uses a keyword the gate does not implement."""


def compile_gate(schema: Mapping[str, Any]) -> Check | None:
    """A check that is True only for documents valid against ``schema``; None if it can't be built."""
    try:
        return _Compiler(schema).compile(schema)
    except Unsupported:
        return None


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.compiling: set[str] = set()

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _yes
        if not isinstance(schema, Mapping):
            raise Unsupported(repr(schema))
        checks = []
        for keyword, value in schema.items():
            if keyword in ANNOTATIONS:
                continue
            build = _KEYWORDS.get(keyword)
            if build is None:
                raise Unsupported(keyword)
            checks.append(build(self, value, schema))
        return _all(checks)

    def ref(self, target: str) -> Check:
        """``$ref`` within the schema, compiled once and late (so a schema may refer to itself)."""
        if not target.startswith("#"):
            raise Unsupported(f"$ref {target}")
        if target in self.compiling:  # a schema that refers to itself: look it up when checking
            refs = self.refs
            return lambda instance: refs[target](instance)
        if target not in self.refs:
            self.compiling.add(target)
            self.refs[target] = self.compile(_pointer(self.root, target))
            self.compiling.discard(target)
        return self.refs[target]


def _pointer(root: Mapping[str, Any], target: str) -> Any:
    node: Any = root
    for part in target[1:].split("/")[1:] if target != "#" else []:
        try:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        except (KeyError, TypeError):
            raise Unsupported(f"$ref {target}") from None
    return node


def _yes(instance: Any) -> bool:
    return True


def _no(instance: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _yes
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance: first(instance) and second(instance)

    def check(instance: Any) -> bool:
        for c in checks:  # noqa: SIM110 - a loop is a third faster than all() over a generator
            if not c(instance):
                return False
        return True

    return check


# -- keywords -------------------------------------------------------------------------------------

_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
    "number": lambda x: isinstance(x, int | float) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
}


def _type(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    if not all(name in _TYPES for name in names):
        raise Unsupported(f"type {value}")
    tests = [_TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda x: any(test(x) for test in tests)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, for plain scalars only (otherwise: not known to be equal)."""
    return isinstance(a, _PLAIN) and type(a) is type(b) and a == b


def _enum(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    allowed = {(type(a), a) for a in value if isinstance(a, _PLAIN)}

    def check(x: Any) -> bool:
        try:
            return isinstance(x, _PLAIN) and (type(x), x) in allowed
        except TypeError:  # nan and the like are hashable; this is only for safety
            return False

    return check


def _const(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: _same(x, value)


def _pattern(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    search = re.compile(value).search
    return lambda x: not isinstance(x, str) or search(x) is not None


def _min_length(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, str) or len(x) >= value


def _max_length(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, str) or len(x) <= value


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _minimum(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not _is_number(x) or x >= value


def _maximum(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not _is_number(x) or x <= value


def _items(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    if not isinstance(value, Mapping | bool):
        raise Unsupported("items as a list")
    each = c.compile(value)

    def check(x: Any) -> bool:
        if isinstance(x, list):
            for item in x:
                if not each(item):
                    return False
        return True

    return check


def _min_items(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, list) or len(x) >= value


def _max_items(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, list) or len(x) <= value


def _unique_items(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    if not value:
        return _yes

    def check(x: Any) -> bool:
        if not isinstance(x, list):
            return True
        # Only lists of strings are judged here; jsonschema's rules for the rest are subtler.
        return all(isinstance(item, str) for item in x) and len(set(x)) == len(x)

    return check


def _properties(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    checks = {name: c.compile(sub) for name, sub in value.items()}

    def check(x: Any) -> bool:
        if not isinstance(x, dict):
            return True
        for name, item in x.items():
            sub = checks.get(name)
            if sub is not None and not sub(item):
                return False
        return True

    return check


def _additional_properties(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    if "patternProperties" in schema:
        raise Unsupported("patternProperties")
    known = frozenset(schema.get("properties", {}))
    if value is False:
        return lambda x: not isinstance(x, dict) or known.issuperset(x)
    each = c.compile(value)
    return lambda x: not isinstance(x, dict) or all(each(v) for k, v in x.items() if k not in known)


def _required(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    names = list(value)
    return lambda x: not isinstance(x, dict) or all(name in x for name in names)


def _min_properties(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, dict) or len(x) >= value


def _max_properties(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda x: not isinstance(x, dict) or len(x) <= value


def _property_names(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    each = c.compile(value)
    return lambda x: not isinstance(x, dict) or all(each(name) for name in x)


def _ref(c: _Compiler, value: Any, schema: Mapping[str, Any]) -> Check:
    return c.ref(value)


_KEYWORDS: dict[str, Callable[[_Compiler, Any, Mapping[str, Any]], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "minProperties": _min_properties,
    "maxProperties": _max_properties,
    "propertyNames": _property_names,
    "$ref": _ref,
}
