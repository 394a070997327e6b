"""Creatives whose name is a local label (``localName: true``): never sent, never compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import load_project
from tests.planner.builders import (
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)
from tests.planner.test_planner import plan


def _live_unnamed():  # type: ignore[no-untyped-def]
    return live_account(
        [live_group(10, "Brand")], [live_campaign(20, 10, "Brand US")], [live_creative(30, 20, "")]
    )


def test_a_pinned_creative_with_a_local_name_matches_an_unnamed_live_one() -> None:
    desired = account(
        group("Brand", campaign("Brand US", creative("Creative 30", 30, id=30, local_name=True)))
    )
    assert plan(desired, _live_unnamed()).empty


def test_without_local_name_the_label_would_be_sent_as_a_rename() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Creative 30", 30, id=30))))
    (change,) = plan(desired, _live_unnamed()).changes
    assert dict(change.body) == {"name": "Creative 30"}


def test_local_name_is_read_from_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        """version: 1
account: {id: 500000001, currency: USD}
campaignGroups:
  - name: Brand
    id: 10
    campaigns:
      - name: Brand US
        id: 20
        creatives:
          - {name: Creative 30, localName: true, id: 30}
          - {name: Named, id: 31}
""",
        encoding="utf-8",
    )
    (account_,) = load_project([tmp_path]).accounts
    flags = [(r.name, r.local_name) for _, _, r in account_.creatives()]
    assert flags == [("Creative 30", True), ("Named", False)]


def test_a_local_name_without_an_id_pin_is_refused_at_its_place(tmp_path: Path) -> None:
    # It could never be found again by a name that is never sent: each plan would create another.
    (tmp_path / "a.yaml").write_text(
        """version: 1
account: {id: 500000001, currency: USD}
campaignGroups:
  - name: Brand
    id: 10
    campaigns:
      - name: Brand US
        id: 20
        creatives:
          - name: Label
            intendedStatus: DRAFT
            content: {reference: "urn:li:share:7012345678901234567"}
            localName: true
""",
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as caught:
        load_project([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'a.yaml'}:13:24: campaignGroups[0].campaigns[0].creatives[0].localName: "
        "localName: true needs an id pin (a name that is never sent cannot identify the creative)"
    ]
