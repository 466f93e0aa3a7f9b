"""Jobs for the RQ workers. They stay thin: the work is in services."""


def sighting_follow_up(sighting_id: int) -> None:
    # Imported here, not at the top: the intake service queues this job (no import cycle).
    from sightings import services

    services.sighting_follow_up(sighting_id=sighting_id)


def sightings_follow_up_sweep() -> None:
    # Imported here, not at the top: the intake service queues jobs (no import cycle).
    from sightings import services

    services.sightings_follow_up_sweep()


def sightings_retention_purge() -> None:
    # Imported here, not at the top: the intake service queues jobs (no import cycle).
    from sightings import services

    services.sightings_retention_purge()


def sighting_hand_off_alert(hand_off_id: int) -> None:
    # Imported here, not at the top: the hand-off service queues this job (no import cycle).
    from sightings import services

    services.sighting_hand_off_alert_send(hand_off_id=hand_off_id)


def sighting_hand_offs_sweep() -> None:
    # Imported here, not at the top: the hand-off service queues jobs (no import cycle).
    from sightings import services

    services.sighting_hand_offs_sweep()
