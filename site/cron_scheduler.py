"""The one scheduler of recurring jobs, which rides out Redis outages instead of dying.

RQ's CronScheduler stops for good at the first Redis error, and with it scheduled
publishing, the publicity review, every sweep and the retention purges. This one logs the
error, waits a little and carries on: a job that could not be queued is still due, so it
is queued as soon as Redis answers again (once, however many minutes were missed).
"""

import time

from django_rq.cron import DjangoCronScheduler
from redis.exceptions import RedisError
from rq.exceptions import StopRequested

# How long to wait before trying Redis again.
RECONNECT_PAUSE_SECONDS = 5.0


class ResilientCronScheduler(DjangoCronScheduler):
    def start(self) -> None:
        self.log.info("CronScheduler %s: starting...", self.name)
        self._install_signal_handlers()
        registered = False
        try:
            while True:
                try:
                    if not registered:
                        self.register_birth()
                        registered = True
                    if self.enqueue_jobs():
                        self.save()
                    self.heartbeat()
                    pause = self.calculate_sleep_interval()
                except RedisError as error:
                    # Unreachable, but also read-only during a failover, or out of memory.
                    self.log.warning(
                        "CronScheduler %s: Redis failed (%s); trying again in %s s",
                        self.name,
                        error,
                        RECONNECT_PAUSE_SECONDS,
                    )
                    pause = RECONNECT_PAUSE_SECONDS
                if pause > 0:
                    time.sleep(pause)
        except (KeyboardInterrupt, StopRequested):
            self.log.info("CronScheduler %s: stop requested", self.name)
        finally:
            try:
                self.register_death()
            except RedisError:
                self.log.warning("CronScheduler %s: could not register its end", self.name)
