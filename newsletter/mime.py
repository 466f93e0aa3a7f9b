"""One email as bytes, ready for SMTP: built by hand because it is built 100,000 times.

Python's ``email`` package takes milliseconds to build and flatten a large message. Here
what a whole campaign shares is encoded once (``MessageFrame``), what a segment of it
shares once per segment (``PreparedBody``), and only a few lines per person. The shared
headers (sender, subject) hold text people typed, so the standard library folds and
encodes them, once per campaign; each value is put on one line first, so a line break in
stored text can neither add a header nor get the message refused. Tests read every
message back with Python's own parser.
"""

import binascii
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from functools import cached_property

from django.utils.html import escape

from homeward.text import single_line

CRLF = b"\r\n"


def header_lines(headers: dict[str, str]) -> bytes:
    """Header lines as the standard library folds and encodes them (RFC 5322, RFC 2047),
    each value on one line first."""
    message = EmailMessage(policy=SMTP)
    for name, value in headers.items():
        message[name] = single_line(value)
    # Flattened with no body: the headers, then the empty line that would end them.
    return message.as_bytes().removesuffix(CRLF)


@dataclass(frozen=True)
class MessageFrame:
    """What a campaign's messages share: sender, subject and the message-id's domain."""

    sender: str
    subject: str
    domain: str

    @cached_property
    def encoded_headers(self) -> bytes:
        return header_lines({"From": self.sender, "Subject": self.subject, "MIME-Version": "1.0"})


class PreparedPart:
    """One part of a message, encoded once for everyone who gets the same content.

    Only the lines holding a placeholder (a person's own links) are encoded per message;
    every other run of lines is quoted-printable, CRLF and dot-stuffed here, once. Runs of
    whole lines encode independently, so the joined result is the same valid encoding.
    """

    def __init__(
        self, content_type: str, content: str, placeholders: tuple[str, ...], *, html: bool
    ) -> None:
        self._header = (
            f'Content-Type: {content_type}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        ).encode("ascii")
        self._html = html
        self._pieces: list[bytes | str] = []
        # The line break before a boundary belongs to the boundary: one more keeps the last.
        content = content.replace("\r\n", "\n") + "\n"
        done = 0
        for found in re.finditer("|".join(map(re.escape, placeholders)), content):
            if found.start() < done:
                continue  # another placeholder on a line already taken
            line_start = content.rfind("\n", 0, found.start()) + 1
            line_end = content.index("\n", found.end()) + 1
            if line_start > done:
                self._pieces.append(_encoded_lines(content[done:line_start]))
            self._pieces.append(content[line_start:line_end])
            done = line_end
        if done < len(content):
            self._pieces.append(_encoded_lines(content[done:]))

    def encode(self, values: dict[str, str]) -> bytes:
        encoded = [self._header]
        for piece in self._pieces:
            if isinstance(piece, str):
                for placeholder, value in values.items():
                    piece = piece.replace(placeholder, escape(value) if self._html else value)
                piece = _encoded_lines(piece)
            encoded.append(piece)
        return b"".join(encoded)


@dataclass(frozen=True)
class PreparedBody:
    """An email's plain-text and HTML parts, ready to be personalised cheaply."""

    text: PreparedPart
    html: PreparedPart

    @classmethod
    def prepare(cls, *, html: str, text: str, placeholders: tuple[str, ...]) -> "PreparedBody":
        return cls(
            text=PreparedPart("text/plain", text, placeholders, html=False),
            html=PreparedPart("text/html", html, placeholders, html=True),
        )


def message_bytes(
    *,
    frame: MessageFrame,
    message_id: str,
    recipient: str,
    body: PreparedBody,
    values: dict[str, str],
    unsubscribe: tuple[str, str] | None = None,
) -> bytes:
    """The message, dot-stuffed and ending in CRLF: what goes between DATA and the final dot.

    ``values`` fill the body's placeholders; ``unsubscribe`` is (mailto, https) for the
    RFC 8058 one-click headers.
    """
    boundary = uuid.uuid4().hex
    headers = [
        frame.encoded_headers,
        # Per person only what Homeward wrote (a checked address, the date, ids and
        # links), kept on one line all the same.
        f"To: {single_line(ascii_address(recipient))}\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        f"Message-ID: <{message_id}@{frame.domain}>\r\n".encode("ascii"),
    ]
    if unsubscribe:
        mailto, https = unsubscribe
        headers.append(
            f"List-Unsubscribe: <{mailto}>,\r\n <{https}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n".encode("ascii")
        )
    headers.append(
        f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode("ascii")
    )
    marker = f"--{boundary}\r\n".encode("ascii")
    return b"".join(
        [
            *headers,
            marker,
            body.text.encode(values),
            marker,
            body.html.encode(values),
            f"--{boundary}--\r\n".encode("ascii"),
        ]
    )


def ascii_address(address: str) -> str:
    """An address as SMTP and headers need it: an international domain in its IDNA form."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _encoded_lines(lines: str) -> bytes:
    """Whole lines as quoted-printable with CRLF, dot-stuffed for SMTP's DATA."""
    encoded = binascii.b2a_qp(lines.encode("utf-8"), istext=True).replace(b"\n", CRLF)
    encoded = encoded.replace(b"\r\n.", b"\r\n..")
    return b"." + encoded if encoded.startswith(b".") else encoded
