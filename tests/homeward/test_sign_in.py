"""Signing in: lock-out after repeated failures, a second factor for every staff account,
recovery codes, an administrator's resets, and admin sessions that end."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward import roles
from homeward.accounts import services
from tests import factories
from tests.e2e.conftest import PASSWORD
from tests.second_factor import authenticator_create, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
SECOND_FACTOR = "/admin/second-factor/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def done(response) -> bool:
    """A person action's answer: back to the person's page when done; Wagtail answers a
    refusal with the dashboard and a message (or 403)."""
    if response.status_code == 403 or response.url == reverse("wagtailadmin_home"):
        return False
    assert response.status_code == 302
    assert response.url.startswith("/admin/users/edit/")
    return True


def fail_until_locked(client, username, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, username, "wrong password", **extra)
    return response


# --- throttling and lock-out -----------------------------------------------------------


def test_repeated_failures_lock_the_username_from_that_address(client):
    editor = factories.user_create(role=roles.EDITORS)
    locked = fail_until_locked(client, editor.username)
    assert locked.status_code == 429
    # Even the right password is refused while the pause lasts.
    response = sign_in(client, editor.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in response.content.decode()


def test_the_lock_out_message_is_the_same_whether_or_not_the_account_exists(client):
    editor = factories.user_create(role=roles.EDITORS)
    real = fail_until_locked(client, editor.username).content.decode()
    made_up = fail_until_locked(client, "nobody-by-this-name").content.decode()

    def message(html):
        start = html.index("Too many failed attempts")
        return html[start : html.index("</li>", start)]

    assert message(real) == message(made_up)
    assert editor.username not in real


def test_the_lock_out_is_per_username_and_address(client):
    editor = factories.user_create(role=roles.EDITORS)
    fail_until_locked(client, editor.username)
    elsewhere = sign_in(client, editor.username, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_the_lock_out_ends_after_the_pause(client):
    editor = factories.user_create(role=roles.EDITORS)
    fail_until_locked(client, editor.username)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert sign_in(client, editor.username).status_code == 302


@pytest.mark.parametrize(
    ("actor_kind", "target_kind", "allowed"),
    [
        ("administrator", "other staff", True),
        ("administrator", "superuser", False),
        ("superuser", "superuser", True),
    ],
)
def test_an_administrator_lifts_someone_elses_lock_out(client, actor_kind, target_kind, allowed):
    def person(kind):
        if kind == "superuser":
            return factories.user_create(is_superuser=True, is_staff=True)
        if kind == "administrator":
            return factories.user_create(role=roles.ADMINISTRATORS)
        return factories.user_create(role=roles.EDITORS)

    target = person(target_kind)
    fail_until_locked(client, target.username)
    admin_client = client_class_for(client)
    admin_client.force_login(person(actor_kind))
    response = admin_client.post(reverse("accounts_sign_in_unlock", args=[target.pk]))
    assert done(response) == allowed
    assert (sign_in(client, target.username).status_code == 302) == allowed


def client_class_for(client):
    return client.__class__()


# --- the second factor -----------------------------------------------------------------


EVERY_STAFF_ACCOUNT = [*roles.ROLES, "superuser"]


def staff_create(kind):
    if kind == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    if kind == roles.POLICE_OFFICERS:
        return factories.user_create(role=kind, force_slug="north-yorkshire-police")
    return factories.user_create(role=kind)


@pytest.mark.parametrize("kind", EVERY_STAFF_ACCOUNT)
def test_every_staff_account_needs_a_second_factor_for_every_admin_url(client, kind):
    user = staff_create(kind)
    assert sign_in(client, user.username).status_code == 302
    for url in ["/admin/", reverse("wagtailadmin_account"), reverse("wagtailusers_users:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SECOND_FACTOR), url


@pytest.mark.parametrize("kind", EVERY_STAFF_ACCOUNT)
def test_setting_up_the_authenticator_app_opens_the_admin(client, kind):
    user = staff_create(kind)
    sign_in(client, user.username)
    setup = client.get(f"{SECOND_FACTOR}?next=/admin/")
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get("/admin/").status_code == 302  # not until the code is confirmed

    response = client.post(SECOND_FACTOR, {"code": totp_code(device), "next": "/admin/"})
    codes = response.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code in {200, 403}  # 403: a role without a dashboard
    assert not client.get("/admin/").has_header("Location")


def test_a_wrong_code_does_not_verify(client):
    user = staff_create(roles.EDITORS)
    device = authenticator_create(user)
    sign_in(client, user.username)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"code": wrong})
    assert response.status_code == 200
    assert "did not work" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_registered_app_signs_in_with_its_code(client):
    user = staff_create(roles.PUBLISHERS)
    device = authenticator_create(user)
    sign_in(client, user.username)
    response = client.post(SECOND_FACTOR, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = staff_create(roles.CASEWORKERS)
    authenticator_create(user)
    code = services.recovery_codes_renew(user=user)[0]

    sign_in(client, user.username)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()

    again = client.__class__()
    sign_in(again, user.username)
    assert again.post(SECOND_FACTOR, {"code": code}).status_code == 200
    assert again.get("/admin/").status_code == 302


def test_new_recovery_codes_replace_the_old(client):
    user = staff_create(roles.EDITORS)
    old = services.recovery_codes_renew(user=user)
    client.force_login(user)
    new = client.post(reverse("accounts_recovery_codes")).context["codes"]
    assert not set(old) & set(new)
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(new)


RESET_MATRIX = [
    ("administrator", "other staff", True),
    ("administrator", "self", False),
    ("administrator", "superuser", False),
    ("administrator", "other administrator", False),
    ("superuser", "other administrator", True),
    ("superuser", "superuser", True),
    ("superuser", "self", False),
    ("editor", "other staff", False),
]


@pytest.mark.parametrize(("actor_kind", "target_kind", "allowed"), RESET_MATRIX)
def test_an_administrator_resets_someone_elses_second_factor(
    client, actor_kind, target_kind, allowed
):
    actor = staff_create(
        {"administrator": roles.ADMINISTRATORS, "editor": roles.EDITORS}.get(actor_kind, actor_kind)
    )
    target = {
        "self": actor,
        "superuser": staff_create("superuser"),
        "other staff": staff_create(roles.EDITORS),
        "other administrator": staff_create(roles.ADMINISTRATORS),
    }[target_kind]
    authenticator_create(target)
    services.recovery_codes_renew(user=target)
    client.force_login(actor)
    url = reverse("accounts_second_factor_reset", args=[target.pk])
    assert done(client.post(url)) == allowed
    assert services.second_factor_registered(target) != allowed

    if allowed:
        # Their next sign-in sets up a new app.
        person = client.__class__()
        sign_in(person, target.username)
        assert person.get("/admin/").url.startswith(SECOND_FACTOR)
        assert "<svg" in person.get(SECOND_FACTOR).content.decode()


def test_the_reset_service_refuses_what_the_view_refuses():
    administrator = staff_create(roles.ADMINISTRATORS)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.second_factor_reset(actor=administrator, user=administrator)
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(actor=administrator, user=staff_create("superuser"))


def test_the_user_listing_offers_the_resets_for_others_only(client):
    administrator = staff_create(roles.ADMINISTRATORS)
    editor = staff_create(roles.EDITORS)
    client.force_login(administrator)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("accounts_second_factor_reset", args=[editor.pk]) in listing
    assert reverse("accounts_second_factor_reset", args=[administrator.pk]) not in listing


# --- sessions ------------------------------------------------------------------------


def test_session_settings():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_signing_in_gives_a_browser_session_cookie_even_when_asked_to_remember(client):
    user = staff_create(roles.EDITORS)
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "remember": "on"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"]
    assert not cookie["expires"]
    assert 'name="remember"' not in client.get(LOGIN).content.decode()


def test_an_admin_session_ends_after_a_working_day_idle(client):
    user = staff_create(roles.PUBLISHERS)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=7, minutes=50)):
        assert client.get("/admin/").status_code == 200  # active: the session goes on
    with time_machine.travel(timezone.now() + timedelta(hours=15, minutes=40)):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=41)):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def test_public_pages_never_write_a_signed_in_session(client, appeal):
    user = staff_create(roles.PUBLISHERS)
    client.force_login(user)
    client.get("/admin/")
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert client.get(appeal.url).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == before


# --- the demo users --------------------------------------------------------------------


def test_demo_users_print_a_key_and_their_code_opens_the_admin(client, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "authenticator app key:" in out.getvalue()
    code = StringIO()
    call_command("demo_code", "publisher", stdout=code)
    demo_password = re.search(r"^\s+publisher\s+(\S+)\s", out.getvalue(), re.MULTILINE)[1]
    sign_in(client, "publisher", demo_password)
    assert client.post(SECOND_FACTOR, {"code": code.getvalue().strip()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_code_is_refused_outside_debug_and_for_other_users(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_code", "publisher")
    settings.DEBUG = True
    factories.user_create(username="someone-real")
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_code", "someone-real")


def test_the_account_page_offers_new_recovery_codes(client):
    client.force_login(staff_create(roles.EDITORS))
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200
    assert reverse("accounts_recovery_codes") in page.content.decode()
