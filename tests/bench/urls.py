from django import forms
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


class MinimalForm(forms.Form):
    location = forms.CharField(max_length=300)
    description = forms.CharField(max_length=2000)


@csrf_exempt
def minimal_form_insert(request):
    """The reference: validate a small form and insert one row."""
    form = MinimalForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (location, description) VALUES (%s, %s)",
            [form.cleaned_data["location"], form.cleaned_data["description"]],
        )
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("bench/minimal-form/", minimal_form_insert),
    path("", include("homeward.urls")),
]
