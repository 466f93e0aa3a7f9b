"""An approval sent twice (a double click, a browser retrying the request under load), or
a save arriving while an approval publishes, leaves the appeal published, and no answer
is a 500."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

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


def post_in_thread(client, url, data, answers, name, *, start=None) -> threading.Thread:
    """POST from a thread of its own, as a second browser would, after ``start`` if given."""

    def post():
        if start is not None:
            start.wait()
        try:
            answers[name] = client.post(url, data).status_code
        finally:
            connection.close()

    thread = threading.Thread(target=post, name=name)
    thread.start()
    return thread


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


@pytest.mark.parametrize("second", ["approval", "save"])
def test_a_request_arriving_while_the_approval_publishes(awaiting_approval, monkeypatch, second):
    appeal, edit_url, clients, form = awaiting_approval
    inside, release = threading.Event(), threading.Event()
    finish = appeals.services.appeal_workflow_finish

    def held_finish(workflow_state, user=None):
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(10)
        return finish(workflow_state, user=user)

    # The workflow's finishing action (appeals.workflows) calls it through the package.
    monkeypatch.setattr(appeals.services, "appeal_workflow_finish", held_finish)
    answers = {}
    first = post_in_thread(clients[0], edit_url, {**form, **APPROVE}, answers, "first")
    assert inside.wait(20), "the first approval never reached the workflow's finish"
    data = {**form, **APPROVE} if second == "approval" else form
    later = post_in_thread(clients[1], edit_url, data, answers, "second")
    later.join(2)  # it waits for the first, or is done
    release.set()
    first.join()
    later.join()
    assert answers == {"first": 302, "second": 302}
    assert AppealPage.objects.get(pk=appeal.pk).live
