"""Tax law as data: load ``harvest_xl/data/tax-parameters.json`` into typed, frozen views.

Every number the engine uses comes from that file, which records a source for each value.
A year outside the table raises :class:`MissingTaxYear`; nothing is extrapolated.
The file is read once (by the adapter-free ``importlib.resources``) and cached: it is
package data, not user I/O, so the engine stays pure in the sense that matters
(no clock, no user files, same answer every call).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from harvest_xl.engine.errors import MissingTaxYear
from harvest_xl.engine.models import FilingStatus

PARAMETER_FILE = "tax-parameters.json"


@functools.cache
def raw_parameters() -> dict[str, Any]:
    """The parameter file as parsed JSON (numbers as Decimal, so rates stay exact)."""
    text = resources.files("harvest_xl").joinpath("data", PARAMETER_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    return data


def _by_status(block: dict[str, Any]) -> dict[FilingStatus, Decimal]:
    return {status: Decimal(block[status.value]) for status in FilingStatus}


@dataclass(frozen=True, slots=True)
class AmtParams:
    """Form 6251 figures for one year. Authority: IRC §55(b), §55(d)."""

    exemption: dict[FilingStatus, Decimal]
    exemption_phaseout_start: dict[FilingStatus, Decimal]
    exemption_phaseout_rate: Decimal
    rate_28_threshold: dict[FilingStatus, Decimal]
    mfs_amti_addback_end: Decimal
    rates: tuple[Decimal, Decimal]
    source: str


@dataclass(frozen=True, slots=True)
class YearParams:
    """Every parameter of one tax year, keyed by filing status where the law differs."""

    year: int
    source: str
    ordinary_rates: tuple[Decimal, ...]
    ordinary_bracket_tops: dict[FilingStatus, tuple[Decimal, ...]]
    ltcg_rates: tuple[Decimal, ...]
    ltcg_zero_rate_max: dict[FilingStatus, Decimal]
    ltcg_fifteen_rate_max: dict[FilingStatus, Decimal]
    standard_deduction: dict[FilingStatus, Decimal]
    additional_standard_deduction_aged_or_blind: dict[FilingStatus, Decimal]
    capital_loss_limit: dict[FilingStatus, Decimal]
    niit_rate: Decimal
    niit_threshold: dict[FilingStatus, Decimal]
    tax_table_limit: Decimal
    amt: AmtParams
    household: HouseholdParams


@dataclass(frozen=True, slots=True)
class HouseholdParams:
    """The household-return figures of one year (household-return.md §§3, 5).

    ``None`` where the provision is not in effect that year (no SALT phase-down before
    2025, no §68 limitation before 2026; no senior deduction for married filing separately).
    """

    senior_deduction_amount: Decimal
    senior_deduction_phaseout_start: dict[FilingStatus, Decimal | None]
    senior_deduction_phaseout_rate: Decimal
    salt_cap: dict[FilingStatus, Decimal]
    salt_cap_phasedown_threshold: dict[FilingStatus, Decimal] | None
    salt_cap_phasedown_rate: Decimal
    salt_cap_floor: dict[FilingStatus, Decimal] | None
    medical_expense_agi_floor: Decimal
    charitable_contribution_floor_rate: Decimal
    charitable_nonitemizer_deduction_max: dict[FilingStatus, Decimal]
    charitable_nonitemizer_above_the_line: bool
    itemized_limitation: tuple[Decimal, Decimal] | None
    """§68 (2026+): (numerator, denominator) of the reduction fraction, 2/37."""


def _optional_by_status(block: dict[str, Any] | None) -> dict[FilingStatus, Decimal] | None:
    return None if block is None else _by_status(block)


def _household(block: dict[str, Any]) -> HouseholdParams:
    """The ``household`` block of one year, as typed values (null = not in effect)."""

    def value(name: str) -> Any:
        return block[name]["value"]

    start = value("senior_deduction_phaseout_start") or {}
    limitation = value("itemized_deduction_limitation")
    zero = Decimal(0)
    return HouseholdParams(
        senior_deduction_amount=Decimal(value("senior_deduction_amount")),
        senior_deduction_phaseout_start={
            s: None if start.get(s.value) is None else Decimal(start[s.value]) for s in FilingStatus
        },
        senior_deduction_phaseout_rate=Decimal(value("senior_deduction_phaseout_rate") or zero),
        salt_cap=_by_status(value("salt_cap")),
        salt_cap_phasedown_threshold=_optional_by_status(value("salt_cap_phasedown_threshold")),
        salt_cap_phasedown_rate=Decimal(value("salt_cap_phasedown_rate") or zero),
        salt_cap_floor=_optional_by_status(value("salt_cap_floor")),
        medical_expense_agi_floor=Decimal(value("medical_expense_agi_floor")),
        charitable_contribution_floor_rate=Decimal(value("charitable_contribution_floor_rate")),
        charitable_nonitemizer_deduction_max=_by_status(
            value("charitable_nonitemizer_deduction_max")
        ),
        charitable_nonitemizer_above_the_line=bool(
            value("charitable_nonitemizer_deduction_above_the_line")
        ),
        itemized_limitation=None
        if limitation is None
        else (Decimal(limitation["numerator"]), Decimal(limitation["denominator"])),
    )


def supported_years() -> tuple[int, ...]:
    return tuple(sorted(int(y) for y in raw_parameters()["years"]))


@functools.cache
def year_params(year: int) -> YearParams:
    """The parameters of tax ``year``; :class:`MissingTaxYear` outside the table."""
    years = supported_years()
    if isinstance(year, bool) or not isinstance(year, int) or year not in years:
        raise MissingTaxYear(year, years[0], years[-1])
    data = raw_parameters()
    statutory = data["statutory"]
    block = data["years"][str(year)]
    amt = block["amt"]
    return YearParams(
        year=year,
        source=block["source"],
        ordinary_rates=tuple(Decimal(r) for r in statutory["ordinary_rates"]["value"]),
        ordinary_bracket_tops={
            s: tuple(Decimal(v) for v in block["ordinary_bracket_tops"][s.value])
            for s in FilingStatus
        },
        ltcg_rates=tuple(Decimal(r) for r in statutory["ltcg_rates"]["value"]),
        ltcg_zero_rate_max=_by_status(block["ltcg_zero_rate_max"]),
        ltcg_fifteen_rate_max=_by_status(block["ltcg_fifteen_rate_max"]),
        standard_deduction=_by_status(block["standard_deduction"]),
        additional_standard_deduction_aged_or_blind=_by_status(
            block["additional_standard_deduction_aged_or_blind"]
        ),
        capital_loss_limit=_by_status(statutory["capital_loss_limit"]["value"]),
        niit_rate=Decimal(statutory["niit_rate"]["value"]),
        niit_threshold=_by_status(statutory["niit_threshold"]["value"]),
        tax_table_limit=Decimal(statutory["tax_table_limit"]["value"]),
        amt=AmtParams(
            exemption=_by_status(amt["exemption"]),
            exemption_phaseout_start=_by_status(amt["exemption_phaseout_start"]),
            exemption_phaseout_rate=Decimal(amt["exemption_phaseout_rate"]),
            rate_28_threshold=_by_status(amt["rate_28_threshold"]),
            mfs_amti_addback_end=Decimal(amt["mfs_amti_addback_end"]),
            rates=(
                Decimal(statutory["amt_rates"]["value"][0]),
                Decimal(statutory["amt_rates"]["value"][1]),
            ),
            source=amt["source"],
        ),
        household=_household(block["household"]),
    )


def penalty_parameter(name: str) -> Any:
    """A value from the ``penalties_and_limits`` block (rates, ages, caps, windows)."""
    return raw_parameters()["penalties_and_limits"][name]["value"]


@functools.cache
def capital_loss_limit(filing_status: FilingStatus, year: int | None = None) -> Decimal:
    """The §1211(b) limit ($3,000; $1,500 married filing separately).

    The limit is not indexed, so ``year`` is optional; when given it must be in the table.
    """
    if year is not None:
        year_params(year)
    return _by_status(raw_parameters()["statutory"]["capital_loss_limit"]["value"])[filing_status]


@functools.cache
def tax_table_rows() -> tuple[tuple[Decimal, Decimal, Decimal], ...]:
    """The Tax Table's row bands as ``(from, to, row width)``, lowest first."""
    rows = raw_parameters()["statutory"]["tax_table_rows"]["value"]
    return tuple((Decimal(r["from"]), Decimal(r["to"]), Decimal(r["width"])) for r in rows)


@dataclass(frozen=True, slots=True)
class SocialSecurityParams:
    """The §86 base amounts (worksheet line 8), adjusted base amounts (line 8 + line 10)
    and inclusion rates (lines 13, 15, 17). Not indexed. Authority: IRC §86(a), (c)."""

    base_amount: dict[FilingStatus, Decimal]
    adjusted_base_amount: dict[FilingStatus, Decimal]
    base_amount_mfs_lived_apart: Decimal
    adjusted_base_amount_mfs_lived_apart: Decimal
    inclusion_rates: tuple[Decimal, Decimal]


@functools.cache
def social_security_params() -> SocialSecurityParams:
    """The statutory §86 figures of the parameter file."""
    statutory = raw_parameters()["statutory"]
    base = statutory["social_security_base_amount"]
    adjusted = statutory["social_security_adjusted_base_amount"]
    low, high = statutory["social_security_inclusion_rates"]["value"]
    return SocialSecurityParams(
        base_amount=_by_status(base["value"]),
        adjusted_base_amount=_by_status(adjusted["value"]),
        base_amount_mfs_lived_apart=Decimal(base["mfs_lived_apart_all_year"]),
        adjusted_base_amount_mfs_lived_apart=Decimal(adjusted["mfs_lived_apart_all_year"]),
        inclusion_rates=(Decimal(low), Decimal(high)),
    )


def statutory_value(name: str) -> Any:
    """A value from the ``statutory`` block (as parsed: Decimal numbers)."""
    return raw_parameters()["statutory"][name]["value"]
