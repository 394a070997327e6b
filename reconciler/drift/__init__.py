"""Drift: how the live accounts depart from the manifests, who changed what, and when.

    result = check_drift(paths, client, target=target.description)
    text = render(result.report.to_dict(), "markdown")
    exit_code = 2 if result.report.drifted else 0

Modules: ``report`` (the frozen report and its dict form), ``detect`` (plan + live state -> report;
pins to gone entities), ``pipeline`` (one account's drift, as the plan pipeline's step: accounts are
checked one by one), ``check`` (the end-to-end check the CLI calls), ``merge`` (reports of disjoint
accounts into one), ``render`` (human, Markdown and JSON from the dict). Nothing here prints; only
``check`` reaches the network, through the client.
"""

from reconciler.drift.check import DriftResult, check_drift
from reconciler.drift.detect import Missing, detect, unpin_missing
from reconciler.drift.render import FORMATS, for_output, render, summary_line
from reconciler.drift.report import DriftItem, DriftReport, DriftState, FieldDrift

__all__ = [
    "FORMATS",
    "DriftItem",
    "DriftReport",
    "DriftResult",
    "DriftState",
    "FieldDrift",
    "Missing",
    "check_drift",
    "detect",
    "for_output",
    "render",
    "summary_line",
    "unpin_missing",
]
