from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from sightings.admin_views import sighting_viewset
from sightings.models import Sighting, SightingLogEntry
from sightings.panels import WaitingSightingsPanel
from sightings.permissions import SEE, sighting_permission_policy
from sightings.services.hand_off import HANDED_OFF
from sightings.statistics import episode_sighting_figures

register_permission_policy(Sighting, sighting_permission_policy)


@hooks.register("register_admin_viewset")
def register_sightings_viewset():
    return sighting_viewset


hooks.register("episode_statistics_figures", episode_sighting_figures)


@hooks.register("construct_homepage_panels")
def add_waiting_sightings_panel(request, panels):
    if sighting_permission_policy.user_has_permission(request.user, SEE):
        panels.append(WaitingSightingsPanel(user=request.user, now=timezone.now()))


class HandedOff(LogFormatter):
    """Names the force in the history: "Passed to West Yorkshire Police"."""

    label = "Sighting passed to another force"

    def format_message(self, log_entry):
        return f"Passed to {log_entry.data.get('to_force', 'another force')}"


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
        ("homeward.sighting.translated", "Sighting translated", "Translation added"),
        ("homeward.sighting.assessed", "THRIVE assessment", "THRIVE assessment recorded"),
        ("homeward.sighting.exported", "Sighting exported", "Exported for the case file"),
        ("homeward.sighting.purged", "Sighting purged", "Purged at the end of retention"),
    ]:
        actions.register_action(action, label, message)
    actions.register_action(HANDED_OFF)(HandedOff)
