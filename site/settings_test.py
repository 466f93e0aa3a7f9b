"""Settings for the test suite: the real settings, with test-only secrets and storage.

DATABASE_URL and REDIS_URL are honoured, so the suite runs against real PostgreSQL and
Redis when they are set and against SQLite and a local cache when they are not.
"""

import os
import tempfile
import uuid
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "test-only-" + uuid.uuid4().hex)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="homeward-test-"))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

# In a parallel run (pytest-xdist) each worker gwN has files of its own (media, static) in
# a folder of the run's VAR_DIR, which the workers inherit, and a Redis database of its
# own, the Nth after REDIS_URL's: our own keys carry the run's prefix (below), but RQ's
# queues and registries do not, and tests empty, count and run them. A run beside theirs
# (`make test` runs the production fault suite so) starts TEST_REDIS_DATABASE_OFFSET after.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker:
    os.environ["VAR_DIR"] = os.path.join(os.environ["VAR_DIR"], _worker)
_redis_offset = int(os.environ.get("TEST_REDIS_DATABASE_OFFSET") or 0)
_redis_offset += int(_worker.removeprefix("gw")) if _worker.startswith("gw") else 0
if os.environ.get("REDIS_URL") and _redis_offset:
    _redis = urlsplit(os.environ["REDIS_URL"])
    _database = int(_redis.path.strip("/") or 0) + _redis_offset
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_database}"))

from homeward.settings import *  # noqa: E402, F403 (after the environment above)
from homeward.settings import CACHES, REDIS_URL, RQ_QUEUES, STATIC_ROOT, STORAGES  # noqa: E402

# Manifest storage needs collectstatic; tests read static files from the apps.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# One key space per test run, so a shared Redis keeps runs apart.
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
else:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# Wagtail's own tasks (search and reference indexing) run in-process: no worker runs
# during tests. Tests of our jobs on the real queue start their own rqworker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Our own jobs run as they are queued (on the real Redis when REDIS_URL is set).
RQ_QUEUES["default"]["ASYNC"] = False
# Every test's client comes from 127.0.0.1; the rate limit's own tests set a low limit.
SIGHTING_RATE_LIMIT = (10_000, 600)
HERO_SIGN_UP_RATE_LIMIT = (10_000, 3600)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
