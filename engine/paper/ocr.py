"""Read the text of one box with PP-OCRv4 recognition, constrained by field type.

Only the recognition model of `rapidocr-onnxruntime` runs: the template says where
every box is, so no text detection is needed. The model is loaded once per process.
Its output, a probability for each character class at each step, is decoded here
rather than by rapidocr, so that a field declared as a mobile number, an ID number
or a date may only read the characters such a value is written with: classes
outside the field's character set are masked before the best class is chosen.
A string's confidence is its least certain character's probability.
"""

from __future__ import annotations

import logging
import re
import string
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np

from engine.paper.threads import model_threads

logger = logging.getLogger(__name__)

DIGITS = string.digits
# Characters each value type may be written with; a type not listed reads anything.
CHARSETS: dict[str, str] = {
    "mobile": DIGITS + "+ ",
    "phone": DIGITS + "-+ ()",
    "landline": DIGITS + "-+ ()",
    "id_card": DIGITS + "Xx",
    "postal_code": DIGITS,
    "integer": DIGITS + "-",
    "decimal": DIGITS + ".-,",
    "money": DIGITS + ".-,¥",
    "date": DIGITS + "-/.年月日",
    "time": DIGITS + ":：时分点",
    "datetime": DIGITS + "-/.:年月日时分 ",
    "email": string.ascii_letters + DIGITS + "@._-+",
}
BATCH = 8
# The widest crop of a batch is at most this many times the narrowest.
BATCH_SPREAD = 1.25
# The narrowest input (width over height) handed to the model. rapidocr pads every
# crop to 320 x 48 pixels (6.7), so a short date or name costs as much as a line
# of text. Below about 4 the model lost a lone character's context: on synthetic
# scans it read 一 as "I" or "1" and 十 as "+" more often, and more surely.
MIN_RATIO = 4.0
# Characters a lone Chinese character may be read as: 十 as "+", 一 as "-" or "_",
# 丨 as "|" or "I", 〇 or 口 as "0" or "O". A free-text value made only of these is
# left for a person to check, however sure the model is.
LOOK_ALIKES = frozenset("+-_—–‐－|Il1!0Oo×xX")
LOOK_ALIKE_CONFIDENCE = 0.5
# A date and a time read as one run of characters: the space between them is
# often too narrow to read, so it is put back.
JOINED_DATETIME = re.compile(
    r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(\d{1,2}[:：时].*)$"
)


@dataclass(frozen=True)
class TextRead:
    """What recognition made of one box: the text and how sure it is (0 to 1)."""

    text: str
    confidence: float


class _Model:
    def __init__(self) -> None:
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
        from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
        from rapidocr_onnxruntime.utils import read_yaml, update_model_path

        config = update_model_path(read_yaml(str(DEFAULT_CFG_PATH)))
        threads = model_threads()
        if threads is not None:
            config["Rec"]["intra_op_num_threads"] = threads
        self.recognizer = TextRecognizer(config["Rec"])
        self.characters: list[str] = self.recognizer.postprocess_op.character
        self.height = self.recognizer.rec_image_shape[1]
        self._masks: dict[str, np.ndarray] = {}

    def mask(self, value_type: str) -> np.ndarray | None:
        """Return the class indices a value type may read (blank first), or None."""
        allowed = CHARSETS.get(value_type)
        if allowed is None:
            return None
        if value_type not in self._masks:
            indices = [0] + [
                i for i, c in enumerate(self.characters) if i and c in allowed
            ]
            self._masks[value_type] = np.array(indices)
        return self._masks[value_type]

    def probabilities(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """Return each crop's (steps x classes) probabilities, batched by width."""
        ratios = [c.shape[1] / c.shape[0] for c in crops]
        results: list[Any] = [None] * len(crops)
        for chunk in _batches(ratios):
            # Every crop of a batch is padded to the widest crop, and no wider.
            ratio = max(ratios[chunk[-1]], MIN_RATIO)
            batch = np.stack(
                [self.recognizer.resize_norm_img(crops[i], ratio) for i in chunk]
            ).astype(np.float32)
            output = self.recognizer.session(batch)[0]
            for row, i in enumerate(chunk):
                results[i] = output[row]
        return results


def _batches(ratios: list[float]) -> list[list[int]]:
    """Group crop indices by width: at most BATCH each, widths within BATCH_SPREAD.

    The model's time grows with the padded width of a batch, faster than linearly
    (its attention spans every step), so a batch contains crops of similar width.
    """
    batches: list[list[int]] = []
    for index in sorted(range(len(ratios)), key=ratios.__getitem__):
        current = batches[-1] if batches else None
        if (
            current is None
            or len(current) == BATCH
            or ratios[index] > BATCH_SPREAD * ratios[current[0]]
        ):
            batches.append([index])
        else:
            current.append(index)
    return batches


@cache
def model() -> _Model:
    """Return the recognition model, loaded on first use and kept for the process."""
    loaded = _Model()
    logger.info("loaded the PP-OCRv4 recognition model")
    return loaded


def _missed(chosen: np.ndarray, labels: np.ndarray) -> float:
    """Return the largest chance that a step decoded as blank held a character.

    A step counts only with a class other than the characters decoded just before
    and after it, which a character spread over several steps leaks into.
    """
    missed = 0.0
    emitted = np.flatnonzero(labels != 0)
    for step in np.flatnonzero(labels == 0):
        before = emitted[emitted < step]
        after = emitted[emitted > step]
        near = {int(labels[i]) for i in (before[-1:].tolist() + after[:1].tolist())}
        row = chosen[step].copy()
        row[0] = 0.0
        for index in near:
            row[index] = 0.0
        missed = max(missed, float(row.max()))
    return missed


def _decode(model_: _Model, probs: np.ndarray, mask: np.ndarray | None) -> TextRead:
    classes = mask if mask is not None else np.arange(probs.shape[1])
    chosen = probs[:, classes]
    best = chosen.argmax(axis=1)
    best_prob = chosen[np.arange(len(best)), best]
    text, confidences = [], []
    previous = -1
    for index, prob in zip(best, best_prob, strict=True):
        if index != previous and index != 0:
            text.append(model_.characters[classes[index]])
            confidences.append(float(prob))
        elif index == previous and index != 0 and confidences:
            confidences[-1] = max(confidences[-1], float(prob))
        previous = index
    if not text:
        return TextRead("", 0.0)
    doubt = _missed(chosen, best)
    return TextRead("".join(text).strip(), min(*confidences, 1.0 - doubt))


def tidy(value_type: str, text: str) -> str:
    """Return a reading in the shape its field type is written in."""
    if value_type == "datetime":
        joined = JOINED_DATETIME.match(text)
        if joined:
            return f"{joined[1]} {joined[2]}"
    return text


def _as_colour(crop: np.ndarray) -> np.ndarray:
    if crop.ndim == 2:
        return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    return crop


def read_texts(crops: list[tuple[np.ndarray, str]]) -> list[TextRead]:
    """Read each (grey crop, value type) pair; return one TextRead per crop."""
    if not crops:
        return []
    model_ = model()
    probs = model_.probabilities([_as_colour(c) for c, _ in crops])
    reads = []
    for p, (_, value_type) in zip(probs, crops, strict=True):
        mask = model_.mask(value_type)
        read = _decode(model_, p, mask)
        confidence = read.confidence
        if mask is None and _only_look_alikes(read.text):
            confidence = min(confidence, LOOK_ALIKE_CONFIDENCE)
        reads.append(TextRead(tidy(value_type, read.text), confidence))
    return reads


def _only_look_alikes(text: str) -> bool:
    """Return whether a short reading is made only of LOOK_ALIKES characters."""
    letters = text.replace(" ", "")
    return 0 < len(letters) <= 3 and all(c in LOOK_ALIKES for c in letters)
