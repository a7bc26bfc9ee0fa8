"""Every environment variable of the step contract (§1), typed and checked in one place."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0, unit: str = "milliseconds") -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of {unit}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of seconds") from None
    if value < 0:
        raise SettingsError(f"{name} must be at least 0")
    return value


def _float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number") from None
    if value <= minimum:
        raise SettingsError(f"{name} must be greater than {minimum}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "on", "true", "yes"):
        return True
    if value in ("0", "off", "false", "no"):
        return False
    raise SettingsError(f"{name} must be on or off")


def _quotas(env: Mapping[str, str]) -> dict[str, dict[str, float]]:
    raw = env.get("MWS_QUOTAS")
    if raw is None or raw.strip() == "":
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise SettingsError("MWS_QUOTAS must be a JSON object") from None
    if not isinstance(data, dict):
        raise SettingsError("MWS_QUOTAS must be a JSON object")
    # MWS's throttle groups (contract §6) and SP-API's operationIds (sp-api.md §1), as the model has them.
    from app.model import load
    from app.mws.operations import throttle_groups

    known = {**throttle_groups(), **load("spapi", "usage_plans")}
    out: dict[str, dict[str, float]] = {}
    for group, quota in data.items():
        if group not in known:
            raise SettingsError(f"MWS_QUOTAS.{group} is not a throttle group; use one of {', '.join(sorted(known))}")
        if not isinstance(quota, dict) or "max" not in quota or "restorePerSecond" not in quota:
            raise SettingsError(f"MWS_QUOTAS.{group} needs max and restorePerSecond")
        try:
            out[group] = {k: float(v) for k, v in quota.items() if k in ("max", "restorePerSecond", "hourly")}
        except (TypeError, ValueError):
            raise SettingsError(f"MWS_QUOTAS.{group} values must be numbers") from None
    return out


def _xsd_dir(env: Mapping[str, str]) -> Path | None:
    raw = env.get("MWS_XSD_DIR")
    if raw is None or raw.strip() == "":
        return None
    path = Path(raw)
    path = path if path.is_absolute() else (PROJECT_ROOT / path).resolve()
    # Checked now: a wrong folder would otherwise surface as a failure of every feed action.
    if not (path / "amzn-envelope.xsd").is_file():
        raise SettingsError(f"MWS_XSD_DIR must be a folder holding Amazon's amzn-envelope.xsd; {path} has none")
    return path


def _endpoint(env: Mapping[str, str], name: str = "MWS_ENDPOINT",
              example: str = "https://mws.amazonservices.com") -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    if not raw.lower().startswith(("http://", "https://")) or len(raw.split("://", 1)[1]) == 0:
        raise SettingsError(f"{name} must be an http(s) URL such as {example}")
    return raw


# ENDPOINT_ALLOWLIST entries: scheme://host[:port], the port may be *; a trailing / is tolerated.
_ORIGIN = re.compile(r"^(https?)://(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\*|\d{1,5}))?/?$")


def parse_origin(prefix: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) of an allow-list prefix (port: digits, "*" or "" for the scheme's own); None if malformed."""
    found = _ORIGIN.match(prefix.strip().lower())
    if not found or (found.group(3) not in (None, "*") and not 0 < int(found.group(3)) < 65536):
        return None
    return found.group(1), found.group(2), found.group(3) or ""


def _allowlist(env: Mapping[str, str]) -> tuple[str, ...]:
    entries = [e.strip() for e in (env.get("ENDPOINT_ALLOWLIST") or "").split(",") if e.strip()]
    for entry in entries:
        if parse_origin(entry) is None:  # the value is not echoed: it may be a URL with credentials in it
            raise SettingsError("ENDPOINT_ALLOWLIST must be comma-separated scheme://host[:port] prefixes "
                                "(http or https, the port may be *)")
    return tuple(entries)


def _admitted_endpoint(endpoint: str | None, allowlist: tuple[str, ...], sandbox: bool,
                       name: str = "MWS_ENDPOINT") -> str | None:
    # Amazon's hosts are each backend's model data.
    from app.mws.endpoints import MWS_HOSTS, endpoint_allowed
    from app.spapi.endpoints import API_HOSTS, LWA_HOSTS

    hosts = {"MWS_ENDPOINT": MWS_HOSTS, "SPAPI_ENDPOINT": API_HOSTS, "LWA_ENDPOINT": LWA_HOSTS}[name]
    if endpoint and not endpoint_allowed(endpoint, Settings(endpoint_allowlist=allowlist),
                                         sandbox_mounted=sandbox, amazon_hosts=hosts):
        raise SettingsError(f"{name} must be one of Amazon's https endpoints or match ENDPOINT_ALLOWLIST")
    return endpoint


def _quota_store(env: Mapping[str, str]) -> str:
    raw = (env.get("QUOTA_STORE") or "memory").strip()
    if raw == "memory" or re.match(r"^rediss?://[^\s/]+(/\d{1,2})?$", raw) or re.match(r"^unix:///\S+$", raw):
        return raw
    raise SettingsError("QUOTA_STORE must be memory or a Redis URL such as redis://host:6379/0")


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    raw = (env.get(name) or "").strip()
    if raw and raw not in allowed:
        raise SettingsError(f"{name} must be {' or '.join(allowed)}, or unset")
    return raw or None


@dataclass(frozen=True)
class Settings:
    response_check_delay_ms: int = 30_000
    throttle_retry_delay_ms: int = 30_000
    step_timeout_ms: int = 600_000
    mws_pacing: bool = True
    mws_quotas: dict[str, dict[str, float]] = field(default_factory=dict)
    mws_endpoint: str | None = None
    mws_xsd_dir: Path | None = None
    step_api_token: str | None = field(default=None, repr=False)
    sandbox: bool = False
    log_level: str = "INFO"
    sandbox_seed: int = 1
    sandbox_order_every: float = 60.0
    sandbox_time_scale: float = 1.0
    mws_http_timeout: float = 60.0  # seconds one MWS HTTP request may take (read/write/pool; connect ≤ 10 s)
    feed_dedup_window_s: int = 1200  # FEED_DEDUP_WINDOW: 0 turns the feed deduplication off
    max_body_bytes: int = 16_777_216  # MAX_BODY_BYTES: a larger request body answers 413 unread (app.api.body_limit)
    endpoint_allowlist: tuple[str, ...] = ()  # ENDPOINT_ALLOWLIST: origins admitted besides Amazon's hosts
    spapi_endpoint: str | None = None  # SPAPI_ENDPOINT: default SP-API endpoint (else by region, or the sandbox)
    lwa_endpoint: str | None = None  # LWA_ENDPOINT: default LWA token URL (else Amazon's, or the sandbox's)
    quota_store: str = field(default="memory", repr=False)  # QUOTA_STORE: "memory" or a Redis URL (may hold a password)
    quota_store_fallback: str | None = None  # QUOTA_STORE_FALLBACK: "memory" paces locally while Redis is down

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        env = os.environ if env is None else env
        level = (env.get("LOG_LEVEL") or "INFO").strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise SettingsError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        values: dict[str, Any] = dict(
            response_check_delay_ms=_int(env, "RESPONSE_CHECK_DELAY", 30_000),
            throttle_retry_delay_ms=_int(env, "THROTTLE_RETRY_DELAY", 30_000),
            step_timeout_ms=_int(env, "STEP_TIMEOUT", 600_000, minimum=1),
            mws_pacing=_flag(env, "MWS_PACING", True),
            mws_quotas=_quotas(env),
            mws_endpoint=_endpoint(env),
            mws_xsd_dir=_xsd_dir(env),
            step_api_token=env.get("STEP_API_TOKEN") or None,
            sandbox=_flag(env, "SANDBOX", False),
            log_level=level,
            sandbox_seed=_int(env, "SANDBOX_SEED", 1),
            sandbox_order_every=_float(env, "SANDBOX_ORDER_EVERY", 60.0),
            sandbox_time_scale=_float(env, "SANDBOX_TIME_SCALE", 1.0),
            mws_http_timeout=_float(env, "MWS_HTTP_TIMEOUT", 60.0),
            feed_dedup_window_s=_seconds(env, "FEED_DEDUP_WINDOW", 1200),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 16_777_216, minimum=1, unit="bytes"),
            endpoint_allowlist=_allowlist(env),
            spapi_endpoint=_endpoint(env, "SPAPI_ENDPOINT", "https://sellingpartnerapi-na.amazon.com"),
            lwa_endpoint=_endpoint(env, "LWA_ENDPOINT", "https://api.amazon.com/auth/o2/token"),
            quota_store=_quota_store(env),
            quota_store_fallback=_choice(env, "QUOTA_STORE_FALLBACK", ("memory",)),
        )
        values.update(overrides)
        for name in ("MWS_ENDPOINT", "SPAPI_ENDPOINT", "LWA_ENDPOINT"):
            key = name.lower()
            values[key] = _admitted_endpoint(values[key], values["endpoint_allowlist"], values["sandbox"], name)
        return cls(**values)
