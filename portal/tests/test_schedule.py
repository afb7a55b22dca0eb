"""The periodic jobs: one list (`portal.schedule.JOBS`) that holds every periodic command of the
project, that docs/operations.md shows as it is, and that the scheduler runs at the right times,
with a heartbeat, whatever a job does."""

import io
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class

from portal import schedule
from portal.models import SchedulerHeartbeat
from tests.project import project_apps

PARIS = ZoneInfo("Europe/Paris")
OPERATIONS = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text(encoding="utf-8")


def at(hour, minute=0, day=1, month=12, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def job(command):
    return next(job for job in schedule.JOBS if job.command == command)


def test_every_job_is_a_command_of_the_site():
    commands = get_commands()
    missing = [job.command for job in schedule.JOBS if job.command not in commands]
    assert not missing, f"scheduled but no such command: {missing}"


def periodic_commands():
    """The project's commands whose Command class says `periodic = True`."""
    ours = set(project_apps())
    found = set()
    for name, app in get_commands().items():
        if app.split(".")[0] in ours and getattr(load_command_class(app, name), "periodic", False):
            found.add(name)
    return found


def test_every_periodic_command_of_the_project_is_scheduled():
    periodic = periodic_commands()
    assert {"follow_up_requests", "purge_requests", "snapshot_white_zones"} <= periodic
    scheduled = {job.command for job in schedule.JOBS}
    assert not periodic - scheduled, f"periodic but not in JOBS: {sorted(periodic - scheduled)}"


def test_overdue_requests_are_followed_up_every_hour():
    follow_up = job("follow_up_requests")
    assert follow_up.next_after(at(10, 5)) == at(11, 5)
    assert follow_up.describe() == "hourly at :05"


def test_the_operations_doc_shows_the_list_as_it_is():
    shown = re.search(r"<!-- jobs: [^>]*-->\n(.*?)\n<!-- jobs: end -->", OPERATIONS, re.S)
    assert shown, "docs/operations.md lost its table of periodic jobs"
    assert shown.group(1) == schedule.markdown_table()


def test_cron_runs_the_scheduler_and_no_job_on_its_own_line():
    cron_lines = [
        line
        for block in re.findall(r"```cron\n(.*?)```", OPERATIONS, re.S)
        for line in block.splitlines()
        if "manage.py" in line
    ]
    assert any(line.endswith("manage.py run_schedule --once") for line in cron_lines)
    for line in cron_lines:
        command = line.split("manage.py", 1)[1].split()[0]
        assert command not in {job.command for job in schedule.JOBS}, line


def test_a_restart_does_not_replay_the_daily_jobs():
    runs = schedule.first_runs(schedule.JOBS, at(10))
    by_name = {job.command: when for job, when in runs.items()}
    assert by_name["publish_scheduled"] == at(10, 5)
    assert by_name["follow_up_requests"] == at(10, 5)
    assert by_name["purge_requests"] == at(3, 30, day=2)
    assert by_name["send_confirmation_reminders"] == at(8, day=2)
    assert schedule.due_jobs(runs, at(10, 4)) == []


def test_daily_jobs_come_once_a_day_at_their_time():
    runs = schedule.first_runs(schedule.JOBS, at(2))
    due = [job.command for job in schedule.due_jobs(runs, at(4, 1))]
    assert due == [
        "publish_scheduled",
        "follow_up_requests",
        "purge_requests",
        "clearsessions",
        "axes_reset_logs",
        "snapshot_white_zones",
    ]
    purge = job("purge_requests")
    assert purge.next_after(at(3, 30)) == at(3, 30, day=2)
    assert purge.next_after(at(3, 30) - timedelta(seconds=1)) == at(3, 30)


def test_times_are_the_sites_across_a_change_of_the_clocks():
    """On 28 March 2027 Paris goes from 02:00 to 03:00: the 03:30 job still runs at 03:30
    local time, one hour of UTC after the 02:00 of the previous night would suggest."""
    purge = job("purge_requests")
    assert purge.next_after(at(12, day=27, month=3, year=2027)) == at(
        3, 30, day=28, month=3, year=2027
    )
    night = schedule.Job("x", "30 2 * * *", "")
    # 02:30 does not exist that night: the next one is the following night's.
    assert night.next_after(at(12, day=27, month=3, year=2027)) == at(
        2, 30, day=29, month=3, year=2027
    )


def test_cron_expressions_are_checked():
    weekly = schedule.Job("x", "0 6 * * 1", "")
    assert weekly.next_after(at(10)) == at(6, day=7)  # 1 Dec 2026 is a Tuesday
    assert schedule.Job("x", "15,45 8-9 * * *", "").next_after(at(8, 20)) == at(8, 45)
    for wrong in ("* * * *", "61 * * * *", "*/0 * * * *", "a * * * *"):
        with pytest.raises(ValueError):
            schedule.Job("x", wrong, "")


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_next_one_runs(caplog):
    """A command that raises (here follow_up_requests refusing --date without --dry-run) does
    not stop the pass: it is logged with its traceback (and so reported), the next job runs,
    and the heartbeat is written."""
    failing = schedule.Job("follow_up_requests", "5 * * * *", "", args=("--date", "2026-12-01"))
    sessions = schedule.Job("clearsessions", "5 * * * *", "")
    runs = schedule.first_runs([failing, sessions], at(10))
    out = io.StringIO()
    with (
        caplog.at_level(logging.INFO, logger="portal.schedule"),
        time_machine.travel(at(10, 6), tick=False),
    ):
        outcomes = schedule.run_pass(runs, at(10, 6), stdout=out, stderr=out)
    assert outcomes == {"follow_up_requests": False, "clearsessions": True}
    (failure,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert failure.getMessage() == "Job follow_up_requests failed"
    assert "--date is only for --dry-run" in str(failure.exc_info[1])
    assert runs[failing] == runs[sessions] == at(11, 5)
    assert SchedulerHeartbeat.objects.get().beat_at == at(10, 6)


@pytest.mark.django_db
def test_cron_runs_the_jobs_of_its_minute_and_beats():
    out = io.StringIO()
    with time_machine.travel(at(3, 30), tick=False):
        call_command("run_schedule", "--once", stdout=out)
    assert "request(s) older than" in out.getvalue()  # purge_requests ran
    assert "département(s) recorded" not in out.getvalue()  # snapshot_white_zones: at 04:00
    assert schedule.last_beat() == at(3, 30)


@pytest.mark.django_db
def test_cron_hears_of_a_failed_job(monkeypatch):
    monkeypatch.setattr(
        schedule, "JOBS", [schedule.Job("follow_up_requests", "* * * * *", "", args=("--date",))]
    )
    with pytest.raises(SystemExit) as exit_code:
        call_command("run_schedule", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_code.value.code == 1
