"""Where other apps join an appeal's life, without appeals importing them.

Appeals sit below the apps that act on them (sightings, newsletter): those apps import
appeals, never the other way round. Where an appeal's life must set off their work, it
calls the Wagtail hooks (``wagtail.hooks``) named here, which they register:

``after_appeal_goes_live``
    ``fn(*, appeal)``, in the go-live fan-out's transaction, once per go-live; enqueue
    work with ``homeward.jobs.enqueue_after_commit``.
``after_appeal_cleared_restricted``
    ``fn(*, appeal)``: the workflow approved a restricted clearance (nothing goes public).
``register_takedown_step``
    returns ``(step, fn)``: ``step`` is one of ``AppealTakedown.Step`` (the takedown
    report lists every step by name), ``fn(takedown) -> dict`` clears it, is safe to run
    again, and returns what it did. A step nothing clears is never recorded as done, and
    ``manage.py check`` says so.
``before_appeal_purge``
    ``fn(*, appeal_id)``, in the retention purge's transaction: forget the person.
``takedown_report_partners``
    ``fn(*, takedowns, user) -> dict[takedown_id, list[dict]]``: for the takedowns report,
    a row per partner that may hold each appeal: ``partner`` (its name), ``state``
    ("told", "waiting", "failed" or "not told"), ``said`` (what became of what it was
    sent, in words) and ``last_fetched`` (a datetime, or None). Only what ``user`` may
    see: nothing for someone who may not see partners. Given a page of takedowns at once,
    its queries must not grow with their number.
"""

from collections.abc import Callable

from wagtail import hooks

AFTER_GOES_LIVE = "after_appeal_goes_live"
AFTER_CLEARED_RESTRICTED = "after_appeal_cleared_restricted"
TAKEDOWN_STEP = "register_takedown_step"
BEFORE_PURGE = "before_appeal_purge"
TAKEDOWN_REPORT_PARTNERS = "takedown_report_partners"


def lifecycle_hooks_run(name: str, **kwargs) -> None:
    for hook in hooks.get_hooks(name):
        hook(**kwargs)


def takedown_steps_registered() -> dict[str, Callable]:
    return dict(hook() for hook in hooks.get_hooks(TAKEDOWN_STEP))
