"""The roles people hold in Homeward, each with the least it needs.

A role is a Django group that grants permissions; code asks ``user.has_perm(...)``,
never which group someone is in (permissions of no model: ``homeward.capabilities``).
``roles_sync`` makes the groups match these definitions exactly; it runs from data
migrations, so every database gets the same roles. When a later change alters what a role
may do, it adds a migration that calls ``roles_sync`` again.
"""

from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

from homeward.capabilities import (
    READ_PUBLICITY_CHECKS,
    SEE_EVERY_FORCE,
    SEE_LOCAL_AUTHORITY_EPISODES,
)
from homeward.image_collections import appeal_photos_collection


@dataclass(frozen=True)
class Role:
    description: str
    # "app_label.codename"
    permissions: tuple[str, ...] = ()
    # Wagtail page permission types on the appeals directory, or on the whole site.
    page_permissions: tuple[str, ...] = ()
    page_scope: str = "directory"
    # "app_label.codename" on the Appeal photos collection. Wagtail checks image permissions
    # against wagtailimages.Image, whichever image model the site uses.
    collection_permissions: tuple[str, ...] = field(default=())


EDITORS = "Editors"
SAFEGUARDING_LEADS = "Safeguarding leads"
PUBLISHERS = "Publishers"
CASEWORKERS = "Caseworkers"
POLICE_OFFICERS = "Police officers"
LOCAL_AUTHORITY_MANAGERS = "Local authority designated managers"
ADMINISTRATORS = "Administrators"

# Campaign figures and cancelling, the emails' wording and schedule, the partner list.
HEROES_EMAILS = (
    "newsletter.view_campaign",
    "newsletter.change_campaign",
    "newsletter.change_newslettersettings",
    "newsletter.view_partner",
)
# An appeal's publicity record: its posts, with retrying and cancelling them.
SOCIAL_POSTS = ("appeals.view_socialpost", "appeals.change_socialpost")
IMAGE_AUTHORING = ("wagtailimages.add_image", "wagtailimages.choose_image")
# The takedowns report (with SEE_EVERY_FORCE, every force's takedowns).
TAKEDOWN_REPORT = ("appeals.view_appealtakedown",)
# The trends of publicised episodes (with SEE_EVERY_FORCE, everyone's; else one's council's).
TRENDS = ("appeals.view_episodestatistic",)
RETURN_HOME = ("appeals.view_returnhomeinterview", "appeals.change_returnhomeinterview")
# Managing partners (reading the list is HEROES_EMAILS'); and, apart, what opens their
# systems to us and ours to them: a partner's API keys and access log (view), issuing and
# rotating keys and seeing or replacing its webhook's signing secret (add), revoking (change).
PARTNERS = ("newsletter.add_partner", "newsletter.change_partner", "newsletter.delete_partner")
PARTNER_KEYS = (
    "newsletter.view_partnerkey",
    "newsletter.add_partnerkey",
    "newsletter.change_partnerkey",
)

ROLES: dict[str, Role] = {
    EDITORS: Role(
        description="Charity publicity staff who draft appeals from police referrals.",
        permissions=("wagtailadmin.access_admin", SEE_EVERY_FORCE),
        page_permissions=("add", "change"),
        collection_permissions=IMAGE_AUTHORING,
    ),
    SAFEGUARDING_LEADS: Role(
        description="Complete the publicity safety check before anything goes public.",
        permissions=(
            "wagtailadmin.access_admin",
            SEE_EVERY_FORCE,
            READ_PUBLICITY_CHECKS,
            *TRENDS,
        ),
    ),
    PUBLISHERS: Role(
        description="Approve, publish and close appeals; run the Heroes emails.",
        permissions=(
            "wagtailadmin.access_admin",
            SEE_EVERY_FORCE,
            READ_PUBLICITY_CHECKS,
            *TAKEDOWN_REPORT,
            *HEROES_EMAILS,
            *SOCIAL_POSTS,
        ),
        page_permissions=("add", "change", "publish", "lock", "unlock"),
        collection_permissions=(*IMAGE_AUTHORING, "wagtailimages.change_image"),
    ),
    CASEWORKERS: Role(
        description="Charity caseworkers who see sightings for every case, and make sure "
        "each child found is offered a return home interview.",
        permissions=(
            "wagtailadmin.access_admin",
            "sightings.view_sighting",
            SEE_EVERY_FORCE,
            READ_PUBLICITY_CHECKS,
            *RETURN_HOME,
            *TRENDS,
        ),
    ),
    POLICE_OFFICERS: Role(
        description="Officers of one force: their force's cases and sightings only (the "
        "force is their police officer link).",
        permissions=(
            "wagtailadmin.access_admin",
            # Triage: see and work on their force's sightings.
            "sightings.view_sighting",
            "sightings.change_sighting",
            # Their force's cases: authorise publicity, close them, read their takedowns,
            # review their risk.
            "appeals.add_policeauthorisation",
            "appeals.add_appealtakedown",
            "appeals.view_appealtakedown",
            "appeals.add_riskassessment",
        ),
    ),
    LOCAL_AUTHORITY_MANAGERS: Role(
        description="A council's designated manager for missing children: their own "
        "children's episodes and return home interviews, and the trends (the council is "
        "their local authority manager link).",
        permissions=(
            "wagtailadmin.access_admin",
            SEE_LOCAL_AUTHORITY_EPISODES,
            *RETURN_HOME,
            *TRENDS,
        ),
    ),
    ADMINISTRATORS: Role(
        description="Run the site: people and their roles, police forces, the publicity "
        "check's review periods, all pages.",
        permissions=(
            "wagtailadmin.access_admin",
            SEE_EVERY_FORCE,
            READ_PUBLICITY_CHECKS,
            *TAKEDOWN_REPORT,
            "auth.add_user",
            "auth.change_user",
            "auth.delete_user",
            "homeward.add_policeforce",
            "homeward.change_policeforce",
            "homeward.add_policeofficer",
            "homeward.change_policeofficer",
            "homeward.delete_policeofficer",
            "homeward.add_localauthority",
            "homeward.change_localauthority",
            "homeward.add_localauthoritymanager",
            "homeward.change_localauthoritymanager",
            "homeward.delete_localauthoritymanager",
            *TRENDS,
            "appeals.change_publicitysettings",
            *HEROES_EMAILS,
            *SOCIAL_POSTS,
            *PARTNERS,
            *PARTNER_KEYS,
        ),
        page_permissions=("add", "change", "publish", "bulk_delete", "lock", "unlock"),
        page_scope="site",
        collection_permissions=(
            *IMAGE_AUTHORING,
            "wagtailimages.change_image",
            "wagtailimages.delete_image",
        ),
    ),
}

# Groups Wagtail creates on install, with broad rights on the whole page tree.
WAGTAIL_DEFAULT_GROUPS = ("Moderators",)


def roles_sync(*, apps=global_apps) -> None:
    """Create or update every role's group so it holds exactly its permissions."""
    for app_config in global_apps.get_app_configs():
        # Permissions are normally created after all migrations; roles need them now.
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    AppealIndexPage = apps.get_model("appeals", "AppealIndexPage")

    def permissions(dotted_names):
        found = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            match = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            if match:
                found.append(match.get())
            elif apps is global_apps:
                raise LookupError(f"No permission {dotted}")
            # Inside an earlier migration the model may not exist yet: the migration
            # that adds it calls roles_sync again.
        return found

    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    scopes = {
        "directory": Page.objects.get(pk=AppealIndexPage.objects.get().pk),
        "site": Page.objects.get(depth=1),
    }
    # Never the root: a right there would reach every collection (see image_collections).
    appeal_photos = appeal_photos_collection(Collection)

    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions(role.permissions))

        GroupPagePermission.objects.filter(group=group).delete()
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=group, page=scopes[role.page_scope], permission=each)
            for each in permissions(f"wagtailcore.{kind}_page" for kind in role.page_permissions)
        )

        GroupCollectionPermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=group, collection=appeal_photos, permission=each)
            for each in permissions(role.collection_permissions)
        )
