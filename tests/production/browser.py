"""Talking to gunicorn as the public and as staff do, over real HTTP.

Members of the public send no cookies. Staff sign in to the admin; production's cookies
are Secure and the load balancer terminates TLS, so a staff browser says it came over
HTTPS (X-Forwarded-Proto), keeps its cookies by hand (they would never be sent back over
plain HTTP otherwise) and sends the Origin and Referer that Django's CSRF check wants.
"""

import re
import time
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import requests
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.second_factor import authenticator_create, fresh_totp_code

HTTP_TIMEOUT = 20
NO_ANSWER = 0  # the status recorded when the server did not answer at all
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
MEDIA_URL = re.compile(r"""(/media/[^"'\s<>)]+)""")


def media_paths(html: str) -> set[str]:
    """Every /media/ address a page shows (photos and renditions), without srcset widths."""
    return {unescape(path).split("?")[0] for path in MEDIA_URL.findall(html)}


class Visitor:
    """A member of the public: no cookies, no session."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base_url + path, allow_redirects=False, timeout=HTTP_TIMEOUT)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.http.post(
            self.base_url + path, data=data, allow_redirects=False, timeout=HTTP_TIMEOUT
        )

    def status(self, path: str) -> int:
        """The status of a GET, or NO_ANSWER if the connection failed."""
        try:
            return self.get(path).status_code
        except requests.RequestException:
            return NO_ANSWER


class StaffBrowser:
    """A member of staff signed in to the admin, as behind the TLS-terminating balancer."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.origin = "https://" + urlsplit(base_url).netloc
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def request(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if method == "POST":
            headers.update(Origin=self.origin, Referer=self.origin + path)
        response = self.http.request(
            method,
            self.base_url + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        self.http.cookies.clear()  # ours are kept below, Secure or not
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def submit(self, path: str, data: dict) -> requests.Response:
        """GET the form at ``path``, then POST ``data`` with its CSRF token."""
        form = self.get(path)
        assert form.status_code == 200, f"GET {path}: {form.status_code}"
        token = CSRF_FIELD.search(form.text)
        assert token, f"no CSRF token in {path}"
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token.group(1)})

    def sign_in(self, username: str, password: str) -> None:
        response = self.submit(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        )
        assert response.status_code == 302 and "sessionid" in self.cookies, (
            f"admin sign-in failed: {response.status_code} {response.text[:500]}"
        )
        # The second factor: a code from the authenticator app registered for them.
        device = authenticator_create(get_user_model().objects.get(username=username))
        response = self.submit(
            "/admin/second-factor/", {"code": fresh_totp_code(device), "next": "/admin/"}
        )
        assert response.status_code == 302 and response.headers["Location"] == "/admin/", (
            f"admin second factor failed: {response.status_code} {response.text[:500]}"
        )


# Sightings, as the public form sends them.


@dataclass
class Report:
    """One sighting sent through the public form, and what the site answered."""

    description: str
    with_them_now: bool
    status: int = NO_ANSWER
    location: str = ""
    answers_kept: bool = False
    error: str = ""
    reply: str = ""  # the page sent back, when it was not a receipt
    form_status: int = NO_ANSWER  # what GET of the form answered, when it was fetched here

    @property
    def accepted(self) -> bool:
        return self.status == 302 and "/sightings/received/" in self.location

    @property
    def server_error(self) -> bool:
        return self.status >= 500


def report_form_token(visitor: Visitor, appeal_id: int) -> str:
    """GET the sighting form and keep its signed token."""
    response = visitor.get(f"/sightings/report/{appeal_id}/")
    assert response.status_code == 200, f"sighting form: {response.status_code}"
    return form_token(response.text)


def form_token(html: str) -> str:
    token = TOKEN_FIELD.search(html)
    assert token, "the sighting form has no token"
    return unescape(token.group(1))


def report_answers(description: str, *, with_them_now: bool) -> dict:
    """A complete, anonymous sighting, as a phone sends the form."""
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    answers = {
        "seen_on": "" if with_them_now else yesterday,
        "seen_time": "" if with_them_now else "14:30",
        "location": "Outside the bus station on Station Parade",
        "description": description,
        "clothing": "Black puffer jacket",
        "direction": "Towards the town centre",
        "identity": "anonymous",
        "website": "",
    }
    if with_them_now:
        answers["with_them_now"] = "on"
    return answers


def report_send(visitor: Visitor, appeal_id: int, token: str, report: Report) -> Report:
    """POST the form with a token fetched earlier (at least 3 s ago, as the form needs)."""
    data = {
        "token": token,
        **report_answers(report.description, with_them_now=report.with_them_now),
    }
    try:
        response = visitor.post(f"/sightings/report/{appeal_id}/", data)
    except requests.RequestException as error:
        report.status, report.error = NO_ANSWER, str(error)
        return report
    report.status = response.status_code
    report.location = response.headers.get("Location", "")
    if response.status_code != 302:
        # Refused, but with the form again: were the reporter's answers kept?
        report.reply = response.text
        report.answers_kept = report.description in unescape(response.text)
        report.error = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())[:300]
    return report


def report_sighting(visitor: Visitor, appeal_id: int, report: Report) -> Report:
    """The whole journey: open the form, take the 3 s the form asks for, send it."""
    try:
        response = visitor.get(f"/sightings/report/{appeal_id}/")
    except requests.RequestException as error:
        report.error = f"the form did not answer: {error}"
        return report
    report.form_status = response.status_code
    if response.status_code != 200:
        report.error = f"the form answered {response.status_code}"
        return report
    time.sleep(3.2)
    return report_send(visitor, appeal_id, form_token(response.text), report)
