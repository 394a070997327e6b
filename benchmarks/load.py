"""CPU of loading the manifests of the content scenario (15,000 image ads over 500 files), offline.

    python benchmarks/load.py                        # generate the manifests (about a minute), measure
    python benchmarks/load.py PATH --repeat 9        # manifests already made (e.g. kept by limits.py)

No emulator is served: the manifests are those of ``limits.py --only content`` (the groups and
campaigns generated and imported, then 15,000 image ads written over 500 PNG files). Prints:

- **load**: this thread's CPU of ``load_project`` (median over ``--repeat``), the YAML parsed in the
  child process as in a plan (``--in-process``: here, ``RECONCILER_MANIFEST_WORKER=0``);
- **stages**: the files parsed once, then the CPU of each stage after parsing (fastest of
  ``--repeat``): building the records (``Builder.part``, files read through a new AssetStore each
  time), merge, targeting, rules, and the model. GC is off, as in a plan.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common import LIMITS, ROOT
from content import prepare_content

from reconciler.gcpause import paused_gc
from reconciler.manifest import project
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.build import Builder, FilePart
from reconciler.manifest.managed import AssetContext
from reconciler.manifest.merge import AccountRec, merge_parts
from reconciler.manifest.names import Pins
from reconciler.manifest.offload import check_all
from reconciler.manifest.rules import account_rules
from reconciler.manifest.sources import discover, read
from reconciler.manifest.targeting import resolve_targeting


def load_cpu(path: Path, repeat: int) -> float:
    """Median CPU seconds of this thread in ``load_project([path])``."""
    spent = []
    for _ in range(repeat):
        began = time.thread_time()
        state = project.load_project([path])
        spent.append(time.thread_time() - began)
        del state
        gc.collect()
    return statistics.median(spent)


def stage_cpu(path: Path, repeat: int) -> dict[str, float]:
    """Fastest CPU seconds of each stage after parsing (see the module docstring)."""
    files, problems = discover([path])
    contents = [(file, read(file)) for file in files]
    checked = list(check_all([(file.name, raw) for file, raw in contents if isinstance(raw, bytes)]))
    assert not problems and all(c.parsed.document is not None and not c.found for c in checked)

    def parts() -> list[FilePart]:
        store, out = AssetStore(), []
        for (file, _raw), check in zip(contents, checked, strict=True):
            assert check.parsed.document is not None
            context = AssetContext(store, str(file.path.parent), str(file.root))
            part = Builder(check.parsed.document, check.rejected, context).part()
            assert part is not None
            out.append(part)
        return out

    spent: dict[str, list[float]] = {}

    def timed(name: str, work: Callable[..., Any], *args: Any) -> Any:
        began = time.thread_time()
        result = work(*args)
        spent.setdefault(name, []).append(time.thread_time() - began)
        return result

    with paused_gc():  # as in a plan
        for _ in range(repeat):
            pins = project.project_pins([path], [])
            accounts, _ = timed("merge", merge_parts, timed("records", parts))
            timed("targeting", _targeting, accounts, pins)
            timed("rules", _rules, accounts)
            timed("model", project.build_model, accounts)
            del accounts
            gc.collect()
    fastest = {name: min(times) for name, times in spent.items()}
    fastest["total"] = sum(fastest.values())
    return fastest


def _targeting(accounts: list[AccountRec], pins: Pins) -> None:
    for account in accounts:
        resolve_targeting(account, pins)


def _rules(accounts: list[AccountRec]) -> None:
    for account in accounts:
        account_rules(account)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="the manifests (default: generate them)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--in-process", action="store_true", help="parse the YAML in this process")
    args = parser.parse_args(argv)
    if args.in_process:
        os.environ["RECONCILER_MANIFEST_WORKER"] = "0"
    work = ROOT / "benchmarks" / "results" / "work-load"
    path = args.path
    if path is None:
        print("generating the content scenario's manifests ...", file=sys.stderr)
        path = prepare_content(work, LIMITS)[0].manifests
    try:
        print(f"load: {load_cpu(path, args.repeat):.3f} s of this thread's CPU (median of {args.repeat})")
        stages = stage_cpu(path, args.repeat)
        print("stages (fastest of each): " + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()))
    finally:
        if args.path is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
