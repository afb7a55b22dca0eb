"""The periodic commands of the worker: when each one runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management import get_commands

from portal import schedule

PARIS = ZoneInfo("Europe/Paris")


def at(hour, minute=0, day=1):
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


def test_every_job_is_a_command_of_the_site():
    commands = get_commands()
    assert all(job.command in commands for job in schedule.JOBS)


def test_a_restart_does_not_replay_the_daily_jobs():
    runs = schedule.first_runs(schedule.JOBS, at(10))
    by_name = {job.command: when for job, when in runs.items()}
    assert by_name["publish_scheduled"] == at(10, 5)
    assert by_name["purge_requests"] == at(3, 30, day=2)
    assert by_name["send_confirmation_reminders"] == at(8, day=2)
    assert schedule.due_jobs(runs, at(10, 4)) == []


def test_daily_jobs_come_once_a_day_at_their_time():
    runs = schedule.first_runs(schedule.JOBS, at(2))
    due = [job.command for job in schedule.due_jobs(runs, at(4, 1))]
    assert due == ["publish_scheduled", "purge_requests", "snapshot_white_zones"]
    purge = next(job for job in schedule.JOBS if job.command == "purge_requests")
    assert purge.next_after(at(3, 30)) == at(3, 30, day=2)
    assert purge.next_after(at(3, 30) - timedelta(seconds=1)) == at(3, 30)
