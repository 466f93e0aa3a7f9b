"""A partner's API keys and access log in the admin, on Wagtail's generic views: issuing a
key (shown once, in the answer to the form, never stored or logged), rotating it (its
successor shown once; the old one works 7 more days), revoking it, and the log of every
request its keys made, with filters.

These open a partner's data to another system, so they are for those who manage partners
(``newsletter.change_partner``) and hold the keys' permission for the action: view (the
keys and their log), add (issue, rotate; the webhook's signing secret), change (revoke).
Everyone else is refused by every view, whatever its address.
"""

from http import HTTPStatus

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, IndexView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from homeward.admin_views import RecordViewSet
from newsletter.models import Partner, PartnerAccess, PartnerKey
from newsletter.partner_keys import KEY_START
from newsletter.services.partner_keys import (
    partner_key_create,
    partner_key_revoke,
    partner_key_rotate,
)

PARTNERS = "partners"  # the partners' viewset (admin_partners), whose pages these hang from
# Logged on the partner when its webhook's secret is replaced (admin_partners); the key
# services log their own actions ("homeward.partner.key_created" and the rest).
SIGNING_REPLACED_ACTION = "homeward.partner.secret_replaced"


def keys_permitted(user, action: str) -> bool:
    """Whether this person manages partners and may ``action`` ("view", "add", "change")
    their keys."""
    partners, keys = policy_registry.get_by_type(Partner), policy_registry.get_by_type(PartnerKey)
    return partners.user_has_permission(user, "change") and keys.user_has_permission(user, action)


class KeysPermittedMixin:
    """Refuses everyone but those ``keys_permitted`` to do ``key_action``."""

    key_action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not keys_permitted(request.user, self.key_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def partner_url(partner_id: int) -> str:
    return reverse(f"{PARTNERS}:edit", args=[partner_id])


def partner_breadcrumbs(view, partner: Partner, label: str) -> list[dict]:
    return [
        *view.breadcrumbs_items,
        {"url": reverse(f"{PARTNERS}:index"), "label": "Partners"},
        {"url": partner_url(partner.pk), "label": str(partner)},
        {"url": "", "label": label},
    ]


def latest_request(**match) -> Subquery:
    """When a partner (``partner=OuterRef("pk")``) or a key last asked anything: the
    newest row of the access log, found by its index, not by reading the whole log."""
    newest = PartnerAccess.objects.filter(**match).order_by("-at")
    return Subquery(newest.values("at")[:1])


def keys_of(partner: Partner):
    """The partner's keys, newest first, with when each was last used."""
    return partner.keys.select_related("created_by", "revoked_by").annotate(
        last_used=latest_request(key=OuterRef("pk"))
    )


def key_label(key: PartnerKey) -> str:
    return f"{KEY_START}{key.prefix}_…"


def _when(moment) -> str:
    return date_format(localtime(moment), "j F Y, H:i")


def key_shown(view, *, record: PartnerKey, key: str, title: str, replaced=None):
    """The one page that shows a key. It is the answer to the form that made it, so no
    address shows it again, and nothing between us and the browser may keep a copy."""
    context = view.get_context_data(
        partner=record.partner,
        record=record,
        key=key,
        replaced=replaced,
        replaced_until=replaced and _when(replaced.expires_at),
        partner_url=partner_url(record.partner_id),
    )
    context.update(page_title=title, header_title=title)
    context["breadcrumbs_items"] = partner_breadcrumbs(view, record.partner, title)
    response = TemplateResponse(view.request, "newsletter/admin/partners/key_shown.html", context)
    response["Cache-Control"] = "no-store"  # the admin adds its own never-cache headers too
    return response


class PartnerKeyForm(forms.ModelForm):
    class Meta:
        model = PartnerKey
        fields = ["name", "may_read_briefings", "requests_per_minute"]

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        if not partner.briefings:
            field = self.fields["may_read_briefings"]
            field.help_text = (
                f"{partner} is not vetted for restricted briefings: no key may read them."
            )

    def clean_may_read_briefings(self):
        may = self.cleaned_data["may_read_briefings"]
        partner = self.instance.partner
        if may and not partner.briefings:
            raise ValidationError(
                f"{partner} is not vetted for restricted briefings, so no key of theirs may "
                "read them. Untick this, or first record their vetting and tick "
                "“restricted briefings” on the partner."
            )
        return may


class PartnerKeyCreateView(KeysPermittedMixin, CreateView):
    key_action = "add"
    page_title = "New"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.partner = get_object_or_404(Partner, pk=kwargs["partner_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partner": self.partner}

    def get_add_url(self):
        return reverse(self.add_url_name, args=[self.partner.pk])

    def get_page_subtitle(self):
        return f"API key for {self.partner}"

    def get_breadcrumbs_items(self):
        return partner_breadcrumbs(self, self.partner, "New API key")

    def form_valid(self, form):
        self.form = form
        # Through the service, which keeps only the key's digest and logs its prefix.
        record, key = partner_key_create(
            partner=self.partner, user=self.request.user, **form.cleaned_data
        )
        return key_shown(self, record=record, key=key, title="API key created")


class PartnerKeyRotateView(KeysPermittedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, View):
    """Asks first; then a successor with the same rights, shown once."""

    model = PartnerKey
    key_action = "add"
    template_name = "newsletter/admin/partners/key_rotate.html"
    page_title = "Rotate API key"
    header_icon = "key"

    def get(self, request, *args, **kwargs):
        if refused := self._refused_if_unusable():
            return refused
        return self.render_to_response(self.get_context_data(key=self.object))

    def post(self, request, *args, **kwargs):
        if refused := self._refused_if_unusable():
            return refused
        record, key = partner_key_rotate(key=self.object, user=request.user)
        self.object.refresh_from_db()
        return key_shown(
            self, record=record, key=key, title="API key rotated", replaced=self.object
        )

    def _refused_if_unusable(self):
        if self.object.usable():
            return None
        messages.error(self.request, f"{self.object} no longer works: create a new key instead.")
        return redirect(partner_url(self.object.partner_id))

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return partner_breadcrumbs(self, self.object.partner, self.page_title)


class PartnerKeyRevokeView(KeysPermittedMixin, DeleteView):
    """Wagtail's confirmation, then the key stops at once; its record stays, as the log's."""

    key_action = "change"
    permission_required = "change"
    template_name = "newsletter/admin/partners/key_revoke.html"
    page_title = "Revoke API key"

    @property
    def confirmation_message(self):
        return (
            f"Revoke {self.object} of {self.object.partner}? It stops working now, on every "
            "server; whatever uses it will be refused until it has a new key."
        )

    def get_success_url(self):
        return partner_url(self.object.partner_id)

    def post(self, request, *args, **kwargs):
        if partner_key_revoke(key=self.object, user=request.user):
            messages.success(request, f"Revoked: {self.object} no longer works.")
        else:
            messages.info(request, f"{self.object} was revoked already.")
        return redirect(self.get_success_url())


class PartnerKeyViewSet(ModelViewSet):
    """Keys are made, rotated and revoked from their partner's page; there is no list."""

    model = PartnerKey
    name = "partner_keys"
    url_prefix = "partners/keys"
    icon = "key"
    add_to_reference_index = False
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        names = ["index", "index_results", "add", "edit", "delete", "history", "usage"]
        return super().get_common_view_kwargs(
            **{f"{name}_url_name": None for name in names}, **kwargs
        )

    def get_permissions_to_register(self):
        # Those the views ask for, its view permission included (Wagtail leaves that out
        # without an inspect view); not delete: a key is revoked, never deleted.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            codename__in=["view_partnerkey", "add_partnerkey", "change_partnerkey"],
        )

    def get_urlpatterns(self):
        return [
            path(
                "new/<int:partner_id>/",
                self.construct_view(
                    PartnerKeyCreateView,
                    form_class=PartnerKeyForm,
                    add_url_name=self.get_url_name("add"),
                ),
                name="add",
            ),
            path("rotate/<int:pk>/", self.construct_view(PartnerKeyRotateView), name="rotate"),
            path(
                "revoke/<int:pk>/",
                self.construct_view(
                    PartnerKeyRevokeView, delete_url_name=self.get_url_name("revoke")
                ),
                name="revoke",
            ),
        ]


# The answers a request may get, as the access log is filtered by them.
ANSWERS = {
    "answered": ("Answered (2xx, 3xx)", Q(status__lt=400)),
    "refused": ("Key refused (401, 403)", Q(status__in=[401, 403])),
    "limited": ("Too many requests (429)", Q(status=429)),
    "bad": (
        "Other refusal (4xx)",
        Q(status__gte=400, status__lt=500) & ~Q(status__in=[401, 403, 429]),
    ),
    "error": ("Our error (5xx)", Q(status__gte=500)),
}


def _keys_of_asked_partner(request):
    return PartnerKey.objects.filter(partner_id=request.resolver_match.kwargs["partner_id"])


class PartnerRequestFilterSet(WagtailFilterSet):
    key = django_filters.ModelChoiceFilter(queryset=_keys_of_asked_partner, empty_label="Any key")
    status = django_filters.ChoiceFilter(
        label="Answer",
        choices=[(name, label) for name, (label, _) in ANSWERS.items()],
        method="filter_status",
        empty_label="Any answer",
    )
    at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = PartnerAccess
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(ANSWERS[value][1])


def _status(access: PartnerAccess) -> str:
    try:
        return f"{access.status} {HTTPStatus(access.status).phrase}"
    except ValueError:
        return str(access.status)


class PartnerRequestIndexView(KeysPermittedMixin, IndexView):
    """Every request the partner's keys made, newest first (the log's own order)."""

    any_permission_required = ["view"]
    page_title = "Access log"
    header_icon = "history"
    columns = [
        Column("at", label="When", accessor=lambda access: _when(access.at)),
        Column(
            "key",
            label="Key",
            accessor=lambda access: f"{access.key.name} ({key_label(access.key)})",
        ),
        Column("endpoint", label="Asked for"),
        Column("status", label="Answer", accessor=_status),
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.partner = get_object_or_404(Partner, pk=kwargs["partner_id"])

    def get_base_queryset(self):
        return PartnerAccess.objects.filter(partner=self.partner).select_related("key")

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.partner.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.partner.pk])

    def get_page_subtitle(self):
        return str(self.partner)

    def get_breadcrumbs_items(self):
        return partner_breadcrumbs(self, self.partner, self.page_title)


class PartnerRequestViewSet(RecordViewSet):
    """The access log, written by the API's middleware, read per partner."""

    model = PartnerAccess
    name = "partner_requests"
    url_prefix = "partners/requests"
    icon = "history"
    add_to_reference_index = False
    index_view_class = PartnerRequestIndexView
    filterset_class = PartnerRequestFilterSet
    list_per_page = 50

    def get_permissions_to_register(self):
        # Its permission policy asks for the keys' (see wagtail_hooks), never its own.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("<int:partner_id>/", self.index_view, name="index"),
            path("<int:partner_id>/results/", self.index_results_view, name="index_results"),
        ]
