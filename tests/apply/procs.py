"""Running ``python -m reconciler apply`` as a separate process against a served emulator, and
reading an emulator's request log (the tests that signal, kill or race real processes)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
WRITE_METHODS = frozenset({"POST", "DELETE", "PUT", "PATCH"})


class Apply:
    """A running ``reconciler apply`` process; its output goes to files (a full pipe would stall it)."""

    def __init__(self, process: subprocess.Popen[str], out: Path, err: Path) -> None:
        self.process = process
        self._out = out
        self._err = err

    def send_signal(self, signum: int) -> None:
        """Signal the process."""
        self.process.send_signal(signum)

    def wait(self, timeout: float = 120) -> tuple[int, str, str]:
        """Its exit status, standard output and standard error, once it has ended."""
        code = self.process.wait(timeout=timeout)
        return code, self.output(), self._err.read_text(encoding="utf-8")

    def output(self) -> str:
        """Standard output so far."""
        return self._out.read_text(encoding="utf-8")

    def error(self) -> str:
        """Standard error so far."""
        return self._err.read_text(encoding="utf-8")


def start_apply(
    workdir: Path, project: Path, base: str, *extra: str, env: dict[str, str] | None = None
) -> Apply:
    """``reconciler apply PROJECT --auto-approve --target BASE EXTRA...`` in ``workdir``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "RECONCILER_"))}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env or {})
    args = [sys.executable, "-m", "reconciler", "apply", str(project), "--auto-approve", "--target", base]
    workdir.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    out, err = workdir / f"apply-{stamp}.out", workdir / f"apply-{stamp}.err"
    with out.open("w", encoding="utf-8") as stdout, err.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [*args, *extra], cwd=workdir, env=clean, stdout=stdout, stderr=stderr, text=True
        )
    return Apply(process, out, err)


def log_entries(log: io.StringIO) -> list[dict[str, Any]]:
    """The emulator's request log so far (whole lines only)."""
    text = log.getvalue()
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def writes(log: io.StringIO) -> int:
    """Write requests answered so far (tunnelled reads travel as POST: counted by X-RestLi-Method)."""
    return sum(_is_write(e) for e in log_entries(log))


def restli_method(entry: dict[str, Any]) -> str:
    """The ``X-RestLi-Method`` of a logged request (upper case; empty when absent)."""
    headers = {k.lower(): v for k, v in (entry.get("headers") or {}).items()}
    return str(headers.get("x-restli-method", "")).upper()


def _is_write(entry: dict[str, Any]) -> bool:
    return restli_method(entry) not in ("", "GET", "BATCH_GET", "FINDER", "GET_ALL")


def wait_for(predicate: Any, timeout: float) -> bool:
    """Poll ``predicate`` every 10 ms until it is true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False
