"""Homeward's settings, read from the environment.

Every variable has a default that runs the site on one machine with nothing else
installed: SQLite, a file cache and jobs run in-process. Production sets DEBUG=0 and
gives a real SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL (see README).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from homeward.languages import DEFAULT_LANGUAGE, RIGHT_TO_LEFT, languages_offered
from homeward.redis import CLIENT_OPTIONS as REDIS_CLIENT_OPTIONS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in emails, social posts and share links.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_SITE_NAME = "Homeward"

INSTALLED_APPS = [
    "homeward",
    "appeals",
    "sightings",
    "newsletter",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app with the separation of duties (homeward/accounts).
    "homeward.accounts.apps.HomewardUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_rq",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so a page served from it carries them too.
    "homeward.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The URL's language, before the page cache (whose entries are per URL) and before
    # any URL is resolved.
    "homeward.languages.UrlLanguageMiddleware",
    # Partners' API requests, logged whatever their answer (none else pays for it).
    "newsletter.partner_access.PartnerAccessLogMiddleware",
    # Before sessions and auth: a cached public page costs one cache round trip.
    "homeward.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whoever is signed in is the person acting on anything the request saves.
    "homeward.accounts.rules.ActingUserMiddleware",
    # The admin needs a verified second factor (django-otp), and its sessions an idle limit.
    "django_otp.middleware.OTPMiddleware",
    "homeward.accounts.two_factor.AdminSecondFactorMiddleware",
    "homeward.accounts.sign_in.AdminSessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.context_processors.site_chrome",
            ],
        },
    },
]

# Data
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not the folder
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            # An unreachable Redis is a cache miss: pages are served from the database.
            "BACKEND": "homeward.cache_backend.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "homeward"),
            "OPTIONS": REDIS_CLIENT_OPTIONS,
        }
    }
else:
    # A file cache, not local memory: every gunicorn worker on the machine sees the same
    # entries, so purging a taken-down appeal reaches them all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# Seconds a public page may be served from the shared page cache (and any frontend
# cache). Publishing, unpublishing, moving or deleting a page purges it at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)


def rq_connection(url: str) -> dict:
    """django-rq's settings for a Redis URL, with our client options (which its URL form
    cannot carry). Workers raise the read timeout themselves for their blocking waits."""
    parts = urlsplit(url)
    return {
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": parts.port or 6379,
        "DB": int(parts.path.strip("/") or 0),
        "USERNAME": unquote(parts.username) if parts.username else None,
        "PASSWORD": unquote(parts.password) if parts.password else None,
        "SSL": parts.scheme == "rediss",
        "REDIS_CLIENT_KWARGS": REDIS_CLIENT_OPTIONS,
    }


# Jobs: RQ on Redis when REDIS_URL is set; otherwise run in-process, so a newcomer needs
# nothing else installed. Two queues, each served by its own kind of worker (Procfile):
# "default" for Homeward's jobs, "wagtail_tasks" for Wagtail's background tasks, which
# need django-tasks' job class.
RQ_QUEUES = {
    name: {**rq_connection(REDIS_URL or "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 600}
    for name in ("default", "wagtail_tasks")
}
TASKS = {
    "default": (
        # Wagtail's tasks name "default"; the backend sends them all to "wagtail_tasks".
        {
            "BACKEND": "homeward.task_backend.AfterCommitRQBackend",
            "QUEUES": ["default", "wagtail_tasks"],
        }
        if REDIS_URL
        else {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    )
}

# Sightings: reports per client per window, and how long a form may be open.
SIGHTING_RATE_LIMIT = (
    env_int("SIGHTING_RATE_LIMIT", 8),
    env_int("SIGHTING_RATE_WINDOW_SECONDS", 600),
)
SIGHTING_FORM_MIN_SECONDS = 3
SIGHTING_FORM_MAX_AGE_SECONDS = 4 * 3600
# Sightings of a closed appeal are purged this many days after it closed.
SIGHTING_RETENTION_DAYS = env_int("SIGHTING_RETENTION_DAYS", 90)
# A closed appeal's personal data (photos, description, names in its history) is purged
# this many days after it closed, leaving an anonymous record.
APPEAL_RETENTION_DAYS = env_int("APPEAL_RETENTION_DAYS", 30)
# A high-risk appeal's police risk assessment is reviewed by the owning force this often:
# its officers see it due on their dashboard, and its duty inbox is emailed once.
RISK_REVIEW_INTERVAL_HOURS = env_int("RISK_REVIEW_INTERVAL_HOURS", 24)
# How many proxies of ours add to X-Forwarded-For (0: use the connection's address).
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Sign-in (homeward/accounts): django-axes pauses a username from one address after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME (or until an administrator lifts it);
# every admin session needs a second factor, and ends when the browser closes or after
# SESSION_COOKIE_AGE without an admin request.
AUTHENTICATION_BACKENDS = [
    "homeward.accounts.sign_in.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_PAUSE_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "homeward.accounts.sign_in.locked_out"
AXES_CLIENT_IP_CALLABLE = "homeward.ratelimit.client_address"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept to count them; successes need not be
WAGTAILADMIN_USER_LOGIN_FORM = "homeward.accounts.sign_in.SessionLoginForm"
OTP_TOTP_ISSUER = "Homeward"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_IDLE_HOURS", 8) * 3600

# Internationalisation: the public site's languages (homeward/languages.py). Those offered
# publicly are PUBLIC_LANGUAGES (codes, English always); each needs its catalogue in
# site/locale and someone who reviewed it (docs/TRANSLATIONS.md).
LANGUAGE_CODE = DEFAULT_LANGUAGE
LANGUAGES = languages_offered(env_list("PUBLIC_LANGUAGES", DEFAULT_LANGUAGE))
LANGUAGES_BIDI = RIGHT_TO_LEFT
LOCALE_PATHS = [BASE_DIR / "site" / "locale"]
# Staff pages: English (the public addresses they work out carry no language prefix).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # Object storage for media: every web node and worker sees the same files.
    # Credentials, region and endpoint come from the usual AWS_* variables.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False

PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Sightings' photos: never under MEDIA_URL; served only by a view that checks who asks.
STORAGES["sightings"] = {
    "BACKEND": "homeward.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
# Images (originals and renditions) are kept here, under random names, and copied to the
# public media only while an appeal showing them is publicly visible (homeward.storage).
STORAGES["photos_private"] = {
    "BACKEND": "homeward.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "photos"},
}
if AWS_STORAGE_BUCKET_NAME:
    # The public bucket holds only what is live; the rest is in a bucket nobody reads.
    STORAGES["photos_private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"],
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
STORAGES["photos"] = {"BACKEND": "homeward.storage.PhotoStorage"}
WAGTAILIMAGES_RENDITION_STORAGE = "photos"
# Uploads stay in memory (a photo is at most 10 MB), so an original is never written
# to disk before it is re-encoded.
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

WHITENOISE_USE_FINDERS = DEBUG

# Wagtail
WAGTAILIMAGES_IMAGE_MODEL = "homeward.HomewardImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "homeward.image_forms.WholeImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Phones upload portraits of about 12 megapixels; anything far beyond is refused unread.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic"]
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: staff addresses' hashes are not sent to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# A check covers one revision: any edit during the workflow sends it back to be checked.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Only a public decision publishes an appeal when its workflow is approved.
WAGTAIL_FINISH_WORKFLOW_ACTION = "appeals.workflows.finish_workflow"
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILEMBEDS_FINDERS = []  # no third-party embeds on a safeguarding site

FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            # Wagtail's HTTP backend, but a failed purge raises: see the module.
            "BACKEND": "homeward.frontend_cache.StrictHTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

# Heroes: sign-ups per client per window; where one-click unsubscribe emails go; the
# shared secret the mail provider's bounce and complaint webhook sends.
HERO_SIGN_UP_RATE_LIMIT = (
    env_int("HERO_SIGN_UP_RATE_LIMIT", 10),
    env_int("HERO_SIGN_UP_RATE_WINDOW_SECONDS", 3600),
)
# A sign-up never confirmed is forgotten (address, choices and consent) after this many days.
HERO_UNCONFIRMED_RETENTION_DAYS = env_int("HERO_UNCONFIRMED_RETENTION_DAYS", 7)
NEWSLETTER_UNSUBSCRIBE_MAILBOX = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_MAILBOX", "unsubscribe@homeward.invalid"
)
NEWSLETTER_FEEDBACK_TOKEN = os.environ.get("NEWSLETTER_FEEDBACK_TOKEN", "")

# Social channels: each is on only when all its settings are given (see appeals/channels).
X_API_KEY = os.environ.get("X_API_KEY", "")
X_API_SECRET = os.environ.get("X_API_SECRET", "")
X_ACCESS_TOKEN = os.environ.get("X_ACCESS_TOKEN", "")
X_ACCESS_TOKEN_SECRET = os.environ.get("X_ACCESS_TOKEN_SECRET", "")
MASTODON_API_BASE_URL = os.environ.get("MASTODON_API_BASE_URL", "")
MASTODON_ACCESS_TOKEN = os.environ.get("MASTODON_ACCESS_TOKEN", "")

# Email
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Homeward <appeals@homeward.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production is HTTPS only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, homeward/headers.py). Public pages allow no inline
# script or style: their templates have none, and their scripts and styles are static
# files. Images may come from the public media's own origin when it is object storage:
# named, not guessed (a bucket's address depends on its region, endpoint and any CDN), as
# a wrong guess would block every photo on every appeal.
MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", "")
if AWS_STORAGE_BUCKET_NAME and not MEDIA_ORIGIN:
    raise ImproperlyConfigured(
        "Set MEDIA_ORIGIN to the public bucket's origin (e.g. https://bucket.s3.eu-west-2."
        "amazonaws.com, or its CDN): public pages may load images from it only."
    )
_MEDIA_ORIGINS = [MEDIA_ORIGIN] if MEDIA_ORIGIN else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *_MEDIA_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin uses inline scripts and styles, data: and blob: images (upload
# previews) and frames its own previews: this policy is for /admin/ only.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Permissions-Policy (django-permissions-policy): nothing but the sighting form's "add
# my current location", for this site only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Shown on every public page while the site holds only fictional demo appeals.
DEMO_BANNER = env_bool("DEMO_BANNER", DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every background task logs its start and end at INFO: too much to read.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
