"""Messages built by hand read back, through Python's own parser, exactly as written."""

from email import message_from_bytes, policy

from hypothesis import given
from hypothesis import strategies as st

from newsletter.emails import MANAGE_URL, PLACEHOLDERS
from newsletter.mime import MessageFrame, PreparedBody, message_bytes

FRAME = MessageFrame(
    sender="Homeward <appeals@homeward.invalid>",
    subject="Ünïcode subject",
    domain="homeward.invalid",
)
LINK = "https://homeward.example/heroes/manage/abc:def/"
lines = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="@")
    | st.sampled_from(".\t =\n"),
    max_size=300,
)


def read_back(data: bytes):
    # The SMTP server undoes dot-stuffing; so do we, before parsing.
    return message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=policy.default)


@given(before=lines, after=lines)
def test_any_text_with_a_placeholder_reads_back_personalised(before, after):
    text = f"{before}{MANAGE_URL}{after}"
    html = f'<p>{before}</p><a href="{MANAGE_URL}">x</a>{after}'
    body = PreparedBody.prepare(html=html, text=text, placeholders=PLACEHOLDERS)
    data = message_bytes(
        frame=FRAME,
        message_id="m.1",
        recipient="a@example.org",
        body=body,
        values={MANAGE_URL: LINK},
    )
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))
    assert b"\r\n.\r\n" not in data  # nothing that would end DATA early
    message = read_back(data)
    assert message["Subject"] == "Ünïcode subject"
    for kind, written in (("plain", text), ("html", html)):
        expected = written.replace(MANAGE_URL, LINK)
        read = message.get_body(preferencelist=(kind,)).get_content()
        assert read.replace("\r\n", "\n") == expected


def test_an_international_domain_is_addressed_in_its_ascii_form():
    body = PreparedBody.prepare(html="<p>x</p>", text="x", placeholders=PLACEHOLDERS)
    data = message_bytes(
        frame=FRAME, message_id="m.2", recipient="ana@bücher.example", body=body, values={}
    )
    assert read_back(data)["To"] == "ana@xn--bcher-kva.example"
