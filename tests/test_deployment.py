"""The Docker stack (docker-compose.yml, deploy/Caddyfile) holds together: two web replicas
behind the reverse proxy, PostgreSQL, Redis, one mail worker and one scheduler running the
list of periodic jobs, with health checks and the settings the proxy's headers need.
`docker compose config` validates it too where the compose plugin is installed (not on the
CI machine: no Docker there)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()


def command(service):
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_the_stack_has_its_services():
    assert set(SERVICES) == {"proxy", "db", "redis", "migrate", "web", "worker", "scheduler"}
    assert set(COMPOSE["volumes"]) >= {"pgdata", "media", "caddy-data"}


def test_two_stateless_web_replicas_behind_the_proxy():
    web = SERVICES["web"]
    assert web["deploy"]["replicas"] == 2
    assert "ports" not in web  # reached through the proxy only
    assert command("web").startswith("gunicorn portal.wsgi")
    environment = web["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert environment["DATABASE_URL"].split("@")[1].startswith("db:5432/")
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["TRUSTED_PROXIES"] == "1"  # Caddy is the one proxy
    assert "media:/srv/portal/media" in web["volumes"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_long_running_service_has_a_health_check():
    for name in ("proxy", "db", "redis", "web", "worker", "scheduler"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_load_balancer_checks_a_replicas_own_health():
    """A silent scheduler or old mail fails /healthz/ (monitoring), never the replicas' check:
    otherwise Caddy would take every web replica out and the site down."""
    assert "health_uri /healthz/replica/" in CADDYFILE
    assert "/healthz/replica/" in (ROOT / "portal" / "healthcheck.py").read_text()
    assert "python -m portal.healthcheck" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_one_worker_sends_the_mail():
    worker = SERVICES["worker"]
    assert worker["deploy"]["replicas"] == 1
    assert command("worker") == "python manage.py send_outbox --loop"
    assert worker["restart"] == "unless-stopped"
    assert command_of(worker["healthcheck"]["test"]).endswith("check_health database outbox")


def test_one_supervised_scheduler_runs_the_list_of_periodic_jobs():
    """The scheduler is its own process, restarted by Docker (not started with `&` beside
    another one), runs `run_schedule` (which reads portal.schedule.JOBS) and is unhealthy
    when its heartbeat is silent. No job is named in the compose file: the list is the one in
    portal/schedule.py."""
    scheduler = SERVICES["scheduler"]
    assert command("scheduler") == "python manage.py run_schedule"
    assert scheduler["restart"] == "unless-stopped"
    assert scheduler["deploy"]["replicas"] == 1
    assert command_of(scheduler["healthcheck"]["test"]).endswith("check_health scheduler")
    assert scheduler["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name, service in SERVICES.items():
        if "command" in service:
            assert "&" not in command(name), name
    text = (ROOT / "docker-compose.yml").read_text()
    from portal.schedule import JOBS

    assert not [job.command for job in JOBS if job.command in text]


def command_of(test):
    return " ".join(test[1:]) if test[0] in ("CMD", "CMD-SHELL") else " ".join(test)


def test_the_proxy_sends_the_headers_the_settings_read():
    proxy = SERVICES["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "media:/srv/media:ro" in proxy["volumes"]
    assert "dynamic a" in CADDYFILE and "name web" in CADDYFILE and "port 8000" in CADDYFILE
    assert "header_up X-Forwarded-Proto {scheme}" in CADDYFILE
    assert "trusted_proxies" not in CADDYFILE  # the client's X-Forwarded-For is dropped
    assert "respond @documents 404" in CADDYFILE  # documents only through Wagtail's view


def test_production_settings_start_with_the_stack_environment():
    """The web service's environment gives production settings that trust exactly one proxy
    and take HTTPS from X-Forwarded-Proto."""
    environment = {
        key: value
        for key, value in SERVICES["web"]["environment"].items()
        if "${" not in str(value)
    }
    env = {
        **os.environ,
        **environment,
        "SECRET_KEY": "x" * 60,
        "WAGTAILADMIN_BASE_URL": "https://clauses.example.org",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
    }
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    env.pop("SENTRY_DSN", None)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.TRUSTED_PROXIES, "
        "settings.CACHES['ratelimit']['BACKEND'], settings.SCHEDULER_EXPECTED, "
        "settings.LOGGING['handlers']['console']['formatter'], "
        "settings.MIDDLEWARE[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "1",
        "django.core.cache.backends.redis.RedisCache",
        "True",  # /healthz/ checks the scheduler's heartbeat
        "json",  # one JSON object per log line
        "portal.requestid.RequestIdMiddleware",
    ]


def test_production_reports_errors_when_sentry_dsn_is_set():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 60,
        "WAGTAILADMIN_BASE_URL": "https://clauses.example.org",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "SENTRY_ENVIRONMENT": "recette",
    }
    script = (
        "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['environment'], "
        "client.options['send_default_pii'], client.options['traces_sample_rate'], "
        "client.options['before_send'].__module__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "recette", "False", "None", "portal.error_reporting"]


def test_docker_compose_config_where_installed():
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"]).returncode != 0:
        pytest.skip("the Docker compose plugin is not installed (the YAML checks above ran)")
    result = subprocess.run(
        [docker, "compose", "config", "--quiet"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
