"""Text from a scenario or the file system, ready to be shown exactly as it is.

A label, a title, a path or an error message is the learner's text, never
markup for the app: the screens show it as plain ``Content``. Its control
characters (a bell, an escape, a carriage return) would act on the terminal
or vanish, so they are replaced here by visible stand-ins.
"""

from __future__ import annotations

import unicodedata

KEPT = "\n\t"
"""Control characters that mean the same on screen as in the text: line breaks and tabs."""


def _stand_in(character: str) -> str:
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    if code == 0x7F:
        return "␡"
    return f"\\x{code:02x}"


def visible(text: str) -> str:
    """``text`` with every control character but line breaks and tabs made visible."""
    if text.isprintable() or not any(unicodedata.category(c) == "Cc" for c in text):
        return text
    return "".join(
        _stand_in(c) if unicodedata.category(c) == "Cc" and c not in KEPT else c for c in text
    )
