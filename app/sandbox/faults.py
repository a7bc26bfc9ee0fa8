"""Faults on request: the next `count` calls of an operation answer badly.

Kinds: "500" (InternalError XML), "503" (RequestThrottled), "malformed" (status 200, XML cut short),
"slow" (an answer that comes too late) and "drop" (the connection breaks mid-response). How "slow"
and "drop" look depends on how the sandbox is reached; the app decides (see mws/app.py). Operations
registered with `allow` (SP-API operationIds) take the kinds given there ("429", "expired-token", ...).
"""
from __future__ import annotations

from typing import Any

KINDS = ("500", "503", "malformed", "drop", "slow")
MAX_COUNT = 10_000


class FaultError(ValueError):
    """A fault that cannot be set; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Faults:
    def __init__(self, operations: frozenset[str] | set[str]) -> None:
        self.operations = operations      # known MWS operations; Feeds' are known before they are served
        self.kinds: dict[str, tuple[str, ...]] = {}   # operations with fault kinds of their own (SP-API)
        self._pending: dict[str, list[list[Any]]] = {}

    def allow(self, operations: frozenset[str] | set[str], kinds: tuple[str, ...]) -> None:
        """Accept faults for `operations` (another API's, e.g. SP-API operationIds) of these kinds."""
        self.kinds.update({operation: tuple(kinds) for operation in operations})

    def add(self, operation: str, kind: str, count: int = 1) -> None:
        if not isinstance(operation, str) or (operation not in self.operations and operation not in self.kinds):
            raise FaultError("operation", "operation must be an MWS operation the sandbox knows")
        kind = str(kind) if isinstance(kind, int) and not isinstance(kind, bool) else kind
        kinds = self.kinds.get(operation, KINDS)
        if kind not in kinds:
            raise FaultError("kind", f"kind must be one of {', '.join(kinds)}")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise FaultError("count", f"count must be a whole number from 1 to {MAX_COUNT}")
        self._pending.setdefault(operation, []).append([kind, count])

    def take(self, operation: str) -> str | None:
        """The fault the next call of `operation` meets, if any (spending one of its count)."""
        queue = self._pending.get(operation)
        if not queue:
            return None
        kind = queue[0][0]
        queue[0][1] -= 1
        if queue[0][1] == 0:
            queue.pop(0)
        if not queue:
            del self._pending[operation]
        return kind

    def clear(self) -> None:
        self._pending.clear()

    def pending(self) -> list[dict[str, Any]]:
        return [{"operation": op, "kind": kind, "count": count}
                for op, queue in sorted(self._pending.items()) for kind, count in queue]
