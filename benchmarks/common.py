"""What the benchmarks share: account sizes, the lower bounds on API calls, a generated account with
its imported manifests, a served emulator in a process of its own, and measured runs in fresh
processes.

Measuring happens in a *worker* process (one per run), so its CPU time and peak RSS are the
client's alone: the emulator serves from another process over a real loopback socket, and the
orchestrating process (which generates accounts and writes manifests) is never measured.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.emulator import TEST_ACCOUNT_ID, generate_account, open_emulator
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import read_accounts

ACCOUNT = TEST_ACCOUNT_ID
ROOT = Path(__file__).resolve().parent.parent
# Page sizes LinkedIn allows (and the client uses): groups and campaigns 1,000 per page, creatives 100.
GROUP_PAGE, CAMPAIGN_PAGE, CREATIVE_PAGE = 1000, 1000, 100
ACCOUNT_LOOKUPS = 1  # the plan reads the account once (its currency)
CANCELED_CREATIVE_SEARCHES = 1


@dataclass(frozen=True)
class Sizes:
    """An account's size in generated entities (the default group comes on top of ``groups``)."""

    groups: int
    campaigns: int
    creatives: int

    def scaled(self, fraction: float) -> Sizes:
        """This size times ``fraction``, at least one of each."""
        return Sizes(*(max(1, round(n * fraction)) for n in (self.groups, self.campaigns, self.creatives)))

    @property
    def label(self) -> str:
        return f"{self.groups}/{self.campaigns}/{self.creatives}"


LIMITS = Sizes(100, 5000, 15000)  # LinkedIn's per-account limits: 5,000 campaigns, 15,000 creatives
SMALL = Sizes(3, 30, 90)


def minimum_read_calls(sizes: Sizes) -> int:
    """The fewest calls that can read the account: its lookup, then every page of every kind at the
    largest page size (the default group counts as a group), and the search for CANCELED creatives,
    which LinkedIn hides from a search naming no status (one page: the generated accounts have none)."""
    return (
        ACCOUNT_LOOKUPS
        + math.ceil((sizes.groups + 1) / GROUP_PAGE)
        + math.ceil(sizes.campaigns / CAMPAIGN_PAGE)
        + math.ceil(sizes.creatives / CREATIVE_PAGE)
        + CANCELED_CREATIVE_SEARCHES
    )


def minimum_write_calls(writes: Mapping[str, int], batch_size: int) -> int:
    """The fewest batch calls for ``writes`` (``"campaign update" -> n``): ceil(n / batch) per kind
    and operation."""
    return sum(math.ceil(n / batch_size) for n in writes.values() if n)


# -- the account and its manifests ----------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """A generated account in an SQLite file, and manifests that match it exactly."""

    sizes: Sizes
    db: Path
    manifests: Path
    seconds: float


def prepare(workdir: Path, sizes: Sizes) -> Setup:
    """Generate ``sizes`` into ``workdir/emulator.sqlite`` and import it into ``workdir/manifests``
    with reconciler's importer (through the emulator's in-process transport: no latency)."""
    began = time.perf_counter()
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    db, manifests = workdir / "emulator.sqlite", workdir / "manifests"
    emulator = open_emulator(db)
    try:
        generate_account(
            emulator, ACCOUNT, groups=sizes.groups, campaigns=sizes.campaigns, creatives=sizes.creatives
        )
        http = httpx.Client(
            transport=emulator.transport(),
            base_url="https://api.linkedin.com/rest",
            auth=BearerAuth(Secret("benchmark")),
        )
        with LinkedInClient(http) as client:
            live = read_accounts(client, [ACCOUNT])[ACCOUNT]
        write_files(manifests, build_manifests(live, ImportOptions()).files)
    finally:
        emulator.close()
    return Setup(sizes, db, manifests, time.perf_counter() - began)


# -- the served emulator --------------------------------------------------------------------------


class ServedEmulator:
    """``reconciler emulator serve`` in a child process, on a free loopback port."""

    def __init__(self, db: Path, latency_ms: int) -> None:
        command = [sys.executable, "-m", "reconciler", "emulator", "serve", "--db", str(db), "--port", "0"]
        command += ["--latency-ms", str(latency_ms)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        found = re.search(r"on (http://\S+/rest)/", banner)
        if found is None:
            self.stop()
            raise RuntimeError(f"the emulator did not start: {banner!r}")
        self.url = found.group(1)

    def cpu_seconds(self) -> float:
        """User + system CPU the emulator process has used so far (Linux /proc; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM (a clean stop: the database is closed), then wait."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def served(db: Path, latency_ms: int, *, copy_to: Path | None = None) -> Iterator[ServedEmulator]:
    """Serve ``db`` (or a fresh copy of it at ``copy_to``, for runs that write) until the block ends."""
    if copy_to is not None:
        shutil.copyfile(db, copy_to)
        db = copy_to
    server = ServedEmulator(db, latency_ms)
    try:
        yield server
    finally:
        server.stop()


# -- measured runs --------------------------------------------------------------------------------


@dataclass
class Measure:
    """One measured run, from inside the process that ran it."""

    wall_s: float
    cpu_s: float  # this process (all threads) and its child processes
    peak_rss_mb: float  # this process's peak plus its largest child's (they may overlap in time)
    child_cpu_s: float  # of that, the child processes' (the manifest checker of big projects)
    child_peak_rss_mb: float
    calls: int
    by_method: dict[str, int]
    by_resource: dict[str, int]
    retries: int
    extra: dict[str, Any]


def measured(body: Callable[[], tuple[LinkedInClient, dict[str, Any]]]) -> Measure:
    """Time ``body`` (wall; CPU of this process, all threads, and of the child processes it started
    and reaped); it returns the client it used (for its call counters) and anything else worth keeping."""
    wall, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
    client, extra = body()
    wall, cpu, kids = time.perf_counter() - wall, time.process_time() - cpu, _children_cpu() - kids
    snap = client.stats.snapshot()
    child_rss = _to_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) if kids > 0 else 0.0
    return Measure(
        wall_s=wall,
        cpu_s=cpu + kids,
        peak_rss_mb=peak_rss_mb() + child_rss,
        child_cpu_s=kids,
        child_peak_rss_mb=child_rss,
        calls=snap["calls"],
        by_method=snap["by_method"],
        by_resource=snap["by_resource"],
        retries=snap["retries"],
        extra=extra,
    )


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far."""
    return _to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _to_mb(maxrss: int) -> float:
    """``ru_maxrss`` in MB (Linux reports KiB, macOS bytes)."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def _children_cpu() -> float:
    """User + system CPU of this process's reaped children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_worker(script: Path, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Run ``script --worker SPEC`` in a fresh interpreter; the JSON it prints on its last line."""
    command = [sys.executable, str(script), "--worker", json.dumps(spec)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        why = done.stderr[-4000:]
        raise RuntimeError(f"worker {spec.get('scenario')} failed ({done.returncode}):\n{why}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def as_json(measure: Measure) -> dict[str, Any]:
    """A JSON-friendly copy of a Measure."""
    return asdict(measure)


def median_of(runs: Sequence[Mapping[str, Any]], key: str) -> float:
    """The median of ``key`` over the runs."""
    return float(statistics.median(float(run[key]) for run in runs))
