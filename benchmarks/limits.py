"""Benchmark at LinkedIn's account limits, side by side with the per-entity refresh model (issue 8).

    python benchmarks/limits.py                      # 100 groups, 5,000 campaigns, 15,000 creatives
    python benchmarks/limits.py --small              # 3 / 30 / 90 at 5 ms: the CI smoke test
    python benchmarks/limits.py --latency-ms 50 --repeat 3 --json out.json

An account is generated in an SQLite emulator database and imported into manifests with
``reconciler import``'s code, so the manifests match it exactly. The emulator then serves it from a
child process (``reconciler emulator serve``, real loopback sockets, ``--latency-ms`` added to every
request), and each run is measured in a fresh worker process (wall time; the worker's CPU time over
all its threads plus that of the child process that checks big manifests; its peak RSS plus that
child's; the client's call counters; and, read from outside, the emulator's CPU meanwhile):

- **no-op plan**: ``reconciler plan``'s work (load and validate the manifests, read the account,
  diff) on the unchanged account; the plan must be empty;
- **plan + apply** of a mixed change set made by editing the manifests: 1,000 daily-budget updates,
  500 new creatives, 200 campaigns archived (``status: ARCHIVED``), on an account 500 creatives
  short of the limits (so that it ends at 15,000), each repeat on a fresh copy of the database;
  afterwards a plan must be empty;
- **baseline**: the per-resource refresh of Terraform-style tools, one GET per managed entity, 10 in
  flight (ids from the manifests, read before the clock starts);
- **scaling**: the no-op plan at 10 %, 25 %, 50 % and 100 % of the limits;
- **content** (``--only content``, not run by default): every creative an image ad made from 500
  files, applied from empty and planned again (see ``benchmarks/content.py``).

Prints a table (medians over ``--repeat`` runs) with the targets of issue 8, and writes the whole
result as JSON (default ``benchmarks/results/limits.json``, ``limits-small.json`` with ``--small``).
Exit 1 when a run is wrong (a non-empty no-op plan, a failed change, more calls than expected in
``--small``); a missed performance target is reported, not an error.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import content
import yaml
from common import (
    ACCOUNT,
    LIMITS,
    ROOT,
    SMALL,
    ServedEmulator,
    Sizes,
    as_json,
    in_worker,
    measured,
    median_of,
    minimum_read_calls,
    minimum_write_calls,
    prepare,
    served,
)

from reconciler.api import LinkedInClient
from reconciler.api.collection import DEFAULT_BATCH_SIZE
from reconciler.api.wire import DEFAULT_CONCURRENCY
from reconciler.apply import Status, apply_plan
from reconciler.manifest import load_project
from reconciler.manifest.loader import parse_document
from reconciler.target import resolve_target
from reconciler.workflow import build_plan

SCRIPT = Path(__file__).resolve()
RESULTS = ROOT / "benchmarks" / "results"
FRACTIONS = (0.1, 0.25, 0.5, 1.0)
DEFAULT_SCENARIOS = ("noop", "apply", "baseline", "scaling")
SCENARIOS = (*DEFAULT_SCENARIOS, "content")  # content: 15,000 image ads made from 500 files (opt-in)
# The mixed change set at the limits; smaller accounts get the same share of their campaigns.
BUDGETS, NEW_CREATIVES, ARCHIVES = 1000, 500, 200
CONCURRENCY = DEFAULT_CONCURRENCY  # the CLI's client concurrency
BASELINE_IN_FLIGHT = 10  # Terraform's default -parallelism
WRITE_METHODS = ("BATCH_CREATE", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE", "CREATE", "PARTIAL_UPDATE", "DELETE")
# Issue 8's targets.
NOOP_CALLS_RATIO, NOOP_WALL_S, BASELINE_SPEEDUP, NOOP_RSS_MB = 1.15, 3.0, 20.0, 400.0
WRITE_CALLS_RATIO, APPLY_WALL_S = 1.2, 10.0


# -- workers: one measured run each, in a process of its own -----------------------------------------


def worker(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Run one scenario against the served emulator at ``spec["url"]``; a JSON-friendly result."""
    scenarios: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
        "noop": noop_plan,
        "apply": plan_and_apply,
        "baseline": baseline,
        "content-apply": content_apply,
    }
    return scenarios[spec["scenario"]](spec)


def _client(url: str, concurrency: int = CONCURRENCY) -> LinkedInClient:
    return resolve_target(url, {}).client(concurrency=concurrency)


def noop_plan(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``reconciler plan`` of the unchanged account: manifests loaded, account read, diffed."""

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        began = time.perf_counter()
        marks: dict[str, float] = {}  # when the manifests were loaded and the account read

        def progress(message: str) -> None:
            marks["loaded_at_s" if message.endswith("manifest file(s)") else "read_at_s"] = (
                time.perf_counter()
            )

        with _client(spec["url"]) as client:
            result = build_plan([spec["manifests"]], client, target=spec["url"], progress=progress)
            marks["planned_at_s"] = time.perf_counter()
        phases = {name: at - began for name, at in marks.items()}
        return client, {"changes": len(result.plan.changes), "summary": result.plan.summary(), **phases}

    return as_json(measured(body))


def plan_and_apply(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Plan the edited manifests and apply the plan; then check that a new plan is empty."""

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        with _client(spec["url"]) as client:
            began, cpu = time.perf_counter(), time.process_time()
            result = build_plan([spec["manifests"]], client, target=spec["url"])
            if result.plan.violations:
                raise SystemExit(f"the plan was refused: {[v.message for v in result.plan.violations]}")
            plan_s, plan_cpu_s = time.perf_counter() - began, time.process_time() - cpu
            before = client.stats.snapshot()["by_method"]
            report = apply_plan(result.plan, client)
            after = client.stats.snapshot()["by_method"]
        during = {m: n - before.get(m, 0) for m, n in after.items() if n - before.get(m, 0)}
        failures = [f"{r.address}: {r.error}" for r in report.results if r.status is Status.FAILED]
        return client, {
            "plan_s": plan_s,
            "plan_cpu_s": plan_cpu_s,
            "plan_calls": sum(before.values()),
            "apply_calls": during,
            "write_calls": sum(n for m, n in during.items() if m in WRITE_METHODS),
            "summary": result.plan.summary(),
            "applied": report.count(Status.APPLIED),
            "failed": report.count(Status.FAILED),
            "skipped": report.count(Status.SKIPPED),
            "failures": failures[:10],
        }

    run = as_json(measured(body))
    with _client(spec["url"]) as client:
        run["extra"]["changes_after"] = len(build_plan([spec["manifests"]], client, target="x").plan.changes)
    return run


def content_apply(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Plan + apply of the image ads from an account without creatives (see content.py)."""

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        with _client(spec["url"]) as client:
            return client, content.apply_all(client, spec["manifests"], spec["url"])

    return as_json(measured(body))


def baseline(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The per-resource refresh: one GET per managed entity (and the account), 10 in flight."""
    desired = load_project([spec["manifests"]])  # the "state file": which ids to refresh
    account = desired.accounts[0]
    groups = [g.id for g in account.groups if g.id is not None]
    campaigns = [c.id for _, c in account.campaigns() if c.id is not None]
    creatives = [r.id for _, _, r in account.creatives() if r.id is not None]

    def body() -> tuple[LinkedInClient, dict[str, Any]]:
        with _client(spec["url"], BASELINE_IN_FLIGHT) as client:
            reads: list[tuple[Callable[[int], object], int]] = [(client.accounts.get, ACCOUNT)]
            reads += [(client.groups(ACCOUNT).get, i) for i in groups]
            reads += [(client.campaigns(ACCOUNT).get, i) for i in campaigns]
            reads += [(client.creatives(ACCOUNT).get, i) for i in creatives]
            with ThreadPoolExecutor(BASELINE_IN_FLIGHT) as pool:
                found = sum(1 for _ in pool.map(lambda read: read[0](read[1]), reads))
        return client, {"entities": found}

    return as_json(measured(body))


# -- the mixed change set -------------------------------------------------------------------------


def change_counts(sizes: Sizes) -> dict[int, int]:
    """The mixed change set for an account of ``sizes``: 1,000 budget updates, 500 new creatives and
    200 archives at the limits, the same share of a smaller account's campaigns."""
    share = sizes.campaigns / LIMITS.campaigns
    return {n: max(1, round(n * share)) for n in (BUDGETS, NEW_CREATIVES, ARCHIVES)}


def apply_sizes(sizes: Sizes) -> Sizes:
    """The account the mixed change set is applied to: ``sizes`` less the creatives it adds, so that
    the apply ends at ``sizes`` (an account at the 15,000-creative limit cannot take 500 more)."""
    return replace(sizes, creatives=sizes.creatives - change_counts(sizes)[NEW_CREATIVES])


def mixed_change_set(source: Path, out: Path, sizes: Sizes) -> dict[str, int]:
    """Copy the manifests at ``source`` to ``out`` with the budget updates, new creatives and archives
    of :func:`change_counts` for ``sizes``; the writes by kind and operation."""
    wanted = change_counts(sizes)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out)
    files = sorted((out / "groups").glob("*.yaml"))
    docs = {path: parse_document(path.name, path.read_bytes()).document for path in files}
    campaigns = [
        (path, campaign)
        for path, doc in docs.items()
        if doc is not None
        for group in doc.data.get("campaignGroups", [])
        for campaign in group.get("campaigns", [])
    ]
    running = [item for item in campaigns if item[1].get("status") in ("ACTIVE", "PAUSED")]
    archive = _spread(running, wanted[ARCHIVES])
    gone = {id(c) for _, c in archive}
    running = [item for item in running if id(item[1]) not in gone]
    editable = [item for item in campaigns if item[1].get("status") == "DRAFT" or item in running]
    budget = _spread(editable, wanted[BUDGETS])
    grow = _spread(running, wanted[NEW_CREATIVES])
    touched: set[Path] = set()
    for path, campaign in archive:
        campaign["status"] = "ARCHIVED"
        touched.add(path)
    for path, campaign in budget:
        amount, currency = str(campaign["dailyBudget"]).split()
        campaign["dailyBudget"] = f"{Decimal(amount) + 5} {currency}"
        touched.add(path)
    for number, (path, campaign) in enumerate(grow):
        campaign["creatives"].append(_new_creative(campaign["creatives"][0], number))
        touched.add(path)
    for path in touched:
        document = docs[path]
        assert document is not None
        text = yaml.dump(document.data, Dumper=yaml.CSafeDumper, sort_keys=False, width=4096)
        path.write_text(text, encoding="utf-8")
    return {
        "campaign update": len(budget),
        "campaign archive": len(archive),
        "creative create": len(grow),
    }


def _spread(items: Sequence[Any], n: int) -> list[Any]:
    """``n`` items spread evenly over ``items``."""
    if n > len(items):
        raise SystemExit(f"the account has {len(items)} campaigns to edit, {n} wanted")
    return [items[i * len(items) // n] for i in range(n)]


def _new_creative(model: Mapping[str, Any], number: int) -> dict[str, Any]:
    content = dict(model["content"])
    if "reference" in content:
        content["reference"] = f"urn:li:share:{7_200_000_000_000_000_000 + number}"
    else:
        content["textAd"] = {
            **content["textAd"],
            "headline": f"New headline {number}"[:25],
            "landingPage": f"https://example.com/new/{number}",
        }
    return {"name": f"Benchmark creative {number:05d}", "intendedStatus": "ACTIVE", "content": content}


# -- orchestration --------------------------------------------------------------------------------


def runs(spec: dict[str, Any], repeat: int, label: str, server: ServedEmulator) -> list[dict[str, Any]]:
    """``repeat`` measured runs of one scenario, each in a fresh worker process; each run also
    records the CPU the emulator spent meanwhile (``emulator_cpu_s``: the server's share of the
    machine, which a real LinkedIn would not take)."""
    out = []
    for i in range(repeat):
        before = server.cpu_seconds()
        run = in_worker(SCRIPT, spec)
        run["emulator_cpu_s"] = server.cpu_seconds() - before
        print(f"  {label} #{i + 1}: {run['wall_s']:.2f} s wall, {run['calls']} calls", file=sys.stderr)
        out.append(run)
    return out


MEASURED = ("wall_s", "cpu_s", "child_cpu_s", "peak_rss_mb", "calls", "emulator_cpu_s")


def summarise(runs_: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Medians of the measured figures, and the runs themselves."""
    medians = {key: median_of(runs_, key) for key in MEASURED}
    return {**medians, "runs": list(runs_)}


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Every scenario of ``args.only``; the result as written to JSON (without the checks)."""
    sizes = SMALL if args.small else LIMITS
    work = RESULTS / ("work-small" if args.small else "work")
    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    out: dict[str, Any] = {}
    if args.only & {"noop", "baseline", "scaling"}:
        print(f"generating and importing {sizes.label} ...", file=sys.stderr)
        full = prepare(work / "full", sizes)
        with served(full.db, args.latency_ms) as server:
            spec = {"url": server.url, "manifests": str(full.manifests)}
            if args.only & {"noop", "scaling"}:
                out["noop"] = summarise(runs({**spec, "scenario": "noop"}, args.repeat, "no-op plan", server))
            if "baseline" in args.only:
                baseline_runs = runs(
                    {**spec, "scenario": "baseline"}, args.baseline_repeat, "baseline", server
                )
                out["baseline"] = summarise(baseline_runs)
    if "apply" in args.only:
        out["apply"] = mixed_apply(args, sizes, work)
    if "scaling" in args.only:
        out["scaling"] = scaling(args, sizes, work, out["noop"])
    if "content" in args.only:
        out["content"] = content_scenario(args, sizes, work)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    out["settings"] = {
        "sizes": vars(sizes),
        "apply_sizes": vars(apply_sizes(sizes)),
        "latency_ms": args.latency_ms,
        "repeat": args.repeat,
        "baseline_repeat": args.baseline_repeat,
        "concurrency": CONCURRENCY,
        "baseline_in_flight": BASELINE_IN_FLIGHT,
        "batch_size": DEFAULT_BATCH_SIZE,
        "emulator": "separate process (reconciler emulator serve, SQLite), loopback socket",
        "machine": machine(),
        "seconds": round(time.perf_counter() - began, 1),
        "min_read_calls": minimum_read_calls(sizes),
    }
    return out


def content_scenario(args: argparse.Namespace, sizes: Sizes, work: Path) -> dict[str, Any]:
    """Apply the image ads from empty, then the no-op plan of the result (``--repeat`` runs)."""
    files = max(1, content.FILES * sizes.creatives // LIMITS.creatives)
    print(f"generating {sizes.label} with {files} image files for the content scenario ...", file=sys.stderr)
    setup, files = content.prepare_content(work / "content", sizes, files)
    with served(setup.db, args.latency_ms) as server:
        spec = {"url": server.url, "manifests": str(setup.manifests)}
        [applied] = runs({**spec, "scenario": "content-apply"}, 1, "content: apply from empty", server)
        noop = summarise(runs({**spec, "scenario": "noop"}, args.repeat, "content: no-op plan", server))
    return {
        "files": files,
        "creatives": sizes.creatives,
        "apply": applied,
        "noop": noop,
        "min_noop_calls": content.minimum_noop_calls(minimum_read_calls(sizes), sizes.creatives),
    }


def mixed_apply(args: argparse.Namespace, sizes: Sizes, work: Path) -> dict[str, Any]:
    """Plan + apply of the mixed change set, each repeat on a fresh copy of the account."""
    print(f"generating and importing {apply_sizes(sizes).label} for the apply ...", file=sys.stderr)
    before = prepare(work / "apply", apply_sizes(sizes))
    writes = mixed_change_set(before.manifests, work / "mixed", sizes)
    apply_runs = []
    for _ in range(args.repeat):
        with served(before.db, args.latency_ms, copy_to=work / "apply.sqlite") as server:
            spec = {"url": server.url, "manifests": str(work / "mixed"), "scenario": "apply"}
            apply_runs += runs(spec, 1, "plan + apply", server)
    extras = [r["extra"] for r in apply_runs]
    return {
        **summarise(apply_runs),
        "writes": writes,
        "write_calls": median_of(extras, "write_calls"),
        "min_write_calls": minimum_write_calls(writes, DEFAULT_BATCH_SIZE),
        "plan_s": median_of(extras, "plan_s"),
        "plan_calls": median_of(extras, "plan_calls"),
        "min_plan_calls": minimum_read_calls(apply_sizes(sizes)),
    }


def scaling(args: argparse.Namespace, sizes: Sizes, work: Path, full: dict[str, Any]) -> list[dict[str, Any]]:
    """The no-op plan at each fraction of ``sizes`` (the full size is the no-op run already made)."""
    points = []
    for fraction in FRACTIONS:
        scaled = sizes.scaled(fraction)
        point = full
        if fraction != 1.0:
            setup = prepare(work / f"scale-{fraction}", scaled)
            with served(setup.db, args.latency_ms) as server:
                spec = {"url": server.url, "manifests": str(setup.manifests), "scenario": "noop"}
                point = summarise(runs(spec, args.repeat, f"no-op plan at {fraction:.0%}", server))
        points.append(
            {
                "fraction": fraction,
                "sizes": vars(scaled),
                "min_calls": minimum_read_calls(scaled),
                **{k: point[k] for k in MEASURED},
                "changes": max(r["extra"]["changes"] for r in point["runs"]),
            }
        )
    return points


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import os

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


# -- the report -----------------------------------------------------------------------------------


def checks(result: Mapping[str, Any], small: bool) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """(errors, targets): what is wrong with the runs, and each target as (name, measured, met)."""
    errors: list[str] = []
    targets: list[tuple[str, str, bool]] = []
    minimum = result["settings"]["min_read_calls"]
    noop, apply = result.get("noop"), result.get("apply")
    if noop is not None:
        for run in noop["runs"]:
            if run["extra"]["changes"]:
                errors.append(
                    f"the no-op plan has {run['extra']['changes']} changes: {run['extra']['summary']}"
                )
        if small and noop["calls"] > NOOP_CALLS_RATIO * minimum:
            errors.append(f"the no-op plan made {noop['calls']:.0f} calls; at most {minimum} expected")
        ratio = noop["calls"] / minimum
        targets += [
            (
                f"no-op plan calls ≤ {NOOP_CALLS_RATIO} × minimum",
                f"{noop['calls']:.0f} / {minimum} = {ratio:.2f}",
                ratio <= NOOP_CALLS_RATIO,
            ),
            (
                f"no-op plan wall ≤ {NOOP_WALL_S:g} s",
                f"{noop['wall_s']:.2f} s",
                noop["wall_s"] <= NOOP_WALL_S,
            ),
            (
                f"no-op plan peak RSS ≤ {NOOP_RSS_MB:g} MB",
                f"{noop['peak_rss_mb']:.0f} MB",
                noop["peak_rss_mb"] <= NOOP_RSS_MB,
            ),
        ]
        if "baseline" in result:
            speedup = result["baseline"]["wall_s"] / noop["wall_s"]
            targets.append(
                (
                    f"baseline / no-op wall ≥ {BASELINE_SPEEDUP:g}×",
                    f"{speedup:.1f}×",
                    speedup >= BASELINE_SPEEDUP,
                )
            )
    for point in result.get("scaling", ()):
        if point["changes"]:
            errors.append(f"the no-op plan at {point['fraction']:.0%} has {point['changes']} changes")
    if apply is not None:
        for run in apply["runs"]:
            extra = run["extra"]
            if extra["failed"] or extra["skipped"]:
                errors.append(
                    f"apply: {extra['failed']} failed, {extra['skipped']} skipped: {extra['failures']}"
                )
            if extra["changes_after"]:
                errors.append(f"the plan after apply has {extra['changes_after']} changes")
        least = apply["min_write_calls"]
        if small and apply["write_calls"] > WRITE_CALLS_RATIO * least:
            errors.append(f"apply made {apply['write_calls']:.0f} write calls; {least} expected")
        targets += [
            (
                f"apply write calls ≤ {WRITE_CALLS_RATIO} × minimum",
                f"{apply['write_calls']:.0f} / {least} = {apply['write_calls'] / least:.2f}",
                apply["write_calls"] <= WRITE_CALLS_RATIO * least,
            ),
            (
                f"plan + apply wall ≤ {APPLY_WALL_S:g} s",
                f"{apply['wall_s']:.2f} s",
                apply["wall_s"] <= APPLY_WALL_S,
            ),
        ]
    return errors, targets


def table(result: Mapping[str, Any]) -> str:
    """The figures as Markdown tables."""
    settings = result["settings"]
    minimum = settings["min_read_calls"]
    size = settings["sizes"]
    lines = [
        f"account {size['groups']} groups / {size['campaigns']} campaigns / {size['creatives']} creatives, "
        f"{settings['latency_ms']} ms latency per request, median of {settings['repeat']} "
        f"(baseline {settings['baseline_repeat']}), {settings['machine']['cpus']} CPUs, "
        f"Python {settings['machine']['python']}",
        "",
        "| run | API calls | minimum | calls / min | wall s | CPU s | peak RSS MB | emulator CPU s "
        "| baseline / ours (wall) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    noop, apply, baseline_ = result.get("noop"), result.get("apply"), result.get("baseline")
    if noop is not None:
        speedup = f"{baseline_['wall_s'] / noop['wall_s']:.1f}×" if baseline_ else ""
        lines.append(_row("no-op plan", noop, minimum, speedup))
    if apply is not None:
        lines.append(
            f"| plan + apply (mixed) | {apply['plan_calls']:.0f} reads + {apply['write_calls']:.0f} writes | "
            f"{apply['min_plan_calls']} + {apply['min_write_calls']} | "
            f"writes {apply['write_calls'] / apply['min_write_calls']:.2f} | "
            f"{apply['wall_s']:.2f} (plan {apply['plan_s']:.2f}) | {apply['cpu_s']:.2f} | "
            f"{apply['peak_rss_mb']:.0f} | {apply['emulator_cpu_s']:.2f} | |"
        )
    if baseline_ is not None:
        name = f"baseline: GET per entity, {settings['baseline_in_flight']} in flight"
        lines.append(_row(name, baseline_, minimum, "1×"))
    if noop is not None and all("read_at_s" in run["extra"] for run in noop["runs"]):
        at = {
            k: median_of([r["extra"] for r in noop["runs"]], k)
            for k in ("loaded_at_s", "read_at_s", "planned_at_s")
        }
        lines += [
            "",
            f"no-op plan, from its start: manifests loaded at {at['loaded_at_s']:.2f} s, account read at "
            f"{at['read_at_s']:.2f} s (the read starts once the first manifest is read), plan ready at "
            f"{at['planned_at_s']:.2f} s",
        ]
    if apply is not None:
        start = settings["apply_sizes"]
        lines += [
            "",
            f"mixed change set: {', '.join(f'{n} {k}s' for k, n in apply['writes'].items())} on "
            f"{start['groups']} / {start['campaigns']} / {start['creatives']}; "
            f"batch size {settings['batch_size']}",
        ]
    if result.get("scaling"):
        lines += [
            "",
            "| scale | groups / campaigns / creatives | API calls | minimum | wall s | CPU s | peak RSS MB "
            "| emulator CPU s |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for point in result["scaling"]:
            s = point["sizes"]
            lines.append(
                f"| {point['fraction']:.0%} | {s['groups']} / {s['campaigns']} / {s['creatives']} | "
                f"{point['calls']:.0f} | {point['min_calls']} | {point['wall_s']:.2f} | "
                f"{point['cpu_s']:.2f} | {point['peak_rss_mb']:.0f} | {point['emulator_cpu_s']:.2f} |"
            )
    return "\n".join(lines)


def content_table(result: Mapping[str, Any], latency_ms: int) -> str:
    """README rows of the content scenario."""
    apply, noop = result["apply"], result["noop"]
    extra = apply["extra"]
    return "\n".join(
        [
            f"| content no-op plan ({result['creatives']:,} image ads, {result['files']} files, "
            f"{latency_ms} ms) | {noop['wall_s']:.2f} s | {int(noop['calls'])} calls "
            f"({result['min_noop_calls']} minimum) "
            f"| {noop['peak_rss_mb']:.0f} MB |",
            f"| content apply from empty | {apply['wall_s']:.1f} s | {extra['image_uploads_started']} "
            f"image uploads, {extra['posts_made']:,} posts, {apply['calls']:,} calls "
            f"| {apply['peak_rss_mb']:.0f} MB |",
        ]
    )


def _row(name: str, run: Mapping[str, Any], minimum: int, speedup: str) -> str:
    return (
        f"| {name} | {run['calls']:.0f} | {minimum} | {run['calls'] / minimum:.2f} | {run['wall_s']:.2f} | "
        f"{run['cpu_s']:.2f} | {run['peak_rss_mb']:.0f} | {run['emulator_cpu_s']:.2f} | {speedup} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="3 groups / 30 campaigns / 90 creatives (CI)")
    parser.add_argument(
        "--latency-ms", type=int, default=None, help="per request (default 50; 5 with --small)"
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per scenario (default 3; 1 with --small)"
    )
    parser.add_argument("--baseline-repeat", type=int, default=None, help="baseline runs (default: --repeat)")
    parser.add_argument("--json", type=Path, default=None, help="where to write the result")
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_SCENARIOS),
        help=f"comma-separated scenarios of {','.join(SCENARIOS)} (default {','.join(DEFAULT_SCENARIOS)})",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and manifests")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0
    args.latency_ms = args.latency_ms if args.latency_ms is not None else (5 if args.small else 50)
    args.repeat = args.repeat or (1 if args.small else 3)
    args.baseline_repeat = args.baseline_repeat or args.repeat
    args.only = {name.strip() for name in args.only.split(",") if name.strip()}
    if not args.only <= set(SCENARIOS):
        parser.error(f"--only takes {', '.join(SCENARIOS)}")
    result = bench(args)
    errors, targets = checks(result, args.small) if args.only & set(DEFAULT_SCENARIOS) else ([], [])
    if "content" in result:
        more, met = content.checks(
            result["content"], result["content"]["files"], result["content"]["creatives"]
        )
        errors, targets = errors + more, targets + met
    result["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in targets]
    result["errors"] = errors
    name = "content" if args.only == {"content"} else "limits"
    path = args.json or RESULTS / (f"{name}-small.json" if args.small else f"{name}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if args.only & set(DEFAULT_SCENARIOS):
        print(table(result))
    if "content" in result:
        print(content_table(result["content"], args.latency_ms))
    print()
    for name, value, met in targets:
        print(f"{'met ' if met else 'MISSED'}  {name}: {value}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"\nwrote {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
