"""What Fidelity's downloads share: core (cash) positions, option symbols, account columns."""

from __future__ import annotations

import re

CORE_SYMBOLS = frozenset({"SPAXX", "FDRXX", "FZFXX", "SPRXX", "FCASH", "CORE"})
"""Fidelity's core (cash sweep) money-market positions: cash, not holdings. The positions file
marks them with ``**`` (``SPAXX**``); the history names them without."""

_ACCOUNT_WITH_NUMBER = re.compile(r"^(.*?)\s+([A-Z]*\d[A-Z0-9]*)$")
_ACCOUNT_NUMBER = re.compile(r"[A-Z]*\d[A-Z0-9]*")
_FIDELITY_OPTION = re.compile(r"^-?[A-Z]{1,6}\d{6}[CP][\d.]+$")


def clean(text: str) -> str:
    """A value with Fidelity's leading space, and the literal quotes a re-save left, removed."""
    return text.strip().strip('"').strip()


def is_core(symbol: str, description: str = "") -> bool:
    """A core (cash) position: ``SPAXX**``, a known core fund, or the CUSIP-numbered ``CASH``."""
    if symbol.endswith("**"):
        return True
    if symbol.upper() in CORE_SYMBOLS:
        return True
    described = description.upper()
    if "HELD IN MONEY MARKET" in described:
        return True
    return symbol.isdigit() and described == "CASH"


def is_option(symbol: str) -> bool:
    """A Fidelity option symbol: `` -ABC260227P9`` (``-`` for a short option) or ``ABC260227C9``."""
    return bool(_FIDELITY_OPTION.match(symbol.replace(" ", "")))


def split_account(text: str) -> tuple[str | None, str | None]:
    """The 2021-23 ``Account`` column: ``"Individual - TOD" X11111111`` -> name, number."""
    shown = " ".join(text.replace('"', " ").split())
    if not shown:
        return None, None
    if _ACCOUNT_NUMBER.fullmatch(shown):
        return None, shown
    match = _ACCOUNT_WITH_NUMBER.match(shown)
    if match:
        return match[1] or None, match[2]
    return shown, None
