"""System checks of the portal's own settings."""

from django.conf import settings
from django.core import checks

SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def ratelimit_cache_is_shared(app_configs, **kwargs):
    """With `check --deploy`: the rate-limit counters must live in a cache shared by every
    worker (each gunicorn worker would otherwise count alone and let N times the limit by)."""
    name = settings.RATELIMIT_USE_CACHE
    backend = settings.CACHES.get(name, {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Error(
            f"The rate-limit cache {name!r} uses {backend or 'no backend'}, which every worker "
            "holds on its own: the limits would not hold.",
            hint="Set REDIS_URL, or RATELIMIT_CACHE=database (production settings do so).",
            id="portal.E001",
        )
    ]
