"""The second factor in the admin: every /admin/ URL needs a verified session, and the
pages to set up the authenticator app, verify a code and renew recovery codes; plus an
administrator's "reset second factor" and "lift sign-in pause" for someone else."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from homeward.accounts import services
from homeward.links import is_admin_path

SECOND_FACTOR_URL_NAME = "accounts_second_factor"
# What a signed-in but unverified person may still reach under /admin/.
OPEN_URL_NAMES = frozenset(
    {
        SECOND_FACTOR_URL_NAME,
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    }
)


class AdminSecondFactorMiddleware:
    """Sends a signed-in person whose session has no verified second factor to set one up
    or verify it, from every /admin/ URL. After django-otp's OTPMiddleware, which gives
    ``request.user.is_verified()``. Public pages are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            is_admin_path(request.path_info)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and _url_name(request.path_info) not in OPEN_URL_NAMES
        ):
            return redirect_to_login(
                request.get_full_path(), login_url=reverse(SECOND_FACTOR_URL_NAME)
            )
        return self.get_response(request)


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="Six digits from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": ""}),
    )

    def __init__(self, *args, setting_up=False, **kwargs):
        super().__init__(*args, **kwargs)
        if setting_up:  # there are no recovery codes yet
            self.fields["code"].help_text = "The six digits your authenticator app shows now."


def _next_url(request) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("code")
def second_factor(request):
    """Verify the second factor, or set it up when there is none yet."""
    user = request.user
    form = CodeForm(request.POST or None)
    if services.second_factor_registered(user):
        if form.is_valid():
            device = services.second_factor_verify(user=user, token=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("code", "That code did not work. Check it and try again.")
        return TemplateResponse(
            request,
            "accounts/second_factor_verify.html",
            {"form": form, "next": _next_url(request)},
        )

    device = services.second_factor_start(user=user)
    form = CodeForm(request.POST or None, setting_up=True)
    if form.is_valid():
        codes = services.second_factor_confirm(user=user, token=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return _recovery_codes_page(request, codes)
        form.add_error("code", "That code did not work. Check the app's clock and try again.")
    qr_code = segno.make(device.config_url, error="m")
    return TemplateResponse(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code_svg": qr_code.svg_inline(scale=5, title="QR code for your authenticator app"),
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@never_cache
def recovery_codes(request):
    """New recovery codes for oneself (the old ones stop working)."""
    if request.method != "POST":
        return TemplateResponse(request, "accounts/recovery_codes_renew.html", {})
    return _recovery_codes_page(request, services.recovery_codes_renew(user=request.user))


def _recovery_codes_page(request, codes):
    return TemplateResponse(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


def _person_action(request, pk, *, service, title, explanation, done):
    """GET asks to confirm, POST does it; refused (403) for oneself or a superuser."""
    person = get_object_or_404(get_user_model(), pk=pk)
    services.sign_in_change_check(actor=request.user, user=person)
    if request.method == "POST":
        service(actor=request.user, user=person)
        messages.success(request, done.format(person=person.get_username()))
        return redirect("wagtailusers_users:edit", person.pk)
    return TemplateResponse(
        request,
        "accounts/person_action_confirm.html",
        {"person": person, "title": title, "explanation": explanation},
    )


@never_cache
def second_factor_reset(request, pk):
    return _person_action(
        request,
        pk,
        service=services.second_factor_reset,
        title="Reset second factor",
        explanation="Their authenticator app and recovery codes stop working; they set up "
        "a new app the next time they sign in.",
        done="{person} sets up a new authenticator app at their next sign-in.",
    )


@never_cache
def sign_in_unlock(request, pk):
    return _person_action(
        request,
        pk,
        service=services.sign_in_unlock,
        title="Lift sign-in pause",
        explanation="Failed sign-in attempts for this username are forgotten, so they can "
        "sign in again at once.",
        done="{person} can sign in again.",
    )
