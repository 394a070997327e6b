"""audienceCounts (q=targetingCriteriaV2): the documented audience model, called as the docs show."""

from __future__ import annotations

import subprocess
import sys
from typing import Any
from urllib.parse import quote

import httpx

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings
from tests.emulator.helpers import NOW, call, headers

US = "urn:li:geo:103644278"
CALIFORNIA = "urn:li:geo:102095887"
SEATTLE = "urn:li:geo:90000091"
DIRECTOR, VP, ENTRY = "urn:li:seniority:6", "urn:li:seniority:7", "urn:li:seniority:3"
OWN_STAFF = "urn:li:organization:2414183"


def encode_or(facets: dict[str, list[str]]) -> str:
    """One Rest.li 2.0 ``or`` record: facet URNs and values percent-encoded, structure literal."""
    parts = []
    for facet, values in facets.items():
        listed = ",".join(quote(v, safe="") for v in values)
        parts.append(f"{quote('urn:li:adTargetingFacet:' + facet, safe='')}:List({listed})")
    return f"(or:({','.join(parts)}))"


def criteria(include: list[dict[str, list[str]]], exclude: dict[str, list[str]] | None = None) -> str:
    text = f"(include:(and:List({','.join(encode_or(c) for c in include)}))"
    if exclude:
        text += f",exclude:{encode_or(exclude)[1:-1].join(('(', ')'))}"
    return text + ")"


def count(
    emu: Emulator, include: list[dict[str, list[str]]], exclude: dict[str, list[str]] | None = None
) -> Any:
    response = call(
        emu,
        "GET",
        f"/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria={criteria(include, exclude)}",
    )
    assert response.status == 200, response.body
    body = response.json()
    assert set(body["elements"][0]) == {"total", "active"}
    return body["elements"][0]["total"]


def test_the_docs_sample_request_answers_a_rounded_total(emu: Emulator) -> None:
    target = (
        "/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:"
        "(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))))))"
    )
    element = call(emu, "GET", target).json()["elements"][0]
    assert element["total"] == 230_000_000 and element["total"] % 100 == 0
    assert 0 < element["active"] < element["total"]


def test_include_clauses_narrow_and_or_values_widen(emu: Emulator) -> None:
    us = count(emu, [{"locations": [US]}])
    directors = count(emu, [{"locations": [US]}, {"seniorities": [DIRECTOR]}])
    directors_or_vps = count(emu, [{"locations": [US]}, {"seniorities": [DIRECTOR, VP]}])
    assert us > directors_or_vps > directors > 0
    # Seattle inside the United States adds nobody to the same clause.
    assert count(emu, [{"locations": [US, SEATTLE]}]) == us


def test_exclusions_remove_members(emu: Emulator) -> None:
    base = [{"locations": [US]}, {"seniorities": [DIRECTOR]}]
    whole = count(emu, base)
    assert count(emu, base, {"employers": [OWN_STAFF]}) < whole
    assert count(emu, [{"locations": [US]}], {"locations": [CALIFORNIA]}) == 230_000_000 - 28_000_000
    # Excluding a place that encloses the only included one leaves nobody.
    assert count(emu, [{"locations": [SEATTLE]}], {"locations": [US]}) == 0
    # A seniority nobody in the clause can hold changes nothing.
    assert count(emu, base, {"seniorities": [ENTRY]}) == whole


def test_counts_are_deterministic_for_urns_outside_the_catalog(emu: Emulator) -> None:
    unknown = [{"locations": [US]}, {"titles": ["urn:li:title:987654"]}]
    assert count(emu, unknown) == count(emu, unknown) > 0


def test_below_300_members_the_answer_is_zero() -> None:
    small = Emulator(
        MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=Settings(audience_scale=0.00001))
    )
    # United States directors: about 15 million members, scaled to about 150.
    assert count(small, [{"locations": [US]}, {"seniorities": [DIRECTOR]}]) == 0
    assert count(small, [{"locations": [US]}]) == 2300


def test_bad_targeting_gets_linkedins_400(emu: Emulator) -> None:
    both = criteria([{"seniorities": [DIRECTOR]}], {"seniorities": [DIRECTOR]})
    response = call(emu, "GET", f"/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria={both}")
    assert (
        response.status == 400
        and "FIELD_CANNOT_BE_BOTH_IN_INCLUDED_AND_EXCLUDED_TARGETING" in response.body.decode()
    )
    assert call(emu, "GET", "/rest/audienceCounts?q=targetingCriteriaV2").status == 400
    assert call(emu, "GET", "/rest/audienceCounts?q=other&targetingCriteria=(a:b)").status == 400
    assert (
        call(
            emu, "GET", "/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List()))"
        ).status
        == 400
    )


def test_serve_audience_scale_multiplies_every_count() -> None:
    command = [sys.executable, "-c", "from reconciler.emulator.cli import app; app()", "serve", "--port", "0"]
    command += ["--memory", "--audience-scale", "0.5"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().split(" on ")[1].split("/rest/")[0]
        us = criteria([{"locations": [US]}])
        target = f"{base}/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria={us}"
        got = httpx.get(target, headers=headers())
        assert got.json()["elements"][0]["total"] == 115_000_000
    finally:
        process.terminate()
        process.communicate(timeout=10)
