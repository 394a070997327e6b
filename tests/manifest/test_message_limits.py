"""Conversation and message ads checked offline against every limit LinkedIn documents or its API
enforces (the emulator refuses the same), each problem at its file:line:column, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reconciler.adcontent.render import conversation_body, message_body, message_levels
from reconciler.emulator import open_emulator
from reconciler.manifest.messagelimits import emojis
from reconciler.model import account_urn
from tests.adcontent.harness import client_on
from tests.adcontent.killer import Killer
from tests.apply.helpers import ACCOUNT
from tests.manifest.test_manifest_content import FIELD, problems, project

CONVERSATION = {"kind": "SPONSORED_INMAILS", "form": "SPONSORED_MESSAGE"}
MESSAGE = {"kind": "SPONSORED_INMAILS", "form": "SPONSORED_INMAIL"}


def conversation(messages: str, start: str = "m0") -> str:
    return f"conversation:\n  sender: urn:li:person:abc\n  start: {start}\n  messages:\n{messages}"


def chain(count: int) -> str:
    """``count`` messages, each leading to the next, the last to a page."""
    lines = []
    for n in range(count):
        button = f"{{label: Next, next: m{n + 1}}}" if n + 1 < count else "{label: Go, url: https://x.com}"
        lines.append(f"    m{n}: {{body: Message {n}, buttons: [{button}]}}")
    return "\n".join(lines)


def test_a_conversation_of_25_messages_is_valid(tmp_path: Path) -> None:
    assert problems(project(tmp_path, conversation(chain(25)), **CONVERSATION)) == []


def test_a_conversation_of_more_than_25_messages_is_refused(tmp_path: Path) -> None:
    found = problems(project(tmp_path, conversation(chain(26)), **CONVERSATION))
    assert found == [
        f"main.yaml:22:17: {FIELD}.conversation.messages: a conversation holds at most 25 messages;"
        " this one has 26"
    ]


def test_a_conversation_that_loops_is_refused(tmp_path: Path) -> None:
    messages = (
        "    m0: {body: Hi, buttons: [{label: On, next: m1}]}\n"
        "    m1: {body: More, buttons: [{label: Back, next: m0}, {label: Go, url: https://x.com}]}"
    )
    found = problems(project(tmp_path, conversation(messages), **CONVERSATION))
    assert found == [
        f"main.yaml:24:66: {FIELD}.conversation.messages.m1.buttons[0].next: button 'Back' leads back to"
        " 'm0': a conversation is a tree (its messages are created last first), so it cannot loop"
    ]


def test_two_buttons_may_lead_to_one_message(tmp_path: Path) -> None:
    messages = (
        "    m0: {body: Hi, buttons: [{label: A, next: m1}, {label: B, next: m2}]}\n"
        "    m1: {body: One, buttons: [{label: On, next: m2}]}\n"
        "    m2: {body: Two, buttons: [{label: Go, url: https://x.com}]}"
    )
    assert problems(project(tmp_path, conversation(messages), **CONVERSATION)) == []


def test_every_problem_of_a_conversation_is_reported(tmp_path: Path) -> None:
    smileys = "😀" * 11
    messages = (
        f"    m0: {{body: '{smileys}', buttons: [{{label: '   ', next: m1}}]}}\n"
        "    m1: {body: '  ', buttons: [{label: Back, next: m0}]}"
    )
    found = problems(project(tmp_path, conversation(messages), **CONVERSATION))
    assert found == [
        f"main.yaml:23:30: {FIELD}.conversation.messages.m0.body: a message may use at most 10 emojis;"
        " this one uses 11",
        f"main.yaml:23:63: {FIELD}.conversation.messages.m0.buttons[0].label: must not be blank"
        " (only spaces): LinkedIn refuses it",
        f"main.yaml:24:30: {FIELD}.conversation.messages.m1.body: must not be blank (only spaces):"
        " LinkedIn refuses it",
        f"main.yaml:24:66: {FIELD}.conversation.messages.m1.buttons[0].next: button 'Back' leads back to"
        " 'm0': a conversation is a tree (its messages are created last first), so it cannot loop",
    ]


def message(body: str, subject: str = "Hello", label: str = "Go") -> str:
    return (
        f"message:\n  sender: urn:li:person:abc\n  subject: '{subject}'\n  body: '{body}'\n"
        f"  callToAction: {{label: '{label}', landingPage: https://example.com}}"
    )


def test_a_message_ad_within_its_limits_is_valid(tmp_path: Path) -> None:
    body = (
        'Hi %FIRSTNAME% 👋 see <a href="https://x.com/a">the demo</a> or <a href="https://x.com/b">docs</a>'
    )
    assert problems(project(tmp_path, message(body.replace("'", "''")), **MESSAGE)) == []


def test_a_message_ads_links_and_emojis_are_limited(tmp_path: Path) -> None:
    links = " ".join(f'<a href="https://x.com/{n}">link {n}</a>' for n in range(4))
    long = f'<a href="https://x.com/long">{"words " * 15}</a>'
    found = problems(project(tmp_path, message(f"{links} {long} {'🚀' * 11}"), **MESSAGE))
    where = f"main.yaml:22:23: {FIELD}.message.body"
    assert found == [
        f"{where}: a link's text may be at most 70 characters; '{('words ' * 15).strip()}' is 89",
        f"{where}: a message ad has at most 3 links; this body has 5",
        f"{where}: a message ad may use at most 10 emojis; this one uses 11",
    ]


def test_a_blank_subject_and_button_are_refused(tmp_path: Path) -> None:
    found = problems(project(tmp_path, message("Hi", subject="  ", label=" "), **MESSAGE))
    assert found == [
        f"main.yaml:21:26: {FIELD}.message.subject: must not be blank (only spaces): LinkedIn refuses it",
        f"main.yaml:23:39: {FIELD}.message.callToAction.label: must not be blank (only spaces):"
        " LinkedIn refuses it",
    ]


@pytest.mark.parametrize(
    ("text", "count"),
    [("plain text ✓ → ©", 0), ("😀😀", 2), ("👍🏽", 1), ("👨‍👩‍👧", 1), ("🇫🇷🇩🇪", 2), ("✅ ok ❤️", 2)],
)
def test_emojis_are_counted_as_shown(text: str, count: int) -> None:
    assert emojis(text) == count


def test_the_emulator_refuses_the_26th_message_as_validate_does() -> None:
    """The other side of the 25-message check: LinkedIn (the emulator) refuses the 26th message."""
    spec = yaml.safe_load(conversation(chain(26)))["conversation"]
    emulator = open_emulator(None)
    made: dict[str, str] = {}
    refused = []
    with client_on(Killer(emulator.transport())) as client:
        api = client.content
        urn = api.create_conversation(conversation_body(account=account_urn(ACCOUNT), name="Too long"))
        for level in message_levels(spec):
            results = api.create_messages(urn, [message_body(spec, k, made) for k in level])
            for key, result in zip(level, results, strict=True):
                if result.urn is None:
                    refused.append(str(result.error))
                else:
                    made[key] = result.urn
            if refused:
                break
    emulator.close()
    assert len(made) == 25
    assert refused and "at most 25 messages" in refused[0]
