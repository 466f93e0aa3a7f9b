"""Test data the production processes will read: made with tests/factories.py in the test
process and committed (the tests are transactional), never published here.

Publishing happens in production (Stack.call("appeals_publish", …)), so that what follows
it runs on the production processes, not in this one.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from appeals.models import AppealPage
from homeward.models import PoliceForce
from tests import factories

PASSWORD = "fault suite: correct horse battery staple"
DUTY_EMAIL = "duty@nyp.police.invalid"


def draft_appeal(**fields) -> AppealPage:
    """An appeal under the directory, with photos, not yet checked or published."""
    return factories.appeal_create(publish=False, **fields)


def staff_sign_in_details(role: str) -> tuple[str, str]:
    """A member of staff in ``role`` whose password production can check.

    The test settings hash passwords with MD5, which production does not accept; this
    one is PBKDF2 (few iterations: production upgrades the hash at sign-in).
    """
    user = factories.user_create(role=role)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user.username, PASSWORD


def duty_address_set(appeal: AppealPage) -> str:
    """The owning force's duty address, where sighting alerts go."""
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(duty_email=DUTY_EMAIL)
    return DUTY_EMAIL
