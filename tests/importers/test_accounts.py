"""The account type an account's name suggests, with the reason shown to the user."""

from __future__ import annotations

import pytest

from harvest_xl.engine.models import AccountType
from harvest_xl.importers import infer_account_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ROTH IRA", AccountType.ROTH_IRA),
        ("Rollover IRA", AccountType.TRADITIONAL_IRA),
        ("Traditional IRA", AccountType.TRADITIONAL_IRA),
        ("Health Savings Account", AccountType.HSA),
        ("GOOGLE 401(K) PLAN", AccountType.TRADITIONAL_401K),
        ("Roth 401(k)", AccountType.ROTH_401K),
        ("ACME ROTH 401(K) PLAN", AccountType.ROTH_401K),
        ("Individual - TOD", AccountType.TAXABLE),
        ("Individual", AccountType.TAXABLE),
        ("Joint WROS", AccountType.TAXABLE),
        ("Individual Brokerage", AccountType.TAXABLE),
        ("MY TACTICAL (taxable)", AccountType.TAXABLE),
        ("CASH MGMT", AccountType.TAXABLE),
        ("SEP-IRA", AccountType.SEP_IRA),
        ("SIMPLE IRA", AccountType.SIMPLE_IRA),
        ("STATE 457(b) PLAN", AccountType.GOVERNMENTAL_457B),
        ("HOSPITAL 403(B)", AccountType.TRADITIONAL_403B),
    ],
)
def test_type_inferred_from_the_name(name: str, expected: AccountType) -> None:
    """The broker's or user's account name gives the type, and the reason quotes the name."""
    account_type, why = infer_account_type(name)
    assert account_type is expected
    assert why.startswith("inferred from") and repr(name) in why


@pytest.mark.parametrize("name", ["My Fidelity Account", "Intelligent", "BrokerageLink", "AAAA"])
def test_name_that_says_nothing_is_not_guessed(name: str) -> None:
    """A name that does not say the type gives None and asks the user to choose."""
    account_type, why = infer_account_type(name)
    assert account_type is None
    assert why.startswith("not inferred") and why.endswith("choose it")


def test_no_name_is_not_guessed() -> None:
    """An account known only by its number: no type, and the reason says so."""
    assert infer_account_type(None) == (
        None,
        "not inferred: the file gives no account name; choose the type",
    )
