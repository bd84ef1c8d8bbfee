"""Time contenders side by side: the median CPU time of interleaved runs.

Other work on a shared machine slows every contender of a round alike, so each
round runs every contender in turn, and a figure is only ever compared with
figures of the same rounds.

A contender that takes a few milliseconds runs several times in a row within one
sample, as forms are read one after another in a batch: the timer's resolution
and one slow call then weigh less, and the garbage collector runs when it would in
use. Between samples a full collection runs untimed, so that garbage left by one
contender is not collected on the next one's time.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable

# A sample of a fast contender lasts at least this long (seconds of CPU time).
SAMPLE_SECONDS = 0.02


def _calls_per_sample(call: Callable[[], object]) -> int:
    """Return how many calls in a row make one sample of SAMPLE_SECONDS or more."""
    started = time.process_time()
    call()
    once = max(time.process_time() - started, 1e-6)
    return max(1, math.ceil(SAMPLE_SECONDS / once))


def measure(
    contenders: dict[str, Callable[[], object]],
    rounds: int,
    warmup: int = 1,
    repeat: bool = True,
) -> dict[str, float]:
    """Return the median seconds per call of each contender over interleaved rounds.

    Each contender runs `warmup` times first, untimed, and the last of these runs
    also sets how many calls make one of its samples. With `repeat` off, every
    sample is one call right after a full collection. Time is the process's CPU time,
    because a busy neighbour on the machine inflates wall time far more. Every
    contender here runs in this one process and thread, so CPU time is all of it.
    """
    calls: dict[str, int] = {}
    for name, call in contenders.items():
        for _ in range(max(warmup - 1, 0)):
            call()
        calls[name] = _calls_per_sample(call) if repeat else 1
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for index in range(rounds):
        # Rotate the order, so that no contender always runs first in a round.
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            call, count = contenders[name], calls[name]
            gc.collect()
            started = time.process_time()
            for _ in range(count):
                call()
            samples[name].append((time.process_time() - started) / count)
    return {name: statistics.median(values) for name, values in samples.items()}
