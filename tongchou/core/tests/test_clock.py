"""The demo clock: a demo install lives in early 2020 at a fixed offset; production has none."""

from __future__ import annotations

import datetime as dt

import time_machine

from tongchou.core import clock


def test_without_a_demo_file_the_clock_is_the_real_one(tmp_path):
    clock.load_demo_clock(tmp_path)
    assert clock.demo_date() is None
    assert abs((clock.now() - dt.datetime.now(tz=clock.SHANGHAI)).total_seconds()) < 5


def test_a_demo_clock_starts_at_nine_on_its_day_and_then_runs(tmp_path):
    with time_machine.travel(
        dt.datetime(2026, 12, 2, 23, 30, tzinfo=clock.SHANGHAI), tick=False
    ) as traveller:
        started = clock.start_demo_clock(tmp_path, dt.date(2020, 4, 15))
        assert started == dt.datetime(2020, 4, 15, 9, 0, tzinfo=clock.SHANGHAI)
        traveller.shift(dt.timedelta(hours=2))
        assert clock.now() == dt.datetime(2020, 4, 15, 11, 0, tzinfo=clock.SHANGHAI)
        # a later process reads the same offset from the data folder
        clock.reset_demo_clock()
        assert clock.now().year == 2026
        clock.load_demo_clock(tmp_path)
        assert clock.now() == dt.datetime(2020, 4, 15, 11, 0, tzinfo=clock.SHANGHAI)
        assert clock.today() == dt.date(2020, 4, 15)
        assert clock.demo_date() == dt.date(2020, 4, 15)


def test_a_demo_install_says_on_every_page_which_day_it_lives_on(tmp_path, client, db):
    assert "演示环境" not in client.get("/").content.decode()
    clock.start_demo_clock(tmp_path, dt.date(2020, 4, 15))
    page = client.get("/").content.decode()
    assert "演示环境" in page and "2020年4月15日" in page
