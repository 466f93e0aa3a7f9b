"""Working the police triage queue: claim, assess, pass on, close, link duplicates, export.

A sighting is worked by an officer of the force that owns its appeal, and only once they
have claimed it: a claim is one conditional UPDATE, so two officers can never hold the
same sighting. Caseworkers see every sighting and may add notes and export, but the
police judgement (claiming, THRIVE, passing on, closing) stays with the owning force. A
force a sighting was passed to (services/hand_off.py) may read it and add notes only.
Every step is written to the audit log, with the fact and never the content.
"""

import functools

from django.db import connection, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone
from wagtail.log_actions import log

from sightings.formatting import person_name
from sightings.models import Sighting, SightingLogEntry, SightingNote, ThriveAssessment
from sightings.permissions import (
    SEE,
    SEE_CASE,
    WORK,
    acting_force_id,
    sighting_permission_policy,
)
from sightings.selectors import QUEUE_ORDER

CLAIMED = "homeward.sighting.claimed"
EXPORT_COLUMNS = [
    ("reference", "Reference"),
    ("appeal", "Appeal"),
    ("police_force", "Police force"),
    ("received_at", "Received"),
    ("seen_at", "Seen"),
    ("seen_at_approximate", "Time approximate"),
    ("with_them_now", "With them now"),
    ("location", "Where"),
    ("latitude", "Latitude"),
    ("longitude", "Longitude"),
    ("description", "What they saw"),
    ("clothing", "Clothing"),
    ("companions", "With"),
    ("direction", "Direction"),
    ("language", "Written in"),
    ("translation", "Translation into English (latest)"),
    ("reporter", "Reporter"),
    ("reporter_phone", "Reporter phone"),
    ("reporter_email", "Reporter email"),
    ("consent_to_contact", "Consent to contact"),
    ("status", "Status"),
    ("close_reason", "Close reason"),
    ("duplicate_of", "Duplicate of"),
    ("claimed_by", "Claimed by"),
]


class SightingRefused(Exception):
    """A step on a sighting that is not allowed now, with a message for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sighting_view(*, sighting: Sighting, user) -> None:
    """Record that someone opened a sighting: who has seen a reporter's details matters."""
    _require_visible(sighting, user)
    log(instance=sighting, action="homeward.sighting.viewed", user=user)


def sighting_claim(*, sighting: Sighting, user) -> Sighting:
    """Take a sighting to work on it. Claiming one you already hold changes nothing."""
    _require_workable(sighting, user)
    now = timezone.now()
    claimed = (
        Sighting.objects.filter(pk=sighting.pk, claimed_by__isnull=True)
        .exclude(status=Sighting.Status.CLOSED)
        .update(
            claimed_by=user,
            claimed_at=now,
            status=Case(
                When(status=Sighting.Status.NEW, then=Value(Sighting.Status.IN_REVIEW)),
                default=F("status"),
            ),
        )
    )
    sighting.refresh_from_db()
    if claimed:
        log(instance=sighting, action=CLAIMED, user=user)
        return sighting
    if sighting.claimed_by_id == user.pk:
        return sighting
    if sighting.status == Sighting.Status.CLOSED:
        raise SightingRefused("This sighting is closed: there is nothing to claim.")
    raise SightingRefused(
        f"{person_name(sighting.claimed_by)} has already claimed this sighting. Pick another one."
    )


def sighting_claim_next(*, user) -> Sighting | None:
    """Claim the top unclaimed new sighting of the officer's force, or None if there is none.

    One statement picks the top of the queue and claims it. Officers claiming at once
    each get a different one: rows another transaction holds are skipped, not waited for.
    On PostgreSQL the same statement writes the audit entry, so a claim is one round trip.
    """
    force_id = acting_force_id(user, WORK)
    if force_id is None:
        raise SightingRefused("Only police officers claim sightings from the queue.")
    claim = [user.pk, timezone.now(), Sighting.Status.IN_REVIEW]
    # A statement that changes two tables at once (a data-modifying WITH) is PostgreSQL's.
    if connection.vendor == "postgresql":
        entry = SightingLogEntry.objects.unsaved(action=CLAIMED, user=user)
        sql, top_params = _claim_next_audited_statement(force_id)
        claimed = list(Sighting.objects.raw(sql, [*claim, *top_params, *_entry_params(entry)]))
        return claimed[0] if claimed else None
    sql, top_params = _claim_next_statement(force_id)
    with transaction.atomic():
        claimed = list(Sighting.objects.raw(sql, [*claim, *top_params]))
        if not claimed:
            return None
        log(instance=claimed[0], action=CLAIMED, user=user)
    return claimed[0]


# Only what the caller and the audit entry use; other fields load if asked for.
CLAIMED_COLUMNS = "id, reference, appeal_id, police_force_id, status, claimed_by_id, claimed_at"
# The entry's columns the claiming statement fills from the claimed row itself.
ENTRY_FROM_CLAIM = {"object_id": "id", "label": "reference"}


@functools.cache
def _claim_next_statement(force_id: int) -> tuple[str, tuple]:
    """The claiming UPDATE for one force, its top-of-queue subquery compiled by Django once."""
    top = (
        Sighting.objects.filter(
            police_force_id=force_id, status=Sighting.Status.NEW, claimed_by__isnull=True
        )
        .order_by(*QUEUE_ORDER)
        .select_for_update(skip_locked=True, of=("self",))
        .values("pk")[:1]
    )
    with transaction.atomic():  # Django compiles FOR UPDATE only inside a transaction
        top_sql, top_params = top.query.sql_with_params()
    sql = (
        f"UPDATE {Sighting._meta.db_table} "  # noqa: S608  our table, Django's SQL
        f"SET claimed_by_id = %s, claimed_at = %s, status = %s "
        f"WHERE id = ({top_sql}) RETURNING {CLAIMED_COLUMNS}"
    )
    return sql, tuple(top_params)


@functools.cache
def _claim_next_audited_statement(force_id: int) -> tuple[str, tuple]:
    """The claiming UPDATE, and the audit entry inserted from the row it claimed."""
    claim_sql, top_params = _claim_next_statement(force_id)
    columns = [field.column for field in _entry_fields()]
    values = [ENTRY_FROM_CLAIM.get(column, "%s") for column in columns]
    sql = (
        f"WITH claimed AS ({claim_sql}), "  # noqa: S608  our tables, Django's SQL
        f"audited AS (INSERT INTO {SightingLogEntry._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM claimed) "
        f"SELECT {CLAIMED_COLUMNS} FROM claimed"
    )
    return sql, top_params


def _entry_fields() -> list:
    return [field for field in SightingLogEntry._meta.concrete_fields if not field.primary_key]


def _entry_params(entry: SightingLogEntry) -> list:
    return [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for field in _entry_fields()
        if field.column not in ENTRY_FROM_CLAIM
    ]


def sighting_release(*, sighting: Sighting, user) -> Sighting:
    """Give a claimed sighting back to the queue (back to new if it was only in review)."""
    with transaction.atomic():
        sighting = _locked_for(sighting, user)
        if sighting.status == Sighting.Status.CLOSED:
            raise SightingRefused("This sighting is closed: there is nothing to release.")
        sighting.claimed_by = None
        sighting.claimed_at = None
        if sighting.status == Sighting.Status.IN_REVIEW:
            sighting.status = Sighting.Status.NEW
        sighting.save(update_fields=["claimed_by", "claimed_at", "status"])
        log(instance=sighting, action="homeward.sighting.released", user=user)
    return sighting


def sighting_pass_on(*, sighting: Sighting, user) -> Sighting:
    """Pass a sighting to the investigation team."""
    with transaction.atomic():
        sighting = _locked_for(sighting, user)
        if sighting.status != Sighting.Status.IN_REVIEW:
            raise SightingRefused(
                f"Only a sighting in review can be passed on; this one is "
                f"{sighting.get_status_display().lower()}."
            )
        sighting.status = Sighting.Status.PASSED_ON
        sighting.save(update_fields=["status"])
        log(instance=sighting, action="homeward.sighting.passed_on", user=user)
    return sighting


def sighting_close(
    *, sighting: Sighting, user, reason: str, duplicate_of: Sighting | None = None
) -> Sighting:
    """Close a sighting with a reason; a duplicate names the sighting it repeats."""
    with transaction.atomic():
        sighting = _locked_for(sighting, user)
        if duplicate_of is not None:  # as it is now: it may have become a duplicate itself
            duplicate_of.refresh_from_db()
        _close(sighting, user=user, reason=reason, duplicate_of=duplicate_of)
    return sighting


def sightings_close_duplicates(*, original: Sighting, duplicates: list[Sighting], user) -> int:
    """Close several sightings at once as duplicates of one. All of them, or none.

    Unclaimed ones are claimed for the officer as they are closed; one held by someone
    else, already closed, or for another appeal stops the whole batch, with a message
    naming it.
    """
    _require_workable(original, user)
    with transaction.atomic():
        original.refresh_from_db()
        locked = list(
            Sighting.objects.select_for_update()
            .filter(pk__in=[duplicate.pk for duplicate in duplicates])
            .order_by("pk")
        )
        problems = [
            f"{sighting.reference} ({problem})"
            for sighting in locked
            if (problem := _why_not_duplicate(sighting, original=original, user=user))
        ]
        if problems:
            raise SightingRefused(
                "Nothing was closed. These cannot be closed as duplicates of "
                f"{original.reference}: {'; '.join(problems)}."
            )
        now = timezone.now()
        for sighting in locked:
            if sighting.claimed_by_id is None:
                sighting.claimed_by, sighting.claimed_at = user, now
                log(instance=sighting, action=CLAIMED, user=user)
            _close(
                sighting, user=user, reason=Sighting.CloseReason.DUPLICATE, duplicate_of=original
            )
    return len(locked)


def sighting_note_add(*, sighting: Sighting, user, text: str) -> SightingNote:
    _require_visible(sighting, user)
    text = text.strip()
    if not text:
        raise SightingRefused("Write the note before adding it.")
    if len(text) > 4000:
        raise SightingRefused("A note can be at most 4,000 characters.")
    note = SightingNote.objects.create(sighting=sighting, author=user, text=text)
    log(instance=sighting, action="homeward.sighting.noted", user=user)
    return note


def sighting_assess(*, sighting: Sighting, user, answers: dict) -> ThriveAssessment:
    """Record a THRIVE assessment. Each is kept; the latest is the current judgement."""
    with transaction.atomic():
        sighting = _locked_for(sighting, user)
        if sighting.status == Sighting.Status.CLOSED:
            raise SightingRefused("This sighting is closed: it cannot be assessed.")
        assessment = ThriveAssessment.objects.create(sighting=sighting, assessed_by=user, **answers)
        log(
            instance=sighting,
            action="homeward.sighting.assessed",
            user=user,
            data={"risk_grade": assessment.risk_grade},
        )
    return assessment


def sightings_export(*, sightings: QuerySet, user, export_format: str) -> list[Sighting]:
    """The sightings for the case file (a spreadsheet, a printable page), in the order they
    came. Each export is in the audit log."""
    rows = list(
        sightings.select_related("appeal", "police_force", "claimed_by", "duplicate_of")
        .prefetch_related("notes", "assessments", "translations")
        .order_by("received_at")
    )
    for sighting in rows:  # the case file's: not for a force they were only passed to
        if not sighting_permission_policy.user_has_permission_for_instance(
            user, SEE_CASE, sighting
        ):
            raise SightingRefused("You cannot export this sighting.")
    for sighting in rows:
        log(
            instance=sighting,
            action="homeward.sighting.exported",
            user=user,
            data={"format": export_format, "count": len(rows)},
        )
    return rows


def sighting_export_value(sighting: Sighting, name: str):
    """One of EXPORT_COLUMNS of a sighting, as the case file shows it."""
    if name == "appeal":
        return sighting.appeal.title
    if name == "reporter":
        return "Anonymous" if sighting.anonymous else sighting.reporter_name
    if name == "claimed_by":
        return person_name(sighting.claimed_by) if sighting.claimed_by else ""
    if name == "translation":
        translations = sighting.translations.all()
        return translations[len(translations) - 1].text if translations else ""
    if name in {"status", "close_reason", "language"}:
        return getattr(sighting, f"get_{name}_display")()
    value = getattr(sighting, name)
    return "" if value is None else value


def _close(sighting: Sighting, *, user, reason: str, duplicate_of: Sighting | None) -> None:
    if sighting.status == Sighting.Status.CLOSED:
        raise SightingRefused("This sighting is already closed.")
    if reason not in Sighting.CloseReason.values:
        raise SightingRefused("Choose why you are closing it: " + _reasons() + ".")
    if reason == Sighting.CloseReason.DUPLICATE:
        if duplicate_of is None:
            raise SightingRefused("Say which sighting this one repeats.")
        if problem := _why_not_original(duplicate_of, sighting):
            raise SightingRefused(problem)
    elif duplicate_of is not None:
        raise SightingRefused("Only a duplicate names another sighting.")
    sighting.status = Sighting.Status.CLOSED
    sighting.close_reason = reason
    sighting.closed_at = timezone.now()
    sighting.duplicate_of = duplicate_of
    sighting.save(
        update_fields=[
            "status",
            "close_reason",
            "closed_at",
            "duplicate_of",
            "claimed_by",
            "claimed_at",
        ]
    )
    data = {"reason": reason}
    if duplicate_of is not None:
        data["duplicate_of"] = duplicate_of.reference
    log(instance=sighting, action="homeward.sighting.closed", user=user, data=data)


def _why_not_original(original: Sighting, duplicate: Sighting) -> str:
    if original.pk == duplicate.pk:
        return "A sighting cannot be a duplicate of itself."
    if original.appeal_id != duplicate.appeal_id:
        return f"{original.reference} is for another appeal."
    if original.duplicate_of_id is not None:
        return (
            f"{original.reference} is itself a duplicate of "
            f"{original.duplicate_of.reference}: link to that one."
        )
    return ""


def _why_not_duplicate(sighting: Sighting, *, original: Sighting, user) -> str:
    if sighting.status == Sighting.Status.CLOSED:
        return "already closed"
    if sighting.claimed_by_id not in (None, user.pk):
        return f"claimed by {person_name(sighting.claimed_by)}"
    if not sighting_permission_policy.user_has_permission_for_instance(user, WORK, sighting):
        return "not your force's"
    return _why_not_original(original, sighting).rstrip(".")


def _reasons() -> str:
    return ", ".join(label.lower() for label in Sighting.CloseReason.labels)


def _require_visible(sighting: Sighting, user) -> None:
    if not sighting_permission_policy.user_has_permission_for_instance(user, SEE, sighting):
        raise SightingRefused("You cannot see this sighting.")


def _require_workable(sighting: Sighting, user) -> None:
    if not sighting_permission_policy.user_has_permission_for_instance(user, WORK, sighting):
        raise SightingRefused(
            "Only an officer of the force that owns this case can work on its sightings."
        )


def _locked_for(sighting: Sighting, user) -> Sighting:
    """The sighting as it is now, held until the transaction ends, if ``user`` holds it."""
    sighting = (
        Sighting.objects.select_for_update(of=("self",))
        .select_related("claimed_by")
        .get(pk=sighting.pk)
    )
    _require_claimed_by(sighting, user)
    return sighting


def _require_claimed_by(sighting: Sighting, user) -> None:
    _require_workable(sighting, user)
    if sighting.claimed_by_id is None:
        raise SightingRefused("Claim this sighting before you work on it.")
    if sighting.claimed_by_id != user.pk:
        raise SightingRefused(
            f"{person_name(sighting.claimed_by)} has claimed this sighting: "
            "only they can work on it."
        )
