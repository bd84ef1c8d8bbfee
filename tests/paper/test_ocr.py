"""Recognition constrained by field type, and the tidying of what it reads."""

from __future__ import annotations

import numpy as np

from engine.paper import ocr


def _steps(model: ocr._Model, *chars: str) -> np.ndarray:
    """Return probabilities whose best class spells `chars` (None-like "" = blank)."""
    probs = np.full((len(chars), len(model.characters)), 1e-4, dtype=np.float32)
    for step, char in enumerate(chars):
        index = model.characters.index(char) if char else 0
        probs[step, index] = 0.9
    return probs


def test_mobile_number_may_only_read_digits() -> None:
    model = ocr.model()
    probs = _steps(model, "1", "", "3", "O")
    probs[3, model.characters.index("0")] = 0.05

    free = ocr._decode(model, probs, model.mask("text"))
    digits = ocr._decode(model, probs, model.mask("mobile"))

    assert free.text == "13O"
    assert digits.text == "130"
    assert digits.confidence < 0.1


def test_character_that_may_hide_in_a_blank_step_lowers_confidence() -> None:
    model = ocr.model()
    probs = _steps(model, "王", "", "明")
    probs[1, model.characters.index("小")] = 0.3

    read = ocr._decode(model, probs, None)

    assert read.text == "王明"
    assert read.confidence < 0.75


def test_joined_date_and_time_gets_its_space_back() -> None:
    assert ocr.tidy("datetime", "2024-03-0709:30") == "2024-03-07 09:30"
    assert ocr.tidy("text", "2024-03-0709:30") == "2024-03-0709:30"


def test_model_loads_once() -> None:
    assert ocr.model() is ocr.model()
