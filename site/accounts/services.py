"""The second factor (django-otp: an authenticator app's TOTP codes, and single-use
recovery codes) and what an administrator may do about someone else's sign-in."""

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.rules import may_manage_user

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"


def second_factor_registered(user) -> bool:
    return user_has_device(user, confirmed=True)


def second_factor_start(*, user) -> TOTPDevice:
    """The authenticator app being set up: an unconfirmed TOTP device, kept until it is
    confirmed with a code, so reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def second_factor_confirm(*, user, token: str) -> list[str] | None:
    """Confirm the authenticator app with a code from it; returns the new recovery codes
    (shown once), or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_verify(*, user, token: str):
    """The device that accepts ``token`` (six digits from the app, or a recovery code,
    which is used up), or None. Each device throttles its own failures."""
    token = token.strip().replace(" ", "").lower()
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, model) and device.verify_token(token):
            return device
    return None


def sign_in_change_check(*, actor, user) -> None:
    """Raise PermissionDenied unless ``actor`` may reset or unlock ``user``'s sign-in."""
    if actor.pk == user.pk:
        raise PermissionDenied("Another administrator must do this for you.")
    if not actor.has_perm("auth.change_user") or not may_manage_user(actor, user):
        raise PermissionDenied("You may not change this person's sign-in.")


@transaction.atomic
def second_factor_reset(*, actor, user) -> None:
    """Remove someone's authenticator app and recovery codes (a lost phone): they set up
    a new one at their next sign-in. Never one's own; an administrator's or a
    superuser's only by a superuser."""
    sign_in_change_check(actor=actor, user=user)
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def sign_in_unlock(*, actor, user) -> int:
    """Lift the lock-out on someone's username before its time runs out."""
    sign_in_change_check(actor=actor, user=user)
    return axes_reset(username=user.get_username())
