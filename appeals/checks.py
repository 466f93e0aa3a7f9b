"""System checks (``manage.py check``, run by ``make test`` and at every start)."""

from django.core import checks

from appeals.models import AppealTakedown
from appeals.services.takedown import takedown_steps


@checks.register()
def takedown_steps_cleared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every takedown step has something to clear it: one that nothing clears would leave
    every takedown unfinished (safe, but never done)."""
    clearing = takedown_steps()
    return [
        checks.Error(
            f"Nothing clears the takedown step {step.label!r} ({step.value}).",
            hint="Register it with the register_takedown_step hook (appeals.lifecycle_hooks).",
            id="appeals.E001",
        )
        for step in AppealTakedown.Step
        if step not in clearing
    ]
