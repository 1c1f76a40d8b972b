"""The public contract of every HX_ function: names, argument order, defaults, kinds.

Written out by hand from the issues (not read from the code), so a rename, a reordered
argument or a lost default fails the registration tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UdfSpec:
    name: str
    args: tuple[str, ...]
    defaults: dict[str, object] = field(default_factory=dict)
    dates: frozenset[str] = frozenset()
    ranges: frozenset[str] = frozenset()
    returns: str = "scalar"  # scalar | row | column | table


PENALTY_DATES = frozenset(
    {"birth_date", "withdrawal_date", "separation_date", "participation_start"}
)

PENALTY_DEFAULTS: dict[str, object] = {
    "exception": "",
    "separation_date": None,
    "participation_start": None,
    "expenses": None,
    "agi": None,
    "rolled_in": None,
}
ROTH401K_ARGS = (
    "amount",
    "basis",
    "balance",
    "birth_date",
    "withdrawal_date",
    "first_contribution_year",
    "exception",
    "rolled_over",
)
ROTH401K_DEFAULTS: dict[str, object] = {
    "first_contribution_year": None,
    "exception": "",
    "rolled_over": 0,
}
LOT_WITHDRAWAL_ARGS = ("account", "market_value", "profile", "accounts")

SPECS: tuple[UdfSpec, ...] = (
    UdfSpec(
        "HX_TAX",
        ("year", "filing_status", "ordinary_income", "st_gain", "lt_gain", "qualified_dividends"),
        {"qualified_dividends": 0},
    ),
    UdfSpec("HX_LOSS_DEDUCTION", ("filing_status", "net_st", "net_lt")),
    UdfSpec(
        "HX_CARRYOVER", ("filing_status", "taxable_income", "net_st", "net_lt"), returns="row"
    ),
    UdfSpec("HX_TERM", ("acquired", "as_of"), dates=frozenset({"acquired", "as_of"})),
    UdfSpec(
        "HX_HARVEST",
        ("account_type", "cost_basis", "market_value", "acquired", "as_of", "min_loss", "min_pct"),
        {"min_loss": 0, "min_pct": 0},
        dates=frozenset({"acquired", "as_of"}),
    ),
    UdfSpec("HX_SAFE_REBUY", ("sale_date",), dates=frozenset({"sale_date"})),
    UdfSpec(
        "HX_WASH_SALES",
        ("activity", "identical", "policy", "wash_policy"),
        {"identical": None, "policy": "conservative", "wash_policy": None},
        # policy is the Securities table in the table form (the policy is then wash_policy)
        ranges=frozenset({"activity", "identical", "policy"}),
        returns="table",
    ),
    UdfSpec(
        "HX_PENALTY",
        (
            "account_type",
            "amount",
            "birth_date",
            "withdrawal_date",
            "exception",
            "separation_date",
            "participation_start",
            "expenses",
            "agi",
            "rolled_in",
        ),
        PENALTY_DEFAULTS,
        dates=PENALTY_DATES,
    ),
    UdfSpec(
        "HX_PENALTY_WHY",
        (
            "account_type",
            "amount",
            "birth_date",
            "withdrawal_date",
            "exception",
            "separation_date",
            "participation_start",
            "expenses",
            "agi",
            "rolled_in",
        ),
        PENALTY_DEFAULTS,
        dates=PENALTY_DATES,
    ),
    UdfSpec(
        "HX_WITHDRAWAL_COST",
        (
            "account_type", "amount", "birth_date", "withdrawal_date", "profile", "exception",
            "activity", "accounts", "securities",
        ),
        {"exception": "", "activity": None, "accounts": None, "securities": None},
        dates=frozenset({"birth_date", "withdrawal_date"}),
        ranges=frozenset({"profile", "activity", "accounts", "securities"}),
        returns="column",
    ),
)

SPECS += (
    UdfSpec(
        "HX_SAVING",
        ("loss", "term", "profile", "activity", "accounts", "securities"),
        {"activity": None, "accounts": None, "securities": None},
        ranges=frozenset({"profile", "activity", "accounts", "securities"}),
    ),
    UdfSpec(
        "HX_PROFILE_TAX",
        (
            "profile", "extra_ordinary", "extra_st", "extra_lt", "activity", "accounts",
            "securities",
        ),
        {
            "extra_ordinary": 0, "extra_st": 0, "extra_lt": 0, "activity": None,
            "accounts": None, "securities": None,
        },
        ranges=frozenset({"profile", "activity", "accounts", "securities"}),
    ),
    UdfSpec(
        "HX_EVALUATE",
        ("holdings", "accounts", "activity", "recurring", "securities", "profile"),
        ranges=frozenset(
            {"holdings", "accounts", "activity", "recurring", "securities", "profile"}
        ),
        returns="table",
    ),
    UdfSpec(
        "HX_HOLDINGS",
        ("holdings", "accounts", "activity", "recurring", "securities", "profile"),
        ranges=frozenset(
            {"holdings", "accounts", "activity", "recurring", "securities", "profile"}
        ),
        returns="table",
    ),
    UdfSpec(
        "HX_WASH_RISK",
        (
            "account_type",
            "ticker",
            "shares",
            "cost_basis",
            "market_value",
            "acquired",
            "as_of",
            "activity",
            "identical",
            "policy",
            "wash_policy",
        ),
        {"identical": None, "policy": "conservative", "wash_policy": None},
        dates=frozenset({"acquired", "as_of"}),
        ranges=frozenset({"activity", "identical", "policy"}),
    ),
    UdfSpec(
        "HX_ROTH_TAXABLE",
        (
            "amount",
            "contributions",
            "birth_date",
            "withdrawal_date",
            "conversions",
            "first_contribution_year",
            "exception",
        ),
        {"conversions": None, "first_contribution_year": None, "exception": ""},
        dates=frozenset({"birth_date", "withdrawal_date"}),
        ranges=frozenset({"conversions"}),
    ),
    UdfSpec(
        "HX_ROTH_PENALTY",
        (
            "amount",
            "contributions",
            "birth_date",
            "withdrawal_date",
            "conversions",
            "first_contribution_year",
            "exception",
        ),
        {"conversions": None, "first_contribution_year": None, "exception": ""},
        dates=frozenset({"birth_date", "withdrawal_date"}),
        ranges=frozenset({"conversions"}),
    ),
)

SPECS += (  # issue 6: every Holdings computed column is a formula; issue 4: DR-1/DR-2
    UdfSpec(
        "HX_ROTH401K_TAXABLE",
        ROTH401K_ARGS,
        ROTH401K_DEFAULTS,
        dates=frozenset({"birth_date", "withdrawal_date"}),
    ),
    UdfSpec(
        "HX_ROTH401K_PENALTY",
        ROTH401K_ARGS,
        ROTH401K_DEFAULTS,
        dates=frozenset({"birth_date", "withdrawal_date"}),
    ),
    UdfSpec(
        "HX_LOT_WASH_RISK",
        (
            "account",
            "ticker",
            "shares",
            "cost_basis",
            "price",
            "acquired",
            "as_of",
            "activity",
            "accounts",
            "recurring",
            "securities",
            "policy",
            "holdings",
        ),
        {"recurring": None, "securities": None, "policy": "conservative", "holdings": None},
        dates=frozenset({"acquired", "as_of"}),
        ranges=frozenset({"activity", "accounts", "recurring", "securities", "holdings"}),
    ),
    UdfSpec(
        "HX_LOT_HARVEST",
        (
            "account",
            "ticker",
            "shares",
            "cost_basis",
            "price",
            "acquired",
            "as_of",
            "activity",
            "accounts",
            "recurring",
            "securities",
            "policy",
            "holdings",
            "min_loss",
            "min_pct",
        ),
        {
            "recurring": None,
            "securities": None,
            "policy": "conservative",
            "holdings": None,
            "min_loss": 0,
            "min_pct": 0,
        },
        dates=frozenset({"acquired", "as_of"}),
        ranges=frozenset({"activity", "accounts", "recurring", "securities", "holdings"}),
    ),
    UdfSpec(
        "HX_LOT_PENALTY",
        LOT_WITHDRAWAL_ARGS,
        ranges=frozenset({"profile", "accounts"}),
    ),
    UdfSpec(
        "HX_LOT_WITHDRAWAL_COST",
        LOT_WITHDRAWAL_ARGS,
        ranges=frozenset({"profile", "accounts"}),
    ),
)

SPECS += (  # issue 17: the realized year
    UdfSpec(
        "HX_FORM8949",
        ("activity", "accounts", "securities", "year", "policy"),
        {"securities": None, "year": None, "policy": "conservative"},
        ranges=frozenset({"activity", "accounts", "securities"}),
        returns="table",
    ),
)

SPEC_BY_NAME = {spec.name: spec for spec in SPECS}
