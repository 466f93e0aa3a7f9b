"""The privacy notice, cookie statement, accessibility statement and about page, with
default words that describe what the site does. Staff edit them in the CMS."""

import uuid

from django.db import migrations
from django.utils import timezone


def text(html: str) -> dict:
    return {"type": "text", "value": html, "id": str(uuid.uuid4())}


def heading(words: str) -> dict:
    return {"type": "heading", "value": words, "id": str(uuid.uuid4())}


def static(block_type: str) -> dict:
    return {"type": block_type, "value": None, "id": str(uuid.uuid4())}


PAGES = [
    {
        "purpose": "about",
        "slug": "about",
        "title": "About Homeward",
        "summary": "Who runs this site, how appeals are chosen and checked, and how to contact us.",
        "body": [
            text(
                "<p>Homeward publishes appeals for missing children and adults when the police "
                "ask for publicity. Before any appeal goes public, a safeguarding lead checks "
                "that publicity cannot put the person in more danger. When someone is found, "
                "or publicity is no longer right for them, their appeal comes down from this "
                "site, its feeds and our social media posts.</p>"
            ),
            heading("If someone is in danger"),
            text(
                "<p>If you are with a missing person now, or someone is in danger, call "
                '<a href="tel:999">999</a>. To talk to someone about a missing person, or if '
                'you are missing yourself, call or text <a href="tel:116000">116 000</a>: '
                "free, confidential, 24 hours a day.</p>"
            ),
            heading("Contact us"),
            text(
                "<p>We cannot take reports of sightings by email: use the form on the "
                "person's appeal, or call the police on 101, or 999 in an emergency.</p>"
            ),
            static("charity_contact"),
        ],
    },
    {
        "purpose": "privacy",
        "slug": "privacy",
        "title": "Privacy notice",
        "summary": "What we collect when you report a sighting or sign up for appeals by "
        "email, why, who sees it, how long we keep it, and your rights.",
        "body": [
            heading("Who we are"),
            text(
                "<p>This site is run by the charity below. We decide how the information you "
                "give us is used, and we are responsible for keeping it safe.</p>"
            ),
            static("charity_contact"),
            heading("When you report a sighting"),
            text(
                "<p>We collect what you tell us: when and where you saw the person, what you "
                "saw, and a photo if you send one. We remove the location and camera details "
                "from photos before we keep them. You do not have to give your name. If you "
                "choose to, we also keep your name, phone number or email address so that "
                "the police can ask you more.</p>"
                "<p>We use this only to help find the missing person. It goes to the police "
                "force that is looking for them, and to our caseworkers. It is never shown to "
                "the public. To stop misuse we count how many reports come from one internet "
                "address over a few minutes; we do not keep the address with your report.</p>"
            ),
            heading("When you sign up for appeals by email"),
            text(
                "<p>We keep your email address, the areas you chose, whether you want urgent "
                "alerts, and a record of what you agreed to and when. We use them only to "
                "send you appeals. Every email has a link to change your areas or "
                "unsubscribe.</p>"
            ),
            heading("People in appeals"),
            text(
                "<p>We publish an appeal only when the police ask for publicity, and only "
                "after a safeguarding check. Appeals never show police case references, risk "
                "assessments or safeguarding information. An appeal comes down as soon as "
                "the person is found or publicity ends.</p>"
            ),
            heading("How long we keep it"),
            static("retention_periods"),
            heading("Your rights"),
            text(
                "<p>You can ask for a copy of the information we hold about you, ask us to "
                "correct it or delete it, or object to how we use it. Write to us at the "
                "address above. If you are unhappy with how we handled your information, you "
                "can complain to the Information Commissioner's Office: "
                '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint</a>.</p>'
            ),
            heading("Cookies"),
            text(
                "<p>We do not set cookies when you read appeals, report a sighting or sign "
                "up for emails.</p>"
            ),
        ],
    },
    {
        "purpose": "cookies",
        "slug": "cookies",
        "title": "Cookies",
        "summary": "This site sets no cookies for the public.",
        "body": [
            text(
                "<p>We do not set any cookies when you read appeals, report a sighting or "
                "sign up for appeals by email. We do not use analytics or advertising, and "
                "our pages load nothing from other websites, so no one else can set cookies "
                "through them either.</p>"
                "<p>Staff who sign in to manage the site are given two cookies that are "
                "strictly necessary for signing in securely: a session cookie and a security "
                "token. They are only set on the staff pages, after signing in.</p>"
            ),
        ],
    },
    {
        "purpose": "accessibility",
        "slug": "accessibility",
        "title": "Accessibility statement",
        "summary": "How accessible this site is, how we test it, what we know is not right "
        "yet, and how to tell us about a problem.",
        "body": [
            text(
                "<p>We want everyone who has seen a missing person to be able to tell us, "
                "whatever device they use and however they use it. You should be able to "
                "use every public page with a keyboard alone, with a screen reader, zoomed "
                "to 400%, on a phone, and without JavaScript.</p>"
            ),
            heading("How accessible this site is"),
            text(
                "<p>The public pages of this site aim to meet the Web Content Accessibility "
                "Guidelines (WCAG) version 2.2 at level AA. They use the patterns of the "
                "GOV.UK Design System for forms, errors and confirmations.</p>"
            ),
            heading("How we test it"),
            text(
                "<p>Every change is tested automatically before it goes live: each public "
                "page is checked with the axe accessibility engine in every state (with "
                "errors, after sending), a browser goes through each form with the keyboard "
                "alone and without JavaScript, on a phone-sized and a desktop screen, and we "
                "look at the screenshots ourselves.</p>"
            ),
            heading("What we know is not right yet"),
            text(
                "<ul><li>Appeals are in English only. We are working on appeals and the "
                "sighting form in other languages.</li>"
                "<li>Posters are PDF files. Their text can be read by a screen reader, but "
                "the same information is on the appeal page, which is easier to use.</li></ul>"
            ),
            heading("Tell us about a problem"),
            text(
                "<p>If you find something hard to use, tell us, and we will reply within 5 "
                "working days. If you are not happy with our reply, contact the Equality "
                'Advisory and Support Service (<a href="https://www.equalityadvisoryservice.com/">'
                "EASS</a>).</p>"
            ),
            static("charity_contact"),
        ],
    },
]


def create_information_pages(apps, schema_editor):
    import json

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("homeward", "HomePage")
    InformationPage = apps.get_model("homeward", "InformationPage")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="homeward", model="informationpage"
    )
    now = timezone.now()
    for spec in PAGES:
        if InformationPage.objects.filter(purpose=spec["purpose"]).exists():
            continue
        if Page.objects.filter(
            depth=home.depth + 1, path__startswith=home.path, slug=spec["slug"]
        ).exists():
            continue
        # Treebeard's materialised path: the next free 4-character step under home.
        last = (
            Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = int(last[-4:], 36) + 1 if last else 1
        path = home.path + _base36(step).rjust(4, "0")
        InformationPage.objects.create(
            title=spec["title"],
            draft_title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=json.dumps(spec["body"]),
            purpose=spec["purpose"],
            content_type=content_type,
            path=path,
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{spec['slug']}/",
            locale_id=home.locale_id,
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
        home.numchild += 1


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    result = ""
    while number:
        number, remainder = divmod(number, 36)
        result = digits[remainder] + result
    return result or "0"


class Migration(migrations.Migration):
    dependencies = [("homeward", "0010_information_pages")]

    operations = [migrations.RunPython(create_information_pages, migrations.RunPython.noop)]
