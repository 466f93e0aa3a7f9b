"""The takedown's own robustness: a run claims its takedown with a conditional UPDATE and
records each step as it completes, so a run that dies half-way forgets nothing it did (the
photos' addresses the CDN must forget above all), and two runs never run the same steps."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from appeals.models import AppealTakedown
from appeals.services import appeal_close, appeal_takedown_run, takedowns_sweep
from appeals.services import takedown as takedown_service
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

Step = AppealTakedown.Step


class ProcessKilled(BaseException):
    """What the run sees of its worker being killed: nothing after it runs, no except."""


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(parent=directory, title="Ottoline Brackenbury", photos=2)


@pytest.fixture
def steps(monkeypatch):
    """How each step is cleared (appeals' own and those other apps register), for a test
    to replace some; ``monkeypatch.undo()`` puts them all back."""
    clearing = takedown_service.takedown_steps()
    monkeypatch.setattr(takedown_service, "takedown_steps", lambda: clearing)
    return clearing


def closed_without_running(appeal, capture) -> AppealTakedown:
    """Closed, with the takedown's run left for the test to make."""
    with capture(execute=False):
        return appeal_close(
            appeal=appeal,
            user=factories.user_create(role=roles.PUBLISHERS),
            outcome="found",
            reason="Found safe.",
        )


def test_a_run_killed_after_the_photos_step_keeps_their_addresses_for_the_cdn(
    appeal, frontend_cache, monkeypatch, steps, django_capture_on_commit_callbacks
):
    originals = {photo.image.file.url for photo in appeal.photos.all()}
    takedown = closed_without_running(appeal, django_capture_on_commit_callbacks)

    def killed(takedown):
        raise ProcessKilled

    monkeypatch.setitem(steps, Step.EMAILS, killed)
    with pytest.raises(ProcessKilled):
        appeal_takedown_run(takedown_id=takedown.pk)

    takedown.refresh_from_db()
    assert takedown.step_done(Step.MEDIA)
    assert originals <= set(takedown.steps[Step.MEDIA]["urls"])
    assert not takedown.step_done(Step.EMAILS) and takedown.completed_at is None
    assert takedown.claimed_at is not None  # the dead run's claim, left to lapse

    monkeypatch.undo()
    # While the lease lasts, nothing runs it again: the run may be alive, only slow.
    assert appeal_takedown_run(takedown_id=takedown.pk) is False
    assert takedowns_sweep(now=timezone.now() + timedelta(minutes=2)) == 0
    after_the_lease = timezone.now() + takedown_service.TAKEDOWN_LEASE + timedelta(seconds=1)
    with time_machine.travel(after_the_lease), django_capture_on_commit_callbacks(execute=True):
        assert takedowns_sweep() == 1  # the sweep's job runs here (no queue in tests)
    takedown.refresh_from_db()
    assert takedown.completed_at is not None and takedown.claimed_at is None
    assert all(takedown.step_done(step) for step in Step.values)
    # The caches step purged the addresses the dead run's photos step recorded.
    assert originals <= set(frontend_cache)


def test_a_second_run_while_one_holds_the_takedown_runs_nothing(
    appeal, monkeypatch, steps, django_capture_on_commit_callbacks
):
    takedown = closed_without_running(appeal, django_capture_on_commit_callbacks)
    runs = dict.fromkeys(Step.values, 0)
    second_run = []  # what the second run answered

    def counted(step, work):
        def run(takedown):
            runs[step] += 1
            if step == Step.MEDIA and runs[step] == 1:
                # Another worker picks the same takedown up while this one is in a step.
                second_run.append(appeal_takedown_run(takedown_id=takedown.pk))
            return work(takedown)

        return run

    for step, work in list(steps.items()):
        monkeypatch.setitem(steps, step, counted(step, work))

    assert appeal_takedown_run(takedown_id=takedown.pk) is True
    assert second_run == [False]
    assert runs == dict.fromkeys(Step.values, 1)
    takedown.refresh_from_db()
    assert takedown.claimed_at is None and takedown.attempts == 1


def test_a_finished_run_lets_go_and_a_failed_step_is_retried_after_the_backoff(
    appeal, monkeypatch, steps, django_capture_on_commit_callbacks
):
    takedown = closed_without_running(appeal, django_capture_on_commit_callbacks)

    def search_down(takedown):
        raise ConnectionError("search backend unreachable")

    monkeypatch.setitem(steps, Step.SEARCH, search_down)
    assert appeal_takedown_run(takedown_id=takedown.pk) is False
    takedown.refresh_from_db()
    assert takedown.claimed_at is None  # released at once: the sweep need not wait a lease
    assert "Search index: search backend unreachable" in takedown.last_error
    assert set(takedown.steps) == {
        Step.MEDIA,
        Step.EMAILS,
        Step.SOCIAL,
        Step.CACHES,
        Step.PARTNERS,
    }

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert takedowns_sweep(now=timezone.now() + timedelta(minutes=1)) == 1
    takedown.refresh_from_db()
    assert takedown.completed_at is not None and takedown.attempts == 2


def test_a_run_whose_lease_ran_out_leaves_the_takedown_to_the_run_that_took_over(
    appeal, frontend_cache, monkeypatch, steps, django_capture_on_commit_callbacks
):
    takedown = closed_without_running(appeal, django_capture_on_commit_callbacks)
    media = steps[Step.MEDIA]
    later = timezone.now() + takedown_service.TAKEDOWN_LEASE + timedelta(seconds=1)

    def slow_media(takedown):
        # While this run's photos step is slow, its lease runs out and a second run
        # claims the takedown (what the sweep does after the lease).
        AppealTakedown.objects.filter(pk=takedown.pk).update(claimed_at=later)
        return media(takedown)

    monkeypatch.setitem(steps, Step.MEDIA, slow_media)
    ran = []
    for step in (Step.EMAILS, Step.SOCIAL, Step.SEARCH, Step.CACHES):
        monkeypatch.setitem(
            steps,
            step,
            lambda takedown, step=step: ran.append(step) or {},
        )
    assert appeal_takedown_run(takedown_id=takedown.pk) is False

    takedown.refresh_from_db()
    assert takedown.step_done(Step.MEDIA)  # what it did is kept
    assert takedown.claimed_at == later  # the other run's claim, neither renewed nor released
    assert ran == []  # and it ran nothing more
