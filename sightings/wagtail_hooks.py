from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sightings import admin_views, views
from sightings.models import Sighting, SightingLogEntry
from sightings.selectors import can_see_sightings


@hooks.register("register_admin_urls")
def register_admin_urls():
    # A sighting is named by its random public id: sequential ids would let anyone count
    # sightings or walk from one to the next.
    return [
        path("sightings/", admin_views.SightingQueueView.as_view(), name="sightings_queue"),
        path("sightings/claim-next/", admin_views.sighting_claim_next, name="sightings_claim_next"),
        path("sightings/export/", admin_views.sightings_export, name="sightings_export"),
        path(
            "sightings/close-duplicates/",
            admin_views.sightings_close_duplicates,
            name="sightings_close_duplicates",
        ),
        path(
            "sightings/<uuid:public_id>/",
            admin_views.SightingDetailView.as_view(),
            name="sightings_detail",
        ),
        path(
            "sightings/<uuid:public_id>/photo/",
            views.sighting_photo,
            name="sightings_photo",
        ),
        path(
            "sightings/<uuid:public_id>/<slug:action>/",
            admin_views.sighting_act,
            name="sightings_act",
        ),
    ]


class SightingsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_sightings(request.user)


@hooks.register("register_admin_menu_item")
def register_sightings_menu_item():
    return SightingsMenuItem("Sightings", reverse("sightings_queue"), icon_name="view", order=140)


@hooks.register("register_log_actions")
def register_sighting_log_actions(actions):
    actions.register_model(Sighting, SightingLogEntry)
    for action, label, message in [
        ("homeward.sighting.viewed", "Sighting viewed", "Viewed"),
        ("homeward.sighting.claimed", "Sighting claimed", "Claimed"),
        ("homeward.sighting.released", "Sighting released", "Released back to the queue"),
        ("homeward.sighting.passed_on", "Sighting passed on", "Passed to the investigation"),
        ("homeward.sighting.closed", "Sighting closed", "Closed"),
        ("homeward.sighting.noted", "Sighting note", "Note added"),
        ("homeward.sighting.assessed", "THRIVE assessment", "THRIVE assessment recorded"),
        ("homeward.sighting.exported", "Sighting exported", "Exported for the case file"),
        ("homeward.sighting.purged", "Sighting purged", "Purged at the end of retention"),
    ]:
        actions.register_action(action, label, message)
