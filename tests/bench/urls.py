from django import forms
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from sightings.forms import SightingForm
from sightings.selectors import appeal_taking_sightings


class MinimalForm(forms.Form):
    location = forms.CharField(max_length=300)
    description = forms.CharField(max_length=2000)


def _insert_row(location: str, description: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (location, description) VALUES (%s, %s)",
            [location, description],
        )


@csrf_exempt
def minimal_form_insert(request):
    """The reference: validate a small form and insert one row."""
    form = MinimalForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    _insert_row(form.cleaned_data["location"], form.cleaned_data["description"])
    return HttpResponse("ok", status=201)


@csrf_exempt
def sighting_form_insert(request, appeal_id: int):
    """A floor: the reference view with the sighting form's questions instead of two.

    The sighting POST validates this same form, so it cannot cost less than this view
    (it also checks the rate limit and the token, stores a fuller row and queues its
    follow-up): how far this falls short of the reference bounds the ratio we can reach.
    """
    form = SightingForm(request.POST, appeal=appeal_taking_sightings(appeal_id=appeal_id))
    if not form.is_valid():
        return HttpResponse(status=400)
    _insert_row(form.cleaned_data["location"], form.cleaned_data["description"])
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("bench/minimal-form/", minimal_form_insert),
    path("bench/sighting-form/<int:appeal_id>/", sighting_form_insert),
    path("", include("homeward.urls")),
]
