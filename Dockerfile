# Production image: gunicorn serving the portal, static files through WhiteNoise. The same image
# runs the mail worker (`send_outbox --loop`) and the scheduler (`run_schedule`); see
# docker-compose.yml.
# The base names its Python and its Debian release (append @sha256:<digest> to pin it fully);
# every Python package comes from the lock requirements/base.txt, hashes checked;
# .dockerignore sends only what the COPY lines below take.
FROM python:3.12-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/srv/portal/static \
    MEDIA_ROOT=/srv/portal/media

RUN groupadd --gid 1000 portal && useradd --create-home --uid 1000 --gid portal portal
WORKDIR /app

# The locked dependencies first, every file checked against its hash, wheels only (nothing
# compiled here): this layer is rebuilt only when the lock changes.
COPY requirements/base.txt ./requirements/base.txt
RUN pip install --no-cache-dir --require-hashes --no-deps --only-binary=:all: -r requirements/base.txt

# Then the project itself, built by the locked setuptools (no download).
COPY pyproject.toml README.md manage.py ./
COPY portal ./portal
COPY news ./news
COPY directory ./directory
COPY maps ./maps
COPY referrals ./referrals
COPY outbox ./outbox
COPY observatory ./observatory
COPY demo ./demo
COPY devtools ./devtools
COPY events ./events
COPY sitesearch ./sitesearch
COPY opendata ./opendata
COPY accounts ./accounts
RUN pip install --no-cache-dir --no-deps --no-build-isolation .
COPY templates ./templates
COPY static ./static

# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=collectstatic-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    WAGTAILADMIN_BASE_URL=https://collectstatic.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /srv/portal/media && chown -R portal:portal /srv/portal

USER 1000:1000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["python", "-m", "portal.healthcheck"]
# The portal writes its own access line (JSON, with the request id): none from gunicorn.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
