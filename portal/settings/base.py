"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (see `.env.example`); nothing secret lives here.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def tiles_origin(url):
    """The scheme and host of a tile URL template, for the Content-Security-Policy
    (`https://{s}.tile.example.org/{z}/…` gives `https://*.tile.example.org`)."""
    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('tiles-subdomain', '*')}"


environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    # Purges a CDN or caching proxy when a page is published (FRONTEND_CACHE_BACKEND).
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "leaflet",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # The project's apps come last: their post_migrate handlers (the coordinators group) run
    # after Django and Wagtail have created the permissions they hand out.
    "portal",
    "news",
    "directory",
    "maps",
    "referrals",
    "events",
    "sitesearch",
    "opendata",
    "corsheaders",
    "outbox",
    "accounts",
    "observatory",
    # Above every other app: builds the demo site from all of them (`manage.py seed_demo`).
    "demo",
]

MIDDLEWARE = [
    # Outermost: the request's id (response header, every log line, error reports) and the
    # access log line, timed around everything below.
    "portal.requestid.RequestIdMiddleware",
    # Outermost: compresses what every other middleware produced (cached pages too). Django
    # adds random bytes to compressed responses (Heal The Breach) and masks CSRF tokens anew
    # on every response, which is its answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "portal.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After the language is known, before anything reads the session or the CSRF token.
    "portal.pagecache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the login page's message
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # `date` says "1er avril" in French (`portal.dates`).
            "builtins": ["portal.templatetags.portal_dates"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections (seconds; 0 opens one per request), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait up to 20 s for it, instead
    # of failing with "database is locked" when background tasks and requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous pages (`portal.pagecache`): Redis when REDIS_URL is set (shared by every worker
# and server, so a purge reaches them all), else this process's memory (development, tests;
# production settings use the database instead). PAGE_CACHE_SECONDS=0 turns it off.
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
if REDIS_URL:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pages",
    }
else:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
# Never from the page cache: the admin, the API (rate-limited), documents, health checks,
# the directory's confirmation links (personal).
PAGE_CACHE_EXCLUDE = [
    r"/admin/",
    r"/api/",
    r"/documents/",
    r"/healthz/",
    r"/media/",
    r"/static/",
    r"/[a-z]{2}/annuaire-confirmation/",
]
# Sessions in the database (shared by every worker and server), or SESSION_ENGINE.
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Rate-limit counters (django-ratelimit) must be shared by every worker: Redis when REDIS_URL
# is set, the database cache when RATELIMIT_CACHE=database (production settings always choose
# one of the two); per-process memory only for development and tests.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_CACHE_TABLE = "portal_ratelimit_cache"
if REDIS_URL:
    CACHES[RATELIMIT_USE_CACHE] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ratelimit",
    }
elif env("RATELIMIT_CACHE", default="") == "database":
    CACHES[RATELIMIT_USE_CACHE] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATELIMIT_CACHE_TABLE,
    }
else:
    CACHES[RATELIMIT_USE_CACHE] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    }
# How many reverse proxies stand in front (nginx: 1): X-Forwarded-For is read only then.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French is the source language, English is a translation.
LANGUAGE_CODE = "fr"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# The project's catalogue (`make messages` rebuilds it from the sources), then its corrections
# of Django's and Wagtail's own French (portal/locale_overrides, kept by hand).
LOCALE_PATHS = [BASE_DIR / "portal" / "locale", BASE_DIR / "portal" / "locale_overrides"]

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Let Django serve uploaded media itself (development, small single-server deployments);
# behind a web server that serves MEDIA_ROOT, leave it off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)


def media_storage(env):
    """The storage of uploaded media (documents, images and their renditions): S3-compatible
    object storage through django-storages when AWS_STORAGE_BUCKET_NAME is set, so every web
    server sees the same files; else the folder MEDIA_ROOT.

    Image URLs are plain (no signature, `querystring_auth` off): they are public, stable and
    cacheable by a CDN. Documents never leave through a bucket URL: Wagtail's serve view
    (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`) checks their privacy settings, then streams
    them from the bucket with the portal's credentials, so the bucket only needs to let the
    public read the image prefixes (docs/operations.md, "Media on object storage")."""
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        "location": env("AWS_LOCATION", default=""),
        # "path" for MinIO, Garage and most self-hosted servers; "virtual" or auto for AWS.
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "querystring_auth": False,
        "default_acl": None,  # the bucket's policy decides (ACLs are off on new AWS buckets)
        "file_overwrite": False,  # a new upload never replaces another file of the same name
        "object_parameters": {"CacheControl": env("AWS_S3_CACHE_CONTROL", default="max-age=86400")},
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(storage):
    """The origins image URLs point to, for the Content-Security-Policy: none for local media,
    the custom domain, the endpoint (and its subdomains, for virtual-hosted buckets) or the
    AWS bucket's hosts."""
    options = storage.get("OPTIONS")
    if not options:
        return []
    if options["custom_domain"]:
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:
        origin = tiles_origin(options["endpoint_url"])
        scheme, _, host = origin.partition("://")
        return [origin, f"{scheme}://*.{host}"] if origin else []
    bucket = options["bucket_name"]
    hosts = [f"https://{bucket}.s3.amazonaws.com"]
    if options["region_name"]:
        hosts.append(f"https://{bucket}.s3.{options['region_name']}.amazonaws.com")
    return hosts


MEDIA_STORAGE = media_storage(env)
MEDIA_ON_OBJECT_STORAGE = MEDIA_STORAGE["BACKEND"] != "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Every message goes to the outbox first (the request answers at once); the `send_outbox`
# worker delivers it through EMAIL_BACKEND from the environment, with EMAIL_TIMEOUT.
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds, per SMTP operation
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mails"))
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)  # doubled at each failure
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=6 * 3600)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)  # messages per run
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)  # then sent/failed ones are deleted
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portail@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = _("Portail des clauses sociales")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Wagtail's login form with a French label on its password field.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
WAGTAILDOCS_DOCUMENT_MODEL = "portal.GuidanceDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "xlsx", "txt", "zip"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Only used on PostgreSQL: French stemming, "insertions" finds "insertion", without
        # accents ("securite" finds "sécurité"); created by sitesearch's first migration.
        "SEARCH_CONFIG": "french_unaccent",
    }
}
WAGTAIL_ENABLE_UPDATE_CHECK = False


def frontend_cache(env):
    """Wagtail's frontend-cache invalidation for a CDN or caching proxy in front of the
    portal, from FRONTEND_CACHE_BACKEND: `http-purge` (Varnish, nginx proxy_cache_purge…: a
    PURGE request to FRONTEND_CACHE_LOCATION with the page's Host), `cloudflare`
    (FRONTEND_CACHE_CLOUDFLARE_ZONEID with FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN, or its
    EMAIL and API_KEY) or `cloudfront` (FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID; AWS keys
    from the usual AWS_* variables). None when unset: nothing is purged."""
    kind = env("FRONTEND_CACHE_BACKEND", default="").strip().lower()
    backends = "wagtail.contrib.frontend_cache.backends."
    if not kind:
        return None
    if kind == "http-purge":
        location = env("FRONTEND_CACHE_LOCATION", default="")
        if not location.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                "FRONTEND_CACHE_BACKEND=http-purge needs FRONTEND_CACHE_LOCATION, the cache's "
                "address, e.g. http://varnish:6081."
            )
        config = {"BACKEND": backends + "HTTPBackend", "LOCATION": location}
    elif kind == "cloudflare":
        config = {
            "BACKEND": backends + "CloudflareBackend",
            "ZONEID": env("FRONTEND_CACHE_CLOUDFLARE_ZONEID", default=""),
        }
        token = env("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", default="")
        if token:
            config["BEARER_TOKEN"] = token
        else:
            config["EMAIL"] = env("FRONTEND_CACHE_CLOUDFLARE_EMAIL", default="")
            config["API_KEY"] = env("FRONTEND_CACHE_CLOUDFLARE_API_KEY", default="")
        if not config["ZONEID"] or not (token or (config["EMAIL"] and config["API_KEY"])):
            raise ImproperlyConfigured(
                "FRONTEND_CACHE_BACKEND=cloudflare needs FRONTEND_CACHE_CLOUDFLARE_ZONEID and "
                "FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN (or _EMAIL and _API_KEY)."
            )
    elif kind == "cloudfront":
        distribution = env("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", default="")
        if not distribution:
            raise ImproperlyConfigured(
                "FRONTEND_CACHE_BACKEND=cloudfront needs FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID."
            )
        config = {"BACKEND": backends + "CloudfrontBackend", "DISTRIBUTION_ID": distribution}
    else:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND={kind!r}: use http-purge, cloudflare or cloudfront "
            "(or leave it empty)."
        )
    return {"default": config}


FRONTEND_CACHE = frontend_cache(env)
# How long a CDN or caching proxy may keep an anonymous page (`s-maxage` of the pages the page
# cache stores): a publish purges it, a change of the directory only ages out.
FRONTEND_CACHE_SECONDS = env.int("FRONTEND_CACHE_SECONDS", default=60)
if FRONTEND_CACHE:
    WAGTAILFRONTENDCACHE = FRONTEND_CACHE
# Each translation is a page of its own, published (and purged) on its own: no URL is
# rewritten into the other language.
WAGTAILFRONTENDCACHE_LANGUAGES = []
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "simple"
# "Traduire cette page" creates the translation as a draft, whatever the source's state and
# whoever asks: it is translated, then goes through the review workflow like any page
# (`portal.translations` does the same for the parent pages it copies).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Map tiles (used by the map pages of the directory).
MAP_TILES_URL = env(
    "MAP_TILES_URL",
    default=(
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
        "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    ),
)
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default='<a href="https://www.ign.fr/">IGN</a>-F / Géoplateforme',
)
LEAFLET_CONFIG = {
    "TILES": [],
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
    "RESET_VIEW": False,
}

# Console logging with each request's id (`portal.logs`): readable lines by default, one JSON
# object per line with LOG_JSON (production's default), plus one access line per request
# with ACCESS_LOG.
LOGGING = logging_config(
    level=env("LOG_LEVEL", default="INFO"),
    json_lines=env.bool("LOG_JSON", default=False),
    access_log=env.bool("ACCESS_LOG", default=False),
    wagtail_level=env("WAGTAIL_LOG_LEVEL", default="WARNING"),
)

# Health (`portal.health`, `/healthz/`): the oldest e-mail still waiting in the outbox may be
# this old; the scheduler's heartbeat is checked when the site declares one (production), and
# may be this old (a job running longer than that shows as a silent scheduler).
OUTBOX_MAX_AGE_MINUTES = env.int("OUTBOX_MAX_AGE_MINUTES", default=30)
SCHEDULER_EXPECTED = env.bool("SCHEDULER_EXPECTED", default=False)
SCHEDULER_MAX_SILENCE_MINUTES = env.int("SCHEDULER_MAX_SILENCE_MINUTES", default=5)

WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar requests (privacy, offline)

# National address service (Géoplateforme), used through geopy's BANFrance geocoder.
GEOCODER_DOMAIN = env("GEOCODER_DOMAIN", default="data.geopf.fr/geocodage")
GEOCODER_SCHEME = env("GEOCODER_SCHEME", default="https")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)
# Lookups allowed per minute and per IP address on the public API.
LOOKUP_RATE_LIMIT = env.int("LOOKUP_RATE_LIMIT", default=60)

# Projects sent to facilitators ("Demandes").
# Coordinators who receive a copy of every request, and the requests nobody is designated for
# (the active members of the "Coordinateurs" group receive them too).
REFERRAL_COORDINATION_EMAILS = env.list("REFERRAL_COORDINATION_EMAILS", default=[])
REFERRAL_ANSWER_DAYS = env.int("REFERRAL_ANSWER_DAYS", default=5)  # promised in the acknowledgment
REFERRAL_SENDER_NAME = env(
    "REFERRAL_SENDER_NAME", default="Le réseau des facilitateurs des clauses sociales"
)
REFERRAL_RATE_LIMIT = env.int("REFERRAL_RATE_LIMIT", default=5)  # requests per hour and IP
CONTACT_RATE_LIMIT = env.int("CONTACT_RATE_LIMIT", default=5)  # messages per hour and IP
FINDER_RATE_LIMIT = env.int("FINDER_RATE_LIMIT", default=30)  # finder queries per minute and IP
SEARCH_RATE_LIMIT = env.int("SEARCH_RATE_LIMIT", default=30)  # directory searches per minute
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)  # per hour and IP
# Requests older than this are deleted by `manage.py purge_requests` (personal data, RGPD).
REFERRAL_RETENTION_DAYS = env.int("REFERRAL_RETENTION_DAYS", default=730)
# "Signaler une erreur" (directory.error_reports): reports per hour and IP, and how long they
# are kept (`manage.py purge_requests` deletes the older ones with the requests).
ERROR_REPORT_RATE_LIMIT = env.int("ERROR_REPORT_RATE_LIMIT", default=5)
ERROR_REPORT_RETENTION_DAYS = env.int("ERROR_REPORT_RETENTION_DAYS", default=365)

# Open-data API (`opendata`): readable from any site, for reading only (django-cors-headers).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Admin accounts (the `accounts` app).
# Lockout (django-axes, rules in accounts/lockout.py): LOGIN_FAILURE_LIMIT wrong passwords for
# one account lock that account for LOGIN_LOCKOUT_MINUTES (the right password too), from any
# address; one address is locked only after LOGIN_ADDRESS_FAILURE_LIMIT failures across
# accounts (a town hall behind one address is not locked by one person's typos). A locked
# person unlocks its account with a link sent to its e-mail; coordinations unlock their team's
# accounts from "Mon équipe"; `manage.py axes_reset_username <name>` / `axes_reset` still work.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
# The account always; the address too once it reached LOGIN_ADDRESS_FAILURE_LIMIT.
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
# Attempts refused during a lockout are not counted: one person retrying a locked account
# neither prolongs its lockout nor uses up its office's address limit.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Self-service unlock links ("Recevoir un lien de déblocage" on the lockout page): requests
# per hour and address; a link is valid LOGIN_UNLOCK_LINK_HOURS and once.
LOGIN_UNLOCK_RATE_LIMIT = env.int("LOGIN_UNLOCK_RATE_LIMIT", default=5)
LOGIN_UNLOCK_LINK_HOURS = env.int("LOGIN_UNLOCK_LINK_HOURS", default=24)
# Invitations sent from "Mon équipe": the link to choose a password is valid this many days.
ACCOUNT_INVITATION_DAYS = env.int("ACCOUNT_INVITATION_DAYS", default=7)
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_ip"  # the same address as the rate limits
AXES_USERNAME_FORM_FIELD = "username"
# Second factor (django-otp, TOTP apps): required for superusers and the members of the
# Coordinateurs and Facilitateurs groups when ADMIN_2FA_REQUIRED is on (always in production).
ADMIN_2FA_REQUIRED = env.bool("ADMIN_2FA_REQUIRED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Portail des clauses sociales")

# Security headers (portal.headers): a strict Content-Security-Policy on the public site (no
# inline script or style; map tiles from MAP_TILES_URL), a looser one for the Wagtail admin,
# which needs inline scripts and styles.
MAP_TILES_ORIGIN = tiles_origin(MAP_TILES_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else []),
            *media_origins(MEDIA_STORAGE),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], "blob:"],
        "frame-src": ["'self'"],  # page previews
        "frame-ancestors": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Facilitators are asked to confirm their record every N months (manage.py
# send_confirmation_reminders, from cron).
DIRECTORY_CONFIRM_MONTHS = env.int("DIRECTORY_CONFIRM_MONTHS", default=12)

# A year's consolidation becomes the public default once the national coordination publishes
# it, or once this share (0 to 1) of the expected structures have a validated report for it
# (observatory.consolidation.is_published).
OBSERVATORY_MIN_SHARE = env.float("OBSERVATORY_MIN_SHARE", default=0.8)
