"""The partners' access log: kept in Redis by the request, moved to the database by the
minute's flush, and never lost when Redis does not answer."""

import pytest
import redis
from django.conf import settings

from newsletter import partner_access
from newsletter.models import Partner, PartnerAccess
from newsletter.partner_keys import grant_of
from newsletter.services.partner_accesses import partner_accesses_flush
from newsletter.services.partner_keys import partner_key_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant():
    partner = Partner.objects.create(organisation="Gazette", email="desk@gazette.example")
    return grant_of(partner_key_create(partner=partner, name="CMS", user=None)[1])


@pytest.mark.skipif(not settings.REDIS_URL, reason="the buffer is in Redis")
def test_requests_wait_in_redis_and_the_flush_writes_each_once(grant):
    partner_access.access_record(grant=grant, endpoint="/api/v1/appeals", status=200, rate_key="r")
    partner_access.access_record(grant=grant, endpoint="/api/v1/appeals", status=304, rate_key="r")
    assert not PartnerAccess.objects.exists()

    assert partner_accesses_flush() == 2
    assert partner_accesses_flush() == 0
    assert sorted(PartnerAccess.objects.values_list("status", flat=True)) == [200, 304]


@pytest.mark.skipif(not settings.REDIS_URL, reason="the buffer is in Redis")
def test_a_request_of_a_key_deleted_since_is_dropped_not_a_failed_flush(grant):
    partner_access.access_record(grant=grant, endpoint="/api/v1/appeals", status=200, rate_key="r")
    Partner.objects.all().delete()
    assert partner_accesses_flush() == 0


def test_without_an_answer_from_redis_the_row_is_written_at_once(grant, monkeypatch):
    class Unreachable:
        def pipeline(self, **options):
            return self

        def __getattr__(self, name):
            return lambda *args, **kwargs: self

        def execute(self):
            raise redis.ConnectionError("down")

    monkeypatch.setattr(partner_access, "redis_client", lambda url: Unreachable())
    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:1/0")
    partner_access.access_record(grant=grant, endpoint="/api/v1/appeals", status=200, rate_key="r")
    assert PartnerAccess.objects.get().status == 200
