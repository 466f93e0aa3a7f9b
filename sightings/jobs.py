"""Jobs for the RQ workers. They stay thin: the work is in services."""

from sightings import services


def sighting_alert(sighting_id: int) -> None:
    services.sighting_alert_send(sighting_id=sighting_id)


def sighting_alerts_sweep() -> None:
    services.sighting_alerts_sweep()
