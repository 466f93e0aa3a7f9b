"""Signing in to the admin: the lock-out after repeated failures (django-axes), a login
form without "remember me", and the admin session's idle limit."""

import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.account import password_reset_enabled

from homeward.links import is_admin_path

# The same words whether or not the username exists: the pause is per username and
# address, counted for any username typed.
LOCKED_OUT_MESSAGE = (
    "Too many failed attempts to sign in with this username from your network. "
    "Try again in {minutes} minutes, or ask an administrator to lift the pause."
)
# An admin session is refreshed at most this often, so a busy page costs no write each.
SESSION_REFRESH_SECONDS = 60
_SEEN_KEY = "homeward_admin_seen"


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins: code that checks a password without a request
    (nothing to count it against) goes on to the next backend instead of failing."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username and address: the sign-in page again,
    with a message that says nothing about whether the account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    messages.error(request, LOCKED_OUT_MESSAGE.format(minutes=minutes))
    context = {
        "form": SessionLoginForm(request),
        "show_password_reset": password_reset_enabled(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "wagtailadmin/login.html", context, status=429)


class SessionLoginForm(LoginForm):
    """Wagtail's login form without "remember me": an admin session always ends when the
    browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["remember"]


class AdminSessionIdleMiddleware:
    """An admin session lives SESSION_COOKIE_AGE after its last admin request: each admin
    request (at most one a minute) saves the session, which moves its expiry on. Public
    pages never touch the session, so they never write one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path_info) and request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(_SEEN_KEY, 0) >= SESSION_REFRESH_SECONDS:
                request.session[_SEEN_KEY] = now
        return self.get_response(request)
