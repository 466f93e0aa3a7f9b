"""Fictional demo content: appeals for people who do not exist, and a user for every role.

Safe to run again: existing appeals and users are kept, and the users' passwords are
renewed so that they can be printed.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model

from appeals.models import (
    AppealIndexPage,
    AppealPage,
    AppealPhoto,
    AppealTakedown,
    EpisodeStatistic,
    PersonEpisode,
    PublicityCheck,
    PublicityDecision,
    PublicitySettings,
    ReturnHomeInterview,
)
from appeals.models.publicity import review_days_for
from appeals.services import appeal_close, publicity_check_complete
from appeals.services.episodes import appeal_episode_link
from homeward import roles
from homeward.demo.history import DEMO_COUNCILS, demo_councils, demo_history_load
from homeward.demo.partners import demo_briefing_partner
from homeward.demo.portraits import FACE_BOX, HAIR_COLOURS, portrait_jpeg
from homeward.demo.translations import demo_translations
from homeward.demo.users import DEMO_USERS, DemoUser, demo_user
from homeward.models import (
    CharityDetails,
    LocalAuthority,
    PoliceForce,
)
from newsletter.models import Hero
from sightings.models import Sighting
from sightings.services import sighting_answers, sighting_create

FIRST_NAMES = {
    "female": [
        "Amara",
        "Brodie",
        "Cerys",
        "Delphine",
        "Esme",
        "Fenella",
        "Ginevra",
        "Hollis",
        "Isolde",
        "Jorja",
        "Kezia",
        "Lowenna",
        "Marisol",
        "Niamh",
        "Orla",
        "Perpetua",
    ],
    "male": [
        "Alaric",
        "Bram",
        "Caspian",
        "Dashiell",
        "Ephraim",
        "Fitzroy",
        "Gulliver",
        "Huxley",
        "Idris",
        "Jarvis",
        "Kit",
        "Lorcan",
        "Mattias",
        "Nye",
        "Ossian",
        "Peregrine",
    ],
}
SURNAMES = [
    "Ashcombe",
    "Brackenridge",
    "Culverhouse",
    "Dunmore",
    "Elderfield",
    "Fairweather",
    "Greythorne",
    "Hollowell",
    "Inchbald",
    "Jessamy",
    "Kettlewell",
    "Larkspur",
    "Marchbank",
    "Nettlefold",
    "Oakenshaw",
    "Pennywhistle",
]
AREAS = {
    "metropolitan-police-service": ["Croydon", "Hackney", "Lewisham", "Ealing"],
    "greater-manchester-police": ["Salford", "Stockport", "Wigan"],
    "west-yorkshire-police": ["Leeds city centre", "Bradford", "Huddersfield"],
    "west-midlands-police": ["Birmingham", "Coventry", "Wolverhampton"],
    "merseyside-police": ["Liverpool", "Birkenhead"],
    "police-scotland": ["Glasgow", "Dundee", "Inverness"],
    "south-wales-police": ["Cardiff", "Swansea"],
    "police-service-of-northern-ireland": ["Belfast", "Newry"],
    "avon-and-somerset-constabulary": ["Bristol", "Weston-super-Mare"],
    "british-transport-police": ["London Euston station", "Manchester Piccadilly station"],
}
BUILDS = ["Slim", "Medium", "Stocky", "Tall and slim"]
CLOTHES = [
    "A black puffer jacket, grey joggers and white trainers",
    "A navy school-style coat and dark jeans",
    "A green hoodie and black jeans",
    "A red raincoat and walking boots",
    "A grey tracksuit and a black cap",
]
FEATURES = [
    "A small scar above the left eyebrow",
    "Freckles across the nose",
    "Wears glasses with thin gold frames",
    "",
    "A tattoo of a swallow on the right wrist",
]
MESSAGES = [
    "{first}, we love you and we just want to know you are safe. You are not in trouble. "
    "Please call or text 116 000, any time.",
    "{first}, nobody is angry. Home is here whenever you are ready. "
    "Even a text to 116 000 to say you are OK would mean the world.",
    "",
]
DEMO_APPEALS = 30


# Where each demo appeal stands in the publicity safety check, by its number.
AWAITING_CHECK = {26, 27}
AWAITING_APPROVAL = {28}
RESTRICTED = {29}
CLEARANCE_ENDING_SOON = {0, 1}
# A child in care found: the return home interview they are owed is due.
FOUND = {10}
# A child in care who has gone missing before: their earlier episodes, as days before this
# one, each found after a few days, with its return home interview held.
EARLIER_EPISODES = {0: (240, 90)}


@transaction.atomic
def demo_load() -> list[DemoUser]:
    demo_councils()
    users = [demo_user(username, role, link) for username, role, link in DEMO_USERS]
    staff = {user.role: get_user_model().objects.get(username=user.username) for user in users}
    # Urgent sightings are emailed here (printed to the console in development).
    for slug in AREAS:
        PoliceForce.objects.filter(slug=slug).update(duty_email=f"duty@{slug}.police.invalid")
    # Before the appeals: closing one of them adds its own row to the history.
    demo_history_load(force_slugs=list(AREAS))
    directory = AppealIndexPage.objects.get()
    existing = set(AppealPage.objects.values_list("slug", flat=True))
    for number in range(DEMO_APPEALS):
        appeal = _demo_appeal(number)
        if appeal.slug not in existing:
            _create_with_photo(directory, appeal, *_hair(number), editor=staff[roles.EDITORS])
            _take_through_publicity_check(appeal, number, staff)
            for days_before in EARLIER_EPISODES.get(number, ()):
                _demo_earlier_episode(directory, appeal, number, days_before, staff)
            if number in FOUND:
                appeal_close(
                    appeal=appeal,
                    user=staff[roles.PUBLISHERS],
                    outcome=AppealTakedown.Outcome.FOUND,
                    reason="Made up: found safe.",
                )
    if not Sighting.objects.exists():
        _demo_sightings()
    _demo_heroes()
    _demo_charity()
    return users


def _demo_earlier_episode(directory, current, number, days_before, staff) -> None:
    earlier = _demo_appeal(number)
    earlier.slug = f"{earlier.slug}-{days_before}-days-before"
    earlier.missing_since = current.missing_since - timedelta(days=days_before)
    _create_with_photo(directory, earlier, *_hair(number), editor=staff[roles.EDITORS])
    _take_through_publicity_check(earlier, number, staff)
    takedown = appeal_close(
        appeal=earlier, user=staff[roles.PUBLISHERS], outcome="found", reason="Made up."
    )
    # Found a few days later, back then: the dates say so, and the interview was held.
    found = timezone.make_aware(datetime.combine(earlier.missing_since, time(18)))
    found += timedelta(days=3)
    AppealPage.objects.filter(pk=earlier.pk).update(closed_at=found)
    AppealTakedown.objects.filter(pk=takedown.pk).update(closed_at=found)
    EpisodeStatistic.objects.filter(takedown=takedown).update(
        closed_month=found.date().replace(day=1), days_missing=3, return_home="in-time"
    )
    ReturnHomeInterview.objects.filter(appeal=earlier).update(
        found_at=found,
        due_by=found + timedelta(hours=72),
        offered_by=ReturnHomeInterview.OfferedBy.LOCAL_AUTHORITY,
        offered_by_name=current.local_authority.name,
        offered_at=found + timedelta(hours=20),
        held_at=found + timedelta(hours=44),
    )
    appeal_episode_link(appeal=current, earlier=earlier, user=staff[roles.EDITORS])
    EpisodeStatistic.objects.filter(takedown=takedown).update(
        episode_number=PersonEpisode.objects.number_of(
            appeal_id=earlier.pk, missing_since=earlier.missing_since
        )
    )


def _demo_charity() -> None:
    """A made-up charity runs the demo: its details show in the footer and on the about
    page, where a real deployment's staff enter their own."""
    details = CharityDetails.load()
    details.name = "Homeward (demo charity)"
    details.charity_number = "Registered charity 0000000 (a made-up number)"
    details.address = "1 Example Street\nLeeds\nLS1 0ZZ"
    details.email = "hello@homeward.invalid"
    details.phone = "0113 496 0000"
    details.save()


def _demo_heroes() -> None:
    """Fictional subscribers and a briefing partner, so the Heroes emails have readers."""
    for number, slug in enumerate(AREAS):
        hero, _ = Hero.objects.get_or_create(
            email=f"hero{number + 1}@example.invalid",
            defaults={"status": Hero.Status.CONFIRMED, "urgent_alerts": number % 2 == 0},
        )
        hero.areas.set(PoliceForce.objects.filter(slug=slug))
    Hero.objects.get_or_create(
        email="everywhere@example.invalid",
        defaults={"status": Hero.Status.CONFIRMED, "all_of_uk": True, "urgent_alerts": True},
    )
    demo_briefing_partner()


SIGHTING_NOTES = [
    ("Outside the bakery on the high street", "Sitting on the bench, looked cold and tired."),
    ("Number 36 bus towards the city centre", "Got on at the hospital stop, alone, hood up."),
    ("Car park behind the leisure centre", "Talking to two older teenagers, then walked off."),
    ("Platform 3 at the railway station", "Waiting for a train, kept checking a phone."),
    ("Corner shop on Mill Lane", "Bought a drink and crisps, paid in coins."),
]


def _demo_sightings() -> None:
    """A few fictional reports for each live appeal, so the police queue has work in it."""
    appeals = AppealPage.objects.publicly_visible().order_by("pk")
    for number, appeal in enumerate(appeals):
        for index in range(1 + number % 4):
            where, what = SIGHTING_NOTES[(number + index) % len(SIGHTING_NOTES)]
            sighting_create(
                appeal=appeal,
                answers=sighting_answers(
                    seen_at=timezone.now() - timedelta(hours=3 * index + number % 5),
                    location=where,
                    description=what,
                    time_is_approximate=index % 2 == 1,
                    with_them_now=number % 9 == 0 and index == 0,
                    identity="named" if index == 1 else "anonymous",
                    name="Demo Reporter" if index == 1 else "",
                    email="reporter@example.invalid" if index == 1 else "",
                ),
                photo=None,
                submission_key=f"demo-{appeal.pk}-{index}",
            )
    # Nobody needs a console full of alerts for made-up reports.
    Sighting.objects.update(alert_sent_at=timezone.now())


def _demo_appeal(number: int) -> AppealPage:
    rng = random.Random(f"homeward-demo-{number}")  # the same appeal on every run
    gender = rng.choice(["female", "male"])
    first = FIRST_NAMES[gender][number % 16]
    name = f"{first} {SURNAMES[(number * 7) % 16]}"
    force_slug = list(AREAS)[number % len(AREAS)]
    is_child = number % 3 != 2
    age = rng.randint(12, 17) if is_child else rng.randint(19, 78)
    today = timezone.localdate()
    # Mostly recent, with a few long-term appeals.
    missing_since = today - timedelta(days=rng.choice([1, 3, 6, 12, 25, 40, 90, 200, 500, 1400]))
    date_of_birth = (
        date(missing_since.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if number % 4
        else None
    )
    appeal = AppealPage(
        title=name,
        slug=slugify(f"{name} {number + 1}"),
        date_of_birth=date_of_birth,
        age_when_missing=None if date_of_birth else age,
        gender=gender,
        height_cm=rng.randint(150, 190),
        build=rng.choice(BUILDS),
        hair="{} {} hair".format("Long" if _hair(number)[1] else "Short", _hair(number)[0]),
        clothing=rng.choice(CLOTHES),
        distinguishing_features=rng.choice(FEATURES),
        missing_since=missing_since,
        last_seen_area=rng.choice(AREAS[force_slug]),
        police_force=PoliceForce.objects.get(slug=force_slug),
        message=rng.choice(MESSAGES).format(first=first),
        case_reference=f"DEMO-{number + 1:04d}/{missing_since:%y}",
        police_risk_level=rng.choice(AppealPage.RiskLevel.values),
        # Kept only for a trafficked or unaccompanied child the police put below high,
        # who is treated as high risk all the same.
        police_risk_reason="Made-up reason: the officer's judgement on the evidence so far.",
        in_care=is_child and number % 5 == 0,
        trafficked=is_child and number % 7 == 0,
        unaccompanied_asylum_seeking=is_child and number % 11 == 0,
        domestic_abuse=not is_child and number % 4 == 0,
    )
    if appeal.in_care or appeal.unaccompanied_asylum_seeking:
        # The demo's designated manager's council (the first) has half the children.
        others = DEMO_COUNCILS[1:]
        council = DEMO_COUNCILS[0] if number % 2 == 0 else others[number % len(others)]
        appeal.local_authority = LocalAuthority.objects.get(name=council)
    if appeal.unaccompanied_asylum_seeking:
        # Before their first episode, for a child who has gone missing before.
        first_episode = max(EARLIER_EPISODES.get(number, (0,)))
        appeal.arrived_in_uk_on = missing_since - timedelta(days=rng.randint(2, 60) + first_episode)
    if appeal.unaccompanied_asylum_seeking:
        appeal.translations = demo_translations(first=first, number=number)
    return appeal


def _hair(number: int) -> tuple[str, bool]:
    """The colour, and whether it is long: the drawing and the description agree."""
    return list(HAIR_COLOURS)[number % len(HAIR_COLOURS)], number % 2 == 0


def _create_with_photo(
    directory: AppealIndexPage, appeal: AppealPage, hair_colour: str, long_hair: bool, *, editor
) -> None:
    portrait = portrait_jpeg(seed=appeal.slug, hair_colour=hair_colour, long_hair=long_hair)
    image = get_image_model()(
        title=f"Demo portrait: {appeal.title}",
        file=ContentFile(portrait, "portrait.jpg"),
        focal_point_x=(FACE_BOX[0] + FACE_BOX[2]) // 2,
        focal_point_y=(FACE_BOX[1] + FACE_BOX[3]) // 2,
        focal_point_width=FACE_BOX[2] - FACE_BOX[0],
        focal_point_height=FACE_BOX[3] - FACE_BOX[1],
    )
    image.save()
    appeal.photos = [
        AppealPhoto(image=image, alt_text=f"Drawing of {appeal.title}: {appeal.hair.lower()}")
    ]
    appeal.live = False
    appeal.owner = editor
    directory.add_child(instance=appeal)
    appeal.save_revision(user=editor)


def _take_through_publicity_check(appeal: AppealPage, number: int, staff: dict) -> None:
    """The real workflow, stopping where the demo wants this appeal to stand."""
    appeal.get_workflow().start(appeal, staff[roles.EDITORS])
    if number in AWAITING_CHECK:
        return
    task_state = AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state
    today = timezone.localdate()
    max_days = review_days_for(appeal, PublicitySettings.load())
    publicity_check_complete(
        task_state=task_state,
        user=staff[roles.SAFEGUARDING_LEADS],
        revision_id=appeal.get_latest_revision().pk,
        answers={
            "authorising_force": appeal.police_force,
            "authorising_officer": "DS Rowan Pell (fictional)",
            "authorising_case_reference": appeal.case_reference,
            "authorised_on": today,
            "consent_from": (
                PublicityCheck.ConsentFrom.LOCAL_AUTHORITY
                if appeal.in_care
                else PublicityCheck.ConsentFrom.PARENT
                if appeal.is_child
                else PublicityCheck.ConsentFrom.ADULT
            ),
            "consent": PublicityCheck.Consent.GIVEN,
            "consent_given_by": appeal.local_authority.name if appeal.in_care else "Their mother",
            "social_worker": "Sam Okafor (fictional)" if appeal.in_care else "",
            "adults_wishes": "" if appeal.is_child else "No wish not to be found is known.",
            "risk_of_locating": PublicityCheck.Risk.NO,
            "risk_of_displacement": PublicityCheck.Risk.NO,
            "risk_of_identifying_community": (
                PublicityCheck.Risk.NO if appeal.translations.all() else ""
            ),
            "nrm_status": PublicityCheck.NrmStatus.AWAITING if appeal.trafficked else "",
            "no_immigration_status": True,
            "no_placement_or_address": True,
            "no_school_or_uniform": True,
            "suitable_photo": True,
            "suitable_wording": True,
            "decision": (
                PublicityDecision.RESTRICTED if number in RESTRICTED else PublicityDecision.PUBLIC
            ),
            "decision_reason": (
                "Known exploiters are looking for them." if number in RESTRICTED else ""
            ),
            "review_date": today
            + timedelta(days=1 if number in CLEARANCE_ENDING_SOON else max_days),
        },
    )
    if number in AWAITING_APPROVAL:
        return
    task_state = AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, staff[roles.PUBLISHERS], "approve")
