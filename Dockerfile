# Production image: gunicorn serving the portal, static files through WhiteNoise. The same image
# runs the mail worker (`send_outbox --loop`) and the scheduler (`run_schedule`); see
# docker-compose.yml.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/srv/portal/static \
    MEDIA_ROOT=/srv/portal/media

RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY pyproject.toml README.md ./
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
RUN pip install --no-cache-dir .
COPY . .

# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=collectstatic-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    WAGTAILADMIN_BASE_URL=https://collectstatic.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /srv/portal/media && chown -R portal /srv/portal

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["python", "-m", "portal.healthcheck"]
# The portal writes its own access line (JSON, with the request id): none from gunicorn.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
