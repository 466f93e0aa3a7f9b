"""Partners' webhooks: a signed POST telling a partner that an appeal was taken down.

The signature is Stripe's scheme, so partners can use code they already have. Each request
carries

    Homeward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">

keyed with the partner's webhook secret ("whsec_…", shown to staff who manage partners).
A partner checks it as ``webhook_signature_valid`` does: the HMAC of the exact bytes
received, compared in constant time, and a timestamp within five minutes of its own
clock, so that a request someone recorded cannot be replayed later. The body is the same
on every try and names no one; ``Homeward-Event-Id`` (also in the body as ``event_id``)
is the same on every try too, so a partner that stores the ids it has seen can drop a
repeat: a notice may arrive twice (docs/DELIVERY.md).
"""

import hashlib
import hmac
import json
import time

import requests

EVENT = "appeal.deleted"
USER_AGENT = "Homeward-Webhooks/1"
# Seconds to connect and between bytes of the answer: a partner that hangs holds a worker
# no longer than this, and the retry comes later.
TIMEOUT = (3, 10)
# How much of a refusal's answer is kept for staff to read; the rest is never read.
ANSWER_KEPT = 200
SIGNATURE_TOLERANCE = 300  # seconds either side of the receiver's clock


class WebhookRefused(Exception):
    """The partner answered, but not with 2xx (a redirect is not followed: a refusal too)."""

    def __init__(self, status: int, answer: str) -> None:
        self.status = status
        super().__init__(f"HTTP {status}: {answer}" if answer else f"HTTP {status}")


def webhook_body(body: dict) -> bytes:
    """The notice's body as sent: serialised once, compact, keys sorted."""
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Homeward-Signature`` header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def webhook_signature_valid(
    secret: str,
    header: str,
    body: bytes,
    *,
    tolerance: int = SIGNATURE_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether ``header`` signs exactly ``body`` with ``secret``, at a time within
    ``tolerance`` seconds of ``now``. Any one ``v1`` may match (as in Stripe's scheme,
    where a header may carry several)."""
    timestamp, signatures = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = _digest(secret, timestamp, body)
    # Every candidate is compared, each in constant time: how long it takes says nothing.
    matches = [hmac.compare_digest(expected, signature) for signature in signatures]
    return any(matches)


def webhook_post(*, url: str, secret: str, body: dict, event_id: str) -> int:
    """POST the notice's ``body`` to ``url``, signed now. Returns the 2xx status; raises
    WebhookRefused for any other answer, and requests' errors for a timeout or a
    connection that failed."""
    payload = webhook_body(body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Homeward-Event": EVENT,
        "Homeward-Event-Id": event_id,
        "Homeward-Signature": webhook_signature(secret, int(time.time()), payload),
    }
    # Streamed: of a refusal's answer only the start is read (but requests reads a
    # redirect's whole, to free the connection).
    with requests.post(
        url, data=payload, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True
    ) as response:
        if 200 <= response.status_code < 300:
            return response.status_code
        answer = next(response.iter_content(ANSWER_KEPT), b"")[:ANSWER_KEPT]
        raise WebhookRefused(response.status_code, answer.decode("utf-8", "replace"))


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
