"""An approval sent twice at once (a double click, a browser retrying the request under
load) publishes the appeal, and neither answer is a 500."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from appeals.models import AppealPage
from homeward import roles
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_two_approvals_at_once_publish_once(directory):
    appeal = factories.appeal_create(publish=False, title="Doubled Dorothea")
    factories.publicity_check(appeal)
    publisher = factories.user_create(role=roles.PUBLISHERS)
    edit_url = reverse("wagtailadmin_pages:edit", args=[appeal.pk])
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client.force_login(publisher)
    data = factories.edit_form_data(clients[0], edit_url)
    data.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": '{"comment": ""}',
        }
    )
    start = threading.Barrier(2)
    responses = [None, None]

    def approve(number):
        start.wait()
        try:
            responses[number] = clients[number].post(edit_url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [response.status_code for response in responses] == [302, 302]
    assert AppealPage.objects.get(pk=appeal.pk).live
