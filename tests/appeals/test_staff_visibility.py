"""Staff see only the appeals they may see, on every admin surface: role by role, force
by force. Charity staff see every force's appeals; a police officer, their own force's;
anyone else, none. What they may then do with one is still their role's page and image
permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from appeals.models import AppealPage
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

ED, SG, PB, CW, PO, AD = (
    roles.EDITORS,
    roles.SAFEGUARDING_LEADS,
    roles.PUBLISHERS,
    roles.CASEWORKERS,
    roles.POLICE_OFFICERS,
    roles.ADMINISTRATORS,
)
OWN_FORCE = "Police officer of the appeal's force"
OTHER_FORCE = "Police officer of another force"
NO_ROLE = "Staff with no role"
# A group that is no role, given broad page and image rights: rights do not show appeals.
OTHER_GROUP = "Group that is no role, with page and image rights"
SUPERUSER = "Superuser"
EVERYONE = [ED, SG, PB, CW, AD, OWN_FORCE, OTHER_FORCE, NO_ROLE, OTHER_GROUP, SUPERUSER]

# Who may see the appeal at all (the selector's rule).
MAY_SEE = {ED, SG, PB, CW, AD, OWN_FORCE, SUPERUSER}
# ...and of those, whose page permissions let them browse and open it in the admin.
PAGE_RIGHTS = {ED, PB, AD, SUPERUSER}
# ...and the safeguarding leads' editor, while the appeal awaits their check (the workflow).
CHECKERS = PAGE_RIGHTS | {SG}
# Image permissions: choosing (editors), changing (publishers, administrators).
CHOOSE_IMAGES = {ED, PB, AD, SUPERUSER}
CHANGE_IMAGES = {PB, AD, SUPERUSER}

NAME = "Zebedee Visibilitycase"
PHOTO_TITLE = "Visibilitycase portrait"
APPEAL_FORCE = "north-yorkshire-police"


def member(who: str, directory):
    if who in roles.ROLES:
        return factories.user_create(role=who)
    if who == OWN_FORCE:
        return factories.user_create(role=PO, force_slug=APPEAL_FORCE)
    if who == OTHER_FORCE:
        return factories.user_create(role=PO, force_slug="kent-police")
    if who == SUPERUSER:
        return factories.user_create(is_superuser=True)
    user = factories.user_create()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if who == OTHER_GROUP:
        group = Group.objects.create(name="Volunteers")
        group.user_set.add(user)
        for kind in ("add", "change", "publish", "lock"):
            GroupPagePermission.objects.create(group=group, page=directory, permission_type=kind)
        for codename in ("add_image", "change_image", "choose_image"):
            GroupCollectionPermission.objects.create(
                group=group,
                collection=Collection.get_first_root_node(),
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
    return user


@pytest.fixture(scope="module")
def shared(module_rows):
    """Built once for the module: a trafficked child's draft appeal, awaiting its check
    (nothing of it is public), and a member of staff for each of EVERYONE."""
    appeal = factories.appeal_create(
        publish=False,
        title=NAME,
        trafficked=True,
        risk_level=AppealPage.RiskLevel.HIGH,
        police_force_id=_force_id(),
    )
    image = appeal.photos.get().image
    image.title = PHOTO_TITLE
    image.save()
    factories.workflow_start(appeal)
    appeal.locked, appeal.locked_by = True, factories.staff(ED)
    appeal.save(update_fields=["locked", "locked_by"])
    directory = appeal.get_parent()
    return appeal.pk, {who: member(who, directory).pk for who in EVERYONE}


@pytest.fixture
def case(shared):
    appeal_id, _ = shared
    return AppealPage.objects.get(pk=appeal_id)


@pytest.fixture
def staff_member(shared):
    _, member_ids = shared
    return lambda who: get_user_model().objects.get(pk=member_ids[who])


def _force_id():
    from homeward.models import PoliceForce

    return PoliceForce.objects.get(slug=APPEAL_FORCE).pk


# Surfaces that list or search pages: (URL, who sees the appeal's name there).
LISTINGS = {
    "explorer listing": (
        lambda a: reverse("wagtailadmin_explore", args=[a.get_parent().pk]),
        PAGE_RIGHTS,
    ),
    "explorer at the appeal": (
        lambda a: reverse("wagtailadmin_explore", args=[a.pk]),
        PAGE_RIGHTS,
    ),
    "page search": (
        lambda a: reverse("wagtailadmin_pages:search") + "?q=Visibilitycase",
        PAGE_RIGHTS,
    ),
    "page chooser": (
        lambda a: reverse("wagtailadmin_choose_page_child", args=[a.get_parent().pk]),
        MAY_SEE,
    ),
    "page chooser at the appeal": (
        lambda a: reverse("wagtailadmin_choose_page_child", args=[a.pk]),
        MAY_SEE,
    ),
    "page chooser search": (
        lambda a: reverse("wagtailadmin_choose_page_search") + "?q=Visibilitycase",
        MAY_SEE,
    ),
    "page chooser, chosen": (
        lambda a: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={a.pk}",
        MAY_SEE,
    ),
    "admin API pages listing": (
        lambda a: reverse("wagtailadmin_api:pages:listing") + f"?child_of={a.get_parent().pk}",
        PAGE_RIGHTS,
    ),
    "admin API pages search": (
        lambda a: reverse("wagtailadmin_api:pages:listing") + "?search=Visibilitycase",
        PAGE_RIGHTS,
    ),
    "admin API page detail": (
        lambda a: reverse("wagtailadmin_api:pages:detail", args=[a.pk]),
        PAGE_RIGHTS,
    ),
    # A bulk action's confirmation lists what it was given, even what one may not act on.
    "bulk unpublish, confirmation": (
        lambda a: (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
            + f"?id={a.pk}"
        ),
        MAY_SEE,
    ),
    "bulk delete of the directory's pages, confirmation": (
        lambda a: (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
            + f"?id=all&childOf={a.get_parent().pk}"
        ),
        MAY_SEE,
    ),
    "bulk delete of images, confirmation": (
        lambda a: (
            reverse("wagtail_bulk_action", args=["homeward", "homewardimage", "delete"])
            + f"?id={a.photos.get().image_id}"
        ),
        MAY_SEE,
    ),
    # The dashboard: the check awaiting the safeguarding leads, and the case awaiting its
    # own force's authorisation.
    "dashboard": (lambda a: reverse("wagtailadmin_home"), {SG, OWN_FORCE, SUPERUSER}),
    "locked pages report": (
        lambda a: reverse("wagtailadmin_reports:locked_pages"),
        {PB, AD, SUPERUSER},
    ),
    "workflow report": (lambda a: reverse("wagtailadmin_reports:workflow"), PAGE_RIGHTS),
    "workflow tasks report": (
        lambda a: reverse("wagtailadmin_reports:workflow_tasks"),
        PAGE_RIGHTS,
    ),
    "site history report": (lambda a: reverse("wagtailadmin_reports:site_history"), PAGE_RIGHTS),
    "image listing": (lambda a: reverse("wagtailimages:index"), CHANGE_IMAGES),
    "image chooser": (lambda a: reverse("wagtailimages_chooser:choose"), CHOOSE_IMAGES),
    "image chooser search": (
        lambda a: reverse("wagtailimages_chooser:choose_results") + "?q=Visibilitycase",
        CHOOSE_IMAGES,
    ),
    # Nothing in the admin reads images over the API: it is off for everyone.
    "admin API images listing": (lambda a: reverse("wagtailadmin_api:images:listing"), set()),
    "admin API image detail": (
        lambda a: reverse("wagtailadmin_api:images:detail", args=[a.photos.get().image_id]),
        set(),
    ),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("surface", LISTINGS)
def test_who_sees_the_appeal_where(client, case, staff_member, who, surface):
    url_for, shown_to = LISTINGS[surface]
    client.force_login(staff_member(who))
    response = client.get(url_for(case))
    content = response.content.decode()
    shown = response.status_code == 200 and (NAME in content or PHOTO_TITLE in content)
    assert shown == (who in shown_to), f"{surface}: {response.status_code}"


# Addresses of the appeal and its photo: (URL, who may open it).
ADDRESSES = {
    "page edit": (lambda a: reverse("wagtailadmin_pages:edit", args=[a.pk]), CHECKERS),
    "page preview": (
        lambda a: reverse(
            "wagtailadmin_pages:revisions_view", args=[a.pk, a.get_latest_revision().pk]
        ),
        PAGE_RIGHTS,
    ),
    "page history": (lambda a: reverse("wagtailadmin_pages:history", args=[a.pk]), PAGE_RIGHTS),
    "page revisions compare": (
        lambda a: reverse(
            "wagtailadmin_pages:revisions_compare", args=[a.pk, "earliest", "latest"]
        ),
        PAGE_RIGHTS,
    ),
    "page workflow history": (
        lambda a: reverse("wagtailadmin_pages:workflow_history", args=[a.pk]),
        CHECKERS,
    ),
    "page usage": (lambda a: reverse("wagtailadmin_pages:usage", args=[a.pk]), PAGE_RIGHTS),
    "image edit": (
        lambda a: reverse("wagtailimages:edit", args=[a.photos.get().image_id]),
        CHANGE_IMAGES,
    ),
    "image preview": (
        lambda a: reverse("wagtailimages:preview", args=[a.photos.get().image_id, "original"]),
        CHANGE_IMAGES,
    ),
    "image usage": (
        lambda a: reverse("wagtailimages:image_usage", args=[a.photos.get().image_id]),
        CHANGE_IMAGES,
    ),
    "image chosen": (
        lambda a: reverse("wagtailimages_chooser:chosen", args=[a.photos.get().image_id]),
        CHOOSE_IMAGES,
    ),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("address", ADDRESSES)
def test_who_may_open_the_appeal_and_its_photo(client, case, staff_member, who, address):
    url_for, allowed = ADDRESSES[address]
    client.force_login(staff_member(who))
    response = client.get(url_for(case))
    if who in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403, 404)
        assert NAME not in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_the_page_permission_tester_refuses_what_they_may_not_see(case, staff_member, who):
    tester = case.permissions_for_user(staff_member(who))
    may_open = tester.can_edit() or tester.can_lock() or tester.can_unpublish()
    assert may_open == (who in CHECKERS)
