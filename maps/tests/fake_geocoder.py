"""A fake of the national address service on 127.0.0.1, answering like the real one."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ADDRESSES = {
    "12 rue de la république arles": {
        "label": "12 Rue de la République 13200 Arles",
        "citycode": "13004",
        "coordinates": [4.6286, 43.6766],
    },
    "1 rue de la république marseille": {
        "label": "1 Rue de la République 13002 Marseille",
        "citycode": "13202",  # an arrondissement, as the real service answers
        "coordinates": [5.3707, 43.2996],
    },
}


class FakeGeocoder:
    """mode: "ok" (default), "error" (HTTP 500) or "slow" (answers after `delay` seconds)."""

    def __init__(self):
        self.mode = "ok"
        self.delay = 2.0
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                query = parse_qs(url.query).get("q", [""])[0]
                fake.requests.append((url.path, query))
                if fake.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                found = ADDRESSES.get(query.lower().replace(",", ""))
                features = []
                if found:
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": found["coordinates"]},
                            "properties": {
                                "label": found["label"],
                                "score": 0.97,
                                "citycode": found["citycode"],
                                "type": "housenumber",
                            },
                        }
                    )
                body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body)
                except BrokenPipeError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
