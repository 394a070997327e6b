"""Benchmark of a repository of many ad accounts planned in one process (issue 18).

    python benchmarks/accounts.py                    # 20 accounts at 10 % of the limits, 50 ms
    python benchmarks/accounts.py --small            # 4 accounts of 3 / 30 / 90 at 5 ms: CI's smoke test
    python benchmarks/accounts.py --repeat 3 --parallel-accounts 2 --json out.json
    python benchmarks/accounts.py --command drift    # the same, measuring a drift check

Twenty accounts of 10 groups / 500 campaigns / 1,500 creatives each (10 % of LinkedIn's limits) are
generated in one SQLite emulator database and imported, each into a folder of its own, with
``reconciler import``'s code: about 10 MB of manifests that match the accounts exactly. The emulator
serves them from a child process (``reconciler emulator serve``, loopback sockets, ``--latency-ms``
added to every request) and each run is measured in a fresh worker process (see
``benchmarks/common.py``: wall, CPU, peak RSS of the worker plus its manifest-checking child, calls):

- **project**: a no-op plan of the whole repository (every account) in one process;
- **largest**: a no-op plan of the largest account alone (a repository of only its folder).

With ``--command drift`` each run is a ``reconciler drift`` check instead (load, read, diff,
classify; the manifests match the accounts, so no drift). Prints both side by side, with issue 18's
targets: the project's peak RSS within 1.5 × the largest account's. Exit 1 when a run is wrong (a
plan that is not empty, a drift found); a missed target is reported only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
from common import (
    ACCOUNT,
    ROOT,
    Sizes,
    as_json,
    in_worker,
    measured,
    median_of,
    minimum_read_calls,
    served,
)
from limits import machine

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.drift import check_drift
from reconciler.emulator import generate_account, open_emulator
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import read_accounts
from reconciler.target import resolve_target
from reconciler.workflow import build_plan

SCRIPT = Path(__file__).resolve()
RESULTS = ROOT / "benchmarks" / "results"
TENTH = Sizes(10, 500, 1500)  # 10 % of LinkedIn's per-account limits
SMALL = Sizes(3, 30, 90)
RSS_RATIO = 1.5  # issue 18: the project's peak RSS within 1.5 x the largest account's
MEASURED = ("wall_s", "cpu_s", "child_cpu_s", "peak_rss_mb", "child_peak_rss_mb", "calls")


# -- the worker: one measured no-op plan ------------------------------------------------------------


def noop_plan(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``reconciler plan``'s work on the manifests at ``spec["manifests"]``: load, read, diff."""
    options: dict[str, Any] = {}
    if spec.get("parallel_accounts"):
        options["parallel_accounts"] = spec["parallel_accounts"]

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        with resolve_target(spec["url"], {}).client() as client:
            result = build_plan([spec["manifests"]], client, target=spec["url"], **options)
        plan = result.plan
        return client, {
            "changes": len(plan.changes),
            "summary": plan.summary(),
            "accounts": len(plan.budgets),
        }

    return as_json(measured(body))


def noop_drift(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``reconciler drift``'s work on the manifests at ``spec["manifests"]``: load, read, diff,
    classify. ``changes`` counts what would be drift."""
    options: dict[str, Any] = {}
    if spec.get("parallel_accounts"):
        options["parallel_accounts"] = spec["parallel_accounts"]

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        with resolve_target(spec["url"], {}).client() as client:
            result = check_drift([spec["manifests"]], client, target=spec["url"], **options)
        summary = result.report.summary()
        return client, {
            "changes": summary["drift"] + len(result.plan.changes),
            "summary": summary,
            "accounts": len(result.plan.budgets),
        }

    return as_json(measured(body))


WORKERS = {"plan": noop_plan, "drift": noop_drift}


# -- the repository ---------------------------------------------------------------------------------


def prepare(workdir: Path, sizes: Sizes, count: int) -> tuple[Path, Path, Path, int]:
    """``count`` accounts of ``sizes`` in ``workdir/emulator.sqlite``, imported into
    ``workdir/project/<id>/``; the largest one's folder copied alone to ``workdir/largest/``.
    (database, project, largest, id of the largest)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    db, project, largest = workdir / "emulator.sqlite", workdir / "project", workdir / "largest"
    ids = [ACCOUNT + n for n in range(count)]
    emulator = open_emulator(db)
    try:
        for account_id in ids:
            generate_account(
                emulator,
                account_id,
                groups=sizes.groups,
                campaigns=sizes.campaigns,
                creatives=sizes.creatives,
            )
        http = httpx.Client(
            transport=emulator.transport(),
            base_url="https://api.linkedin.com/rest",
            auth=BearerAuth(Secret("benchmark")),
        )
        with LinkedInClient(http) as client:
            for account_id in ids:
                live = read_accounts(client, [account_id])[account_id]
                write_files(project / str(account_id), build_manifests(live, ImportOptions()).files)
    finally:
        emulator.close()
    biggest = max(ids, key=lambda i: _bytes(project / str(i)))
    shutil.copytree(project / str(biggest), largest / str(biggest))
    return db, project, largest, biggest


def _bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.yaml"))


# -- orchestration ----------------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Both runs, ``args.repeat`` times each, alternating; the result as written to JSON."""
    sizes = SMALL if args.small else TENTH
    work = args.work or RESULTS / ("work-accounts-small" if args.small else "work-accounts")
    began = time.perf_counter()
    if args.reuse and (work / "largest").is_dir():
        db, project, largest = work / "emulator.sqlite", work / "project", work / "largest"
        biggest = int(next(largest.iterdir()).name)
    else:
        print(f"generating and importing {args.accounts} accounts of {sizes.label} ...", file=sys.stderr)
        db, project, largest, biggest = prepare(work, sizes, args.accounts)
    runs: dict[str, list[dict[str, Any]]] = {"project": [], "largest": []}
    with served(db, args.latency_ms) as server:
        for n in range(args.repeat):
            for name, manifests in (("largest", largest), ("project", project)):
                spec = {
                    "url": server.url,
                    "manifests": str(manifests),
                    "parallel_accounts": args.parallel_accounts,
                    "command": args.command,
                }
                run = in_worker(SCRIPT, spec)
                print(
                    f"  {name} #{n + 1}: {run['wall_s']:.2f} s wall, {run['calls']} calls, "
                    f"{run['peak_rss_mb']:.0f} MB",
                    file=sys.stderr,
                )
                runs[name].append(run)
    out: dict[str, Any] = {
        name: {**{key: median_of(done, key) for key in MEASURED}, "runs": done} for name, done in runs.items()
    }
    out["settings"] = {
        "accounts": args.accounts,
        "sizes": vars(sizes),
        "largest": biggest,
        "manifest_mb": round(_bytes(project) / 1e6, 1),
        "latency_ms": args.latency_ms,
        "repeat": args.repeat,
        "parallel_accounts": args.parallel_accounts,
        "command": args.command,
        "min_read_calls": minimum_read_calls(sizes),
        "machine": machine(),
        "seconds": round(time.perf_counter() - began, 1),
    }
    if not (args.keep or args.reuse):
        shutil.rmtree(work, ignore_errors=True)
    return out


def checks(result: Mapping[str, Any]) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """(errors, targets): what is wrong with the runs, and each target as (name, measured, met)."""
    command = result["settings"].get("command", "plan")
    errors = [
        f"the no-op {command} of {name} has {run['extra']['changes']} changes: {run['extra']['summary']}"
        for name in ("project", "largest")
        for run in result[name]["runs"]
        if run["extra"]["changes"]
    ]
    accounts = result["settings"]["accounts"]
    errors += [
        f"the {command} of the project covers {run['extra']['accounts']} accounts, not {accounts}"
        for run in result["project"]["runs"]
        if run["extra"]["accounts"] != accounts
    ]
    ratio = result["project"]["peak_rss_mb"] / result["largest"]["peak_rss_mb"]
    targets = [
        (f"project peak RSS ≤ {RSS_RATIO} × the largest account's", f"{ratio:.2f}×", ratio <= RSS_RATIO)
    ]
    return errors, targets


def table(result: Mapping[str, Any]) -> str:
    """The figures as a Markdown table."""
    settings = result["settings"]
    size = settings["sizes"]
    lines = [
        f"{settings['accounts']} accounts of {size['groups']} groups / {size['campaigns']} campaigns / "
        f"{size['creatives']} creatives ({settings['manifest_mb']} MB of manifests), "
        f"{settings['latency_ms']} ms latency per request, median of {settings['repeat']}, "
        f"--parallel-accounts {settings['parallel_accounts'] or 'default'}, "
        f"{settings['machine']['cpus']} CPUs, Python {settings['machine']['python']}",
        "",
        f"| no-op {settings.get('command', 'plan')} | API calls | wall s | CPU s | peak RSS MB "
        "| of which the manifest child |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("project", f"all {settings['accounts']} accounts"),
        ("largest", "largest account alone"),
    ):
        run = result[name]
        lines.append(
            f"| {label} | {run['calls']:.0f} | {run['wall_s']:.2f} | {run['cpu_s']:.2f} | "
            f"{run['peak_rss_mb']:.0f} | {run['child_peak_rss_mb']:.0f} |"
        )
    lines.append("")
    for name in ("project", "largest"):
        walls = sorted(r["wall_s"] for r in result[name]["runs"])
        rss = sorted(r["peak_rss_mb"] for r in result[name]["runs"])
        lines.append(
            f"{name}: wall {walls[0]:.2f}-{walls[-1]:.2f} s, peak RSS {rss[0]:.0f}-{rss[-1]:.0f} MB "
            f"over {len(walls)} runs"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="4 accounts of 3 / 30 / 90 at 5 ms (CI)")
    parser.add_argument(
        "--accounts", type=int, default=None, help="how many accounts (default 20; 4 --small)"
    )
    parser.add_argument("--latency-ms", type=int, default=None, help="per request (default 50; 5 --small)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each (default 3; 1 --small)")
    parser.add_argument(
        "--parallel-accounts",
        type=int,
        default=None,
        help="accounts read and planned at once (default: the CLI's)",
    )
    parser.add_argument(
        "--command", choices=sorted(WORKERS), default="plan", help="what each run does (default plan)"
    )
    parser.add_argument("--json", type=Path, default=None, help="where to write the result")
    parser.add_argument("--keep", action="store_true", help="keep the database and manifests")
    parser.add_argument("--work", type=Path, default=None, help="where to generate them")
    parser.add_argument(
        "--reuse", action="store_true", help="use the accounts a --keep run left in --work (implies --keep)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        spec = json.loads(args.worker)
        print(json.dumps(WORKERS[spec.get("command") or "plan"](spec)))
        return 0
    args.accounts = args.accounts or (4 if args.small else 20)
    args.latency_ms = args.latency_ms if args.latency_ms is not None else (5 if args.small else 50)
    args.repeat = args.repeat or (1 if args.small else 3)
    result = bench(args)
    errors, targets = checks(result)
    result["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in targets]
    result["errors"] = errors
    suffix = "" if args.command == "plan" else f"-{args.command}"
    path = args.json or RESULTS / f"accounts{suffix}{'-small' if args.small else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(table(result))
    print()
    for name, value, met in targets:
        print(f"{'met ' if met else 'MISSED'}  {name}: {value}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"\nwrote {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
