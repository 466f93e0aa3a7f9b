"""Partners in the admin: the list with its filters, each partner's page with its webhook's
secret and API keys, keys shown once and only once, rotation and revocation through the
services, the access log, the dashboard's failed notices, and who may do any of it (every
view, every role)."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from homeward import roles
from homeward.models import PoliceForce
from newsletter.models import Partner, PartnerAccess, PartnerKey, PartnerNotice
from newsletter.partner_keys import grant_of
from newsletter.services.partner_keys import partner_key_create
from tests import factories

pytestmark = pytest.mark.django_db

NO_ROLE = "(signed in, no role)"
ANONYMOUS = "(not signed in)"
# Who manages partners and their keys: the roles with newsletter.change_partner and the
# partner keys' permissions. Publishers read the list (newsletter.view_partner) only.
MANAGERS = {roles.ADMINISTRATORS}
READERS = {roles.PUBLISHERS, roles.ADMINISTRATORS}


def partner_create(
    organisation="The Fictional Gazette", *, areas=("north-yorkshire-police",), **fields
):
    partner = Partner.objects.create(
        organisation=organisation,
        email=fields.pop("email", f"{organisation.lower().replace(' ', '.')}@example.org"),
        webhook_url=fields.pop("webhook_url", "https://partner.example/hooks"),
        **fields,
    )
    partner.areas.set(PoliceForce.objects.filter(slug__in=areas))
    return partner


def vetted_partner_create(organisation="Fictional Safeguarding Network", **fields):
    return partner_create(organisation, briefings=True, vetted_on=timezone.localdate(), **fields)


def user_for(who: str):
    if who == roles.POLICE_OFFICERS:
        return factories.user_create(role=who, force_slug="north-yorkshire-police")
    return factories.user_create(role=None if who == NO_ROLE else who)


@pytest.fixture
def admin(client):
    user = factories.user_create(role=roles.ADMINISTRATORS)
    client.force_login(user)
    return user


@pytest.fixture
def partner():
    return partner_create()


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def words_of(response) -> str:
    """The page's words, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def shown_key(response) -> str:
    return re.search(r'value="(hwk_[0-9a-f]{8}_[^"]+)"', response.content.decode()).group(1)


def refused(response) -> bool:
    """Wagtail's admin sends those refused to the dashboard (or, without the admin, to sign
    in); an object outside what they may see answers 404."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home") or "/admin/login/" in response.url
    return response.status_code in (403, 404)


# Every view of partners and their keys: method, URL name, what it names, who may.
VIEWS = {
    "list": ("get", "partners:index", None, READERS),
    "add": ("get", "partners:add", None, MANAGERS),
    "edit": ("get", "partners:edit", "partner", MANAGERS),
    "history": ("get", "partners:history", "partner", MANAGERS),
    "delete": ("get", "partners:delete", "partner", MANAGERS),
    "replace secret (ask)": ("get", "partners:replace_secret", "partner", MANAGERS),
    "replace secret": ("post", "partners:replace_secret", "partner", MANAGERS),
    "create key (form)": ("get", "partner_keys:add", "partner", MANAGERS),
    "create key": ("post", "partner_keys:add", "partner", MANAGERS),
    "rotate key (ask)": ("get", "partner_keys:rotate", "key", MANAGERS),
    "rotate key": ("post", "partner_keys:rotate", "key", MANAGERS),
    "revoke key (ask)": ("get", "partner_keys:revoke", "key", MANAGERS),
    "revoke key": ("post", "partner_keys:revoke", "key", MANAGERS),
    "access log": ("get", "partner_requests:index", "partner", MANAGERS),
}
KEYS_AND_SECRET = [name for name in VIEWS if "key" in name or "secret" in name or "log" in name]


def request(client, view: str, *, partner, key):
    method, url_name, names, _ = VIEWS[view]
    args = {"partner": [partner.pk], "key": [key.pk], None: []}[names]
    data = {"name": "Another", "requests_per_minute": "60"} if method == "post" else None
    return getattr(client, method)(reverse(url_name, args=args), data)


@pytest.mark.parametrize("who", [*roles.ROLES, NO_ROLE, ANONYMOUS])
@pytest.mark.parametrize("view", VIEWS)
def test_who_may_reach_each_view(client, partner, who, view):
    key, _ = partner_key_create(partner=partner, name="Website", user=None)
    if who != ANONYMOUS:
        client.force_login(user_for(who))
    secret = partner.webhook_secret

    response = request(client, view, partner=partner, key=key)

    if who in VIEWS[view][3]:
        assert response.status_code in (200, 302)
        assert not refused(response)
    else:
        assert refused(response), response.status_code
        key.refresh_from_db()
        partner.refresh_from_db()
        assert PartnerKey.objects.count() == 1
        assert key.revoked_at is None and key.expires_at is None
        assert partner.webhook_secret == secret


def test_managing_partners_is_not_enough_for_their_keys_and_secret(client, partner):
    """Keys and the webhook's secret need the keys' permissions besides (here, someone
    given newsletter.change_partner alone)."""
    key, _ = partner_key_create(partner=partner, name="Website", user=None)
    user = factories.user_create(role=roles.EDITORS)
    user.user_permissions.add(Permission.objects.get(codename="change_partner"))
    client.force_login(user)

    page = text_of(client.get(reverse("partners:edit", args=[partner.pk])))

    assert "The Fictional Gazette" in page
    assert partner.webhook_secret not in page
    assert "API keys" not in page and key.prefix not in page
    for view in KEYS_AND_SECRET:
        assert refused(request(client, view, partner=partner, key=key)), view
    key.refresh_from_db()
    assert PartnerKey.objects.count() == 1 and key.revoked_at is None and key.expires_at is None


def test_the_list_says_what_each_receives_where_and_when_it_last_fetched(client, admin):
    gazette = partner_create(areas=("north-yorkshire-police", "kent-police"))
    vetted_partner_create(all_of_uk=True, public_appeals=False)
    partner_create("Old Screens Ltd", active=False, areas=())
    key, _ = partner_key_create(partner=gazette, name="Website", user=None)
    fetched = timezone.now() - timedelta(hours=3)
    PartnerAccess.objects.create(partner=gazette, key=key, at=fetched, endpoint="/api/", status=200)

    rows = words_of(client.get(reverse("partners:index")))

    vetted = timezone.localdate().strftime("%-d %b %Y")
    assert (
        "Fictional Safeguarding Network Edit Delete Restricted briefings All of the UK "
        f"{vetted} Active"
    ) in rows
    assert (
        "Old Screens Ltd Edit Delete Public appeals None Not vetted Inactive "
        "The Fictional Gazette"  # never fetched: nothing in its last column
    ) in rows
    assert (
        "The Fictional Gazette Edit Delete Public appeals Kent Police, North Yorkshire Police "
        "Not vetted Active 3 hours ago"
    ) in rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"briefings": "true"}, {"Fictional Safeguarding Network"}),
        ({"briefings": "false"}, {"The Fictional Gazette", "Old Screens Ltd"}),
        ({"active": "false"}, {"Old Screens Ltd"}),
        ("kent", {"The Fictional Gazette", "Fictional Safeguarding Network"}),
        ({"q": "screens"}, {"Old Screens Ltd"}),
    ],
)
def test_filters_and_search(client, admin, query, expected):
    partner_create(areas=("north-yorkshire-police", "kent-police"))
    vetted_partner_create(all_of_uk=True)  # covers every area
    partner_create("Old Screens Ltd", active=False, areas=("west-yorkshire-police",))
    if query == "kent":
        query = {"area": PoliceForce.objects.get(slug="kent-police").pk}
    page = text_of(client.get(reverse("partners:index"), query))
    names = {"The Fictional Gazette", "Fictional Safeguarding Network", "Old Screens Ltd"}
    assert {name for name in names if name in page} == expected


def test_a_key_is_shown_once_and_only_its_digest_is_kept(client, admin, partner):
    url = reverse("partner_keys:add", args=[partner.pk])
    response = client.post(url, {"name": "Newsroom screens", "requests_per_minute": "120"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = shown_key(response)
    page = text_of(response)
    assert "it will not be shown again" in page
    record = PartnerKey.objects.get()
    assert (record.name, record.requests_per_minute, record.created_by) == (
        "Newsroom screens",
        120,
        admin,
    )
    assert record.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(f"hwk_{record.prefix}_")
    assert grant_of(key).partner_id == partner.pk  # the key shown is the key that works
    # Nowhere else: not in the key's row, the log, nor any page seen afterwards.
    secret_part = key.rsplit("_", 1)[1]
    assert not [
        value for value in PartnerKey.objects.values().get().values() if secret_part in str(value)
    ]
    assert secret_part not in str(list(ModelLogEntry.objects.values_list("data", flat=True)))
    for later in [
        reverse("partners:edit", args=[partner.pk]),
        url,
        reverse("partners:history", args=[partner.pk]),
    ]:
        assert secret_part not in client.get(later).content.decode()
    edit = text_of(client.get(reverse("partners:edit", args=[partner.pk])))
    assert f"hwk_{record.prefix}_…" in edit and "Newsroom screens" in edit and "Never" in edit
    history = text_of(client.get(reverse("partners:history", args=[partner.pk])))
    assert f"API key created: Newsroom screens (hwk_{record.prefix}_…)" in history


def test_briefings_are_refused_for_a_partner_not_vetted_for_them(client, admin, partner):
    url = reverse("partner_keys:add", args=[partner.pk])
    form = {"name": "Briefings", "may_read_briefings": "on", "requests_per_minute": "60"}

    response = client.post(url, form)

    assert response.status_code == 200
    page = text_of(response)
    assert "The Fictional Gazette is not vetted for restricted briefings" in page
    assert 'value="hwk_' not in page
    assert not PartnerKey.objects.exists()

    vetted = vetted_partner_create()
    response = client.post(reverse("partner_keys:add", args=[vetted.pk]), form)
    assert shown_key(response)
    assert PartnerKey.objects.get().may_read_briefings


def test_rotating_shows_the_new_key_once_and_the_old_works_seven_days(client, admin, partner):
    old, old_key = partner_key_create(partner=partner, name="Website", user=None)
    url = reverse("partner_keys:rotate", args=[old.pk])

    asked = text_of(client.get(url))
    assert "7 more days" in asked
    assert PartnerKey.objects.count() == 1  # asking changes nothing
    response = client.post(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new_key = shown_key(response)
    assert new_key != old_key
    old.refresh_from_db()
    assert timedelta(days=6, hours=23) < old.expires_at - timezone.now() <= timedelta(days=7)
    assert "keeps working until" in text_of(response)
    assert grant_of(old_key) is not None and grant_of(new_key) is not None
    new = PartnerKey.objects.exclude(pk=old.pk).get()
    assert (new.name, new.created_by) == ("Website", admin)
    history = text_of(client.get(reverse("partners:history", args=[partner.pk])))
    assert f"API key rotated: Website (hwk_{old.prefix}_…)" in history


def test_revoking_asks_first_then_stops_the_key_at_once(
    client, admin, partner, django_capture_on_commit_callbacks
):
    key, plain = partner_key_create(partner=partner, name="Website", user=None)
    assert grant_of(plain) is not None  # cached, as the API holds it
    url = reverse("partner_keys:revoke", args=[key.pk])

    asked = text_of(client.get(url))
    assert "It stops working now" in asked
    key.refresh_from_db()
    assert key.revoked_at is None  # a GET revokes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("partners:edit", args=[partner.pk])
    assert "no longer works" in text_of(response)
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin
    assert grant_of(plain) is None
    assert reverse("partner_keys:revoke", args=[key.pk]) not in response.content.decode()
    assert "was revoked already" in text_of(client.post(url, follow=True))
    rotate = client.get(reverse("partner_keys:rotate", args=[key.pk]), follow=True)
    assert "no longer works: create a new key instead" in text_of(rotate)
    history = text_of(client.get(reverse("partners:history", args=[partner.pk])))
    assert f"API key revoked: Website (hwk_{key.prefix}_…)" in history


def test_the_webhook_secret_is_shown_to_managers_and_replaced_with_a_log(client, admin, partner):
    old = partner.webhook_secret
    edit = client.get(reverse("partners:edit", args=[partner.pk])).content.decode()
    assert old in edit

    response = client.post(reverse("partners:replace_secret", args=[partner.pk]), follow=True)

    partner.refresh_from_db()
    assert partner.webhook_secret.startswith("whsec_") and partner.webhook_secret != old
    assert partner.webhook_secret in response.content.decode()
    history = text_of(client.get(reverse("partners:history", args=[partner.pk])))
    assert "Webhook signing secret replaced" in history
    logged = str(list(ModelLogEntry.objects.values_list("data", flat=True)))
    assert partner.webhook_secret not in logged and old not in logged


def test_a_change_to_a_partner_reaches_its_keys_at_once(
    client, admin, partner, django_capture_on_commit_callbacks
):
    _, plain = partner_key_create(partner=partner, name="Website", user=None)
    assert grant_of(plain) is not None  # cached for half a minute
    form = {
        "organisation": partner.organisation,
        "email": partner.email,
        "public_appeals": "on",
        "areas": [str(force.pk) for force in partner.areas.all()],
        "webhook_url": partner.webhook_url,
        # "active" unticked
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:edit", args=[partner.pk]), form)
    assert response.status_code == 302
    assert grant_of(plain) is None


def test_the_access_log_is_newest_first_paged_and_filtered(client, admin, partner):
    website, _ = partner_key_create(partner=partner, name="Website", user=None)
    screens, _ = partner_key_create(partner=partner, name="Screens", user=None)
    other = partner_create("Another Paper")
    other_key, _ = partner_key_create(partner=other, name="Elsewhere", user=None)
    now = timezone.now()
    rows = [
        PartnerAccess(
            partner=partner,
            key=website,
            at=now - timedelta(minutes=n),
            endpoint=f"/api/appeals/?n={n}",
            status=200,
        )
        for n in range(55)
    ]
    rows += [
        PartnerAccess(
            partner=partner,
            key=screens,
            at=now - timedelta(days=3),
            endpoint="/api/limited/",
            status=429,
        ),
        PartnerAccess(
            partner=partner,
            key=screens,
            at=now - timedelta(days=3),
            endpoint="/api/refused/",
            status=403,
        ),
        PartnerAccess(
            partner=partner,
            key=screens,
            at=now - timedelta(days=4),
            endpoint="/api/broken/",
            status=500,
        ),
        PartnerAccess(partner=other, key=other_key, at=now, endpoint="/api/other/", status=200),
    ]
    PartnerAccess.objects.bulk_create(rows)
    url = reverse("partner_requests:index", args=[partner.pk])

    def endpoints(query=None):
        html = client.get(url, query or {}).content.decode()
        return re.findall(r"/api/(?:appeals/\?n=\d+|limited/|refused/|broken/|other/)", html)

    first = endpoints()
    assert first[:3] == ["/api/appeals/?n=0", "/api/appeals/?n=1", "/api/appeals/?n=2"]
    assert len(first) == 50 and "/api/other/" not in first
    older = endpoints({"p": 2})
    assert sorted(older[-3:-1]) == ["/api/limited/", "/api/refused/"]
    assert older[-1] == "/api/broken/"
    assert sorted(endpoints({"key": screens.pk})) == [
        "/api/broken/",
        "/api/limited/",
        "/api/refused/",
    ]
    assert endpoints({"status": "limited"}) == ["/api/limited/"]
    assert endpoints({"status": "refused"}) == ["/api/refused/"]
    assert endpoints({"status": "error"}) == ["/api/broken/"]
    assert endpoints({"status": "answered"})[0] == "/api/appeals/?n=0"
    up_to = (timezone.localdate() - timedelta(days=2)).isoformat()
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert sorted(endpoints({"at_from": since, "at_to": up_to})) == [
        "/api/limited/",
        "/api/refused/",
    ]
    page = text_of(client.get(url, {"status": "limited"}))
    assert "429 Too Many Requests" in page and f"Screens (hwk_{screens.prefix}_…)" in page
    # Another partner's key is not offered, nor its requests listed.
    assert str(other_key.prefix) not in client.get(url).content.decode()


def test_the_dashboard_lists_failed_notices_to_those_who_manage_partners(client, partner):
    PartnerNotice.objects.create(
        partner=partner,
        kind=PartnerNotice.Kind.WEBHOOK,
        body={"id": 4321},
        status=PartnerNotice.Status.FAILED,
        attempts=5,
        last_error="HTTP 500 from the partner",
    )
    client.force_login(factories.user_create(role=roles.ADMINISTRATORS))
    page = text_of(client.get(reverse("wagtailadmin_home")))
    assert "Partners not told of a takedown" in page
    assert "The Fictional Gazette" in page and "appeal 4321" in page
    assert "HTTP 500 from the partner" in page

    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    assert "Partners not told of a takedown" not in text_of(
        client.get(reverse("wagtailadmin_home"))
    )
