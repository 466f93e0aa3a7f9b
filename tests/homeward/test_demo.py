import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from appeals.models import (
    AppealPage,
    EpisodeStatistic,
    Person,
    PublicityCheck,
    PublicityDecision,
)
from homeward import roles
from homeward.models import LocalAuthorityManager

pytestmark = pytest.mark.django_db


def yesterday():
    return timezone.now() - timedelta(days=1)


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

    # 30 appeals, and two earlier episodes of one child who goes missing again and again.
    assert AppealPage.objects.count() == 32
    appeals = AppealPage.objects.publicly_visible()
    # The rest stand at each stage of the safety check, and one child in care was found.
    assert appeals.count() == 25
    found = AppealPage.objects.get(status=AppealPage.Status.FOUND, closed_at__gte=yesterday())
    assert found.in_care and found.local_authority.name == "Demo County Council"
    assert found.return_home_interview.held_at is None
    repeat = Person.objects.get()
    episodes = AppealPage.objects.filter(person_episode__person=repeat).order_by("missing_since")
    assert len({appeal.title for appeal in episodes}) == 1 and len(episodes) == 3
    assert [appeal.status for appeal in episodes] == ["found", "found", "missing"]
    assert all(appeal.return_home_interview.held_at for appeal in episodes[:2])
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
    assert len(printed) == 8
    held_roles = set()
    for username, password in printed.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        held_roles.update(user.groups.values_list("name", flat=True))
    assert held_roles == set(roles.ROLES)
    manager = LocalAuthorityManager.objects.get(user__username="council")
    assert manager.local_authority.name == "Demo County Council"


def test_a_year_of_made_up_closed_episodes_gives_the_trends_something_to_show(settings):
    settings.DEBUG = True
    load_demo()
    count = EpisodeStatistic.objects.count()
    load_demo()
    assert EpisodeStatistic.objects.count() == count  # not added twice
    months = set(EpisodeStatistic.objects.values_list("closed_month", flat=True))
    assert len(months) == 12
    assert EpisodeStatistic.objects.filter(unaccompanied=True, days_from_arrival__isnull=False)
    assert EpisodeStatistic.objects.filter(local_authority__name="Demo County Council").count() >= 5


def test_a_made_up_charity_runs_the_demo(settings, client, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # as the command's commit does
        load_demo()
    footer = client.get("/").content.decode()
    assert "Homeward (demo charity) publishes appeals" in footer
    about = client.get("/about/").content.decode()
    assert "a made-up number" in about and "hello@homeward.invalid" in about
