"""Handing messages to the mail server, and knowing which of them may have arrived.

An SMTP server takes responsibility for a message when it receives the final "." of
DATA; if the connection drops before that, the message is discarded. So each message
goes in this order: MAIL, RCPT, DATA and the whole message; then ``record_handed_over()``
commits "uncertain" to the ledger (only while the row still carries our claim, so no two
workers ever get this far with one message); then the final "."; then the caller records
the server's reply: "sent" for a 250, queued again or failed for a refusal.

A worker killed before the "uncertain" commit leaves the message unsent on both sides,
and it is sent again later. Killed between that commit and the server's 250, no one knows
whether the server got the dot: the ledger says "uncertain" and means it. What happens to
such a message depends on its kind (at least once for urgent alerts and briefings, at
most once for the rest; see newsletter/ledger.py and docs/DELIVERY.md).

Without EMAIL_HOST (a local demo), messages are printed instead.
"""

import enum
import smtplib
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy

from django.conf import settings


class Outcome(enum.Enum):
    SENT = "sent"
    REFUSED = "refused"  # permanently: do not try this message again
    TRY_LATER = "try-later"  # a temporary refusal (4xx)
    NOT_SENT = "not-sent"  # the ledger said no: someone else has it


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reply: str = ""


class SmtpTransport:
    """One SMTP connection, reused for every message of a batch."""

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=30)
            # The final "." goes alone, after the hand-over commit: without this, Nagle's
            # algorithm holds it until the server's delayed ACK (up to 40 ms a message).
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if settings.EMAIL_USE_TLS:
                smtp.starttls()
                smtp.ehlo()
            if settings.EMAIL_HOST_USER:
                smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(
        self,
        *,
        sender: str,
        recipient: str,
        message: bytes,
        record_handed_over: Callable[[], bool],
    ) -> Result:
        """Send one message (dot-stuffed, ending in CRLF); see the module's docstring.

        Connection failures raise: the caller's messages not yet handed over stay unsent,
        and one handed over whose reply never came stays "uncertain".
        """
        smtp = self._connection()
        for code, reply, accepted in _envelope(smtp, sender, recipient):
            if code not in accepted:
                smtp.rset()
                return _refusal(code, reply)
        smtp.send(message)
        if not record_handed_over():
            # Someone else owns this message now: abandon it. Closing without the final
            # "." makes the server discard what it has.
            smtp.close()
            self._smtp = None
            return Result(Outcome.NOT_SENT)
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            return _refusal(code, reply)
        return Result(Outcome.SENT)


class ConsoleTransport:
    """For a local demo without a mail server: print each message's text, links intact."""

    def __enter__(self) -> "ConsoleTransport":
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def send(
        self,
        *,
        sender: str,
        recipient: str,
        message: bytes,
        record_handed_over: Callable[[], bool],
    ) -> Result:
        if not record_handed_over():
            return Result(Outcome.NOT_SENT)
        parsed = message_from_bytes(message.replace(b"\r\n..", b"\r\n."), policy=policy.default)
        text = parsed.get_body(preferencelist=("plain",)).get_content()
        sys.stdout.write(
            f"\n----- Email to {recipient}: {parsed['Subject']}\n{text}\n----- end of email\n"
        )
        sys.stdout.flush()
        return Result(Outcome.SENT)


def transport_open() -> SmtpTransport | ConsoleTransport:
    return SmtpTransport() if settings.EMAIL_HOST else ConsoleTransport()


def _envelope(smtp: smtplib.SMTP, sender: str, recipient: str):
    """MAIL, RCPT and DATA, each yielded with its reply, stopping at the first refusal."""
    yield (*smtp.mail(sender), (250,))
    yield (*smtp.rcpt(recipient), (250, 251))
    yield (*smtp.docmd("DATA"), (354,))


def _refusal(code: int, reply: bytes) -> Result:
    text = f"{code} {reply.decode('utf-8', 'replace')}"[:300]
    return Result(Outcome.TRY_LATER if 400 <= code < 500 else Outcome.REFUSED, text)
