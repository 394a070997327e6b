"""Deterministic YAML for imported manifests.

``yaml.safe_dump`` with ``sort_keys=False`` (the builders give keys in the reference order), block
style except for the values wrapped in :class:`Flow` / :class:`FlowMap` (short facet lists, run
schedules, post references), never anchors or aliases, unicode kept, no line folding. Dates and
datetimes are written unquoted, as the examples write them: the manifest loader reads YAML 1.2
scalars, where they are plain strings.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.emitter import ScalarAnalysis

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
WIDTH = 4096  # never fold a long line: a diff of an imported file should show whole values


class Flow(list[Any]):
    """A list written on one line: ``[a, b]``."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line: ``{start: 2027-01-04, end: 2027-04-01}``."""


# Plain scalars safe inside [..] and {..}: URNs, dates, words. No ',', brackets or ': '.
_FLOW_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.()/+-]*(?<!:)$")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key ("campaigns:\n  - name: …"), as the examples do.
        super().increase_indent(flow, False)

    def analyze_scalar(self, scalar: str) -> ScalarAnalysis:
        # PyYAML quotes any ':' in flow context; YAML only needs it to when ': ' or ':,' follows.
        analysis = super().analyze_scalar(scalar)
        if not analysis.allow_flow_plain and analysis.allow_block_plain and _FLOW_SAFE.match(scalar):
            analysis.allow_flow_plain = True
        return analysis


# Without the YAML 1.1 timestamp resolver the emitter sees no need to quote 2027-01-04.
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _flow_list(dumper: yaml.SafeDumper, data: Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flow_map(dumper: yaml.SafeDumper, data: FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _block_map(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_Dumper.add_representer(Flow, _flow_list)
_Dumper.add_representer(FlowMap, _flow_map)
_Dumper.add_representer(dict, _block_map)


def dump(document: dict[str, Any], header: list[str]) -> str:
    """The document as YAML text after ``header`` comment lines (each written as ``# line``)."""
    lines = [f"# {line}".rstrip() for line in header]
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=WIDTH,
    )
    return "\n".join(lines) + "\n" + body
