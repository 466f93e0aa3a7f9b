from django.urls import path

from newsletter import views

urlpatterns = [
    path("heroes/", views.hero_sign_up, name="hero-sign-up"),
    path("heroes/check-your-email/", views.hero_check_email, name="hero-check-email"),
    path("heroes/confirm/<str:token>/", views.hero_confirm, name="hero-confirm"),
    path("heroes/manage/<str:token>/", views.hero_manage, name="hero-manage"),
    path("heroes/unsubscribe/<str:token>/", views.hero_unsubscribe, name="hero-unsubscribe"),
    path("heroes/feedback/", views.hero_feedback, name="hero-feedback"),
]
