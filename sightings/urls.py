from django.urls import path

from sightings import views

urlpatterns = [
    path("sightings/report/<int:appeal_id>/", views.sighting_report, name="sighting-report"),
    path("sightings/received/<str:receipt>/", views.sighting_received, name="sighting-received"),
]
