"""Partners in the admin, on Wagtail's generic views: the list (what each receives, where,
whether vetted and active, when it last fetched) with filters and search; each partner's
page, with its webhook's signing secret and its API keys (admin_partner_keys); replacing
the secret; and, on the dashboard, the takedown notices that failed.

The list is read with ``newsletter.view_partner`` (Publishers, Administrators); partners
are added, changed and removed with Partner's other model permissions (Administrators).
The secret and the keys need the keys' permissions besides (see admin_partner_keys).
"""

from datetime import timedelta
from functools import partial

import django_filters
from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.log_actions import log

from homeward.models import PoliceForce
from newsletter.admin_partner_keys import (
    PARTNERS,
    SIGNING_REPLACED_ACTION,
    KeysPermittedMixin,
    key_label,
    keys_of,
    keys_permitted,
    latest_request,
    partner_breadcrumbs,
    partner_url,
)
from newsletter.models import Partner, PartnerNotice
from newsletter.models.partners import webhook_secret_new
from newsletter.partner_keys import grants_forget

# Failed notices the dashboard lists: a failure is worth a call to the partner while the
# takedown is recent; the takedowns report keeps every one.
FAILED_SHOWN_FOR = timedelta(days=14)
FAILED_SHOWN = 10


class PartnerFilterSet(WagtailFilterSet):
    briefings = django_filters.BooleanFilter(
        label="Receives restricted briefings", widget=BooleanRadioSelect
    )
    active = django_filters.BooleanFilter(widget=BooleanRadioSelect)
    area = django_filters.ModelChoiceFilter(
        label="Covers the area of",
        queryset=PoliceForce.objects.order_by("name"),
        method="filter_area",
        empty_label="Any police force",
    )

    class Meta:
        model = Partner
        fields = []

    def filter_area(self, queryset, name, force):
        chosen = Partner.areas.through.objects.filter(policeforce=force).values("partner_id")
        return queryset.filter(Q(all_of_uk=True) | Q(pk__in=chosen))


def _receives(partner: Partner) -> str:
    kinds = [
        label
        for receives, label in [
            (partner.public_appeals, "Public appeals"),
            (partner.briefings, "Restricted briefings"),
        ]
        if receives
    ]
    return ", ".join(kinds) or "Nothing"


def _areas(partner: Partner) -> str:
    if partner.all_of_uk:
        return "All of the UK"
    return ", ".join(force.name for force in partner.areas.all()) or "None"


def _vetted(partner: Partner) -> str:
    return date_format(partner.vetted_on, "j M Y") if partner.vetted_on else "Not vetted"


class PartnerIndexView(IndexView):
    default_ordering = "organisation"

    @cached_property
    def columns(self):
        return [
            self._get_title_column("organisation"),
            Column("receives", label="Receives", accessor=_receives),
            Column("areas", label="Areas", accessor=_areas),
            Column("vetted_on", label="Vetted", accessor=_vetted, sort_key="vetted_on"),
            StatusTagColumn(
                "active",
                label="Active",
                accessor=lambda partner: "Active" if partner.active else "Inactive",
                primary=lambda partner: partner.active,
                sort_key="active",
            ),
            DateColumn("last_fetched", label="Last fetched", sort_key="last_fetched"),
        ]

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .prefetch_related("areas")
            .annotate(last_fetched=latest_request(partner=OuterRef("pk")))
        )


class PartnerEditView(EditView):
    def save_instance(self):
        partner = super().save_instance()
        # What its keys may fetch (areas, what it receives, active) changes at once.
        transaction.on_commit(partial(grants_forget, partner_id=partner.pk))
        return partner


class WebhookSecretPanel(Panel):
    """The webhook's signing secret, to copy for the partner, and the way to replace it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/partners/secret_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and keys_permitted(self.request.user, "add")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["secret"] = self.instance.webhook_secret
            context["replace_url"] = reverse(f"{PARTNERS}:replace_secret", args=[self.instance.pk])
            return context


class PartnerKeysPanel(Panel):
    """The partner's keys, with what may be done to each, and its access log."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/partners/keys_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and keys_permitted(self.request.user, "view")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            user, partner = self.request.user, self.instance
            now = timezone.now()
            context["keys"] = [
                (key, key_label(key), key.usable(now=now)) for key in keys_of(partner)
            ]
            context["may_add"] = keys_permitted(user, "add")
            context["may_revoke"] = keys_permitted(user, "change")
            context["add_url"] = reverse("partner_keys:add", args=[partner.pk])
            context["requests_url"] = reverse("partner_requests:index", args=[partner.pk])
            return context


class WebhookSecretReplaceView(
    KeysPermittedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, View
):
    """Asks first: the partner must be given the new secret, or our webhooks fail its check."""

    model = Partner
    key_action = "add"
    template_name = "newsletter/admin/partners/secret_replace.html"
    page_title = "Replace webhook signing secret"
    header_icon = "key"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(partner=self.object))

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            partner = Partner.objects.select_for_update().get(pk=self.object.pk)
            partner.webhook_secret = webhook_secret_new()
            partner.save(update_fields=["webhook_secret"])
            log(partner, SIGNING_REPLACED_ACTION, user=request.user)  # never the secret itself
        messages.success(
            request, f"Replaced. Give {partner} the new secret: webhooks are signed with it now."
        )
        return redirect(partner_url(partner.pk))

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return partner_breadcrumbs(self, self.object, self.page_title)


class PartnerViewSet(ModelViewSet):
    """Everyone who republishes appeals: newspapers, transport screens, police and council
    sites, poster distributors, and the vetted safeguarding network that gets restricted
    briefings. A menu of its own (no longer under the Heroes emails): most partners fetch
    appeals through the API rather than by email, and each must be told of a takedown."""

    model = Partner
    name = PARTNERS
    icon = "group"
    menu_label = "Partners"
    menu_order = 165
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = PartnerIndexView
    edit_view_class = PartnerEditView
    filterset_class = PartnerFilterSet
    search_fields = ["organisation", "contact_name", "email"]
    panels = [
        *Partner.panels,
        WebhookSecretPanel(heading="Webhook signing secret"),
        PartnerKeysPanel(heading="API keys"),
    ]

    def get_urlpatterns(self):
        replace = self.construct_view(WebhookSecretReplaceView)
        return [
            *super().get_urlpatterns(),
            path("replace-secret/<int:pk>/", replace, name="replace_secret"),
        ]


class FailedNoticesPanel(Component):
    """For those who manage partners: the takedown notices that failed after every retry,
    so that someone tells the partner another way."""

    name = "partner_notices_failed"
    template_name = "newsletter/admin/partners/failed_notices_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        failed = list(
            PartnerNotice.objects.filter(
                status=PartnerNotice.Status.FAILED,
                created_at__gte=timezone.now() - FAILED_SHOWN_FOR,
            ).select_related("partner")
        )
        context["notices"] = [
            # The appeal as partners know it: a webhook's id, a poster's short reference.
            (
                notice,
                partner_url(notice.partner_id),
                notice.body.get("id") or notice.body.get("reference"),
            )
            for notice in failed[:FAILED_SHOWN]
        ]
        context["more"] = max(len(failed) - FAILED_SHOWN, 0)
        return context
