"""The manifest JSON Schema: well formed, fully documented, closed, and in step with the model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from reconciler.manifest import manifest_schema
from reconciler.manifest.fields import CAMPAIGN_FIELDS, CREATIVE_FIELDS, GROUP_FIELDS, SETTABLE_STATUSES
from reconciler.model import (
    BID_STRATEGIES,
    BUDGET_OPTIMIZATION_STRATEGIES,
    CAMPAIGN_FORMATS,
    CREATIVE_SELECTIONS,
    DYNAMIC_CALL_TO_ACTIONS,
    KINDS,
    LEADGEN_LABELS,
    OBJECTIVE_ALIASES,
    OBJECTIVE_TYPES,
    OPTIMIZATION_TARGET_TYPES,
    PACING_STRATEGIES,
    POLITICAL_INTENTS,
    POST_CALL_TO_ACTIONS,
    TARGETING_FACETS,
    CampaignStatus,
    CampaignType,
    CostType,
    CreativeStatus,
    GroupStatus,
)
from reconciler.model.entities import CAMPAIGN_FIELDS as API_CAMPAIGN_FIELDS
from reconciler.model.entities import GROUP_FIELDS as API_GROUP_FIELDS

ROOT = Path(__file__).parents[2]
SCHEMA = manifest_schema()
DEFS = SCHEMA["$defs"]


def subschemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in the document, with a JSON-pointer-ish name."""
    if isinstance(node, dict):
        if "type" in node or "$ref" in node or "enum" in node or "const" in node:
            yield where, node
        for key, value in node.items():
            if key not in ("enum", "const", "required"):
                yield from subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from subschemas(value, f"{where}/{index}")


def test_the_schema_is_valid_draft_2020_12_with_an_id() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"].startswith("urn:uuid:")  # an id, not a URL someone else could register and serve


def test_the_packaged_schema_is_the_one_at_the_repository_root() -> None:
    assert json.loads((ROOT / "schemas" / "manifest.schema.json").read_text()) == SCHEMA


def test_every_property_has_a_title_and_a_description() -> None:
    missing = [
        f"{where}/properties/{name}"
        for where, node in subschemas(SCHEMA)
        for name, prop in node.get("properties", {}).items()
        if not (prop.get("title") and prop.get("description"))
    ]
    assert missing == []


def test_every_object_is_closed() -> None:
    open_objects = [
        where
        for where, node in subschemas(SCHEMA)
        if "object" in node.get("type", ()) and "additionalProperties" not in node
    ]
    assert open_objects == []
    fixed = [node for _, node in subschemas(SCHEMA) if "properties" in node]
    assert all(node["additionalProperties"] is False for node in fixed)


def test_patterns_are_anchored_and_compile() -> None:
    for where, node in subschemas(SCHEMA):
        if "pattern" in node:
            assert node["pattern"].startswith("^") and node["pattern"].endswith("$"), where
            re.compile(node["pattern"])
            assert node.get("patternErrorMessage"), where


def enum_of(*path: str) -> list[str]:
    node: Any = DEFS
    for key in path:
        node = node[key]
    return list(node["enum"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("campaignGroup", "properties", "status"), list(SETTABLE_STATUSES)),
        (("campaign", "properties", "status"), list(SETTABLE_STATUSES)),
        (("creative", "properties", "intendedStatus"), list(SETTABLE_STATUSES)),
        (("campaign", "properties", "type"), [t.value for t in CampaignType]),
        (("campaign", "properties", "costType"), [t.value for t in CostType]),
        (("campaign", "properties", "objectiveType"), [*OBJECTIVE_TYPES, *OBJECTIVE_ALIASES]),
        (("campaign", "properties", "optimizationTargetType"), list(OPTIMIZATION_TARGET_TYPES)),
        (("campaign", "properties", "creativeSelection"), list(CREATIVE_SELECTIONS)),
        (("campaign", "properties", "format"), list(CAMPAIGN_FORMATS)),
        (("campaign", "properties", "pacingStrategy"), list(PACING_STRATEGIES)),
        (("campaign", "properties", "politicalIntent"), list(POLITICAL_INTENTS)),
        (("budgetOptimization", "properties", "bidStrategy"), list(BID_STRATEGIES)),
        (
            ("budgetOptimization", "properties", "budgetOptimizationStrategy"),
            list(BUDGET_OPTIMIZATION_STRATEGIES),
        ),
        (("leadgenCallToAction", "properties", "label"), list(LEADGEN_LABELS)),
        (("imageContent", "properties", "callToAction"), list(POST_CALL_TO_ACTIONS)),
        (("videoContent", "properties", "callToAction"), list(POST_CALL_TO_ACTIONS)),
        (("followerContent", "properties", "callToAction"), list(DYNAMIC_CALL_TO_ACTIONS)),
        (("jobsContent", "properties", "callToAction"), list(DYNAMIC_CALL_TO_ACTIONS)),
    ],
)
def test_enums_are_the_models_own_values(path: tuple[str, ...], expected: list[str]) -> None:
    assert enum_of(*path) == expected


def test_settable_statuses_exist_in_every_status_enum() -> None:
    for enum in (GroupStatus, CampaignStatus, CreativeStatus):
        assert set(SETTABLE_STATUSES) <= {s.value for s in enum}


def test_campaign_defaults_use_the_same_field_schemas_as_campaigns() -> None:
    campaign, defaults = DEFS["campaign"]["properties"], DEFS["campaignDefaults"]["properties"]
    assert {name: campaign[name] for name in defaults} == defaults
    assert set(campaign) - set(defaults) == {"name", "id", "targeting", "ignoreChanges", "creatives"}


def test_targeting_facets_are_the_models_facets() -> None:
    assert tuple(DEFS["clause"]["properties"]) == TARGETING_FACETS


def test_every_settable_model_field_has_a_manifest_form() -> None:
    api_names = {"targeting" if k == "targetingCriteria" else k for k in API_CAMPAIGN_FIELDS}
    assert api_names | {"name"} == set(CAMPAIGN_FIELDS) <= set(DEFS["campaign"]["properties"])
    assert set(API_GROUP_FIELDS) | {"name"} == set(GROUP_FIELDS) <= set(DEFS["campaignGroup"]["properties"])
    assert set(CREATIVE_FIELDS) <= set(DEFS["creative"]["properties"])


@pytest.mark.parametrize("path", sorted((ROOT / "examples").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_example_file_points_editors_at_the_schema(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (ROOT / "reconciler" / "schemas" / "manifest.schema.json").resolve()


def test_content_offers_every_kind_of_the_model() -> None:
    kinds = DEFS["content"]["properties"]
    assert set(kinds) == {"reference", "textAd", *KINDS}
    assert all(kinds[kind]["$ref"] == f"#/$defs/{kind}Content" for kind in KINDS)
