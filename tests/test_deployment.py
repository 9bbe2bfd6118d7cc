"""What builds and starts the service: the Python it runs on, the Makefile, the App Platform spec."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parent.parent


# --- One Python: .python-version (App Platform's buildpack reads it), pyproject, ruff, the Makefile ------
def _python_version() -> str:
    return (REPO / ".python-version").read_text().strip()


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def test_python_version_is_a_major_minor_the_tests_run_on():
    assert re.fullmatch(r"3\.\d+", _python_version())
    assert _python_version() == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_pyproject_admits_that_python_and_no_other_minor_release():
    major, minor = map(int, _python_version().split("."))
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])

    assert f"{major}.{minor}.0" in requires and f"{major}.{minor}.99" in requires
    assert f"{major}.{minor + 1}.0" not in requires and f"{major}.{minor - 1}.99" not in requires
    assert _pyproject()["tool"]["ruff"]["target-version"] == f"py{major}{minor}"


def test_the_makefile_creates_the_virtualenv_with_that_python(tmp_path):
    assert f"python{_python_version()} -m venv" in _make_dry_run("run", tmp_path / "venv")


# --- The Makefile (dry runs: `make -n` prints what it would do) ------------------------------------------
def _make_dry_run(target: str, venv: Path, **environ: str) -> str:
    env = {name: value for name, value in os.environ.items() if name not in {"WEB_CONCURRENCY", "PORT", "HOST", "PYTHON", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "-n", target, f"VENV={venv}"], cwd=REPO, env={**env, **environ}, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _installed(venv: Path, *stamps: str) -> None:
    """A virtualenv as `make` leaves it, with these install stamps."""
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch(mode=0o755)
    for stamp in stamps:
        (venv / "bin" / stamp).touch()


def _gunicorn_line(output: str) -> str:
    return next(line for line in output.splitlines() if "bin/gunicorn" in line)


def test_make_run_installs_the_runtime_requirements_only_with_progress(tmp_path):
    output = _make_dry_run("run", tmp_path / "venv")

    installs = [line for line in output.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert installs == [f"{tmp_path}/venv/bin/python -m pip install -r requirements.txt"]
    assert "Installing the service's requirements" in output


def test_make_test_installs_the_development_requirements(tmp_path):
    output = _make_dry_run("test", tmp_path / "venv")

    assert f"{tmp_path}/venv/bin/python -m pip install -r requirements-dev.txt" in output


def test_make_install_installs_the_development_tools_too(tmp_path):
    # bench/stack runs `make install`, and bench/fuzz_stack then runs schemathesis.
    assert "pip install -r requirements-dev.txt" in _make_dry_run("install", tmp_path / "venv")


def test_make_test_after_make_run_still_installs_the_development_tools(tmp_path):
    _installed(tmp_path / "venv", ".installed-runtime")

    assert "pip install" not in _make_dry_run("run", tmp_path / "venv")
    assert "pip install -r requirements-dev.txt" in _make_dry_run("test", tmp_path / "venv")


def test_make_run_after_make_test_installs_nothing(tmp_path):
    _installed(tmp_path / "venv", ".installed-runtime", ".installed-dev")

    assert "pip install" not in _make_dry_run("run", tmp_path / "venv")
    assert "pip install" not in _make_dry_run("test", tmp_path / "venv")


def test_make_run_leaves_workers_to_gunicorn_conf(tmp_path):
    line = _gunicorn_line(_make_dry_run("run", tmp_path / "venv", WEB_CONCURRENCY="3"))

    assert "--workers" not in line and "-w " not in line
    assert line.startswith(f"{tmp_path}/venv/bin/gunicorn ")  # WEB_CONCURRENCY=3 reaches gunicorn.conf.py
    assert "--config gunicorn.conf.py --bind 127.0.0.1:8000" in line


def test_make_run_with_the_empty_variables_of_env_example_serves_on_its_defaults(tmp_path):
    line = _gunicorn_line(_make_dry_run("run", tmp_path / "venv", WEB_CONCURRENCY="", PORT="", HOST=""))

    # gunicorn itself fails on an empty WEB_CONCURRENCY: it is removed from its environment.
    assert line.startswith("env -u WEB_CONCURRENCY ")
    assert line.endswith("--bind 127.0.0.1:8000")


def test_make_run_serves_on_the_port_asked_for(tmp_path):
    assert _gunicorn_line(_make_dry_run("run", tmp_path / "venv", PORT="9000")).endswith("--bind 127.0.0.1:9000")


# --- The App Platform spec ---------------------------------------------------------------------------------
# App Platform's current instance sizes (docs.digitalocean.com/products/app-platform/details/pricing/)
# and whether a component of that size may run more than one instance. basic-* and professional-*
# are the legacy plans, of apps created before May 2024, due to be retired.
INSTANCE_SIZES = {
    "apps-s-1vcpu-0.5gb": False,
    "apps-s-1vcpu-1gb-fixed": False,
    "apps-s-1vcpu-1gb": True,
    "apps-s-1vcpu-2gb": True,
    "apps-s-2vcpu-4gb": True,
    **dict.fromkeys(
        ("apps-d-1vcpu-0.5gb", "apps-d-1vcpu-1gb", "apps-d-1vcpu-2gb", "apps-d-1vcpu-4gb", "apps-d-2vcpu-4gb", "apps-d-2vcpu-8gb", "apps-d-4vcpu-8gb", "apps-d-4vcpu-16gb", "apps-d-8vcpu-32gb"),
        True,
    ),
}


@pytest.fixture(scope="module")
def app_spec() -> dict:
    return yaml.safe_load((REPO / ".do" / "app.yaml").read_text())


def test_every_component_has_a_current_instance_size(app_spec):
    components = app_spec["services"] + app_spec["jobs"]

    assert {component["name"]: component["instance_size_slug"] in INSTANCE_SIZES for component in components} == {
        component["name"]: True for component in components
    }


def test_a_service_of_several_instances_has_a_size_that_scales(app_spec):
    for service in app_spec["services"]:
        if service.get("instance_count", 1) > 1:
            assert INSTANCE_SIZES[service["instance_size_slug"]], service["name"]


def test_the_platform_builds_with_the_python_of_python_version_and_runtime_requirements(app_spec):
    # The buildpack reads .python-version at the repository root; every build installs requirements.txt.
    assert (REPO / ".python-version").is_file() and not (REPO / "runtime.txt").exists()
    for component in app_spec["services"] + app_spec["jobs"]:
        assert component["environment_slug"] == "python"
        assert "pip install -r requirements.txt" in component["build_command"]
