"""What a plan keeps of each account once it is planned: only what the whole plan needs, so that
memory follows the largest accounts, not the sum (the organizations the access check asks of)."""

from __future__ import annotations

from pathlib import Path

import httpx

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.emulator import generate_account, open_emulator
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import read_accounts
from reconciler.manifest import load_project
from reconciler.workflow import build_plan, campaign_organizations

IDS = (500000001, 500000002)


def test_a_no_op_plan_keeps_no_campaign_organization(tmp_path: Path) -> None:
    emulator = open_emulator(None)
    try:
        for account in IDS:
            generate_account(emulator, account, groups=1, campaigns=4, creatives=4)
        http = httpx.Client(transport=emulator.transport(), base_url="https://api.linkedin.com/rest")
        with LinkedInClient(http, auth=BearerAuth(Secret("keeps-test"))) as client:
            for account in IDS:
                live = read_accounts(client, [account])[account]
                write_files(tmp_path / str(account), build_manifests(live, ImportOptions()).files)
            result = build_plan([tmp_path], client, target="t", parallel_accounts=1)
    finally:
        emulator.close()
    assert result.plan.changes == () and result.accounts == IDS
    assert campaign_organizations(load_project([tmp_path]).accounts)  # the campaigns name some
    assert result.organizations == {}  # none is sponsored by this plan: none is kept
