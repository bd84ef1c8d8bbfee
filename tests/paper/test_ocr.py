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


def test_batches_group_similar_widths() -> None:
    ratios = [1.0, 9.0, 1.1, 2.0, 9.5, 1.2, 30.0] + [3.0] * 11

    batches = ocr._batches(ratios)

    assert sorted(i for batch in batches for i in batch) == list(range(len(ratios)))
    for batch in batches:
        assert len(batch) <= ocr.BATCH
        widths = [ratios[i] for i in batch]
        assert widths == sorted(widths)
        assert widths[-1] <= ocr.BATCH_SPREAD * widths[0]
    assert [0, 2, 5] in batches  # the three short crops together


def test_short_crop_stays_short() -> None:
    """A short crop is padded to 4:1 (24 steps), not to a 320-pixel line (40 steps)."""
    short = np.full((48, 48, 3), 255, dtype=np.uint8)
    short[10:38, 20:28] = 0
    line = np.full((48, 480, 3), 255, dtype=np.uint8)

    steps = [p.shape[0] for p in ocr.model().probabilities([short, line, short])]

    assert steps[0] == steps[2] < 320 // 8
    assert steps[1] >= 480 // 8
