"""What staff may do that is no model's add, change, delete or view.

Roles (``homeward.roles``) grant these permissions like any other; code asks
``user.has_perm(SEE_EVERY_FORCE)`` and never which group someone is in, so a role's
rights are all written in one place.
"""

from django.db import models

SEE_EVERY_FORCE = "homeward.see_every_force"
READ_PUBLICITY_CHECKS = "homeward.read_publicity_checks"
SEE_LOCAL_AUTHORITY_EPISODES = "homeward.see_local_authority_episodes"


class Capability(models.Model):  # noqa: DJ008 (never has an instance to name)
    """Holds the permissions only: no table, no rows, no admin screens."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            (
                "see_every_force",
                # Which records (appeals, sightings, takedowns) someone may look at at all is
                # their own permission or role; this only widens it from one's force to all.
                "Work on every police force's appeals, sightings and takedowns, not only "
                "one's own force's",
            ),
            ("read_publicity_checks", "Read any publicity safety check's answers"),
            (
                "see_local_authority_episodes",
                # Which local authority is their local authority manager link.
                "See the episodes of the children one's local authority is responsible for",
            ),
        ]
