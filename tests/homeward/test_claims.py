"""A sweep sends what is due one by one: one failure is left for the next sweep, not the end
of this one, and the clock moves on as it works (homeward.claims.sweep_each)."""

from datetime import UTC, datetime

from homeward.claims import sweep_each

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_one_failure_does_not_stop_the_sweep(caplog):
    seen = []

    def send(pk, at):
        seen.append((pk, at))
        if pk == 2:
            raise ConnectionError("the mail server went away")
        return pk != 3  # 3 was sent by someone else meanwhile

    assert sweep_each([1, 2, 3, 4], now=START, send=send, name="Test alert") == 2
    assert [pk for pk, _ in seen] == [1, 2, 3, 4]
    assert "Test alert 2 not sent; will retry" in caplog.text
    # Each is sent at the sweep's own time, or later: never earlier than it started.
    times = [at for _, at in seen]
    assert times == sorted(times) and times[0] >= START
