"""Every way off the public site is a takedown, or is refused.

Closing an appeal (found or withdrawn) and the end of its publicity (clearance or
scheduled expiry) take it down everywhere: photos, renditions and the share image, unsent
emails, social posts, the search index, caches, then retention (services.takedown).
Wagtail's own ways to take a page off the site do none of that, so for an appeal, or a
page above appeals, they are refused here, whatever route calls them: the admin's
Unpublish, Delete, Move (single or bulk) and Privacy, and the same from code
(``unpublish()``, ``live = False`` and ``save()``, ``delete()``, querysets, ``move()``,
the actions, a view restriction), and a live appeal's status set to found or withdrawn
by anything but its takedown (a published revision saying so, or code).

Refused rather than turned into a closing, because closing is final (an appeal never goes
live again and is purged after the retention period) and is recorded with an outcome and
a reason, which an Unpublish click neither says nor asks for. Those who may unpublish may
close, from the same menu.

The rules are read by the model signals (signal_handlers), which cannot be skipped, by
the permission testers, which hide the buttons, and by the admin hooks, which explain.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from appeals.models import AppealPage, AppealTakedown

CLOSE_INSTEAD = (
    "To take an appeal off the public site, close it (Close appeal, in its actions "
    "menu): that takes it down everywhere, photos, posts, emails, search and caches."
)


class TakedownRequired(PermissionDenied):
    """An appeal was about to leave the public site without its takedown."""


def is_appeal(page: Page) -> bool:
    return issubclass(page.specific_class or Page, AppealPage)


def unpublish_refusal(page: Page) -> str:
    """Why taking this live page off the site is refused ("" if it is not): an appeal
    leaves only by its takedown, and a page above live appeals not at all."""
    if is_appeal(page):
        if AppealTakedown.objects.filter(appeal_id=page.pk).exists():
            return ""  # its takedown is unpublishing it
        return f"“{page.title}” cannot be unpublished. {CLOSE_INSTEAD}"
    if AppealPage.objects.descendant_of(page).live().exists():
        return (
            f"“{page.title}” holds live appeals and cannot be unpublished: they would "
            f"leave the site without their takedown. {CLOSE_INSTEAD}"
        )
    return ""


def status_refusal(appeal: AppealPage) -> str:
    """Why closing this live appeal by its status is refused ("" if it is not): a live
    appeal marked found or withdrawn answers 410 Gone, but only its takedown clears the
    rest (a revision saying so, or the field set from code, would skip it)."""
    if appeal.status == AppealPage.Status.MISSING:
        return ""
    if not AppealPage.objects.filter(
        pk=appeal.pk, live=True, status=AppealPage.Status.MISSING
    ).exists():
        return ""  # not public, or closed already
    if AppealTakedown.objects.filter(appeal_id=appeal.pk).exists():
        return ""
    return f"“{appeal.title}” cannot be closed by changing its status. {CLOSE_INSTEAD}"


def delete_refusal(page: Page) -> str:
    """Why deleting this page is refused ("" if it is not): an appeal that has been public
    is closed, never deleted (its record, posts and retention purge need it); the same for
    a page above one."""
    if is_appeal(page):
        if page.live or page.first_published_at:
            return (
                f"“{page.title}” has been public, so it cannot be deleted: appeals are "
                f"closed, and the retention purge removes the person's data. {CLOSE_INSTEAD}"
            )
        return ""
    below = AppealPage.objects.descendant_of(page)
    if below.exclude(first_published_at=None, live=False).exists():
        return (
            f"“{page.title}” holds appeals that have been public, so it cannot be deleted: "
            f"appeals are closed, and the retention purge removes the person's data."
        )
    return ""


def restriction_refusal(page: Page) -> str:
    """Why making this page private is refused ("" if it is not): a view restriction takes
    a page and everything below it off the public site, without the takedown."""
    if is_appeal(page):
        return f"“{page.title}” cannot be made private. {CLOSE_INSTEAD}"
    if AppealPage.objects.descendant_of(page).live().exists():
        return (
            f"“{page.title}” holds live appeals and cannot be made private: they would "
            f"leave the site without their takedown. {CLOSE_INSTEAD}"
        )
    return ""


def move_refusal(page: Page, *, url_path_before: str, url_path_after: str) -> str:
    """Why this move is refused ("" if it is not): an appeal's address never changes (out
    of the directory, it would stay public at an address no takedown knows)."""
    if url_path_before == url_path_after:
        return ""  # reordered among its siblings
    if is_appeal(page):
        return f"“{page.title}” is an appeal: it stays in the directory."
    if AppealPage.objects.descendant_of(page).exists():
        return f"“{page.title}” holds appeals, whose addresses must not change."
    return ""
