"""Working days and the delays of a request (`referrals.delays`), on fixed dates."""

import datetime
import zoneinfo

import pytest

from referrals import delays

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
D = datetime.date


def at(day, hour=10, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def test_weekends_and_french_public_holidays_are_not_working_days():
    assert delays.is_working_day(D(2027, 5, 14))  # Friday
    assert not delays.is_working_day(D(2027, 5, 15))  # Saturday
    assert not delays.is_working_day(D(2027, 5, 16))  # Sunday
    assert not delays.is_working_day(D(2027, 5, 17))  # Whit Monday
    assert delays.holiday_name(D(2027, 5, 17)) == "Lundi de Pentecôte"
    for holiday in (D(2026, 5, 1), D(2026, 5, 8), D(2026, 5, 14), D(2026, 7, 14), D(2026, 11, 11)):
        assert not delays.is_working_day(holiday), holiday
    assert delays.holiday_name(D(2026, 12, 25)) == "Noël"
    # Metropolitan France: Good Friday (Alsace-Moselle only) is a working day.
    assert delays.is_working_day(D(2027, 3, 26))
    assert delays.holiday_name(D(2027, 3, 26)) == ""


def test_a_request_sent_on_the_friday_before_whit_monday(settings):
    """Friday 14 May 2027, the Friday before Whit Monday: five working days are Tue 18,
    Wed 19, Thu 20, Fri 21 and Mon 24 May."""
    settings.REFERRAL_ANSWER_DAYS = 5
    plan = delays.schedule(at(D(2027, 5, 14), 17, 30))
    assert plan == delays.Schedule(
        received=D(2027, 5, 14),
        answer_due=D(2027, 5, 24),
        reminder_on=D(2027, 5, 25),
        escalation_due=D(2027, 5, 31),
        escalation_on=D(2027, 6, 1),
    )
    assert delays.due_date(at(D(2027, 5, 14))) == D(2027, 5, 24)
    assert delays.due_date(at(D(2027, 5, 14)), days=1) == D(2027, 5, 18)


def test_the_year_end_holidays_stretch_the_delay(settings):
    settings.REFERRAL_ANSWER_DAYS = 5
    # Thursday 24 December 2026: Christmas, the weekend, then New Year's Day (a Friday).
    plan = delays.schedule(at(D(2026, 12, 24)))
    assert plan.answer_due == D(2027, 1, 4)  # Mon 28, Tue 29, Wed 30, Thu 31, Mon 4
    assert plan.reminder_on == D(2027, 1, 5)
    assert plan.escalation_due == D(2027, 1, 11)
    assert plan.escalation_on == D(2027, 1, 12)


def test_the_day_of_reception_is_that_of_paris():
    # 23:30 UTC on Friday is 01:30 on Saturday in Paris: received on Saturday.
    late = datetime.datetime(2027, 5, 14, 23, 30, tzinfo=datetime.UTC)
    assert delays.local_date(late) == D(2027, 5, 15)
    assert delays.due_date(late, days=1) == D(2027, 5, 18)
    early = datetime.datetime(2027, 5, 14, 21, 30, tzinfo=datetime.UTC)  # 23:30 in Paris
    assert delays.local_date(early) == D(2027, 5, 14)


def test_the_setting_gives_the_delay(settings):
    settings.REFERRAL_ANSWER_DAYS = 2
    assert delays.due_date(D(2027, 5, 14)) == D(2027, 5, 19)
    assert delays.schedule(D(2027, 5, 14)).escalation_due == D(2027, 5, 21)
    settings.REFERRAL_ANSWER_DAYS = 0  # nonsense: one day at least
    assert delays.due_date(D(2027, 5, 14)) == D(2027, 5, 18)


def test_the_step_follows_the_calendar(settings):
    settings.REFERRAL_ANSWER_DAYS = 5
    received = at(D(2027, 5, 14))
    assert delays.step(received, today=D(2027, 5, 14)) == delays.Step.ON_TIME
    assert delays.step(received, today=D(2027, 5, 24)) == delays.Step.ON_TIME  # last day
    assert delays.step(received, today=D(2027, 5, 25)) == delays.Step.OVERDUE
    assert delays.step(received, today=D(2027, 5, 31)) == delays.Step.OVERDUE
    assert delays.step(received, today=D(2027, 6, 1)) == delays.Step.ESCALATION


@pytest.mark.parametrize("days", [1, 5, 10])
def test_the_sql_limit_agrees_with_the_step_on_every_day(settings, days):
    """A request is past the delay exactly when it was received before the limit: checked
    for every reception day and every day of two months around Whit Monday and Christmas."""
    settings.REFERRAL_ANSWER_DAYS = days
    for start in (D(2027, 4, 20), D(2026, 12, 1)):
        span = [start + datetime.timedelta(days=n) for n in range(60)]
        for today in span:
            limit = delays.received_before_for_overdue(today)
            for received in span:
                if received > today:
                    break
                moment = at(received, 23, 59)
                late = delays.step(moment, today) != delays.Step.ON_TIME
                assert (moment < limit) == late, (received, today)
