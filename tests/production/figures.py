"""Each scenario's figures: one line on the console, and JSON for the CI artifacts.

Each scenario's figures are added to the JSON list in ``faults.json`` in ARTIFACTS_DIR
(var/test-artifacts/ by default); the file stays one valid JSON document.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings


@dataclass
class Figures:
    scenario: str
    tried: int = 0
    lost: int = 0
    duplicated: int = 0
    errors_5xx: int = 0
    # Seconds from the end of the fault (or the action) to the right state, if reached.
    recovery_s: float | None = None
    passed: bool = False
    details: dict = field(default_factory=dict)

    def line(self) -> str:
        recovery = "never" if self.recovery_s is None else f"{self.recovery_s:.1f} s"
        extra = "".join(f", {key} {value}" for key, value in self.details.items())
        return (
            f"[{self.scenario}] {'PASS' if self.passed else 'FAIL'}: tried {self.tried}, "
            f"lost {self.lost}, duplicated {self.duplicated}, 5xx {self.errors_5xx}, "
            f"recovery {recovery}{extra}"
        )


def figures_record(figures: Figures) -> None:
    print("\n" + figures.line())
    # Beside the browser journeys' screenshots (tests/e2e/conftest.py).
    folder = os.environ.get("ARTIFACTS_DIR", settings.BASE_DIR / "var" / "test-artifacts")
    path = Path(folder) / "faults.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        recorded = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        recorded = []
    recorded.append({**asdict(figures), "at": datetime.now(UTC).isoformat(timespec="seconds")})
    path.write_text(json.dumps(recorded, indent=2, default=str) + "\n")
