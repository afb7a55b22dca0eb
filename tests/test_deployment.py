"""The Docker stack (docker-compose.yml, deploy/Caddyfile) holds together: two web replicas
behind the reverse proxy, PostgreSQL, Redis and one worker, with health checks and the
settings the proxy's headers need. `docker compose config` validates it too where the compose
plugin is installed (not on the CI machine: no Docker there)."""

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
    assert set(SERVICES) == {"proxy", "db", "redis", "migrate", "web", "worker"}
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
    for name in ("proxy", "db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_one_worker_sends_mail_and_runs_the_periodic_commands():
    worker = SERVICES["worker"]
    assert worker["deploy"]["replicas"] == 1
    assert "send_outbox --loop" in command("worker")
    assert "run_schedule" in command("worker")


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
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.TRUSTED_PROXIES, "
        "settings.CACHES['ratelimit']['BACKEND'])"
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
    ]


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
