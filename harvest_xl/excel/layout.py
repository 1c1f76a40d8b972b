"""The workbook's public layout: sheet names, table names, column headers, Profile rows.

These names are a public contract (outside tests fill the sheets by them), shared by the
template generator, the refresh core and the add-in. Change nothing here without a
release note.
"""

from __future__ import annotations

from harvest_xl.engine.profile import PROFILE_KEYS
from harvest_xl.results import HOLDINGS_COMPUTED as HOLDINGS_COMPUTED  # a public name here too

# ----------------------------------------------------------------------------- sheets
START = "Start"
PROFILE = "Profile"
ACCOUNTS = "Accounts"
HOLDINGS = "Holdings"
ACTIVITY = "Activity"
RECURRING = "Recurring"
SECURITIES = "Securities"
PLAN = "Plan"
WASH_SALES = "Wash sales"
FORM_8949 = "Form 8949"
WITHDRAWAL = "Withdrawal"
SUMMARY = "Summary"
SOURCES = "Sources"
EVALUATION = "Evaluation"

SHEETS: tuple[str, ...] = (
    START,
    PROFILE,
    ACCOUNTS,
    HOLDINGS,
    ACTIVITY,
    RECURRING,
    SECURITIES,
    PLAN,
    WASH_SALES,
    FORM_8949,
    WITHDRAWAL,
    SUMMARY,
    SOURCES,
    EVALUATION,
)
INPUT_SHEETS: tuple[str, ...] = (PROFILE, ACCOUNTS, HOLDINGS, ACTIVITY, RECURRING, SECURITIES)

# -------------------------------------------------------------------- input tables
# Each input table sits on the sheet of the same name, header in row 1, data from row 2;
# the Excel Table's displayName equals the sheet name.
ACCOUNTS_COLUMNS: tuple[str, ...] = (
    "Account",
    "Type",
    "Owner",
    "Separation date",
    "SIMPLE start date",
    "Roth first contribution year",
    "Basis reported",
)
HOLDINGS_INPUTS: tuple[str, ...] = (
    "Account",
    "Ticker",
    "Shares",
    "Acquired",
    "Cost basis",
    "Price",
)
HOLDINGS_COLUMNS: tuple[str, ...] = HOLDINGS_INPUTS + HOLDINGS_COMPUTED
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "Date",
    "Account",
    "Action",
    "Ticker",
    "Shares",
    "Price",
    "Cost basis",
    "Acquired",
)
RECURRING_COLUMNS: tuple[str, ...] = ("Account", "Ticker", "Amount", "Frequency", "Next date")
SECURITIES_COLUMNS: tuple[str, ...] = ("Ticker", "Identical group", "Substitute")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    ACCOUNTS: ACCOUNTS_COLUMNS,
    HOLDINGS: HOLDINGS_COLUMNS,
    ACTIVITY: ACTIVITY_COLUMNS,
    RECURRING: RECURRING_COLUMNS,
    SECURITIES: SECURITIES_COLUMNS,
}
TABLE_INPUTS: dict[str, tuple[str, ...]] = {
    ACCOUNTS: ACCOUNTS_COLUMNS,
    HOLDINGS: HOLDINGS_INPUTS,
    ACTIVITY: ACTIVITY_COLUMNS,
    RECURRING: RECURRING_COLUMNS,
    SECURITIES: SECURITIES_COLUMNS,
}
HEADER_ROW = 1
FIRST_DATA_ROW = 2

# --------------------------------------------------------------------------- Profile
# Key in column A, value in column B, notes in C; header in row 1, keys from row 2 in
# the order of PROFILE_KEYS. Refresh finds keys by name wherever they are; the template's
# formulas reach them through the workbook-scoped defined names below.
PROFILE_HEADER: tuple[str, str, str] = ("Setting", "Value", "Notes")
PROFILE_ROWS: dict[str, int] = {key: FIRST_DATA_ROW + i for i, key in enumerate(PROFILE_KEYS)}
PROFILE_LAST_ROW = FIRST_DATA_ROW + len(PROFILE_KEYS) - 1

# Defined name -> Profile key (the name refers to that key's value cell, Profile!$B$n).
PROFILE_NAMES: dict[str, str] = {
    "TaxYear": "Tax year",
    "FilingStatus": "Filing status",
    "BirthDate": "Birth date",
    "StateRate": "State tax rate",
    "MinLoss": "Minimum loss ($)",
    "MinPct": "Minimum loss (%)",
    "WashPolicy": "Employer plan wash-sale policy",
    "AsOfDate": "As-of date",
}
PLAN_GOAL_KEY = "Plan goal"
PLAN_GOAL_ROW = PROFILE_LAST_ROW + 2
"""Below the Profile keys (outside ProfileRange): offset gains, offset gains + deduction
(default), all losses or fill 0% bracket. Not a Profile field: only the Plan uses it."""

PROFILE_RANGE_NAME = "ProfileRange"
"""Defined name of the Profile key/value pairs (columns A:B, one row per key): ``profile``."""

# ---------------------------------------------------------------------------- outputs
OUTPUT_HEADER_ROW = 4
"""Plan and Wash sales: title in row 1, note in row 2, header in row 4, data from row 5."""
PLAN_COLUMNS: tuple[str, ...] = (
    "Rank",
    "Account",
    "Ticker",
    "Shares",
    "Acquired",
    "Term",
    "Loss",
    "Tax saving",
    "Loss carried to next year",
    "Safe rebuy",
    "Substitute",
    "Why",
    # issue 20 (added at the right: the headers above are public names)
    "Action",
    "Saving per $ of loss",
    "Flag",
    "Shares disallowed",
    "Loss disallowed",
    "Lost for good",
    "Wait until",
    "Keeps if waiting",
    "Gain realized",
    "State tax on gain",
)
WASH_SALES_COLUMNS: tuple[str, ...] = (
    "Sale date",
    "Sale account",
    "Ticker",
    "Shares matched",
    "Disallowed loss",
    "Permanently lost",
    "Replacement date",
    "Replacement account",
    "Basis increase",
    "Reason",
)

# Form 8949: title in row 1, note in row 2, a line of totals in row 3, the header
# (results.FORM_8949_COLUMNS, the form's columns first) in row 4, rows from row 5.

# Summary: labels in column A from SUMMARY_FIRST_ROW, values in B (notes in C); chart data
# tables to the right. The refresh fills the value cells.
REALIZED_SUMMARY_ROWS: tuple[str, ...] = (
    "Realized short-term (Form 8949 Part I)",
    "Realized long-term (Form 8949 Part II)",
    "Realized year: Schedule D line 7",
    "Realized year: Schedule D line 15",
    "Realized year: Schedule D line 16",
    "Realized year: Schedule D line 21",
    "Realized year: short-term carryover to next year",
    "Realized year: long-term carryover to next year",
    "Form 8949 rows with unknown basis",
)
"""The realized year (issue 17): Activity's sales of the tax year, before any harvest: the
Form 8949 totals (column (h)) and Schedule D with the Profile's carryovers (and, with Count
Activity sales, its realized amounts outside Activity). Written by Refresh, found by label."""
SUMMARY_ROWS: tuple[str, ...] = (
    "As-of date",
    "Tax year",
    "Filing status",
    "Lots",
    "Lots to harvest",
    "Short-term loss harvested",
    "Long-term loss harvested",
    "Schedule D line 7: net short-term",
    "Schedule D line 15: net long-term",
    "Schedule D line 16: combined",
    "Deducted against ordinary income (line 21)",
    "Short-term carryover to next year",
    "Long-term carryover to next year",
    "Federal tax without harvesting",
    "Federal tax with the plan",
    "Federal saving",
    "State saving",
    "Total tax saving",
    "Wash sales found",
    "Loss permanently lost to wash sales",
    "Holdings with a wash-sale risk",
    "Rows with problems",
    *REALIZED_SUMMARY_ROWS,
    "Refreshed",
)
"""Appended rows go before the *Refreshed* stamp, which stays last (the Summary writer
writes every other label's value in one block, in this order)."""
SUMMARY_FIRST_ROW = 4
SUMMARY_MONEY_FROM = "Short-term loss harvested"
SUMMARY_BY_ACCOUNT_COLUMN = 4
"""Column D: gains/losses by account (chart data): Account, Gain/Loss, Unrealized losses."""
SUMMARY_BY_LOT_COLUMN = 8
"""Column H: tax saving by planned lot (chart data): Lot, Tax saving."""
SUMMARY_CHART_ROWS = 10
SUMMARY_PROBLEMS_ROW = 60
"""Summary: "Problems" heading here, one problem per row below it (written by Refresh);
below the two charts, which start two rows under the last label."""

# ------------------------------------------------------------------------- evaluation
EVALUATION_HEADER_ROW = 3
"""Evaluation: title in row 1, note in row 2; in A3 one ``HX_HOLDINGS`` call spills a header
row and one row per Holdings data row, which the Holdings computed columns look up."""
EVALUATION_ANCHOR = f"A{EVALUATION_HEADER_ROW}"
