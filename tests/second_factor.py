"""Signing test clients in past the second factor, which every admin URL requires.

``client.force_login(user)`` also verifies the session with a registered authenticator
app, as the sign-in page would after a right code (see the autouse fixture in
tests/conftest.py); ``client.force_login(user, verified=False)`` stops after the password.
Production keeps the rule: only the test client is changed.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

_force_login = Client.force_login


def authenticator_create(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the user's app shows now."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def fresh_totp_code(device: TOTPDevice) -> str:
    """The code the app shows now, accepted even if this device was used in the last 30
    seconds (a device refuses a code twice; tests sign the same person in quickly)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return totp_code(device)


def session_verify(client: Client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_create(user).persistent_id
    session.save()


def force_login(self, user, backend=None, *, verified=True):
    _force_login(self, user, backend)
    if verified:
        session_verify(self, user)
