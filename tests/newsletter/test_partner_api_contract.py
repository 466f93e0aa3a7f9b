"""The partners' API against its own OpenAPI schema, on a real server: schemathesis
generates requests from the schema (valid and not), and every answer must be documented,
well-formed, and free of anything never public."""

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from homeward.models import PoliceForce
from newsletter.models import Partner
from newsletter.services.partner_keys import partner_key_create
from tests import factories

# A live server reads what the test wrote: the rows must be committed, and the roles' groups
# (made by migrations) restored after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A value in every never-public field of the live appeal, each one distinctive.
SECRETS = {
    "case_reference": "NY-SECRET-31337",
    "police_risk_reason": "Secretreason Zebracrossing",
    "local_authority": "Hiddenshire County Council",
}


@pytest.fixture
def partner_key() -> str:
    partner = Partner.objects.create(
        organisation="Moorland Radio",
        email="news@moorland.example",
        briefings=True,
        vetted_on=timezone.localdate(),
    )
    partner.areas.set(PoliceForce.objects.filter(slug="north-yorkshire-police"))
    return partner_key_create(partner=partner, name="Newsroom", user=None, may_read_briefings=True)[
        1
    ]


@pytest.fixture
def api_schema(live_server, partner_key):
    council = factories.local_authority_create(SECRETS["local_authority"])
    factories.appeal_create(
        title="Testperson Contract",
        case_reference=SECRETS["case_reference"],
        police_risk_level="low",
        police_risk_reason=SECRETS["police_risk_reason"],
        in_care=True,
        local_authority=council,
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 15),
        translations=({"language": "uk"},),
    )
    factories.appeal_closed(factories.appeal_create(title="Testperson Closed"))
    factories.appeal_create(title="Testperson Restricted", check={"decision": "restricted"})
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


def test_every_answer_matches_the_schema_and_holds_nothing_never_public(api_schema, partner_key):
    # Hypothesis drives schemathesis's cases for each operation (its pytest plugin's lazy
    # fixtures do not run under this pytest).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_by_the_contract(case):
            response = case.call_and_validate(headers={"Authorization": f"Bearer {partner_key}"})
            for value in SECRETS.values():
                assert value not in response.text

        answers_by_the_contract()
