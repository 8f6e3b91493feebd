"""How numbers are written for learners: short, exact where it matters, never misleading."""

from __future__ import annotations

import math


def fmt(value: float) -> str:
    """A number as a learner reads it: ``-3.0``, ``0.7071``, ``1.2e-12``, ``inf``.

    Whole numbers keep one decimal (so ``2.0`` reads as a float, as in the
    lecture), others get four significant decimals, and very large or very
    small ones switch to scientific notation rather than show ``0.0000``.
    """
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e9:
        return f"{value:.1f}"
    if 1e-4 <= abs(value) < 1e6:
        text = f"{value:.4f}".rstrip("0")
        return text if not text.endswith(".") else text + "0"
    return f"{value:.4g}"


class NotANumber(ValueError):
    """Typed text that is not a number; the message says what to type instead."""


def parse_number(text: str) -> float:
    """A number the learner typed: ``-3``, ``0.25``, ``1e-3``, ``inf`` or ``nan``."""
    cleaned = text.strip().replace("−", "-")
    try:
        return float(cleaned)
    except ValueError:
        shown = cleaned or "nothing"
        raise NotANumber(f"'{shown}' is not a number: type one like -3, 0.25 or 1e-3") from None
