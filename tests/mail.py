"""Real email for tests: an SMTP server (aiosmtpd) on loopback, and what it received."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Arrival:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)

    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Mailbox:
    """What the SMTP server on loopback accepted, in order."""

    arrivals: list[Arrival] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Recipients the server refuses, with its reply ("550 No such user").
    refuse: dict[str, str] = field(default_factory=dict)
    # Recipients whose message the server refuses after the final ".".
    refuse_data: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.refuse_data:
                return self.refuse_data[address]
        with self.lock:
            self.arrivals.append(
                Arrival(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 OK"

    def to(self, address: str) -> list[Arrival]:
        return [arrival for arrival in self.arrivals if address in arrival.recipients]

    def only_one_to(self, address: str) -> Arrival:
        found = self.to(address)
        assert len(found) == 1, f"{len(found)} emails to {address}"
        return found[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(box: Mailbox, settings) -> Iterator[Mailbox]:
    """An SMTP server on loopback handing what it gets to ``box``, and Django sending to it."""
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mailbox(settings):
    with smtp_server(Mailbox(), settings) as box:
        yield box
