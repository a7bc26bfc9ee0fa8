"""Every environment variable of contract §1, typed and checked at start-up."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
XSD = ROOT.parent / "shared" / "amazon-reference" / "xsd"


def test_given_no_variables_when_read_then_the_contract_defaults_hold():
    s = Settings.from_env({})
    assert (s.response_check_delay_ms, s.throttle_retry_delay_ms, s.step_timeout_ms) == (30_000, 30_000, 600_000)
    assert s.mws_pacing is True and s.mws_quotas == {} and s.mws_endpoint is None and s.mws_xsd_dir is None
    assert s.step_api_token is None and s.sandbox is False and s.log_level == "INFO"


def test_given_every_variable_when_read_then_each_is_typed():
    s = Settings.from_env({
        "RESPONSE_CHECK_DELAY": "1000", "THROTTLE_RETRY_DELAY": "200", "STEP_TIMEOUT": "5000", "MWS_PACING": "off",
        "MWS_QUOTAS": '{"ListOrders": {"max": 10, "restorePerSecond": 0.5}}', "MWS_ENDPOINT": "http://127.0.0.1:9000",
        "STEP_API_TOKEN": "t", "SANDBOX": "1", "LOG_LEVEL": "debug", "ENDPOINT_ALLOWLIST": "http://127.0.0.1:9000"})
    assert (s.response_check_delay_ms, s.throttle_retry_delay_ms, s.step_timeout_ms) == (1000, 200, 5000)
    assert s.mws_pacing is False and s.mws_quotas == {"ListOrders": {"max": 10.0, "restorePerSecond": 0.5}}
    assert s.mws_endpoint == "http://127.0.0.1:9000" and s.sandbox is True and s.log_level == "DEBUG"
    assert s.step_api_token == "t" and "step_api_token" not in repr(s)  # the token is left out of the repr


def test_given_a_relative_xsd_dir_when_read_then_it_resolves_against_the_project_root():
    if not XSD.is_dir():
        pytest.skip("../shared is not beside the project")
    assert Settings.from_env({"MWS_XSD_DIR": "../shared/amazon-reference/xsd"}).mws_xsd_dir == XSD.resolve()


@pytest.mark.parametrize("env, named", [
    ({"RESPONSE_CHECK_DELAY": "abc"}, "RESPONSE_CHECK_DELAY"),
    ({"STEP_TIMEOUT": "0"}, "STEP_TIMEOUT"),
    ({"MWS_PACING": "sometimes"}, "MWS_PACING"),
    ({"SANDBOX": "2"}, "SANDBOX"),
    ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL"),
    ({"MWS_QUOTAS": "[1]"}, "MWS_QUOTAS"),
    ({"MWS_QUOTAS": '{"Nope": {"max": 1, "restorePerSecond": 1}}'}, "MWS_QUOTAS.Nope"),
    ({"MWS_QUOTAS": '{"ListOrders": {"max": 1}}'}, "MWS_QUOTAS.ListOrders"),
    ({"MWS_ENDPOINT": "notaurl"}, "MWS_ENDPOINT"),
    ({"MWS_XSD_DIR": "/nonexistent"}, "MWS_XSD_DIR"),
    ({"SANDBOX_TIME_SCALE": "0"}, "SANDBOX_TIME_SCALE"),
])
def test_given_a_bad_value_when_read_then_a_settings_error_names_the_variable(env, named):
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_given_a_bad_variable_when_uvicorn_starts_the_app_then_one_json_line_names_it_and_the_process_exits():
    env = {"PATH": "/usr/bin:/bin", "MWS_XSD_DIR": "/nonexistent"}
    run = subprocess.run([sys.executable, "-c", "import app.main; app.main.app"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and '"level": "CRITICAL"' in run.stderr and "MWS_XSD_DIR" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("raw, expected", [(None, "memory"), ("memory", "memory"),
                                           ("redis://redis:6379/0", "redis://redis:6379/0"),
                                           ("rediss://user:pw@cache.internal:6380", "rediss://user:pw@cache.internal:6380")])
def test_given_quota_store_then_memory_or_a_redis_url(raw, expected):
    env = {} if raw is None else {"QUOTA_STORE": raw}
    assert Settings.from_env(env).quota_store == expected


@pytest.mark.parametrize("name, raw", [("QUOTA_STORE", "mysql://x"), ("QUOTA_STORE", "redis://a b"),
                                       ("QUOTA_STORE_FALLBACK", "disk")])
def test_given_a_bad_quota_store_setting_then_start_up_refuses_it(name, raw):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: raw})


def test_given_a_redis_url_with_a_password_then_the_settings_repr_hides_it():
    assert "pw" not in repr(Settings.from_env({"QUOTA_STORE": "redis://:pw@redis:6379/0"}))
