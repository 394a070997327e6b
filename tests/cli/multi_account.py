"""A project of two ad accounts on the embedded emulator: the quickstart (500000001) and the
b2b-saas example moved to a second account (500000002), which is created on the emulator only
when asked."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from reconciler.manifest.lockfile import LOCK_NAME, load_lock, save_lock
from tests.workflows.support import ROOT, cli

FIRST, SECOND = 500000001, 500000002


def two_accounts(workdir: Path) -> Path:
    """Write the project under ``workdir / "manifests"`` and return that directory."""
    manifests = workdir / "manifests"
    shutil.copytree(ROOT / "examples" / "quickstart", manifests / "quickstart")
    shutil.copytree(ROOT / "examples" / "b2b-saas", manifests / "b2b-saas")
    for path in (manifests / "b2b-saas").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(str(FIRST), str(SECOND)), encoding="utf-8")
    # The project's root is the directory given: its lock pins the names of both examples.
    lock = load_lock([manifests / "quickstart", manifests / "b2b-saas"])
    save_lock(replace(lock, path=manifests / LOCK_NAME))
    return manifests


def create_second_account(workdir: Path) -> None:
    """Create ad account 500000002 (USD) on ``workdir``'s embedded emulator (the cwd)."""
    seed = workdir / "seed.json"
    account = {"id": SECOND, "name": "Second", "currency": "USD", "type": "BUSINESS", "status": "ACTIVE"}
    seed.write_text(json.dumps({"adAccounts": [{**account, "test": True}]}), encoding="utf-8")
    result = cli("emulator", "seed", "--from", str(seed))
    assert result.exit_code == 0, result.output
