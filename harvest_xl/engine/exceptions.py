"""The exceptions to the early-withdrawal additional tax, and the accounts each one covers.

One member per row of tax-rules.md §6.5, with its Form 5329 Part I code (tax-rules.md
§6.4; the codes are confirmed so far only against a summary of the 2025 instructions,
tax-rules.md §9 item 8). Codes 14 and 16 are not in that table and are refused.
The federally declared disaster exception has no Form 5329 code (it is reported on
Form 8915-F) and is entered by name only.

"Plan" means an employer plan (401(k), Roth 401(k), 403(b), governmental 457(b));
"IRA" means a traditional, SEP, SIMPLE or Roth IRA. An HSA is not a §4974(c) plan: only
death and disability (§223(f)(4)(B)) apply to it.
"""

from __future__ import annotations

import enum
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.names import fold


class WithdrawalException(enum.Enum):
    """An exception to the §72(t) (or §223(f)(4)) additional tax: name, Form 5329 code, label."""

    SEPARATION = ("separation", "01", "separation from service in or after the year of turning 55")
    PUBLIC_SAFETY = (
        "public_safety",
        "01",
        "separation of a qualified public safety employee at 50 or after 25 years of service",
    )
    SEPP = ("sepp", "02", "substantially equal periodic payments")
    DISABILITY = ("disability", "03", "total and permanent disability")
    DEATH = ("death", "04", "distribution to a beneficiary or estate after death")
    MEDICAL = ("medical", "05", "unreimbursed medical expenses over 7.5% of AGI")
    QDRO = ("qdro", "06", "payment to an alternate payee under a QDRO")
    HEALTH_INSURANCE = ("health_insurance", "07", "health insurance premiums while unemployed")
    EDUCATION = ("education", "08", "qualified higher-education expenses")
    FIRST_HOME = ("first_home", "09", "first-time homebuyer (lifetime limit)")
    LEVY = ("levy", "10", "IRS levy")
    RESERVIST = ("reservist", "11", "qualified reservist distribution")
    AGE_59_HALF = ("age_59_half", "12", "age 59½ or older (Form 1099-R box 7 wrong)")
    GOVERNMENTAL_457B = ("governmental_457b", "13", "governmental 457(b), non-rollover money")
    ESOP_DIVIDENDS = ("esop_dividends", "15", "ESOP dividends under §404(k)")
    PHASED_RETIREMENT = ("phased_retirement", "17", "federal phased retirement annuity")
    PERMISSIBLE_WITHDRAWAL = (
        "permissible_withdrawal",
        "18",
        "§414(w) permissible withdrawal (automatic enrolment)",
    )
    BIRTH_ADOPTION = ("birth_adoption", "19", "birth or adoption (limit per child)")
    TERMINAL_ILLNESS = ("terminal_illness", "20", "terminal illness")
    EXCESS_CONTRIBUTION = (
        "excess_contribution",
        "21",
        "earnings on an excess IRA contribution returned in time",
    )
    DOMESTIC_ABUSE = ("domestic_abuse", "22", "domestic-abuse victim (indexed limit)")
    EMERGENCY = ("emergency", "23", "emergency personal expense (one a year)")
    DISASTER = ("disaster", "", "federally declared disaster (limit per disaster; Form 8915-F)")

    def __init__(self, key: str, code: str, label: str) -> None:
        self.key = key
        self.code = code
        self.label = label
        self.accounts: tuple[AccountType, ...] = ()  # filled from APPLIES_TO below

    @property
    def display(self) -> str:
        """``"09 first_home"``-style name used in explanations."""
        return f"{self.code} {self.key}" if self.code else self.key


_PLANS = frozenset(
    {
        AccountType.TRADITIONAL_401K,
        AccountType.ROTH_401K,
        AccountType.TRADITIONAL_403B,
        AccountType.GOVERNMENTAL_457B,
    }
)
_IRAS = frozenset(
    {
        AccountType.TRADITIONAL_IRA,
        AccountType.ROTH_IRA,
        AccountType.SEP_IRA,
        AccountType.SIMPLE_IRA,
    }
)
_ALL_72T = _PLANS | _IRAS

APPLIES_TO: dict[WithdrawalException, frozenset[AccountType]] = {
    # (A)(v) and (10); (3)(A): not IRAs
    WithdrawalException.SEPARATION: _PLANS,
    WithdrawalException.PUBLIC_SAFETY: _PLANS,
    # (A)(iv); for plans only after separation (3)(B), checked in withdrawals.py
    WithdrawalException.SEPP: _ALL_72T,
    # (A)(iii), (A)(ii); §223(f)(4)(B) for the HSA
    WithdrawalException.DISABILITY: _ALL_72T | {AccountType.HSA},
    WithdrawalException.DEATH: _ALL_72T | {AccountType.HSA},
    WithdrawalException.MEDICAL: _ALL_72T,  # (B)
    WithdrawalException.QDRO: _PLANS,  # (C); (3)(A): not IRAs
    WithdrawalException.HEALTH_INSURANCE: _IRAS,  # (D): IRAs only
    WithdrawalException.EDUCATION: _IRAS,  # (E): IRAs only
    WithdrawalException.FIRST_HOME: _IRAS,  # (F), (8): IRAs only
    WithdrawalException.LEVY: _ALL_72T,  # (A)(vii)
    WithdrawalException.RESERVIST: _ALL_72T,  # (G)
    WithdrawalException.AGE_59_HALF: _ALL_72T,  # (A)(i)
    WithdrawalException.GOVERNMENTAL_457B: frozenset({AccountType.GOVERNMENTAL_457B}),  # (9)
    WithdrawalException.ESOP_DIVIDENDS: _PLANS,  # (A)(vi)
    WithdrawalException.PHASED_RETIREMENT: _PLANS,  # (A)(viii)
    # §414(w): plans, and SIMPLE IRA / SARSEP (a SARSEP is a SEP IRA)
    WithdrawalException.PERMISSIBLE_WITHDRAWAL: _PLANS
    | {AccountType.SIMPLE_IRA, AccountType.SEP_IRA},
    WithdrawalException.BIRTH_ADOPTION: _ALL_72T,  # (H)
    WithdrawalException.TERMINAL_ILLNESS: _ALL_72T,  # (L)
    WithdrawalException.EXCESS_CONTRIBUTION: _IRAS,  # (A)(ix), §408(d)(4)
    WithdrawalException.DOMESTIC_ABUSE: _ALL_72T,  # (K)
    WithdrawalException.EMERGENCY: _ALL_72T,  # (I)
    WithdrawalException.DISASTER: _ALL_72T,  # (M), (11)
}

for _member, _accounts in APPLIES_TO.items():
    # A tuple on the member: ``account in exception.accounts`` compares by identity, with no
    # Enum.__hash__ call (which is Python-level), on the HX_PENALTY path.
    _member.accounts = tuple(sorted(_accounts, key=lambda a: a.value))

NOT_FOR_ACCOUNT_REASON: dict[WithdrawalException, str] = {
    WithdrawalException.SEPARATION: "IRC §72(t)(3)(A) excludes IRAs from the age-55 rule",
    WithdrawalException.PUBLIC_SAFETY: "IRC §72(t)(3)(A), (10) cover employer plans only",
    WithdrawalException.QDRO: "IRC §72(t)(3)(A) excludes IRAs from the QDRO exception",
    WithdrawalException.HEALTH_INSURANCE: "IRC §72(t)(2)(D) covers IRA distributions only",
    WithdrawalException.EDUCATION: "IRC §72(t)(2)(E) covers IRA distributions only",
    WithdrawalException.FIRST_HOME: "IRC §72(t)(2)(F) covers IRA distributions only",
    WithdrawalException.GOVERNMENTAL_457B: "IRC §72(t)(9) concerns governmental 457(b) plans",
    WithdrawalException.ESOP_DIVIDENDS: "IRC §72(t)(2)(A)(vi) concerns employer plans",
    WithdrawalException.PHASED_RETIREMENT: "IRC §72(t)(2)(A)(viii) concerns employer plans",
    WithdrawalException.PERMISSIBLE_WITHDRAWAL: (
        "§414(w) covers employer plans, SIMPLE IRAs and SARSEPs only"
    ),
    WithdrawalException.EXCESS_CONTRIBUTION: "IRC §72(t)(2)(A)(ix) concerns IRAs",
}

_BY_KEY: dict[str, WithdrawalException] = {e.key: e for e in WithdrawalException}
_BY_CODE: dict[str, WithdrawalException] = {}
for _member in WithdrawalException:
    if _member.code:
        _BY_CODE.setdefault(_member.code, _member)  # "01" is the age-55 rule by default

_SYNONYM_WORDS: dict[str, WithdrawalException] = _BY_KEY | {
    "separation_from_service": WithdrawalException.SEPARATION,
    "age_55": WithdrawalException.SEPARATION,
    "rule_of_55": WithdrawalException.SEPARATION,
    "public_safety_employee": WithdrawalException.PUBLIC_SAFETY,
    "age_50": WithdrawalException.PUBLIC_SAFETY,
    "substantially_equal_periodic_payments": WithdrawalException.SEPP,
    "72t": WithdrawalException.SEPP,
    "disabled": WithdrawalException.DISABILITY,
    "beneficiary": WithdrawalException.DEATH,
    "medical_expenses": WithdrawalException.MEDICAL,
    "alternate_payee": WithdrawalException.QDRO,
    "unemployed": WithdrawalException.HEALTH_INSURANCE,
    "unemployment": WithdrawalException.HEALTH_INSURANCE,
    "health_insurance_premiums": WithdrawalException.HEALTH_INSURANCE,
    "higher_education": WithdrawalException.EDUCATION,
    "first_time_homebuyer": WithdrawalException.FIRST_HOME,
    "homebuyer": WithdrawalException.FIRST_HOME,
    "first_home_purchase": WithdrawalException.FIRST_HOME,
    "irs_levy": WithdrawalException.LEVY,
    "qualified_reservist": WithdrawalException.RESERVIST,
    "age_59_5": WithdrawalException.AGE_59_HALF,
    "457b": WithdrawalException.GOVERNMENTAL_457B,
    "esop": WithdrawalException.ESOP_DIVIDENDS,
    "414w": WithdrawalException.PERMISSIBLE_WITHDRAWAL,
    "birth": WithdrawalException.BIRTH_ADOPTION,
    "adoption": WithdrawalException.BIRTH_ADOPTION,
    "birth_or_adoption": WithdrawalException.BIRTH_ADOPTION,
    "terminally_ill": WithdrawalException.TERMINAL_ILLNESS,
    "excess_contribution_earnings": WithdrawalException.EXCESS_CONTRIBUTION,
    "domestic_abuse_victim": WithdrawalException.DOMESTIC_ABUSE,
    "emergency_expense": WithdrawalException.EMERGENCY,
    "emergency_personal_expense": WithdrawalException.EMERGENCY,
    "federally_declared_disaster": WithdrawalException.DISASTER,
    "qualified_disaster": WithdrawalException.DISASTER,
}
_SYNONYMS: dict[str, WithdrawalException] = {fold(k): v for k, v in _SYNONYM_WORDS.items()}

_CODES_TEXT = ", ".join(sorted(_BY_CODE))
_UNKNOWN = (
    f"is not a Form 5329 exception code ({_CODES_TEXT}) or a name such as "
    "separation, sepp, death, disability, medical, first_home, education, birth_adoption, "
    "emergency, qdro, levy, reservist, terminal_illness, domestic_abuse, disaster, "
    "public_safety, health_insurance"
)


def _key(text: str) -> str:
    """An exception's name as looked up: compared as every name is (``first_home``,
    ``First home`` and ``first-home`` are one name)."""
    return fold(text)


def parse_exception(value: object, argument: str = "exception") -> WithdrawalException | None:
    """The exception named by a Form 5329 code ("09", 9) or a readable name; ``None`` if blank.

    Raises :class:`HarvestInputError` naming ``exception`` for anything else, including
    code 99 ("more than one"): split the withdrawal and enter one exception per part.

    Authority: Form 5329 Part I, line 2 (tax-rules.md §6.4, §6.5).
    """
    if value is None:
        return None
    if isinstance(value, WithdrawalException):
        return value
    if isinstance(value, bool):
        raise HarvestInputError(argument, f"{value!r} {_UNKNOWN}")
    if isinstance(value, int | float | Decimal):
        if value != int(value):
            raise HarvestInputError(argument, f"{value!r} {_UNKNOWN}")
        text = f"{int(value):02d}"
    elif isinstance(value, str):
        return _parse_text(value, argument)
    else:
        raise HarvestInputError(argument, f"{value!r} {_UNKNOWN}")
    return _lookup(text, value, argument)


def _parse_text(value: str, argument: str) -> WithdrawalException | None:
    text = value.strip()
    if not text:
        return None
    return _lookup(text, value, argument)


def _lookup(text: str, value: object, argument: str) -> WithdrawalException:
    if text.isdigit():
        found = _BY_CODE.get(text.zfill(2))
    else:
        found = _SYNONYMS.get(_key(text))
    if found is None:
        if text.isdigit() and text.zfill(2) == "99":
            raise HarvestInputError(
                argument, "99 means more than one exception: enter one exception per withdrawal"
            )
        raise HarvestInputError(argument, f"{value!r} {_UNKNOWN}")
    return found


def applies_to(exception: WithdrawalException, account: AccountType) -> bool:
    """Whether the law applies ``exception`` to a withdrawal from ``account`` at all.

    Authority: IRC §72(t)(2), (3), (9), (10); IRC §223(f)(4)(B); tax-rules.md §6.5.
    """
    return account in exception.accounts
