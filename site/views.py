from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """Liveness for the load balancer: the process answers, nothing more."""
    return HttpResponse("ok", content_type="text/plain")
