"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh environment holding only what the test gives it."""
    bare = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "homeward.settings"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**bare, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "appeals.homeward.example",
        **extra,
    }


def test_production_settings_pass_the_deploy_checks_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_mistyped_boolean_is_refused_not_guessed():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "sqlite3 filebased ImmediateBackend"),
        (
            {
                "DATABASE_URL": "postgres://homeward@db.internal:5432/homeward",
                "REDIS_URL": "redis://cache.internal:6379/0",
            },
            "postgresql cache_backend AfterCommitRQBackend",
        ),
    ],
    ids=["embedded-defaults", "production-services"],
)
def test_services_come_from_the_environment(env, expected):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'].rsplit('.', 1)[1],"
        " s.CACHES['default']['BACKEND'].rsplit('.', 2)[1],"
        " s.TASKS['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    result = run_manage("shell", "-c", code, **production_env(**env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
