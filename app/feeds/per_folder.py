"""Work done once per XSD folder and kept for the process (compiling amzn-envelope.xsd costs ~1 s
and 40 MB), thread-safe: a second caller waits for the first instead of doing it again."""
from __future__ import annotations

import threading
from functools import wraps
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def once_per_folder(build: Callable[[Path], T]) -> Callable[[Path], T]:
    done: dict[Path, T] = {}
    lock = threading.Lock()

    @wraps(build)
    def get(folder: Path) -> T:
        key = Path(folder).resolve()
        value = done.get(key)
        if value is None:
            with lock:
                value = done.get(key)
                if value is None:
                    value = done[key] = build(key)
        return value

    return get
