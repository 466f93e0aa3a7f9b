"""The police triage queue in the Wagtail admin. Views are thin: the work is in services.

Every view checks the object against the person, not just the menu: a sighting someone
may not see answers 404, as if it did not exist.
"""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from homeward.admin_views import AdminPageMixin
from sightings import services
from sightings.admin_forms import CloseForm, DuplicatesForm, NoteForm, QueueFilterForm, ThriveForm
from sightings.formatting import person_name, waited
from sightings.models import Sighting, SightingLogEntry
from sightings.selectors import (
    can_see_sightings,
    sighting_appeals_for,
    sighting_queue,
    sighting_queue_rows,
    sighting_workable_by,
    sightings_visible_to,
)

PAGE_SIZE = 50


def _visible_sighting(request: HttpRequest, public_id: UUID) -> Sighting:
    sighting = (
        sightings_visible_to(user=request.user)
        .select_related("appeal", "police_force", "claimed_by", "duplicate_of")
        .filter(public_id=public_id)
        .first()
    )
    if sighting is None:
        raise Http404("No such sighting")
    return sighting


def _require_sightings_role(request: HttpRequest) -> None:
    if not can_see_sightings(request.user):
        raise PermissionDenied


class SightingQueueView(AdminPageMixin, TemplateView):
    template_name = "sightings/admin/queue.html"
    page_title = "Sightings"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        _require_sightings_role(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = QueueFilterForm(self.request.GET or None, appeals=sighting_appeals_for(user=user))
        queue = sighting_queue_rows(sighting_queue(user=user, **form.queue_filters()))
        page = Paginator(queue, PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            form=form,
            page=page,
            rows=queue_rows(page, now=timezone.now()),
            is_officer=hasattr(user, "police_officer"),
            duplicates_form=DuplicatesForm(),
            query=_without_page(self.request.GET),
            **kwargs,
        )


@dataclass(frozen=True)
class QueueRow:
    """One row of the queue, ready to print: a page of them renders in a few milliseconds."""

    public_id: UUID
    reference: str
    url: str
    urgent: bool
    appeal_title: str
    received: str
    waiting: str
    location: str
    points: int
    status: str
    claimed_by: str


def queue_rows(page, *, now) -> list[QueueRow]:
    detail_url = reverse("sightings_detail", args=[UUID(int=0)]).replace(str(UUID(int=0)), "{}")
    return [
        QueueRow(
            public_id=sighting.public_id,
            reference=sighting.reference,
            url=detail_url.format(sighting.public_id),
            urgent=sighting.with_them_now,
            appeal_title=sighting.appeal_title,
            received=timezone.localtime(sighting.received_at).strftime("%-d %b %Y, %H:%M"),
            waiting=waited(sighting.received_at, now)
            if sighting.status == Sighting.Status.NEW
            else "",
            location=sighting.location,
            points=sighting.priority_points,
            status=sighting.get_status_display()
            + (f": {sighting.get_close_reason_display().lower()}" if sighting.close_reason else ""),
            claimed_by=person_name(sighting.claimed_by) if sighting.claimed_by else "Unclaimed",
        )
        for sighting in page
    ]


def _without_page(query) -> str:
    query = query.copy()
    query.pop("p", None)
    return query.urlencode()


class SightingDetailView(AdminPageMixin, TemplateView):
    template_name = "sightings/admin/detail.html"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        _require_sightings_role(request)
        self.sighting = _visible_sighting(request, kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Sighting {self.sighting.reference}"

    def get(self, request, *args, **kwargs):
        services.sighting_view(sighting=self.sighting, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        sighting = self.sighting
        user = self.request.user
        return super().get_context_data(
            sighting=sighting,
            now=timezone.now(),
            has_photo=hasattr(sighting, "photo"),
            can_work=sighting_workable_by(sighting=sighting, user=user),
            claimed_by_me=sighting.claimed_by_id == user.pk,
            notes=sighting.notes.select_related("author"),
            assessments=sighting.assessments.select_related("assessed_by"),
            duplicates=sighting.duplicates.order_by("received_at"),
            history=SightingLogEntry.objects.for_instance(sighting)
            .select_related("user")
            .order_by("-timestamp"),
            close_form=kwargs.pop("close_form", None) or CloseForm(),
            thrive_form=kwargs.pop("thrive_form", None) or ThriveForm(),
            note_form=kwargs.pop("note_form", None) or NoteForm(),
            **kwargs,
        )


@require_POST
def sighting_act(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    """One step on one sighting; a refusal is explained on the sighting's page."""
    _require_sightings_role(request)
    sighting = _visible_sighting(request, public_id)
    form = None
    try:
        if action == "claim":
            services.sighting_claim(sighting=sighting, user=request.user)
            messages.success(request, f"You have claimed {sighting.reference}.")
        elif action == "release":
            services.sighting_release(sighting=sighting, user=request.user)
            messages.success(request, f"{sighting.reference} is back in the queue.")
        elif action == "pass-on":
            services.sighting_pass_on(sighting=sighting, user=request.user)
            messages.success(request, f"{sighting.reference} is passed to the investigation.")
        elif action == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                services.sighting_close(
                    sighting=sighting,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    duplicate_of=_by_reference(request, form.cleaned_data["duplicate_of"]),
                )
                messages.success(request, f"{sighting.reference} is closed.")
                form = None
        elif action == "assess":
            form = ThriveForm(request.POST)
            if form.is_valid():
                services.sighting_assess(
                    sighting=sighting, user=request.user, answers=form.cleaned_data
                )
                messages.success(request, "THRIVE assessment recorded.")
                form = None
        elif action == "note":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.sighting_note_add(
                    sighting=sighting, user=request.user, text=form.cleaned_data["text"]
                )
                messages.success(request, "Note added.")
                form = None
        else:
            raise Http404("No such action")
    except services.SightingRefused as refused:
        messages.error(request, refused.message)
        form = None  # the answers were fine; the step itself is not allowed now
    if form is not None:  # invalid: show it again with its errors, nothing changed
        messages.error(request, "Nothing was saved: correct the problems shown below.")
        view = SightingDetailView()
        view.setup(request, public_id=sighting.public_id)
        view.sighting = _visible_sighting(request, sighting.public_id)
        context = view.get_context_data(**{f"{action}_form": form})
        return view.render_to_response(context, status=400)
    return redirect("sightings_detail", public_id=sighting.public_id)


def _by_reference(request: HttpRequest, reference: str) -> Sighting | None:
    reference = reference.strip().upper()
    if not reference:
        return None
    original = sightings_visible_to(user=request.user).filter(reference=reference).first()
    if original is None:
        raise services.SightingRefused(f"There is no sighting {reference} that you can see.")
    return original


@require_POST
def sighting_claim_next(request: HttpRequest) -> HttpResponse:
    _require_sightings_role(request)
    try:
        sighting = services.sighting_claim_next(user=request.user)
    except services.SightingRefused as refused:
        messages.error(request, refused.message)
        return redirect("sightings_queue")
    if sighting is None:
        messages.info(request, "There are no unclaimed new sightings for your force.")
        return redirect("sightings_queue")
    messages.success(request, f"You have claimed {sighting.reference}, the top of the queue.")
    return redirect("sightings_detail", public_id=sighting.public_id)


@never_cache
@require_POST
def sightings_export(request: HttpRequest) -> HttpResponse:
    """The selected sightings as CSV or a printable page, for the case file."""
    _require_sightings_role(request)
    selected = _selected(request)
    if selected is None:
        return redirect(reverse("sightings_queue") + "?" + request.POST.get("query", ""))
    if request.POST.get("format") == "print":
        rows = services.sightings_export_print(sightings=selected, user=request.user)
        response = TemplateResponse(
            request, "sightings/admin/print.html", {"sightings": rows, "now": timezone.now()}
        )
    else:
        body = services.sightings_export_csv(sightings=selected, user=request.user)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="sightings-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def sightings_close_duplicates(request: HttpRequest) -> HttpResponse:
    _require_sightings_role(request)
    selected = _selected(request)
    back = reverse("sightings_queue") + "?" + request.POST.get("query", "")
    form = DuplicatesForm(request.POST)
    if selected is None:
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "Give the reference of the sighting they repeat.")
        return redirect(back)
    try:
        original = _by_reference(request, form.cleaned_data["original"])
        closed = services.sightings_close_duplicates(
            original=original, duplicates=list(selected), user=request.user
        )
    except services.SightingRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, f"Closed {closed} as duplicates of {original.reference}.")
    return redirect(back)


def _selected(request: HttpRequest):
    """The ticked sightings the person may see, or None (with a message) if none were."""
    ids = [_as_uuid(value) for value in request.POST.getlist("ids")]
    if None in ids:
        raise Http404("No such sighting")
    selected = sightings_visible_to(user=request.user).filter(public_id__in=ids)
    if not ids or not selected.exists():
        messages.error(request, "Tick at least one sighting first.")
        return None
    if selected.count() != len(set(ids)):
        raise Http404("No such sighting")
    return selected


def _as_uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
