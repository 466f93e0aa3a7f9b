from django.contrib.syndication.views import Feed

from appeals.models import AppealIndexPage, AppealPage
from homeward.links import absolute_url


class LiveAppealsFeed(Feed):
    """An RSS feed of live appeals, for partners who republish them."""

    description = "People missing now. If you see someone, call 999; or call or text 116 000."

    def __init__(self, directory: AppealIndexPage):
        super().__init__()
        self.directory = directory

    def title(self) -> str:
        return self.directory.title

    def link(self) -> str:
        return absolute_url(self.directory.url)

    def items(self):
        return (
            AppealPage.objects.publicly_visible()
            .descendant_of(self.directory)
            .order_by("-missing_since", "-pk")[:50]
        )

    def item_title(self, item: AppealPage) -> str:
        return item.title

    def item_description(self, item: AppealPage) -> str:
        return item.summary

    def item_link(self, item: AppealPage) -> str:
        return absolute_url(item.url)

    def item_pubdate(self, item: AppealPage):
        return item.first_published_at
