"""The load generator of `bench_load` counts answers, statuses and failures right (against a
local server on 127.0.0.1)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from devtools.management.commands.bench_load import load


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(500 if self.path == "/bad" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_load_generator_counts_answers_and_failures():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        run = load(url, ["/ok", "/ok", "/bad"], clients=3, requests=9)
    finally:
        server.shutdown()
        server.server_close()
    assert run.count == 9
    assert run.statuses == {200: 6, 500: 3}
    assert run.failures == 3 and run.errors == 0
    assert run.rate > 0 and 0 < run.percentile(0.5) <= run.percentile(0.99)
    # Nobody listening: every request is a connection error, none an answer.
    refused = load(url, ["/ok"], clients=2, requests=4)
    assert refused.count == 0 and refused.errors == 4 and refused.failures == 4
