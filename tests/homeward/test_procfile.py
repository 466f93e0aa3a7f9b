"""The Procfile is the one definition of the production processes: a Procfile runner can
read it, each line names what it runs, and the README quotes it as it is."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string
from honcho.environ import parse_procfile

from homeward.task_backend import WAGTAIL_TASKS_QUEUE

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def processes() -> dict[str, str]:
    return parse_procfile((REPO / "Procfile").read_text()).processes


def test_every_process_is_there_and_the_readme_quotes_each_line(processes):
    assert set(processes) == {"web", "jobs_worker", "wagtail_tasks_worker", "scheduler"}
    readme = (REPO / "README.md").read_text()
    for name, command in processes.items():
        assert f"{name}: {command}\n" in readme, name


def test_each_worker_serves_the_queue_its_jobs_go_to(processes, settings):
    assert processes["jobs_worker"].split("rqworker ")[1].startswith("default ")
    tasks_worker = processes["wagtail_tasks_worker"].split()
    queue = tasks_worker[tasks_worker.index("rqworker") + 1]
    assert queue == WAGTAIL_TASKS_QUEUE and queue in settings.RQ_QUEUES
    job_class = tasks_worker[tasks_worker.index("--job-class") + 1]
    assert job_class == "django_tasks_rq.backend.Job" and import_string(job_class)


def test_the_scheduler_loads_every_recurring_job(processes, capsys, monkeypatch):
    from homeward.cron_scheduler import ResilientCronScheduler

    monkeypatch.setattr(ResilientCronScheduler, "start", lambda self: None)
    call_command(*processes["scheduler"].split()[2:])
    assert "Scheduling 15 recurring jobs" in capsys.readouterr().out
