"""Trends in the admin, and a local authority's own children's episodes.

The trends page draws each breakdown as a chart with its numbers in a table beneath, and
exports the same numbers as CSV. A designated manager sees their own local authority's
figures and their own children's episodes; nobody else has the episodes list.
"""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem

from appeals import trends
from appeals.selectors import local_authority_episodes, managed_local_authority_id
from homeward.admin_views import AdminPageMixin
from homeward.capabilities import SEE_EVERY_FORCE
from homeward.charts import bar_chart_svg
from homeward.models import LocalAuthority, LocalAuthorityManager, PoliceForce

PERIODS = [(12, "The last 12 months"), (24, "The last 24 months"), (36, "The last 36 months")]


class TrendsFilterForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Period", choices=PERIODS, coerce=int, required=False, empty_value=12
    )
    police_force = forms.ModelChoiceField(
        label="Police force", queryset=PoliceForce.objects.all(), required=False, empty_label="All"
    )
    local_authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.all(),
        required=False,
        empty_label="All",
    )
    flag = forms.ChoiceField(label="Flag", choices=trends.FLAG_CHOICES, required=False)
    children = forms.BooleanField(label="Children only", required=False)

    def __init__(self, *args, sees_every_local_authority: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_every_local_authority:
            del self.fields["local_authority"]


class TrendsMixin:
    """Who may see trends, and which rows, filtered as the query string asks."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not trends.may_see_trends(user):
            raise PermissionDenied
        self.sees_all = user.has_perm(SEE_EVERY_FORCE)
        self.local_authority_id = LocalAuthorityManager.local_authority_id_of(user)
        self.form = TrendsFilterForm(request.GET or None, sees_every_local_authority=self.sees_all)
        # A filter that does not validate (a made-up id) shows everything one may see.
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        statistics = trends.trends_filter(
            trends.episode_statistics_visible_to(user),
            police_force=filters.get("police_force"),
            local_authority=filters.get("local_authority"),
            flag=filters.get("flag", ""),
            children=filters.get("children", False),
        )
        self.months = trends.months_back(
            until=timezone.localdate(), count=filters.get("months") or 12
        )
        self.breakdowns = trends.trends_breakdowns(statistics, months=self.months)
        return super().dispatch(request, *args, **kwargs)


class TrendsView(TrendsMixin, AdminPageMixin, TemplateView):
    template_name = "appeals/admin/trends.html"
    page_title = "Trends"
    header_icon = "table"

    def get_context_data(self, **kwargs):
        local_authority = (
            None if self.sees_all else LocalAuthority.objects.get(pk=self.local_authority_id)
        )
        return super().get_context_data(
            form=self.form,
            local_authority=local_authority,
            period=(self.months[0], self.months[-1]),
            charts=[
                {"breakdown": breakdown, "svg": bar_chart_svg(breakdown.bars)}
                for breakdown in self.breakdowns
            ],
            csv_query=self.request.GET.urlencode(),
            **kwargs,
        )


class TrendsCsvView(TrendsMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="homeward-trends.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["chart", "category", "episodes", f"publicised cases only, {self._period()}"]
        )
        for breakdown in self.breakdowns:
            for label, value in breakdown.counts:
                writer.writerow([breakdown.title, label, trends.count_shown(value), ""])
        return response

    def _period(self) -> str:
        return f"{self.months[0]:%B %Y} to {self.months[-1]:%B %Y}"


class LocalAuthorityEpisodesView(AdminPageMixin, TemplateView):
    """A designated manager's children: every episode, with its return home interview."""

    template_name = "appeals/admin/local_authority_episodes.html"
    page_title = "Our children's episodes"
    header_icon = "user"

    def get_context_data(self, **kwargs):
        user = self.request.user
        local_authority_id = managed_local_authority_id(user)
        if local_authority_id is None:
            raise PermissionDenied
        return super().get_context_data(
            local_authority=LocalAuthority.objects.get(pk=local_authority_id),
            episodes=local_authority_episodes(user=user),
            now=timezone.now(),
            **kwargs,
        )


class TrendsMenuItem(MenuItem):
    def is_shown(self, request):
        return trends.may_see_trends(request.user)


class LocalAuthorityEpisodesMenuItem(MenuItem):
    def is_shown(self, request):
        return managed_local_authority_id(request.user) is not None
