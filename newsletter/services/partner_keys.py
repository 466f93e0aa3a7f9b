"""Issuing, rotating and revoking partners' API keys. The key itself is returned once, to
be shown once: only its digest is kept."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from newsletter.models import Partner, PartnerKey
from newsletter.partner_keys import grants_forget, key_new

# How long a rotated key keeps working beside its replacement.
ROTATION_OVERLAP = timedelta(days=7)


@transaction.atomic
def partner_key_create(
    *,
    partner: Partner,
    name: str,
    user: AbstractBaseUser | None,
    may_read_briefings: bool = False,
    requests_per_minute: int = 60,
) -> tuple[PartnerKey, str]:
    """A new key for the partner: (its record, the key to show once)."""
    key, prefix, digest = key_new()
    record = PartnerKey(
        partner=partner,
        name=name,
        prefix=prefix,
        digest=digest,
        may_read_briefings=may_read_briefings,
        requests_per_minute=requests_per_minute,
        created_by=user,
    )
    record.full_clean()
    record.save()
    log(instance=partner, action="homeward.partner.key_created", user=user, data=_named(record))
    return record, key


@transaction.atomic
def partner_key_rotate(
    *, key: PartnerKey, user: AbstractBaseUser | None, overlap: timedelta = ROTATION_OVERLAP
) -> tuple[PartnerKey, str]:
    """A replacement with the same rights; the old key works for ``overlap`` more, so the
    partner can switch without a gap. (The replacement, the key to show once.)"""
    old = PartnerKey.objects.select_for_update().get(pk=key.pk)
    ends = timezone.now() + overlap
    if old.usable() and (old.expires_at is None or old.expires_at > ends):
        old.expires_at = ends
        old.save(update_fields=["expires_at"])
    record, plain = partner_key_create(
        partner=old.partner,
        name=old.name,
        user=user,
        may_read_briefings=old.may_read_briefings,
        requests_per_minute=old.requests_per_minute,
    )
    log(instance=old.partner, action="homeward.partner.key_rotated", user=user, data=_named(old))
    transaction.on_commit(lambda: grants_forget(partner_id=old.partner_id))
    return record, plain


@transaction.atomic
def partner_key_revoke(*, key: PartnerKey, user: AbstractBaseUser | None) -> bool:
    """Stop the key at once, on every worker. False if it was revoked already."""
    revoked = PartnerKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    if revoked:
        log(
            instance=key.partner, action="homeward.partner.key_revoked", user=user, data=_named(key)
        )
        transaction.on_commit(lambda: grants_forget(partner_id=key.partner_id))
    return bool(revoked)


def _named(key: PartnerKey) -> dict:
    return {"key": key.prefix, "name": key.name}
