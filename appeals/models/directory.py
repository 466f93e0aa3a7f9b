"""The public directory of live appeals: its search, its feed, and the addresses of
purged appeals (410 Gone)."""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from appeals.models.pages import AppealPage
from appeals.models.permissions import DirectoryPermissionTester
from appeals.models.takedown import AppealTakedown
from homeward.models import OneChildTypeRoutingMixin, PublicPageMixin, StandardWordingMixin


class AppealIndexPage(
    StandardWordingMixin, PublicPageMixin, RoutablePageMixin, OneChildTypeRoutingMixin, Page
):
    """The public directory of live appeals."""

    def permissions_for_user(self, user):
        return DirectoryPermissionTester(user, self)

    intro = models.TextField(
        max_length=500,
        blank=True,
        help_text="In English: other languages show the standard wording, translated.",
    )

    TRANSLATED_HEADING = gettext_lazy("Missing people")
    TRANSLATED_INTRO = gettext_lazy(
        "Children and adults missing now. Search by name or place, or narrow by area."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["homeward.HomePage"]
    subpage_types = ["appeals.AppealPage"]
    max_count = 1

    APPEALS_PER_PAGE = 12

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            # A purged appeal's old address still says the appeal has ended (410 Gone).
            if len(path_components) != 1:
                raise
            digest = AppealTakedown.slug_digest(path_components[0])
            purged = AppealPage.objects.child_of(self).filter(takedown__former_slug_digest=digest)
            if not (appeal := purged.first()):
                raise
            return RouteResult(appeal)

    @path("")
    def directory(self, request):
        # Wagtail routes requests to the page model; the form and the selector import
        # the models, so they are imported once the models are loaded.
        from appeals.forms import DirectoryFilterForm
        from appeals.selectors import appeal_search

        form = DirectoryFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        results = appeal_search(
            query=filters.get("q", ""),
            force=filters.get("force"),
            person=filters.get("person", ""),
            age=filters.get("age", ""),
            gender=filters.get("gender", ""),
            since=filters.get("since", ""),
        )
        appeals_page = Paginator(results, self.APPEALS_PER_PAGE).get_page(request.GET.get("page"))
        # One query for the page's cards, however the template slices them.
        appeals_page.object_list = list(appeals_page.object_list)
        folded = [name for name in form.FOLDED if filters.get(name)]
        response = self.render(
            request,
            context_overrides={
                "form": form,
                "appeals_page": appeals_page,
                "query": filters.get("q", ""),
                "filter_summary": form.summary(),
                "is_filtered": any(filters.values()),
                # Filters other than the search stay unfolded once used, or when wrong.
                "filters_open": bool(folded or form.errors),
            },
        )
        if filters.get("q"):
            # Searches are as many as people type: each one kept in the shared cache would
            # push out the pages everyone asks for.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @path("feed/")
    def feed(self, request):
        # As above: the feed imports the models.
        from appeals.feeds import LiveAppealsFeed

        return LiveAppealsFeed(self)(request)

    def get_cached_paths(self):
        # A frontend cache purging the directory purges its feed too.
        return ["/", "feed/"]
