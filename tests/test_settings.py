"""Production settings refuse to start without their secrets, and pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

REQUIRED = ("DJANGO_SECRET_KEY", "JWT_SECRET", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY")


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A clean environment (nothing inherited but PATH) with every required production variable."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "violetvibes.settings.production",
        "DJANGO_SECRET_KEY": "prod-like-secret-" + "k7Qz" * 16,
        "JWT_SECRET": "prod-like-jwt-secret-" + "x9Lm" * 12,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.db'}",
        "DJANGO_ALLOWED_HOSTS": "api.violetvibes.app",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=False)


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-c", "import violetvibes.settings.production"], env)


def test_production_settings_import_with_every_required_variable(production_env):
    result = _import_production(production_env)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
@pytest.mark.parametrize("how", ["unset", "empty", "blank"])
def test_production_settings_refuse_to_start_without_a_required_variable(production_env, missing, how):
    if how == "unset":
        del production_env[missing]
    else:
        production_env[missing] = "" if how == "empty" else "   "

    result = _import_production(production_env)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert f"ImproperlyConfigured: {missing} must be set" in result.stderr


def test_manage_py_check_deploy_reports_no_issues(production_env):
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
