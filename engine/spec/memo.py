"""Remember what is worked out from a template, for as long as that template lives.

Templates are frozen, so anything computed from one (its slots, its fingerprint)
stays true for the life of the object. Parsing one form needs the slots of its
template several times, and a batch needs them again for every form.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def per_object(compute: Callable[[Any], T]) -> Callable[[Any], T]:
    """Wrap `compute(obj)` so that it runs once per live object, keyed by identity.

    An entry goes when its object is collected. A copy (`model_copy`) is a new
    object and gets its own entry, so a copy with changed fields is never served
    the original's result.
    """
    results: dict[int, tuple[weakref.ref, T]] = {}

    def forget(key: int) -> Callable[[weakref.ref], None]:
        def drop(_: weakref.ref) -> None:
            results.pop(key, None)

        return drop

    @functools.wraps(compute)
    def cached(obj: Any) -> T:
        key = id(obj)
        hit = results.get(key)
        if hit is not None and hit[0]() is obj:
            return hit[1]
        value = compute(obj)
        results[key] = (weakref.ref(obj, forget(key)), value)
        return value

    return cached
