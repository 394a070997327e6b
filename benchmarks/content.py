"""The account at the limits with every creative made from the repository (issue 16's "Performance").

15,000 single image ads over 500 distinct image files: ``python benchmarks/limits.py --only content``.
The groups and campaigns are generated and imported as in the other scenarios (no creatives); the
manifests then give every SPONSORED_UPDATES campaign able to take creatives image ads, each image
file used only by campaigns of one organization (so each file is one asset of one owner). Measured:

- **apply from empty**: plan + apply of the 15,000 image ads; it must upload exactly 500 images
  (``initializeUpload`` calls and PUTs), make 15,000 posts, and leave a plan that is empty;
- **no-op plan**: the plan of the applied account, reading the posts behind the creatives in batch
  gets; within 1.15 x the fewest calls (the account's minimum plus one batch get per 200 posts, the
  client's batch size) and 3.5 s at 50 ms latency.
"""

from __future__ import annotations

import io
import math
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from common import Setup, Sizes, prepare

from reconciler.api import LinkedInClient
from reconciler.apply import Status, WaitPolicy, apply_plan, content_maker
from reconciler.manifest.loader import parse_document
from reconciler.workflow import build_plan

FILES = 500
POSTS_PER_BATCH = 200  # keys per batch get of posts: the client's batch size
TAKES_CREATIVES = ("ACTIVE", "PAUSED", "DRAFT")
ACTIVE_PER_CAMPAIGN = 2  # the rest PAUSED: well under 15 active creatives per campaign
NOOP_CALLS_RATIO, NOOP_WALL_S = 1.15, 3.5


def prepare_content(work: Path, sizes: Sizes, files: int = FILES) -> tuple[Setup, int]:
    """The groups and campaigns of ``sizes`` (generated, imported), and manifests giving them
    ``sizes.creatives`` image ads over ``files`` image files (at least one per organization); the
    setup and the number of files."""
    setup = prepare(work, Sizes(sizes.groups, sizes.campaigns, 0))
    docs = {
        p: parse_document(p.name, p.read_bytes()).document
        for p in sorted((setup.manifests / "groups").glob("*.yaml"))
    }
    campaigns = [
        campaign
        for doc in docs.values()
        if doc is not None
        for group in doc.data.get("campaignGroups", [])
        for campaign in group.get("campaigns", [])
        if campaign.get("type") == "SPONSORED_UPDATES" and campaign.get("status") in TAKES_CREATIVES
    ]
    owners = sorted({str(c["associatedEntity"]) for c in campaigns})
    files = max(files, len(owners))
    assets = setup.manifests / "assets"
    assets.mkdir()
    for number in range(files):
        (assets / f"image-{number:03d}.png").write_bytes(_png(number))
    share = {
        owner: range(i * files // len(owners), (i + 1) * files // len(owners))
        for i, owner in enumerate(owners)
    }
    used = dict.fromkeys(owners, 0)
    for number in range(sizes.creatives):
        campaign = campaigns[number % len(campaigns)]
        owner = str(campaign["associatedEntity"])
        mine = share[owner]
        image = mine[used[owner] % len(mine)]
        used[owner] += 1
        creatives = campaign.setdefault("creatives", [])
        status = "ACTIVE" if len(creatives) < ACTIVE_PER_CAMPAIGN else "PAUSED"
        creatives.append(_image_ad(number, image, status))
    for path, doc in docs.items():
        assert doc is not None
        path.write_text(
            yaml.dump(doc.data, Dumper=yaml.CSafeDumper, sort_keys=False, width=4096), encoding="utf-8"
        )
    return setup, files


def _image_ad(number: int, image: int, status: str) -> dict[str, Any]:
    body = {
        "file": f"../assets/image-{image:03d}.png",
        "introText": f"Release {number} ships with one pipeline.",
        "headline": f"See release {number}",
        "landingPage": f"https://www.example.com/releases/{number}",
        "callToAction": "LEARN_MORE",
    }
    return {"name": f"Image ad {number:05d}", "intendedStatus": status, "content": {"image": body}}


def _png(number: int) -> bytes:
    """A 400 x 400 PNG of its own colour."""
    from PIL import Image  # a dependency of the manifests' checks

    colour = (number % 256, (number * 7) // 256 % 256, (number * 13) % 256)
    out = io.BytesIO()
    Image.new("RGB", (400, 400), colour).save(out, "PNG")
    return out.getvalue()


def minimum_noop_calls(base: int, creatives: int) -> int:
    """The account's fewest read calls plus one batch get per 200 posts."""
    return base + math.ceil(creatives / POSTS_PER_BATCH)


def apply_all(client: LinkedInClient, manifests: str, url: str) -> dict[str, Any]:
    """Plan and apply the image ads; what was uploaded, posted and created, and the plan after."""
    began = time.perf_counter()
    result = build_plan([manifests], client, target=url)
    plan_s = time.perf_counter() - began
    maker = content_maker(client, [manifests], wait=WaitPolicy(timeout=600, first=0.2, most=2.0))
    report = apply_plan(result.plan, client, content=maker)
    stats = client.stats
    failures = [f"{r.address}: {r.error}" for r in report.results if r.status is Status.FAILED]
    after = build_plan([manifests], client, target=url).plan
    return {
        "plan_s": plan_s,
        "summary": result.plan.summary(),
        "image_uploads_started": stats.count("ACTION", "images"),
        "image_puts": stats.count("UPLOAD", "images"),
        "posts_made": stats.count("CREATE", "posts"),
        "applied": report.count(Status.APPLIED),
        "failed": report.count(Status.FAILED),
        "failures": failures[:10],
        "changes_after": len(after.changes),
    }


def checks(
    result: Mapping[str, Any], files: int, creatives: int
) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Errors (a wrong run) and targets (met or missed) of the content scenario."""
    errors: list[str] = []
    apply = result["apply"]["extra"]
    if apply["failed"] or apply["changes_after"]:
        failed, after = apply["failed"], apply["changes_after"]
        errors.append(f"content apply: {failed} failed, {after} changes after: {apply['failures']}")
    noop = result["noop"]
    if any(r["extra"]["changes"] for r in noop["runs"]):
        errors.append("content no-op plan is not empty")
    ratio = noop["calls"] / result["min_noop_calls"]
    targets = [
        (
            f"apply from empty uploads exactly {files} images",
            f"{apply['image_uploads_started']} started, {apply['image_puts']} PUT",
            apply["image_uploads_started"] == apply["image_puts"] == files,
        ),
        (f"apply makes {creatives:,} posts", f"{apply['posts_made']:,}", apply["posts_made"] == creatives),
        (
            f"content no-op plan calls <= {NOOP_CALLS_RATIO} x minimum",
            f"{noop['calls']} / {result['min_noop_calls']} = {ratio:.2f}",
            ratio <= NOOP_CALLS_RATIO,
        ),
        (f"content no-op plan <= {NOOP_WALL_S} s", f"{noop['wall_s']:.2f} s", noop["wall_s"] <= NOOP_WALL_S),
    ]
    return errors, targets


def clean(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
