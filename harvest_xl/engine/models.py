"""Categories the whole engine shares: filing status, account type, term, wash-sale policy.

Each parser accepts the spellings people really type (case-insensitive, common synonyms)
and raises :class:`HarvestInputError` naming the argument otherwise.
"""

from __future__ import annotations

import enum

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.names import fold


class FilingStatus(enum.Enum):
    """Form 1040 filing status. Authority: IRC §1(a)-(d), §2; Form 1040 instructions."""

    SINGLE = "single"
    MFJ = "mfj"
    MFS = "mfs"
    HOH = "hoh"
    QSS = "qss"

    @classmethod
    def parse(cls, value: object, argument: str = "filing_status") -> FilingStatus:
        if isinstance(value, FilingStatus):
            return value
        if isinstance(value, str):
            found = _FILING_STATUS_SYNONYMS.get(fold(value))
            if found is not None:
                return found
        choices = ", ".join(s.value for s in cls)
        raise HarvestInputError(argument, f"{value!r} is not one of {choices}")


_FILING_STATUS_SYNONYMS: dict[str, FilingStatus] = {
    **{s.value: s for s in FilingStatus},
    "s": FilingStatus.SINGLE,
    "married filing jointly": FilingStatus.MFJ,
    "married filing joint": FilingStatus.MFJ,
    "married jointly": FilingStatus.MFJ,
    "joint": FilingStatus.MFJ,
    "jointly": FilingStatus.MFJ,
    "married filing separately": FilingStatus.MFS,
    "married filing separate": FilingStatus.MFS,
    "married separately": FilingStatus.MFS,
    "separate": FilingStatus.MFS,
    "separately": FilingStatus.MFS,
    "head of household": FilingStatus.HOH,
    "head of house": FilingStatus.HOH,
    "qualifying surviving spouse": FilingStatus.QSS,
    "qualifying widow": FilingStatus.QSS,
    "qualifying widower": FilingStatus.QSS,
    "qualifying widow er": FilingStatus.QSS,
    "qualifying widow er with dependent child": FilingStatus.QSS,
    "qw": FilingStatus.QSS,
    "qw w": FilingStatus.QSS,
}


class WashReplacement(enum.Enum):
    """How a purchase in an account counts as a wash-sale replacement (tax-rules.md §3.7)."""

    ADJUSTS_BASIS = "adjusts basis"
    """Taxable account: §1091(a) disallows, §1091(d) moves the loss into the new basis."""
    PERMANENTLY_LOST = "permanently lost"
    """IRA / Roth IRA (and SEP, SIMPLE by inference): Rev. Rul. 2008-5, no basis increase."""
    BY_POLICY = "by policy"
    """Employer plans and HSAs: no authority; the user's policy decides (§3.7)."""


class AccountType(enum.Enum):
    """Account types harvest-xl knows, with the tax consequences that differ between them.

    Authority: tax-rules.md §7 (account-type summary), which derives from IRC §1091,
    Rev. Rul. 2008-5, IRC §§401(a), 408, 408A, 402A, 457(b), 223 and 72(t).
    """

    TAXABLE = "Taxable"
    TRADITIONAL_401K = "Traditional 401(k)"
    ROTH_401K = "Roth 401(k)"
    TRADITIONAL_403B = "403(b)"
    GOVERNMENTAL_457B = "Governmental 457(b)"
    TRADITIONAL_IRA = "Traditional IRA"
    ROTH_IRA = "Roth IRA"
    SEP_IRA = "SEP IRA"
    SIMPLE_IRA = "SIMPLE IRA"
    HSA = "HSA"

    @classmethod
    def parse(cls, value: object, argument: str = "account_type") -> AccountType:
        if isinstance(value, AccountType):
            return value
        if isinstance(value, str):
            found = _ACCOUNT_TYPE_SYNONYMS.get(fold(value))
            if found is not None:
                return found
        choices = ", ".join(t.value for t in cls)
        raise HarvestInputError(argument, f"{value!r} is not an account type ({choices})")

    @property
    def has_tax_effect(self) -> bool:
        """Only a sale in a taxable account reaches Schedule D.

        Authority: IRC §408(e)(1), §501(a), §223(e)(1) (the accounts are exempt trusts);
        tax-rules.md §4.
        """
        return self is AccountType.TAXABLE

    @property
    def is_ira(self) -> bool:
        """An individual retirement account under IRC §408 or §408A."""
        return self in _IRAS

    @property
    def is_employer_plan(self) -> bool:
        """A qualified plan, 403(b) or governmental 457(b) (not an IRA, not an HSA)."""
        return self in _EMPLOYER_PLANS

    @property
    def is_roth(self) -> bool:
        return self in (AccountType.ROTH_IRA, AccountType.ROTH_401K)

    @property
    def wash_replacement(self) -> WashReplacement:
        if self is AccountType.TAXABLE:
            return WashReplacement.ADJUSTS_BASIS
        if self.is_ira:
            return WashReplacement.PERMANENTLY_LOST
        return WashReplacement.BY_POLICY


_IRAS = frozenset(
    {AccountType.TRADITIONAL_IRA, AccountType.ROTH_IRA, AccountType.SEP_IRA, AccountType.SIMPLE_IRA}
)
_EMPLOYER_PLANS = frozenset(
    {
        AccountType.TRADITIONAL_401K,
        AccountType.ROTH_401K,
        AccountType.TRADITIONAL_403B,
        AccountType.GOVERNMENTAL_457B,
    }
)

_ACCOUNT_TYPE_SYNONYMS: dict[str, AccountType] = {
    fold(t.value): t for t in AccountType
} | {
    "taxable": AccountType.TAXABLE,
    "brokerage": AccountType.TAXABLE,
    "taxable brokerage": AccountType.TAXABLE,
    "individual": AccountType.TAXABLE,
    "individual brokerage": AccountType.TAXABLE,
    "joint": AccountType.TAXABLE,
    "joint brokerage": AccountType.TAXABLE,
    "jtwros": AccountType.TAXABLE,
    "taxable individual": AccountType.TAXABLE,
    "taxable joint": AccountType.TAXABLE,
    "401k": AccountType.TRADITIONAL_401K,
    "401 k": AccountType.TRADITIONAL_401K,
    "traditional 401k": AccountType.TRADITIONAL_401K,
    "pre tax 401 k": AccountType.TRADITIONAL_401K,
    "pretax 401 k": AccountType.TRADITIONAL_401K,
    "roth 401k": AccountType.ROTH_401K,
    "designated roth": AccountType.ROTH_401K,
    "403b": AccountType.TRADITIONAL_403B,
    "403 b": AccountType.TRADITIONAL_403B,
    "traditional 403 b": AccountType.TRADITIONAL_403B,
    "457b": AccountType.GOVERNMENTAL_457B,
    "457 b": AccountType.GOVERNMENTAL_457B,
    "governmental 457b": AccountType.GOVERNMENTAL_457B,
    "gov 457 b": AccountType.GOVERNMENTAL_457B,
    "ira": AccountType.TRADITIONAL_IRA,
    "traditional ira": AccountType.TRADITIONAL_IRA,
    "rollover ira": AccountType.TRADITIONAL_IRA,
    "roth": AccountType.ROTH_IRA,
    "roth ira": AccountType.ROTH_IRA,
    "sep": AccountType.SEP_IRA,
    "sep ira": AccountType.SEP_IRA,
    "simple": AccountType.SIMPLE_IRA,
    "simple ira": AccountType.SIMPLE_IRA,
    "hsa": AccountType.HSA,
    "health savings account": AccountType.HSA,
}


class Term(enum.Enum):
    """Holding term of a capital asset at sale. Authority: IRC §1222(1)-(4)."""

    SHORT = "Short-term"
    LONG = "Long-term"

    @classmethod
    def parse(cls, value: object, argument: str = "term") -> Term:
        """``Long-term`` or ``Short-term`` (also long/short, LT/ST), any case."""
        if isinstance(value, Term):
            return value
        if isinstance(value, str):
            found = _TERM_SYNONYMS.get(fold(value))
            if found is not None:
                return found
        raise HarvestInputError(argument, f"{value!r} is not Long-term or Short-term")


_TERM_SYNONYMS: dict[str, Term] = {
    fold(word): term
    for term, words in (
        (Term.LONG, ("Long-term", "long", "LT", "LTCG")),
        (Term.SHORT, ("Short-term", "short", "ST", "STCG")),
    )
    for word in words
}


class WashSalePolicy(enum.Enum):
    """How purchases in employer plans and HSAs count for §1091 (tax-rules.md §3.7)."""

    CONSERVATIVE = "conservative"
    """Treated like an IRA purchase (Rev. Rul. 2008-5): the loss is lost for good; flagged."""
    IGNORE = "ignore"
    """No authority applies §1091 to them: nothing disallowed, shown as a risk only."""

    @classmethod
    def parse(cls, value: object, argument: str = "policy") -> WashSalePolicy:
        if isinstance(value, WashSalePolicy):
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return cls.CONSERVATIVE
        if isinstance(value, str):
            found = _POLICY_BY_TEXT.get(fold(value))
            if found is not None:
                return found
        raise HarvestInputError(argument, f"{value!r} is not one of conservative, ignore")


_POLICY_BY_TEXT = {fold(policy.value): policy for policy in WashSalePolicy}
