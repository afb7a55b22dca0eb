"""Production: every secret from the environment, HTTPS everywhere.

Refuses to start without a real SECRET_KEY or without WAGTAILADMIN_BASE_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from portal import error_reporting
from portal.logs import logging_config

from .base import *  # noqa: F403
from .base import CACHES, MEDIA_STORAGE, RATELIMIT_CACHE_TABLE, REDIS_URL, SECRET_KEY, env

DEBUG = False
PRODUCTION_SETTINGS = True  # `seed_demo` refuses to run (demo accounts with known passwords)

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "changeme")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of 50+ characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

# Links in e-mails and in the admin use it: never let it default to a development address.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="")
if not WAGTAILADMIN_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set in the environment to the public address of the "
        "site, e.g. https://clauses.example.org (links in e-mails point there)."
    )

# Every admin account of the coordination, of a facilitator or a superuser needs its second
# factor in production, whatever the environment says.
ADMIN_2FA_REQUIRED = True

# Rate-limit counters shared by every worker, never per-process memory: Redis when REDIS_URL
# is set, else the database cache (its table is created by the migrations).
if not REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATELIMIT_CACHE_TABLE,
    }
    # The page cache too: a purge made by one worker must reach every worker.
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATELIMIT_CACHE_TABLE,
        "KEY_PREFIX": "pages",
    }

STORAGES = {
    "default": MEDIA_STORAGE,  # MEDIA_ROOT, or the bucket when AWS_STORAGE_BUCKET_NAME is set
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/(replica/)?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Wagtail previews set SAMEORIGIN on their own views

# One JSON object per line (time, level, logger, message, request_id; method, path, status and
# duration on the access line of each request), for the log collector.
LOGGING = logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json_lines=env.bool("LOG_JSON", default=True),
    access_log=env.bool("ACCESS_LOG", default=True),
    wagtail_level=env("WAGTAIL_LOG_LEVEL", default="WARNING"),
)

# The periodic jobs run in one scheduler (`run_schedule`: the Docker stack's `scheduler`
# service, or cron with `run_schedule --once`); /healthz/ fails when its heartbeat is silent.
# A site that runs no scheduler at all sets SCHEDULER_EXPECTED=false.
SCHEDULER_EXPECTED = env.bool("SCHEDULER_EXPECTED", default=True)

# Errors reported to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set;
# personal data is stripped before sending (`portal.error_reporting`).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    error_reporting.init(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        release=env("SENTRY_RELEASE", default=""),
    )
