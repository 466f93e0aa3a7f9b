"""Jobs for the RQ workers. They stay thin: the work is in services."""

from sightings import services


def sighting_follow_up(sighting_id: int) -> None:
    services.sighting_follow_up(sighting_id=sighting_id)


def sightings_follow_up_sweep() -> None:
    services.sightings_follow_up_sweep()


def sightings_retention_purge() -> None:
    services.sightings_retention_purge()
