"""The police triage queue in the Wagtail admin, on Wagtail's generic views: a sighting's
page and its steps (the list is sightings/admin_queue.py, passing a sighting to another
force sightings/admin_hand_off.py). Views are thin: the work is in services, and who may
see or work what is the registered permission policy (sightings/permissions.py).

A sighting someone may not see answers 404 on every URL, as if it did not exist. Sightings
are named by their random public id: sequential ids would let anyone count them or walk
from one to the next.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.widgets.button import HeaderButton

from homeward.admin_views import RecordViewSet
from sightings import services, views
from sightings.admin_forms import (
    CloseForm,
    DuplicatesForm,
    NoteForm,
    ThriveForm,
    TranslationForm,
)
from sightings.admin_hand_off import hand_off_context, hand_off_step
from sightings.admin_queue import SightingIndexView
from sightings.models import Sighting, SightingLogEntry
from sightings.permissions import SEE, SEE_CASE, WORK, sighting_permission_policy

PAGE_SIZE = 50


def visible_sightings(request: HttpRequest):
    return sighting_permission_policy.instances_user_has_permission_for(request.user, SEE)


def _visible_sighting(request: HttpRequest, public_id) -> Sighting:
    return get_object_or_404(
        visible_sightings(request).select_related(
            "appeal", "police_force", "claimed_by", "duplicate_of"
        ),
        public_id=public_id,
    )


class SightingObjectMixin:
    """Generic object views find a sighting by its public id, among those one may see."""

    pk_url_kwarg = "pk"

    def get_object(self, queryset=None):
        return _visible_sighting(self.request, self.kwargs[self.pk_url_kwarg])


class SightingDetailView(SightingObjectMixin, InspectView):
    template_name = "sightings/admin/detail.html"
    any_permission_required = [SEE]

    def get_page_title(self):
        return f"Sighting {self.object.reference}"

    def get_page_subtitle(self):
        return self.object.reference

    @cached_property
    def header_more_buttons(self):
        history = reverse("sightings:history", args=[self.object.public_id])
        return [HeaderButton("History", url=history, icon_name="history")]

    def get(self, request, *args, **kwargs):
        services.sighting_view(sighting=self.object, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        sighting = self.object
        user = self.request.user
        return super().get_context_data(
            sighting=sighting,
            now=timezone.now(),
            has_photo=hasattr(sighting, "photo"),
            can_work=sighting_permission_policy.user_has_permission_for_instance(
                user, WORK, sighting
            ),
            claimed_by_me=sighting.claimed_by_id == user.pk,
            notes=sighting.notes.select_related("author"),
            assessments=sighting.assessments.select_related("assessed_by"),
            duplicates=sighting.duplicates.order_by("received_at"),
            history=SightingLogEntry.objects.for_instance(sighting)
            .select_related("user")
            .order_by("-timestamp")[:10],
            close_form=kwargs.pop("close_form", None) or CloseForm(),
            thrive_form=kwargs.pop("thrive_form", None) or ThriveForm(),
            note_form=kwargs.pop("note_form", None) or NoteForm(),
            translate_form=kwargs.pop("translate_form", None) or TranslationForm(),
            translations=sighting.translations.select_related("added_by"),
            **hand_off_context(
                sighting=sighting, user=user, form=kwargs.pop("hand_off_form", None)
            ),
            **kwargs,
        )


class SightingHistoryView(SightingObjectMixin, HistoryView):
    """Every step on the sighting, from the audit log, with Wagtail's filters."""

    any_permission_required = [SEE]

    def get_edit_url(self, instance):
        return reverse("sightings:inspect", args=[instance.public_id])

    def get_history_url(self, instance):
        return reverse("sightings:history", args=[instance.public_id])

    def get_history_results_url(self, instance):
        return reverse("sightings:history_results", args=[instance.public_id])

    @cached_property
    def header_buttons(self):
        return []


@require_POST
def sighting_act(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """One step on one sighting; a refusal is explained on the sighting's page."""
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
        elif action == "translate":
            form = TranslationForm(request.POST)
            if form.is_valid():
                services.sighting_translation_add(
                    sighting=sighting, user=request.user, **form.cleaned_data
                )
                messages.success(request, "Translation added.")
                form = None
        elif action == "hand-off":
            form = hand_off_step(request, sighting)
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
        view = SightingViewSet.detail_view_for_errors(request, sighting)
        context = view.get_context_data(**{f"{action.replace('-', '_')}_form": form})
        return view.render_to_response(context, status=400)
    return redirect("sightings:inspect", pk=sighting.public_id)


def _by_reference(request: HttpRequest, reference: str) -> Sighting | None:
    reference = reference.strip().upper()
    if not reference:
        return None
    original = visible_sightings(request).filter(reference=reference).first()
    if original is None:
        raise services.SightingRefused(f"There is no sighting {reference} that you can see.")
    return original


@require_POST
def sighting_claim_next(request: HttpRequest) -> HttpResponse:
    try:
        sighting = services.sighting_claim_next(user=request.user)
    except services.SightingRefused as refused:
        messages.error(request, refused.message)
        return redirect("sightings:index")
    if sighting is None:
        messages.info(request, "There are no unclaimed new sightings for your force.")
        return redirect("sightings:index")
    messages.success(request, f"You have claimed {sighting.reference}, the top of the queue.")
    return redirect("sightings:inspect", pk=sighting.public_id)


@never_cache
@require_POST
def sightings_print(request: HttpRequest) -> HttpResponse:
    """The selected sightings on a printable page, for the case file."""
    selected = _selected(request)
    if selected is None:
        return redirect(reverse("sightings:index") + "?" + request.POST.get("query", ""))
    rows = services.sightings_export(sightings=selected, user=request.user, export_format="print")
    response = TemplateResponse(
        request, "sightings/admin/print.html", {"sightings": rows, "now": timezone.now()}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def sightings_close_duplicates(request: HttpRequest) -> HttpResponse:
    selected = _selected(request)
    back = reverse("sightings:index") + "?" + request.POST.get("query", "")
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
    """The ticked sightings the person may see as part of their cases, or None (with a
    message) if none were. Refused, as a whole, if any was not one of those."""
    if not sighting_permission_policy.user_has_permission(request.user, SEE_CASE):
        raise Http404("No such sighting")
    ids = request.POST.getlist("ids")
    try:
        selected = sighting_permission_policy.instances_user_has_permission_for(
            request.user, SEE_CASE
        ).filter(public_id__in=ids)
        found = selected.count()
    except ValidationError as error:  # a value that is no UUID
        raise Http404("No such sighting") from error
    if not ids or not found:
        messages.error(request, "Tick at least one sighting first.")
        return None
    if found != len(set(ids)):
        raise Http404("No such sighting")
    return selected


class SightingViewSet(RecordViewSet):
    """Sightings come from the public and go by retention: nobody adds, edits or deletes."""

    model = Sighting
    name = "sightings"
    icon = "view"
    menu_label = "Sightings"
    menu_order = 140
    add_to_admin_menu = True
    index_view_class = SightingIndexView
    inspect_view_class = SightingDetailView
    history_view_class = SightingHistoryView
    inspect_view_enabled = True
    list_per_page = PAGE_SIZE
    pk_path_converter = "uuid"

    def get_permissions_to_register(self):
        # Only "view" means anything to the policy (with see_every_force, or a force).
        return super().get_permissions_to_register().filter(codename="view_sighting")

    @staticmethod
    def detail_view_for_errors(request: HttpRequest, sighting: Sighting) -> SightingDetailView:
        view_function = sighting_viewset.inspect_view
        view = view_function.view_class(**view_function.view_initkwargs)
        view.setup(request, pk=sighting.public_id)
        return view

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("claim-next/", sighting_claim_next, name="claim_next"),
            path("print/", sightings_print, name="print"),
            path("close-duplicates/", sightings_close_duplicates, name="close_duplicates"),
            path("<uuid:pk>/", self.inspect_view, name="inspect"),
            path("<uuid:pk>/history/", self.history_view, name="history"),
            path(
                "<uuid:pk>/history/results/",
                self.history_results_view,
                name="history_results",
            ),
            path("<uuid:public_id>/photo/", views.sighting_photo, name="photo"),
            path("<uuid:public_id>/<slug:action>/", sighting_act, name="act"),
        ]


sighting_viewset = SightingViewSet()
