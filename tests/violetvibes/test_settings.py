"""Production settings refuse to start without their secrets (the `production_env` fixture, conftest.py)."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("DJANGO_SECRET_KEY", "JWT_SECRET", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY", "REDIS_URL")


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


def test_production_says_why_it_needs_a_shared_cache(production_env):
    del production_env["REDIS_URL"]

    result = _import_production(production_env)

    assert "REDIS_URL must be set for violetvibes.settings.production: conversation memory and rate limits" in result.stderr


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


# --- Environment reads: empty means the default (.env.example) ------------------------------------
ENV_EXAMPLE_SHELL = "set -a; . ./.env.example; set +a; exec \"$@\""


def _with_env_example(args: list[str]) -> subprocess.CompletedProcess:
    """`args` run after `set -a; . ./.env.example`, with nothing else inherited but PATH."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    return _run(["bash", "-c", ENV_EXAMPLE_SHELL, "bash", *args], env)


def test_env_example_exported_as_it_is_passes_manage_check():
    result = _with_env_example([sys.executable, "manage.py", "check"])

    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_env_example_exported_as_it_is_starts_gunicorn():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))

    result = _with_env_example([gunicorn, "--check-config", "--config", "gunicorn.conf.py", "violetvibes.wsgi:application"])

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_variable_reads_as_its_default(monkeypatch, value):
    from violetvibes.settings.base import env, env_bool, env_float, env_int, env_list

    for name in ("VV_TEXT", "VV_BOOL", "VV_INT", "VV_FLOAT", "VV_LIST"):
        monkeypatch.setenv(name, value)

    assert env("VV_TEXT", "fallback") == "fallback"
    assert env_bool("VV_BOOL", True) is True
    assert env_int("VV_INT", 7) == 7
    assert env_float("VV_FLOAT", 2.5) == 2.5
    assert env_list("VV_LIST", "a,b") == ["a", "b"]


@pytest.mark.parametrize("reader", ["env_int", "env_float"])
def test_a_number_that_does_not_parse_names_its_variable(monkeypatch, reader):
    from violetvibes.settings import base

    monkeypatch.setenv("GUNICORN_TIMEOUT_OF_A_TEST", "thirty")

    with pytest.raises(ImproperlyConfigured, match="GUNICORN_TIMEOUT_OF_A_TEST"):
        getattr(base, reader)("GUNICORN_TIMEOUT_OF_A_TEST", 30)


@pytest.mark.parametrize("entry_point", ["manage.py", "violetvibes/wsgi.py"])
def test_an_empty_settings_module_variable_means_the_local_settings(entry_point):
    code = (
        "import os, runpy, sys; sys.argv = ['manage.py', 'diffsettings']; "
        f"runpy.run_path({entry_point!r}, run_name='__main__' if {entry_point!r} == 'manage.py' else 'wsgi'); "
        "print('SETTINGS', os.environ['DJANGO_SETTINGS_MODULE'])"
    )
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", "DJANGO_SETTINGS_MODULE": ""}

    result = _run([sys.executable, "-c", code], env)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "SETTINGS violetvibes.settings.local" in result.stdout


# --- A value that does not parse stops the start, naming its variable ------------------------------
@pytest.mark.parametrize("value", ["true", "TRUE", "1", "yes", "On"])
def test_a_true_switch_reads_as_true_in_any_case(monkeypatch, value):
    from violetvibes.settings.base import env_bool

    monkeypatch.setenv("VV_SWITCH", value)

    assert env_bool("VV_SWITCH", False) is True


@pytest.mark.parametrize("value", ["false", "False", "0", "no", "OFF"])
def test_a_false_switch_reads_as_false_in_any_case(monkeypatch, value):
    from violetvibes.settings.base import env_bool

    monkeypatch.setenv("VV_SWITCH", value)

    assert env_bool("VV_SWITCH", True) is False


@pytest.mark.parametrize("value", ["flase", "ture", "2", "enabled", "y"])
def test_a_misspelt_switch_is_an_error_not_false(monkeypatch, value):
    from violetvibes.settings.base import env_bool

    monkeypatch.setenv("VV_SWITCH", value)

    with pytest.raises(ImproperlyConfigured, match=f"VV_SWITCH must be true or false .*not '{value}'"):
        env_bool("VV_SWITCH", True)


def _import_base(monkeypatch: pytest.MonkeyPatch, **variables: str) -> dict:
    """settings/base.py run afresh (the imported module is left alone) with these variables set."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "violetvibes" / "settings" / "base.py"))


BAD_VALUES = [
    ("DJANGO_DEBUG", "flase"),
    ("RATELIMIT_ENABLE", "flase"),
    ("NWS_ENABLED", "nope"),
    # django-ratelimit reads the front of a rate only: "120/M" would be 120 a second, "10m" a crash
    # on the first request.
    ("RATELIMIT_DEFAULT", "10m"),
    ("RATELIMIT_DEFAULT", "120/M"),
    ("RATELIMIT_DEFAULT", "120/minute"),
    ("RATELIMIT_DEFAULT", "5/0m"),
    ("RATELIMIT_DEFAULT", "120 / m"),
    ("TRUSTED_PROXY_COUNT", "one"),
    ("TRUSTED_PROXY_COUNT", "-1"),
    ("OUTBOUND_CONNECT_TIMEOUT", "0"),
    ("OUTBOUND_READ_TIMEOUT", "6s"),
    ("OUTBOUND_RETRIES", "-1"),
    ("GEMINI_TIMEOUT_SECONDS", "0"),
    ("GEMINI_TIMEOUT_SECONDS", "nan"),
    ("GEMINI_TIMEOUT_SECONDS", "8 seconds"),
    ("LOG_LEVEL", "verbose"),
    ("LOG_FORMAT", "jsno"),
    ("ALLOWED_ORIGINS", "app.example.com"),
    ("ALLOWED_ORIGINS", "https://app.example.com/path"),
    ("GOOGLE_PLACES_BASE_URL", "places.googleapis.com"),
    ("GOOGLE_ROUTES_BASE_URL", "ftp://routes.googleapis.com"),
    ("GOOGLE_MAPS_BASE_URL", "https://"),
    ("OPENWEATHER_BASE_URL", "https://api.openweathermap.org:port"),
    ("NWS_BASE_URL", "api.weather.gov"),
    ("GEMINI_BASE_URL", "127.0.0.1:9000"),
    ("ENGAGE_BASE_URL", "engage.nyu.edu"),
    ("BROOKLYN_BRIDGE_PARK_BASE_URL", "www.brooklynbridgepark.org"),
    ("DOWNTOWN_BROOKLYN_BASE_URL", "//www.downtownbrooklyn.com"),
    ("NYC_PARKS_BASE_URL", "nycgovparks"),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_stops_the_settings_naming_its_variable(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name} must be .*, not {re.escape(repr(value))}\.$"):
        _import_base(monkeypatch, **{name: value})


@pytest.mark.parametrize(
    ("name", "value", "url"),
    [
        ("DB_CONN_MAX_AGE", "-1", {"DATABASE_URL": "sqlite:///vv-test.db"}),
        ("DB_CONN_MAX_AGE", "10m", {"DATABASE_URL": "sqlite:///vv-test.db"}),
        ("REDIS_RETRY_AFTER_SECONDS", "10m", {"REDIS_URL": "redis://127.0.0.1:1/0"}),
        ("REDIS_RETRY_AFTER_SECONDS", "-5", {"REDIS_URL": "redis://127.0.0.1:1/0"}),
    ],
)
def test_a_bad_value_read_with_its_url_is_named(monkeypatch, name, value, url):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name} must be a whole number >= 0, not '{value}'"):
        _import_base(monkeypatch, **url, **{name: value})


def test_several_origins_name_the_one_that_is_not_an_origin(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"^ALLOWED_ORIGINS must be .*, not 'https://app.example.com/path'"):
        _import_base(monkeypatch, ALLOWED_ORIGINS="https://ok.example.com, https://app.example.com/path")


# What a URL or key variable holds may be a secret (a password in DATABASE_URL or REDIS_URL): the
# error names the variable and at most the scheme.
SECRET_BAD_VALUES = [
    ("DATABASE_URL", "mysql://violet:hunter2-secret@db:3306/vv", "mysql://…"),
    ("DATABASE_URL", "postgres://violet:hunter2-secret@db:notaport/vv", "postgres://…"),
    ("DATABASE_URL", "violet:hunter2-secret@db/vv", None),
    ("REDIS_URL", "db.example.com:6379", None),
    ("REDIS_URL", "http://default:hunter2-secret@cache:6379/0", "http://…"),
    ("REDIS_URL", "redis://default:hunter2-secret@cache:port/0", "redis://…"),
    ("FIELD_ENCRYPTION_KEY", "hunter2-secret", None),
]


@pytest.mark.parametrize(("name", "value", "shown"), SECRET_BAD_VALUES)
def test_a_bad_secret_value_is_named_without_repeating_it(monkeypatch, name, value, shown):
    with pytest.raises(ImproperlyConfigured, match=f"^{name} must be ") as raised:
        _import_base(monkeypatch, **{name: value})

    message = str(raised.value)
    assert "hunter2" not in message
    assert (f"not {shown!r}" in message) if shown else ", not " not in message


def test_a_second_encryption_key_that_is_not_one_is_named_by_its_place(monkeypatch):
    from cryptography.fernet import Fernet

    with pytest.raises(ImproperlyConfigured, match=r"^FIELD_ENCRYPTION_KEY must be .*key 2 is not one"):
        _import_base(monkeypatch, FIELD_ENCRYPTION_KEY=f"{Fernet.generate_key().decode()},short")


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"RATELIMIT_DEFAULT": "5/10s"}, {"RATELIMIT_DEFAULT": "5/10s"}),
        ({"RATELIMIT_DEFAULT": "1000/h"}, {"RATELIMIT_DEFAULT": "1000/h"}),
        ({"LOG_LEVEL": "debug", "LOG_FORMAT": "JSON"}, {"LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json"}),
        ({"TRUSTED_PROXY_COUNT": "0", "RATELIMIT_ENABLE": "Off"}, {"RATELIMIT_ENABLE": False}),
        ({"REDIS_URL": "rediss://default:pw@cache.example.com:25061/0"}, {"REDIS_URL": "rediss://default:pw@cache.example.com:25061/0"}),
        ({"REDIS_URL": "unix:///run/redis.sock"}, {"REDIS_URL": "unix:///run/redis.sock"}),
        ({"GEMINI_BASE_URL": "http://127.0.0.1:9000"}, {"GEMINI_BASE_URL": "http://127.0.0.1:9000"}),
        ({"ALLOWED_ORIGINS": "https://app.example.com, http://localhost:8081"}, {"CORS_ALLOWED_ORIGINS": ["https://app.example.com", "http://localhost:8081"]}),
        ({"DATABASE_URL": "postgres://violet:pw@db.example.com:25060/vv?sslmode=require"}, {"DATABASE_URL": "postgres://violet:pw@db.example.com:25060/vv?sslmode=require"}),
    ],
)
def test_good_values_read_as_given(monkeypatch, variables, expected):
    module = _import_base(monkeypatch, **variables)

    assert {name: module[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_SECURE_SSL_REDIRECT", "flase"), ("DJANGO_SECURE_HSTS_SECONDS", "1y"), ("ALLOWED_ORIGINS", "violetvibes.app")],
)
def test_production_stops_on_a_bad_value_of_its_own_variables(production_env, name, value):
    production_env[name] = value

    result = _import_production(production_env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be " in result.stderr


def test_manage_py_stops_on_a_rate_that_is_not_one():
    """The issue's case: RATELIMIT_DEFAULT=10m used to start and crash every request it limited."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", "RATELIMIT_DEFAULT": "10m"}

    result = _run([sys.executable, "manage.py", "check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: RATELIMIT_DEFAULT must be a rate such as \"120/m\"" in result.stderr


# --- Weak and known secrets ------------------------------------------------------------------------------
LONG = "k3V9-pQ7x-" * 5  # 50 characters, many distinct: the shape of a real secret


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("JWT_SECRET", "a", id="jwt-one-char"),
        pytest.param("JWT_SECRET", "0123456789abcdef0123456789abcde", id="jwt-31-chars"),
        pytest.param("JWT_SECRET", "ab" * 32, id="jwt-two-distinct-chars"),
        pytest.param("JWT_SECRET", "dev-secret-change-me", id="jwt-flask-dev-default"),
        pytest.param("JWT_SECRET", "dev-only-jwt-secret-not-for-production-use-0123456789abcdef", id="jwt-local-default"),
        pytest.param("DJANGO_SECRET_KEY", "short", id="django-short"),
        pytest.param("DJANGO_SECRET_KEY", "dev-only-django-secret-key-not-for-production-use-0123456789", id="django-local-default"),
        pytest.param("DJANGO_SECRET_KEY", "django-insecure-" + LONG, id="django-startproject-key"),
        pytest.param("LEGACY_JWT_SECRET", "dev-secret-change-me", id="legacy-flask-dev-default"),
        pytest.param("LEGACY_JWT_SECRET", "a", id="legacy-one-char"),
        pytest.param("LEGACY_JWT_SECRET", "DEV-SECRET-CHANGE-ME", id="legacy-default-any-case"),
    ],
)
def test_production_settings_refuse_a_weak_or_known_secret(production_env, name, value):
    production_env[name] = value

    result = _import_production(production_env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} " in result.stderr, result.stderr[-500:]
    if len(value) >= 16:  # (a short one is a word of the message too)
        assert value not in result.stderr.splitlines()[-1]  # the message names the variable, not the value


@pytest.mark.parametrize("name", ["DJANGO_SECRET_KEY", "JWT_SECRET", "LEGACY_JWT_SECRET"])
def test_production_settings_accept_a_long_random_secret(production_env, name):
    production_env[name] = LONG

    assert _import_production(production_env).returncode == 0


def test_the_bench_stack_secrets_pass_the_production_checks(production_env):
    """bench/stack serves the production settings with secrets of its own (and profile_request.py)."""
    stack = (settings.BASE_DIR / "bench" / "stack").read_text()
    for name in ("DJANGO_SECRET_KEY", "JWT_SECRET"):
        production_env[name] = stack.split(f'export {name}="${{{name}:-', 1)[1].split("}", 1)[0]

    result = _import_production(production_env)

    assert result.returncode == 0, result.stderr[-500:]
