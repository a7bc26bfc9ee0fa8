"""The Dockerfile cannot be built here (no registry for base images), so its properties are read."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.upper().startswith(name + " ")]


def test_given_the_dockerfile_when_read_then_it_starts_from_a_slim_python_311_or_newer():
    (base,) = instructions("FROM")
    match = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", base.strip())
    assert match and int(match.group(1)) >= 11


def test_given_the_dockerfile_when_read_then_the_service_runs_as_a_non_root_user():
    users = instructions("USER")
    assert users and users[-1].strip() not in ("root", "0")


def test_given_the_dockerfile_when_read_then_its_healthcheck_calls_healthz():
    (check,) = instructions("HEALTHCHECK")
    assert "/healthz" in check


def test_given_the_dockerfile_when_read_then_it_starts_uvicorn_on_the_app_as_the_contract_says():
    (cmd,) = instructions("CMD")
    assert '"uvicorn"' in cmd and '"app.main:app"' in cmd


def test_given_the_dockerfile_when_read_then_it_copies_only_what_the_service_needs():
    copied = {part for line in instructions("COPY") for part in line.split()[:-1]}
    assert copied == {"pyproject.toml", "component.json", "schemas", "app"}


def test_given_the_dockerfiles_install_step_when_run_here_then_it_lists_exactly_the_main_dependencies():
    (install,) = [line for line in instructions("RUN") if "tomllib" in line]
    snippet = re.search(r'python -c "(.*?)" >', install).group(1)
    out = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True, text=True, check=True)
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert out.stdout.split() == expected


def test_given_the_compose_example_then_replicas_share_one_redis_and_reach_the_sandbox():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    component = compose["services"]["component"]
    assert component["deploy"]["replicas"] >= 3
    assert component["environment"]["QUOTA_STORE"] == "redis://redis:6379/0"
    assert {"redis", "sandbox"} <= set(compose["services"]) and set(component["depends_on"]) >= {"redis", "sandbox"}
    from app.settings import Settings

    settings = Settings.from_env({k: str(v) for k, v in component["environment"].items()})
    assert settings.quota_store.startswith("redis://") and settings.quota_store_fallback == "memory"
