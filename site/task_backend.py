"""Wagtail's background tasks on RQ: queued after the commit, never failing the caller.

django-tasks' RQ backend queues a task the moment it is asked to, inside the caller's
transaction: a save that is rolled back still leaves its task behind, and a Redis error
rolls back the save itself (an appeal could not be closed while Redis was down). Here a
task is queued once the transaction commits, on the queue that the wagtail_tasks worker
serves with django-tasks' job class (see the Procfile). If Redis does not answer, the task
runs in this process instead: indexing and cache purges are quick, and must not wait for
Redis to come back. Nor must the next ones: closing an appeal queues nine tasks, and each
waiting out its own timeout on a Redis that hangs kept the person closing it waiting for
seconds, so for a moment after a failure tasks run here without asking.
"""

import logging
from functools import partial

from django.db import transaction
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import RQBackend
from redis.exceptions import RedisError

from homeward.redis import FailureMemory

logger = logging.getLogger(__name__)

WAGTAIL_TASKS_QUEUE = "wagtail_tasks"
# After a failure, how long tasks run in this process without asking Redis.
unreachable = FailureMemory(pause_seconds=2.0)


class AfterCommitRQBackend(RQBackend):
    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        task = task.using(queue_name=WAGTAIL_TASKS_QUEUE)
        self.validate_task(task)
        transaction.on_commit(partial(self._enqueue_or_run, task, args, kwargs))
        # Not queued yet: its RQ job gets an id of its own once the transaction commits.
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def _enqueue_or_run(self, task: Task, args, kwargs) -> None:
        if not unreachable.resting():
            try:
                super().enqueue(task, args, kwargs)
                return
            except RedisError:
                unreachable.failed()
                logger.warning("Queue unreachable: running %s in this process", task.name)
        try:
            task.call(*args, **kwargs)
        except Exception:
            logger.exception("Task %s failed in this process", task.name)
