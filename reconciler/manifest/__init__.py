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

from reconciler.manifest.project import DesiredState, load_project, validate_paths
from reconciler.manifest.schema import manifest_schema

__all__ = ["DesiredState", "load_project", "manifest_schema", "validate_paths"]
