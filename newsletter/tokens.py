"""Signed links for Heroes: no account, no password, and nothing guessable.

Confirmation links expire; links to manage or leave a subscription do not, because they
sit in emails people keep (RFC 8058 asks that unsubscribing keeps working).
"""

import uuid

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
MANAGE_SALT = "newsletter.manage"
CONFIRM_MAX_AGE_SECONDS = 3 * 24 * 3600


class LinkExpired(Exception):
    """A genuine link, too old to use."""


class LinkInvalid(Exception):
    """Not a link we made: mistyped, cut short or forged."""


def confirm_token(public_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(public_id.hex)


def manage_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(public_id.hex)


def public_id_from_confirm_token(token: str) -> uuid.UUID:
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=CONFIRM_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as expired:
        raise LinkExpired from expired
    except signing.BadSignature as bad:
        raise LinkInvalid from bad
    return _uuid(value)


def public_id_from_manage_token(token: str) -> uuid.UUID:
    try:
        return _uuid(signing.Signer(salt=MANAGE_SALT).unsign(token))
    except signing.BadSignature as bad:
        raise LinkInvalid from bad


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(hex=value)
    except ValueError as error:
        raise LinkInvalid from error
