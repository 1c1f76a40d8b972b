"""What Schwab's downloads share: the title line that names the account and the date."""

from __future__ import annotations

import re

_ACCOUNT_IN_TITLE = re.compile(r"\bfor\s+(?:account\s+)?(.+?)\s+(?:as\s+of|for)\s", re.IGNORECASE)
_AS_OF_IN_TITLE = re.compile(r"\bas\s+of\s+(.+)$", re.IGNORECASE)
_NUMBER_TOKEN = re.compile(r"^(?:\.{3}|X{2,}-?)?[\dX*#-]*\d[\dX*#-]*$", re.IGNORECASE)


def split_name_number(text: str) -> tuple[str | None, str | None]:
    """``Individual ...234`` -> (``Individual``, ``...234``); ``XXXX-4321`` -> (None, …)."""
    words = text.split()
    if not words:
        return None, None
    if _NUMBER_TOKEN.match(words[-1]):
        return " ".join(words[:-1]) or None, words[-1]
    return " ".join(words), None


def title_account(title: str) -> tuple[str | None, str | None]:
    """The account a title names: ``Positions for account Individual ...234 as of …``,
    ``Transactions  for account ...234 as of …``, ``Realized Gain/Loss for ...234 for …``."""
    match = _ACCOUNT_IN_TITLE.search(" ".join(title.split()))
    if match is None or match[1].lower().startswith("all-accounts"):
        return None, None
    return split_name_number(match[1])


def title_date_text(title: str) -> str | None:
    """The date of ``… as of 12:52 PM ET, 2023/04/23`` (the text after the last comma)."""
    match = _AS_OF_IN_TITLE.search(title.strip())
    if match is None:
        return None
    return match[1].rsplit(",", 1)[-1].strip()
