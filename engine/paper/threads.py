"""How many threads the scan reader's recognition model may use in this process.

A module of its own that imports nothing heavy. A batch worker sets the limit at
start-up, and importing the model's module there would load NumPy into workers
that read only Word forms, which makes them slower (engine/paper/detect.py
explains why).
"""

from __future__ import annotations

# None lets onnxruntime start a thread for every core.
_threads: int | None = None


def use_threads(count: int) -> None:
    """Limit the model of this process to `count` threads, before the model loads.

    A batch's workers each read scans on their own core. onnxruntime's threads wait
    for work by spinning, so two workers with a thread for every core each would
    spend their time taking cores from one another.
    """
    global _threads
    _threads = max(1, count)


def model_threads() -> int | None:
    """Return the thread limit set for this process, or None for no limit."""
    return _threads
