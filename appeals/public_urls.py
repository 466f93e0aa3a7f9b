from django.urls import path, re_path

from appeals import public_views

urlpatterns = [
    # With or without a slash: it is typed from posters.
    re_path(
        r"^a/(?P<code>[0-9A-Za-z]{4,16})/?$",
        public_views.short_link_follow,
        name="appeal-short-link",
    ),
    path(
        "a/<slug:code>/poster-a4.pdf",
        public_views.appeal_poster,
        {"paper": "a4"},
        name="appeal-poster-a4",
    ),
    path(
        "a/<slug:code>/flyer-a5.pdf",
        public_views.appeal_poster,
        {"paper": "a5"},
        name="appeal-flyer-a5",
    ),
]
