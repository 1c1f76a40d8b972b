"""The one way names are compared: Profile keys, column headers, and the words people type
for a filing status, an account type or an action.

Case, spacing and punctuation are ignored; ``$`` and ``%`` are kept because they tell two
Profile keys apart (``Minimum loss ($)`` and ``Minimum loss (%)``). So ``Tax-year``,
``tax_year`` and ``TAX YEAR`` are the same name, and so are ``Cost basis`` and ``cost-basis``.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[^a-z0-9$%]+")


def fold(text: str) -> str:
    """``text`` as compared: lower case, every run of other characters one space, trimmed."""
    return _SEPARATORS.sub(" ", text.lower()).strip()
