"""Production settings plus the benchmark's reference view (never part of the site)."""

from homeward.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
