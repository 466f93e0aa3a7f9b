"""The dashboard's sightings panel: what waits for someone to pick it up, and for how long."""

from wagtail.admin.ui.components import Component

from sightings.formatting import waited
from sightings.permissions import sees_every_force
from sightings.selectors import sighting_queue_waiting

SHOWN = 10


class WaitingSightingsPanel(Component):
    """Unclaimed new sightings, urgent first, the longest waiting first: an officer's are
    their force's; someone who works on every force sees them all, with the force."""

    name = "waiting_sightings"
    template_name = "sightings/admin/waiting_panel.html"
    order = 40

    def __init__(self, *, user, now):
        self.user = user
        self.now = now

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        waiting = sighting_queue_waiting(user=self.user)
        shown = list(waiting[:SHOWN])
        context.update(
            every_force=sees_every_force(self.user),
            rows=[(sighting, waited(sighting.received_at, self.now)) for sighting in shown],
            urgent_count=waiting.filter(with_them_now=True).count(),
            count=waiting.count() if len(shown) == SHOWN else len(shown),
        )
        return context
