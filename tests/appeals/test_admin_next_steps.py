"""Role by role, the admin says what to do next and every link it gives opens for that
person; the takedowns report is Wagtail's listing, force by force; a refused object
answers 404; the editor leads a safeguarding lead to the check; approving asks first."""

import re

import pytest
from django.urls import reverse

from appeals.models import AppealTakedown, SocialPost
from appeals.services import appeal_close
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

FORCE = "north-yorkshire-police"
OTHER_FORCE = "kent-police"


def officer(force=FORCE):
    return factories.user_create(role=roles.POLICE_OFFICERS, force_slug=force)


@pytest.fixture
def work(directory, django_capture_on_commit_callbacks):
    """Something waiting for each role: a draft to authorise, a check, an approval, a
    clearance ending, a failed post and an unfinished takedown."""
    to_authorise = factories.appeal_create(publish=False, title="Unauthorised Ursula")
    to_check = factories.appeal_create(publish=False, title="Unchecked Una")
    factories.workflow_start(to_check)
    to_approve = factories.appeal_create(publish=False, title="Unapproved Ulrich")
    factories.publicity_check(to_approve)
    ending = factories.appeal_create(title="Ending Edwina", check={"review_days": 1})
    SocialPost.objects.create(appeal=ending, channel="x", status=SocialPost.Status.FAILED)
    closed = factories.appeal_create(title="Closed Cuthbert")
    with django_capture_on_commit_callbacks(execute=True):
        takedown = appeal_close(
            appeal=closed, user=factories.staff(roles.PUBLISHERS), outcome="found", reason="."
        )
    AppealTakedown.objects.filter(pk=takedown.pk).update(completed_at=None)
    return {
        "authorise": to_authorise,
        "check": to_check,
        "approve": to_approve,
        "ending": ending,
        "closed": closed,
    }


def next_steps(client) -> str:
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    match = re.search(r'id="appeals-next-steps-section".*?</section>', home, re.S)
    return match.group(0) if match else ""


def links(html: str) -> set[str]:
    return set(re.findall(r'href="(/admin/[^"#]*)"', html))


# (who, what their dashboard must name)
DASHBOARDS = {
    "police": (officer, ["Appeals waiting for your authorisation", "Unauthorised Ursula"]),
    "safeguarding lead": (
        lambda: factories.user_create(role=roles.SAFEGUARDING_LEADS),
        ["Publicity safety checks waiting", "Unchecked Una", "Ending Edwina"],
    ),
    "publisher": (
        lambda: factories.user_create(role=roles.PUBLISHERS),
        [
            "Approvals waiting",
            "Unapproved Ulrich",
            "Failed social posts",
            # The network as staff name it, not its stored code ("x").
            "Ending Edwina: X (Twitter)",
            "Closed Cuthbert",
        ],
    ),
}


@pytest.mark.parametrize("who", DASHBOARDS)
def test_every_dashboard_link_opens_for_its_role(client, work, who):
    make, expected = DASHBOARDS[who]
    client.force_login(make())
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for text in expected:
        assert text in home, text
    panel_links = links(next_steps(client))
    clearances = re.search(r'id="publicity-clearances-section".*?</section>', home, re.S)
    if clearances:
        panel_links |= links(clearances.group(0))
    assert panel_links
    for url in panel_links:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Sorry, you do not have permission" not in response.content.decode(), url


def test_a_safeguarding_lead_reaches_a_clearance_ending_without_a_refusal(client, work):
    client.force_login(factories.user_create(role=roles.SAFEGUARDING_LEADS))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    edit = reverse("wagtailadmin_pages:edit", args=[work["ending"].pk])
    assert edit not in home  # they may not edit a live appeal
    check = work["ending"].publicity_checks.get()
    assert check.get_absolute_url() in home


def test_the_police_list_says_where_each_appeal_stands_and_keeps_close_apart(client, work):
    client.force_login(officer())
    page = client.get(reverse("appeals_police_authorisation_index")).content.decode()
    assert "Where it stands" in page
    assert "Draft: not yet sent for the safety check" in page
    assert "Waiting for the publicity safety check" in page
    assert "Live on the public site" in page
    assert "Needs your authorisation" in page
    # Closing is a plain link in a column of its own, not a button beside authorising.
    close = reverse("appeals_close", args=[work["authorise"].pk])
    assert f'<a href="{close}">Close the appeal' in page


def test_an_appeal_authorised_in_its_safety_check_waits_for_no_one(client, work):
    """The check records the force's authorisation: the officer is not asked again."""
    client.force_login(officer())
    assert "Ending Edwina" not in next_steps(client)
    page = client.get(reverse("appeals_police_authorisation_index")).content.decode()
    row = re.search(r"<tr>(?:(?!<tr>).)*?Ending Edwina.*?</tr>", page, re.S).group(0)
    assert "Authorised: recorded in its publicity safety check" in row
    assert "Needs your authorisation" not in row


# The takedowns report


def test_takedowns_are_paginated_filtered_and_exported_by_force(client, work, settings):
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    index = reverse("appeals_takedowns:index")
    assert "Closed Cuthbert" in client.get(f"{index}?pending=true").content.decode()
    assert "Closed Cuthbert" not in client.get(f"{index}?pending=false").content.decode()
    export = client.get(f"{index}?export=csv")
    assert export.status_code == 200 and "Closed Cuthbert" in export.getvalue().decode()

    client.force_login(officer(OTHER_FORCE))
    assert "Closed Cuthbert" not in client.get(index).content.decode()
    assert "Closed Cuthbert" not in client.get(f"{index}?export=csv").getvalue().decode()


def test_a_takedown_of_another_force_answers_404(client, work):
    takedown = AppealTakedown.objects.get()
    client.force_login(officer(OTHER_FORCE))
    assert client.post(reverse("appeals_takedowns:retry", args=[takedown.pk])).status_code == 404
    client.force_login(officer())
    assert client.post(reverse("appeals_takedowns:retry", args=[takedown.pk])).status_code == 302


def test_the_takedowns_report_pages_through_more_than_a_page(client, directory):
    force = officer().police_officer.force_id
    for number in range(55):
        AppealTakedown.objects.create(
            police_force_id=force,
            outcome="found",
            missing_since="2025-01-01",
            closed_at="2025-02-01T10:00Z",
            completed_at="2025-02-01T10:01Z",
            reason=f"Reason {number}",
        )
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    index = reverse("appeals_takedowns:index")
    assert client.get(index).content.decode().count("Reason ") == 50
    assert client.get(f"{index}?p=2").content.decode().count("Reason ") == 5


# The editor


def test_the_safety_check_is_a_safeguarding_leads_main_button(client, work):
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[work["check"].pk]))
    html = edit.content.decode()
    checklist = reverse("appeals_publicity_check", args=[work["check"].pk])
    action_menu = html.split('class="w-dropdown-button', 1)[1]
    main_button = action_menu.split("More actions", 1)[0]
    assert checklist in main_button  # the main button, not under "More actions"


def test_approving_asks_for_confirmation(client, work):
    client.force_login(factories.staff(roles.PUBLISHERS))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[work["approve"].pk])).content
    html = html.decode()
    action_menu = html.split('class="w-dropdown-button', 1)[1]
    main_button = action_menu.split("More actions", 1)[0]
    assert "Approve and publish…" in main_button  # the main button, not under "More actions"
    approve = re.findall(r'<button[^>]*data-workflow-action-name="approve"[^>]*>', html)
    # Each approval opens Wagtail's modal first: none publishes in one click.
    assert approve and all("data-workflow-action-modal-url" in button for button in approve)


def test_approving_from_the_dashboard_asks_for_confirmation_too(client, work):
    """Wagtail's "Awaiting your review" panel offers the task's actions: the rule is the
    task's, so no route approves, and publishes, in one click."""
    client.force_login(factories.staff(roles.PUBLISHERS))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    approve = re.findall(r'<button[^>]*data-workflow-action-url="[^"]*/approve/[^>]*>', html)
    assert approve and all("data-launch-modal" in button for button in approve)
