"""The mail worker: delivers the outbox."""

import signal

from django.core.management.base import BaseCommand

from outbox import queue


class Command(BaseCommand):
    help = (
        "Sends the e-mails waiting in the outbox (retries with backoff, gives up after "
        "OUTBOX_MAX_ATTEMPTS). Run it from cron every minute, or once with --loop as a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="keep running, sending as messages arrive"
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between runs with --loop"
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="give the messages that failed for good a new set of attempts first",
        )

    def handle(self, *args, loop=False, interval=5.0, retry_failed=False, **options):
        if retry_failed:
            self.stdout.write(f"{queue.retry_failed()} failed message(s) queued again.")
        if not loop:
            self.report(queue.send_due())
            return
        stopping = []

        def stop(*_args):
            stopping.append(True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Sending the outbox every {interval:g} s (Ctrl-C to stop).")
        queue.run_forever(interval, lambda: bool(stopping), self.report)

    def report(self, counts):
        self.stdout.write(
            "{sent} sent, {retry} to retry later, {failed} failed for good.".format(**counts)
        )
