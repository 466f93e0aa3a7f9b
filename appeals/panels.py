from datetime import timedelta

from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from homeward.roles import PUBLICITY_CHECK_READERS

# What the dashboard shows: clearances ending this soon, expiries this recent.
ENDING_WITHIN = timedelta(days=2)
EXPIRED_WITHIN = timedelta(days=7)


class PublicityChecksPanel(Panel):
    """The appeal's publicity safety checks, in its editor, for those allowed to read them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "appeals/admin/publicity_checks_panel.html"

        def is_shown(self):
            user = self.request.user
            return bool(self.instance.pk) and (
                user.is_superuser or user.groups.filter(name__in=PUBLICITY_CHECK_READERS).exists()
            )

        def get_context_data(self, parent_context=None):
            from appeals.selectors import publicity_checks_of  # models load this module

            context = super().get_context_data(parent_context)
            context["checks"] = publicity_checks_of(self.instance)
            return context


class ClearancesDashboardPanel(Component):
    """Clearances ending within two days, and appeals taken down by expiry this week."""

    name = "publicity_clearances"
    template_name = "appeals/admin/clearances_dashboard_panel.html"
    order = 50

    def __init__(self, *, now):
        self.now = now

    def get_context_data(self, parent_context):
        from appeals.selectors import publicity_clearances_ending, publicity_recent_expiries

        context = super().get_context_data(parent_context)
        context["ending"] = publicity_clearances_ending(now=self.now, within=ENDING_WITHIN)
        context["expired"] = publicity_recent_expiries(now=self.now, within=EXPIRED_WITHIN)
        return context
