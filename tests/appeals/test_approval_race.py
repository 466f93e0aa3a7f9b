"""An approval sent twice (a double click, a browser retrying the request under load), or
a save arriving while an approval publishes, leaves the appeal published, and no answer
is a 500: a copy of the appeal read before the approval committed is never written over it."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry

import appeals.services
from appeals.models import AppealPage
from homeward import roles
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]
APPROVE = {
    "action-workflow-action": "true",
    "workflow-action-name": "approve",
    "workflow-action-extra-data": '{"comment": ""}',
}


@pytest.fixture
def awaiting_approval(directory):
    """An appeal whose check has passed, its edit URL, and two signed-in publishers' clients
    with the edit form's data."""
    appeal = factories.appeal_create(publish=False, title="Doubled Dorothea")
    factories.publicity_check(appeal)
    publisher = factories.user_create(role=roles.PUBLISHERS)
    edit_url = reverse("wagtailadmin_pages:edit", args=[appeal.pk])
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client.force_login(publisher)
    return appeal, edit_url, clients, factories.edit_form_data(clients[0], edit_url)


def in_thread(name, work, results, *, start=None) -> threading.Thread:
    """Run ``work`` in a thread of its own (as a second browser or process would), after
    ``start`` if given; ``results[name]`` is what it returned, or its error's name."""

    def target():
        if start is not None:
            start.wait()
        try:
            results[name] = work()
        except Exception as error:  # what the tests assert on
            results[name] = type(error).__name__
        finally:
            connection.close()

    thread = threading.Thread(target=target, name=name)
    thread.start()
    return thread


def post_in_thread(client, url, data, answers, name, *, start=None) -> threading.Thread:
    """POST from a thread of its own; ``answers[name]`` is the status code."""
    return in_thread(name, lambda: client.post(url, data).status_code, answers, start=start)


def test_two_approvals_at_once_publish_the_appeal(awaiting_approval):
    appeal, edit_url, clients, form = awaiting_approval
    start = threading.Barrier(2)
    answers = {}
    threads = [
        post_in_thread(client, edit_url, {**form, **APPROVE}, answers, number, start=start)
        for number, client in enumerate(clients)
    ]
    for thread in threads:
        thread.join()
    assert answers == {0: 302, 1: 302}
    assert AppealPage.objects.get(pk=appeal.pk).live


@pytest.fixture
def hold_the_first_approval(monkeypatch):
    """``hold(where)`` holds the thread named "first" inside the workflow's finish, in the
    approval's transaction: before the page is published, or after (its row written, not
    yet committed). Returns (reached, release)."""

    def hold(where: str = "after publishing") -> tuple[threading.Event, threading.Event]:
        reached, release = threading.Event(), threading.Event()
        finish = appeals.services.appeal_workflow_finish

        def wait_there():
            reached.set()
            release.wait(10)

        def held(workflow_state, user=None):
            first = threading.current_thread().name == "first"
            if first and where == "before publishing":
                wait_there()
            finish(workflow_state, user=user)
            if first and where == "after publishing":
                wait_there()

        # The workflow's finishing action (appeals.workflows) calls it through the package.
        monkeypatch.setattr(appeals.services, "appeal_workflow_finish", held)
        return reached, release

    return hold


@pytest.mark.parametrize("where", ["before publishing", "after publishing"])
@pytest.mark.parametrize("second", ["approval", "save"])
def test_a_request_arriving_while_the_approval_publishes(
    awaiting_approval, hold_the_first_approval, second, where
):
    appeal, edit_url, clients, form = awaiting_approval
    reached, release = hold_the_first_approval(where)
    answers = {}
    first = post_in_thread(clients[0], edit_url, {**form, **APPROVE}, answers, "first")
    assert reached.wait(20), "the first approval never reached the workflow's finish"
    data = {**form, **APPROVE} if second == "approval" else form
    later = post_in_thread(clients[1], edit_url, data, answers, "second")
    later.join(2)  # it waits for the first, or is done
    release.set()
    first.join()
    later.join()
    assert answers == {"first": 302, "second": 302}
    assert AppealPage.objects.get(pk=appeal.pk).live


def test_a_stale_copy_saved_from_code_while_the_approval_publishes_is_refused(
    awaiting_approval, hold_the_first_approval
):
    """Not only the editor: whatever saves a copy read before the approval published cannot
    take the appeal off the site (the model's guard reads the row it is about to write)."""
    appeal = awaiting_approval[0]
    stale = AppealPage.objects.get(pk=appeal.pk)
    reached, release = hold_the_first_approval()
    outcome = {}
    first = in_thread("first", lambda: factories.publicity_approve(appeal) and "done", outcome)
    assert reached.wait(20), "the approval never reached the workflow's finish"
    later = in_thread("second", stale.save, outcome)
    later.join(2)
    release.set()
    first.join()
    later.join()
    assert outcome == {"first": "done", "second": "TakedownRequired"}
    assert AppealPage.objects.get(pk=appeal.pk).live


def test_an_approval_given_already_is_refused_before_anything_is_written(awaiting_approval):
    """The dashboard's approval (Wagtail's workflow action view) holds a task state read
    before another approval finished: the task refuses it, and writes nothing."""
    appeal = awaiting_approval[0]
    task_state = AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state
    factories.publicity_approve(appeal)
    entries = PageLogEntry.objects.count()

    with pytest.raises(PermissionDenied, match="approved already"):
        task_state.task.specific.on_action(
            task_state, factories.user_create(role=roles.PUBLISHERS), "approve"
        )
    assert PageLogEntry.objects.count() == entries
    assert AppealPage.objects.get(pk=appeal.pk).live
