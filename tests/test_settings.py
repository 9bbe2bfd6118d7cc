"""Production settings refuse to start without their secrets (the `production_env` fixture, conftest.py)."""

import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED = ("DJANGO_SECRET_KEY", "JWT_SECRET", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY")


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


# `manage.py check --deploy` under these settings: tests/security/test_api8_misconfiguration.py (its
# production probe runs it once, alongside the other tests).


@pytest.mark.parametrize(("count", "warned"), [(None, True), ("0", True), ("1", False)])
def test_check_deploy_warns_when_production_trusts_no_proxy(production_env, count, warned):
    # Behind App Platform's load balancer every client would be counted as the balancer.
    if count is None:
        del production_env["TRUSTED_PROXY_COUNT"]
    else:
        production_env["TRUSTED_PROXY_COUNT"] = count

    result = _run([sys.executable, "manage.py", "check", "--deploy"], production_env)

    assert result.returncode == 0, result.stderr  # a warning, not an error: the app still serves
    assert ("violetvibes.W001" in result.stderr + result.stdout) is warned, result.stderr


@pytest.mark.parametrize("how", ["unset", "empty"])
def test_without_any_weather_setting_the_national_weather_service_answers_naming_the_app(production_env, how):
    del production_env["NWS_ENABLED"]  # production_environ switches it off for the other subprocesses
    if how == "empty":  # as .env.example lists them
        production_env.update(NWS_BASE_URL="", NWS_USER_AGENT="", OPENWEATHER_KEY="")
    code = "from violetvibes.settings import production as s; print(s.NWS_ENABLED, s.NWS_BASE_URL, s.NWS_USER_AGENT, sep='|')"

    result = _run([sys.executable, "-c", code], production_env)

    enabled, base_url, user_agent = result.stdout.strip().split("|")
    assert (enabled, base_url) == ("True", "https://api.weather.gov")
    assert user_agent.startswith("VioletVibes/") and "(https://" in user_agent, "the NWS asks for a way to reach the caller"
