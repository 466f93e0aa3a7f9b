from django.urls import path
from wagtail import hooks

from sightings import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "sightings/<int:sighting_id>/photo/",
            views.sighting_photo,
            name="sightings_photo",
        ),
    ]
