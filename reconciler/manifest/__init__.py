"""Manifests: YAML files -> validated desired state, or every problem with file:line:column.

Public API:

- :func:`load_project` (paths -> :class:`DesiredState`, raising ``ManifestError`` with all problems)
- :func:`validate_paths` (paths -> list of Problems, empty when valid)
- :func:`manifest_schema` (the JSON Schema of one manifest file)

Modules, in pipeline order: ``sources`` (paths -> files), ``loader`` (bytes -> Document with
positions), ``schema`` (JSON Schema -> Problems), ``build`` (Document -> records), ``merge``
(accounts split across files, defaults), ``targeting`` (audiences), ``rules`` and ``fields``
(semantic rules), ``desired`` (records -> model), ``project`` (the pipeline).
The package reads files; it never prints and never touches the network.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconciler.manifest.project import DesiredState, load_project, validate_paths
    from reconciler.manifest.schema import manifest_schema

__all__ = ["DesiredState", "load_project", "manifest_schema", "validate_paths"]

# The public names are imported when first used, not with the package: the process that checks
# files for :mod:`~reconciler.manifest.offload` imports only the loader and the schema, and starts
# in half the time.
_HOMES = {
    "DesiredState": "reconciler.manifest.project",
    "load_project": "reconciler.manifest.project",
    "validate_paths": "reconciler.manifest.project",
    "manifest_schema": "reconciler.manifest.schema",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
