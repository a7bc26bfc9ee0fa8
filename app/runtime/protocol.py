"""The step protocol: the hooks a step module may define, each with one signature, and the
component-level hooks (credentials, their choices) that the runtime gets from its composition root.

A step module (`component.json` → `main`) is a small declared unit, like a Singer stream:

    def check(msg: dict, cfg: dict, settings: Settings) -> list[InputProblem]        # optional
    def check_snapshot(snapshot: dict) -> list[InputProblem]                          # optional
    async def process(ctx: StepContext, msg: dict) -> None                            # required
    def select_model(field: str, cfg: dict) -> dict[str, str] | None                  # optional
    def get_meta_model(cfg: dict, settings: Settings) -> {"in": schema, "out": schema} # dynamicMetadata

`check` and `check_snapshot` run before anything starts (their problems are the 422); `process`
emits through the context; `select_model` and `get_meta_model` may also be `async`. As on elastic.io,
a field whose `model` names a function of the module (`"model": "kinds"`) is answered by
`module.kinds(cfg)` when the module defines no `select_model`.

`StepHooks` wraps a module once, when it is loaded: a hook with another signature is refused there
(`StepProtocolError`), never guessed at call time. The runtime and the API import no backend:
what depends on the backend for the component as a whole (the credentials check before a step
runs, `/verify-credentials`, the credential fields' choices) is a `ComponentHooks`, given to the
runtime by `app.main.create_app`.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Protocol

from app.runtime.errors import InputProblem
from app.settings import Settings

if TYPE_CHECKING:
    from app.runtime.context import Services, StepContext

Problems = list[InputProblem]

# hook name -> its parameters, in order
SIGNATURES: dict[str, tuple[str, ...]] = {
    "check": ("msg", "cfg", "settings"),
    "check_snapshot": ("snapshot",),
    "process": ("ctx", "msg"),
    "select_model": ("field", "cfg"),
    "get_meta_model": ("cfg", "settings"),
}


class StepProtocolError(TypeError):
    """A step module whose hooks do not follow the protocol."""


def _no_problems(*_: Any) -> Problems:
    return []


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@dataclass(frozen=True)
class StepHooks:
    """A loaded step module seen through the protocol: every hook present, with one signature."""

    module: ModuleType
    check: Callable[[dict[str, Any], dict[str, Any], Settings], Any]
    check_snapshot: Callable[[dict[str, Any]], Any]
    process: Callable[["StepContext", dict[str, Any]], Awaitable[None]]
    _select_model: Callable[[str, dict[str, Any]], Any] | None
    _get_meta_model: Callable[[dict[str, Any], Settings], Any] | None

    @classmethod
    def of(cls, module: ModuleType) -> "StepHooks":
        name = getattr(module, "__name__", "?")
        for hook, params in SIGNATURES.items():
            fn = getattr(module, hook, None)
            if fn is None:
                continue
            if not callable(fn):
                raise StepProtocolError(f"{name}.{hook} is not callable")
            if len(inspect.signature(fn).parameters) != len(params):
                raise StepProtocolError(f"{name}.{hook} must take ({', '.join(params)})")
        process = getattr(module, "process", None)
        if process is None:
            raise StepProtocolError(f"{name} defines no process(ctx, msg)")
        return cls(
            module=module,
            check=getattr(module, "check", None) or _no_problems,
            check_snapshot=getattr(module, "check_snapshot", None) or _no_problems,
            process=process,
            _select_model=getattr(module, "select_model", None),
            _get_meta_model=getattr(module, "get_meta_model", None),
        )

    @property
    def has_meta_model(self) -> bool:
        return self._get_meta_model is not None

    async def select_model(self, field: str, cfg: dict[str, Any], model: Any) -> Any:
        """The choices of `field`: the module's select_model, else the function its `model` names."""
        if self._select_model is not None:
            return await maybe_await(self._select_model(field, cfg))
        named = getattr(self.module, model, None) if isinstance(model, str) else None
        if callable(named):
            return await maybe_await(named(cfg))
        return None

    async def get_meta_model(self, cfg: dict[str, Any], settings: Settings) -> Any:
        if self._get_meta_model is None:
            return None
        return await maybe_await(self._get_meta_model(cfg, settings))


class ComponentHooks(Protocol):
    """What the component as a whole does that depends on the backend behind the credentials."""

    def check_cfg(self, cfg: Mapping[str, Any], settings: Settings, *, sandbox_mounted: bool) -> Problems:
        """Problems of the credentials before any step runs (required fields by backend, endpoints)."""

    async def verify_credentials(self, cfg: Mapping[str, Any], services: "Services") -> tuple[bool, str | None]:
        """One attempt at Amazon: (verified, reason when not)."""

    def select_model(self, field: str, cfg: Mapping[str, Any]) -> dict[str, str] | None:
        """Choices of a credential field (the marketplaces), or None."""

    def variant(self, cfg: Mapping[str, Any]) -> str | None:
        """The schema variant of this cfg (`schemas/<variant>/...`), None for the default schemas."""


class NoComponentHooks:
    """A component without backend hooks (test fixtures): nothing to check, credentials taken as
    verified (elastic.io's rule when a component has no verifier), no credential choices."""

    def check_cfg(self, cfg: Mapping[str, Any], settings: Settings, *, sandbox_mounted: bool) -> Problems:
        return []

    async def verify_credentials(self, cfg: Mapping[str, Any], services: "Services") -> tuple[bool, str | None]:
        return True, None

    def select_model(self, field: str, cfg: Mapping[str, Any]) -> dict[str, str] | None:
        return None

    def variant(self, cfg: Mapping[str, Any]) -> str | None:
        return None
