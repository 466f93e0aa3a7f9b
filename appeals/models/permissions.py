"""What staff may do to the directory and to an appeal, on top of Wagtail's page
permissions: publish only through the safety check, off the site only by the takedown,
nothing at all to an appeal they may not see."""

from wagtail.models import PagePermissionTester

from homeward.models import PoliceOfficer

# What a police officer's role lets them do to their own force's cases (the force is
# their police officer link): authorise publicity, and close an appeal.
AUTHORISE_PUBLICITY = "appeals.add_policeauthorisation"
CLOSE_OWN_FORCES_APPEALS = "appeals.add_appealtakedown"


def own_force_id(user, permission: str) -> int | None:
    """The force whose cases the person's role lets them act on with ``permission``."""
    return PoliceOfficer.force_id_of(user) if user.has_perm(permission) else None


class DirectoryPermissionTester(PagePermissionTester):
    def can_publish_subpage(self):
        # A new appeal cannot have passed the publicity safety check: the create and copy
        # views must not offer to publish one.
        return False

    # Nor may the directory take its appeals off the site without their takedown
    # (appeals.off_site): no Unpublish, Delete, Move or Privacy while it holds them.
    def can_unpublish(self):
        from appeals.off_site import unpublish_refusal

        return super().can_unpublish() and not unpublish_refusal(self.page)

    def can_delete(self, ignore_bulk=False):
        from appeals.off_site import delete_refusal

        return super().can_delete(ignore_bulk) and not delete_refusal(self.page)

    def can_move(self):
        return super().can_move() and not self.page.get_children().exists()

    def can_set_view_restrictions(self):
        from appeals.off_site import restriction_refusal

        return super().can_set_view_restrictions() and not restriction_refusal(self.page)


class AppealPermissionTester(PagePermissionTester):
    """What people may do to an appeal, on top of Wagtail's page permissions."""

    def __init__(self, user, page):
        from appeals.selectors import appeal_visible_to

        super().__init__(user, page)
        # An appeal someone may not see is one they may do nothing to, whatever their page
        # permissions or workflow tasks: every admin view of it asks this tester first.
        self.may_see = appeal_visible_to(appeal=page, user=user)
        if not self.may_see:
            self.permissions = set()

    def can_edit(self):
        return self.may_see and super().can_edit()

    def can_lock(self):
        return self.may_see and super().can_lock()

    def can_unlock(self):
        return self.may_see and super().can_unlock()

    def can_submit_for_moderation(self):
        return self.may_see and super().can_submit_for_moderation()

    def can_publish(self):
        # Appeals go live only through the publicity safety check (the workflow) or the
        # scheduled publishing of an approved revision: never from a Publish button,
        # bulk publishing or a revision's "publish", and superusers are not exempt.
        return False

    def can_unschedule(self):
        return super().can_publish()

    def can_close(self):
        """Mark the appeal found or withdrawn: staff who may publish, or the owning force."""
        if self.page.is_closed or not self.user.is_active or not self.may_see:
            return False
        if own_force_id(self.user, CLOSE_OWN_FORCES_APPEALS) == self.page.police_force_id:
            return True
        return super().can_publish()

    def can_link_episodes(self):
        """Say it is the same person as another appeal: those who may edit the appeal, or
        an officer of the owning force (who knows their history best)."""
        if not self.user.is_active or not self.may_see:
            return False
        if own_force_id(self.user, AUTHORISE_PUBLICITY) == self.page.police_force_id:
            return True
        return self.can_edit()

    # Off the public site only by the takedown (Close appeal, or the end of publicity):
    # Wagtail's Unpublish, Delete and Move would skip it (appeals.off_site), so no one is
    # offered them, superusers included.
    def can_unpublish(self):
        return False

    def can_delete(self, ignore_bulk=False):
        from appeals.off_site import delete_refusal

        # Appeals that have been public are closed, never deleted: their takedown, record,
        # sightings and retention purge need the page.
        return not delete_refusal(self.page) and super().can_delete(ignore_bulk)

    def can_move(self):
        return False  # an appeal's place is the directory; its address never changes
