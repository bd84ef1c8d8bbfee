"""Time contenders side by side: the median CPU time of interleaved runs.

Other work on a shared machine slows every contender of a round alike, so each
round runs every contender once, in turn, and a figure is only ever compared with
figures of the same rounds.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def measure(
    contenders: dict[str, Callable[[], object]], rounds: int, warmup: int = 1
) -> dict[str, float]:
    """Return the median seconds of each contender over `rounds` interleaved rounds.

    Each contender runs `warmup` times first, untimed. Time is the process's CPU
    time, because a busy neighbour on the machine inflates wall time far more. Every
    contender here runs in this one process and thread, so CPU time is all of it.
    """
    for call in contenders.values():
        for _ in range(warmup):
            call()
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for index in range(rounds):
        # Rotate the order, so that no contender always runs first in a round.
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            started = time.process_time()
            contenders[name]()
            samples[name].append(time.process_time() - started)
    return {name: statistics.median(values) for name, values in samples.items()}
