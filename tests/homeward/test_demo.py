import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from appeals.models import AppealPage, PublicityCheck, PublicityDecision
from homeward import roles

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        load_demo()
    assert not AppealPage.objects.exists()


def test_loads_fictional_appeals_and_a_user_for_every_role_and_is_idempotent(settings):
    settings.DEBUG = True
    load_demo()
    output = load_demo()

    assert AppealPage.objects.count() == 30
    appeals = AppealPage.objects.publicly_visible()
    assert appeals.count() == 26  # the rest stand at each stage of the safety check
    tasks = [appeal.current_workflow_task for appeal in AppealPage.objects.filter(live=False)]
    assert sorted(str(task) for task in tasks if task) == [
        "Publicity safety check",
        "Publicity safety check",
        "Publisher approval",
    ]
    assert PublicityCheck.objects.filter(decision=PublicityDecision.RESTRICTED).count() == 1
    assert appeals.filter(is_child=True).exists() and appeals.filter(is_child=False).exists()
    assert appeals.values("police_force").distinct().count() >= 8
    assert all(appeal.photos.count() == 1 for appeal in appeals)
    assert all(appeal.photos.get().image.focal_point_width for appeal in appeals)

    role_names = "|".join(re.escape(name) for name in roles.ROLES)
    line = rf"^\s+(\S+)\s+(\S+)\s+(?:{role_names})$"
    printed = dict(re.findall(line, output, re.MULTILINE))
    assert len(printed) == 7
    held_roles = set()
    for username, password in printed.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        held_roles.update(user.groups.values_list("name", flat=True))
    assert held_roles == set(roles.ROLES)


def test_a_made_up_charity_runs_the_demo(settings, client, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # as the command's commit does
        load_demo()
    footer = client.get("/").content.decode()
    assert "Homeward (demo charity) publishes appeals" in footer
    about = client.get("/about/").content.decode()
    assert "a made-up number" in about and "hello@homeward.invalid" in about
