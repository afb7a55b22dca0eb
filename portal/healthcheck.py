"""Container health check of a web replica: `python -m portal.healthcheck` exits 0 when
/healthz/replica/ (the database and caches this process needs) answers 200. The site's whole
health, outbox and scheduler included, is /healthz/, for monitoring: a silent scheduler must
not take every web replica out of the load balancer.

It talks to gunicorn on 127.0.0.1 with the first allowed host name and the HTTPS header the
reverse proxy would send, so neither ALLOWED_HOSTS nor the HTTPS redirect gets in the way.
"""

import os
import sys
import urllib.request


def main():
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz/replica/",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
