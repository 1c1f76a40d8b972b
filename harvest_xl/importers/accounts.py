"""The account type an account's name in a broker file suggests, with the reason, for the user
to confirm (an account the user already typed keeps the user's type: that is the merge's job).

The names are the broker's or the user's nickname: ``ROTH IRA``, ``Rollover IRA``, ``Health
Savings Account``, ``GOOGLE 401(K) PLAN``, ``Individual - TOD``, ``Individual ...234``. A name
that is one of :meth:`AccountType.parse`'s spellings is taken as such; otherwise words in the name
decide, the most specific first (``Roth 401(k)`` before ``401(k)``, ``Roth IRA`` before ``IRA``).
A name that says nothing about the type (``My Fidelity Account``, ``U***00000``) gives ``None``.
"""

from __future__ import annotations

import re

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import AccountType

_WORDS = re.compile(r"[a-z0-9]+")

# (words that must all appear, in order of specificity) -> type. Words are the name's
# lower-cased alphanumeric runs, so "401(K)" is "401" "k" and "Roth-IRA" is "roth" "ira".
_RULES: tuple[tuple[tuple[str, ...], AccountType], ...] = (
    (("roth", "401"), AccountType.ROTH_401K),
    (("roth", "401k"), AccountType.ROTH_401K),
    (("401",), AccountType.TRADITIONAL_401K),
    (("401k",), AccountType.TRADITIONAL_401K),
    (("403",), AccountType.TRADITIONAL_403B),
    (("403b",), AccountType.TRADITIONAL_403B),
    (("457",), AccountType.GOVERNMENTAL_457B),
    (("457b",), AccountType.GOVERNMENTAL_457B),
    (("health", "savings"), AccountType.HSA),
    (("hsa",), AccountType.HSA),
    (("sep", "ira"), AccountType.SEP_IRA),
    (("simple", "ira"), AccountType.SIMPLE_IRA),
    (("roth",), AccountType.ROTH_IRA),
    (("ira",), AccountType.TRADITIONAL_IRA),
    (("rollover",), AccountType.TRADITIONAL_IRA),
    (("individual",), AccountType.TAXABLE),
    (("joint",), AccountType.TAXABLE),
    (("jtwros",), AccountType.TAXABLE),
    (("tod",), AccountType.TAXABLE),
    (("brokerage",), AccountType.TAXABLE),
    (("taxable",), AccountType.TAXABLE),
    (("cash", "mgmt"), AccountType.TAXABLE),
    (("cash", "management"), AccountType.TAXABLE),
)


def infer_account_type(name: str | None) -> tuple[AccountType | None, str]:
    """The type ``name`` suggests and a sentence saying why (``None`` when it does not say)."""
    if not name or not name.strip():
        return None, "not inferred: the file gives no account name; choose the type"
    shown = name.strip()
    try:
        return AccountType.parse(shown), f"inferred from the name {shown!r}"
    except HarvestInputError:
        pass
    words = set(_WORDS.findall(shown.lower()))
    for needed, account_type in _RULES:
        if words.issuperset(needed):
            said = " and ".join(repr(word) for word in needed)
            return account_type, f"inferred from {said} in the name {shown!r}"
    return None, f"not inferred: the name {shown!r} does not say the account type; choose it"
