"""The drift renderers, from a report's dict only: human, Markdown (bounded), JSON."""

from __future__ import annotations

import json

import pytest

from reconciler.drift import DriftItem, DriftReport, DriftState, FieldDrift, for_output, render, summary_line

WHO = "urn:li:person:marketer"
MONEY = {"amount": "150", "currencyCode": "USD"}


def item(state: DriftState, name: str = "C", **kw: object) -> DriftItem:
    return DriftItem(state, kw.pop("kind", "campaign"), ("500000001", "G", name), **kw)  # type: ignore[arg-type]


CHANGED = item(
    DriftState.CHANGED,
    id=20,
    fields=(
        FieldDrift("dailyBudget", MONEY, {"amount": "300", "currencyCode": "USD"}),
        FieldDrift("runSchedule", {"start": 1_798_761_600_000}, {"start": 1_798_794_000_000}, ignored=True),
    ),
    modified_at=1_793_000_000_123,
    modified_by=WHO,
    where="manifests/g.yaml:12:9",
)
UNMANAGED = item(DriftState.UNMANAGED, "New | thing", id=21, status="DRAFT", created_at=1_793_000_000_000)
NOT_APPLIED = item(DriftState.NOT_APPLIED, "Later")


def report(*items: DriftItem, count_unmanaged: bool = True) -> dict[str, object]:
    return DriftReport("emulator", "202610", "sha256:x", items, count_unmanaged).to_dict()


def test_human_reads_manifest_to_live_with_who_and_when() -> None:
    text = render(report(CHANGED, UNMANAGED, NOT_APPLIED), "human")

    assert text.splitlines()[:2] == [
        'Drift of target "emulator" from the manifests',
        "LinkedIn API 202610 · values read manifest → live",
    ]
    assert "  ~ changed campaign 500000001 / G / C (id 20)\n" in text
    assert "    dailyBudget: 150 USD → 300 USD\n" in text
    assert "    runSchedule: from 2027-01-01, no end → from 2027-01-01T09:00:00Z, no end  (ignored)\n" in text
    assert f"    changed in Campaign Manager at 2026-10-26T07:33:20.123Z by {WHO}\n" in text
    assert "    manifest: manifests/g.yaml:12:9\n" in text
    assert "  ? unmanaged campaign 500000001 / G / New | thing (id 21, DRAFT)\n" in text
    assert "    (created 2026-10-26T07:33:20Z)\n" in text
    assert "  + campaign 500000001 / G / Later\n" in text
    assert text.endswith("Drift: 1 changed, 1 unmanaged (1 not yet applied).\n")
    assert "\x1b[" not in text
    assert "\x1b[33m" in render(report(CHANGED), "human", color=True)


@pytest.mark.parametrize(
    ("items", "count", "line"),
    [
        ((), True, "No drift: the live account matches the manifests."),
        ((NOT_APPLIED,), True, "No drift (1 not yet applied)."),
        ((UNMANAGED,), False, "No drift counted: 1 unmanaged listed."),
        ((CHANGED, CHANGED), True, "Drift: 2 changed."),
    ],
)
def test_summary_line(items: tuple[DriftItem, ...], count: bool, line: str) -> None:
    assert summary_line(report(*items, count_unmanaged=count)) == line


def test_markdown_has_a_summary_table_and_escapes_cells() -> None:
    text = render(report(CHANGED, UNMANAGED, NOT_APPLIED), "markdown")

    assert text.startswith(
        "## LinkedIn Ads drift\n\n**Drift: 1 changed, 1 unmanaged (1 not yet applied).**\n"
    )
    assert "| 1 | 0 | 1 | 0 | 1 |" in text
    assert "| campaign 500000001 / G / C (id 20) | dailyBudget | `150 USD` | `300 USD` |" in text
    assert "| runSchedule (ignored) |" in text
    assert (
        f"| changed in Campaign Manager at 2026-10-26T07:33:20.123Z by {WHO} | `manifests/g.yaml:12:9` |\n"
        in text
    )
    assert "New \\| thing" in text
    assert "<details><summary>Not yet applied (1) — not drift</summary>" in text


def test_markdown_is_cut_to_the_limit_with_a_note() -> None:
    many = [item(DriftState.CHANGED, f"C{n:04d}", id=n, fields=CHANGED.fields) for n in range(2_000)]

    text = render(report(*many), "markdown", max_chars=20_000)

    assert len(text) <= 20_000
    assert "… truncated: " in text
    assert "run `reconciler drift --format json` for all of them." in text
    assert len(render(report(*many), "markdown")) <= 60_000


def test_json_is_the_dict_with_sorted_keys() -> None:
    data = report(CHANGED)

    text = render(data, "json")

    assert json.loads(text) == data
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown drift format 'xml'"):
        render(report(), "xml")


@pytest.mark.parametrize("fmt", ["human", "markdown", "json"])
def test_for_output_takes_the_member_out_unless_actors_are_shown(fmt: str) -> None:
    hidden = render(for_output(report(CHANGED, UNMANAGED), show_actors=False), fmt)
    shown = render(for_output(report(CHANGED, UNMANAGED), show_actors=True), fmt)

    assert WHO not in hidden and "urn:li:person" not in hidden
    assert "changed in Campaign Manager at 2026-10-26T07:33:20.123Z" in hidden
    assert f"changed in Campaign Manager at 2026-10-26T07:33:20.123Z by {WHO}" in shown
