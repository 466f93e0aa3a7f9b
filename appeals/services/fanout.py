"""Fan-out: what an appeal going public (or a restricted briefing) triggers, in one place."""

from appeals.models import AppealPage


def social_posts_withdraw(*, appeal: AppealPage) -> None:
    """Takedown: delete every post of this appeal on every channel (after commit, in jobs,
    retried with backoff until done; failures recorded and shown to staff); posts not yet
    made are cancelled and never made. Idempotent."""
    raise NotImplementedError
