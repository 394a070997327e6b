"""Apply: execute a Plan through the client — ordered, batched, journalled, crash-safe.

- :mod:`~reconciler.apply.phases`: the order (pure).
- :mod:`~reconciler.apply.executor`: the writes, unknown-outcome resolution, dependents skipped.
- :mod:`~reconciler.apply.lookup`: finding entities by name under their parent.
- :mod:`~reconciler.apply.journal`: the durable record of each run, and what a killed run left.
- :mod:`~reconciler.apply.stale`: refusing a saved plan once the world moved on.
- :mod:`~reconciler.apply.events`: the results and events the CLI turns into output.

Nothing here prints; see docs/apply.md.
"""

from reconciler.apply.content import ContentMaker, WaitPolicy, content_maker
from reconciler.apply.events import (
    ApplyReport,
    ChangeResult,
    ErrorInfo,
    Event,
    Listener,
    Notice,
    PhaseStarted,
    Status,
)
from reconciler.apply.executor import Executor, apply_plan, retired_name
from reconciler.apply.journal import JOURNAL_DIR, Journal, Unfinished, mark_reviewed, unfinished_runs, verify
from reconciler.apply.stale import check_live, check_manifests, check_origin, target_label

__all__ = [
    "JOURNAL_DIR",
    "ApplyReport",
    "ChangeResult",
    "ContentMaker",
    "ErrorInfo",
    "Event",
    "Executor",
    "Journal",
    "Listener",
    "Notice",
    "PhaseStarted",
    "Status",
    "Unfinished",
    "WaitPolicy",
    "apply_plan",
    "check_live",
    "check_manifests",
    "check_origin",
    "content_maker",
    "mark_reviewed",
    "retired_name",
    "target_label",
    "unfinished_runs",
    "verify",
]
