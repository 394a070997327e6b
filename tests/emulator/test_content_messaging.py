"""Message ads (inMailContents) and Conversation ads (conversationAds, sponsoredMessageContents,
firstMessageContent), and the creatives that reference them."""

from __future__ import annotations

from typing import Any

from reconciler.emulator import Emulator
from tests.emulator.conftest import Tree
from tests.emulator.content_helpers import campaign, creative, enc, image
from tests.emulator.helpers import ACCOUNT_URN, call, code, coll

SENDER = "urn:li:person:AbC123"


def inmail_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "account": ACCOUNT_URN,
        "name": "Launch InMail",
        "sender": SENDER,
        "subject": "Ship releases 2x faster",
        "htmlBody": "<p>Hi %FIRSTNAME%,</p><p>See the demo.</p>",
        "subContent": {
            "regular": {"callToActionText": "See the demo", "callToActionLandingPageUrl": "https://x.io/demo"}
        },
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def created(response: Any) -> str:
    assert response.status == 201, response.body
    return str(response.headers["x-restli-id"])


def inmail_campaign(emu: Emulator, tree: Tree, format_: str) -> int:
    return campaign(
        emu,
        tree.group,
        type="SPONSORED_INMAILS",
        format=format_,
        associatedEntity=None,
        objectiveType="WEBSITE_VISIT",
    )


def test_inmail_content_is_created_read_and_batch_read(emu: Emulator) -> None:
    banner = image(emu)
    body = inmail_body()
    body["subContent"]["regular"]["rightRailAdPicture"] = banner
    urn = created(call(emu, "POST", "/rest/inMailContents", body, method="CREATE"))
    assert urn.startswith("urn:li:adInMailContent:")
    got = call(emu, "GET", f"/rest/inMailContents/{enc(urn)}").json()
    assert got["subject"] == body["subject"] and got["subContent"] == body["subContent"]
    batch = call(emu, "GET", f"/rest/inMailContents?ids=List({enc(urn)})").json()
    assert list(batch["results"]) == [enc(urn)]
    rename = {"patch": {"$set": {"name": "Renamed"}}}
    assert (
        call(emu, "POST", f"/rest/inMailContents/{enc(urn)}", rename, method="PARTIAL_UPDATE").status == 204
    )
    reword = {"patch": {"$set": {"subject": "Other"}}}
    assert (
        call(emu, "POST", f"/rest/inMailContents/{enc(urn)}", reword, method="PARTIAL_UPDATE").status == 400
    )


def test_invalid_inmail_content_is_refused(emu: Emulator) -> None:
    cases = [
        inmail_body(sender="urn:li:organization:1"),
        inmail_body(subject="x" * 61),
        inmail_body(
            subContent={"regular": {"callToActionText": "x" * 21, "callToActionLandingPageUrl": "https://x"}}
        ),
        inmail_body(subContent={"regular": {"callToActionText": "Go"}}),
        inmail_body(account="urn:li:sponsoredAccount:1"),
        inmail_body(htmlBody=None),
    ]
    for body in cases:
        response = call(emu, "POST", "/rest/inMailContents", body, method="CREATE")
        assert response.status == 400 and response.json()["status"] == 400, body


def conversation_tree(emu: Emulator) -> tuple[str, str]:
    """A conversation whose root offers a website and a follow-up message; (conversation, root)."""
    conversation = created(
        call(
            emu,
            "POST",
            "/rest/conversationAds",
            {"parentAccount": ACCOUNT_URN, "headlineText": "Hi"},
            method="CREATE",
        )
    )
    messages = f"/rest/conversationAds/{enc(conversation)}/sponsoredMessageContents"
    leaves = {
        "elements": [
            {"bodySource": {"text": "Thanks! Here is the guide."}},
            {"bodySource": {"leadGenerationForm": "urn:li:adForm:123"}},
        ]
    }
    made = call(emu, "POST", messages, leaves, method="BATCH_CREATE").json()["elements"]
    assert [m["status"] for m in made] == [201, 201]
    thanks, form = made[0]["id"], made[1]["id"]
    assert thanks.startswith(f"urn:li:sponsoredMessageContent:({conversation},")
    root = {
        "bodySource": {"text": "Hi %FIRSTNAME%, want the guide?"},
        "nextAction": {
            "options": [
                {"replyType": "SIMPLE_REPLY", "optionText": "Yes please", "nextContent": thanks},
                {"replyType": "LEAD_GENERATION", "optionText": "Sign me up", "nextContent": form},
                {"replyType": "EXTERNAL_WEBSITE", "optionText": "Visit site", "landingPage": "https://x.io"},
            ]
        },
    }
    root_urn = created(call(emu, "POST", messages, root, method="CREATE"))
    return conversation, root_urn


def test_a_conversation_tree_is_built_leaves_first_and_read_back(emu: Emulator) -> None:
    conversation, root = conversation_tree(emu)
    path = f"/rest/conversationAds/{enc(conversation)}"
    assert (
        call(
            emu, "POST", path, {"patch": {"$set": {"firstMessageContent": root}}}, method="PARTIAL_UPDATE"
        ).status
        == 204
    )
    assert call(emu, "GET", path).json()["firstMessageContent"] == root
    listed = call(emu, "GET", f"{path}/sponsoredMessageContents").json()["elements"]
    assert [m["id"] for m in listed][-1] == root and len(listed) == 3
    assert call(emu, "GET", f"{path}/sponsoredMessageContents/{enc(root)}").json()["id"] == root


def test_invalid_messages_are_refused(emu: Emulator) -> None:
    conversation, root = conversation_tree(emu)
    messages = f"/rest/conversationAds/{enc(conversation)}/sponsoredMessageContents"
    other = created(
        call(emu, "POST", "/rest/conversationAds", {"parentAccount": ACCOUNT_URN}, method="CREATE")
    )
    bad = [
        {"bodySource": {"text": "x" * 8001}},
        {
            "bodySource": {"text": "Hi"},
            "nextAction": {"options": [{"replyType": "SIMPLE_REPLY", "optionText": "x" * 36}]},
        },
        {
            "bodySource": {"text": "Hi"},
            "nextAction": {"options": [{"replyType": "EXTERNAL_WEBSITE", "optionText": "Go"}]},
        },
        {
            "bodySource": {"text": "Hi"},
            "nextAction": {"options": [{"replyType": "SIMPLE_REPLY", "optionText": "Go"}] * 6},
        },
        {
            "bodySource": {"text": "Hi"},
            "nextAction": {
                "options": [{"replyType": "SIMPLE_REPLY", "optionText": "Go", "nextContent": f"{root}9"}]
            },
        },
    ]
    out = call(emu, "POST", messages, {"elements": bad}, method="BATCH_CREATE").json()["elements"]
    assert [m["status"] for m in out] == [400] * len(bad)
    foreign = {"patch": {"$set": {"firstMessageContent": root}}}
    assert (
        call(emu, "POST", f"/rest/conversationAds/{enc(other)}", foreign, method="PARTIAL_UPDATE").status
        == 400
    )


def test_a_message_as_long_as_the_published_ad_specs_allow_is_accepted(emu: Emulator) -> None:
    """validate lets a conversation message run to 8,000 characters (LinkedIn's conversation ad
    specs): the emulator must not refuse what validate passes."""
    conversation, _ = conversation_tree(emu)
    messages = f"/rest/conversationAds/{enc(conversation)}/sponsoredMessageContents"
    long = {"bodySource": {"text": "x" * 8000}}
    out = call(emu, "POST", messages, {"elements": [long]}, method="BATCH_CREATE").json()["elements"]
    assert [m["status"] for m in out] == [201]


def test_a_conversation_without_first_message_cannot_go_live(emu: Emulator, tree: Tree) -> None:
    conversation, root = conversation_tree(emu)
    opening = inmail_body(
        htmlBody=None, subContent={"guidedReplies": {"sponsoredConversation": conversation}}
    )
    content = created(call(emu, "POST", "/rest/inMailContents", opening, method="CREATE"))
    key = inmail_campaign(emu, tree, "SPONSORED_MESSAGE")
    live = creative(emu, key, {"reference": content})
    assert (live.status, code(live)) == (400, "INVALID_VALUE_FOR_FIELD")
    draft = creative(emu, key, {"reference": content}, intendedStatus="DRAFT")
    assert draft.status == 201
    archive = {"patch": {"$set": {"intendedStatus": "ARCHIVED"}}}
    target = f"{coll('creatives')}/{enc(draft.headers['x-restli-id'])}"
    assert call(emu, "POST", target, archive, method="PARTIAL_UPDATE").status == 204
    path = f"/rest/conversationAds/{enc(conversation)}"
    call(emu, "POST", path, {"patch": {"$set": {"firstMessageContent": root}}}, method="PARTIAL_UPDATE")
    assert creative(emu, key, {"reference": content}).status == 201
    assert creative(emu, key, {"reference": conversation}).status == 201


def test_message_and_conversation_ads_only_in_their_formats(emu: Emulator, tree: Tree) -> None:
    message = created(call(emu, "POST", "/rest/inMailContents", inmail_body(), method="CREATE"))
    conversation, root = conversation_tree(emu)
    path = f"/rest/conversationAds/{enc(conversation)}"
    call(emu, "POST", path, {"patch": {"$set": {"firstMessageContent": root}}}, method="PARTIAL_UPDATE")
    inmail_key = inmail_campaign(emu, tree, "SPONSORED_INMAIL")
    message_key = inmail_campaign(emu, tree, "SPONSORED_MESSAGE")
    assert creative(emu, inmail_key, {"reference": message}).status == 201
    assert creative(emu, message_key, {"reference": message}).status == 400
    assert creative(emu, inmail_key, {"reference": conversation}).status == 400
    assert creative(emu, tree.campaign, {"reference": message}).status == 400  # a SPONSORED_UPDATES campaign
    fresh = campaign(
        emu, tree.group, type="SPONSORED_INMAILS", associatedEntity=None, objectiveType="WEBSITE_VISIT"
    )
    assert creative(emu, fresh, {"reference": message}).status == 201
    assert call(emu, "GET", f"{coll('adCampaigns')}/{fresh}").json()["format"] == "SPONSORED_INMAIL"


def test_messages_change_without_cycles_and_only_unreferenced_ones_are_deleted(emu: Emulator) -> None:
    conversation, root = conversation_tree(emu)
    base = f"/rest/conversationAds/{enc(conversation)}"
    messages = call(emu, "GET", f"{base}/sponsoredMessageContents").json()["elements"]
    thanks = messages[0]["id"]
    reword = {"patch": {"bodySource": {"$set": {"text": "Thank you!"}}}}
    target = f"{base}/sponsoredMessageContents/{enc(thanks)}"
    assert call(emu, "POST", target, reword, method="PARTIAL_UPDATE").status == 204
    assert call(emu, "GET", target).json()["bodySource"]["text"] == "Thank you!"
    loop = {"options": [{"replyType": "SIMPLE_REPLY", "optionText": "Again", "nextContent": root}]}
    cycle = call(emu, "POST", target, {"patch": {"$set": {"nextAction": loop}}}, method="PARTIAL_UPDATE")
    assert cycle.status == 400
    spare = created(
        call(
            emu,
            "POST",
            f"{base}/sponsoredMessageContents",
            {"bodySource": {"text": "Spare"}},
            method="CREATE",
        )
    )
    ids = ",".join(enc(u) for u in (thanks, spare))
    out = call(
        emu, "DELETE", f"{base}/sponsoredMessageContents?ids=List({ids})", method="BATCH_DELETE"
    ).json()
    assert out["results"] == {enc(spare): {"status": 204}}
    assert list(out["errors"]) == [enc(thanks)]  # the root still leads to it


def test_a_lead_gen_conversation_shows_the_creatives_form(emu: Emulator, tree: Tree) -> None:
    conversation, root = conversation_tree(emu)  # its form message shows urn:li:adForm:123
    path = f"/rest/conversationAds/{enc(conversation)}"
    call(emu, "POST", path, {"patch": {"$set": {"firstMessageContent": root}}}, method="PARTIAL_UPDATE")
    key = campaign(
        emu,
        tree.group,
        type="SPONSORED_INMAILS",
        format="SPONSORED_MESSAGE",
        associatedEntity=None,
        objectiveType="LEAD_GENERATION",
    )

    def with_form(form: str) -> Any:
        cta = {"destination": form, "label": "SIGN_UP"}
        return creative(emu, key, {"reference": conversation}, leadgenCallToAction=cta)

    other = with_form("urn:li:adForm:999")
    assert (other.status, code(other)) == (
        400,
        "SPONSORED_MESSAGE_CONTENT_AD_FORM_URN_NOT_FOUND_IN_MESSAGE_TREE",
    )
    assert with_form("urn:li:adForm:123").status == 201
