"""Creatives that show content: a reference to a post checked against its campaign (author, format,
account), ``createInline`` making post and creative in one call, and dynamic ads' content."""

from __future__ import annotations

from typing import Any

from reconciler.emulator import Emulator, seed_entities
from tests.emulator.conftest import Tree
from tests.emulator.content_helpers import (
    campaign,
    creative,
    document,
    enc,
    error_text,
    image,
    init,
    new_post,
    post_body,
    video,
)
from tests.emulator.helpers import ACCOUNT_URN, call, campaign_body, code, coll, created_id


def fmt(emu: Emulator, campaign_id: int) -> Any:
    return call(emu, "GET", f"{coll('adCampaigns')}/{campaign_id}").json().get("format")


def image_post(emu: Emulator, **over: Any) -> str:
    return new_post(emu, {"media": {"id": image(emu), "title": "Demo"}}, **over)


def carousel_post(emu: Emulator) -> str:
    cards = [{"media": {"id": image(emu)}, "landingPage": f"https://x.io/{n}"} for n in range(3)]
    return new_post(emu, {"carousel": {"cards": cards}})


def test_an_image_post_sets_a_new_campaigns_format_to_standard_update(emu: Emulator, tree: Tree) -> None:
    key = campaign(emu, tree.group)
    assert creative(emu, key, {"reference": image_post(emu)}).status == 201
    assert fmt(emu, key) == "STANDARD_UPDATE"


def test_each_post_kind_only_in_its_campaign_format(emu: Emulator, tree: Tree) -> None:
    video_campaign = campaign(emu, tree.group, format="SINGLE_VIDEO")
    carousel_campaign = campaign(emu, tree.group, format="CAROUSEL")
    standard = campaign(emu, tree.group, format="STANDARD_UPDATE")
    film = new_post(emu, {"media": {"id": video(emu), "title": "Film"}})
    cards = carousel_post(emu)
    picture = image_post(emu)
    guide = new_post(emu, {"media": {"id": document(emu), "title": "Guide"}})
    for post, home in (
        (film, video_campaign),
        (cards, carousel_campaign),
        (picture, standard),
        (guide, standard),
    ):
        for key in (video_campaign, carousel_campaign, standard):
            response = creative(emu, key, {"reference": post})
            if key == home:
                assert response.status == 201, response.body
            else:
                assert (response.status, code(response)) == (400, "INVALID_VALUE_FOR_FIELD"), (post, key)
                assert "campaign" in error_text(response)


def test_the_post_author_must_be_the_campaigns_organization(emu: Emulator, tree: Tree) -> None:
    other = new_post(emu, author="urn:li:organization:9")
    response = creative(emu, tree.campaign, {"reference": other})
    assert (response.status, code(response)) == (400, "INVALID_VALUE_FOR_FIELD")
    assert "associatedEntity" in error_text(response)


def test_a_post_the_emulator_does_not_hold_is_taken_as_made_elsewhere(emu: Emulator, tree: Tree) -> None:
    assert creative(emu, tree.campaign, {"reference": "urn:li:ugcPost:6999999999999999999"}).status == 201


def test_create_inline_makes_the_post_and_the_creative(emu: Emulator, tree: Tree) -> None:
    post = post_body({"media": {"id": image(emu), "title": "Demo"}}, adContext=None)
    body = {
        "creative": {
            "campaign": f"urn:li:sponsoredCampaign:{tree.campaign}",
            "intendedStatus": "ACTIVE",
            "name": "Inline",
            "inlineContent": {"post": post},
        }
    }
    response = call(emu, "POST", f"{coll('creatives')}?action=createInline", body, method="ACTION")
    assert response.status == 200, response.body
    value = response.json()["value"]
    assert response.headers["x-restli-id"] == value["creative"]
    made = call(emu, "GET", f"{coll('creatives')}/{enc(value['creative'])}").json()
    assert made["content"] == {"reference": value["post"]}
    got = call(emu, "GET", f"/rest/posts/{enc(value['post'])}").json()
    assert got["adContext"]["dscAdAccount"] == ACCOUNT_URN  # the account of the path


def test_create_inline_refused_leaves_no_post_behind(emu: Emulator, tree: Tree) -> None:
    key = campaign(emu, tree.group, format="SINGLE_VIDEO")
    post = post_body({"media": {"id": image(emu), "title": "Demo"}})
    body = {"creative": {"campaign": f"urn:li:sponsoredCampaign:{key}", "intendedStatus": "ACTIVE"}}
    body["creative"]["inlineContent"] = {"post": post}
    response = call(emu, "POST", f"{coll('creatives')}?action=createInline", body, method="ACTION")
    assert response.status == 400
    posts = call(emu, "GET", f"/rest/posts?q=dscAdAccount&dscAdAccount={enc(ACCOUNT_URN)}").json()
    assert posts["elements"] == []
    bad_post = {
        "creative": {**body["creative"], "inlineContent": {"post": {**post, "author": "urn:li:person:x"}}}
    }
    assert (
        call(emu, "POST", f"{coll('creatives')}?action=createInline", bad_post, method="ACTION").status == 422
    )


def dynamic_campaign(emu: Emulator, tree: Tree, format_: str) -> int:
    return campaign(emu, tree.group, type="DYNAMIC", format=format_, objectiveType="BRAND_AWARENESS")


def test_dynamic_ads_content_shapes_and_their_formats(emu: Emulator, tree: Tree) -> None:
    follow_campaign = dynamic_campaign(emu, tree, "FOLLOW_COMPANY")
    spotlight_campaign = dynamic_campaign(emu, tree, "SPOTLIGHT")
    logo = image(emu)
    follow = {
        "headline": {"preApproved": "Follow us for release notes"},
        "description": {"custom": "Product news every week"},
        "callToAction": "FOLLOW",
        "logo": logo,
        "organizationName": "Example",
        "showMemberProfilePhoto": True,
    }
    spotlight = {
        "headline": "See the demo",
        "description": "Three minutes",
        "callToAction": "Watch now",
        "landingPage": "https://x.io",
        "logo": logo,
        "backgroundImage": image(emu),
        "showMemberProfilePhoto": False,
    }
    assert creative(emu, follow_campaign, {"follow": follow}).status == 201
    assert creative(emu, spotlight_campaign, {"spotlight": spotlight}).status == 201
    assert creative(emu, spotlight_campaign, {"follow": follow}).status == 400
    assert code(creative(emu, follow_campaign, {"follower": follow})) == "INVALID_VALUE_FOR_FIELD"
    too_long = creative(emu, spotlight_campaign, {"spotlight": {**spotlight, "headline": "x" * 51}})
    assert code(too_long) == "FIELD_LENGTH_TOO_LONG"
    missing = creative(emu, spotlight_campaign, {"spotlight": {**spotlight, "landingPage": None}})
    assert code(missing) == "MISSING_FIELD"
    waiting = init(emu, "images")["image"]
    assert (
        code(creative(emu, follow_campaign, {"follow": {**follow, "logo": waiting}}))
        == "MEDIA_ASSET_NOT_AVAILABLE"
    )
    assert code(creative(emu, follow_campaign, {"follow": {**follow, "logo": "https://x.io/l.png"}})) == (
        "INVALID_VALUE_FOR_FIELD"
    )


def test_jobs_ads_in_a_jobs_campaign(emu: Emulator, tree: Tree) -> None:
    jobs_campaign = dynamic_campaign(emu, tree, "JOBS")
    jobs = {"headline": {"preApproved": "Jobs you may be interested in"}, "showMemberProfilePhoto": True}
    assert creative(emu, jobs_campaign, {"jobs": jobs}).status == 201
    assert creative(emu, jobs_campaign, {"jobs": {"showMemberProfilePhoto": True}}).status == 400


def test_a_video_creative_whose_processing_failed_may_be_deleted(emu: Emulator, tree: Tree) -> None:
    key = campaign(emu, tree.group, format="SINGLE_VIDEO")
    films = {}
    for status in ("PROCESSING_FAILED", "AVAILABLE"):
        urn = f"urn:li:video:C5F10AQ{status[:4]}"
        post = f"urn:li:ugcPost:{7000 + len(films)}"
        seed_entities(
            emu,
            {
                "videos": [{"id": urn, "owner": "urn:li:organization:2414183", "status": status}],
                "posts": [
                    {"id": post, "author": "urn:li:organization:2414183", "content": {"media": {"id": urn}}}
                ],
            },
        )
        films[status] = creative(emu, key, {"reference": post}).headers["x-restli-id"]
    failed = call(emu, "DELETE", f"{coll('creatives')}/{enc(films['PROCESSING_FAILED'])}", method="DELETE")
    assert failed.status == 204
    fine = call(emu, "DELETE", f"{coll('creatives')}/{enc(films['AVAILABLE'])}", method="DELETE")
    assert (fine.status, code(fine)) == (400, "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS")


def test_a_text_ads_image_must_be_available(emu: Emulator, tree: Tree) -> None:
    body = campaign_body(tree.group, type="TEXT_AD", associatedEntity=None, objectiveType="WEBSITE_VISIT")
    key = created_id(call(emu, "POST", coll("adCampaigns"), body, method="CREATE"))
    ad = {"headline": "Ship YAML", "description": "Campaigns as code.", "landingPage": "https://x.io"}
    waiting = creative(emu, key, {"textAd": {**ad, "image": init(emu, "images")["image"]}})
    assert code(waiting) == "MEDIA_ASSET_NOT_AVAILABLE"
    assert creative(emu, key, {"textAd": {**ad, "image": image(emu)}}).status == 201
