"""How fast the emulator answers BATCH_GET of posts: a plan of 15,000 content-managed creatives reads
the post behind each, 100 per call.

    python benchmarks/emulator_posts.py               # 15,000 posts, in memory and over SQLite
    python benchmarks/emulator_posts.py --posts 1500

Posts are seeded (image DSC posts of one organization, as ``apply`` makes them), then read with
``GET /rest/posts?ids=List(…)`` in calls of 100 percent-encoded URNs, in process (no socket, no added
latency): the time is the emulator's own work per call. Prints seconds per store.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, SqliteStore, Store, seed_entities

ACCOUNT = "urn:li:sponsoredAccount:500000001"
HEADERS = {
    "Authorization": "Bearer bench",
    "LinkedIn-Version": "202610",
    "X-Restli-Protocol-Version": "2.0.0",
}
PER_CALL = 100


def posts(n: int) -> list[dict[str, object]]:
    """``n`` image DSC posts over 500 distinct images."""
    return [
        {
            "id": f"urn:li:share:{7_000_000_000_000_000_000 + i}",
            "author": "urn:li:organization:2414183",
            "commentary": "Ship releases 2x faster with one pipeline. " * 3,
            "content": {"media": {"id": f"urn:li:image:C4E10AQ{i % 500}", "title": "See the 3-minute demo"}},
            "contentLandingPage": "https://www.example.com/demo?utm_source=linkedin",
            "contentCallToActionLabel": "LEARN_MORE",
            "adContext": {
                "dscAdAccount": ACCOUNT,
                "dscAdType": "STANDARD",
                "dscStatus": "ACTIVE",
                "isDsc": True,
            },
            "distribution": {"feedDistribution": "NONE"},
            "lifecycleState": "PUBLISHED",
            "visibility": "PUBLIC",
        }
        for i in range(n)
    ]


def measure(store: Store, n: int) -> float:
    """Seconds to batch-read ``n`` seeded posts, ``PER_CALL`` per call."""
    emulator = Emulator(store, EmulatorConfig(clock=lambda: 1_795_000_000_000))
    try:
        seeded = posts(n)
        seed_entities(emulator, {"posts": seeded})
        urns = [quote(str(p["id"]), safe="") for p in seeded]
        started = time.perf_counter()
        for start in range(0, n, PER_CALL):
            target = f"/rest/posts?ids=List({','.join(urns[start : start + PER_CALL])})"
            response = emulator.handle("GET", target, HEADERS)
            assert response.status == 200, response.body[:200]
        return time.perf_counter() - started
    finally:
        emulator.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=15_000)
    args = parser.parse_args()
    calls = -(-args.posts // PER_CALL)
    with tempfile.TemporaryDirectory() as tmp:
        for name, store in (("memory", MemoryStore()), ("sqlite", SqliteStore(Path(tmp) / "posts.sqlite"))):
            seconds = measure(store, args.posts)
            each = seconds / calls * 1000
            print(f"{name:6} {args.posts} posts in {calls} calls: {seconds:.2f} s ({each:.1f} ms a call)")


if __name__ == "__main__":
    main()
