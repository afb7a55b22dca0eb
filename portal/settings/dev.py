"""Local development: debug on, a throw-away secret, mails printed to the console."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # benchmarks (`make bench`): never in production

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Static files straight from the app folders, also with DEBUG off (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One login for local trials: the second factor is offered, not required (docs/admin.md,
# "Second factor").
ADMIN_2FA_REQUIRED = env.bool("ADMIN_2FA_REQUIRED", default=False)
