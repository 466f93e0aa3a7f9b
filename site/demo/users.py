"""The demo's users: one for every role, with a password and an authenticator app key to
print (renewed on every run)."""

import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward import roles
from homeward.demo.history import DEMO_COUNCILS
from homeward.models import LocalAuthority, LocalAuthorityManager, PoliceForce, PoliceOfficer


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    # The key of their authenticator app (base32, as apps take it): the admin needs it.
    totp_key: str


DEMO_USERS = [
    ("editor", roles.EDITORS, None),
    ("safeguarding", roles.SAFEGUARDING_LEADS, None),
    ("publisher", roles.PUBLISHERS, None),
    ("caseworker", roles.CASEWORKERS, None),
    ("police.met", roles.POLICE_OFFICERS, "metropolitan-police-service"),
    ("police.gmp", roles.POLICE_OFFICERS, "greater-manchester-police"),
    # A police officer's link is their force; a designated manager's, their council.
    ("council", roles.LOCAL_AUTHORITY_MANAGERS, DEMO_COUNCILS[0]),
    ("administrator", roles.ADMINISTRATORS, None),
]


def demo_user(username: str, role: str, link: str | None) -> DemoUser:
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@homeward.invalid",
            "first_name": "Demo",
            "last_name": role.rstrip("s"),
        },
    )
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    if role == roles.POLICE_OFFICERS:
        PoliceOfficer.objects.update_or_create(
            user=user, defaults={"force": PoliceForce.objects.get(slug=link)}
        )
    if role == roles.LOCAL_AUTHORITY_MANAGERS:
        LocalAuthorityManager.objects.update_or_create(
            user=user, defaults={"local_authority": LocalAuthority.objects.get(name=link)}
        )
    # A registered authenticator app, renewed with the password, so the key can be printed.
    TOTPDevice.objects.filter(user=user).delete()
    app = TOTPDevice.objects.create(user=user, name="Demo authenticator app", confirmed=True)
    return DemoUser(
        username=username, password=password, role=role, totp_key=b32encode(app.bin_key).decode()
    )


def demo_totp_code(username: str) -> str:
    """The code a demo user's authenticator app would show now."""
    if username not in {name for name, _, _ in DEMO_USERS}:
        raise LookupError(f"{username} is not a demo user")
    app = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(app.bin_key, step=app.step, digits=app.digits):06d}"
