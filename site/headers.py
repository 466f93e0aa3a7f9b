"""The Content-Security-Policy, with the Wagtail admin's own policy.

django-csp writes the header; public pages get settings.CONTENT_SECURITY_POLICY, which
allows no inline script or style (public templates need none). Wagtail's admin still
uses inline scripts and styles, so every URL under /admin/ gets the looser
settings.ADMIN_CONTENT_SECURITY_POLICY instead: scoped by path, so no public page can
end up with it.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from homeward.links import is_admin_path


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
