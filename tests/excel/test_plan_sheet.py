"""The Plan sheet's columns after a refresh (issue 20): the old headers first and unchanged,
the new ones at the right, filled for a partly washed lot (figures derived in
tests/engine/test_partial_wash.py: $4,750 kept, $810 saved, $250 lost for good).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from harvest_xl.demo import fill_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.template import build_template

PUBLIC_BEFORE_ISSUE_20 = (
    "Rank", "Account", "Ticker", "Shares", "Acquired", "Term", "Loss", "Tax saving",
    "Loss carried to next year", "Safe rebuy", "Substitute", "Why",
)  # fmt: skip


def test_the_old_headers_keep_their_places() -> None:
    """Public names: the twelve headers users' formulas may point at stay in columns A-L."""
    assert L.PLAN_COLUMNS[:12] == PUBLIC_BEFORE_ISSUE_20
    assert len(set(L.PLAN_COLUMNS)) == len(L.PLAN_COLUMNS)


def _refreshed(
    tmp_path: Path,
    goal: str,
    securities: list[list[Any]],
    as_of: date = date(2025, 12, 12),
    bought: date = date(2025, 12, 2),
) -> dict[str, Any]:
    """The first Plan row after refreshing the issue's household (VTI, 5 shares bought in
    the spouse's Roth IRA on ``bought``; ITOT bought on Dec 1) with ``securities``."""
    wb = build_template()
    fill_workbook(
        wb,
        {
            L.ACCOUNTS: [
                ["Joint", "Taxable", "self", None, None, None],
                ["Spouse Roth", "Roth IRA", "spouse", None, None, 2010],
            ],
            L.HOLDINGS: [["Joint", "VTI", 100, date(2023, 5, 10), 10000, 50.0]],
            L.ACTIVITY: [
                [bought, "Spouse Roth", "BUY", "VTI", 5, 50.0, None, None],
                [date(2025, 12, 1), "Joint", "BUY", "ITOT", 2, 130.0, None, None],
            ],
            L.RECURRING: [],
            L.SECURITIES: securities,
        },
        {
            "Tax year": 2025,
            "Filing status": "Married filing jointly",
            "Birth date": date(1975, 3, 1),
            "Spouse birth date": date(1976, 4, 1),
            "Ordinary income": 181500,
            "State tax rate": 0.05,
            "Minimum loss ($)": 0,
            "Minimum loss (%)": 0,
            "As-of date": as_of,
        },
    )
    wb[L.PROFILE].cell(L.PLAN_GOAL_ROW, 2).value = goal
    source = tmp_path / "in.xlsx"
    wb.save(source)
    report = refresh_file(source, tmp_path / "out.xlsx")
    assert report.error is None and report.problems == []
    ws = openpyxl.load_workbook(report.target, data_only=True)[L.PLAN]
    header = [c.value for c in ws[L.OUTPUT_HEADER_ROW]][: len(L.PLAN_COLUMNS)]
    assert tuple(header) == L.PLAN_COLUMNS
    values = [c.value for c in ws[L.OUTPUT_HEADER_ROW + 1]]
    row = dict(zip(L.PLAN_COLUMNS, values, strict=False))
    return {k: v.date() if isinstance(v, dt.datetime) else v for k, v in row.items()}


def test_a_partly_washed_lot_fills_the_new_columns(tmp_path: Path) -> None:
    """Goal 'all losses': the whole lot sold now, its disallowed part and the wait priced,
    and the substitute bought within 30 days (ITOT) passed over for SCHB."""
    row = _refreshed(tmp_path, "all losses", [["VTI", "US", "ITOT"], ["VOO", "US", "SCHB"]])
    assert (row["Rank"], row["Ticker"], row["Shares"], row["Loss"]) == (1, "VTI", 100, 4750)
    assert (row["Tax saving"], row["Loss carried to next year"]) == (810, 1750)
    assert (row["Action"], row["Saving per $ of loss"]) == ("Sell", 0.1705)
    assert row["Flag"] == "Partial wash sale: 5 shares' loss lost for good"
    assert (row["Shares disallowed"], row["Loss disallowed"], row["Lost for good"]) == (
        5,
        250,
        250,
    )
    assert (row["Wait until"], row["Keeps if waiting"]) == (date(2026, 1, 2), 5000)
    assert (row["Gain realized"], row["State tax on gain"]) == (None, None)
    assert row["Substitute"] == "SCHB"
    assert row["Why"].startswith("Harvest: long-term loss of $5,000.00 (50.0% of cost); sell now")


def test_no_substitute_says_so(tmp_path: Path) -> None:
    """Goal 'offset gains + deduction' sells 65 shares; with only ITOT listed for the group
    and ITOT bought within 30 days, the Substitute reads 'None known' and Why says why."""
    row = _refreshed(tmp_path, "offset gains + deduction", [["VTI", "US", "ITOT"]])
    assert (row["Shares"], row["Loss"]) == (65, 3000)
    assert row["Substitute"] == "None known"
    assert row["Why"].endswith("No substitute: ITOT (bought or scheduled within 30 days)")


def test_a_lot_better_sold_later_is_listed_with_the_wait(tmp_path: Path) -> None:
    """Roth purchase on Nov 18, as-of Nov 28: waiting until Dec 19 keeps all $5,000 this
    year, so the lot is listed as not sold today, with the wait and what selling now gives
    up (test_partial_wash.py derives the figures)."""
    row = _refreshed(
        tmp_path, "all losses", [["VTI", "US", "SCHB"]], date(2025, 11, 28), date(2025, 11, 18)
    )
    assert (row["Rank"], row["Action"], row["Ticker"], row["Loss"]) == (
        None,
        "Not sold",
        "VTI",
        5000,
    )
    assert row["Flag"] == (
        "Not sold today: wait until 2025-12-19 to keep $5,000.00 this year (selling now "
        "keeps $4,750.00)"
    )
    assert (row["Shares disallowed"], row["Loss disallowed"], row["Lost for good"]) == (
        5,
        250,
        250,
    )
    assert (row["Wait until"], row["Keeps if waiting"]) == (date(2025, 12, 19), 5000)
    assert row["Why"].startswith("Blocked: Wash sale: bought 5 VTI in Spouse Roth")
